"""``python -m feedback_assets.export``: the same as ``feedback-assets export``."""

from feedback_assets.export.command import main

raise SystemExit(main())
