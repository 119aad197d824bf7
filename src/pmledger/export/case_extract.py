"""Everything a bundle shows about one case, read once from the ledger.

The log is streamed once: the case's rows and the keyring's rows are kept (a bundle is one
case, so this is case-sized, never log-sized) and every one of them goes through the same
`Verifier` that `pmledger verify` uses, so the PDF's "verified" marks and `verify-bundle`'s
verdict come from one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast
from uuid import UUID

from pydantic import ValidationError

from pmledger.aggregates.keyring import KeyRecord, project_keyring
from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import Verifier, VerifyReport
from pmledger.canonical import canonical_bytes, parse_canonical, sha256_hex
from pmledger.commands import EmployeeRef
from pmledger.errors import InvalidInput
from pmledger.events.actors import Actor
from pmledger.events.case_acts import CaseOpened
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.events.signed_event import CaseEvent, KeyringEvent
from pmledger.export.errors import ExportError
from pmledger.export.redaction import Redaction, redacted, redaction_of
from pmledger.ledger.facade import Ledger
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.reader import Disclosure
from pmledger.policies.case_file import countersigned
from pmledger.policies.ladder import Ladder
from pmledger.policies.registry import pack_for
from pmledger.projections.case_status import CaseStatus, case_fold
from pmledger.projections.people import NO_PEOPLE, People


@dataclass(frozen=True)
class SignatureCheck:
    verified: bool
    reason: str = ""


@dataclass(frozen=True)
class Acknowledgement:
    version: int
    occurred_on: date
    disagrees: bool


@dataclass(frozen=True)
class BundleRecord:
    """One case event with what the bundle says about its signature and countersignature."""

    row: StoredRow
    stored: CaseEvent
    """The event as stored: personal content sealed, exactly what bundle.zip holds."""
    event: CaseEvent
    """The same event with its personal content opened (or marked disposed) for reading, or
    redacted where the exporter may not see it."""
    digest: str
    signature: SignatureCheck
    acknowledgement: Acknowledgement | None
    needs_acknowledgement: bool
    after_as_of: bool
    redaction: Redaction | None = None
    """Why this record's personal content is withheld from the exporter (None: shown)."""

    @property
    def version(self) -> int:
        return self.event.originator_version


@dataclass(frozen=True)
class StagePoint:
    """The stage a case entered on a date (after the event at `version`)."""

    on: date
    version: int
    stage: Ladder
    words: str


@dataclass
class CaseExtract:
    employee: EmployeeRef
    case_id: UUID
    as_of: date
    rows: list[StoredRow]
    """Keyring and case rows exactly as stored, in log order."""
    records: list[BundleRecord]
    """Case events in version order."""
    status: CaseStatus
    stages: list[StagePoint]
    keys: dict[str, KeyRecord]
    verification: VerifyReport
    keyring_head: tuple[int, str]
    packs: dict[tuple[str, str], str]
    """Title of every (pack id, version) the case's events were judged under."""
    exported_by: Actor
    """Whose access decided what the bundle shows."""
    people: People = NO_PEOPLE
    """Names and job titles of the people the case names, as the exporter may see them."""

    @property
    def opened(self) -> CaseOpened:
        return cast(CaseOpened, self.records[0].event.act)

    @property
    def head(self) -> BundleRecord:
        return self.records[-1]

    @property
    def verified(self) -> bool:
        return self.verification.failure is None

    @property
    def redactions(self) -> list[Redaction]:
        return [r.redaction for r in self.records if r.redaction is not None]

    def in_date_order(self) -> list[BundleRecord]:
        return sorted(self.records, key=lambda r: (r.event.occurred_on, r.version))


def stored_digest(state: bytes) -> str:
    """The chain digest of a stored event: SHA-256 of its canonical envelope bytes."""
    return sha256_hex(canonical_bytes(parse_canonical(state)["env"]))


def extract_case(
    ledger: Ledger, employee: EmployeeRef, as_of: date, disclosure: Disclosure, exported_by: Actor
) -> CaseExtract:
    """The case as `exported_by` may see it; `disclosure` must come from their reader, which
    has already checked and logged their right to export it and read the case's stored rows."""
    case_id = str(employee.case_id)
    verifier = Verifier(lookup_state=disclosure.state_at)
    rows: list[StoredRow] = []
    checks: dict[int, SignatureCheck] = {}
    first_failure: str | None = None
    for row in disclosure.rows:
        rows.append(row)
        if first_failure is not None:
            checks[row.position] = SignatureCheck(False, f"not checked: {first_failure}")
        elif verifier.check(row):
            checks[row.position] = SignatureCheck(True)
        else:
            failure = verifier.report.failure
            assert failure is not None
            first_failure = f"verification stopped at {failure.describe()}"
            checks[row.position] = SignatureCheck(False, failure.reason)
    case_rows = [row for row in rows if row.aggregate_id == case_id]
    if not case_rows:
        raise ExportError(f"no case is recorded for {employee}")
    events = [_decode_case(row) for row in case_rows]
    keyring_rows = [row for row in rows if row.aggregate_id != case_id]
    keyring = project_keyring(None, (_decode_keyring(row) for row in keyring_rows))
    acknowledgements = _acknowledgements(events)
    opening = cast(CaseOpened, events[0].act)
    redactions = [redaction_of(event, disclosure.withheld(event)) for event in events]
    records = [
        BundleRecord(
            row=row,
            stored=event,
            event=redacted(event) if disclosure.withheld(event) else disclosure.opened(event),
            digest=stored_digest(row.state),
            signature=checks[row.position],
            acknowledgement=acknowledgements.get(event.originator_version),
            needs_acknowledgement=countersigned(event.kind, event.actor, opening),
            after_as_of=event.occurred_on > as_of,
            redaction=redaction,
        )
        for row, event, redaction in zip(case_rows, events, redactions, strict=True)
    ]
    stages, status = _fold([record.event for record in records], ledger, as_of)
    packs: dict[tuple[str, str], str] = {}
    for event in events:
        ref = (event.pack.id, event.pack.version)
        if ref not in packs:
            packs[ref] = pack_for(event.pack).title
    if keyring is None:
        raise ExportError("the ledger has no keyring, so no signature in it can be checked")
    return CaseExtract(
        employee=employee,
        case_id=employee.case_id,
        as_of=as_of,
        rows=rows,
        records=records,
        status=status,
        stages=stages,
        keys=dict(keyring.keys),
        verification=verifier.report,
        keyring_head=(keyring_rows[-1].version, stored_digest(keyring_rows[-1].state)),
        packs=packs,
        exported_by=exported_by,
        people=disclosure.people,
    )


def _decode_case(row: StoredRow) -> CaseEvent:
    event = _decode(row)
    if not isinstance(event, CaseEvent):
        raise ExportError(f"row at log position {row.position} is not a case event")
    return event


def _decode_keyring(row: StoredRow) -> KeyringEvent:
    event = _decode(row)
    if not isinstance(event, KeyringEvent):
        raise ExportError(f"row at log position {row.position} is not a keyring event")
    return event


def _decode(row: StoredRow) -> CaseEvent | KeyringEvent:
    try:
        return cast(CaseEvent | KeyringEvent, decode_event(row.topic, row.state))
    except (ValidationError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(
            f"version {row.version} at log position {row.position} cannot be read ({exc}); "
            "run `pmledger verify` on the ledger"
        ) from None


def _fold(
    events: list[CaseEvent], ledger: Ledger, as_of: date
) -> tuple[list[StagePoint], CaseStatus]:
    """The stages the case passed through, and its status on `as_of`, from one fold of the
    events as the exporter may read them (so a finding quotes a deviation reason opened,
    disposed or withheld as its record shows it).

    Both count only acts that occurred on or before `as_of`, as `case_status` does: the
    stages are the file's own stage history, so they are the stages the status would report
    on each day.
    """
    if all(event.occurred_on > as_of for event in events):
        raise ExportError(
            f"nothing in the case is dated on or before {as_of}; give a later --as-of date"
        )
    try:
        state = case_fold(events, ledger.calendars.for_case, as_of)
    except InvalidInput as exc:
        raise ExportError(str(exc)) from None
    file = state.file
    assert file is not None, "the opening is dated on or before as_of"
    packs = {event.originator_version: event.pack for event in events}
    stages = [
        StagePoint(
            file.opened_on, 1, Ladder.NORMAL_CYCLE, pack_for(packs[1]).words(Ladder.NORMAL_CYCLE)
        )
    ]
    for mark, stage in file.stage_history:
        words = pack_for(packs[mark.version]).words(stage)
        stages.append(StagePoint(mark.on, mark.version, stage, words))
    return stages, state.status(as_of, ledger.calendars.for_case)


def _acknowledgements(events: list[CaseEvent]) -> dict[int, Acknowledgement]:
    found: dict[int, Acknowledgement] = {}
    for event in events:
        if isinstance(event.act, RecordAcknowledged):
            found.setdefault(
                event.act.record_version,
                Acknowledgement(event.originator_version, event.occurred_on, event.act.disagrees),
            )
    return found
