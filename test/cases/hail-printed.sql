SELECT CAST({'t': {'0': CAST('nan' AS DOUBLE), '2': CAST('-inf' AS DOUBLE)}, 'first': CAST('-inf' AS DOUBLE), 's': 'single '' quoted', 'inf': CAST('inf' AS FLOAT), 'rows': {'rows': (
  SELECT coalesce(list({'idx': "t3"."idx"} ORDER BY "t3"."idx" ASC NULLS LAST, "t3"."idx" ASC NULLS LAST), CAST([] AS STRUCT("idx" INTEGER)[]))
  FROM (
    SELECT "t2"."idx" AS "idx"
    FROM (
      SELECT CAST("r1"."range" AS INTEGER) AS "idx"
      FROM range(CAST(5 AS BIGINT)) AS "r1"
    ) AS "t2"
    ORDER BY "t2"."idx" ASC NULLS LAST
    LIMIT CAST(2 AS BIGINT)
  ) AS "t3"
), 'global': TRUE}, 'big': struct_extract(CAST({'x y': CAST(9223372036854775807 AS BIGINT), 'z': CAST([CAST('inf' AS FLOAT), CAST('-0.0' AS FLOAT)] AS FLOAT[])} AS STRUCT("x y" BIGINT, "z" FLOAT[])), 'x y')} AS STRUCT("t" STRUCT("0" DOUBLE, "2" DOUBLE), "first" DOUBLE, "s" VARCHAR, "inf" FLOAT, "rows" STRUCT("rows" STRUCT("idx" INTEGER)[], "global" BOOLEAN), "big" BIGINT)) AS "result";
