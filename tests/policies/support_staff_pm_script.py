"""Helpers for the support-staff-pm tests: a case, a cycle, objectives, and other settings."""

from __future__ import annotations

from datetime import date

from tests.policies.script import EMPLOYEE, HEAD, REVIEWER, Script

from pmledger.events.actors import Actor
from pmledger.events.case_acts import (
    CycleOpened,
    Objective,
    ObjectiveKind,
    ReviewerAssigned,
    StaffGroup,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.events.signed_event import Act
from pmledger.policies.judgement import Deadline, Finding
from pmledger.policies.pack import PolicyPack
from pmledger.policies.procedure import fold
from pmledger.policies.rule import ActContext

PACK_ID = "support-staff-pm"
CYCLE = "2025-26"
DIGEST = "0" * 64


def ss(
    opened_on: date = date(2025, 9, 1), *, reviewer: str | None = "rev-1", **opening: object
) -> Script:
    """A support-staff case whose line manager is `reviewer`, appointed its reviewer by the
    Headteacher when it opens (001 §3: ideally the line manager), so the reviewer is related to
    the case before a cycle opens; `reviewer=None` leaves the reviewer to the test."""
    if reviewer is not None:
        opening = {"line_manager_person_id": reviewer, **opening}
    s = Script(
        PACK_ID, opened_on=opened_on, staff_group=StaffGroup.SUPPORT_STAFF, opening=dict(opening)
    )
    if reviewer is not None:
        s.act(opened_on, ReviewerAssigned(reviewer_person_id=reviewer), by=HEAD)
    return s


def with_cycle(
    starts: date = date(2025, 9, 1), ends: date = date(2026, 8, 31), cycle_id: str = CYCLE
) -> Script:
    s = ss(opened_on=starts)
    s.act(
        starts,
        CycleOpened(cycle_id=cycle_id, starts_on=starts, ends_on=ends, reviewer_person_id="rev-1"),
    )
    return s


def objective(n: int, **extra: object) -> Objective:
    fields: dict[str, object] = {
        "objective_id": f"o{n}",
        "text": f"Objective {n}",
        "success_criteria": "Measured against the success criteria agreed",
        "school_improvement_link": "SIP priority 2: reading across the curriculum",
        "support_required": "Time with the SENCo each half term",
        "due_on": date(2026, 7, 17),
        "objective_kind": ObjectiveKind.CPD if n == 1 else ObjectiveKind.DUTIES,
    }
    fields.update(extra)
    return Objective.model_validate(fields)


def objectives(count: int) -> tuple[Objective, ...]:
    return tuple(objective(n) for n in range(1, count + 1))


def invite(
    meeting_id: str,
    purpose: MeetingPurpose,
    on: date,
    *,
    venue: str | None = "Meeting room 2",
    letter: str | None = None,
) -> MeetingInvited:
    return MeetingInvited(
        meeting_id=meeting_id, purpose=purpose, scheduled_for=on, venue=venue, letter=letter
    )


def held(
    meeting_id: str, next_meeting_on: date | None = date(2026, 4, 22), **extra: object
) -> MeetingHeld:
    fields: dict[str, object] = {
        "meeting_id": meeting_id,
        "chair_person_id": "rev-1",
        "next_meeting_on": next_meeting_on,
    }
    fields.update(extra)
    return MeetingHeld.model_validate(fields)


def planning_meeting(s: Script, invited_on: date, on: date, meeting_id: str = "plan-1") -> int:
    """An invited and held planning meeting; returns the held meeting's version."""
    s.act(invited_on, invite(meeting_id, MeetingPurpose.PLANNING, on), by=REVIEWER)
    s.act(on, held(meeting_id), by=REVIEWER)
    return s.version


def countersign(s: Script, on: date, version: int, **extra: object) -> list[Finding]:
    return s.act(
        on,
        RecordAcknowledged.model_validate(
            {"record_version": version, "record_digest": DIGEST, **extra}
        ),
        by=EMPLOYEE,
    )


def act_under(
    pack: PolicyPack,
    s: Script,
    on: date,
    act: Act,
    *,
    by: Actor = HEAD,
    reason: str | None = None,
) -> list[Finding]:
    """Judge one act under a pack built with other settings, then apply it to the script's case."""
    event = s.event(on, act, by, reason)
    ctx = ActContext(file=s.case, event=event, calendar=s.calendar)
    pack.judge(ctx)
    fold(s.case, event)
    s.version += 1
    s.findings.extend(ctx.findings)
    return ctx.findings


def rows(s: Script, as_of: date, rule_id: str, pack: PolicyPack | None = None) -> list[Deadline]:
    found = pack.deadlines(s.case, s.calendar, as_of) if pack else s.deadlines(as_of)
    return [d for d in found if d.rule.id == rule_id]
