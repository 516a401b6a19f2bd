-- Themes of run :run_id that are not in exactly one story or orphan group.
SELECT t.conversation_id, t.issue_signature, count(e.story_id) AS groups
FROM themes t
LEFT JOIN story_evidence e
  ON e.pipeline_run_id = t.pipeline_run_id AND e.conversation_id = t.conversation_id
WHERE t.pipeline_run_id = :run_id AND t.error IS NULL
GROUP BY t.conversation_id, t.issue_signature
HAVING count(e.story_id) <> 1
ORDER BY t.conversation_id
