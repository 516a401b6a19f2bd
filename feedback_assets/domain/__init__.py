"""Pure feedback logic (no Dagster, no database): models, normalisation, quality filter, engines,
resolution detection, signatures and story grouping."""
