-- Evidence rows of run :run_id whose story is gone, whose conversation has no theme in run :run_id, or
-- whose theme carries another signature than the story.
SELECT e.story_id, e.conversation_id, s.issue_signature AS story_signature, t.issue_signature AS theme_signature
FROM story_evidence e
LEFT JOIN stories s ON s.id = e.story_id
LEFT JOIN themes t
  ON t.pipeline_run_id = e.pipeline_run_id AND t.conversation_id = e.conversation_id AND t.error IS NULL
WHERE e.pipeline_run_id = :run_id
  AND (s.id IS NULL OR t.conversation_id IS NULL OR t.issue_signature <> s.issue_signature)
ORDER BY e.story_id, e.conversation_id
