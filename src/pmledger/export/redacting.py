"""The redactions an exporter chooses, applied to the case as read for the bundle.

They are applied after the case is read and checked, to what the exporter may see: a record
redacted on a ground shows a mark naming the ground in place of each piece of its personal
content (in its sentence, its fields, the findings that quote it) and its documents are left
out; a document redacted on a ground is left out wherever a record names it. Nothing stored
changes, so every digest, signature and proof in the bundle is the one the ledger holds and the
bundle still verifies. A target the case does not have is a typed error, before anything is
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pmledger.errors import FieldError, InvalidInput
from pmledger.events.personal import recorded_personal_strings
from pmledger.export.case_extract import BundleRecord, CaseExtract
from pmledger.export.redaction import ChosenRedaction, Redaction, RedactionGround, redacted
from pmledger.ledger.documents import refs_of
from pmledger.projections.case_status import CaseStatus


@dataclass(frozen=True)
class Redacting:
    """The case with the chosen redactions applied, and which documents they leave out."""

    extract: CaseExtract
    documents: dict[str, Redaction]
    """Document digest → its redaction (on its own, or with its record's content)."""

    @property
    def listed(self) -> list[Redaction]:
        """Every redaction the bundle lists: records (withheld or chosen), then documents."""
        return [*self.extract.redactions, *self.documents.values()]


def apply_redactions(extract: CaseExtract, chosen: Sequence[ChosenRedaction]) -> Redacting:
    by_version = {record.version: record for record in extract.records}
    records: dict[int, RedactionGround] = {}
    documents: dict[str, RedactionGround] = {}
    for redaction in chosen:
        version = redaction.version
        if version is None:
            documents[_document(extract, redaction.target)] = redaction.ground
        elif version in by_version:
            records[version] = redaction.ground
        else:
            raise _unknown(f"the case has no record v{version} (it has v1 to v{len(by_version)})")
    shown = [
        _redacted(record, records[record.version]) if record.version in records else record
        for record in extract.records
    ]
    left_out: dict[str, Redaction] = {}
    for record in sorted(shown, key=lambda r: (r.event.occurred_on, r.version)):
        if record.redaction is not None and record.redaction.ground is None:
            continue  # withheld from the exporter: its documents are listed as withheld
        for ref in refs_of(record.stored.act):
            ground = documents.get(ref.sha256) or records.get(record.version)
            if ground is not None and ref.sha256 not in left_out:
                left_out[ref.sha256] = Redaction(
                    version=record.version,
                    occurred_on=record.event.occurred_on,
                    kind=record.event.kind,
                    fields=0,
                    reason=f"Redacted — ground: {ground.words}",
                    ground=ground,
                    document=ref.sha256,
                )
    if not records:
        return Redacting(extract, left_out)
    hidden = {
        text: records[record.version].mark
        for record in extract.records
        if record.version in records and record.redaction is None
        for text in recorded_personal_strings(record.event)
    }
    return Redacting(replace(extract, records=shown, status=_status(extract, hidden)), left_out)


def _status(extract: CaseExtract, hidden: dict[str, str]) -> CaseStatus:
    """The case's status with a redacted record's deviation reason marked where a finding or
    a deadline quotes it."""
    status = extract.status
    findings = [
        f.model_copy(update={"deviation_reason": hidden[f.deviation_reason]})
        if f.deviation_reason in hidden
        else f
        for f in status.findings
    ]
    deadlines = [
        d.model_copy(update={"reason": hidden[d.reason]}) if d.reason in hidden else d
        for d in status.deadlines
    ]
    return replace(status, findings=findings, deadlines=deadlines)


def _redacted(record: BundleRecord, ground: RedactionGround) -> BundleRecord:
    if record.redaction is not None:
        return record  # withheld from the exporter already: nothing of it is shown
    return replace(
        record,
        event=redacted(record.event, ground.mark),
        redaction=Redaction(
            version=record.version,
            occurred_on=record.event.occurred_on,
            kind=record.event.kind,
            fields=len(recorded_personal_strings(record.stored)),
            reason=f"Redacted — ground: {ground.words}",
            ground=ground,
        ),
    )


def _document(extract: CaseExtract, prefix: str) -> str:
    found = {
        ref.sha256
        for record in extract.records
        for ref in refs_of(record.stored.act)
        if ref.sha256.startswith(prefix)
    }
    if len(found) == 1:
        return found.pop()
    if not found:
        raise _unknown(f"no document of the case has a SHA-256 starting {prefix}")
    raise _unknown(
        f"{len(found)} documents of the case have a SHA-256 starting {prefix}; give more"
    )


def _unknown(message: str) -> InvalidInput:
    return InvalidInput(f"--redact: {message}", [FieldError("redact.target", message, "redaction")])
