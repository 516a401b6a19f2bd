-- The story groups of the given runs (the latest and the previous compared run) that can make an issue
-- tracked: candidate stories, and the parts of review splits, which may each be orphans. The LIKE is a
-- superset of "<signature>_part<N>"; the domain recognises parts exactly. One row per (run, signature),
-- from stories, or from issue_count_history for a pruned run.
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
WHERE status = 'candidate' OR signature LIKE '%\_part%' ESCAPE '\'
ORDER BY run_id, signature
