"""Exceptions the Claude engine raises instead of recording a per-conversation failure."""

from __future__ import annotations

API_KEY_SETTING = "ANTHROPIC_API_KEY"


class EngineAuthError(RuntimeError):
    """The API refused the credentials (401/403) or none were configured: nothing will succeed, so the step
    fails at once. The message names the setting to fix and never contains the key."""


class EngineStopped(RuntimeError):
    """The run was asked to stop (``should_stop`` returned true); in-flight calls were cancelled."""
