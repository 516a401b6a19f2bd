"""``python -m feedback_assets.tracker``: the same as ``feedback-assets push``."""

from feedback_assets.tracker.command import main

raise SystemExit(main())
