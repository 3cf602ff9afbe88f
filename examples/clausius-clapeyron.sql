-- rows
WITH
  "v1" AS (
    SELECT list_extract(list_transform([CAST({'rows': CAST([CAST({'T': CAST('-30' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('-10' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('0' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('10' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('20' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('25.5' AS DOUBLE)} AS STRUCT("T" DOUBLE)), CAST({'T': CAST('35' AS DOUBLE)} AS STRUCT("T" DOUBLE))] AS STRUCT("T" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("T" DOUBLE)[], "global" BOOLEAN))], lambda "_v2": CASE WHEN "_v2" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("T" STRUCT("v" DOUBLE, "s" BOOLEAN))[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v2", 'rows'), lambda "_z3": CASE WHEN "_z3" IS NULL THEN CAST(NULL AS STRUCT("T" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'T': {'v': struct_extract("_z3", 'T'), 's': signbit(struct_extract("_z3", 'T'))}} END), 'global': struct_extract("_v2", 'global')} END), CAST(1 AS BIGINT)) AS "v"
  ),
  "t8" AS (
    SELECT
      struct_extract("u6"."r", 'T') AS "T",
      "u6"."o" AS "__o0"
    FROM (
      SELECT CAST(CASE WHEN struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v1"
        )], lambda "_v4": CASE WHEN "_v4" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("T" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v4", 'rows'), lambda "_z5": CASE WHEN "_z5" IS NULL THEN CAST(NULL AS STRUCT("T" DOUBLE)) ELSE {'T': CASE WHEN struct_extract(struct_extract("_z5", 'T'), 's') AND struct_extract(struct_extract("_z5", 'T'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'T'), 'v') END} END), 'global': struct_extract("_v4", 'global')} END), CAST(1 AS BIGINT)), 'rows') IS NULL THEN CAST(error('IRC:InvalidArgument:0:TableParallelize of a missing rows array') AS STRUCT("T" DOUBLE)[]) ELSE struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v1"
        )], lambda "_v4": CASE WHEN "_v4" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("T" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v4", 'rows'), lambda "_z5": CASE WHEN "_z5" IS NULL THEN CAST(NULL AS STRUCT("T" DOUBLE)) ELSE {'T': CASE WHEN struct_extract(struct_extract("_z5", 'T'), 's') AND struct_extract(struct_extract("_z5", 'T'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z5", 'T'), 'v') END} END), 'global': struct_extract("_v4", 'global')} END), CAST(1 AS BIGINT)), 'rows') END AS STRUCT("T" DOUBLE)[]) AS "rs"
    ) AS "p7"
    CROSS JOIN LATERAL unnest("p7"."rs") WITH ORDINALITY AS "u6"("r", "o")
  ),
  "t15" AS (
    SELECT
      "t9"."T" AS "T",
      list_extract(list_transform([CAST('6.112' AS DOUBLE) * exp(list_extract(list_transform([CAST('17.67' AS DOUBLE) * "t9"."T"], lambda "_v10": CASE WHEN "t9"."T" + CAST('243.5' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
          WHEN "_v10" IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan("_v10") OR "_v10" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit("_v10") <> signbit("t9"."T" + CAST('243.5' AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE "_v10" / ("t9"."T" + CAST('243.5' AS DOUBLE)) END), CAST(1 AS BIGINT)))], lambda "_v12": -(list_extract(list_transform([CAST('17.67' AS DOUBLE) * "t9"."T"], lambda "_v10": CASE WHEN "t9"."T" + CAST('243.5' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
          WHEN "_v10" IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan("_v10") OR "_v10" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit("_v10") <> signbit("t9"."T" + CAST('243.5' AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE "_v10" / ("t9"."T" + CAST('243.5' AS DOUBLE)) END), CAST(1 AS BIGINT)) * CASE WHEN "t9"."T" + CAST('243.5' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
          WHEN "_v12" IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan("_v12") OR "_v12" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit("_v12") <> signbit("t9"."T" + CAST('243.5' AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE "_v12" / ("t9"."T" + CAST('243.5' AS DOUBLE)) END) + CASE WHEN "t9"."T" + CAST('243.5' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
          WHEN "_v12" IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan("_v12") OR "_v12" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit("_v12") <> signbit("t9"."T" + CAST('243.5' AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE "_v12" / ("t9"."T" + CAST('243.5' AS DOUBLE)) END * CAST('17.67' AS DOUBLE)), CAST(1 AS BIGINT)) AS "des_dT",
      "t9"."__o0" AS "__o0"
    FROM "t8" AS "t9"
  )
SELECT
  CAST("t16"."T" AS DOUBLE) AS "T",
  CAST("t16"."des_dT" AS DOUBLE) AS "des_dT"
FROM "t15" AS "t16"
ORDER BY "t16"."__o0" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
