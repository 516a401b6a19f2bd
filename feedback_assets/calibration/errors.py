"""The two ways calibration refuses its input: an unusable model file, bad labels or arguments."""

from __future__ import annotations


class ModelError(ValueError):
    """A model file that cannot be used: unreadable, not a model, or fitted against other rules/features."""


class CalibrationError(ValueError):
    """Bad input to ``calibrate``: the message is one line naming the problem."""
