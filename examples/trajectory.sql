-- rows
WITH
  "v27" AS NOT MATERIALIZED (
    SELECT list_transform((
      WITH RECURSIVE
        "fold12"("i", "acc") AS (
          SELECT
            CAST(0 AS BIGINT) AS "i",
            CAST({'step': CAST(0 AS INTEGER), 'w': CAST('0' AS DOUBLE), 'b': CAST('0' AS DOUBLE)} AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) AS "acc"
          UNION ALL
          SELECT
            "f13"."i" + CAST(1 AS BIGINT) AS "i",
            CAST((
              SELECT (
                SELECT (
                  SELECT {'step': CAST(CAST(0 AS BIGINT) + ((
                    SELECT "w14"."i"
                    FROM "fold12" AS "w14"
                  ) + CAST(1 AS BIGINT) - CAST(1 AS BIGINT)) * CAST(1 AS BIGINT) AS INTEGER) + CAST(1 AS INTEGER), 'w': "_v15" - CAST('0.05' AS DOUBLE) * struct_extract("_v23", 'w'), 'b': "_v16" - CAST('0.05' AS DOUBLE) * struct_extract("_v23", 'b')}
                  FROM (
                    SELECT list_extract(list_transform([(
                      SELECT list_extract(list_transform([{'w': CASE WHEN CAST("a20"."a2" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
                          WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                          WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                          WHEN signbit(CAST('1' AS DOUBLE)) <> signbit(CAST("a20"."a2" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
                          ELSE CAST('inf' AS DOUBLE)
                        END ELSE CAST('1' AS DOUBLE) / CAST("a20"."a2" AS DOUBLE) END * coalesce("a20"."a0", CAST('0' AS DOUBLE)), 'b': CASE WHEN CAST("a20"."a2" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
                          WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                          WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                          WHEN signbit(CAST('1' AS DOUBLE)) <> signbit(CAST("a20"."a2" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
                          ELSE CAST('inf' AS DOUBLE)
                        END ELSE CAST('1' AS DOUBLE) / CAST("a20"."a2" AS DOUBLE) END * coalesce("a20"."a1", CAST('0' AS DOUBLE))}], lambda "_v21": CASE WHEN "_v21" IS NULL THEN CAST(NULL AS STRUCT("w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'w': {'v': struct_extract("_v21", 'w'), 's': signbit(struct_extract("_v21", 'w'))}, 'b': {'v': struct_extract("_v21", 'b'), 's': signbit(struct_extract("_v21", 'b'))}} END), CAST(1 AS BIGINT))
                      FROM (
                        SELECT
                          sum(("_v15" * "t19"."x" + "_v16" - "t19"."y" + ("_v15" * "t19"."x" + "_v16" - "t19"."y")) * "t19"."x") AS "a0",
                          sum("_v15" * "t19"."x" + "_v16" - "t19"."y" + ("_v15" * "t19"."x" + "_v16" - "t19"."y")) AS "a1",
                          count(*) AS "a2"
                        FROM (
                          SELECT
                            struct_extract("u17"."r", 'x') AS "x",
                            struct_extract("u17"."r", 'y') AS "y",
                            "u17"."o" AS "__o0"
                          FROM (
                            SELECT CAST(CASE WHEN struct_extract(CAST({'rows': CAST([CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('3' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('2' AS DOUBLE), 'y': CAST('2' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('3' AS DOUBLE), 'y': CAST('5' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('4' AS DOUBLE), 'y': CAST('4' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE))] AS STRUCT("x" DOUBLE, "y" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("x" DOUBLE, "y" DOUBLE)[], "global" BOOLEAN)), 'rows') IS NULL THEN CAST(error('IRC:InvalidArgument:1:TableParallelize of a missing rows array') AS STRUCT("x" DOUBLE, "y" DOUBLE)[]) ELSE struct_extract(CAST({'rows': CAST([CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('3' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('2' AS DOUBLE), 'y': CAST('2' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('3' AS DOUBLE), 'y': CAST('5' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('4' AS DOUBLE), 'y': CAST('4' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE))] AS STRUCT("x" DOUBLE, "y" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("x" DOUBLE, "y" DOUBLE)[], "global" BOOLEAN)), 'rows') END AS STRUCT("x" DOUBLE, "y" DOUBLE)[]) AS "rs"
                          ) AS "p18"
                          CROSS JOIN LATERAL unnest("p18"."rs") WITH ORDINALITY AS "u17"("r", "o")
                        ) AS "t19"
                        GROUP BY ()
                      ) AS "a20"
                    )], lambda "_v22": CASE WHEN "_v22" IS NULL THEN CAST(NULL AS STRUCT("w" DOUBLE, "b" DOUBLE)) ELSE {'w': CASE WHEN struct_extract(struct_extract("_v22", 'w'), 's') AND struct_extract(struct_extract("_v22", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v22", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_v22", 'b'), 's') AND struct_extract(struct_extract("_v22", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v22", 'b'), 'v') END} END), CAST(1 AS BIGINT)) AS "_v23"
                  ) AS "s24"
                )
                FROM (
                  SELECT struct_extract((
                    SELECT "w14"."acc"
                    FROM "fold12" AS "w14"
                  ), 'b') AS "_v16"
                ) AS "s25"
              )
              FROM (
                SELECT struct_extract((
                  SELECT "w14"."acc"
                  FROM "fold12" AS "w14"
                ), 'w') AS "_v15"
              ) AS "s26"
            ) AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) AS "acc"
          FROM "fold12" AS "f13"
          WHERE "f13"."i" < CAST(50 AS BIGINT)
        )
      SELECT list("acc" ORDER BY "i" ASC)
      FROM "fold12"
    ), lambda "_z28": CASE WHEN "_z28" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'step': struct_extract("_z28", 'step'), 'w': {'v': struct_extract("_z28", 'w'), 's': signbit(struct_extract("_z28", 'w'))}, 'b': {'v': struct_extract("_z28", 'b'), 's': signbit(struct_extract("_z28", 'b'))}} END) AS "v"
  ),
  "v30" AS NOT MATERIALIZED (
    SELECT list_transform(list_transform((
      SELECT "v"
      FROM "v27"
    ), lambda "_z29": CASE WHEN "_z29" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) ELSE {'step': struct_extract("_z29", 'step'), 'w': CASE WHEN struct_extract(struct_extract("_z29", 'w'), 's') AND struct_extract(struct_extract("_z29", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z29", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_z29", 'b'), 's') AND struct_extract(struct_extract("_z29", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z29", 'b'), 'v') END} END), lambda "_z31": CASE WHEN "_z31" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'step': struct_extract("_z31", 'step'), 'w': {'v': struct_extract("_z31", 'w'), 's': signbit(struct_extract("_z31", 'w'))}, 'b': {'v': struct_extract("_z31", 'b'), 's': signbit(struct_extract("_z31", 'b'))}} END) AS "v"
  ),
  "rl_33" AS NOT MATERIALIZED (
    SELECT list_extract(list_transform([{'rows': list_transform((
      SELECT "v"
      FROM "v30"
    ), lambda "_z32": CASE WHEN "_z32" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) ELSE {'step': struct_extract("_z32", 'step'), 'w': CASE WHEN struct_extract(struct_extract("_z32", 'w'), 's') AND struct_extract(struct_extract("_z32", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z32", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_z32", 'b'), 's') AND struct_extract(struct_extract("_z32", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z32", 'b'), 'v') END} END), 'global': CAST(NULL AS BOOLEAN)}], lambda "_v34": CASE WHEN "_v34" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v34", 'rows'), lambda "_z35": CASE WHEN "_z35" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'step': struct_extract("_z35", 'step'), 'w': {'v': struct_extract("_z35", 'w'), 's': signbit(struct_extract("_z35", 'w'))}, 'b': {'v': struct_extract("_z35", 'b'), 's': signbit(struct_extract("_z35", 'b'))}} END), 'global': struct_extract("_v34", 'global')} END), CAST(1 AS BIGINT)) AS "v"
  ),
  "v38" AS NOT MATERIALIZED (
    SELECT list_extract(list_transform([list_extract(list_transform([(
      SELECT "v"
      FROM "rl_33"
    )], lambda "_v36": CASE WHEN "_v36" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v36", 'rows'), lambda "_z37": CASE WHEN "_z37" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) ELSE {'step': struct_extract("_z37", 'step'), 'w': CASE WHEN struct_extract(struct_extract("_z37", 'w'), 's') AND struct_extract(struct_extract("_z37", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z37", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_z37", 'b'), 's') AND struct_extract(struct_extract("_z37", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z37", 'b'), 'v') END} END), 'global': struct_extract("_v36", 'global')} END), CAST(1 AS BIGINT))], lambda "_v39": CASE WHEN "_v39" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v39", 'rows'), lambda "_z40": CASE WHEN "_z40" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'step': struct_extract("_z40", 'step'), 'w': {'v': struct_extract("_z40", 'w'), 's': signbit(struct_extract("_z40", 'w'))}, 'b': {'v': struct_extract("_z40", 'b'), 's': signbit(struct_extract("_z40", 'b'))}} END), 'global': struct_extract("_v39", 'global')} END), CAST(1 AS BIGINT)) AS "v"
  ),
  "t45" AS NOT MATERIALIZED (
    SELECT
      struct_extract("u43"."r", 'step') AS "step",
      struct_extract("u43"."r", 'w') AS "w",
      struct_extract("u43"."r", 'b') AS "b",
      "u43"."o" AS "__o0"
    FROM (
      SELECT CAST(CASE WHEN struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v38"
        )], lambda "_v41": CASE WHEN "_v41" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v41", 'rows'), lambda "_z42": CASE WHEN "_z42" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) ELSE {'step': struct_extract("_z42", 'step'), 'w': CASE WHEN struct_extract(struct_extract("_z42", 'w'), 's') AND struct_extract(struct_extract("_z42", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z42", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_z42", 'b'), 's') AND struct_extract(struct_extract("_z42", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z42", 'b'), 'v') END} END), 'global': struct_extract("_v41", 'global')} END), CAST(1 AS BIGINT)), 'rows') IS NULL THEN CAST(error('IRC:InvalidArgument:2:TableParallelize of a missing rows array') AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)[]) ELSE struct_extract(list_extract(list_transform([(
          SELECT "v"
          FROM "v38"
        )], lambda "_v41": CASE WHEN "_v41" IS NULL THEN CAST(NULL AS STRUCT("rows" STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)[], "global" BOOLEAN)) ELSE {'rows': list_transform(struct_extract("_v41", 'rows'), lambda "_z42": CASE WHEN "_z42" IS NULL THEN CAST(NULL AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)) ELSE {'step': struct_extract("_z42", 'step'), 'w': CASE WHEN struct_extract(struct_extract("_z42", 'w'), 's') AND struct_extract(struct_extract("_z42", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z42", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_z42", 'b'), 's') AND struct_extract(struct_extract("_z42", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_z42", 'b'), 'v') END} END), 'global': struct_extract("_v41", 'global')} END), CAST(1 AS BIGINT)), 'rows') END AS STRUCT("step" INTEGER, "w" DOUBLE, "b" DOUBLE)[]) AS "rs"
    ) AS "p44"
    CROSS JOIN LATERAL unnest("p44"."rs") WITH ORDINALITY AS "u43"("r", "o")
  )
SELECT
  CAST("t46"."step" AS INTEGER) AS "step",
  CAST("t46"."w" AS DOUBLE) AS "w",
  CAST("t46"."b" AS DOUBLE) AS "b"
FROM "t45" AS "t46"
ORDER BY "t46"."__o0" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
