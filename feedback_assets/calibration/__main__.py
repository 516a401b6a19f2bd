"""``python -m feedback_assets.calibration``: the ``calibrate`` command."""

from feedback_assets.calibration.command import main

if __name__ == "__main__":
    raise SystemExit(main())
