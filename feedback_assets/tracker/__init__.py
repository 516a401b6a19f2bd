"""Trackers stories are pushed to: Shortcut (REST API v3). ``push_run`` pushes a run idempotently (links in
``story_tracker_links``); ``main`` is ``feedback-assets push``."""

from feedback_assets.tracker.command import main
from feedback_assets.tracker.push import PushFailed, PushRefused, PushReport, push_run
from feedback_assets.tracker.shortcut import (
    ShortcutClient,
    ShortcutSettings,
    TrackerAuthError,
    TrackerConfigError,
    TrackerError,
    TrackerNotFound,
    TrackerRequestError,
)

__all__ = [
    "PushFailed",
    "PushRefused",
    "PushReport",
    "ShortcutClient",
    "ShortcutSettings",
    "TrackerAuthError",
    "TrackerConfigError",
    "TrackerError",
    "TrackerNotFound",
    "TrackerRequestError",
    "main",
    "push_run",
]
