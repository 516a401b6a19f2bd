-- Conversations of run :run_id that passed the quality filter but have no classification row
-- (neither a result nor a recorded failure).
SELECT c.conversation_id
FROM conversations c
LEFT JOIN classifications k
  ON k.pipeline_run_id = c.pipeline_run_id AND k.conversation_id = c.conversation_id
WHERE c.pipeline_run_id = :run_id AND c.quality_pass AND k.conversation_id IS NULL
ORDER BY c.conversation_id
