-- A join side may raise: DuckDB must not prune it from statistics (the program's errors).
SET disabled_optimizers = 'statistics_propagation';

-- rows
WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(6 AS BIGINT)) AS "r1"
  ),
  "t4" AS (
    SELECT
      "t3"."idx" AS "idx",
      "t3"."idx" * "t3"."idx" AS "sq"
    FROM "t2" AS "t3"
  ),
  "t6" AS (
    SELECT CAST("r5"."range" AS INTEGER) AS "idx"
    FROM range(CAST(3 AS BIGINT)) AS "r5"
  ),
  "t8" AS (
    SELECT
      "t7"."idx" AS "idx",
      'right' AS "v"
    FROM "t6" AS "t7"
  ),
  "t11" AS (
    SELECT
      coalesce("t9"."idx", "t10"."idx") AS "idx",
      "t9"."sq" AS "sq",
      "t10"."v" AS "w",
      "t9"."__left" IS NULL AS "__o0",
      "t9"."idx" AS "__o1",
      "t10"."idx" AS "__o2"
    FROM (
      SELECT
        "t9".*,
        TRUE AS "__left"
      FROM "t4" AS "t9"
    ) AS "t9"
    LEFT JOIN "t8" AS "t10" ON "t9"."idx" = "t10"."idx"
  ),
  "t15" AS (
    SELECT
      "g13"."k0" AS "idx",
      "g13"."a1" AS "n",
      CASE WHEN coalesce("g13"."a2", CAST(0 AS BIGINT)) < CAST('-9223372036854775808' AS HUGEINT) OR coalesce("g13"."a2", CAST(0 AS BIGINT)) > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST(coalesce("g13"."a2", CAST(0 AS BIGINT)) AS BIGINT) END AS "total",
      coalesce("g13"."a3", CAST([] AS VARCHAR[])) AS "names"
    FROM (
      SELECT
        "t12"."idx" AS "k0",
        count(*) AS "a1",
        sum(CAST("t12"."sq" AS BIGINT)) AS "a2",
        list(DISTINCT "t12"."w" ORDER BY "t12"."w" ASC NULLS LAST) AS "a3"
      FROM "t11" AS "t12"
      GROUP BY "t12"."idx"
    ) AS "g13"
  )
SELECT
  CAST("t16"."idx" AS INTEGER) AS "idx",
  CAST("t16"."n" AS BIGINT) AS "n",
  CAST("t16"."total" AS BIGINT) AS "total",
  CAST("t16"."names" AS VARCHAR[]) AS "names"
FROM "t15" AS "t16"
ORDER BY "t16"."idx" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
