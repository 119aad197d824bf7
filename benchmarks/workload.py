"""The data every benchmark writes: a fixed cast, deterministic acts and a stepping clock.

Nothing here reads the wall clock: recorded times advance one minute per event from a fixed
instant, and `occurred_on` dates are constants, so two runs write byte-identical payloads
(signatures differ only because keys are generated afresh).

Also here: the plain eventsourcing aggregate used as the unsigned baseline, and builders that
chain signed events in memory through the public aggregate functions so a whole batch can be
stored in one `CaseStore.save` call (the Ledger itself has no batch API).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache, partial
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.utils import Environment, EnvType
from harness import Stores
from psycopg.sql import SQL, Identifier

from pmledger.aggregates.employee_case import EmployeeCase, new_case_event, project_case
from pmledger.commands import EmployeeRef
from pmledger.errors import PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.integrity.keystore import KeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.registry import current_packs
from pmledger.storage.target import parse_target

START = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
OPENED_ON = date(2025, 9, 1)
INVITED_ON = date(2025, 10, 1)
HELD_ON = date(2025, 10, 9)
ACKNOWLEDGED_ON = date(2025, 10, 10)
ORGANISATION = "trust"
PURPOSE = MeetingPurpose.ONE_TO_ONE
"""A routine 1-2-1: possible at any stage of every pack, so the benchmarks need no stage set-up."""
PACK_PREFERENCE = ("improving-performance", "star-developing-performance")
"""Which shipped procedure pack the benchmark cases follow: the first of these that exists."""
MINUTES = (
    "Discussed progress against the three targets in the support plan; agreed weekly "
    "check-ins with the mentor and a further lesson observation before half term."
)

HR = Actor(person_id="hr-1", role=Role.HR)
HEAD = Actor(person_id="ht-1", role=Role.HEADTEACHER, authority_level=1)


@cache
def pack() -> PackRef:
    """The first preferred pack (current version) under which the benchmark acts are accepted.

    Packs and their rules evolve; rather than hard-wiring one, each candidate is tried with a
    short history of the same acts the benchmarks record, on an in-memory ledger.
    """
    packs = current_packs()
    problems = []
    for pack_id in (*PACK_PREFERENCE, *sorted(set(packs) - set(PACK_PREFERENCE))):
        if pack_id not in packs:
            continue
        candidate = PackRef(id=pack_id, version=packs[pack_id].version)
        problem = _smoke_test(candidate)
        if problem is None:
            return candidate
        problems.append(f"{pack_id}: {problem}")
    raise SystemExit("no shipped pack accepts the benchmark acts:\n  " + "\n  ".join(problems))


def _smoke_test(candidate: PackRef) -> str | None:
    ledger = Ledger.open(":memory:", keystore=MemoryKeyStore(), clock=SteppingClock(), create=True)
    try:
        enrol(ledger, 1)
        ref = employee_ref(0)
        act = opened(0, employee(0).person_id, candidate.id)
        ledger.record(ref, act, occurred_on=OPENED_ON, actor=HR)
        ledger.record(ref, held(1), occurred_on=HELD_ON, actor=HEAD)
        ledger.record(ref, invited(2), occurred_on=INVITED_ON, actor=HEAD)
        minutes = ledger.record(ref, held(2), occurred_on=HELD_ON, actor=HEAD)
        acknowledgement = RecordAcknowledged(
            record_version=minutes.version, record_digest=minutes.digest
        )
        ledger.record(ref, acknowledgement, occurred_on=ACKNOWLEDGED_ON, actor=employee(0))
    except PmLedgerError as exc:
        return str(exc)
    finally:
        ledger.close()
    return None


@dataclass
class SteppingClock:
    """Recorded times advance one minute per call from a fixed instant."""

    now: datetime = START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def employee(n: int) -> Actor:
    return Actor(person_id=f"emp-{n}", role=Role.EMPLOYEE)


def employee_ref(n: int) -> EmployeeRef:
    return EmployeeRef(organisation=ORGANISATION, employee_ref=f"E-{n:06d}")


def opened(n: int, person_id: str, pack_id: str | None = None) -> CaseOpened:
    return CaseOpened(
        organisation=ORGANISATION,
        employee_ref=f"E-{n:06d}",
        employee_person_id=person_id,
        school="oakfield",
        staff_group=StaffGroup.TEACHER,
        pack_id=pack_id or pack().id,
    )


def invited(n: int) -> MeetingInvited:
    return MeetingInvited(meeting_id=f"m-{n}", purpose=PURPOSE, scheduled_for=HELD_ON)


def held(n: int) -> MeetingHeld:
    return MeetingHeld(
        meeting_id=f"m-{n}", purpose=PURPOSE, chair_person_id=HEAD.person_id, minutes=MINUTES
    )


# the signed side ----------------------------------------------------------------------------


@dataclass
class Cast:
    """Who signs: one HR administrator, one headteacher and a pool of employees."""

    employees: int
    key_ids: dict[str, str] = field(default_factory=dict)
    """person_id → key id, filled in by `enrol`."""

    def employee_for_case(self, case_no: int) -> Actor:
        return employee(case_no % self.employees)


def open_ledger(
    target: str, clock: SteppingClock | None = None, keystore: KeyStore | None = None
) -> Ledger:
    """`keystore`: pass one to open the ledger again later as someone enrolled in it."""
    return Ledger.open(
        target, keystore=keystore or MemoryKeyStore(), clock=clock or SteppingClock(), create=True
    )


def enrol(ledger: Ledger, employees: int) -> Cast:
    """Bootstrap the keyring and give the headteacher and every employee a key."""
    cast = Cast(employees=employees)
    cast.key_ids[HR.person_id] = ledger.bootstrap(HR.person_id, (Role.HR, Role.ADMINISTRATOR))
    cast.key_ids[HEAD.person_id] = ledger.register_person(
        HEAD.person_id, (Role.HEADTEACHER,), by=HR, schools=("oakfield",), authority_level=1
    )
    for n in range(employees):
        person = employee(n).person_id
        cast.key_ids[person] = ledger.register_person(person, (Role.EMPLOYEE,), by=HR)
    return cast


def open_cases(ledger: Ledger, cast: Cast, cases: int) -> list[EmployeeRef]:
    """Open `cases` cases through Ledger.record (one signed event each)."""
    refs = []
    for n in range(cases):
        ref = employee_ref(n)
        person = cast.employee_for_case(n).person_id
        ledger.record(ref, opened(n, person), occurred_on=OPENED_ON, actor=HR)
        refs.append(ref)
    return refs


class CaseDraft:
    """A case's events built in memory and chained through the public aggregate functions.

    `new_case_event` with the draft's running `EmployeeCase` gives each event the right version
    and `prev`; `project_case` folds it in so the next event links to it. Nothing is checked
    beyond what the models validate (no `check_coherent`, no key lookup): this is the batch
    path a caller can build today, not a Ledger API.
    """

    def __init__(self, case_no: int, cast: Cast, clock: SteppingClock) -> None:
        self.case_no = case_no
        self.ref = employee_ref(case_no)
        self.case_id: UUID = self.ref.case_id
        self.employee = cast.employee_for_case(case_no)
        self.cast = cast
        self.clock = clock
        self.case: EmployeeCase | None = None

    def add(self, act: Act, actor: Actor, occurred_on: date) -> CaseEvent:
        event = new_case_event(
            self.case,
            case_id=self.case_id,
            act=act,
            occurred_on=occurred_on,
            actor=actor,
            key_id=self.cast.key_ids[actor.person_id],
            pack=pack(),
            deviation_reason=None,
            recorded_at=self.clock(),
        )
        self.case = project_case(self.case, [event])
        return event

    def open(self) -> CaseEvent:
        return self.add(opened(self.case_no, self.employee.person_id), HR, OPENED_ON)


def meetings_history(draft: CaseDraft, events: int) -> Iterator[CaseEvent]:
    """case_opened, then meeting_held … (the shape of the per-event append benchmark)."""
    yield draft.open()
    for n in range(1, events):
        yield draft.add(held(n), HEAD, HELD_ON)


def mixed_history(draft: CaseDraft, events: int) -> Iterator[CaseEvent]:
    """case_opened, then cycles of meeting_invited, meeting_held, record_acknowledged.

    One event in three is an acknowledgement, which `verify` cross-checks against the stored
    record it countersigns (one extra read per acknowledgement).
    """
    yield draft.open()
    minutes: CaseEvent | None = None
    for n in range(1, events):
        step = (n - 1) % 3
        meeting = (n - 1) // 3 + 1
        if step == 0:
            yield draft.add(invited(meeting), HEAD, INVITED_ON)
        elif step == 1:
            minutes = draft.add(held(meeting), HEAD, HELD_ON)
            yield minutes
        else:
            assert minutes is not None
            acknowledgement = RecordAcknowledged(
                record_version=minutes.originator_version, record_digest=minutes.digest
            )
            yield draft.add(acknowledgement, draft.employee, ACKNOWLEDGED_ON)


@dataclass(frozen=True)
class BuiltLedger:
    target: str
    events: int
    cases: int
    keys: int


def save_in_batches(ledger: Ledger, events: Iterable[CaseEvent], batch: int = 2000) -> int:
    """Store events a batch at a time (one transaction each), never holding the whole log in
    memory; returns how many were stored."""
    pending: list[CaseEvent] = []
    written = 0
    for event in events:
        pending.append(event)
        if len(pending) >= batch:
            ledger._store.save(*pending)
            written += len(pending)
            pending.clear()
    if pending:
        ledger._store.save(*pending)
        written += len(pending)
    settle(ledger)
    return written


def settle(ledger: Ledger) -> None:
    """Settle bulk-written rows as autovacuum would before anyone times a read of them.

    On PostgreSQL the first reader of a freshly committed row sets its hint bits, writing the
    page back: a one-off 20 µs a row that would otherwise fall on whichever contender reads
    first (in a one-round full run, always ours: 20 of the 52 s of a million-event rebuild).
    SQLite has nothing of the kind.
    """
    recorder = ledger._store.recorder
    if isinstance(recorder, PostgresAggregateRecorder):
        vacuum = SQL("VACUUM (ANALYZE) {}.{}").format(
            Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
        )
        with recorder.datastore.get_connection() as conn:  # autocommit: VACUUM needs it
            conn.execute(vacuum)


@dataclass(frozen=True)
class CasesLedger:
    """What `build_cases` wrote: the cast (whose private keys `keystore` holds) and where the
    ledger's clock stood after it, so a copy opens as the same ledger would go on."""

    cast: Cast
    keystore: MemoryKeyStore
    clock_at: datetime
    cases: int
    events_per_case: int
    case_events: int


def build_cases(target: str, cases: int, events_per_case: int) -> CasesLedger:
    """A cast of 50 employees, then `cases` mixed histories (case_opened, then cycles of
    invitation, minutes and acknowledgement), stored in batches: the workload that the
    checkpoint and projection benchmarks both start from.

    Every event is drafted on the ledger's own clock, after the enrolment: a case drafted on
    a clock of its own started before the keys were registered, so its employee signed the
    first acknowledgement "before the key became valid" and the ledger did not verify. The
    built ledger is verified once here (untimed; a copy holds the same rows), so a workload
    that stops verifying stops the run rather than being timed.
    """
    keystore, clock = MemoryKeyStore(), SteppingClock()
    with open_ledger(target, clock, keystore) as ledger:
        cast = enrol(ledger, 50)
        written = save_in_batches(
            ledger,
            (
                event
                for case_no in range(cases)
                for event in mixed_history(CaseDraft(case_no, cast, clock), events_per_case)
            ),
        )
        report = ledger.verify()
        if report.failure is not None:
            raise SystemExit(f"the benchmark workload does not verify: {report.failure}")
    return CasesLedger(cast, keystore, clock.now, cases, events_per_case, written)


@contextlib.contextmanager
def cases_ledger(
    stores: Stores, cases: int, events_per_case: int
) -> Iterator[tuple[Ledger, CasesLedger, SteppingClock]]:
    """An open copy of `build_cases(…, cases, events_per_case)`, built once per backend per run
    (`Stores.copy_of`) and copied afresh for each caller: the benchmarks that start from it
    each get the same ledger as if they had built it themselves.

    The clock is the ledger's own, going on from where the build left it: draft what is added
    to the copy on it, so the added events, like the built ones, are signed with valid keys."""
    build = partial(build_cases, cases=cases, events_per_case=events_per_case)
    with stores.copy_of(f"cases-{cases}x{events_per_case}", build, _open_empty) as copy:
        target, built = copy
        clock = SteppingClock(built.clock_at)
        with open_ledger(target, clock, built.keystore) as ledger:
            yield ledger, built, clock


def _open_empty(target: str) -> None:
    open_ledger(target).close()


def build_ledger(
    target: str,
    *,
    cases: int,
    events_per_case: int,
    employees: int = 20,
    mixed: bool = True,
    batch_events: int = 1000,
    checkpoint: bool = False,
    keystore: KeyStore | None = None,
) -> BuiltLedger:
    """A ledger of `cases * events_per_case` signed case events, written in large batches
    (and a signed checkpoint over them all, if asked: a ledger in use has them).

    The bytes are what Ledger.record would store (same events, same mapper, same signer), but
    writing in batches keeps building a 100,000-event ledger to seconds, not minutes.
    """
    clock = SteppingClock()
    ledger = open_ledger(target, clock, keystore)
    try:
        cast = enrol(ledger, employees)
        history = mixed_history if mixed else meetings_history
        written = save_in_batches(
            ledger,
            (
                event
                for case_no in range(cases)
                for event in history(CaseDraft(case_no, cast, clock), events_per_case)
            ),
            batch_events,
        )
        keys = len(cast.key_ids)
        if checkpoint:
            ledger.checkpoint(HR)
    finally:
        ledger.close()
    return BuiltLedger(target=target, events=written + keys, cases=cases, keys=keys)


# the unsigned baseline ----------------------------------------------------------------------


class PlainCase(Aggregate):
    """A plain eventsourcing aggregate: the same fields as a signed case event, no signature."""

    class Opened(Aggregate.Created):
        actor: dict[str, Any]
        occurred_on: str
        pack: dict[str, Any]
        deviation_reason: str | None
        act: dict[str, Any]

    class Recorded(Aggregate.Event):
        actor: dict[str, Any]
        occurred_on: str
        pack: dict[str, Any]
        deviation_reason: str | None
        act: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.kinds.append(self.act["kind"])

    def __init__(
        self,
        actor: dict[str, Any],
        occurred_on: str,
        pack: dict[str, Any],
        deviation_reason: str | None,
        act: dict[str, Any],
    ) -> None:
        self.kinds: list[str] = [act["kind"]]


class PlainApp(Application[UUID]):
    """A default eventsourcing application (default mapper and JSON transcoder)."""

    name = "plain"

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        return Environment(name, dict(env or {}))


def plain_app(target: str) -> PlainApp:
    """A plain application on the same kind of store, configured as the Ledger would be."""
    return PlainApp(env=parse_target(target).env)


@cache
def _template(kind: str) -> dict[str, Any]:
    """An act's JSON form, taken once from the model, so the baseline tracks schema changes."""
    model = {"meeting_held": held(0), "case_opened": opened(0, "emp-0")}[kind]
    return model.model_dump(mode="json")


@cache
def _actor_json(actor: Actor) -> dict[str, Any]:
    return actor.model_dump(mode="json")


def plain_opened(n: int, person_id: str) -> dict[str, Any]:
    return {
        **_template("case_opened"),
        "employee_ref": f"E-{n:06d}",
        "employee_person_id": person_id,
    }


def plain_held(n: int) -> dict[str, Any]:
    return {**_template("meeting_held"), "meeting_id": f"m-{n}"}


def plain_case(n: int, person_id: str, clock: SteppingClock) -> PlainCase:
    return PlainCase._create(
        PlainCase.Opened,
        id=employee_ref(n).case_id,
        timestamp=clock(),
        actor=_actor_json(HR),
        occurred_on=OPENED_ON.isoformat(),
        pack=pack().model_dump(mode="json"),
        deviation_reason=None,
        act=plain_opened(n, person_id),
    )


def plain_record_held(case: PlainCase, n: int, clock: SteppingClock) -> None:
    case.trigger_event(
        PlainCase.Recorded,
        timestamp=clock(),
        actor=_actor_json(HEAD),
        occurred_on=HELD_ON.isoformat(),
        pack=pack().model_dump(mode="json"),
        deviation_reason=None,
        act=plain_held(n),
    )


def check_equivalence() -> None:
    """The baseline's payloads are the signed events' payloads, field for field."""
    if held(7).model_dump(mode="json") != plain_held(7):
        raise AssertionError("plain meeting_held payload differs from MeetingHeld")
    if opened(7, "emp-7").model_dump(mode="json") != plain_opened(7, "emp-7"):
        raise AssertionError("plain case_opened payload differs from CaseOpened")
