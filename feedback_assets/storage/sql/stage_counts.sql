-- What each stage of run :run_id had to process and what it wrote (rows that record a failure are counted
-- apart: a stage whose every row is a failure wrote nothing usable).
SELECT
  (SELECT count(*) FROM conversations WHERE pipeline_run_id = :run_id) AS conversations,
  (SELECT count(*) FROM conversations WHERE pipeline_run_id = :run_id AND quality_pass) AS quality_passed,
  (SELECT count(*) FROM classifications WHERE pipeline_run_id = :run_id) AS classifications,
  (SELECT count(*) FROM classifications WHERE pipeline_run_id = :run_id AND error IS NULL) AS classified,
  (SELECT count(*) FROM classifications
     WHERE pipeline_run_id = :run_id AND error IS NULL AND final_type IN :actionable_types) AS actionable,
  (SELECT count(*) FROM themes WHERE pipeline_run_id = :run_id) AS themes,
  (SELECT count(*) FROM themes WHERE pipeline_run_id = :run_id AND error IS NULL) AS themed,
  (SELECT count(*) FROM stories WHERE pipeline_run_id = :run_id) AS stories
