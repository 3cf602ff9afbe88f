WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  ),
  "rl_7" AS (
    SELECT list_extract(list_transform([(
      SELECT coalesce("a4"."a0", CAST(0 AS BIGINT))
      FROM (
        SELECT sum(CAST("t3"."idx" AS BIGINT)) AS "a0"
        FROM "t2" AS "t3"
        GROUP BY ()
      ) AS "a4"
    )], lambda "_v6": CASE WHEN "_v6" < CAST('-9223372036854775808' AS HUGEINT) OR "_v6" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v6" AS BIGINT) END), CAST(1 AS BIGINT)) AS "v"
  ),
  "t9" AS (
    SELECT CAST("r8"."range" AS INTEGER) AS "idx"
    FROM range(CAST(100 AS BIGINT)) AS "r8"
  )
SELECT CAST((
  SELECT "a11"."a0"
  FROM (
    SELECT count(*) FILTER (WHERE CAST("t10"."idx" AS BIGINT) < (
      SELECT "v"
      FROM "rl_7"
    )) AS "a0"
    FROM "t9" AS "t10"
    GROUP BY ()
  ) AS "a11"
) AS BIGINT) AS "result";
