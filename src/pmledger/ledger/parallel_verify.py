"""`verify` on several processes, naming the same first bad event as one process would.

Ed25519 verification is most of what `verify` costs, and one process uses one core. Cases are
independent chains, so the log is shared out by aggregate (`storage.factory.shard_of`): each
shard process (forked, so it has the packs this process registered) opens its own connection,
reads its aggregates' rows and the whole keyring in log order (every shard needs the keys as
the log registers and revokes them), and checks them with the same `Verifier` as a single
process. Memory per process is that of a single run over its share: one chain head per case,
never the events. Meanwhile this process grows the Merkle tree and the map of case heads over
the whole log, without checking signatures, to hold the log to its signed heads: it reads each
row's leaf hash alone (`CaseStore.leaves`), which PostgreSQL computes, so 32 bytes travel a row.

One process stops at the first bad row in log order, or at the first head that fails when
the log reaches its size. Every check of a row depends only on its own aggregate's earlier
rows and on the keyring before it, which each shard reads whole, so a shard finds exactly the
failures one process would find in its rows, and the first of all the shards' first failures
is the one process's, unless a head failed after an earlier row. A shard that fails posts its
position, and the others stop once past it: nothing after it can come first.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
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
from pmledger.storage.factory import shard_of

AUTO_MIN_EVENTS = 2_000
"""Below this many events one process is quicker than starting several (`jobs=None`)."""
_NO_FAILURE = 2**62

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
    superseded_packs: list[str] = field(default_factory=list)
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
    every row of the log (read by this process as it holds the log to its heads)."""
    context = multiprocessing.get_context("fork")
    bound = _Bound(context)
    processes = []
    pipes: list[Connection] = []
    with collector_paused():
        # Frozen, this process's objects are left out of the shards' garbage collections: a
        # collection in a shard would otherwise touch (and so copy) every page the fork shares.
        # (A host that froze its own objects keeps them as it froze them.)
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            for shard in range(job.shards):
                receive, send = context.Pipe(duplex=False)
                process = context.Process(
                    target=_shard_main,
                    args=(job, shard, bound, send),
                    name=f"pmledger-verify-{shard}",
                    daemon=True,
                )
                process.start()
                send.close()
                processes.append(process)
                pipes.append(receive)
        finally:
            if freeze:
                gc.unfreeze()
        try:
            main = Verifier(lookup_state=store.state_at, heads=heads)
            pending = main.hold_heads(
                positions.watch(store.leaves()), lambda position: position >= bound.get()
            )
            if main.report.failure is not None:
                bound.lower(main.head_failed_at)
            outcomes = [_receive(pipe) for pipe in pipes]
        finally:
            for pipe in pipes:
                pipe.close()
            for process in processes:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
                    process.join()
    return _merge(store, job, main, pending, outcomes, check)


def _receive(pipe: Connection) -> ShardOutcome:
    try:
        sent = pipe.recv()
    except EOFError:
        raise RuntimeError("a verify process ended without a result") from None
    if isinstance(sent, BaseException):
        raise sent
    assert isinstance(sent, ShardOutcome)
    return sent


def _shard_main(job: ShardJob, shard: int, bound: _Bound, send: Connection) -> None:
    try:
        outcome: ShardOutcome | BaseException = _check_shard(job, shard, bound)
    except BaseException as exc:  # sent to the parent, which raises it
        outcome = exc
    try:
        send.send(outcome)
    except Exception as exc:  # an error that cannot be pickled
        send.send(RuntimeError(f"verify process {shard} failed: {outcome!r} ({exc})"))
    send.close()


def _check_shard(job: ShardJob, shard: int, bound: _Bound) -> ShardOutcome:
    store = job.reopen()
    try:
        key_table = retry_ddl(lambda: store.storage.data_keys(store.recorder))
        audit = DataKeyAudit(job.data_keys, key_table.get)
        seals = {k: v for k, v in job.seals.items() if shard_of(k[0], job.shards) == shard}
        verifier = Verifier(
            lookup_state=store.state_at,
            snapshot_seals=seals,
            pack_digest=job.pack_digest,
            pack_superseded=job.pack_superseded,
            data_keys=audit,
        )
        documents = DocumentCheck()
        rows: Iterator[StoredRow] = store.shard_rows(shard, job.shards)
        if job.documents:
            rows = documents.watch(rows)
        outcome = ShardOutcome()
        report = verifier.report
        # Every row read is this shard's own or the keyring's, counted by its owner alone.
        keyring, keyring_mine = str(KEYRING_ID), shard_of(str(KEYRING_ID), job.shards) == shard
        for row in rows:
            if row.position > bound.get():
                break
            cases, keys = report.cases, report.keys
            if not verifier.check(row):
                outcome.failure = report.failure
                outcome.failure_adds = (report.cases - cases, report.keys - keys)
                bound.lower(row.position)
                break
            if keyring_mine or row.aggregate_id != keyring:
                outcome.events += 1
        outcome.cases, outcome.keys = report.cases, report.keys
        outcome.key_records = verifier.key_records() if shard == 0 else []
        outcome.seals_left = list(verifier.snapshot_seals)
        outcome.certified, outcome.learned = audit.findings()
        disposed = {slot[0] for slot, key in job.data_keys.items() if key.key is None}
        outcome.subjects = verifier.subjects_of(disposed | {s[0] for s in outcome.certified})
        outcome.referenced = documents.referenced
        outcome.superseded_packs = report.superseded_packs
        outcome.organisation = report.organisation
        return outcome
    finally:
        store.close()


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
        report.events = report.failure.position
        report.cases, report.keys = _counts(store, main.head_failed_at + 1)
        return report
    if first is not None and first.failure is not None:
        position = first.failure.position
        report.failure = first.failure
        report.events = store.events_until(position - 1)
        report.checkpoints = sum(1 for at in main.heads_held_at if at < position)
        cases, keys = _counts(store, position)
        report.cases = cases + first.failure_adds[0]
        report.keys = keys + first.failure_adds[1]
        return report
    report.events = sum(o.events for o in outcomes)
    report.cases = sum(o.cases for o in outcomes)
    report.keys = outcomes[0].keys
    report.organisation = outcomes[0].organisation
    for outcome in outcomes:
        report.superseded_packs += [
            note for note in outcome.superseded_packs if note not in report.superseded_packs
        ]
    main.adopt_keys(outcomes[0].key_records)
    left = set().union(*(o.seals_left for o in outcomes))
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


def _counts(store: CaseStore, before: int) -> tuple[int, int]:
    """Cases opened and keys registered in the log before position `before`: what one
    process counted up to a failure (only a failed run pays this second read)."""
    cases = keys = 0
    for row in store.rows():
        if row.position >= before:
            break
        if row.topic.startswith("pmledger.case/") and b'"case_opened"' in row.state:
            cases += orjson.loads(row.state)["payload"]["act"].get("kind") == "case_opened"
        elif row.topic.startswith("pmledger.keyring/"):
            change = orjson.loads(row.state)["payload"]["change"]
            keys += change.get("kind") == "key_registered"
    return cases, keys
