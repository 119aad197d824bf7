"""Access follows time: a role or school counts only through a key valid at the moment of the
read or act, and a relationship to a case ends when the case's events end it.

Every attack here goes through the front door (`Ledger`, access control on) on a real SQLite
file and on PostgreSQL, as the person whose access should have ended.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import open_ledger
from tests.reliability.harness import backend_name, tally

from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied, ActRefused, AuthorityNotRegistered
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealHeard,
    AppealHearingArranged,
    AppealResult,
)
from pmledger.events.case_acts import (
    CaseOpened,
    CycleOpened,
    EmploymentStatusChanged,
    Objective,
    ReviewerChanged,
    StaffGroup,
)
from pmledger.events.meeting_acts import LetterSent, MeetingHeld
from pmledger.events.pay_acts import PayDecided
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.events.support_acts import MonitoringRoleAssigned, PlanKind, SupportPlanAgreed
from pmledger.export.exporter import export_case
from pmledger.ledger.facade import Ledger

CASE = EmployeeRef(organisation="trust", employee_ref="E-7")
HR = Actor(person_id="hr-1", role=Role.HR)
HEAD = Actor(person_id="ht-1", role=Role.HEADTEACHER)
REVIEWER = Actor(person_id="rev-1", role=Role.REVIEWER)
EMPLOYEE = Actor(person_id="emp-7", role=Role.EMPLOYEE)
DAY = date(2025, 11, 3)


def _case(ledger: Ledger) -> None:
    """A teacher's case at oakfield: opened by HR with lm-1 as line manager, a cycle with
    rev-1 reviewing, a statement. Everyone named is enrolled, with their successors."""
    ledger.bootstrap("hr-1", (Role.HR, Role.ADMINISTRATOR))
    ledger.register_person("ht-1", (Role.HEADTEACHER,), by=HR, schools=("oakfield",))
    for person, role in [
        ("rev-1", Role.REVIEWER),
        ("rev-2", Role.REVIEWER),
        ("lm-1", Role.LINE_MANAGER),
        ("lm-2", Role.LINE_MANAGER),
        ("mon-1", Role.MONITOR),
        ("mon-2", Role.MONITOR),
        ("gov-2", Role.APPEAL_CHAIR),
        ("gov-pay", Role.PAY_PANEL),
        ("emp-7", Role.EMPLOYEE),
    ]:
        ledger.register_person(person, (role,), by=HR, schools=("oakfield",))
    ledger.record(
        CASE,
        CaseOpened(
            organisation="trust",
            employee_ref="E-7",
            employee_person_id="emp-7",
            school="oakfield",
            staff_group=StaffGroup.TEACHER,
            pack_id="hampshire-pm",
            line_manager_person_id="lm-1",
        ),
        occurred_on=date(2025, 9, 1),
        actor=HR,
    )
    ledger.record(
        CASE,
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id="rev-1",
        ),
        occurred_on=date(2025, 9, 1),
        actor=HEAD,
        deviation_reason="The line manager is on maternity leave this year.",
    )
    ledger.record(
        CASE,
        StatementRecorded(statement_kind=StatementKind.EMPLOYEE, text="Private words."),
        occurred_on=date(2025, 10, 1),
        actor=EMPLOYEE,
    )


def _refused_everything(ledger: Ledger, actor: Actor, out: Path) -> int:
    """Every way in, as `actor`: each must be refused. Returns how many were tried."""
    attempts = [
        lambda: ledger.reader(actor).status(CASE, DAY),
        lambda: ledger.reader(actor).records(CASE),
        lambda: ledger.reader(actor, DAY).statements(CASE),
        lambda: export_case(ledger.reader(actor, DAY), CASE, out, DAY),
        lambda: ledger.record(
            CASE,
            MeetingHeld(meeting_id="m9", chair_person_id=actor.person_id, minutes="Notes."),
            occurred_on=DAY,
            actor=actor,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    assert ledger.reader(actor).cases() == []
    assert not (out / "bundle.pdf").exists()
    return len(attempts) + 1


def test_a_revoked_school_key_grants_nothing_at_that_school(backend: str, tmp_path: Path) -> None:
    """A Headteacher moved from oakfield to elm: the oakfield key revoked, a new key for elm.
    Today the keyring counts every school any of their keys ever had, so they still read,
    record on and export oakfield's cases."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        ledger.reader(HEAD).status(CASE, DAY)  # allowed while the oakfield key is valid
        old = ledger.keyring().signing_key_for("ht-1", ledger.now())
        assert old is not None
        ledger.revoke_key(old.key_id, reason="moved to elm academy", by=HR)
        ledger.register_person("ht-1", (Role.HEADTEACHER,), by=HR, schools=("elm-academy",))
        tried = _refused_everything(ledger, HEAD, tmp_path / "bundle")
    tally("access-revoked-key", backend_name(backend), attempts=tried)


def test_a_revoked_role_grants_nothing(backend: str, tmp_path: Path) -> None:
    """HR staff who become a Headteacher elsewhere: the HR key revoked, a Headteacher key
    at elm. Acting as HR must fail, though a key once carried the role."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        ledger.register_person("hr-2", (Role.HR,), by=HR)
        hr2 = Actor(person_id="hr-2", role=Role.HR)
        ledger.reader(hr2).status(CASE, DAY)
        old = ledger.keyring().signing_key_for("hr-2", ledger.now())
        assert old is not None
        ledger.revoke_key(old.key_id, reason="left HR", by=HR)
        ledger.register_person("hr-2", (Role.HEADTEACHER,), by=HR, schools=("elm-academy",))
        tried = _refused_everything(ledger, hr2, tmp_path / "bundle")
    tally("access-revoked-key", backend_name(backend), attempts=tried)


def _by_head(ledger: Ledger, act: object) -> None:
    ledger.record(CASE, act, occurred_on=date(2025, 10, 20), actor=HEAD)


def _allowed_to_read_status(ledger: Ledger, actor: Actor) -> None:
    assert ledger.reader(actor).status(CASE, DAY).employee_ref == CASE.employee_ref


def test_a_replaced_reviewer_has_no_relationship_from_the_change_on(
    backend: str, tmp_path: Path
) -> None:
    """The employee raised a grievance against rev-1, who was replaced by rev-2: today rev-1
    keeps reading statements, exporting and recording, because every cycle's reviewer
    counts for ever."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        old = Actor(person_id="rev-1", role=Role.REVIEWER)
        ledger.reader(old).records(CASE)  # related before the change
        _by_head(
            ledger,
            ReviewerChanged(
                reviewer_person_id="rev-2",
                requested_by_employee=True,
                reason="The employee raised a grievance against the reviewer.",
            ),
        )
        tried = _refused_everything(ledger, old, tmp_path / "bundle")
        ledger.reader(Actor(person_id="rev-2", role=Role.REVIEWER)).records(CASE)
    tally("access-relationship-ended", backend_name(backend), attempts=tried)


def test_a_replaced_line_manager_has_no_relationship(backend: str, tmp_path: Path) -> None:
    with open_ledger(backend) as ledger:
        _case(ledger)
        old = Actor(person_id="lm-1", role=Role.LINE_MANAGER)
        ledger.reader(old).records(CASE)
        _by_head(
            ledger,
            EmploymentStatusChanged(
                field="line_manager_person_id", value="lm-2", effective_on=date(2025, 10, 20)
            ),
        )
        tried = _refused_everything(ledger, old, tmp_path / "bundle")
        ledger.reader(Actor(person_id="lm-2", role=Role.LINE_MANAGER)).records(CASE)
    tally("access-relationship-ended", backend_name(backend), attempts=tried)


def test_a_replaced_monitor_has_no_relationship(backend: str, tmp_path: Path) -> None:
    with open_ledger(backend) as ledger:
        _case(ledger)
        _by_head(
            ledger,
            SupportPlanAgreed(
                plan_id="sp-1",
                plan_kind=PlanKind.SUPPORT_PLAN,
                starts_on=date(2025, 10, 20),
                review_on=date(2025, 11, 20),
                targets=(
                    Objective(
                        objective_id="t1",
                        text="Plan lessons a week ahead.",
                        success_criteria="Plans seen weekly.",
                        due_on=date(2025, 11, 20),
                    ),
                ),
                monitor_person_id="mon-1",
            ),
        )
        old = Actor(person_id="mon-1", role=Role.MONITOR)
        _allowed_to_read_status(ledger, old)
        _by_head(ledger, MonitoringRoleAssigned(plan_id="sp-1", person_id="mon-2", role="monitor"))
        tried = _refused_everything(ledger, old, tmp_path / "bundle")
        _allowed_to_read_status(ledger, Actor(person_id="mon-2", role=Role.MONITOR))
    tally("access-relationship-ended", backend_name(backend), attempts=tried)


def test_an_appeal_chair_has_no_relationship_once_the_appeal_is_over(
    backend: str, tmp_path: Path
) -> None:
    with open_ledger(backend) as ledger:
        _case(ledger)
        chair = Actor(person_id="gov-2", role=Role.APPEAL_CHAIR)
        _by_head(
            ledger,
            AppealHearingArranged(
                appeal_id="a-1", hearing_on=date(2025, 11, 20), chair_person_id="gov-2"
            ),
        )
        for act in (
            AppealHeard(appeal_id="a-1", chair_person_id="gov-2", notes="Both sides heard."),
            AppealDecided(appeal_id="a-1", result=AppealResult.NOT_UPHELD),
            # the chair's last part: the decision letter (004 §10.14)
            LetterSent(letter_id="l-a1", template="ip-appeal-decision", about_id="a-1"),
        ):
            ledger.reader(chair).records(CASE)  # related while the appeal is open
            ledger.record(CASE, act, occurred_on=date(2025, 11, 20), actor=chair)
        tried = _refused_everything(ledger, chair, tmp_path / "bundle")
    tally("access-relationship-ended", backend_name(backend), attempts=tried)


def test_a_pay_panel_governor_records_pay_acts_only(backend: str, tmp_path: Path) -> None:
    """The pay panel is called on for pay decisions (002): it may record one in a teacher's
    case at its school, but not the minutes of a meeting, and it reads nothing."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        panel = Actor(person_id="gov-pay", role=Role.PAY_PANEL)
        decision = PayDecided(recommendation_id="pay-1", effective_from=date(2025, 9, 1))
        # access granted: the procedure may still judge the act (ActRefused is not an
        # AccessDenied, which would escape this)
        with contextlib.suppress(ActRefused):
            ledger.record(CASE, decision, occurred_on=date(2025, 10, 20), actor=panel)
        tried = _refused_everything(ledger, panel, tmp_path / "bundle")
    tally("access-relationship-ended", backend_name(backend), attempts=tried)


def _minutes(ledger: Ledger, actor: Actor) -> None:
    ledger.record(
        CASE,
        StatementRecorded(statement_kind=StatementKind.MINUTES, text="A note of the meeting."),
        occurred_on=date(2025, 10, 20),
        actor=actor,
    )


def test_authority_is_registered_not_claimed(backend: str) -> None:
    """004 §6: level 2 may dismiss. Today `Actor(authority_level=2)` is whatever the host
    passes; the level is part of the person's signed registration, and a claim above it is
    refused with a typed error, nothing stored."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        ledger.register_person(
            "dir-1", (Role.HEADTEACHER,), by=HR, schools=("oakfield",), authority_level=1
        )
        version = ledger.reader(HR).case(CASE).version
        for claim in (
            Actor(person_id="ht-1", role=Role.HEADTEACHER, authority_level=2),  # none registered
            Actor(person_id="dir-1", role=Role.HEADTEACHER, authority_level=2),  # 1 registered
        ):
            with pytest.raises(AuthorityNotRegistered, match="authority level 2"):
                _minutes(ledger, claim)
        assert ledger.reader(HR).case(CASE).version == version, "nothing of a refused act stored"
        level_1 = Actor(person_id="dir-1", role=Role.HEADTEACHER, authority_level=1)
        _minutes(ledger, level_1)
        ledger.rotate_key("dir-1", by=HR)
        key = ledger.keyring().signing_key_for("dir-1", ledger.now())
        assert key is not None
        assert key.authority_level == 1, "a rotated key keeps the level"
        _minutes(ledger, level_1)
        assert ledger.verify().ok
    tally("access-authority-claimed", backend_name(backend), attempts=2)
