SELECT CAST((
  WITH RECURSIVE
    "fold13"("i", "acc") AS (
      SELECT
        CAST(0 AS BIGINT) AS "i",
        CAST({'w': CAST('0' AS DOUBLE), 'b': CAST('0' AS DOUBLE)} AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "acc"
      UNION ALL
      SELECT
        "f14"."i" + CAST(1 AS BIGINT) AS "i",
        CAST((
          SELECT (
            SELECT list_extract((
              SELECT list_transform("_env2"."a0", lambda "_v26": {'w': "_env2"."r0" - CAST('7.05' AS DOUBLE) * struct_extract("_v26", 'w'), 'b': "_env2"."r1" - CAST('7.05' AS DOUBLE) * struct_extract("_v26", 'b')})
              FROM (
                SELECT
                  [list_extract(list_transform([(
                    SELECT list_extract(list_transform([{'w': CASE WHEN CAST("a21"."a2" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
                        WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                        WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                        WHEN signbit(CAST('1' AS DOUBLE)) <> signbit(CAST("a21"."a2" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
                        ELSE CAST('inf' AS DOUBLE)
                      END ELSE CAST('1' AS DOUBLE) / CAST("a21"."a2" AS DOUBLE) END * coalesce("a21"."a0", CAST('0' AS DOUBLE)), 'b': CASE WHEN CAST("a21"."a2" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
                        WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                        WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                        WHEN signbit(CAST('1' AS DOUBLE)) <> signbit(CAST("a21"."a2" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
                        ELSE CAST('inf' AS DOUBLE)
                      END ELSE CAST('1' AS DOUBLE) / CAST("a21"."a2" AS DOUBLE) END * coalesce("a21"."a1", CAST('0' AS DOUBLE))}], lambda "_v24": CASE WHEN "_v24" IS NULL THEN CAST(NULL AS STRUCT("w" STRUCT("v" DOUBLE, "s" BOOLEAN), "b" STRUCT("v" DOUBLE, "s" BOOLEAN))) ELSE {'w': {'v': struct_extract("_v24", 'w'), 's': signbit(struct_extract("_v24", 'w'))}, 'b': {'v': struct_extract("_v24", 'b'), 's': signbit(struct_extract("_v24", 'b'))}} END), CAST(1 AS BIGINT))
                    FROM (
                      SELECT
                        sum((CAST('-1' AS DOUBLE) * "t20"."y" + CASE WHEN "_v16" * "t20"."x" + "_v17" >= CAST('0' AS DOUBLE) THEN CAST('1' AS DOUBLE) / (CAST('1' AS DOUBLE) + exp(-("_v16" * "t20"."x" + "_v17"))) ELSE exp("_v16" * "t20"."x" + "_v17") / (CAST('1' AS DOUBLE) + exp("_v16" * "t20"."x" + "_v17")) END) * "t20"."x") AS "a0",
                        sum(CAST('-1' AS DOUBLE) * "t20"."y" + CASE WHEN "_v16" * "t20"."x" + "_v17" >= CAST('0' AS DOUBLE) THEN CAST('1' AS DOUBLE) / (CAST('1' AS DOUBLE) + exp(-("_v16" * "t20"."x" + "_v17"))) ELSE exp("_v16" * "t20"."x" + "_v17") / (CAST('1' AS DOUBLE) + exp("_v16" * "t20"."x" + "_v17")) END) AS "a1",
                        count(*) AS "a2"
                      FROM (
                        SELECT
                          struct_extract("u18"."r", 'x') AS "x",
                          struct_extract("u18"."r", 'y') AS "y",
                          "u18"."o" AS "__o0"
                        FROM (
                          SELECT CAST(CASE WHEN struct_extract(CAST({'rows': CAST([CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE))] AS STRUCT("x" DOUBLE, "y" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("x" DOUBLE, "y" DOUBLE)[], "global" BOOLEAN)), 'rows') IS NULL THEN CAST(error('IRC:InvalidArgument:1:TableParallelize of a missing rows array') AS STRUCT("x" DOUBLE, "y" DOUBLE)[]) ELSE struct_extract(CAST({'rows': CAST([CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('0' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('1' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE)), CAST({'x': CAST('1' AS DOUBLE), 'y': CAST('0' AS DOUBLE)} AS STRUCT("x" DOUBLE, "y" DOUBLE))] AS STRUCT("x" DOUBLE, "y" DOUBLE)[]), 'global': TRUE} AS STRUCT("rows" STRUCT("x" DOUBLE, "y" DOUBLE)[], "global" BOOLEAN)), 'rows') END AS STRUCT("x" DOUBLE, "y" DOUBLE)[]) AS "rs"
                        ) AS "p19"
                        CROSS JOIN LATERAL unnest("p19"."rs") WITH ORDINALITY AS "u18"("r", "o")
                      ) AS "t20"
                      GROUP BY ()
                    ) AS "a21"
                  )], lambda "_v25": CASE WHEN "_v25" IS NULL THEN CAST(NULL AS STRUCT("w" DOUBLE, "b" DOUBLE)) ELSE {'w': CASE WHEN struct_extract(struct_extract("_v25", 'w'), 's') AND struct_extract(struct_extract("_v25", 'w'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v25", 'w'), 'v') END, 'b': CASE WHEN struct_extract(struct_extract("_v25", 'b'), 's') AND struct_extract(struct_extract("_v25", 'b'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v25", 'b'), 'v') END} END), CAST(1 AS BIGINT))] AS "a0",
                  "_v16" AS "r0",
                  "_v17" AS "r1"
              ) AS "_env2"
            ), CAST(1 AS BIGINT))
            FROM (
              SELECT struct_extract((
                SELECT "w15"."acc"
                FROM "fold13" AS "w15"
              ), 'b') AS "_v17"
            ) AS "s27"
          )
          FROM (
            SELECT struct_extract((
              SELECT "w15"."acc"
              FROM "fold13" AS "w15"
            ), 'w') AS "_v16"
          ) AS "s28"
        ) AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "acc"
      FROM "fold13" AS "f14"
      WHERE "f14"."i" < CAST(73 AS BIGINT)
    )
  SELECT "acc"
  FROM "fold13"
  WHERE "i" = CAST(73 AS BIGINT)
) AS STRUCT("w" DOUBLE, "b" DOUBLE)) AS "result";
