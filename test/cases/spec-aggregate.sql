WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  )
SELECT CAST((
  SELECT {'n': "a4"."a0", 's': CASE WHEN coalesce("a4"."a1", CAST(0 AS BIGINT)) < CAST('-9223372036854775808' AS HUGEINT) OR coalesce("a4"."a1", CAST(0 AS BIGINT)) > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST(coalesce("a4"."a1", CAST(0 AS BIGINT)) AS BIGINT) END}
  FROM (
    SELECT
      count(*) AS "a0",
      sum(CAST("t3"."idx" AS BIGINT)) AS "a1"
    FROM "t2" AS "t3"
    GROUP BY ()
  ) AS "a4"
) AS STRUCT("n" BIGINT, "s" BIGINT)) AS "result";
