WITH
  "t2" AS NOT MATERIALIZED (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(1000 AS BIGINT)) AS "r1"
  ),
  "rl_4" AS NOT MATERIALIZED (
    SELECT (
      SELECT count(*)
      FROM "t2" AS "t3"
    ) AS "v"
  ),
  "rl_5" AS NOT MATERIALIZED (
    SELECT CAST((
      SELECT "v"
      FROM "rl_4"
    ) AS DOUBLE) AS "v"
  )
SELECT CAST((
  WITH RECURSIVE
    "fold24"("i", "acc", "u0") AS (
      SELECT
        CAST(0 AS BIGINT) AS "i",
        CAST(CAST('0' AS DOUBLE) AS DOUBLE) AS "acc",
        (
          SELECT "v"
          FROM "rl_5"
        ) AS "u0"
      UNION ALL
      SELECT
        "f25"."i" + CAST(1 AS BIGINT) AS "i",
        CAST("f25"."acc" - CAST('0.5' AS DOUBLE) * (
          SELECT list_extract(list_transform([(
            SELECT "w26"."u0"
            FROM "fold24" AS "w26"
          )], lambda "_v32": CASE WHEN "_v32" = CAST('0' AS DOUBLE) THEN CASE
              WHEN "_v31" IS NULL THEN CAST(NULL AS DOUBLE)
              WHEN isnan("_v31") OR "_v31" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
              WHEN signbit("_v31") <> signbit("_v32") THEN CAST('-inf' AS DOUBLE)
              ELSE CAST('inf' AS DOUBLE)
            END ELSE "_v31" / "_v32" END), CAST(1 AS BIGINT))
          FROM (
            SELECT (
              SELECT coalesce("a29"."a0", CAST('0' AS DOUBLE))
              FROM (
                SELECT sum(struct_extract({'v': ((
                  SELECT "w26"."acc"
                  FROM "fold24" AS "w26"
                ) * "_r30" - CAST('3' AS DOUBLE) * "_r30") * "_r30", 'a': "t28"."idx"}, 'v')) AS "a0"
                FROM (
                  SELECT
                    "t28".*,
                    CAST("t28"."idx" AS DOUBLE) / CAST('1000' AS DOUBLE) AS "_r30"
                  FROM (
                    SELECT CAST("r27"."range" AS INTEGER) AS "idx"
                    FROM range(CAST(1000 AS BIGINT)) AS "r27"
                  ) AS "t28"
                ) AS "t28"
                GROUP BY ()
              ) AS "a29"
            ) AS "_v31"
          ) AS "s33"
        ) AS DOUBLE) AS "acc",
        "f25"."u0" AS "u0"
      FROM "fold24" AS "f25"
      WHERE "f25"."i" < CAST(100 AS BIGINT)
    )
  SELECT "acc"
  FROM "fold24"
  WHERE "i" = CAST(100 AS BIGINT)
) AS DOUBLE) AS "result";
