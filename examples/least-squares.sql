SELECT CAST((
  WITH RECURSIVE
    "fold12"("i", "acc") AS (
      SELECT
        CAST(0 AS BIGINT) AS "i",
        CAST({'w': CAST('0' AS DOUBLE), 'b': CAST('0' AS DOUBLE)} AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "acc"
      UNION ALL
      SELECT
        "f13"."i" + CAST(1 AS BIGINT) AS "i",
        CAST((
          SELECT (
            SELECT list_extract((
              SELECT list_transform("_env1"."a0", lambda "_v23": {'w': "_env1"."r0" - CAST('0.05' AS DOUBLE) * struct_extract("_v23", 'w'), 'b': "_env1"."r1" - CAST('0.05' AS DOUBLE) * struct_extract("_v23", 'b')})
              FROM (
                SELECT
                  [list_extract(list_transform([(
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
                  )], lambda "_v22": CASE WHEN "_v22" IS NULL THEN CAST(NULL AS STRUCT("w" DOUBLE, "b" DOUBLE)) ELSE {'w': CASE WHEN struct_extract(struct_extract("_v22", 'w'), 's') AND struct_extract(struct_extract("_v22", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v22", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_v22", 'b'), 's') AND struct_extract(struct_extract("_v22", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v22", 'b'), 'v') END} END), CAST(1 AS BIGINT))] AS "a0",
                  "_v15" AS "r0",
                  "_v16" AS "r1"
              ) AS "_env1"
            ), CAST(1 AS BIGINT))
            FROM (
              SELECT struct_extract((
                SELECT "w14"."acc"
                FROM "fold12" AS "w14"
              ), 'b') AS "_v16"
            ) AS "s24"
          )
          FROM (
            SELECT struct_extract((
              SELECT "w14"."acc"
              FROM "fold12" AS "w14"
            ), 'w') AS "_v15"
          ) AS "s25"
        ) AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "acc"
      FROM "fold12" AS "f13"
      WHERE "f13"."i" < CAST(2000 AS BIGINT)
    )
  SELECT "acc"
  FROM "fold12"
  WHERE "i" = CAST(2000 AS BIGINT)
) AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "result";
