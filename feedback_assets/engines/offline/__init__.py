"""The embedded default engine: rules and within-run grouping, no network (see ``engine``)."""

from feedback_assets.engines.offline.engine import PROMPT_VERSION, OfflineEngine

__all__ = ["OfflineEngine", "PROMPT_VERSION"]
