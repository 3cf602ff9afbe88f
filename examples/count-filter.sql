WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  ),
  "t7" AS (
    SELECT "t3"."idx" AS "idx"
    FROM "t2" AS "t3"
    WHERE CAST("t3"."idx" AS BIGINT) < (
      SELECT "a6"."a0"
      FROM (
        SELECT count(*) AS "a0"
        FROM (
          SELECT CAST("r4"."range" AS INTEGER) AS "idx"
          FROM range(CAST(4 AS BIGINT)) AS "r4"
        ) AS "t5"
        GROUP BY ()
      ) AS "a6"
    )
  )
SELECT CAST((
  SELECT count(*)
  FROM "t7" AS "t8"
) AS BIGINT) AS "result";
