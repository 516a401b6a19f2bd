-- The story groups of the given runs (the latest and the previous compared run) that can make an issue
-- tracked: candidate stories, and the parts of review splits, which may each be orphans. The LIKE is a
-- superset of "<signature>_part<N>"; the domain recognises parts exactly. One row per (run, signature).
SELECT
  s.pipeline_run_id AS run_id,
  s.issue_signature AS signature,
  s.title,
  s.conversation_count,
  s.status
FROM stories s
WHERE s.pipeline_run_id IN :run_ids
  AND (s.status = 'candidate' OR s.issue_signature LIKE '%\_part%' ESCAPE '\')
ORDER BY s.pipeline_run_id, s.issue_signature
