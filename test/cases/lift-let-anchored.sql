WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(10 AS BIGINT)) AS "r1"
  ),
  "t4" AS (
    SELECT "t3"."idx" AS "idx"
    FROM "t2" AS "t3"
    WHERE "t3"."idx" < CAST(4 AS INTEGER)
  ),
  "rl_6" AS (
    SELECT (
      SELECT count(*)
      FROM "t4" AS "t5"
    ) AS "v"
  ),
  "t8" AS (
    SELECT CAST("r7"."range" AS INTEGER) AS "idx"
    FROM range(CAST(5 AS BIGINT)) AS "r7"
  ),
  "rl_10" AS (
    SELECT (
      SELECT count(*)
      FROM "t8" AS "t9"
    ) AS "v"
  ),
  "rl_19" AS (
    SELECT (
      SELECT CASE WHEN "_v15" IS NULL THEN CAST(NULL AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[]) ELSE coalesce((
          SELECT list({'0': (
            SELECT "v"
            FROM "rl_6"
            LIMIT CAST(1 AS BIGINT)
          ), '1': (
            SELECT count(*)
            FROM (
              SELECT "t13"."idx" AS "idx"
              FROM (
                SELECT CAST("r12"."range" AS INTEGER) AS "idx"
                FROM range(CASE WHEN "_o17" IS NOT NULL THEN CAST(10 AS BIGINT) END) AS "r12"
                WHERE "_o17" IS NOT NULL
              ) AS "t13"
              WHERE "t13"."idx" < "_x11"
            ) AS "t14"
          ), '2': (
            SELECT "v"
            FROM "rl_10"
            LIMIT CAST(1 AS BIGINT)
          )} ORDER BY "_o17" ASC)
          FROM unnest(CAST("_v15" AS INTEGER[])) WITH ORDINALITY AS "u16"("_x11", "_o17")
          WHERE NOT coalesce("_v15" IS NULL, FALSE)
        ), CAST([] AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[])) END
      FROM (
        SELECT CASE WHEN CAST(1 AS INTEGER) = CAST(0 AS INTEGER) THEN CAST(error('IRC:InvalidArgument:0:StreamRange with step 0') AS INTEGER[]) ELSE CAST(range(CAST(0 AS INTEGER), CAST(3 AS INTEGER), CAST(1 AS INTEGER)) AS INTEGER[]) END AS "_v15"
      ) AS "s18"
    ) AS "v"
  )
SELECT CAST((
  SELECT "v"
  FROM "rl_19"
) AS STRUCT("0" BIGINT, "1" BIGINT, "2" BIGINT)[]) AS "result";
