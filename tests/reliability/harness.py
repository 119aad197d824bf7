"""Harness for the reliability suite: children to kill, what to check after each kill, writers
that race, and a tally of what was tried (for the README's reliability table).

Children that get killed are forked from a forkserver that has pmledger imported already, so a
kill lands in the middle of real work (opening, judging, signing, committing) rather than in
the interpreter's start-up. The child runs the same code as the command line: the appender
calls `Ledger.record`, the purge calls the `pmledger retention purge` command itself.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from multiprocessing.context import BaseContext
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import orjson
from tests.core.helpers import HEAD, HR, SteppingClock, enrol, open_ledger, opened

from pmledger.commands import EmployeeRef
from pmledger.errors import ConcurrencyConflict, UnknownEmployee
from pmledger.events.case_acts import CycleOpened, Objective, ObjectivesSet
from pmledger.events.governance_acts import CaseClosed
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind
from pmledger.events.signed_event import CaseEvent
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger, data_keys_for
from pmledger.ledger.mapper import decode_event
from pmledger.retention.schedule import RecordCategory

PASSPHRASE = "reliability passphrase"
ORG = "trust"
FIGURES_ENV = "PMLEDGER_RELIABILITY_FIGURES"
"""If set, each reliability test appends what it tried (one JSON object a line) to this file."""
KILLED = -signal.SIGKILL
PURGE_AS_OF = "2030-08-01"


def employee(ref: str) -> EmployeeRef:
    return EmployeeRef(organisation=ORG, employee_ref=ref)


def keystore(keydir: Path | str) -> EncryptedFileKeyStore:
    return EncryptedFileKeyStore(Path(keydir), PASSPHRASE.encode())


def tally(scenario: str, backend: str, **figures: int) -> None:
    """Record what a test tried; `python -m tests.reliability.table FILE` prints the table."""
    path = os.environ.get(FIGURES_ENV)
    if not path:
        return
    line = json.dumps({"scenario": scenario, "backend": backend, **figures}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def backend_name(target: str) -> str:
    return "postgres" if target.startswith("postgresql://") else "sqlite"


# Processes -------------------------------------------------------------------------------


def forkserver() -> BaseContext:
    """Children forked from a server that has already imported pmledger and this harness."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.reliability.harness", "pmledger.cli.main"])
    warm = ctx.Process(target=_nothing)  # type: ignore[attr-defined]
    warm.start()  # the server starts (and imports) now, not inside a timed or killed run
    warm.join(60)
    return ctx


def _nothing() -> None:
    pass


def _quiet(output: str) -> None:
    """Send a child's stdout and stderr to a file the test can show when something fails."""
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def run_child(
    ctx: BaseContext,
    target: Callable[..., None],
    args: tuple[Any, ...],
    kill_after: float | None,
    timeout: float = 120,
) -> int:
    """Start a child; SIGKILL it after `kill_after` seconds if it is still running.

    Returns its exit code: KILLED (-9) when the kill landed, 0 when it finished first.
    """
    child = ctx.Process(target=target, args=args)  # type: ignore[attr-defined]
    child.start()
    if kill_after is not None:
        child.join(kill_after)
        if child.exitcode is None:
            child.kill()
    child.join(timeout)
    if child.exitcode is None:
        child.kill()
        child.join(10)
        raise AssertionError(f"child {target.__name__}{args} did not end within {timeout}s")
    code: int = child.exitcode
    return code


# The appender: signed events through Ledger.record, each acknowledged after it returned ----


def plan_step(ref: str, version: int) -> tuple[Any, Any, date]:
    """The act the appender records at `version` of `ref`'s case: the same on every run."""
    if version == 1:
        return opened(employee(ref)), HR, date(2025, 9, 1)
    meeting = MeetingHeld(
        meeting_id=f"m-{version}", chair_person_id="ht-1", minutes=f"Review {version} of {ref}."
    )
    return meeting, HEAD, date(2025, 11, 3)


def append_plan(target: str, keydir: str, log: str, refs: list[str], per_case: int) -> None:
    """Bring every case in `refs` to `per_case` events, continuing from what is stored.

    After each `record` returns, "stored <employee> v<version> <digest>" is appended to `log`
    and fsynced: a line in the log is a write the caller was told had succeeded.
    """
    _quiet(log + ".out")
    clock = SteppingClock(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    with Ledger.open(target, keystore=keystore(keydir), clock=clock) as ledger:
        done: dict[str, int] = {}
        for ref in refs:
            try:
                done[ref] = ledger.reader(HR).case(employee(ref)).version
            except UnknownEmployee:
                done[ref] = 0
        fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _cut_torn_line(fd)
            for version in range(1, per_case + 1):
                for ref in refs:
                    if done[ref] >= version:
                        continue
                    act, actor, on = plan_step(ref, version)
                    receipt = ledger.record(employee(ref), act, occurred_on=on, actor=actor)
                    if receipt.version != version:
                        raise AssertionError(f"{ref}: stored v{receipt.version}, not v{version}")
                    done[ref] = version
                    os.write(fd, f"stored {ref} v{version} {receipt.digest}\n".encode())
                    os.fsync(fd)
        finally:
            os.close(fd)


def _cut_torn_line(fd: int) -> None:
    """Drop a line the last run was killed while writing.

    A write that crosses a page boundary can be cut short by SIGKILL between its pages, leaving
    a fragment without its newline. The caller was never told that write succeeded, so the
    fragment is no acknowledgement; left in place, this run's first line would be glued to it.
    """
    size = os.fstat(fd).st_size
    tail = os.pread(fd, min(size, 4096), max(0, size - 4096))
    if tail and not tail.endswith(b"\n"):
        os.ftruncate(fd, size - len(tail) + tail.rfind(b"\n") + 1)


def acknowledged(log: Path) -> list[tuple[str, int, str]]:
    """(employee, version, digest) of every complete line the appender wrote."""
    if not log.exists():
        return []
    found = []
    for line in log.read_bytes().split(b"\n")[:-1]:  # a line without its newline is no ack
        word, ref, version, digest = line.decode().split(" ")
        assert word == "stored", line
        found.append((ref, int(version.removeprefix("v")), digest))
    return found


# What must hold after every kill ---------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    digest: str
    kind: str
    meeting_id: str | None


@dataclass
class LedgerCheck:
    events: int
    failure: str | None
    interrupted: list[str] = field(default_factory=list)
    """Certified categories whose keys still live: a purge stopped between sign and destroy."""
    cases: dict[str, dict[int, Stored]] = field(default_factory=dict)
    """aggregate id → version → what is stored there (case events only)."""

    def case(self, ref: str) -> dict[int, Stored]:
        return self.cases.get(str(employee(ref).case_id), {})


def check_ledger(target: str) -> LedgerCheck:
    """Verify the whole ledger, and decode every stored row on its own.

    A row that does not parse, does not decode into its event model, or whose decoded event
    does not have the digest of the stored envelope is a half-written (or damaged) event.
    """
    with Ledger.open(target) as ledger:
        report = ledger.verify()
        check = LedgerCheck(
            events=report.events,
            failure=None if report.failure is None else report.failure.describe(),
            interrupted=list(getattr(report, "interrupted", [])),
        )
        for row in ledger._store.rows():
            doc = orjson.loads(row.state)
            stored_digest = hashlib.sha256(
                orjson.dumps(doc["env"], option=orjson.OPT_SORT_KEYS)
            ).hexdigest()
            event = decode_event(row.topic, row.state)
            assert event.digest == stored_digest, f"row {row.position} decodes to another event"
            if not row.topic.startswith("pmledger.case/"):
                continue
            act = doc["payload"]["act"]
            check.cases.setdefault(row.aggregate_id, {})[row.version] = Stored(
                stored_digest, act["kind"], act.get("meeting_id")
            )
        return check


def check_appends(check: LedgerCheck, acks: list[tuple[str, int, str]], refs: list[str]) -> int:
    """Every acknowledged append is stored with its digest, and each case is a prefix of the
    plan (nothing duplicated, nothing out of order). Returns how many acks were checked."""
    assert check.failure is None, f"verify failed: {check.failure}"
    assert len({(ref, version) for ref, version, _ in acks}) == len(acks), "a version acked twice"
    for ref, version, digest in acks:
        stored = check.case(ref).get(version)
        assert stored is not None, f"acknowledged {ref} v{version} is not in the ledger"
        assert stored.digest == digest, f"acknowledged {ref} v{version} has another digest"
    for ref in refs:
        versions = check.case(ref)
        assert sorted(versions) == list(range(1, len(versions) + 1)), f"{ref}: gaps {versions}"
        for version, stored in versions.items():
            act, _, _ = plan_step(ref, version)
            assert (stored.kind, stored.meeting_id) == (act.kind, getattr(act, "meeting_id", None))
    return len(acks)


# The purge: a ledger of closed cases whose records are due for disposal -------------------


def purge_ledger(target: str, keydir: Path, cases: int) -> None:
    """Closed capability cases from 2023-24, every category due on PURGE_AS_OF."""
    with open_ledger(target, keystore(keydir)) as ledger:
        enrol(ledger)
        for n in range(cases):
            closed_capability_case(ledger, employee(f"P-{n:03}"))


def closed_capability_case(ledger: Ledger, who: EmployeeRef) -> None:
    """A 2023-24 cycle, a capability procedure with a written warning issued on 2024-02-29,
    and the case closed on 2024-07-19."""
    ledger.record(who, opened(who), occurred_on=date(2023, 9, 1), actor=HR)
    cycle = CycleOpened(
        cycle_id="2023-24",
        starts_on=date(2023, 9, 1),
        ends_on=date(2024, 8, 31),
        reviewer_person_id="ht-1",
    )
    ledger.record(who, cycle, occurred_on=date(2023, 9, 1), actor=HEAD)
    objective = Objective(objective_id="o1", text="Reading", success_criteria="75%")
    ledger.record(
        who,
        ObjectivesSet(cycle_id="2023-24", objectives=(objective,)),
        occurred_on=date(2023, 9, 20),
        actor=HEAD,
    )
    ledger.record(
        who,
        CapabilityStarted(reason="Lesson planning"),
        occurred_on=date(2024, 1, 8),
        actor=HEAD,
        deviation_reason="service delivery significantly affected",
    )
    warning = WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN, reasons="Planning")
    ledger.record(who, warning, occurred_on=date(2024, 2, 29), actor=HEAD)
    ledger.record(
        who, CaseClosed(reason="Standard reached"), occurred_on=date(2024, 7, 19), actor=HR
    )


def purge_child(target: str, keydir: str, output: str) -> None:
    """`pmledger retention purge`, run by the command line's own code in this process."""
    _quiet(output)
    os.environ["PMLEDGER_KEY_PASSPHRASE"] = PASSPHRASE
    from pmledger.cli.main import app

    args = ["retention", "purge", "--db", target, "--as-of", PURGE_AS_OF]
    app([*args, "--actor", "hr-1:administrator", "--keys", keydir], prog_name="pmledger")


def purge_child_as(target: str, keydir: str, output: str, application_name: str) -> None:
    """`purge_child` whose PostgreSQL connections carry `application_name`, so a test can find
    and terminate exactly this purge's backends (and no other test's)."""
    os.environ["PGAPPNAME"] = application_name
    purge_child(target, keydir, output)


Disposals = dict[str, list[list[tuple[str, int]]]]


def disposal_state(target: str, *, finished: bool = True) -> Disposals:
    """Each case's certificates, and a check that no key is destroyed without a certificate
    (at every instant) and, once the purge has `finished`, that every certified category's key
    is gone — read from the store and the key table themselves, beneath the access policy,
    since what was stored is what a crash test is about."""
    state: Disposals = {}
    with Ledger.open(target) as ledger:
        data_keys = data_keys_for(ledger._store)
        for summary in ledger._archive.summaries():
            who = employee(summary.employee_ref)
            certified: list[str] = []
            found = []
            for event in ledger._store.events.get(who.case_id):
                assert isinstance(event, CaseEvent)
                if event.kind != "records_disposed":
                    continue
                disposals = event.act.disposals  # type: ignore[union-attr]
                found.append(sorted((d.category, d.records) for d in disposals))
                certified.extend(d.category for d in disposals)
            assert len(certified) == len(set(certified)), f"{who}: a category certified twice"
            for category in RecordCategory:
                key = data_keys.get(str(who.case_id), category.value)
                if key is not None and key.key is None:
                    assert category in certified, f"{who}: {category} destroyed, not certified"
            for category in certified if finished else ():
                key = data_keys.get(str(who.case_id), category)
                assert key is not None, f"{who}: certified {category} never had a key"
                assert key.key is None, f"{who}: {category} certified but its key survives"
            state[summary.employee_ref] = found
    return state


# Concurrent writers ---------------------------------------------------------------------


def _meeting(meeting_id: str) -> MeetingHeld:
    return MeetingHeld(meeting_id=meeting_id, chair_person_id="ht-1", minutes="Discussed.")


def writer(
    target: str,
    keydir: str,
    name: str,
    shared: str,
    own: str,
    rounds: int,
    free: int,
    barrier: Barrier,
    log: str,
) -> None:
    """Race on the shared case, then write freely to the shared case and to one's own.

    Rounds: load the shared case, wait for every rival, write conditionally on what was loaded
    (exactly one writer can win). Free writes: no barrier and no expected version, alternating
    between the writer's own case and the shared one. Every outcome is logged and fsynced.
    """
    clock = SteppingClock(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def attempt(ref: str, meeting_id: str, expected: int | None) -> None:
        try:
            receipt = ledger.record(
                employee(ref),
                _meeting(meeting_id),
                occurred_on=date(2025, 11, 3),
                actor=HEAD,
                expected_version=expected,
            )
            line = f"stored {ref} {meeting_id} v{receipt.version} {receipt.digest}"
        except ConcurrencyConflict:
            line = f"conflict {ref} {meeting_id}"
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)

    with Ledger.open(target, keystore=keystore(keydir), clock=clock) as ledger:
        for n in range(rounds):
            seen = ledger.reader(HR).case(employee(shared)).version
            barrier.wait(timeout=120)
            attempt(shared, f"{name}-r{n}", seen)
            barrier.wait(timeout=120)
        for n in range(free):
            attempt(own if n % 2 == 0 else shared, f"{name}-f{n}", None)
    os.close(fd)


@dataclass(frozen=True)
class Outcome:
    stored: bool
    ref: str
    meeting_id: str
    version: int = 0
    digest: str = ""


def outcomes(log: Path) -> Iterator[Outcome]:
    for line in log.read_text().splitlines():
        word, ref, meeting_id, *rest = line.split(" ")
        if word == "stored":
            yield Outcome(True, ref, meeting_id, int(rest[0].removeprefix("v")), rest[1])
        else:
            assert word == "conflict", line
            yield Outcome(False, ref, meeting_id)


# The command line, as a user runs it ------------------------------------------------------


def cli_child(args: list[str], output: str, env: dict[str, str] | None = None) -> None:
    """`pmledger ARGS` through the console script's own entry point, in a forked child."""
    _quiet(output)
    import sys

    os.environ.update(env or {})

    from pmledger.cli.main import main

    sys.argv = ["pmledger", *args]
    main()


def run_cli(
    args: list[str],
    output: Path,
    *,
    fork: BaseContext | None = None,
    env: dict[str, str] | None = None,
) -> tuple[int, str]:
    """Run `pmledger ARGS` with `env` added to the environment; return its exit code and
    everything it printed (stdout+stderr).

    Without `fork` it is a fresh `python -m pmledger` process; with it, a child forked from the
    preloaded server (the same entry point, without the interpreter's start-up time).
    """
    if fork is not None:
        code = run_child(fork, cli_child, (args, str(output), env), kill_after=None)
        return code, output.read_text(errors="replace")
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pmledger", *args],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    return done.returncode, (done.stdout + done.stderr).decode(errors="replace")
