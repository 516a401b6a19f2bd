"""R1 done right, end to end: conversations classified by the old system with a NULL pipeline_run_id are
imported (adopted by the run whose window holds them) and theme extraction for that run finds them —
not the silent 0 the review found."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from feedback_assets.defs.checks import asset_checks
from feedback_assets.defs.partitions import PIPELINE_RUNS
from feedback_assets.defs.resources import EngineSettings, FeedbackDatabase, PipelineSettings, SourceSettings
from feedback_assets.defs.runs import PIPELINE_ASSETS
from feedback_assets.legacy_import import import_legacy
from feedback_assets.storage import make_engine, read_partition

LEGACY = Path(__file__).parent / "data" / "legacy"


def test_r1_themes_for_an_old_run_include_its_formerly_null_rows(db_url):
    engine = make_engine(db_url)
    report = import_legacy(engine, LEGACY / "runs.csv", LEGACY / "conversations.csv", LEGACY / "classifications.csv")
    assert report.ok, report.errors
    adopted_runs = [run_id for run_id, info in report.runs.items() if info["rules"].get("adopted_by_window")]
    assert adopted_runs, report.summary()

    resources = {
        "database": FeedbackDatabase(url=db_url),
        "engines": EngineSettings(),
        "pipeline": PipelineSettings(),
        "sources": SourceSettings(),
    }
    _, classifications, themes, stories = PIPELINE_ASSETS
    with dg.instance_for_test() as instance:
        for run_id in adopted_runs:
            key = str(run_id)
            instance.add_dynamic_partitions(PIPELINE_RUNS, [key])
            actionable = [
                row for row in read_partition(engine, "classifications", run_id)
                if row["final_type"] in PipelineSettings().actionable_types and not row["error"]
            ]
            result = dg.materialize(
                [*PIPELINE_ASSETS, *asset_checks],
                selection=dg.AssetSelection.assets(themes, stories),
                partition_key=key,
                instance=instance,
                resources=resources,
                raise_on_error=False,
            )
            assert result.success
            themed = read_partition(engine, "themes", run_id)
            assert {row["conversation_id"] for row in themed} == {row["conversation_id"] for row in actionable}
            assert all(e.passed for e in result.get_asset_check_evaluations())
    assert any(read_partition(engine, "themes", run_id) for run_id in adopted_runs)
