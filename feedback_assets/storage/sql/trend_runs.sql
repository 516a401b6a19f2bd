-- Succeeded pipeline runs, latest first: by the end of their window, else their creation (a run without a
-- window covers everything up to when it was made), then by id. `size` is the run's classified
-- conversations (what trends scale counts by). Read as a stream until enough comparable runs were found.
-- Runs removed by `feedback-assets prune` still count: their facts are in pruned_runs (ids are never
-- reused; a pruned id that is a pipeline run again is read from pipeline_runs only).
SELECT run_id, source, status, size, created_at, window_start, window_end
FROM (
  SELECT
    r.id AS run_id,
    r.source,
    r.status,
    r.classified_count AS size,
    r.created_at,
    r.window_start,
    r.window_end
  FROM pipeline_runs r
  WHERE r.status = 'succeeded'
  UNION ALL
  SELECT
    p.id AS run_id,
    p.source,
    p.status,
    p.classified_count AS size,
    p.created_at,
    p.window_start,
    p.window_end
  FROM pruned_runs p
  WHERE p.status = 'succeeded'
    AND NOT EXISTS (SELECT 1 FROM pipeline_runs r WHERE r.id = p.id)
) runs
ORDER BY COALESCE(window_end, created_at) DESC, run_id DESC
