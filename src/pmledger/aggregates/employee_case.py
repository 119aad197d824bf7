"""The per-employee case aggregate: identity, chain head and the record index.

State is a fold over the case's events, so a case at any past version is just a shorter
fold. Procedure rules (stages, time limits) are judged by the policy packs; what is checked
here is only what makes the record itself coherent: a case opens once, an acknowledgement
countersigns a record that exists, by the employee, against that record's exact digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from pmledger.errors import ActRefused, CaseAlreadyOpen, TamperingDetected, UnknownEmployee
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened
from pmledger.events.record_acts import COUNTERSIGNED, RecordAcknowledged
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.integrity.envelope import GENESIS
from pmledger.policies.case_file import CaseFile, countersigned
from pmledger.policies.ladder import Ladder
from pmledger.policies.procedure import fold
from pmledger.retention.categories import category_of
from pmledger.retention.schedule import RecordCategory


class CaseSnapshotLike(Protocol):
    """What the fold needs of a snapshot (defined by the snapshot module, which imports this)."""

    @property
    def originator_id(self) -> UUID: ...

    @property
    def originator_version(self) -> int: ...

    @property
    def timestamp(self) -> datetime: ...

    def restore(self) -> EmployeeCase: ...


@dataclass(frozen=True, slots=True)
class RecordInfo:
    version: int
    kind: str
    digest: str
    occurred_on: date
    actor: Actor
    category: RecordCategory
    """The retention category: which data key seals its personal content, when it goes."""


@dataclass(slots=True)
class EmployeeCase:
    id: UUID
    version: int
    head: str
    pack: PackRef
    file: CaseFile
    """The procedure's view of the case: stage and facts the pack judges acts on."""
    records: dict[int, RecordInfo] = field(default_factory=dict)

    @property
    def opened(self) -> CaseOpened:
        return self.file.opened

    @property
    def employee_ref(self) -> str:
        return self.opened.employee_ref

    @property
    def acknowledged_by(self) -> dict[int, int]:
        """record version → version of the acknowledgement that countersigned it (the file's
        own record of acknowledgements, which the pack judges by)."""
        return {version: mark.version for version, mark in self.file.acknowledged.items()}

    def awaiting_acknowledgement(self) -> list[RecordInfo]:
        return [
            r
            for r in self.records.values()
            if countersigned(r.kind, r.actor, self.opened)
            and r.version not in self.file.acknowledged
        ]

    def category_of(self, act: Act) -> RecordCategory:
        return record_category(self.file, _AttributeView(self.records, "category"), act)

    def __deepcopy__(self, memo: dict[int, Any]) -> EmployeeCase:
        """What the repository's case cache hands out for each command and read: a case that
        goes on independently of the cached one, so a command that fails after folding its
        act leaves the cached case untouched. The records and the file's facts are immutable
        and shared; only the containers holding them are new (see `CaseFile.fork`), so the
        copy costs references, not the case's contents."""
        return EmployeeCase(
            id=self.id,
            version=self.version,
            head=self.head,
            pack=self.pack,
            file=self.file.fork(),
            records=self.records.copy(),
        )

    def apply(self, event: CaseEvent, stage: Ladder | None = None) -> None:
        """Fold `event` into the case; `stage` is where judging the act found it leads,
        when the caller has judged it (the write path), so the pack is not asked again."""
        self._chain(event)
        self.file = fold(self.file, event, stage)

    def _chain(self, event: CaseEvent) -> None:
        """What the record itself holds beyond the procedure's facts: the chain's head and
        each record's digest and retention category."""
        self.version = event.originator_version
        self.head = digest = event.digest
        self.records[event.originator_version] = RecordInfo(
            version=event.originator_version,
            kind=event.kind,
            digest=digest,
            occurred_on=event.occurred_on,
            actor=event.actor,
            category=self.category_of(event.act),
        )


def record_category(
    file: CaseFile, categories: Mapping[int, RecordCategory], act: Act
) -> RecordCategory:
    """The retention category of `act`, recorded next on a case whose facts are `file` and
    whose earlier records have `categories` (by version): the one rule the fold and the
    retention dates pass (`projections.disposal_facts`) both ask. The meetings' purposes
    are read through a view of the file's own map, not a copy: building one over every
    meeting for each applied event made replaying a case quadratic in its length."""
    return category_of(
        act,
        meeting_purposes=_AttributeView(file.meetings, "purpose"),
        record_categories=categories,
    )


def check_link(head: str, event: CaseEvent) -> None:
    """Refuse an event that does not link to the head of the case before it (`head`): a
    fold, and the retention dates pass, never go on past a break in the signed chain. The
    break is in the stored log (rows deleted, reordered, or a snapshot that does not match),
    so it is named as tampering, not left to read as a bug's ValueError."""
    if event.prev != head:
        msg = (
            f"case {event.originator_id} version {event.originator_version} does not link "
            f"to the state before it; run `pmledger verify` on this ledger"
        )
        raise TamperingDetected(msg)


_K = TypeVar("_K")
_V = TypeVar("_V")


class _AttributeView(Mapping[_K, _V]):
    """A read-only view of a mapping whose values are one attribute of the source's values:
    the rules read the case's meeting purposes and record categories without a copy."""

    __slots__ = ("_attribute", "_source")

    def __init__(self, source: Mapping[_K, Any], attribute: str) -> None:
        self._source = source
        self._attribute = attribute

    def __getitem__(self, key: _K) -> _V:
        value: _V = getattr(self._source[key], self._attribute)
        return value

    def __iter__(self) -> Iterator[_K]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


def project_case(
    initial: EmployeeCase | None, events: Iterable[CaseEvent | CaseSnapshotLike]
) -> EmployeeCase | None:
    """Fold events onto a case (eventsourcing's projector-function protocol).

    A snapshot, when the repository has one, comes first; every event must then link to the
    head it left, so a snapshot that does not match the signed chain cannot be used silently.
    """
    case = initial
    for event in events:
        if not isinstance(event, CaseEvent):
            case = event.restore()
            continue
        if case is not None:
            check_link(case.head, event)
        if case is None:
            case = EmployeeCase(
                id=event.originator_id,
                version=0,
                head=GENESIS,
                pack=event.pack,
                file=fold(None, event),
            )
            case._chain(event)
        else:
            case.apply(event)
    return case


def check_coherent(case: EmployeeCase | None, act: Act, actor: Actor, case_label: str) -> None:
    """Refuse acts that would make the record itself incoherent, before anything is signed."""
    if case is None:
        if not isinstance(act, CaseOpened):
            raise UnknownEmployee(
                f"no case is open for {case_label}; open it with a case_opened act first"
            )
        return
    if isinstance(act, CaseOpened):
        raise CaseAlreadyOpen(
            f"{case_label} already has a case (version {case.version}); record acts on it instead"
        )
    if isinstance(act, RecordAcknowledged):
        _check_acknowledgement(case, act, actor)


def _check_acknowledgement(case: EmployeeCase, act: RecordAcknowledged, actor: Actor) -> None:
    record = case.records.get(act.record_version)
    if record is None:
        raise ActRefused(
            f"record version {act.record_version} does not exist in this case "
            f"(latest is {case.version})"
        )
    if record.kind not in COUNTERSIGNED:
        raise ActRefused(f"a {record.kind} record is not one the employee countersigns")
    if act.record_digest != record.digest:
        raise ActRefused(
            f"record_digest does not match record version {act.record_version}; "
            "acknowledge the record as it is stored (its digest is in the case view)"
        )
    if actor.role is not Role.EMPLOYEE or actor.person_id != case.opened.employee_person_id:
        raise ActRefused("only the employee whose case this is can acknowledge its records")
    if act.record_version in case.acknowledged_by:
        raise ActRefused(
            f"record version {act.record_version} was already acknowledged at version "
            f"{case.acknowledged_by[act.record_version]}"
        )


def new_case_event(
    case: EmployeeCase | None,
    *,
    case_id: UUID,
    act: Act,
    occurred_on: date,
    actor: Actor,
    key_id: str,
    pack: PackRef,
    deviation_reason: str | None,
    recorded_at: datetime,
) -> CaseEvent:
    return CaseEvent(
        originator_id=case_id,
        originator_version=1 if case is None else case.version + 1,
        timestamp=recorded_at,
        prev=GENESIS if case is None else case.head,
        key_id=key_id,
        actor=actor,
        occurred_on=occurred_on,
        pack=pack,
        deviation_reason=deviation_reason,
        act=act,
    )
