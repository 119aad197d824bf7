"""Improving Performance Policy (seed 004) §10, through the public `Ledger` with access on.

A dismissal case's signed record must not end at the dismissal: the Chair of Governors arranges
the appeal hearing (§10.5), the governor who chairs it records the hearing, the decision and
its letter (§10.10, §10.15), each with their own registered key.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.policies.improving_performance_case import (
    APPEAL_CHAIR,
    CHAIR_OF_GOVERNORS,
    HEARING,
    PACK,
    appeal_decided,
    heard,
    to_appeal_hearing,
)
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.script import HR

from pmledger.events.appeal_acts import AppealResult
from pmledger.policies.ladder import Ladder


def test_004_s10_the_appeal_stage_is_recorded_by_the_governors_the_policy_names(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = LedgerScript(
            ledger,
            PACK,
            opening={"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
        )
        to_appeal_hearing(s)
        assert s.receipts[-1].findings == ()
        s.act(HEARING, heard(), by=APPEAL_CHAIR)
        s.act(HEARING, appeal_decided(), by=APPEAL_CHAIR)
        letters = ledger.letters(APPEAL_CHAIR)
        decision = letters.render(s.employee, "ip-appeal-decision", date(2026, 2, 5))
        assert decision.about_id == "a-1"
        (sent,) = letters.record(decision)
        s.findings.extend(sent.findings)

        appeal = s.case.appeals["a-1"]
        assert appeal.result is AppealResult.NOT_UPHELD
        assert s.case.stage is Ladder.DISMISSED
        by = {e.act.kind: e.actor.person_id for e in ledger.reader(HR).records(s.employee)}
        assert by["appeal_hearing_arranged"] == CHAIR_OF_GOVERNORS.person_id
        assert by["appeal_heard"] == by["appeal_decided"] == APPEAL_CHAIR.person_id
        assert by["letter_sent"] == APPEAL_CHAIR.person_id
        assert [f.rule.id for f in s.findings] == []
        assert ledger.verify().ok


def test_004_s10_14_the_status_tells_the_appeals_outcome_not_only_that_one_is_pending(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = LedgerScript(
            ledger,
            PACK,
            opening={"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
        )
        dismissed = to_appeal_hearing(s)
        (pending,) = ledger.reader(HR).status(s.employee, HEARING).appeals
        assert (pending.hearing_on, pending.result) == (HEARING, None)
        assert pending.words.startswith(f"hearing on {HEARING}")
        s.act(HEARING, heard(), by=APPEAL_CHAIR)
        s.act(HEARING, appeal_decided(), by=APPEAL_CHAIR)
        status = ledger.reader(HR).status(s.employee, date(2026, 2, 4))
        assert not status.appeal_pending
        (appeal,) = status.appeals
        assert (appeal.against_version, appeal.heard_on) == (dismissed, HEARING)
        assert (appeal.decided_on, appeal.result) == (HEARING, "not_upheld")
        assert appeal.words.startswith(f"not upheld (decided {HEARING}")
