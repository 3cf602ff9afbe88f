-- rows
WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(20 AS BIGINT)) AS "r1"
  ),
  "t4" AS (
    SELECT
      "t3"."idx" AS "idx",
      CAST(coalesce("t3"."__w0", CAST(0 AS BIGINT)) AS BIGINT) AS "running"
    FROM (
      SELECT
        "t3".*,
        sum(CAST("t3"."idx" AS BIGINT)) OVER (ORDER BY "t3"."idx" ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "__w0"
      FROM "t2" AS "t3"
    ) AS "t3"
  ),
  "t9" AS (
    SELECT
      "g8"."k0" AS "bucket",
      "g8"."a1" AS "n",
      "g8"."a2" AS "last"
    FROM (
      SELECT
        "t7"."__k_bucket" AS "k0",
        count(*) AS "a1",
        max("t7"."running") AS "a2"
      FROM (
        SELECT
          "t5"."idx" AS "idx",
          "t5"."running" AS "running",
          CASE
            WHEN "t5"."idx" IS NULL OR CAST(3 AS INTEGER) IS NULL THEN CAST(NULL AS INTEGER)
            WHEN CAST(3 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:DivisionByZero:0:integer modulo by zero') AS INTEGER)
            WHEN CAST(3 AS INTEGER) = CAST(-1 AS INTEGER) THEN CAST(0 AS INTEGER)
            ELSE list_extract(list_transform(["t5"."idx" % CAST(3 AS INTEGER)], lambda "_v6": CASE WHEN "_v6" <> CAST(0 AS INTEGER) AND ("_v6" < CAST(0 AS INTEGER)) <> (CAST(3 AS INTEGER) < CAST(0 AS INTEGER)) THEN "_v6" + CAST(3 AS INTEGER) ELSE "_v6" END), CAST(1 AS BIGINT))
          END AS "__k_bucket"
        FROM "t4" AS "t5"
      ) AS "t7"
      GROUP BY "t7"."__k_bucket"
    ) AS "g8"
  )
SELECT
  CAST("t10"."bucket" AS INTEGER) AS "bucket",
  CAST("t10"."n" AS BIGINT) AS "n",
  CAST("t10"."last" AS BIGINT) AS "last"
FROM "t9" AS "t10"
ORDER BY "t10"."bucket" ASC NULLS LAST;

-- global
SELECT CAST(TRUE AS BOOLEAN) AS "global";
