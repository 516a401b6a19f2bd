"""Classification engines: one interface (``base.Engine``), chosen by configuration (``factory.build_engine``)."""

from feedback_assets.engines.base import Engine, EngineResult, ENGINE_NAMES
from feedback_assets.engines.factory import build_engine

__all__ = ["ENGINE_NAMES", "Engine", "EngineResult", "build_engine"]
