"""Every text field of every act is sealed, or listed here as not personal with the reason.

A field added to an act later fails this test until someone decides: mark it personal (it is
then sealed per case and retention category, and shredded by the purge), or add it below
saying why it is not about a person. Enumerations, dates, numbers and booleans are structure
the procedures' rules judge, and are not text.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from pmledger.events.signed_event import (
    CASE_ACTS,
    AccessEvent,
    CaseEvent,
    DirectoryEvent,
    KeyringEvent,
)
from pmledger.events.values import Identifier, PersonalMarker

_IDENTIFIER = list(get_args(Identifier)[1:])
"""The constraints an `Identifier` field carries: a reference (an id, a staff number, a form or
template name, a confirmation key), one line of at most 120 characters. A reference is not
prose: a person id points into the directory, where the person's name and details are sealed."""

NOT_PERSONAL: dict[str, str] = {
    "CaseEvent.key_id": "the signing key's id, which `verify` needs in the clear",
    "KeyringEvent.key_id": "the signing key's id, which `verify` needs in the clear",
    "DirectoryEvent.key_id": "the signing key's id, which `verify` needs in the clear",
    "AccessEvent.key_id": "the signing key's id, which `verify` needs in the clear",
    "EmploymentStatusChanged.value": (
        "a term of employment the rules read (staff group, contract end, line manager id)"
    ),
    "ExpectationsCommunicated.what[]": (
        "the names of the standards or documents communicated, which rules compare"
    ),
    "MeetingInvited.venue": "a room or place, not about the person (privacy is a boolean)",
    "AppealHearingArranged.venue": "a room or place, not about the person",
    "MeetingHeld.attendees[].role": "the capacity someone attended in (note taker, HR adviser)",
    "ObservationPlanned.purpose": "the procedure's purpose of the observation, told in advance",
    "ObservationPlanned.aspects[]": "aspects of the post to assess, from the job description",
    "ObservationPlanned.amount": "how much is observed (one lesson, a morning)",
    "HrAdviceObtained.topic": "which of the procedure's advice points, compared by rules",
    "HrAdviceObtained.provider": "the HR service consulted, which rules check (Hampshire EPS)",
    "OutcomeDecided.basis": "the procedure's ground for the outcome, compared by rules",
    "AlternativeRolesConsidered.roles_considered[]": "posts at the school, not about the person",
    "ExternalPartyNotified.party": "the body notified (the Teaching Regulation Agency)",
    "RecordsDisposed.disposals[].category": (
        "the retention category a disposal certificate names, read after the content is gone"
    ),
    "RecordsDisposed.disposals[].rule": "the retention schedule's rule the certificate cites",
    "DirectoryEvent.change.rule": "the retention schedule's rule a directory disposal cites",
    "KeyringEvent.change.reason": (
        "why a signing key was revoked: about a key, outside any case, read by `verify`"
    ),
    "AccessEvent.entry.reason": (
        "written by the access policy (roles and relationships), never typed by a person"
    ),
}


def _text_fields(annotation: Any, metadata: list[Any], path: str, out: dict[str, str]) -> None:
    """Every string leaf under `annotation`: 'personal', 'reference', 'shaped' or 'text'."""
    if any(isinstance(m, PersonalMarker) for m in metadata):
        out[path] = "personal"
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        _text_fields(base, [*metadata, *more], path, out)
    elif origin in (tuple, list):
        for element in get_args(annotation):
            if element is not Ellipsis:
                _text_fields(element, [], f"{path}[]", out)
    elif origin in (Union, types.UnionType):
        for option in get_args(annotation):
            if option is not type(None):
                _text_fields(option, metadata, path, out)
    elif origin is Literal:
        return
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            _text_fields(field.annotation, list(field.metadata), f"{path}.{name}", out)
    elif annotation is str:
        if metadata == _IDENTIFIER:
            out[path] = "reference"
        elif any(getattr(m, "pattern", None) for m in metadata):
            out[path] = "shaped"
        else:
            out[path] = "text"


def _all_text_fields() -> dict[str, str]:
    """Every act's text fields, and each stored event's own (its deviation reason, its signer,
    a key change, a directory change, an access log entry)."""
    found: dict[str, str] = {}
    for act in CASE_ACTS:
        _text_fields(act, [], act.__name__, found)
    for event in (CaseEvent, KeyringEvent, DirectoryEvent, AccessEvent):
        for name, field in event.model_fields.items():
            if name != "act":
                path = f"{event.__name__}.{name}"
                _text_fields(field.annotation, list(field.metadata), path, found)
    return found


def test_every_text_field_of_every_act_is_sealed_or_listed_as_not_personal() -> None:
    fields = _all_text_fields()
    assert len(fields) > 150, "the walk reached every act"
    unsealed = sorted(
        path for path, kind in fields.items() if kind == "text" and path not in NOT_PERSONAL
    )
    assert unsealed == [], (
        "free text neither sealed nor listed as not personal: mark each PersonalText, "
        "PersonalReason or PersonalName, or list it in NOT_PERSONAL with the reason"
    )


def test_the_list_of_non_personal_fields_names_only_unsealed_text() -> None:
    """A listed field that was since sealed, renamed or removed is taken off the list."""
    fields = _all_text_fields()
    stale = sorted(path for path in NOT_PERSONAL if fields.get(path) != "text")
    assert stale == []


def test_the_deviation_reason_is_personal() -> None:
    """The reason a procedure was departed from is about the person (an illness, a companion's
    union duties): the most likely place for special-category data in a case."""
    assert _all_text_fields()["CaseEvent.deviation_reason"] == "personal"
