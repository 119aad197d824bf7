"""`verify` on several processes, naming the same first bad event as one process would.

Ed25519 verification is most of what `verify` costs, and one process uses one core. Cases are
independent chains, so the log is shared out by aggregate: this process reads the log once,
in order, and hands each row to the process that checks its aggregate (`_Shares`: the one
given the fewest rows so far when the aggregate's first row comes, so the processes end
together), and every keyring row to every process (each needs the keys as the log registers
and revokes them). The checking processes are forked (so they have the packs this process
registered) and check their rows with the same `Verifier` as a single process; they open
the database only if a row needs a read (an acknowledgement of a record older than those a
chain keeps, a data key stored during the run). Memory per process is that of a single run
over its share: one chain head per case, never the events; the rows in flight are bounded by
the pipes. Meanwhile this process grows the Merkle tree and the map of case heads over the
rows it hands out, without checking signatures, to hold the log to its signed heads.

One process stops at the first bad row in log order, or at the first head that fails when
the log reaches its size. Every check of a row depends only on its own aggregate's earlier
rows and on the keyring before it, which each process receives whole, so a process finds
exactly the failures one process would find in its rows, and the first of all the
processes' first failures is the one process's, unless a head failed after an earlier row.
A process that fails posts its position; this process reads it a page at a time and the
others a message at a time, and hand out or check no row after it from then on: nothing
after it can come first. A failing report states what one process's would as of the
failure: the organisation named in the log before it, and the superseded packs the
processes met before it, in log order.

Measured (helper h23vfy, benchmarks/README.md): each process reading its own share of the
log cost a connection and the ledger's start-up per process (≈ 50 ms on PostgreSQL, of a
5,000-event verify of ≈ 600 ms), a scan of the whole log per process and shares uneven by
the ids' hash (one process 6 % over the mean at 200 cases).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import orjson

from pmledger.audit.data_keys import Certificate, DataKeyAudit, Slot
from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import Failure, Verifier, VerifyReport
from pmledger.crypto.data_keys import DataKey
from pmledger.ids import KEYRING_ID
from pmledger.integrity.snapshot_seal import SnapshotSeal
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.checkpoints.own_record import LogPositions
from pmledger.ledger.collector import collector_paused
from pmledger.ledger.documents import DocumentCheck
from pmledger.ledger.store import CaseStore, retry_ddl

AUTO_MIN_EVENTS = 2_000
"""Below this many events one process is quicker than starting several (`jobs=None`)."""
_NO_FAILURE = 2**62
BATCH = 64
"""Rows sent to a process in one message: pickling and waking it a few times a page."""
PIPE_BYTES = 1 << 20
"""Each process's pipe is widened to this (Linux allows 1 MiB unprivileged): about a thousand
rows, so this process, reading far faster than the others check, rarely waits on one process
while another runs dry."""

KeyRecords = list[Any]


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Shard processes are forked: they share what this process loaded (packs registered
    from files) without it being sent to them."""
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class ShardJob:
    """What every shard process starts from (inherited through the fork, never sent)."""

    reopen: Callable[[], CaseStore]
    """Opens the ledger in a shard process, for the rare row that needs a read."""
    shards: int
    seals: dict[tuple[str, int], SnapshotSeal | None]
    data_keys: dict[Slot, DataKey]
    pack_digest: Callable[[str, str], str | None]
    pack_superseded: Callable[[str, str, str], str | None]
    documents: bool


@dataclass
class ShardOutcome:
    """What one shard found, sent back to the parent (plain values)."""

    failure: Failure | None = None
    failure_adds: tuple[int, int] = (0, 0)
    """Cases and keys the failing row counted before it failed (as one process would)."""
    events: int = 0
    """Rows of this shard's own aggregates that passed (the keyring: in its owner's count)."""
    cases: int = 0
    keys: int = 0
    key_records: KeyRecords = field(default_factory=list)
    seals_left: list[tuple[str, int]] = field(default_factory=list)
    certified: dict[Slot, Certificate] = field(default_factory=dict)
    learned: dict[Slot, DataKey] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    referenced: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    superseded_packs: list[tuple[int, str]] = field(default_factory=list)
    """Each note with the log position of the row that first stated it."""
    organisation: str | None = None


class _Bound:
    """The log position of the earliest failure any process has found, shared by all."""

    def __init__(self, context: Any) -> None:
        self._value = context.RawValue("q", _NO_FAILURE)
        self._lock = context.Lock()

    def get(self) -> int:
        return int(self._value.value)

    def lower(self, position: int) -> None:
        with self._lock:
            self._value.value = min(self._value.value, position)


def verify_sharded(
    store: CaseStore,
    job: ShardJob,
    heads: list[SignedTreeHead],
    check: DocumentCheck,
    positions: LogPositions,
) -> VerifyReport:
    """Verify the log on `job.shards` processes; `check` receives the documents the records
    name (as `DocumentCheck.watch` over one stream would have), `positions` the position of
    every row of the log (read by this process as it hands the rows out)."""
    context = multiprocessing.get_context("fork")
    bound = _Bound(context)
    # Every pipe is made before any fork, and each process closes every end but its own two:
    # a process holding another's feed open would keep it from seeing the feed end.
    feeds = [context.Pipe(duplex=False) for _ in range(job.shards)]
    results = [context.Pipe(duplex=False) for _ in range(job.shards)]
    ends = [end for pair in (*feeds, *results) for end in pair]
    processes = []
    with collector_paused():
        try:
            # Frozen, this process's objects are left out of the shards' garbage collections:
            # a collection in a shard would otherwise touch (and so copy) every page the fork
            # shares. (A host that froze its own objects keeps them as it froze them.)
            freeze = gc.get_freeze_count() == 0
            if freeze:
                gc.freeze()
            try:
                for shard in range(job.shards):
                    own = (feeds[shard][0], results[shard][1])
                    process = context.Process(
                        target=_shard_main,
                        args=(job, shard, bound, own, [end for end in ends if end not in own]),
                        name=f"pmledger-verify-{shard}",
                        daemon=True,
                    )
                    process.start()
                    processes.append(process)
            finally:
                if freeze:
                    gc.unfreeze()
            for feed, result in zip(feeds, results, strict=True):
                feed[0].close()
                result[1].close()
            sends = [feed[1] for feed in feeds]
            for send in sends:
                _widen(send)
            main = Verifier(lookup_state=store.state_at, heads=heads)
            shares = _Shares(sends)
            pending = main.heads_to_hold()
            growing = main.report.failure is None
            if not growing:
                bound.lower(main.head_failed_at)
            for page in store.row_pages(1):
                # The bound is read a page at a time: rows handed out past a failure are
                # checked for nothing, and cannot come first.
                if page[0].position > bound.get():
                    break
                positions.see(page)
                if not shares.hand_out(page):
                    break
                if growing and pending and not main.hold_rows(page, pending):
                    growing = False
                    bound.lower(main.head_failed_at)
            shares.flush()
            for send in sends:
                send.close()  # the processes' feeds end: each finishes and sends its result
            outcomes = [_receive(result[0]) for result in results]
        finally:
            for end in ends:
                end.close()
            for process in processes:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
                    process.join()
    return _merge(store, job, main, pending, outcomes, check)


def _widen(pipe: Connection) -> None:
    """See `PIPE_BYTES`; elsewhere than Linux, or refused, a pipe keeps its size (the work
    is the same, the processes only wait on each other more)."""
    if sys.platform == "linux":
        import fcntl  # not on every system a fork is

        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class _Shares:
    """Hands each row to the process that checks its aggregate: the process given the fewest
    rows so far when the aggregate's first row comes (aggregates are of any length and come
    in any order, so a share fixed in advance, by the id's hash, left one process 6 % over
    the mean at 200 cases), and every keyring row to every process. A mapping of the
    aggregates seen, as the chain heads of one process are: never the rows."""

    def __init__(self, sends: list[Connection]) -> None:
        self.sends = sends
        self.given = [0] * len(sends)
        """Rows handed to each process (the keyring's to none: every process has those)."""
        self._owner: dict[str, int] = {}
        self._batches: list[list[tuple[int, str, int, str, bytes]]] = [[] for _ in sends]
        self._gone = False

    def hand_out(self, rows: Iterable[StoredRow]) -> bool:
        """Hand out these rows (a page, in log order); False once a process has gone (its
        exit is reported when its result is read)."""
        batches, given, owners = self._batches, self.given, self._owner
        for row in rows:
            aggregate_id = row.aggregate_id
            values = (*row,)  # pickled as a plain tuple, not a named one
            if aggregate_id == _KEYRING:
                for every, batch in enumerate(batches):
                    batch.append(values)
                    if len(batch) >= BATCH:
                        self._flush(every)
                continue
            owner = owners.get(aggregate_id)
            if owner is None:
                owner = owners[aggregate_id] = given.index(min(given))
            given[owner] += 1
            batch = batches[owner]
            batch.append(values)
            if len(batch) >= BATCH:
                self._flush(owner)
        return not self._gone

    def flush(self) -> None:
        """Send what is batched (the end of the rows)."""
        for process in range(len(self.sends)):
            self._flush(process)

    def _flush(self, process: int) -> None:
        batch = self._batches[process]
        if not batch or self._gone:
            return
        try:
            self.sends[process].send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, ConnectionResetError):
            self._gone = True
        batch.clear()


_KEYRING = str(KEYRING_ID)


def _received(feed: Connection, bound: _Bound) -> Iterator[StoredRow]:
    """The rows this process was handed, in log order, until the feed ends or a row comes
    after the bound (read a message at a time: a row checked past a failure cannot come
    first)."""
    while True:
        try:
            data = feed.recv_bytes()
        except EOFError:
            return
        last = bound.get()
        for values in pickle.loads(data):
            if values[0] > last:
                return
            yield StoredRow._make(values)


def _drain(feed: Connection) -> None:
    """Read the feed to its end unread, so the process handing rows out never waits on a
    full pipe of a process that stopped (which could then never send its result)."""
    try:
        while True:
            feed.recv_bytes()
    except (EOFError, OSError):
        pass


def _receive(pipe: Connection) -> ShardOutcome:
    try:
        sent = pipe.recv()
    except EOFError:
        raise RuntimeError("a verify process ended without a result") from None
    if isinstance(sent, BaseException):
        raise sent
    assert isinstance(sent, ShardOutcome)
    return sent


def _shard_main(
    job: ShardJob,
    shard: int,
    bound: _Bound,
    own: tuple[Connection, Connection],
    others: list[Connection],
) -> None:
    for end in others:
        end.close()
    feed, send = own
    try:
        outcome: ShardOutcome | BaseException = _check_shard(job, shard, bound, feed)
    except BaseException as exc:  # sent to the parent, which raises it
        outcome = exc
    _drain(feed)
    try:
        send.send(outcome)
    except Exception as exc:  # an error that cannot be pickled
        send.send(RuntimeError(f"verify process {shard} failed: {outcome!r} ({exc})"))
    send.close()


class _Reopened:
    """The ledger opened in a shard process at the first read a row needs, else never."""

    def __init__(self, reopen: Callable[[], CaseStore]) -> None:
        self._reopen = reopen
        self._store: CaseStore | None = None
        self._keys: Callable[[str, str], DataKey | None] | None = None

    def state_at(self, aggregate_id: str, version: int) -> bytes | None:
        return self._opened().state_at(aggregate_id, version)

    def data_key(self, case_id: str, category: str) -> DataKey | None:
        if self._keys is None:
            store = self._opened()
            self._keys = retry_ddl(lambda: store.storage.data_keys(store.recorder)).get
        return self._keys(case_id, category)

    def _opened(self) -> CaseStore:
        if self._store is None:
            self._store = self._reopen()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _check_shard(job: ShardJob, shard: int, bound: _Bound, feed: Connection) -> ShardOutcome:
    ledger = _Reopened(job.reopen)
    try:
        audit = DataKeyAudit(job.data_keys, ledger.data_key)
        verifier = Verifier(
            lookup_state=ledger.state_at,
            snapshot_seals=dict(job.seals),
            pack_digest=job.pack_digest,
            pack_superseded=job.pack_superseded,
            data_keys=audit,
            defer_signatures=True,
        )
        documents = DocumentCheck()
        rows: Iterator[StoredRow] = _received(feed, bound)
        if job.documents:
            rows = documents.watch(rows)
        outcome = ShardOutcome()
        report = verifier.report
        # Every row received is this shard's own or the keyring's, counted by shard 0 alone.
        keyring_mine = shard == 0
        for row in rows:
            if not verifier.check(row):
                break
            if keyring_mine or row.aggregate_id != _KEYRING:
                outcome.events += 1
        if report.failure is None:
            verifier.settle()
        if report.failure is not None:
            outcome.failure = report.failure
            outcome.failure_adds = verifier.failure_counted
            bound.lower(report.failure.position)
        outcome.cases, outcome.keys = report.cases, report.keys
        outcome.key_records = verifier.key_records() if shard == 0 else []
        outcome.seals_left = list(verifier.snapshot_seals)
        outcome.certified, outcome.learned = audit.findings()
        disposed = {slot[0] for slot, key in job.data_keys.items() if key.key is None}
        outcome.subjects = verifier.subjects_of(disposed | {s[0] for s in outcome.certified})
        outcome.referenced = documents.referenced
        at = verifier.superseded_at
        outcome.superseded_packs = [(at[note], note) for note in report.superseded_packs]
        outcome.organisation = report.organisation
        return outcome
    finally:
        ledger.close()


def _merge(
    store: CaseStore,
    job: ShardJob,
    main: Verifier,
    pending: list[SignedTreeHead],
    outcomes: list[ShardOutcome],
    check: DocumentCheck,
) -> VerifyReport:
    report = main.report
    failed = [o for o in outcomes if o.failure is not None]
    first = min(failed, key=lambda o: o.failure.position if o.failure else 0, default=None)
    if report.failure is not None and (
        first is None or first.failure is None or main.head_failed_at < first.failure.position
    ):
        # One process would have checked every row up to the head's size.
        report.events = report.failure.position
        report.cases, report.keys, report.organisation = _as_of(store, main.head_failed_at + 1)
        report.superseded_packs = _superseded(outcomes, main.head_failed_at)
        return report
    if first is not None and first.failure is not None:
        position = first.failure.position
        report.failure = first.failure
        report.events = store.events_until(position - 1)
        report.checkpoints = sum(1 for at in main.heads_held_at if at < position)
        cases, keys, report.organisation = _as_of(store, position)
        report.cases = cases + first.failure_adds[0]
        report.keys = keys + first.failure_adds[1]
        # The failing row's own note, if it stated one before it failed, is its process's.
        report.superseded_packs = _superseded(outcomes, position)
        return report
    report.events = sum(o.events for o in outcomes)
    report.cases = sum(o.cases for o in outcomes)
    report.keys = outcomes[0].keys
    report.organisation = outcomes[0].organisation
    report.superseded_packs = _superseded(outcomes, _NO_FAILURE)
    main.adopt_keys(outcomes[0].key_records)
    # Each process had every seal and reached those of its own cases: a seal is left
    # (its version not in the log) if no process reached it.
    left = set.intersection(*(set(o.seals_left) for o in outcomes))
    main.snapshot_seals = {k: v for k, v in job.seals.items() if k in left}
    audit = DataKeyAudit(job.data_keys, store.storage.data_keys(store.recorder).get)
    for outcome in outcomes:
        audit.adopt(outcome.certified, outcome.learned)
        main.adopt_subjects(outcome.subjects)
    main.data_keys = audit
    main.finish(pending)
    referenced = [item for o in outcomes for item in o.referenced.items()]
    check.referenced = dict(sorted(referenced, key=lambda item: item[1][0]))
    return report


def _superseded(outcomes: list[ShardOutcome], until: int) -> list[str]:
    """The processes' notes of superseded packs stated up to log position `until`, each once,
    in the order one process would have met them (each process met only its own cases')."""
    notes: dict[str, int] = {}
    for at, note in sorted(item for o in outcomes for item in o.superseded_packs):
        if at <= until:
            notes.setdefault(note, at)
    return list(notes)


def _as_of(store: CaseStore, before: int) -> tuple[int, int, str | None]:
    """Cases opened, keys registered and the organisation named in the log before position
    `before`: what one process's report said up to a failure (every row before it passed;
    only a failed run pays this second read)."""
    cases = keys = 0
    organisation: str | None = None
    for row in store.rows():
        if row.position >= before:
            break
        if row.topic.startswith("pmledger.case/") and b'"case_opened"' in row.state:
            cases += orjson.loads(row.state)["payload"]["act"].get("kind") == "case_opened"
        elif row.topic.startswith("pmledger.keyring/"):
            change = orjson.loads(row.state)["payload"]["change"]
            keys += change.get("kind") == "key_registered"
            if change.get("kind") == "organisation_named":
                organisation = str(change["organisation"])
    return cases, keys, organisation
