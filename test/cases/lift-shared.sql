WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  ),
  "rl_9" AS (
    SELECT list_extract(list_transform([(
      SELECT coalesce("a4"."a0", CAST(0 AS BIGINT))
      FROM (
        SELECT sum(list_reduce(CAST(CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:0:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), "t3"."idx", CAST(1 AS INTEGER)) AS INTEGER[]) END AS BIGINT[]), lambda "_acc5", "_x6": CAST("_acc5" + CAST(CAST("_x6" AS INTEGER) AS BIGINT) AS BIGINT), CAST(CAST(0 AS BIGINT) AS BIGINT))) AS "a0"
        FROM "t2" AS "t3"
        GROUP BY ()
      ) AS "a4"
    )], lambda "_v8": CASE WHEN "_v8" < CAST('-9223372036854775808' AS HUGEINT) OR "_v8" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:1:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v8" AS BIGINT) END), CAST(1 AS BIGINT)) AS "v"
  )
SELECT CAST({'a': (
  SELECT "v"
  FROM "rl_9"
), 'b': (
  SELECT "v"
  FROM "rl_9"
)} AS STRUCT("a" BIGINT, "b" BIGINT)) AS "result";
