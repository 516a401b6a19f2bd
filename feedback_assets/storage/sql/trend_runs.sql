-- Succeeded pipeline runs, latest first: by the end of their window, else their creation (a run without a
-- window covers everything up to when it was made), then by id. `size` is the run's classified
-- conversations (what trends scale counts by). Read as a stream until enough comparable runs were found.
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
ORDER BY COALESCE(r.window_end, r.created_at) DESC, r.id DESC
