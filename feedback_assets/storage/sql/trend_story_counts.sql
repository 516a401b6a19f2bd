-- Every story group (candidates and orphans) of the compared runs with its conversation count: one row per
-- (run, signature), already aggregated (conversation_count equals the story's evidence rows, which the
-- stories_consistent check verifies), so neither evidence nor themes are read. Streamed.
SELECT
  s.pipeline_run_id AS run_id,
  s.issue_signature AS signature,
  s.title,
  s.conversation_count,
  s.status
FROM stories s
WHERE s.pipeline_run_id IN :run_ids
ORDER BY s.pipeline_run_id, s.issue_signature
