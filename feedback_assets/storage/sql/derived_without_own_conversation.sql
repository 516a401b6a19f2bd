-- Rows of {table} under run :run_id whose conversation is not a conversation of run :run_id.
SELECT d.conversation_id
FROM {table} d
LEFT JOIN conversations c
  ON c.pipeline_run_id = d.pipeline_run_id AND c.conversation_id = d.conversation_id
WHERE d.pipeline_run_id = :run_id AND c.conversation_id IS NULL
ORDER BY d.conversation_id
