WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(12 AS BIGINT)) AS "r1"
  )
SELECT CAST({'count': "a4"."a0", 'sum': coalesce("a4"."a1", CAST('0' AS DOUBLE)), 'product': list_extract(list_transform([CASE WHEN "a4"."a2" > CAST(0 AS BIGINT) THEN CAST('0' AS HUGEINT) ELSE coalesce(list_reduce("a4"."a3", lambda "_a", "_b": CASE WHEN abs("_a") > CAST('9223372036854775808' AS HUGEINT) THEN "_a" ELSE "_a" * "_b" END, CAST('1' AS HUGEINT)), CAST('1' AS HUGEINT)) END], lambda "_v5": CASE WHEN "_v5" < CAST('-9223372036854775808' AS HUGEINT) OR "_v5" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v5" AS BIGINT) END), CAST(1 AS BIGINT)), 'min': "a4"."a4", 'max': "a4"."a5", 'collect': coalesce("a4"."a6", CAST([] AS INTEGER[])), 'set': coalesce("a4"."a7", CAST([] AS INTEGER[])), 'take': CASE WHEN CAST(2 AS INTEGER) IS NULL OR CAST(2 AS INTEGER) < CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:1:Take with a missing or negative count') AS INTEGER[]) ELSE list_slice(coalesce("a4"."a8", CAST([] AS INTEGER[])), CAST(1 AS BIGINT), CAST(CAST(2 AS INTEGER) AS BIGINT)) END, 'prev': CASE WHEN "a4"."a10" THEN -abs("a4"."a9") ELSE "a4"."a9" END, 'evens': "a4"."a11", 'exploded': list_extract(list_transform([coalesce((
  SELECT "a9"."a0"
  FROM (
    SELECT sum(CAST("x8"."e" AS BIGINT)) AS "a0"
    FROM "t2" AS "t7"
    CROSS JOIN LATERAL unnest(CAST(CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:3:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), "t7"."idx", CAST(1 AS INTEGER)) AS INTEGER[]) END AS INTEGER[])) WITH ORDINALITY AS "x8"("e", "i")
    GROUP BY ()
  ) AS "a9"
), CAST(0 AS BIGINT))], lambda "_v10": CASE WHEN "_v10" < CAST('-9223372036854775808' AS HUGEINT) OR "_v10" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:4:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v10" AS BIGINT) END), CAST(1 AS BIGINT)), 'grouped': CAST((
  SELECT coalesce(list({'key': "g13"."k", 'value': "g13"."a1"} ORDER BY "g13"."k" ASC NULLS LAST), CAST([] AS STRUCT("key" INTEGER, "value" BIGINT)[]))
  FROM (
    SELECT
      CASE
        WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:5:integer modulo by zero') AS INTEGER)
        WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
        ELSE list_extract(list_transform(["t11"."idx" % CAST(3 AS INTEGER)], lambda "_v12": CASE WHEN "_v12" <> CAST(0 AS INTEGER) AND ("_v12" < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "_v12" + CAST(3 AS INTEGER) ELSE "_v12" END), CAST(1 AS BIGINT))
      END AS "k",
      count(*) AS "a1"
    FROM "t2" AS "t11"
    GROUP BY CASE
      WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:5:integer modulo by zero') AS INTEGER)
      WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
      ELSE list_extract(list_transform(["t11"."idx" % CAST(3 AS INTEGER)], lambda "_v12": CASE WHEN "_v12" <> CAST(0 AS INTEGER) AND ("_v12" < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "_v12" + CAST(3 AS INTEGER) ELSE "_v12" END), CAST(1 AS BIGINT))
    END
  ) AS "g13"
) AS STRUCT("key" INTEGER, "value" BIGINT)[]), 'perElement': (
  SELECT CASE
    WHEN "_v15" IS NULL THEN CAST(NULL AS BIGINT[])
    WHEN (
      SELECT min(len(CAST(["t16"."idx", CAST(1 AS INTEGER)] AS INTEGER[])))
      FROM "t2" AS "t16"
      WHERE CAST(["t16"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) <> "_v15" OR (
      SELECT max(len(CAST(["t17"."idx", CAST(1 AS INTEGER)] AS INTEGER[])))
      FROM "t2" AS "t17"
      WHERE CAST(["t17"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) <> "_v15" THEN CAST(error('IRC:InvalidArgument:7:AggArrayPerElement over arrays of different lengths') AS BIGINT[])
    ELSE (
      SELECT coalesce(list(list_extract(list_transform([(
        SELECT coalesce("a20"."a0", CAST(0 AS BIGINT))
        FROM (
          SELECT sum(CAST(list_extract(CAST(["t19"."idx", CAST(1 AS INTEGER)] AS INTEGER[]), "p18"."j" + CAST(1 AS BIGINT)) AS BIGINT)) AS "a0"
          FROM "t2" AS "t19"
          WHERE CAST(["t19"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL AND len(CAST(["t19"."idx", CAST(1 AS INTEGER)] AS INTEGER[])) > "p18"."j"
          GROUP BY ()
        ) AS "a20"
      )], lambda "_v22": CASE WHEN "_v22" < CAST('-9223372036854775808' AS HUGEINT) OR "_v22" > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:6:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST("_v22" AS BIGINT) END), CAST(1 AS BIGINT)) ORDER BY "p18"."j" ASC), CAST([] AS BIGINT[]))
      FROM range("_v15") AS "p18"("j")
    )
  END
  FROM (
    SELECT (
      SELECT first(len(CAST(["t14"."idx", CAST(1 AS INTEGER)] AS INTEGER[])) ORDER BY "t14"."idx" ASC NULLS LAST)
      FROM "t2" AS "t14"
      WHERE CAST(["t14"."idx", CAST(1 AS INTEGER)] AS INTEGER[]) IS NOT NULL
      GROUP BY ()
    ) AS "_v15"
  ) AS "s23"
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
      ELSE list_extract(list_transform(["t3"."idx" % CAST(2 AS INTEGER)], lambda "_v6": CASE WHEN "_v6" <> CAST(0 AS INTEGER) AND ("_v6" < CAST(0 AS INTEGER)) <> (CAST(2 AS INTEGER) < CAST(0 AS INTEGER)) THEN "_v6" + CAST(2 AS INTEGER) ELSE "_v6" END), CAST(1 AS BIGINT))
    END = CAST(0 AS INTEGER)) AS "a11"
  FROM "t2" AS "t3"
  GROUP BY ()
) AS "a4";
