SELECT CAST((
  SELECT {'squares': list_transform("_v1", lambda "_x2": "_x2" * "_x2"), 'evens': list_filter("_v1", lambda "_x3": CASE
    WHEN CAST(2 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:1:integer modulo by zero') AS INTEGER)
    WHEN CAST(2 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
    ELSE CASE WHEN "_x3" % CAST(2 AS INTEGER) <> CAST(0 AS INTEGER) AND ("_x3" % CAST(2 AS INTEGER) < CAST(0 AS INTEGER)) <> (CAST(2 AS INTEGER) < CAST(0 AS INTEGER)) THEN "_x3" % CAST(2 AS INTEGER) + CAST(2 AS INTEGER) ELSE "_x3" % CAST(2 AS INTEGER) END
  END = CAST(0 AS INTEGER) IS NOT DISTINCT FROM TRUE), 'sum': list_reduce("_v1", lambda "_acc5", "_x6": CAST("_acc5" + "_x6" AS INTEGER), CAST(CAST(0 AS INTEGER) AS INTEGER)), 'running': struct_extract(list_reduce(list_prepend({'a': CAST([CAST(CAST(0 AS BIGINT) AS BIGINT)] AS BIGINT[]), 'x': CAST(NULL AS INTEGER)}, list_transform("_v1", lambda "_x8": {'a': CAST(NULL AS BIGINT[]), 'x': "_x8"})), lambda "_acc7", "_x8": {'a': list_append(struct_extract("_acc7", 'a'), CAST(list_extract(struct_extract("_acc7", 'a'), CAST(-1 AS BIGINT)) + CAST(struct_extract("_x8", 'x') AS BIGINT) AS BIGINT)), 'x': CAST(NULL AS INTEGER)}), 'a'), 'pairs': list_extract(list_transform([CASE WHEN CAST(-1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:2:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(5 AS INTEGER), CAST(0 AS INTEGER), CAST(-1 AS INTEGER)) AS INTEGER[]) END], lambda "_v9": CASE WHEN "_v1" IS NULL OR "_v9" IS NULL THEN CAST(NULL AS STRUCT("0" INTEGER, "1" INTEGER)[]) ELSE list_transform(range(least(len("_v1"), len("_v9"))), lambda "_x10": {'0': list_extract("_v1", "_x10" + CAST(1 AS BIGINT)), '1': list_extract("_v9", "_x10" + CAST(1 AS BIGINT))}) END), CAST(1 AS BIGINT)), 'sorted': CAST(list_sort("_v1", 'DESC', 'NULLS LAST') AS INTEGER[]), 'stats': list_extract(list_transform([(
    SELECT list_extract(list_transform([{'mean': list_extract(list_transform([CAST(CASE WHEN coalesce("a12"."a0", CAST(0 AS BIGINT)) < CAST('-9223372036854775808' AS HUGEINT) OR coalesce("a12"."a0", CAST(0 AS BIGINT)) > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:3:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST(coalesce("a12"."a0", CAST(0 AS BIGINT)) AS BIGINT) END AS DOUBLE)], lambda "_v14": CASE WHEN CAST("a12"."a1" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
        WHEN "_v14" IS NULL THEN CAST(NULL AS DOUBLE)
        WHEN isnan("_v14") OR "_v14" = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
        WHEN signbit("_v14") <> signbit(CAST("a12"."a1" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
        ELSE CAST('inf' AS DOUBLE)
      END ELSE "_v14" / CAST("a12"."a1" AS DOUBLE) END), CAST(1 AS BIGINT)), 'top3': CASE WHEN CAST(3 AS INTEGER) IS NULL OR CAST(3 AS INTEGER) < CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:4:TakeBy with a missing or negative count') AS INTEGER[]) ELSE list_slice(coalesce("a12"."a2", CAST([] AS INTEGER[])), CAST(1 AS BIGINT), CAST(CAST(3 AS INTEGER) AS BIGINT)) END}], lambda "_v15": CASE WHEN "_v15" IS NULL THEN CAST(NULL AS STRUCT("mean" STRUCT("v" DOUBLE, "s" BOOLEAN), "top3" INTEGER[])) ELSE {'mean': {'v': struct_extract("_v15", 'mean'), 's': signbit(struct_extract("_v15", 'mean'))}, 'top3': struct_extract("_v15", 'top3')} END), CAST(1 AS BIGINT))
    FROM (
      SELECT
        sum(CAST("u11"."e" AS BIGINT)) AS "a0",
        count(*) AS "a1",
        list("u11"."e" ORDER BY -"u11"."e" ASC NULLS LAST, "u11"."o" ASC) AS "a2"
      FROM unnest(CAST("_v1" AS INTEGER[])) WITH ORDINALITY AS "u11"("e", "o")
      GROUP BY ()
    ) AS "a12"
  )], lambda "_v16": CASE WHEN "_v16" IS NULL THEN CAST(NULL AS STRUCT("mean" DOUBLE, "top3" INTEGER[])) ELSE {'mean': CASE WHEN struct_extract(struct_extract("_v16", 'mean'), 's') AND struct_extract(struct_extract("_v16", 'mean'), 'v') = CAST('0' AS DOUBLE) THEN CAST(CAST('-0.0' AS DOUBLE) AS DOUBLE) ELSE struct_extract(struct_extract("_v16", 'mean'), 'v') END, 'top3': struct_extract("_v16", 'top3')} END), CAST(1 AS BIGINT))}
  FROM (
    SELECT CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:0:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), CAST(10 AS INTEGER), CAST(1 AS INTEGER)) AS INTEGER[]) END AS "_v1"
  ) AS "s17"
) AS STRUCT("squares" INTEGER[], "evens" INTEGER[], "sum" INTEGER, "running" BIGINT[], "pairs" STRUCT("0" INTEGER, "1" INTEGER)[], "sorted" INTEGER[], "stats" STRUCT("mean" DOUBLE, "top3" INTEGER[]))) AS "result";
