"""Classification engines: one interface (``base.Engine``), chosen by configuration (``build_engine``)."""

from feedback_assets.engines.base import Engine, EngineResult, build_engine, ENGINE_NAMES

__all__ = ["ENGINE_NAMES", "Engine", "EngineResult", "build_engine"]
