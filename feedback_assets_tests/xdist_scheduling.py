"""How the suite is spread over pytest-xdist workers (a plugin: ``-p feedback_assets_tests.xdist_scheduling`` in
setup.cfg): how many workers ``-n auto`` starts, and the order in which the test files are handed out.

How many: the number of CPUs plus ``EXTRA_WORKERS``. The long tests spend much of their time waiting for
other processes (a ``feedback-assets`` command, the Dagster daemon's sensors, Chromium, Celery workers), so
with a worker per core the CPUs were idle for a good part of the run. Measured on 2 cores: 2 workers
≈ 580 s, 3 workers ≈ 390–420 s, 4 workers ≈ 440–455 s (each worker also pays for its own collection,
≈ 7 s of CPU, and more workers only add contention once the CPUs are busy). ``PYTEST_XDIST_AUTO_NUM_WORKERS``
(xdist's own setting), ``-n logical`` or a number (``-n 2``) still decide as usual.

Which order: with ``--dist loadfile`` a whole file goes to one worker, and xdist hands the files out by
number of tests, most first. The files that take longest have few tests (the Chromium workflow is one test
of two to three minutes, the Celery scenario one, the fault files a few process-killing tests each), so
they came last and the run ended with one worker busy on them for minutes while the others were idle.
Here, on each worker (all collect the same tests and must list them in the same order), the collected
items are ordered file by file: files with a test marked ``slow`` first — the longest expected first (the
largest ``timeout`` marker of their slow tests, then the number of slow tests) — then the other files,
most tests first as xdist would. Tests keep their order within a file, files that compare equal keep
their alphabetical order, and xdist's own reordering is switched off so that it follows this one
(``--loadscope-reorder`` on the command line brings it back). Without xdist nothing is reordered.
"""

from __future__ import annotations

import os

import pytest

EXTRA_WORKERS = 1


@pytest.hookimpl(wrapper=True, optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config):
    cpus = yield
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or config.option.numprocesses == "logical":
        return cpus
    return cpus + EXTRA_WORKERS


def _timeout(item: pytest.Item) -> float:
    """The test's own ``timeout`` marker (how long it may take, so roughly how long it takes), else 0: the
    setup.cfg default is the same for every test without one."""
    marker = item.get_closest_marker("timeout")
    if marker is None:
        return 0.0
    return float(marker.args[0] if marker.args else marker.kwargs.get("timeout", 0))


def file_order_key(items: list[pytest.Item]) -> tuple:
    """Sort key of one file's items: the smaller, the earlier the file is handed out."""
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if slow:
        return (0, -max(_timeout(item) for item in slow), -len(slow), -len(items))
    return (1, 0.0, 0, -len(items))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    ordered = sorted(files.values(), key=file_order_key)  # stable: ties keep the collection order
    items[:] = [item for file_items in ordered for item in file_items]


def pytest_configure(config: pytest.Config) -> None:
    # On the controller: xdist (3.6+) would otherwise sort the files by their number of tests again.
    if getattr(config.option, "loadscopereorder", None) and "--loadscope-reorder" not in config.invocation_params.args:
        config.option.loadscopereorder = False
