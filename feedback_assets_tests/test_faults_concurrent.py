"""Two processes materialise the same partition at the same moment: one wins and writes the run, the other
is refused in its first step naming the winner's Dagster run, and the result is exactly the reference run's
rows. What the fault tests share is described in ``fault_helpers``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

from feedback_assets_tests import fault_helpers
from feedback_assets_tests.fault_helpers import (
    FAULT_MARKS,
    RUN_ID,
    assert_recovered,
    cli,
    command_environment,
    snapshot,
)

pytestmark = FAULT_MARKS
# The shared fixtures (defined in fault_helpers), under names the tests here ask for.
fresh_database, input_file, reference = fault_helpers.fresh_database, fault_helpers.input_file, fault_helpers.reference


# --- two materialisations of one partition at once ----------------------------------------------------------

MATERIALISE = textwrap.dedent(
    """
    import os, sys, time
    import dagster as dg
    from feedback_assets.definitions import build_definitions

    partition_key, go = sys.argv[1], sys.argv[2]
    job = build_definitions().resolve_job_def("feedback_pipeline")
    instance = dg.DagsterInstance.get()
    print("READY", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)
    result = job.execute_in_process(partition_key=partition_key, instance=instance, raise_on_error=False,
                                    tags={"feedback/pipeline_run_id": partition_key})
    print("DAGSTER_RUN", result.run_id, "SUCCESS" if result.success else "FAILURE", flush=True)
    for event in result.all_events:
        if event.is_step_failure:
            print("STEP_FAILURE", event.step_key, event.step_failure_data.error.message.strip().splitlines()[0],
                  flush=True)
    """
)


def test_two_concurrent_materialisations_of_one_partition(fresh_database, input_file, reference, tmp_path,
                                                          monkeypatch):
    import dagster as dg

    from feedback_assets.defs.instance import ensure_dagster_home
    from feedback_assets.defs.partitions import PIPELINE_RUNS
    from feedback_assets.storage import create_run, make_engine, upgrade

    url, data = fresh_database, tmp_path / "data"
    engine = make_engine(url)
    upgrade(engine)
    run = create_run(engine, source="jsonl", source_params={"path": str(input_file)})
    assert run.id == RUN_ID
    home = data / "dagster_home"
    monkeypatch.setenv("FEEDBACK_DATA_DIR", str(data))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(PIPELINE_RUNS, [run.partition_key])

    environment = command_environment(data, url)
    environment["DAGSTER_HOME"] = str(home)
    go = tmp_path / "go"
    processes = [
        subprocess.Popen([sys.executable, "-c", MATERIALISE, run.partition_key, str(go)], env=environment,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        for _ in range(2)
    ]
    outputs: list[list[str]] = [[], []]
    ended: list[float] = [0.0, 0.0]
    ready = [threading.Event(), threading.Event()]

    def read(index: int) -> None:
        for line in processes[index].stdout:
            outputs[index].append(line.rstrip("\n"))
            if line.startswith("READY"):
                ready[index].set()
        processes[index].wait()
        ended[index] = time.monotonic()

    readers = [threading.Thread(target=read, args=(index,), daemon=True) for index in range(2)]
    for reader in readers:
        reader.start()
    try:
        assert all(event.wait(120) for event in ready), outputs
        go.touch()
        started = time.monotonic()
        for reader in readers:
            reader.join(timeout=180)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    texts = ["\n".join(lines) for lines in outputs]
    assert not any("Traceback" in output for output in texts), texts
    results = [re.search(r"^DAGSTER_RUN (\S+) (SUCCESS|FAILURE)$", output, re.M) for output in texts]
    assert all(results), texts
    outcomes = sorted((result.group(2), index) for index, result in enumerate(results))
    assert [outcome for outcome, _ in outcomes] == ["FAILURE", "SUCCESS"], texts
    loser, winner = outcomes[0][1], outcomes[1][1]
    winner_run = results[winner].group(1)

    # The loser failed at once, in its first step, naming the Dagster run that holds the partition.
    refusal = re.search(r"^STEP_FAILURE conversations (.*)$", texts[loser], re.M)
    assert refusal, texts[loser]
    assert f"is being written by Dagster run {winner_run}" in refusal.group(1), refusal.group(1)
    assert len(re.findall(r"^STEP_FAILURE", texts[loser], re.M)) == 1, texts[loser]
    assert ended[loser] < ended[winner]
    assert ended[loser] - started < 0.5 * (ended[winner] - started) + 5, (ended[loser] - started, ended[winner] - started)

    # The pipeline run is the winner's: the next command settles it as succeeded, with exactly its rows.
    listing = cli(data, url, "runs")
    assert listing.returncode == 0 and "Traceback" not in listing.stdout, listing.stdout[-2000:]
    assert_recovered(snapshot(url), reference, winner_run)
