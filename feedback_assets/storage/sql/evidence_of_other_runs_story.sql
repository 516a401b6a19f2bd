-- Evidence filed under run :run_id for a story of another run, or evidence of run :run_id's stories filed
-- under another (or no) run.
SELECT e.story_id, e.conversation_id, e.pipeline_run_id AS evidence_run, s.pipeline_run_id AS story_run
FROM story_evidence e
JOIN stories s ON s.id = e.story_id
WHERE (e.pipeline_run_id = :run_id OR s.pipeline_run_id = :run_id)
  AND (e.pipeline_run_id IS NULL OR s.pipeline_run_id IS NULL OR e.pipeline_run_id <> s.pipeline_run_id)
ORDER BY e.story_id, e.conversation_id
