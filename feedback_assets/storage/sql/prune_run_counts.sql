-- The rows one pipeline run has in every table its deletion cascades to (ON DELETE CASCADE from
-- pipeline_runs), counted in the transaction that deletes it: what `feedback-assets prune` reports.
SELECT
  (SELECT COUNT(*) FROM conversations WHERE pipeline_run_id = :run_id) AS conversations,
  (SELECT COUNT(*) FROM classifications WHERE pipeline_run_id = :run_id) AS classifications,
  (SELECT COUNT(*) FROM themes WHERE pipeline_run_id = :run_id) AS themes,
  (SELECT COUNT(*) FROM stories WHERE pipeline_run_id = :run_id) AS stories,
  (SELECT COUNT(*) FROM story_evidence WHERE pipeline_run_id = :run_id) AS story_evidence,
  (SELECT COUNT(*) FROM story_tracker_links WHERE pipeline_run_id = :run_id) AS story_tracker_links
