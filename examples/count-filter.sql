WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(4 AS BIGINT)) AS "r1"
  ),
  "rl_5" AS (
    SELECT (
      SELECT "a4"."a0"
      FROM (
        SELECT count(*) AS "a0"
        FROM "t2" AS "t3"
        GROUP BY ()
      ) AS "a4"
    ) AS "v"
  ),
  "t7" AS (
    SELECT CAST("r6"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r6"
  )
SELECT CAST((
  SELECT count(*) FILTER (WHERE CAST("t8"."idx" AS BIGINT) < (
    SELECT "v"
    FROM "rl_5"
  ))
  FROM "t7" AS "t8"
) AS BIGINT) AS "result";
