"""No tracebacks for a person: every command turns a failure into one line naming the problem and the fix,
exit 2 for bad usage and 1 for a failure; ``--verbose`` shows the trace."""

from __future__ import annotations

import subprocess
import sys

import pytest

from feedback_assets import cli


def _command(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "FEEDBACK_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "feedback_assets.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize(
    "args, code, says",
    [
        (["runs", "--database-url", "notaurl"], 2, "'notaurl' is not a database URL"),
        (["runs", "--database-url", "mysql://user@host/db"], 2, "only PostgreSQL and SQLite"),
        (["runs", "--database-url", "postgresql://postgres@127.0.0.1:1/nothing"], 1, "cannot reach the database"),
        (["run", "--max-conversations", "99999999999"], 2, "is too large (at most 2,147,483,647)"),
        (["run", "--batch-size", "99999999999"], 2, "is too large"),
        (["import-legacy", "--runs", "r.csv", "--conversations", "c.csv", "--batch-size", "0"], 2, "must be at least 1"),
    ],
    ids=["not a url", "mysql", "unreachable", "max too large", "batch too large", "legacy batch 0"],
)
def test_bad_input_gets_one_line_and_the_right_exit_code(args, code, says, tmp_path):
    done = _command(*args, tmp_path=tmp_path)
    assert done.returncode == code
    assert "Traceback" not in done.stderr
    assert says in done.stderr.strip().splitlines()[-1]


def test_verbose_shows_the_trace(tmp_path):
    done = _command("runs", "--database-url", "notaurl", "--verbose", tmp_path=tmp_path)
    assert done.returncode == 2 and "Traceback" in done.stderr


def test_a_reader_that_goes_away_is_not_an_error(monkeypatch, capsys):
    def closed_pipe(**_):
        raise BrokenPipeError

    monkeypatch.setattr("feedback_assets.defs.main_job.print_runs", closed_pipe)
    assert cli.main(["runs", "--database-url", "sqlite:///:memory:"]) == 0
    assert "Error" not in capsys.readouterr().err


def test_an_unexpected_failure_is_one_line_pointing_at_verbose(monkeypatch, capsys):
    def broken(**_):
        raise RuntimeError("disk full\nmore detail")

    monkeypatch.setattr("feedback_assets.defs.main_job.print_runs", broken)
    assert cli.main(["runs"]) == 1
    assert capsys.readouterr().err == "feedback-assets: disk full (run again with --verbose for the full trace)\n"
