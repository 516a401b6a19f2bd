-- Actionable classifications of run :run_id without a theme row (neither a theme nor a recorded failure).
SELECT k.conversation_id, k.final_type
FROM classifications k
LEFT JOIN themes t
  ON t.pipeline_run_id = k.pipeline_run_id AND t.conversation_id = k.conversation_id
WHERE k.pipeline_run_id = :run_id AND k.error IS NULL AND k.final_type IN :actionable_types
  AND t.conversation_id IS NULL
ORDER BY k.conversation_id
