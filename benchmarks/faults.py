"""Fault benchmark: SIGKILL spread over a run, the database dropped mid-run, two writers of one partition —
each followed by what a person does next (`feedback-assets runs`, then `feedback-assets resume`), on
throwaway PostgreSQL databases.

1. A clean reference run of the input (`feedback-assets run --source jsonl --input F`) on its own database:
   its wall time (process start → exit) and its rows (counts and a digest of each table's contents).
2. ``--kills`` N times, each on a fresh database and data folder: start the same command in its own process
   group and SIGKILL the group at ``(i + ½)/N`` of the reference wall time. Then
   - at the kill: which stages were complete, and whether each table holds none or all of its rows;
   - settle: `feedback-assets runs` again and again until the run is no longer pending/running; the
     seconds from the kill to the end of the listing that showed it settled (target ≤ 60 s; a run still
     unsettled after 60 s counts as not settled);
   - recover: `feedback-assets resume 1` (or, when the kill came before the run row existed, a new
     `feedback-assets run`), then exact counts and contents against the reference, 0 NULL and 0 foreign
     ``pipeline_run_id``, status ``succeeded`` and every blocking check passed.
3. The database dropped once (a TCP proxy in front of the server, cut in the middle of classifications):
   the command must exit non-zero with one line naming the cause; the proxy is restored; `runs` settles;
   `resume` recovers.
4. Two `feedback-assets resume 1` at once on a pending run: exactly one succeeds, the other is refused at
   once naming the Dagster run that holds the partition; the run ends with the winner's rows and id.

A table of every fault, then the summary: faults tried / settled within 60 s / recovered to exact counts /
tracebacks seen in any command output (target 0).

    python benchmarks/faults.py [--kills 20] [--conversations 5000] [--database-url postgresql://…/postgres]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
for path in (PROJECT, PROJECT / "scripts", PROJECT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from conversation_stream import stream_jsonl  # noqa: E402 (beside this file)
from scratch_database import create_scratch_database, drop_scratch_database  # noqa: E402

from feedback_assets_tests.fakes.tcp_proxy import TcpProxy  # noqa: E402

SETTLE_TARGET = 60.0
RUN_ID = 1
STAGES = ("conversations", "classifications", "themes", "stories")
TABLES = ("conversations", "classifications", "themes", "stories", "story_evidence")
STAGE_OF_TABLE = {"conversations": "conversations", "classifications": "classifications", "themes": "themes",
                  "stories": "stories", "story_evidence": "stories"}
CONTENT = {
    "conversations": "conversation_id",
    "classifications": "conversation_id || ':' || coalesce(final_type, '-') || ':' || coalesce(error, '-')",
    "themes": "conversation_id || ':' || coalesce(issue_signature, '-')",
    "stories": "id || ':' || issue_signature || ':' || conversation_count || ':' || status || ':' || priority",
    "story_evidence": "story_id || ':' || conversation_id",
}
MARKERS = {
    "conversations": "conversations: fetched",
    "classifications": " classified, ",
    "themes": "actionable conversations themed",
    "stories": "candidate stories",
}


def say(message: str) -> None:
    print(message, flush=True)


# --- database state -------------------------------------------------------------------------------------

@dataclass
class State:
    exists: bool
    status: str | None = None
    error: str | None = None
    dagster_run_id: str | None = None
    completed_stages: tuple[str, ...] = ()
    check_results: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    digests: dict = field(default_factory=dict)
    null_run_ids: int = 0
    foreign_run_ids: int = 0


def read_state(url: str) -> State:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        exists = connection.execute("SELECT to_regclass('pipeline_runs') IS NOT NULL").fetchone()[0]
        row = exists and connection.execute(
            "SELECT status, error, dagster_run_id, completed_stages, check_results FROM pipeline_runs WHERE id = %s",
            (RUN_ID,),
        ).fetchone()
        if not row:
            return State(exists=False)
        state = State(True, row[0], row[1], row[2], tuple(row[3] or ()), dict(row[4] or {}))
        for table in TABLES:
            count, digest = connection.execute(
                f"SELECT count(*), md5(coalesce(string_agg({CONTENT[table]}, ',' ORDER BY {CONTENT[table]}), '')) "
                f"FROM {table} WHERE pipeline_run_id = %s", (RUN_ID,),
            ).fetchone()
            state.counts[table], state.digests[table] = count, digest
            state.null_run_ids += connection.execute(
                f"SELECT count(*) FROM {table} WHERE pipeline_run_id IS NULL").fetchone()[0]
            state.foreign_run_ids += connection.execute(
                f"SELECT count(*) FROM {table} WHERE pipeline_run_id <> %s", (RUN_ID,)).fetchone()[0]
        return state


def _libpq(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def half_written(state: State, reference: State) -> list[str]:
    """Tables that hold some but not all of their rows, or whose rows disagree with their stage's mark."""
    wrong = []
    for table in TABLES:
        complete = STAGE_OF_TABLE[table] in state.completed_stages
        if state.counts.get(table, 0) != (reference.counts[table] if complete else 0):
            wrong.append(f"{table}={state.counts.get(table)}")
    return wrong


def recovery_problems(state: State, reference: State) -> list[str]:
    problems = []
    if not state.exists:
        return ["no run 1"]
    if state.status != "succeeded":
        problems.append(f"status {state.status}")
    if state.counts != reference.counts:
        problems.append("counts " + ", ".join(
            f"{t} {state.counts.get(t)}≠{reference.counts[t]}" for t in TABLES if state.counts.get(t) != reference.counts[t]))
    elif state.digests != reference.digests:
        problems.append("contents differ: " + ", ".join(t for t in TABLES if state.digests[t] != reference.digests[t]))
    if state.null_run_ids:
        problems.append(f"{state.null_run_ids} NULL run ids")
    if state.foreign_run_ids:
        problems.append(f"{state.foreign_run_ids} foreign run ids")
    if set(state.check_results) != set(reference.check_results) or set(state.check_results.values()) != {"passed"}:
        problems.append(f"checks {sorted(name for name, value in state.check_results.items() if value != 'passed')} "
                        f"of {len(state.check_results)}")
    return problems


# --- the command ----------------------------------------------------------------------------------------

def environment(data: Path, url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FEEDBACK_", "DAGSTER_"))}
    env.update(FEEDBACK_DATA_DIR=str(data), FEEDBACK_DATABASE_URL=url, PYTHONUNBUFFERED="1")
    return env


def cli(data: Path, url: str, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "feedback_assets.cli", *args], env=environment(data, url),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)


class Watched:
    """A command in its own process group; its merged output is collected line by line with timestamps."""

    def __init__(self, data: Path, url: str, *args: str) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "feedback_assets.cli", *args],
                                        env=environment(data, url), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self.ended: float | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))
        self.process.wait()
        self.ended = time.monotonic() - self.started

    @property
    def output(self) -> str:
        return "\n".join(line for _, line in list(self.lines))

    def seen(self, needle: str) -> float | None:
        for seconds, line in list(self.lines):
            if needle in line:
                return seconds
        return None

    def wait_for(self, needle: str, timeout: float = 900) -> float:
        deadline = time.monotonic() + timeout
        while (seconds := self.seen(needle)) is None:
            if time.monotonic() > deadline or (self.ended is not None and self.seen(needle) is None):
                raise RuntimeError(f"no line with {needle!r}:\n{self.output[-2000:]}")
            time.sleep(0.02)
        return seconds

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # our own child's session only
        except ProcessLookupError:
            pass
        self.process.wait()
        self._reader.join(timeout=10)

    def wait(self, timeout: float = 900) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._reader.join(timeout=10)
        return code


def tracebacks(*outputs: str) -> int:
    return sum(output.count("Traceback") for output in outputs)


# --- one fault at a time --------------------------------------------------------------------------------

@dataclass
class Outcome:
    label: str
    at: str = ""  # what the run had done when the fault hit
    half_written: str = "-"
    settled_s: float | None = None  # None: not settled within the target
    settle_note: str = ""
    recovered: bool = False
    recovery_note: str = ""
    tracebacks: int = 0
    applicable_settle: bool = True  # False: the kill came before the run existed (nothing to settle)
    message_ok: bool | None = None  # database drop / pair: did the failing command say why, in one line?
    message: str = ""


class Bench:
    def __init__(self, args, work: Path, input_path: Path) -> None:
        self.args, self.work, self.input = args, work, input_path
        self.reference: State | None = None
        self.reference_wall = 0.0
        self.reference_marks: dict[str, float] = {}
        self.trial = 0

    def fresh(self, prefix: str) -> tuple[str, Path]:
        self.trial += 1
        url = create_scratch_database(self.args.database_url, f"feedback_faults_{prefix}")
        data = self.work / f"data_{self.trial}"
        return url, data

    def drop(self, url: str, data: Path) -> None:
        drop_scratch_database(self.args.database_url, url)
        shutil.rmtree(data, ignore_errors=True)

    def run_command(self, data: Path, url: str) -> tuple[str, ...]:
        return ("run", "--source", "jsonl", "--input", str(self.input))

    # 1. reference
    def measure_reference(self) -> None:
        url, data = self.fresh("reference")
        try:
            watched = Watched(data, url, *self.run_command(data, url))
            code = watched.wait()
            self.reference_wall = watched.ended or (time.monotonic() - watched.started)
            if code != 0:
                raise SystemExit(f"the clean reference run failed ({code}):\n{watched.output[-3000:]}")
            self.reference = read_state(url)
            self.reference_marks = {stage: watched.seen(needle) or 0.0 for stage, needle in MARKERS.items()}
            created = watched.seen(f"pipeline run {RUN_ID}: source=") or 0.0
            self.reference_marks["created"] = created
        finally:
            self.drop(url, data)
        marks = self.reference_marks
        say(f"reference run: {self.reference_wall:.1f} s wall — run row at {marks['created']:.1f} s, conversations "
            f"written {marks['conversations']:.1f} s, classifications {marks['classifications']:.1f} s, themes "
            f"{marks['themes']:.1f} s, stories {marks['stories']:.1f} s; rows "
            + ", ".join(f"{table} {count:,}" for table, count in self.reference.counts.items()))

    def stage_at(self, seconds: float) -> str:
        """Where a clean run is at ``seconds`` after its start (from the reference run's log lines)."""
        marks = self.reference_marks
        if seconds < marks["created"]:
            return "start-up"
        for stage in STAGES:
            if seconds < marks[stage]:
                return stage
        return "checks/summary"

    def settle(self, data: Path, url: str, killed: float, outputs: list[str]) -> tuple[float | None, State]:
        """Run `feedback-assets runs` until run 1 is neither pending nor running (or the target passed)."""
        while True:
            listing = cli(data, url, "runs")
            outputs.append(listing.stdout)
            state = read_state(url)
            elapsed = time.monotonic() - killed
            if state.exists and state.status not in ("pending", "running"):
                return elapsed, state
            if elapsed > SETTLE_TARGET:
                return None, state
            time.sleep(0.5)

    def recover(self, data: Path, url: str, state_exists: bool, outputs: list[str]) -> tuple[bool, str, State]:
        if state_exists:
            done = cli(data, url, "resume", str(RUN_ID))
        else:
            done = cli(data, url, *self.run_command(data, url))
        outputs.append(done.stdout)
        state = read_state(url)
        problems = recovery_problems(state, self.reference)
        if done.returncode != 0:
            last = [line for line in done.stdout.splitlines() if line.strip()]
            problems.insert(0, f"{'resume' if state_exists else 'run'} exit {done.returncode}: "
                               f"{(last[-1] if last else '')[:110]}")
        return not problems, "; ".join(problems), state

    # 2. SIGKILL at a fraction of the reference wall time
    def kill_trial(self, index: int) -> Outcome:
        fraction = (index + 0.5) / self.args.kills
        delay = fraction * self.reference_wall
        outcome = Outcome(label=f"kill -9 at {delay:5.1f} s ({fraction:4.0%}, {self.stage_at(delay)})")
        url, data = self.fresh("kill")
        outputs: list[str] = []
        try:
            watched = Watched(data, url, *self.run_command(data, url))
            time.sleep(max(0.0, delay - (time.monotonic() - watched.started)))
            ended_by_itself = watched.process.poll() is not None
            watched.kill()
            killed = time.monotonic()
            outputs.append(watched.output)
            at_kill = read_state(url)
            if ended_by_itself:
                outcome.at = "ended before the kill (no fault)"
            elif not at_kill.exists:
                outcome.at = "no run row yet"
            else:
                outcome.at = f"{at_kill.status}, done: {','.join(s[:5] for s in at_kill.completed_stages) or '-'}"
                wrong = half_written(at_kill, self.reference)
                outcome.half_written = "HALF: " + " ".join(wrong) if wrong else "none"
            if at_kill.exists and at_kill.status in ("pending", "running"):
                outcome.settled_s, settled = self.settle(data, url, killed, outputs)
                if outcome.settled_s is None:
                    outcome.settle_note = f"still {settled.status} after {SETTLE_TARGET:.0f} s"
                else:
                    outcome.settle_note = f"{settled.status}: {(settled.error or '').splitlines()[0][:40] if settled.error else ''}"
                    wrong = half_written(settled, self.reference)
                    if wrong:
                        outcome.half_written = "HALF after settle: " + " ".join(wrong)
            elif at_kill.exists:
                outcome.settled_s = 0.0
                outcome.settle_note = f"already {at_kill.status}"
            else:
                outcome.applicable_settle = False
                outcome.settle_note = "nothing to settle"
            outcome.recovered, outcome.recovery_note, _ = self.recover(data, url, at_kill.exists, outputs)
        finally:
            outcome.tracebacks = tracebacks(*outputs)
            self.drop(url, data)
        return outcome

    # 3. the database dropped through a TCP proxy
    def proxy_trial(self) -> Outcome:
        from sqlalchemy.engine import make_url

        outcome = Outcome(label="database dropped (TCP proxy cut) in classifications")
        direct, data = self.fresh("proxy")
        outputs: list[str] = []
        server = make_url(direct)
        try:
            with TcpProxy(server.port or 5432, server.host or "127.0.0.1") as proxy:
                url = make_url(direct).set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)
                watched = Watched(data, url, *self.run_command(data, url))
                try:
                    watched.wait_for(MARKERS["conversations"])
                    classify = self.reference_marks["classifications"] - self.reference_marks["conversations"]
                    time.sleep(0.4 * classify)
                    cut = proxy.cut()
                    cut_at = time.monotonic()
                    code = watched.wait(timeout=600)
                finally:
                    if watched.process.poll() is None:
                        watched.kill()
                outputs.append(watched.output)
                lines = [line for line in watched.output.splitlines() if line.strip()]
                last = lines[-1] if lines else ""
                one_line = code != 0 and last.startswith("feedback-assets: ") and "Traceback" not in watched.output
                at_exit = read_state(direct)
                wrong = half_written(at_exit, self.reference)
                outcome.half_written = "HALF: " + " ".join(wrong) if wrong else "none"
                outcome.at = (f"{cut} connections cut; exit {code} after {time.monotonic() - cut_at:.1f} s; "
                              f"{at_exit.status}, done: {','.join(s[:5] for s in at_exit.completed_stages) or '-'}")
                outcome.message_ok = one_line
                outcome.message = f"exit {code}, last line: {last[:200]}"
                time.sleep(1)
                proxy.restore()
                restored = time.monotonic()
                settled_s, settled = self.settle(data, url, restored, outputs)
                outcome.settled_s = settled_s
                outcome.settle_note = (f"{settled.status} (timed from restore): "
                                       f"{(settled.error or '').splitlines()[0][:40] if settled.error else ''}")
                recovered, note, _ = self.recover(data, url, True, outputs)
                outcome.recovered, outcome.recovery_note = recovered, note
        finally:
            outcome.tracebacks = tracebacks(*outputs)
            self.drop(direct, data)
        return outcome

    # 4. two writers of one partition
    def concurrent_trial(self) -> Outcome:
        outcome = Outcome(label="two `resume 1` at once on a pending run")
        url, data = self.fresh("pair")
        outputs: list[str] = []
        try:
            from feedback_assets.storage import create_run, make_engine, upgrade
            from feedback_assets.storage.db import dispose_engines

            engine = make_engine(url)
            upgrade(engine)
            create_run(engine, source="jsonl", source_params={"path": str(self.input.resolve())})
            dispose_engines()
            cli(data, url, "runs")  # creates the data folder and the Dagster instance once, before the race
            started = time.monotonic()
            pair = [Watched(data, url, "resume", str(RUN_ID)) for _ in range(2)]
            codes = [watched.wait() for watched in pair]
            texts = [watched.output for watched in pair]
            outputs.extend(texts)
            ends = [watched.ended or 0.0 for watched in pair]
            state = read_state(url)
            winners = [i for i, code in enumerate(codes) if code == 0]
            notes = []
            if len(winners) != 1:
                notes.append(f"exit codes {codes}")
                outcome.message_ok = False
            else:
                winner, loser = winners[0], 1 - winners[0]
                dagster_run = re.search(r"pipeline run \d+: succeeded  \(Dagster run ([0-9a-f-]{36})\)", texts[winner])
                named = re.search(r"is being written by Dagster run (\S+?)[;,]? ", texts[loser])
                outcome.at = (f"loser exit {codes[loser]} after {ends[loser]:.1f} s, winner after {ends[winner]:.1f} s "
                              f"(wall {time.monotonic() - started:.1f} s)")
                errors = [line for line in texts[loser].splitlines() if " - ERROR - " in line or "error" in line.lower()]
                summary = re.search(r"^pipeline run \d+: .*$", texts[loser], re.M)
                outcome.message_ok = bool(named and dagster_run and named.group(1) == dagster_run.group(1))
                outcome.message = (f"loser's first error line: {(errors[0].split(' - ')[-1] if errors else '-')[:90]}; "
                                   f"its summary: {summary.group(0)[:90] if summary else '-'}")
                if named and dagster_run and named.group(1) != dagster_run.group(1):
                    outcome.message += f" (names {named.group(1)}, the winner is {dagster_run.group(1)})"
                if dagster_run and state.dagster_run_id != dagster_run.group(1):
                    notes.append(f"run stamped with {state.dagster_run_id}, not the winner's")
                if ends[loser] >= ends[winner]:
                    notes.append("the loser did not fail at once")
            wrong = half_written(state, self.reference)
            outcome.half_written = "HALF: " + " ".join(wrong) if wrong else "none"
            outcome.settled_s, outcome.settle_note = 0.0, f"{state.status} by the winner"
            problems = notes + recovery_problems(state, self.reference)
            outcome.recovered, outcome.recovery_note = not problems, "; ".join(problems)
        finally:
            outcome.tracebacks = tracebacks(*outputs)
            self.drop(url, data)
        return outcome


def table(outcomes: list[Outcome]) -> str:
    header = ["#", "fault", "state when hit", "half-written", "settled (s)", "settled as", "recovered", "tracebacks"]
    rows = []
    for number, outcome in enumerate(outcomes, 1):
        settled = "n/a" if not outcome.applicable_settle else (
            f"{outcome.settled_s:.1f}" if outcome.settled_s is not None else f"> {SETTLE_TARGET:.0f}")
        recovered = "exact" if outcome.recovered else f"NO: {outcome.recovery_note}"
        rows.append([str(number), outcome.label, outcome.at, outcome.half_written, settled, outcome.settle_note,
                     recovered, str(outcome.tracebacks)])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs spread over a run (default 20)")
    parser.add_argument("--conversations", type=int, default=5000, help="conversations in the input (default 5000)")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="admin URL of the PostgreSQL server; throwaway databases are created beside it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-proxy", action="store_true")
    parser.add_argument("--skip-pair", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="feedback-faults-"))
    try:
        started = time.perf_counter()
        input_path = work / "conversations.jsonl"
        generated = stream_jsonl(input_path, args.conversations, seed=args.seed, start="2026-05-01", days=180)
        say(f"generated {generated.lines:,} records ({args.conversations:,} conversations + re-fetched copies) in "
            f"{time.perf_counter() - started:.1f} s → {input_path}")
        bench = Bench(args, work, input_path)
        bench.measure_reference()

        outcomes: list[Outcome] = []
        for index in range(args.kills):
            outcome = bench.kill_trial(index)
            outcomes.append(outcome)
            say(f"  [{index + 1}/{args.kills}] {outcome.label}: {outcome.at}; settled "
                f"{'n/a' if not outcome.applicable_settle else (f'{outcome.settled_s:.1f} s' if outcome.settled_s is not None else 'NO')}"
                f" ({outcome.settle_note}); {'recovered exactly' if outcome.recovered else 'NOT recovered: ' + outcome.recovery_note}"
                f"; tracebacks {outcome.tracebacks}")
        if not args.skip_proxy:
            outcome = bench.proxy_trial()
            outcomes.append(outcome)
            say(f"  [proxy] {outcome.at}; {outcome.message}")
            say(f"  [proxy] settled {f'{outcome.settled_s:.1f} s' if outcome.settled_s is not None else 'NO'} "
                f"({outcome.settle_note}); {'recovered exactly' if outcome.recovered else 'NOT recovered: ' + outcome.recovery_note}; "
                f"tracebacks {outcome.tracebacks}")
        if not args.skip_pair:
            outcome = bench.concurrent_trial()
            outcomes.append(outcome)
            say(f"  [pair] {outcome.at}; {'exact' if outcome.recovered else 'NOT ok: ' + outcome.recovery_note}; "
                f"tracebacks {outcome.tracebacks}")
            say(f"  [pair] {outcome.message}")

        say("")
        say(table(outcomes))
        no_effect = [o for o in outcomes if o.at.startswith("ended before the kill")]
        settle_applicable = [o for o in outcomes if o.applicable_settle]
        settled = [o for o in settle_applicable if o.settled_s is not None and o.settled_s <= SETTLE_TARGET]
        settle_times = sorted(o.settled_s for o in settled)
        say("")
        say(f"faults tried: {len(outcomes)} ({args.kills} kill -9, {0 if args.skip_proxy else 1} database drop, "
            f"{0 if args.skip_pair else 1} concurrent pair); input {args.conversations:,} conversations, clean run "
            f"{bench.reference_wall:.1f} s" + (f"; {len(no_effect)} kill(s) came after the run had ended"
                                               if no_effect else ""))
        say(f"settled within {SETTLE_TARGET:.0f} s: {len(settled)}/{len(settle_applicable)}"
            + (f" (median {settle_times[len(settle_times) // 2]:.1f} s, max {settle_times[-1]:.1f} s)" if settle_times else "")
            + (f"; {len(outcomes) - len(settle_applicable)} killed before the run existed (nothing to settle)"
               if len(outcomes) > len(settle_applicable) else ""))
        say(f"recovered to exact counts: {sum(o.recovered for o in outcomes)}/{len(outcomes)}")
        messages = [o for o in outcomes if o.message_ok is not None]
        if messages:
            say(f"failing commands that said why in one line (database drop: the cause; refused writer: the "
                f"holding Dagster run): {sum(bool(o.message_ok) for o in messages)}/{len(messages)}")
            for o in messages:
                if not o.message_ok:
                    say(f"  - {o.label}: {o.message}")
        say(f"half-written tables seen: {sum(o.half_written.startswith('HALF') for o in outcomes)}")
        say(f"tracebacks seen in CLI output: {sum(o.tracebacks for o in outcomes)} (target 0)")
        ok = (len(settled) == len(settle_applicable) and all(o.recovered for o in outcomes)
              and not any(o.tracebacks for o in outcomes) and all(o.message_ok for o in messages))
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
