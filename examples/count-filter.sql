WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  ),
  "t5" AS (
    SELECT CAST("r4"."range" AS INTEGER) AS "idx"
    FROM range(CAST(4 AS BIGINT)) AS "r4"
  ),
  "v8" AS (
    SELECT (
      SELECT "a7"."a0"
      FROM (
        SELECT count(*) AS "a0"
        FROM "t5" AS "t6"
        GROUP BY ()
      ) AS "a7"
    ) AS "v"
  ),
  "t9" AS (
    SELECT "t3"."idx" AS "idx"
    FROM "t2" AS "t3"
    WHERE CAST("t3"."idx" AS BIGINT) < (
      SELECT "v"
      FROM "v8"
    )
  )
SELECT CAST((
  SELECT count(*)
  FROM "t9" AS "t10"
) AS BIGINT) AS "result";
