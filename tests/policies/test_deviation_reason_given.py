"""Issue 17 §2: an exception recorded without the reason the procedure asks for is stored with a
finding saying so; a later signed act gives the reason, naming the finding, after which the
compliance view shows a deviation with its reason, by whom and when.

Through the public `Ledger` (access control on) on SQLite and PostgreSQL, and through the CLI
`pmledger record` / `pmledger case status` on a SQLite file. The example: a ReFocus end of
cycle review held in September, which 000 §12 allows only "unless student outcomes are
required as evidence".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import SteppingClock
from tests.policies.ledger_script import ADMIN, LedgerScript, open_example_ledger
from tests.policies.refocus_pm_script import PACK, hold, open_cycle
from tests.policies.script import HEAD, HR, unexplained
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import RecordAct
from pmledger.errors import ActRefused
from pmledger.events.actors import Role
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import DeviationReasonGiven
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import REASON_MISSING, Finding, Severity
from pmledger.projections.case_status import CaseStatus

END = MeetingPurpose.END_OF_CYCLE_REVIEW
HELD = date(2026, 9, 15)
GIVEN = date(2026, 9, 22)
WHY = "GCSE results were needed as evidence and arrived on 20 August 2026"
RULE = "rf-end-of-cycle-window"


def _september_review(s: LedgerScript) -> Finding:
    """A 2025-26 cycle whose end of cycle review is held on 15 September 2026, no reason."""
    open_cycle(s)  # type: ignore[arg-type]
    open_cycle(  # type: ignore[arg-type]
        s, on=date(2026, 9, 1), cycle_id="2026-27", starts=date(2026, 9, 1),
        ends=date(2027, 8, 31),
    )  # fmt: skip
    found = hold(s, HELD, "eoc", END)  # type: ignore[arg-type]
    return unexplained(found, "takes place in June/July", Severity.MINOR)


def _finding(status: CaseStatus, finding_id: str) -> Finding:
    (match,) = [f for f in status.compliance if finding_id in f.names]
    return match


def test_issue17_s2_a_reason_given_later_makes_the_finding_a_deviation_with_its_reason(
    backend: str,
) -> None:
    with open_example_ledger(backend) as ledger:
        s = LedgerScript(ledger, PACK)
        missing = _september_review(s)
        meeting = s.version
        assert missing.id == f"{RULE}@{meeting}"
        before = _finding(ledger.reader(HR).status(s.employee, HELD), missing.id)
        assert before.message.endswith(REASON_MISSING)
        assert not before.deviated

        receipt = ledger.record(
            s.employee,
            DeviationReasonGiven(finding_id=missing.id, reason=WHY),
            occurred_on=GIVEN,
            actor=HEAD,
        )
        assert receipt.findings == ()

        after = _finding(ledger.reader(HR).status(s.employee, GIVEN), missing.id)
        assert after.deviated
        assert after.deviation_reason == WHY
        assert not after.message.endswith(REASON_MISSING)
        assert after.severity is Severity.MINOR, "a reason explains a breach, never erases it"
        assert after.reason_given is not None
        assert (after.reason_given.by, after.reason_given.on) == (HEAD.person_id, GIVEN)
        assert after.reason_given.version == receipt.version
        assert f"given by {HEAD.person_id} on {GIVEN}" in after.reason_words()

        # Time travel: on the day before the reason was given, the finding still lacks it.
        earlier = _finding(ledger.reader(HR).status(s.employee, date(2026, 9, 21)), missing.id)
        assert not earlier.deviated

        # The reason is personal: sealed at rest, never in the stored row in clear.
        stored = [
            row.state for row in ledger._store.rows() if b"deviation_reason_given" in row.state
        ]
        assert len(stored) == 1
        assert WHY.encode() not in stored[0]
        assert ledger.verify().ok


def test_issue17_s2_a_reason_naming_no_finding_of_the_case_is_refused(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = LedgerScript(ledger, PACK)
        missing = _september_review(s)
        version = s.version
        for wrong, day in (
            (f"{RULE}@1", GIVEN),  # the rule, but not on that record
            ("rf-midyear-1@3", GIVEN),  # no such finding at all
            (missing.id, date(2026, 9, 14)),  # the finding, before its record existed
        ):
            act = DeviationReasonGiven(finding_id=wrong, reason=WHY)
            verdict = ledger.check(
                RecordAct(employee=s.employee, act=act, occurred_on=day, actor=HEAD)
            )
            assert isinstance(verdict.refusal, ActRefused), wrong
            with pytest.raises(ActRefused, match=f"has no finding {wrong}"):
                ledger.record(s.employee, act, occurred_on=day, actor=HEAD)
        assert ledger.reader(HR).case(s.employee).version == version, "nothing was stored"


def test_issue17_s2_a_step_done_late_is_named_by_the_record_that_started_its_clock(
    tmp_path: Path,
) -> None:
    """The 2025-26 review was due by 31 July 2026 (000 §12): its late row is named by the
    cycle that started the clock and, listed once under the review's own finding, still
    answers to that name and takes a reason like an act's finding."""
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = LedgerScript(ledger, PACK)
        _september_review(s)
        cycle = s.receipts[1].version
        late_id = f"{RULE}@{cycle}"
        late = _finding(ledger.reader(HR).status(s.employee, HELD), late_id)
        assert late.version == s.version
        assert late.deadline_anchor_version == cycle
        ledger.record(
            s.employee,
            DeviationReasonGiven(finding_id=late_id, reason=WHY),
            occurred_on=GIVEN,
            actor=HEAD,
        )
        given = _finding(ledger.reader(HR).status(s.employee, GIVEN), late_id)
        assert given.deviation_reason == WHY
        assert given.reason_given is not None


PASSPHRASE = "cli tests only"


def test_issue17_s2_the_cli_records_a_reason_later_and_case_status_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, keys = str(tmp_path / "rf.sqlite"), tmp_path / "keys"
    for name in ("PMLEDGER_ACTOR", "PMLEDGER_KEYS", "PMLEDGER_DB", "PMLEDGER_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    store = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(db, keystore=store, clock=SteppingClock(), create=True) as ledger:
        ledger.bootstrap(ADMIN.person_id, (Role.ADMINISTRATOR, Role.HR))
        s = LedgerScript(ledger, PACK)
        missing = _september_review(s)
    act = tmp_path / "reason.json"
    act.write_text(
        json.dumps({"kind": "deviation_reason_given", "finding_id": missing.id, "reason": WHY})
    )
    as_head = ("--db", db, "--actor", "ht-1:headteacher", "--keys", str(keys))
    runner = CliRunner()
    status = runner.invoke(app, ["case", "status", "E-1", "--as-of", str(HELD), *as_head])
    assert status.exit_code == 0, status.output
    assert missing.id in status.output, "the status names each finding by the id a reason names"

    recorded = runner.invoke(app, ["record", "E-1", str(act), "--on", str(GIVEN), *as_head])
    assert recorded.exit_code == 0, recorded.output
    shown = runner.invoke(app, ["case", "status", "E-1", "--as-of", str(GIVEN), *as_head])
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if missing.id in x)
    assert WHY in line
    assert f"given by ht-1 on {GIVEN}" in line

    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps({"kind": "deviation_reason_given", "finding_id": f"{RULE}@1", "reason": WHY})
    )
    refused = runner.invoke(app, ["record", "E-1", str(wrong), "--on", str(GIVEN), *as_head])
    assert refused.exit_code != 0
    assert f"has no finding {RULE}@1" in refused.output
