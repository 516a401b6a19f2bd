-- Themes of run :run_id whose conversation has no successful actionable classification in run :run_id
-- (no classification, a recorded failure, or a final type that is not actionable).
SELECT t.conversation_id, t.issue_signature, k.final_type, k.error AS classification_error
FROM themes t
LEFT JOIN classifications k
  ON k.pipeline_run_id = t.pipeline_run_id AND k.conversation_id = t.conversation_id
WHERE t.pipeline_run_id = :run_id
  AND (k.conversation_id IS NULL OR k.error IS NOT NULL OR k.final_type IS NULL
       OR k.final_type NOT IN :actionable_types)
ORDER BY t.conversation_id
