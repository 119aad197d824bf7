"""The answer to a subject access request as data: what `subject-access.json` holds and what
the PDF prints, built once from what the ledger holds with the third-party rule applied.

The PDF is rendered from this very data, so the readable and the machine copy cannot differ.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from pmledger.events.documents import DocumentRef
from pmledger.events.governance_acts import RecordsDisposed
from pmledger.events.signed_event import CaseEvent
from pmledger.export.bundle_documents import EXTENSIONS
from pmledger.export.narration import narrate
from pmledger.export.presentation import title
from pmledger.export.redaction import RedactionGround
from pmledger.export.subject_access import third_parties
from pmledger.export.subject_access.third_parties import GROUND, ThirdParties
from pmledger.ledger.documents import refs_of
from pmledger.ledger.subject_access import HeldCase, SubjectAccessHeld
from pmledger.policies.registry import current_pack
from pmledger.projections.people import people_named

FORMAT: Final = "pmledger-subject-access/1"
RULE: Final = "\n\n".join(
    " ".join(block.replace("**", "").split())
    for block in (third_parties.__doc__ or "").split("\n\n")[1:]
)
"""The redaction rule as the answer states it (the module's documentation, less its title)."""


@dataclass(frozen=True)
class AnswerDocument:
    """A document to put in the answer's zip, read from its case when the zip is written."""

    case: HeldCase
    version: int
    """The record that names it (the first, if several do)."""
    ref: DocumentRef
    member: str
    parties: ThirdParties | None
    """The rule its text is given under (None: the document as held, released by the DPO)."""


def build_answer(
    held: SubjectAccessHeld,
    as_of: date,
    withhold: Mapping[str, RedactionGround],
    release: Collection[str] = (),
) -> tuple[dict[str, Any], list[AnswerDocument]]:
    """The answer's data, and the documents it discloses. `withhold` maps a document's
    digest (or a unique prefix of it) to the ground the DPO withholds it on; `release` names
    the documents (digests or prefixes) the DPO has reviewed and discloses as held, rather
    than as their text with third parties withheld."""
    companions = {
        name
        for case in held.cases
        for event in case.records
        for name in third_parties.identities(event.act.model_dump(mode="json"), event.kind)
    }
    parties = ThirdParties(held.details, held.others, tuple(sorted(companions)))
    for case in held.cases:
        for event in case.records:
            parties.seen(event.actor.person_id, event.actor.role.value)
    redactions: list[dict[str, Any]] = []
    documents: list[AnswerDocument] = []
    cases = []
    certificates: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    for case in held.cases:
        where = f"{case.employee.organisation}/{case.employee.employee_ref}"
        people = parties.people(people_named((e.actor, e.act) for e in case.records))
        records = []
        for event in case.records:
            record = _record(event, parties, people)
            count = parties.taken()
            if count:
                redactions.append(
                    {
                        "case": where,
                        "version": event.originator_version,
                        "withheld": count,
                        "ground": GROUND,
                    }
                )
            records.append(record)
            if isinstance(event.act, RecordsDisposed):
                certificates.append(
                    {
                        "case": where,
                        "version": event.originator_version,
                        "as_of": event.act.as_of.isoformat(),
                        "disposals": [d.model_dump(mode="json") for d in event.act.disposals],
                    }
                )
            for ref in refs_of(event.act):
                entry, document = _document(case, where, event, ref, parties, withhold, release)
                listed.append(entry)
                if document is not None:
                    documents.append(document)
                elif "withheld" in entry:
                    redactions.append(
                        {
                            "case": where,
                            "version": event.originator_version,
                            "document": ref.sha256,
                            "ground": entry["withheld"],
                        }
                    )
        pack = current_pack(case.pack_id)
        cases.append(
            {
                "organisation": case.employee.organisation,
                "employee_ref": case.employee.employee_ref,
                "school": case.school,
                "procedure": pack.title,
                "records": records,
            }
        )
    if held.directory_disposal is not None:
        certificates.append(
            {
                "directory_entry": held.person_id,
                "as_of": held.directory_disposal.as_of.isoformat(),
                "rule": held.directory_disposal.rule,
            }
        )
    details = held.details
    answer = {
        "format": FORMAT,
        "person_id": held.person_id,
        "as_of": as_of.isoformat(),
        "prepared_by": "the data protection officer",
        "directory_entry": {
            "name": details.name,
            "job_title": details.job_title,
            "salutation": details.salutation,
            "address": list(details.address),
            "left_on": details.left_on.isoformat() if details.left_on else None,
            "disposed": details.disposed,
        },
        "cases": cases,
        "documents": listed,
        "access_log": [_access(e, held.person_id, parties) for e in held.access_entries],
        "disposal_certificates": certificates,
        "redaction_rule": RULE,
        "redactions": redactions,
    }
    return answer, documents


def _record(event: CaseEvent, parties: ThirdParties, people: Any) -> dict[str, Any]:
    data = event.act.model_dump(mode="json", exclude={"kind"})
    sentence = parties.text(narrate(event, people))
    reason = event.deviation_reason
    return {
        "version": event.originator_version,
        "occurred_on": event.occurred_on.isoformat(),
        "recorded_at": event.timestamp.isoformat(),
        "kind": event.kind,
        "title": title(event.kind),
        "by": parties.who(event.actor.person_id),
        "role": event.actor.role.value,
        "sentence": sentence,
        "fields": parties.fields(data, event.kind),
        "deviation_reason": parties.text(reason) if reason else None,
        "digest": event.digest,
    }


def _document(
    case: HeldCase,
    where: str,
    event: CaseEvent,
    ref: DocumentRef,
    parties: ThirdParties,
    withhold: Mapping[str, RedactionGround],
    release: Collection[str],
) -> tuple[dict[str, Any], AnswerDocument | None]:
    entry: dict[str, Any] = {
        "case": where,
        "version": event.originator_version,
        "occurred_on": event.occurred_on.isoformat(),
        "file_name": parties.text(ref.file_name),
        "media_type": ref.media_type,
        "size": ref.size,
        "sha256": ref.sha256,
    }
    parties.taken()  # a file name's masking is counted with the document, not the record
    ground = next((g for d, g in withhold.items() if ref.sha256.startswith(d)), None)
    if ground is not None:
        entry["withheld"] = ground.words
        return entry, None
    if any(ref.sha256.startswith(d) for d in release):
        member = f"documents/{ref.sha256}.{EXTENSIONS.get(ref.media_type, 'bin')}"
        entry["member"] = member
        entry["disclosed_as"] = "the document as held, released by the DPO after review"
        return entry, AnswerDocument(case, event.originator_version, ref, member, None)
    member = f"documents/{ref.sha256}.text.txt"
    entry["member"] = member
    entry["disclosed_as"] = "its text, with third parties withheld"
    return entry, AnswerDocument(case, event.originator_version, ref, member, parties)


def _access(event: Any, person_id: str, parties: ThirdParties) -> dict[str, Any]:
    actor = event.actor
    by = (
        "you"
        if actor.person_id == person_id
        else f"[third party: {actor.role.value.replace('_', ' ')}]"
    )
    return {
        "on": event.entry.on.isoformat(),
        "at": event.timestamp.isoformat(),
        "by": by,
        "operation": event.entry.operation,
        "allowed": event.entry.allowed,
    }
