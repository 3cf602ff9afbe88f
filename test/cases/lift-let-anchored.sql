WITH
  "t3" AS (
    SELECT CAST("r2"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r2"
  ),
  "t5" AS (
    SELECT "t4"."idx" AS "idx"
    FROM "t3" AS "t4"
    WHERE "t4"."idx" < CAST(4 AS INTEGER)
  ),
  "v7" AS (
    SELECT (
      SELECT count(*)
      FROM "t5" AS "t6"
    ) AS "v"
  ),
  "t12" AS (
    SELECT CAST("r11"."range" AS INTEGER) AS "idx"
    FROM range(CAST(5 AS BIGINT)) AS "r11"
  ),
  "v14" AS (
    SELECT (
      SELECT count(*)
      FROM "t12" AS "t13"
    ) AS "v"
  ),
  "v19" AS (
    SELECT (
      SELECT CASE WHEN "_v15" IS NULL THEN CAST(NULL AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[]) ELSE coalesce((
          SELECT list({'0': (
            SELECT "v"
            FROM "v7"
            LIMIT CAST(1 AS BIGINT)
          ), '1': (
            SELECT count(*)
            FROM (
              SELECT "t9"."idx" AS "idx"
              FROM (
                SELECT CAST("r8"."range" AS INTEGER) AS "idx"
                FROM range(CASE WHEN "_o17" IS NOT NULL THEN CAST(10 AS BIGINT) END) AS "r8"
                WHERE "_o17" IS NOT NULL
              ) AS "t9"
              WHERE "t9"."idx" < "_x1"
            ) AS "t10"
          ), '2': (
            SELECT "v"
            FROM "v14"
            LIMIT CAST(1 AS BIGINT)
          )} ORDER BY "_o17" ASC)
          FROM unnest(CAST("_v15" AS INTEGER[])) WITH ORDINALITY AS "u16"("_x1", "_o17")
          WHERE NOT coalesce("_v15" IS NULL, FALSE)
        ), CAST([] AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[])) END
      FROM (
        SELECT CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:0:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), CAST(3 AS INTEGER), CAST(1 AS INTEGER)) AS INTEGER[]) END AS "_v15"
      ) AS "s18"
    ) AS "v"
  ),
  "v20" AS (
    SELECT (
      SELECT "v"
      FROM "v19"
    ) AS "v"
  )
SELECT CAST((
  SELECT "v"
  FROM "v20"
) AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[]) AS "result";
