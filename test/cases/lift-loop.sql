WITH
  "t2" AS (
    SELECT CAST("r1"."range" AS INTEGER) AS "idx"
    FROM range(CAST(100 AS BIGINT)) AS "r1"
  ),
  "rl_4" AS (
    SELECT (
      SELECT count(*)
      FROM "t2" AS "t3"
    ) AS "v"
  ),
  "rl_5" AS (
    SELECT CAST((
      SELECT "v"
      FROM "rl_4"
    ) AS DOUBLE) AS "v"
  )
SELECT CAST((
  SELECT CAST((
    SELECT coalesce("a36"."a0", CAST('0' AS DOUBLE))
    FROM (
      SELECT sum("_v33" * list_extract(list_transform([(
        SELECT "v"
        FROM "rl_5"
      )], lambda "_v37": CASE WHEN "_v37" = CAST('0' AS DOUBLE) THEN CASE
          WHEN CAST("t35"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan(CAST("t35"."idx" AS DOUBLE)) OR CAST("t35"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit(CAST("t35"."idx" AS DOUBLE)) <> signbit("_v37") THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE CAST("t35"."idx" AS DOUBLE) / "_v37" END), CAST(1 AS BIGINT))) AS "a0"
      FROM (
        SELECT CAST("r34"."range" AS INTEGER) AS "idx"
        FROM range(CAST(100 AS BIGINT)) AS "r34"
      ) AS "t35"
      GROUP BY ()
    ) AS "a36"
  ) AS DOUBLE)
  FROM (
    SELECT (
      SELECT CAST((
        SELECT coalesce("a30"."a0", CAST('0' AS DOUBLE))
        FROM (
          SELECT sum("_v27" * list_extract(list_transform([(
            SELECT "v"
            FROM "rl_5"
          )], lambda "_v31": CASE WHEN "_v31" = CAST('0' AS DOUBLE) THEN CASE
              WHEN CAST("t29"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
              WHEN isnan(CAST("t29"."idx" AS DOUBLE)) OR CAST("t29"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
              WHEN signbit(CAST("t29"."idx" AS DOUBLE)) <> signbit("_v31") THEN CAST('-inf' AS DOUBLE)
              ELSE CAST('inf' AS DOUBLE)
            END ELSE CAST("t29"."idx" AS DOUBLE) / "_v31" END), CAST(1 AS BIGINT))) AS "a0"
          FROM (
            SELECT CAST("r28"."range" AS INTEGER) AS "idx"
            FROM range(CAST(100 AS BIGINT)) AS "r28"
          ) AS "t29"
          GROUP BY ()
        ) AS "a30"
      ) AS DOUBLE)
      FROM (
        SELECT (
          SELECT CAST((
            SELECT coalesce("a24"."a0", CAST('0' AS DOUBLE))
            FROM (
              SELECT sum("_v21" * list_extract(list_transform([(
                SELECT "v"
                FROM "rl_5"
              )], lambda "_v25": CASE WHEN "_v25" = CAST('0' AS DOUBLE) THEN CASE
                  WHEN CAST("t23"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                  WHEN isnan(CAST("t23"."idx" AS DOUBLE)) OR CAST("t23"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                  WHEN signbit(CAST("t23"."idx" AS DOUBLE)) <> signbit("_v25") THEN CAST('-inf' AS DOUBLE)
                  ELSE CAST('inf' AS DOUBLE)
                END ELSE CAST("t23"."idx" AS DOUBLE) / "_v25" END), CAST(1 AS BIGINT))) AS "a0"
              FROM (
                SELECT CAST("r22"."range" AS INTEGER) AS "idx"
                FROM range(CAST(100 AS BIGINT)) AS "r22"
              ) AS "t23"
              GROUP BY ()
            ) AS "a24"
          ) AS DOUBLE)
          FROM (
            SELECT (
              SELECT CAST((
                SELECT coalesce("a18"."a0", CAST('0' AS DOUBLE))
                FROM (
                  SELECT sum("_v15" * list_extract(list_transform([(
                    SELECT "v"
                    FROM "rl_5"
                  )], lambda "_v19": CASE WHEN "_v19" = CAST('0' AS DOUBLE) THEN CASE
                      WHEN CAST("t17"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                      WHEN isnan(CAST("t17"."idx" AS DOUBLE)) OR CAST("t17"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                      WHEN signbit(CAST("t17"."idx" AS DOUBLE)) <> signbit("_v19") THEN CAST('-inf' AS DOUBLE)
                      ELSE CAST('inf' AS DOUBLE)
                    END ELSE CAST("t17"."idx" AS DOUBLE) / "_v19" END), CAST(1 AS BIGINT))) AS "a0"
                  FROM (
                    SELECT CAST("r16"."range" AS INTEGER) AS "idx"
                    FROM range(CAST(100 AS BIGINT)) AS "r16"
                  ) AS "t17"
                  GROUP BY ()
                ) AS "a18"
              ) AS DOUBLE)
              FROM (
                SELECT CAST((
                  SELECT coalesce("a13"."a0", CAST('0' AS DOUBLE))
                  FROM (
                    SELECT sum(CAST(CAST('0' AS DOUBLE) AS DOUBLE) * list_extract(list_transform([(
                      SELECT "v"
                      FROM "rl_5"
                    )], lambda "_v14": CASE WHEN "_v14" = CAST('0' AS DOUBLE) THEN CASE
                        WHEN CAST("t12"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                        WHEN isnan(CAST("t12"."idx" AS DOUBLE)) OR CAST("t12"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                        WHEN signbit(CAST("t12"."idx" AS DOUBLE)) <> signbit("_v14") THEN CAST('-inf' AS DOUBLE)
                        ELSE CAST('inf' AS DOUBLE)
                      END ELSE CAST("t12"."idx" AS DOUBLE) / "_v14" END), CAST(1 AS BIGINT))) AS "a0"
                    FROM (
                      SELECT CAST("r11"."range" AS INTEGER) AS "idx"
                      FROM range(CAST(100 AS BIGINT)) AS "r11"
                    ) AS "t12"
                    GROUP BY ()
                  ) AS "a13"
                ) AS DOUBLE) AS "_v15"
              ) AS "s20"
            ) AS "_v21"
          ) AS "s26"
        ) AS "_v27"
      ) AS "s32"
    ) AS "_v33"
  ) AS "s38"
) AS DOUBLE) AS "result";
