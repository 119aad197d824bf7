"""`Ledger.check`: what `record` would decide, found without storing any record; like every
look at a case, the check itself is on the access log, allowed or refused."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from tests.policies.improving_performance_case import (
    FIRST_INVITED,
    FIRST_MEETING,
    LM,
    PACK,
    invite,
    to_first_formal,
)
from tests.policies.ledger_script import ENROLLER, LedgerScript, open_example_ledger
from tests.policies.script import HR

from pmledger.commands import RecordAct
from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.policies.judgement import Severity

OUTSIDER = Actor(person_id="ht-elsewhere", role=Role.HEADTEACHER, authority_level=2)


ACCESS = "pmledger.access/%"


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the SQLite file but the access log's entries."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: sorted(
                conn.execute(
                    f'SELECT * FROM "{t}"'
                    + (" WHERE topic NOT LIKE ?" if t == "stored_events" else ""),
                    (ACCESS,) if t == "stored_events" else (),
                ),
                key=repr,
            )
            for t in tables
        }


def _access_entries(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        query = "SELECT count(*) FROM stored_events WHERE topic LIKE ?"
        return int(conn.execute(query, (ACCESS,)).fetchone()[0])


def test_check_tells_what_record_would_decide_and_stores_no_record(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    with open_example_ledger(str(db)) as ledger:
        s = LedgerScript(
            ledger,
            PACK,
            opening={"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
        )
        to_first_formal(s)
        ledger.register_person(
            OUTSIDER.person_id, (Role.HEADTEACHER,), by=ENROLLER, schools=("elsewhere",)
        )
        invitation = invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING)

        def command(by: Actor) -> RecordAct:
            return RecordAct(
                employee=s.employee, act=invitation, occurred_on=FIRST_INVITED, actor=by
            )

        before, logged = _rows(db), _access_entries(db)
        clean = ledger.check(command(LM))
        by_hr = ledger.check(command(HR))
        outsider = ledger.check(command(OUTSIDER))
        assert _rows(db) == before, "check stored a record"
        assert _access_entries(db) == logged + 3, "each check, allowed or refused, is logged"

        assert clean.would_record
        assert clean.findings == ()
        assert {d.rule.id for d in clean.deadlines} == {"ip-first-invite-notice"}
        assert by_hr.would_record
        (finding,) = [f for f in by_hr.findings if f.rule.id == "ip-who-manages"]
        assert finding.severity is Severity.MAJOR
        assert isinstance(outsider.refusal, AccessDenied)
        assert "no relationship to this case" in str(outsider.refusal)

        receipt = ledger.execute(command(HR))
        assert receipt.findings == by_hr.findings
        assert receipt.version == s.version + 1
