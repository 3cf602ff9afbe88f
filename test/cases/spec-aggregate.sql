WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  )
SELECT CAST((
  SELECT {'n': "a4"."a0", 's': CAST(coalesce("a4"."a1", CAST(0 AS BIGINT)) AS BIGINT)}
  FROM (
    SELECT
      count(*) AS "a0",
      sum(CAST("t3"."idx" AS BIGINT)) AS "a1"
    FROM "t2" AS "t3"
    GROUP BY ()
  ) AS "a4"
) AS STRUCT("n" BIGINT, "s" BIGINT)) AS "result";
