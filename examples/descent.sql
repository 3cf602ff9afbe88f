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
    "fold22"("i", "acc", "u0") AS (
      SELECT
        CAST(0 AS BIGINT) AS "i",
        CAST(CAST('0' AS DOUBLE) AS DOUBLE) AS "acc",
        (
          SELECT "v"
          FROM "rl_5"
        ) AS "u0"
      UNION ALL
      SELECT
        "f23"."i" + CAST(1 AS BIGINT) AS "i",
        CAST("f23"."acc" - CAST('0.5' AS DOUBLE) * (
          SELECT list_extract(list_transform([(
            SELECT "w24"."u0"
            FROM "fold22" AS "w24"
          )], lambda "_v29": CASE WHEN "_v29" = CAST('0' AS DOUBLE) THEN CASE
              WHEN "_v28" IS NULL THEN CAST(NULL AS DOUBLE)
              WHEN isnan("_v28") OR "_v28" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
              WHEN signbit("_v28") <> signbit("_v29") THEN CAST('-inf' AS DOUBLE)
              ELSE CAST('inf' AS DOUBLE)
            END ELSE "_v28" / "_v29" END), CAST(1 AS BIGINT))
          FROM (
            SELECT (
              SELECT coalesce("a27"."a0", CAST('0' AS DOUBLE))
              FROM (
                SELECT sum(((
                  SELECT "w24"."acc"
                  FROM "fold22" AS "w24"
                ) * (CAST("t26"."idx" AS DOUBLE) / CAST('1000' AS DOUBLE)) - CAST('3' AS DOUBLE) * (CAST("t26"."idx" AS DOUBLE) / CAST('1000' AS DOUBLE))) * (CAST("t26"."idx" AS DOUBLE) / CAST('1000' AS DOUBLE))) AS "a0"
                FROM (
                  SELECT CAST("r25"."range" AS INTEGER) AS "idx"
                  FROM range(CAST(1000 AS BIGINT)) AS "r25"
                ) AS "t26"
                GROUP BY ()
              ) AS "a27"
            ) AS "_v28"
          ) AS "s30"
        ) AS DOUBLE) AS "acc",
        "f23"."u0" AS "u0"
      FROM "fold22" AS "f23"
      WHERE "f23"."i" < CAST(100 AS BIGINT)
    )
  SELECT "acc"
  FROM "fold22"
  WHERE "i" = CAST(100 AS BIGINT)
) AS DOUBLE) AS "result";
