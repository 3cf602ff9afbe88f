WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(4 AS BIGINT)) AS "r1"
  ),
  "v5" AS (
    SELECT (
      SELECT "a4"."a0"
      FROM (
        SELECT count(*) AS "a0"
        FROM "t2" AS "t3"
        GROUP BY ()
      ) AS "a4"
    ) AS "v"
  ),
  "rl_6" AS (
    SELECT (
      SELECT "v"
      FROM "v5"
    ) AS "v"
  ),
  "t8" AS (
    SELECT CAST("r7"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r7"
  ),
  "t10" AS (
    SELECT "t9"."idx" AS "idx"
    FROM "t8" AS "t9"
    WHERE CAST("t9"."idx" AS BIGINT) < (
      SELECT "v"
      FROM "rl_6"
    )
  )
SELECT CAST((
  SELECT count(*)
  FROM "t10" AS "t11"
) AS BIGINT) AS "result";
