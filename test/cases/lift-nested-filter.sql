WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(100 AS BIGINT)) AS "r1"
  ),
  "t5" AS (
    SELECT CAST("r4"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r4"
  ),
  "v10" AS (
    SELECT list_extract(list_transform([(
      SELECT coalesce("a7"."a0", CAST(0 AS BIGINT))
      FROM (
        SELECT sum(CAST("t6"."idx" AS BIGINT)) AS "a0"
        FROM "t5" AS "t6"
        GROUP BY ()
      ) AS "a7"
    )], lambda "_v9": CASE WHEN "_v9" < CAST('-9223372036854775808' AS HUGEINT) OR "_v9" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v9" AS BIGINT) END), CAST(1 AS BIGINT)) AS "v"
  ),
  "t11" AS (
    SELECT "t3"."idx" AS "idx"
    FROM "t2" AS "t3"
    WHERE CAST("t3"."idx" AS BIGINT) < (
      SELECT "v"
      FROM "v10"
    )
  )
SELECT CAST((
  SELECT "a13"."a0"
  FROM (
    SELECT count(*) AS "a0"
    FROM "t11" AS "t12"
    GROUP BY ()
  ) AS "a13"
) AS BIGINT) AS "result";
