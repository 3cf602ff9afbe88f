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
  "t14" AS (
    SELECT
      "g13"."k0" AS "idx",
      "g13"."a1" AS "n",
      CAST(coalesce("g13"."a2", CAST(0 AS BIGINT)) AS BIGINT) AS "total",
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
  CAST("t15"."idx" AS INTEGER) AS "idx",
  CAST("t15"."n" AS BIGINT) AS "n",
  CAST("t15"."total" AS BIGINT) AS "total",
  CAST("t15"."names" AS VARCHAR[]) AS "names"
FROM "t14" AS "t15"
ORDER BY "t15"."idx" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
