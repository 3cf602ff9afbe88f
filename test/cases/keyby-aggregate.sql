-- rows
WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(20 AS BIGINT)) AS "r1"
  ),
  "t5" AS (
    SELECT
      "t3"."idx" AS "idx",
      CASE WHEN coalesce("t3"."__w0", CAST(0 AS BIGINT)) < CAST('-9223372036854775808' AS HUGEINT) OR coalesce("t3"."__w0", CAST(0 AS BIGINT)) > CAST('9223372036854775807' AS HUGEINT) THEN CAST(error('IRC:IntegerOverflow:0:aggregation result out of the Int64 range') AS BIGINT) ELSE CAST(coalesce("t3"."__w0", CAST(0 AS BIGINT)) AS BIGINT) END AS "running"
    FROM (
      SELECT
        "t3".*,
        sum(CAST("t3"."idx" AS BIGINT)) OVER (ORDER BY "t3"."idx" ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "__w0"
      FROM "t2" AS "t3"
    ) AS "t3"
  ),
  "t10" AS (
    SELECT
      "g9"."k0" AS "bucket",
      "g9"."a1" AS "n",
      "g9"."a2" AS "last"
    FROM (
      SELECT
        "t8"."__k_bucket" AS "k0",
        count(*) AS "a1",
        max("t8"."running") AS "a2"
      FROM (
        SELECT
          "t6"."idx" AS "idx",
          "t6"."running" AS "running",
          CASE
            WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:1:integer modulo by zero') AS INTEGER)
            WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
            ELSE CASE WHEN "t6"."idx" % CAST(3 AS INTEGER) <> CAST(0 AS INTEGER) AND ("t6"."idx" % CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "t6"."idx" % CAST(3 AS INTEGER) + CAST(3 AS INTEGER) ELSE "t6"."idx" % CAST(3 AS INTEGER) END
          END AS "__k_bucket"
        FROM "t5" AS "t6"
      ) AS "t8"
      GROUP BY "t8"."__k_bucket"
    ) AS "g9"
  )
SELECT
  CAST("t11"."bucket" AS INTEGER) AS "bucket",
  CAST("t11"."n" AS BIGINT) AS "n",
  CAST("t11"."last" AS BIGINT) AS "last"
FROM "t10" AS "t11"
ORDER BY "t11"."bucket" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
