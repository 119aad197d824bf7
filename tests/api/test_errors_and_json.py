"""A host gets HTTP meaning and field-level details from every error, and JSON from every
view with one call — through the front door, on a real SQLite ledger."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, seeded

from pmledger import (
    AccessDenied,
    Actor,
    ActorRequired,
    ActRefused,
    BatchRejected,
    CaseAlreadyOpen,
    ConcurrencyConflict,
    ContentDisposed,
    FieldError,
    InvalidInput,
    KeyStoreError,
    PmLedgerError,
    Role,
    StorageError,
    UnknownEmployee,
    UnknownKey,
    to_json,
)


def test_each_error_says_what_a_web_host_should_answer() -> None:
    assert {
        error: error.http_status
        for error in (
            PmLedgerError, InvalidInput, ActorRequired, UnknownEmployee, CaseAlreadyOpen,
            UnknownKey, KeyStoreError, ConcurrencyConflict, ActRefused, ContentDisposed,
            StorageError, AccessDenied,
        )
    } == {
        PmLedgerError: 500, InvalidInput: 422, ActorRequired: 401, UnknownEmployee: 404,
        CaseAlreadyOpen: 409, UnknownKey: 403, KeyStoreError: 500, ConcurrencyConflict: 409,
        ActRefused: 422, ContentDisposed: 409, StorageError: 503, AccessDenied: 403,
    }  # fmt: skip
    assert BatchRejected(2, ConcurrencyConflict("moved on")).status == 409
    assert BatchRejected(0, UnknownEmployee("E-9")).status == 404


def test_a_bad_command_names_each_wrong_field(tmp_path: Path) -> None:
    with seeded(str(tmp_path / "l.sqlite")) as ledger:
        command = {
            "employee": {"organisation": "trust", "employee_ref": "E-001"},
            "act": {"kind": "meeting_invited", "meeting_id": "", "purpose": "tea"},
            "occurred_on": "2025-10-20",
            "actor": {"person_id": "ht-1", "role": "headteacher"},
        }
        with pytest.raises(InvalidInput) as caught:
            ledger.execute(command)
        fields = {d.field: d for d in caught.value.details}
        assert set(fields) == {
            "act.meeting_invited.meeting_id",
            "act.meeting_invited.purpose",
            "act.meeting_invited.scheduled_for",
        }
        assert fields["act.meeting_invited.scheduled_for"] == FieldError(
            field="act.meeting_invited.scheduled_for", message="Field required", type="missing"
        )
        assert caught.value.status == 422
        assert "act.meeting_invited.purpose" in str(caught.value), "the message lists them too"
        assert ledger.reader(HR).case(ALICE).version == 4, "nothing was stored"


def test_views_serialise_with_one_call(tmp_path: Path) -> None:
    with seeded(str(tmp_path / "l.sqlite")) as ledger:
        status = ledger.reader(HEAD).status(ALICE, date(2025, 10, 20))
        data = json.loads(json.dumps(to_json(status)))
        assert data["employee_ref"] == "E-001"
        assert data["as_of"] == "2025-10-20"
        assert data["version"] == 4
        assert data["compliance"] == [f.model_dump(mode="json") for f in status.compliance]
        events = ledger.reader(HR).records(ALICE)
        rows = json.loads(json.dumps(to_json(events)))
        assert [row["act"]["kind"] for row in rows] == [
            "case_opened", "meeting_invited", "meeting_held", "record_acknowledged",
        ]  # fmt: skip
        assert rows[0]["occurred_on"] == "2025-09-01"
        summaries = json.loads(json.dumps(to_json(ledger.reader(HR).cases())))
        assert summaries == [
            {
                "case_id": str(ALICE.case_id),
                "organisation": "trust",
                "employee_ref": "E-001",
                "school": "oakfield",
                "pack_id": "star-developing-performance",
            }
        ]
        assert to_json(ledger.verify())["ok"] is True
        ledger.register_person("emp-9", (Role.EMPLOYEE,), by=HR)
        nobody = Actor(person_id="emp-9", role=Role.EMPLOYEE)
        with pytest.raises(AccessDenied) as refused:
            ledger.reader(nobody).status(ALICE, date(2025, 10, 20))
        assert refused.value.status == 403
