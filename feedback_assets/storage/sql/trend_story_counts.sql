-- Every story group (candidates and orphans) of the compared runs with its conversation count: one row per
-- (run, signature), already aggregated (conversation_count equals the story's evidence rows, which the
-- stories_consistent check verifies), so neither evidence nor themes are read. Streamed. A pruned run's
-- groups come from issue_count_history, copied from its stories in the transaction that removed them.
SELECT run_id, signature, title, conversation_count, status
FROM (
  SELECT
    s.pipeline_run_id AS run_id,
    s.issue_signature AS signature,
    s.title,
    s.conversation_count,
    s.status
  FROM stories s
  WHERE s.pipeline_run_id IN :run_ids
  UNION ALL
  SELECT
    h.pipeline_run_id AS run_id,
    h.issue_signature AS signature,
    h.title,
    h.conversation_count,
    h.status
  FROM issue_count_history h
  WHERE h.pipeline_run_id IN :run_ids
    AND NOT EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.id = h.pipeline_run_id)
) story_groups
ORDER BY run_id, signature
