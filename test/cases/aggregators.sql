WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(12 AS BIGINT)) AS "r1"
  )
SELECT CAST({'count': "a4"."a0", 'sum': coalesce("a4"."a1", CAST('0' AS DOUBLE)), 'product': list_extract(list_transform([CASE WHEN "a4"."a2" > CAST(0 AS BIGINT) THEN CAST('0' AS HUGEINT) ELSE coalesce(list_reduce("a4"."a3", lambda "_a", "_b": CASE WHEN abs("_a") > CAST('9223372036854775808' AS HUGEINT) THEN "_a" ELSE "_a" * "_b" END, CAST('1' AS HUGEINT)), CAST('1' AS HUGEINT)) END], lambda "_v5": CASE WHEN "_v5" < CAST('-9223372036854775808' AS HUGEINT) OR "_v5" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v5" AS BIGINT) END), CAST(1 AS BIGINT)), 'min': "a4"."a4", 'max': "a4"."a5", 'collect': coalesce("a4"."a6", CAST([] AS INTEGER[])), 'set': coalesce("a4"."a7", CAST([] AS INTEGER[])), 'take': CASE WHEN CAST(2 AS INTEGER) IS NULL OR CAST(2 AS INTEGER) < CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:1:Take with a missing or negative count') AS INTEGER[]) ELSE list_slice(coalesce("a4"."a8", CAST([] AS INTEGER[])), CAST(1 AS BIGINT), CAST(CAST(2 AS INTEGER) AS BIGINT)) END, 'prev': CASE WHEN "a4"."a10" THEN -abs("a4"."a9") ELSE "a4"."a9" END, 'evens': "a4"."a11", 'exploded': list_extract(list_transform([(
  SELECT "a9"."a0"
  FROM (
    SELECT sum(CAST("x8"."e" AS BIGINT)) AS "a0"
    FROM "t2" AS "t7"
    CROSS JOIN LATERAL unnest(CAST(CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:3:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), "t7"."idx", CAST(1 AS INTEGER)) AS INTEGER[]) END AS INTEGER[])) WITH ORDINALITY AS "x8"("e", "i")
    GROUP BY ()
  ) AS "a9"
)], lambda "_v11": CASE WHEN coalesce("_v11", CAST(0 AS BIGINT)) < CAST('-9223372036854775808' AS HUGEINT) OR coalesce("_v11", CAST(0 AS BIGINT)) > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:4:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST(coalesce("_v11", CAST(0 AS BIGINT)) AS BIGINT) END), CAST(1 AS BIGINT)), 'grouped': CAST((
  SELECT coalesce(list({'key': "g14"."k", 'value': "g14"."a1"} ORDER BY "g14"."k" ASC NULLS LAST), CAST([] AS STRUCT("key" INTEGER, "value" BIGINT)[]))
  FROM (
    SELECT
      CASE
        WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:5:integer modulo by zero') AS INTEGER)
        WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
        ELSE CASE WHEN "t12"."idx" % CAST(3 AS INTEGER) <> CAST(0 AS INTEGER) AND ("t12"."idx" % CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "t12"."idx" % CAST(3 AS INTEGER) + CAST(3 AS INTEGER) ELSE "t12"."idx" % CAST(3 AS INTEGER) END
      END AS "k",
      count(*) AS "a1"
    FROM "t2" AS "t12"
    GROUP BY CASE
      WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:5:integer modulo by zero') AS INTEGER)
      WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
      ELSE CASE WHEN "t12"."idx" % CAST(3 AS INTEGER) <> CAST(0 AS INTEGER) AND ("t12"."idx" % CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "t12"."idx" % CAST(3 AS INTEGER) + CAST(3 AS INTEGER) ELSE "t12"."idx" % CAST(3 AS INTEGER) END
    END
  ) AS "g14"
) AS STRUCT("key" INTEGER, "value" BIGINT)[]), 'perElement': (
  SELECT CASE
    WHEN "_v16" IS NULL THEN CAST(NULL AS BIGINT[])
    WHEN (
      SELECT min(len(CAST(["t17"."idx", CAST(1 AS INTEGER)] AS INTEGER[])))
      FROM "t2" AS "t17"
      WHERE CAST(["t17"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) <> "_v16" OR (
      SELECT max(len(CAST(["t18"."idx", CAST(1 AS INTEGER)] AS INTEGER[])))
      FROM "t2" AS "t18"
      WHERE CAST(["t18"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) <> "_v16" THEN CAST(error('IRC:InvalidArgument:7:AggArrayPerElement over arrays of different lengths') AS BIGINT[])
    ELSE (
      SELECT coalesce(list(list_extract(list_transform([(
        SELECT coalesce("a21"."a0", CAST(0 AS BIGINT))
        FROM (
          SELECT sum(CAST(list_extract(CAST(["t20"."idx", CAST(1 AS INTEGER)] AS INTEGER[]), "p19"."j" + CAST(1 AS BIGINT)) AS BIGINT)) AS "a0"
          FROM "t2" AS "t20"
          WHERE CAST(["t20"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL AND len(CAST(["t20"."idx", CAST(1 AS INTEGER)] AS INTEGER[])) > "p19"."j"
          GROUP BY ()
        ) AS "a21"
      )], lambda "_v23": CASE WHEN "_v23" < CAST('-9223372036854775808' AS HUGEINT) OR "_v23" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:6:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v23" AS BIGINT) END), CAST(1 AS BIGINT)) ORDER BY "p19"."j" ASC), CAST([] AS BIGINT[]))
      FROM range("_v16") AS "p19"("j")
    )
  END
  FROM (
    SELECT (
      SELECT first(len(CAST(["t15"."idx", CAST(1 AS INTEGER)] AS INTEGER[])) ORDER BY "t15"."idx" ASC NULLS LAST)
      FROM "t2" AS "t15"
      WHERE CAST(["t15"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) AS "_v16"
  ) AS "s24"
)} AS STRUCT("count" BIGINT, "sum" DOUBLE, "product" BIGINT, "min" DOUBLE, "max" DOUBLE, "collect" INTEGER[], "set" INTEGER[], "take" INTEGER[], "prev" DOUBLE, "evens" BIGINT, "exploded" BIGINT, "grouped" STRUCT("key" INTEGER, "value" BIGINT)[], "perElement" BIGINT[])) AS "result"
FROM (
  SELECT
    count(*) AS "a0",
    sum(CAST("t3"."idx" AS DOUBLE)) AS "a1",
    count(*) FILTER (WHERE CAST("t3"."idx" AS BIGINT) = CAST(0 AS BIGINT)) AS "a2",
    list(CAST(CAST("t3"."idx" AS BIGINT) AS HUGEINT)) AS "a3",
    min(CAST("t3"."idx" AS DOUBLE)) AS "a4",
    max(CAST("t3"."idx" AS DOUBLE)) AS "a5",
    list("t3"."idx" ORDER BY "t3"."idx" ASC NULLS LAST) AS "a6",
    list(DISTINCT "t3"."idx" ORDER BY "t3"."idx" ASC NULLS LAST) AS "a7",
    list("t3"."idx" ORDER BY "t3"."idx" ASC NULLS LAST) AS "a8",
    last(CAST("t3"."idx" AS DOUBLE) ORDER BY "t3"."idx" ASC NULLS LAST) FILTER (WHERE CAST("t3"."idx" AS DOUBLE) IS NOT NULL) AS "a9",
    last(signbit(CAST("t3"."idx" AS DOUBLE)) ORDER BY "t3"."idx" ASC NULLS LAST) FILTER (WHERE CAST("t3"."idx" AS DOUBLE) IS NOT NULL) AS "a10",
    count(*) FILTER (WHERE CASE
      WHEN CAST(2 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:2:integer modulo by zero') AS INTEGER)
      WHEN CAST(2 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
      ELSE CASE WHEN "t3"."idx" % CAST(2 AS INTEGER) <> CAST(0 AS INTEGER) AND ("t3"."idx" % CAST(2 AS INTEGER) < CAST(0 AS INTEGER)) <> (CAST(2 AS INTEGER) < CAST(0 AS INTEGER)) THEN "t3"."idx" % CAST(2 AS INTEGER) + CAST(2 AS INTEGER) ELSE "t3"."idx" % CAST(2 AS INTEGER) END
    END = CAST(0 AS INTEGER)) AS "a11"
  FROM "t2" AS "t3"
  GROUP BY ()
) AS "a4";
