WITH
  "t6" AS (
    SELECT CAST("r5"."range" AS INTEGER) AS "idx"
    FROM range(CAST(100 AS BIGINT)) AS "r5"
  ),
  "v15" AS (
    SELECT (
      SELECT count(*)
      FROM "t6" AS "t14"
    ) AS "v"
  ),
  "v16" AS (
    SELECT CAST((
      SELECT "v"
      FROM "v15"
    ) AS DOUBLE) AS "v"
  ),
  "v23" AS (
    SELECT (
      SELECT count(*)
      FROM "t6" AS "t22"
    ) AS "v"
  ),
  "v24" AS (
    SELECT CAST((
      SELECT "v"
      FROM "v23"
    ) AS DOUBLE) AS "v"
  ),
  "v32" AS (
    SELECT (
      SELECT count(*)
      FROM "t6" AS "t31"
    ) AS "v"
  ),
  "v33" AS (
    SELECT CAST((
      SELECT "v"
      FROM "v32"
    ) AS DOUBLE) AS "v"
  ),
  "v41" AS (
    SELECT (
      SELECT count(*)
      FROM "t6" AS "t40"
    ) AS "v"
  ),
  "v42" AS (
    SELECT CAST((
      SELECT "v"
      FROM "v41"
    ) AS DOUBLE) AS "v"
  ),
  "v50" AS (
    SELECT (
      SELECT count(*)
      FROM "t6" AS "t49"
    ) AS "v"
  ),
  "v51" AS (
    SELECT CAST((
      SELECT "v"
      FROM "v50"
    ) AS DOUBLE) AS "v"
  )
SELECT CAST((
  SELECT CAST((
    SELECT coalesce("a48"."a0", CAST('0' AS DOUBLE))
    FROM (
      SELECT sum("_v45" * list_extract(list_transform([(
        SELECT "v"
        FROM "v51"
      )], lambda "_v52": CASE WHEN "_v52" = CAST('0' AS DOUBLE) THEN CASE
          WHEN CAST("t47"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
          WHEN isnan(CAST("t47"."idx" AS DOUBLE)) OR CAST("t47"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
          WHEN signbit(CAST("t47"."idx" AS DOUBLE)) <> signbit("_v52") THEN CAST('-inf' AS DOUBLE)
          ELSE CAST('inf' AS DOUBLE)
        END ELSE CAST("t47"."idx" AS DOUBLE) / "_v52" END), CAST(1 AS BIGINT))) AS "a0"
      FROM (
        SELECT CAST("r46"."range" AS INTEGER) AS "idx"
        FROM range(CAST(100 AS BIGINT)) AS "r46"
      ) AS "t47"
      GROUP BY ()
    ) AS "a48"
  ) AS DOUBLE)
  FROM (
    SELECT (
      SELECT CAST((
        SELECT coalesce("a39"."a0", CAST('0' AS DOUBLE))
        FROM (
          SELECT sum("_v36" * list_extract(list_transform([(
            SELECT "v"
            FROM "v42"
          )], lambda "_v43": CASE WHEN "_v43" = CAST('0' AS DOUBLE) THEN CASE
              WHEN CAST("t38"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
              WHEN isnan(CAST("t38"."idx" AS DOUBLE)) OR CAST("t38"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
              WHEN signbit(CAST("t38"."idx" AS DOUBLE)) <> signbit("_v43") THEN CAST('-inf' AS DOUBLE)
              ELSE CAST('inf' AS DOUBLE)
            END ELSE CAST("t38"."idx" AS DOUBLE) / "_v43" END), CAST(1 AS BIGINT))) AS "a0"
          FROM (
            SELECT CAST("r37"."range" AS INTEGER) AS "idx"
            FROM range(CAST(100 AS BIGINT)) AS "r37"
          ) AS "t38"
          GROUP BY ()
        ) AS "a39"
      ) AS DOUBLE)
      FROM (
        SELECT (
          SELECT CAST((
            SELECT coalesce("a30"."a0", CAST('0' AS DOUBLE))
            FROM (
              SELECT sum("_v27" * list_extract(list_transform([(
                SELECT "v"
                FROM "v33"
              )], lambda "_v34": CASE WHEN "_v34" = CAST('0' AS DOUBLE) THEN CASE
                  WHEN CAST("t29"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                  WHEN isnan(CAST("t29"."idx" AS DOUBLE)) OR CAST("t29"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                  WHEN signbit(CAST("t29"."idx" AS DOUBLE)) <> signbit("_v34") THEN CAST('-inf' AS DOUBLE)
                  ELSE CAST('inf' AS DOUBLE)
                END ELSE CAST("t29"."idx" AS DOUBLE) / "_v34" END), CAST(1 AS BIGINT))) AS "a0"
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
                SELECT coalesce("a21"."a0", CAST('0' AS DOUBLE))
                FROM (
                  SELECT sum("_v18" * list_extract(list_transform([(
                    SELECT "v"
                    FROM "v24"
                  )], lambda "_v25": CASE WHEN "_v25" = CAST('0' AS DOUBLE) THEN CASE
                      WHEN CAST("t20"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                      WHEN isnan(CAST("t20"."idx" AS DOUBLE)) OR CAST("t20"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                      WHEN signbit(CAST("t20"."idx" AS DOUBLE)) <> signbit("_v25") THEN CAST('-inf' AS DOUBLE)
                      ELSE CAST('inf' AS DOUBLE)
                    END ELSE CAST("t20"."idx" AS DOUBLE) / "_v25" END), CAST(1 AS BIGINT))) AS "a0"
                  FROM (
                    SELECT CAST("r19"."range" AS INTEGER) AS "idx"
                    FROM range(CAST(100 AS BIGINT)) AS "r19"
                  ) AS "t20"
                  GROUP BY ()
                ) AS "a21"
              ) AS DOUBLE)
              FROM (
                SELECT CAST((
                  SELECT coalesce("a13"."a0", CAST('0' AS DOUBLE))
                  FROM (
                    SELECT sum(CAST(CAST('0' AS DOUBLE) AS DOUBLE) * list_extract(list_transform([(
                      SELECT "v"
                      FROM "v16"
                    )], lambda "_v17": CASE WHEN "_v17" = CAST('0' AS DOUBLE) THEN CASE
                        WHEN CAST("t12"."idx" AS DOUBLE) IS NULL THEN CAST(NULL AS DOUBLE)
                        WHEN isnan(CAST("t12"."idx" AS DOUBLE)) OR CAST("t12"."idx" AS DOUBLE) = CAST('0' AS DOUBLE) THEN CAST('nan' AS DOUBLE)
                        WHEN signbit(CAST("t12"."idx" AS DOUBLE)) <> signbit("_v17") THEN CAST('-inf' AS DOUBLE)
                        ELSE CAST('inf' AS DOUBLE)
                      END ELSE CAST("t12"."idx" AS DOUBLE) / "_v17" END), CAST(1 AS BIGINT))) AS "a0"
                    FROM (
                      SELECT CAST("r11"."range" AS INTEGER) AS "idx"
                      FROM range(CAST(100 AS BIGINT)) AS "r11"
                    ) AS "t12"
                    GROUP BY ()
                  ) AS "a13"
                ) AS DOUBLE) AS "_v18"
              ) AS "s26"
            ) AS "_v27"
          ) AS "s35"
        ) AS "_v36"
      ) AS "s44"
    ) AS "_v45"
  ) AS "s53"
) AS DOUBLE) AS "result";
