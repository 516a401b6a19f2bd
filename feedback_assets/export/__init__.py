"""Exports of a pipeline run's stories: Markdown for people, JSON (with a published schema) for programs,
CSV for spreadsheets. ``export_run`` writes one to a stream; ``main`` is ``feedback-assets export``."""

from feedback_assets.export.command import main
from feedback_assets.export.document import SCHEMA_VERSION
from feedback_assets.export.exporter import export_run
from feedback_assets.export.formats import FORMATS

__all__ = ["FORMATS", "SCHEMA_VERSION", "export_run", "main"]
