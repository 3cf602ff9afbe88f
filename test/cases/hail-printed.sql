WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(5 AS BIGINT)) AS "r1"
  ),
  "t4" AS (
    SELECT "t3"."idx" AS "idx"
    FROM "t2" AS "t3"
    ORDER BY "t3"."idx" ASC NULLS LAST
    LIMIT CAST(2 AS BIGINT)
  ),
  "rl_6" AS (
    SELECT {'rows': (
      SELECT coalesce(list({'idx': "t5"."idx"} ORDER BY "t5"."idx" ASC NULLS LAST, "t5"."idx" ASC NULLS LAST), CAST([] AS STRUCT("idx" INTEGER)[]))
      FROM "t4" AS "t5"
    ), 'global': TRUE} AS "v"
  )
SELECT CAST({'t': {'0': CAST('nan' AS DOUBLE), '2': CAST('-inf' AS DOUBLE)}, 'first': CAST('-inf' AS DOUBLE), 's': 'single '' quoted', 'inf': CAST('inf' AS FLOAT), 'rows': (
  SELECT "v"
  FROM "rl_6"
), 'big': struct_extract(CAST({'x y': CAST(9223372036854775807 AS BIGINT), 'z': CAST([CAST('inf' AS FLOAT), CAST('-0.0' AS FLOAT)] AS FLOAT[])} AS STRUCT("x y" BIGINT, "z" FLOAT[])), 'x y')} AS STRUCT("t" STRUCT("0" DOUBLE, "2" DOUBLE), "first" DOUBLE, "s" VARCHAR, "inf" FLOAT, "rows" STRUCT("rows" STRUCT("idx" INTEGER)[], "global" BOOLEAN), "big" BIGINT)) AS "result";
