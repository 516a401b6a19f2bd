"""The Dagster code location: assets, checks, sensors and resources of feedback_assets (wiring only)."""

import dagster as dg

defs = dg.Definitions()
