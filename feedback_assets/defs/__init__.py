"""Dagster wiring, one module per stage: partitions, resources, ingest, classify, themes, stories, checks, runs.

Thin by design: an asset validates its partition, reads its inputs through ``feedback_assets.storage``,
calls the pure functions of ``feedback_assets.domain`` and writes through the storage layer.
"""
