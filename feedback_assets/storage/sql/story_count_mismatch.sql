-- Stories of run :run_id whose conversation_count differs from their number of evidence rows.
SELECT s.id, s.issue_signature, s.conversation_count, count(e.conversation_id) AS evidence_rows
FROM stories s
LEFT JOIN story_evidence e ON e.story_id = s.id AND e.pipeline_run_id = s.pipeline_run_id
WHERE s.pipeline_run_id = :run_id
GROUP BY s.id, s.issue_signature, s.conversation_count
HAVING s.conversation_count <> count(e.conversation_id)
ORDER BY s.id
