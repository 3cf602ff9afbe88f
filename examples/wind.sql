-- rows
WITH
  "v1" AS (
    SELECT list_extract(list_transform([CAST({'rows': CAST([CAST({'u': CAST('3' AS DOUBLE), 'v': CAST('4' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE)), CAST({'u': CAST('-5' AS DOUBLE), 'v': CAST('12' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE)), CAST({'u': CAST('0' AS DOUBLE), 'v': CAST('7.5' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE)), CAST({'u': CAST('2.5' AS DOUBLE), 'v': CAST('0' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE)), CAST({'u': CAST('-1.25' AS DOUBLE), 'v': CAST('-3.5' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE)), CAST({'u': CAST('10.2' AS DOUBLE), 'v': CAST('-0.4' AS DOUBLE)} AS STRUCT("u" DOUBLE, "v" DOUBLE))] AS STRUCT("u" DOUBLE, "v" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("u" DOUBLE, "v" DOUBLE)[], "global" BOOLEAN))], lambda "_v2": CASE WHEN "_v2" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("u" STRUCT("v" DOUBLE, "s" BOOLEAN), "v" STRUCT("v" DOUBLE, "s" BOOLEAN))[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v2", 'rows'), lambda "_z3": CASE WHEN "_z3" IS NULL THEN CAST(NULL AS STRUCT("u" STRUCT("v" DOUBLE, "s" BOOLEAN), "v" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'u': {'v': struct_extract("_z3", 'u'), 's': signbit(struct_extract("_z3", 'u'))}, 'v': {'v': struct_extract("_z3", 'v'), 's': signbit(struct_extract("_z3", 'v'))}} END), 'global': struct_extract("_v2", 'global')} END), CAST(1 AS BIGINT)) AS "v"
  ),
  "t8" AS (
    SELECT
      struct_extract("u6"."r", 'u') AS "u",
      struct_extract("u6"."r", 'v') AS "v",
      "u6"."o" AS "__o0"
    FROM (
      SELECT CAST(CASE WHEN struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v1"
        )], lambda "_v4": CASE WHEN "_v4" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("u" DOUBLE, "v" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v4", 'rows'), lambda "_z5": CASE WHEN "_z5" IS NULL THEN CAST(NULL AS STRUCT("u" DOUBLE, "v" DOUBLE)) ELSE {'u': CASE WHEN struct_extract(struct_extract("_z5", 'u'), 's') AND struct_extract(struct_extract("_z5", 'u'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'u'), 'v') END, 'v': CASE WHEN struct_extract(struct_extract("_z5", 'v'), 's') AND struct_extract(struct_extract("_z5", 'v'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'v'), 'v') END} END), 'global': struct_extract("_v4", 'global')} END), CAST(1 AS BIGINT)), 'rows') IS NULL THEN CAST(error('IRC:InvalidArgument:0:TableParallelize of a missing rows array') AS STRUCT("u" DOUBLE, "v" DOUBLE)[]) ELSE struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v1"
        )], lambda "_v4": CASE WHEN "_v4" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("u" DOUBLE, "v" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v4", 'rows'), lambda "_z5": CASE WHEN "_z5" IS NULL THEN CAST(NULL AS STRUCT("u" DOUBLE, "v" DOUBLE)) ELSE {'u': CASE WHEN struct_extract(struct_extract("_z5", 'u'), 's') AND struct_extract(struct_extract("_z5", 'u'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'u'), 'v') END, 'v': CASE WHEN struct_extract(struct_extract("_z5", 'v'), 's') AND struct_extract(struct_extract("_z5", 'v'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'v'), 'v') END} END), 'global': struct_extract("_v4", 'global')} END), CAST(1 AS BIGINT)), 'rows') END AS STRUCT("u" DOUBLE, "v" DOUBLE)[]) AS "rs"
    ) AS "p7"
    CROSS JOIN LATERAL unnest("p7"."rs") WITH ORDINALITY AS "u6"("r", "o")
  ),
  "t13" AS (
    SELECT
      "t9"."u" AS "u",
      "t9"."v" AS "v",
      list_extract(list_transform([list_extract(list_transform([CAST('2' AS DOUBLE) * list_extract(list_transform(["t9"."u" * "t9"."u" + "t9"."v" * "t9"."v"], lambda "_v10": CASE WHEN "_v10" < CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE) ELSE sqrt("_v10") END), CAST(1 AS BIGINT))], lambda "_v11": CASE WHEN "_v11" = CAST('0' AS DOUBLE) THEN CASE
          WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit(CAST('1' AS DOUBLE)) <> signbit("_v11") THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE CAST('1' AS DOUBLE) / "_v11" END), CAST(1 AS BIGINT))], lambda "_v12": "_v12" * "t9"."u" + "_v12" * "t9"."u"), CAST(1 AS BIGINT)) AS "dspeed_du",
      "t9"."__o0" AS "__o0"
    FROM "t8" AS "t9"
  )
SELECT
  CAST("t14"."u" AS DOUBLE) AS "u",
  CAST("t14"."v" AS DOUBLE) AS "v",
  CAST("t14"."dspeed_du" AS DOUBLE) AS "dspeed_du"
FROM "t13" AS "t14"
ORDER BY "t14"."__o0" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
