"""`CaseArchive`: the cases as stored, beneath the access policy.

A host application never holds one. The Ledger keeps it private and hands it only to the
collaborators that check a person's right first — the `CaseReader` (every read, export and
disposal) and the Ledger's own write path — so every public query names an actor. It is not a
database permission: whoever holds the database (and so its data keys) can read everything, and
the database must be protected as the procedures' records themselves.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent

from pmledger.aggregates.employee_case import EmployeeCase, project_case
from pmledger.audit.stored_row import StoredRow
from pmledger.commands import EmployeeRef
from pmledger.crypto.content import Sealer
from pmledger.crypto.data_keys import DataKeys, Disposal
from pmledger.errors import InvalidInput, UnknownEmployee
from pmledger.events.case_acts import CaseOpened
from pmledger.events.personal import rewrite_recorded
from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CASE_CACHE_SIZE, UNREADABLE_DATABASE, CaseStore
from pmledger.projections.case_status import CaseStatus, case_status, with_reasons
from pmledger.projections.disposal_facts import DisposalFacts, dates_pass, facts_of

CASE_OPENED_TOPIC = "pmledger.case/case_opened/v1"


@dataclass(frozen=True)
class CaseSummary:
    case_id: UUID
    organisation: str
    employee_ref: str
    school: str
    pack_id: str

    @property
    def employee(self) -> EmployeeRef:
        return EmployeeRef(organisation=self.organisation, employee_ref=self.employee_ref)


@dataclass
class StoredCase:
    """A case as a walk over every case reads it: the facts its disposal dates need, and
    the case itself, folded through its procedure from the same events only when asked (a
    purge asks for the cases it certifies, and those under a hold)."""

    facts: DisposalFacts
    rows: list[StoredRow]
    """The case's rows as read, decoded again for `case` (the walk does not keep a case's
    decoded events past its dates pass: see `CaseArchive.every_case`)."""
    _case: EmployeeCase | None = None

    @property
    def id(self) -> UUID:
        return self.facts.case_id

    def case(self) -> EmployeeCase:
        if self._case is None:
            self._case = project_case(None, _decoded(self.rows))
            assert self._case is not None, "a case has at least its opening event"
        return self._case


def _decoded(rows: list[StoredRow]) -> list[CaseEvent]:
    return [cast(CaseEvent, decode_event(row.topic, row.state)) for row in rows]


class CaseArchive:
    def __init__(
        self, store: CaseStore, sealer: Sealer, data_keys: DataKeys, calendars: Calendars
    ) -> None:
        self._store = store
        self._sealer = sealer
        self._data_keys = data_keys
        self._calendars = calendars
        self._kept: OrderedDict[UUID, tuple[EmployeeCase, dict[int, bytes]]] = OrderedDict()
        """Cases this archive has just stored, each with the bytes it stored for them by
        version: see `keep`."""
        self._kept_lock = Lock()

    def keep(self, cases: Iterable[EmployeeCase], stored: Iterable[StoredEvent]) -> None:
        """Keep just-stored cases, with the rows stored for them, so the next load of each
        does not read back and fold again the events this ledger has just folded (a quarter
        of preparing a record, issue 22).

        A kept case is not trusted as it is: the next load reads its rows from the first one
        kept on, in the one query a cached case's update takes anyway, and uses the kept case
        only if the store still holds exactly the bytes kept (a row rewritten meanwhile, as
        an older schema stored it, makes it load as stored: tests/core/test_stored_digest.py);
        rows after them, another writer's, are folded onto it. Only for events whose save
        committed (never a refused or failed one). A fork of each case is kept, so the caller
        may go on with the case it holds."""
        rows: dict[UUID, dict[int, bytes]] = {}
        for row in stored:
            rows.setdefault(UUID(str(row.originator_id)), {})[row.originator_version] = row.state
        for case in cases:
            mine = rows.get(case.id)
            if not mine or max(mine) != case.version:
                continue
            kept = (deepcopy(case), mine)
            with self._kept_lock:  # a ledger shared by threads: never raise after a commit
                self._kept.pop(case.id, None)
                self._kept[case.id] = kept
                if len(self._kept) > CASE_CACHE_SIZE:
                    self._kept.popitem(last=False)

    def kept_from(self, case_id: UUID) -> int | None:
        """The first version kept of a case this archive has just stored (None if it holds
        none): where a writer reads the case's rows from, with its other reads, for `load`."""
        kept = self._kept.get(case_id)
        return min(kept[1]) if kept else None

    def _from_kept(self, case_id: UUID, rows: Sequence[StoredEvent] | None) -> EmployeeCase | None:
        """The kept case brought up to date from the log (`rows`, the case's rows from the
        first kept version on, if the caller read them), if the log still holds the rows kept
        with it byte for byte; None (the case then loads as stored) otherwise. Taken out of
        the kept ones either way: once checked it goes to the store's case cache, which
        brings it up to date on later loads as it does any case it read."""
        with self._kept_lock:
            kept = self._kept.pop(case_id, None)
        if kept is None:
            return None
        case, mine = kept
        if rows is None:
            try:
                rows = self._store.recorder.select_events(case_id, gt=min(mine) - 1)
            except UNREADABLE_DATABASE:
                return None  # the load as stored says what is wrong
        stored = {row.originator_version: row.state for row in rows}
        if any(stored.get(version) != state for version, state in mine.items()):
            return None
        newer = [
            decode_event(row.topic, row.state)
            for row in rows
            if row.originator_version > case.version
        ]
        found = project_case(case, cast(list[CaseEvent], newer))
        assert found is not None, "a kept case exists"
        cache = self._store.repository.cache
        if cache is not None:
            cache.put(case_id, found)
        return deepcopy(found)

    def load(
        self,
        case_id: UUID,
        version: int | None = None,
        rows: Sequence[StoredEvent] | None = None,
    ) -> EmployeeCase | None:
        """The case as stored (at `version`, if given); `rows` are its rows from `kept_from`
        on, when the caller has read them."""
        if version is None and (kept := self._from_kept(case_id, rows)) is not None:
            return kept
        try:
            return self._store.repository.get(case_id, version=version, projector_func=project_case)
        except AggregateNotFoundError:
            return None

    def case(self, employee: EmployeeRef, version: int | None = None) -> EmployeeCase:
        found = self.load(employee.case_id, version)
        if found is None:
            raise UnknownEmployee(f"no case is open for {employee}")
        return found

    def every_case(
        self, folded: Callable[[DisposalFacts], bool], page: int = 100
    ) -> Iterator[StoredCase]:
        """Every case in the order it was opened, with the facts its disposal dates need
        (the dates pass, not the procedure's fold), `page` cases per two queries (their
        opening rows, then all their events): a walk over every case (the retention plan
        and purge) pays no snapshot read and events read per case, nor eventsourcing's
        reconstruction, and holds one page of cases' rows at a time.

        A case's events are decoded, passed over and let go of before the next case's are
        decoded: decoding a page of 400 events and keeping them all took twice the time of
        decoding them a case at a time (fresh memory for every object, not the memory the
        last case's freed), the cost of the plan's decoding over a bare decode's. So a case
        `folded` says the caller will need whole (a purge, to certify it) is folded from its
        events then, not decoded a second time later.

        Once a case was needed whole, the next is folded first and its facts taken from the
        fold (`facts_of`, held to the dates pass by tests/retention/test_dates_pass.py), not
        worked out twice: a first purge certifies nearly every case, and the dates pass was
        7 % of its time on top of the fold. A case `folded` then turns down is kept folded
        all the same, and the one after it goes back to the dates pass, so a walk that needs
        no case whole (a plan, a purge with nothing due) never folds one."""
        fold_first = False
        for opened in self._store.row_pages(1, page, (CASE_OPENED_TOPIC,)):
            rows: dict[str, list[StoredRow]] = {}
            for row in self._store.events_of([row.aggregate_id for row in opened]):
                rows.setdefault(row.aggregate_id, []).append(row)
            for row in opened:
                mine = rows[row.aggregate_id]
                events = _decoded(mine)
                if fold_first:
                    case = project_case(None, events)
                    assert case is not None, "a case has at least its opening event"
                    fold_first = folded(facts := facts_of(case))
                else:
                    fold_first = folded(facts := dates_pass(events))
                    case = project_case(None, events) if fold_first else None
                yield StoredCase(facts, mine, case)

    def events(self, employee: EmployeeRef) -> Iterator[CaseEvent]:
        """The case's events as stored: personal content sealed."""
        if self.load(employee.case_id, version=1) is None:
            raise UnknownEmployee(f"no case is open for {employee}")
        return cast(Iterator[CaseEvent], self._store.events.get(employee.case_id))

    def opened(self, event: CaseEvent) -> CaseEvent:
        """The event with its personal content opened (or marked disposed), same digest."""
        event.sealed()
        case_key = str(event.originator_id)
        return rewrite_recorded(event, lambda token: self._sealer.open(case_key, token))

    def destroyed_keys(self, case_ids: Sequence[UUID]) -> dict[tuple[UUID, str], date]:
        """When each destroyed data key of these cases was destroyed, in one read."""
        found = self._data_keys.destroyed([str(case_id) for case_id in case_ids])
        return {(UUID(case_id), category): on for (case_id, category), on in found.items()}

    def destroy_keys(self, disposals: Sequence[Disposal]) -> set[tuple[str, str]]:
        """Destroy these keys in one transaction; those this call destroyed."""
        return self._data_keys.destroy_all(disposals)

    def scrub_keys(self) -> None:
        """Remove what destroyed keys left in the database beyond their rows."""
        self._data_keys.scrub()

    def summaries(self) -> Iterator[CaseSummary]:
        """Every case in the order it was opened, streamed from the log."""
        for row in self._store.rows(topics=(CASE_OPENED_TOPIC,)):
            event = cast(CaseEvent, decode_event(row.topic, row.state))
            opened = cast(CaseOpened, event.act)
            yield CaseSummary(
                case_id=event.originator_id,
                organisation=opened.organisation,
                employee_ref=opened.employee_ref,
                school=opened.school,
                pack_id=opened.pack_id,
            )

    def status(self, employee: EmployeeRef, as_of: date) -> CaseStatus:
        """The status folded from the sealed events, with the deviation reasons it quotes
        opened (only they: opening every record would read a data key per field)."""
        status = case_status(self.events(employee), self._calendars.for_case, as_of)
        case_key = str(employee.case_id)
        return with_reasons(status, lambda token: self._sealer.open(case_key, token))

    def find_employee(
        self, employee_ref: str, admits: Callable[[CaseSummary], bool] = lambda _: True
    ) -> EmployeeRef | None:
        """The one case with this staff reference among those `admits` lets through; None when
        there is none, InvalidInput naming the organisations when there are several."""
        found = [c for c in self.summaries() if c.employee_ref == employee_ref and admits(c)]
        if len(found) > 1:
            orgs = ", ".join(sorted(c.organisation for c in found))
            raise InvalidInput(
                f"{employee_ref!r} names cases in several organisations ({orgs}); name one"
            )
        return found[0].employee if found else None
