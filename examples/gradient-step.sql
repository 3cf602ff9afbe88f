SELECT CAST((
  WITH RECURSIVE
    "fold17"("i", "acc") AS (
      SELECT
        CAST(0 AS BIGINT) AS "i",
        CAST(CAST('0' AS DOUBLE) AS DOUBLE) AS "acc"
      UNION ALL
      SELECT
        "f18"."i" + CAST(1 AS BIGINT) AS "i",
        CAST("f18"."acc" - (
          SELECT CASE WHEN CAST("a22"."a1" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CASE
              WHEN CAST('1' AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
              WHEN isnan(CAST('1' AS DOUBLE)) OR CAST('1' AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
              WHEN signbit(CAST('1' AS DOUBLE)) <> signbit(CAST("a22"."a1" AS DOUBLE)) THEN CAST('-inf' AS DOUBLE)
              ELSE CAST('inf' AS DOUBLE)
            END ELSE CAST('1' AS DOUBLE) / CAST("a22"."a1" AS DOUBLE) END * coalesce("a22"."a0", CAST('0' AS DOUBLE))
          FROM (
            SELECT
              sum(struct_extract({'v': ((
                SELECT "w19"."acc"
                FROM "fold17" AS "w19"
              ) * "_r23" - CAST('2' AS DOUBLE) * "_r23") * "_r23" + ((
                SELECT "w19"."acc"
                FROM "fold17" AS "w19"
              ) * "_r23" - CAST('2' AS DOUBLE) * "_r23") * "_r23", 'a': "t21"."idx"}, 'v')) AS "a0",
              count(*) AS "a1"
            FROM (
              SELECT
                "t21".*,
                CAST("t21"."idx" AS DOUBLE) / CAST('100' AS DOUBLE) AS "_r23"
              FROM (
                SELECT CAST("r20"."range" AS INTEGER) AS "idx"
                FROM range(CAST(100 AS BIGINT)) AS "r20"
              ) AS "t21"
            ) AS "t21"
            GROUP BY ()
          ) AS "a22"
        ) AS DOUBLE) AS "acc"
      FROM "fold17" AS "f18"
      WHERE "f18"."i" < CAST(10 AS BIGINT)
    )
  SELECT "acc"
  FROM "fold17"
  WHERE "i" = CAST(10 AS BIGINT)
) AS DOUBLE) AS "result";
