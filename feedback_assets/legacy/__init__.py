"""The old system's run-less export, brought into run-scoped tables (``feedback-assets import-legacy``):
reading its files (``export_files``), parsing them into records (``records``), deciding which run every
row goes to (``assignment``). ``feedback_assets.legacy_import`` writes the result and is the entry point."""
