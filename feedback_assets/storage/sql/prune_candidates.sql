-- The pipeline runs `feedback-assets prune` looks at: those that ended (completed_at), or never ended and
-- were created, before :cutoff. Oldest first, with what decides whether one is kept
-- (domain.pruning.keep_reason): succeeded_rank — 1 for the latest succeeded run of its source, by the order
-- trends use (end of window, else creation; then id) — and whether it holds the newest link of an issue
-- signature to a tracker story (what `push` follows to update instead of opening a second ticket).
WITH succeeded AS (
  SELECT
    r.id,
    ROW_NUMBER() OVER (
      PARTITION BY r.source
      ORDER BY COALESCE(r.window_end, r.created_at) DESC, r.id DESC
    ) AS succeeded_rank
  FROM pipeline_runs r
  WHERE r.status = 'succeeded'
),
newest_links AS (
  SELECT MAX(l.pipeline_run_id) AS run_id
  FROM story_tracker_links l
  GROUP BY l.tracker, l.issue_signature
)
SELECT
  r.id AS run_id,
  r.status,
  r.source,
  r.created_at,
  r.completed_at,
  s.succeeded_rank,
  CASE WHEN EXISTS (SELECT 1 FROM newest_links n WHERE n.run_id = r.id) THEN 1 ELSE 0 END AS holds_tracker_links
FROM pipeline_runs r
LEFT JOIN succeeded s ON s.id = r.id
WHERE COALESCE(r.completed_at, r.created_at) < :cutoff
ORDER BY r.id
