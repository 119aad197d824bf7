"""Shorthand for ReFocus cases in tests: a cycle, targets, review meetings and form parts."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.policies.script import EMPLOYEE, HEAD, REVIEWER, Script

from pmledger.events.actors import Actor
from pmledger.events.case_acts import (
    CycleOpened,
    Objective,
    ObjectivesSet,
    ReviewerAssigned,
    StaffGroup,
)
from pmledger.events.form_contents import FormPart, ObjectiveProgress, part_of
from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.policies.judgement import Deadline, Finding

PACK = "refocus-pm"
SEPT_2025 = date(2025, 9, 1)
AUG_2026 = date(2026, 8, 31)


def refocus(
    opened_on: date = SEPT_2025,
    staff_group: StaffGroup = StaffGroup.TEACHER,
    *,
    reviewer: str | None = "rev-1",
    **opening: Any,
) -> Script:
    """A ReFocus case whose appraiser `reviewer` the Headteacher allocates when it opens (§5),
    so the appraiser is related to the case before a cycle opens; `reviewer=None` leaves the
    allocation to the test."""
    s = Script(PACK, opened_on=opened_on, staff_group=staff_group, opening=dict(opening))
    if reviewer is not None:
        s.act(opened_on, ReviewerAssigned(reviewer_person_id=reviewer), by=HEAD)
    return s


def open_cycle(
    s: Script,
    on: date = SEPT_2025,
    cycle_id: str = "2025-26",
    starts: date = SEPT_2025,
    ends: date = AUG_2026,
    by: Actor = HEAD,
    reviewer: str = "rev-1",
) -> list[Finding]:
    return s.act(
        on,
        CycleOpened(cycle_id=cycle_id, starts_on=starts, ends_on=ends, reviewer_person_id=reviewer),
        by=by,
    )


def target(n: int, **extra: Any) -> Objective:
    fields: dict[str, Any] = {
        "objective_id": f"t{n}",
        "text": f"Target {n}",
        "success_criteria": "Attendance of the 5 identified students improves by 5%",
        "due_on": date(2026, 7, 17),
    }
    fields.update(extra)
    return Objective.model_validate(fields)


def targets_set(count: int = 3, cycle_id: str = "2025-26", **extra: Any) -> ObjectivesSet:
    fields: dict[str, Any] = {
        "cycle_id": cycle_id,
        "objectives": tuple(target(n) for n in range(1, count + 1)),
        "confirms": ("smart_confirmed",),
    }
    fields.update(extra)
    return ObjectivesSet.model_validate(fields)


def hold(
    s: Script,
    on: date,
    meeting_id: str,
    purpose: MeetingPurpose,
    *,
    reason: str | None = None,
    **extra: Any,
) -> list[Finding]:
    return s.act(
        on,
        MeetingHeld(meeting_id=meeting_id, purpose=purpose, chair_person_id="rev-1", **extra),
        by=REVIEWER,
        reason=reason,
    )


def boxes(form: str, kind: StatementKind, *, empty: tuple[str, ...] = ()) -> FormPart | None:
    """The typed part `kind` fills in on `form`, every box written except `empty`; progress
    rows for targets t1-t3 (the `targets_set` default) unless 'objectives' is empty."""
    cls = part_of(form, kind.value)
    if cls is None:
        return None
    data: dict[str, Any] = {
        box: f"{heading} — written" for box, heading in cls.BOXES.items() if box not in empty
    }
    if "objectives" in cls.model_fields and "objectives" not in empty:
        data["objectives"] = tuple(
            ObjectiveProgress(
                objective_id=f"t{n}",
                success_criteria="Attendance of the 5 identified students improves by 5%",
                actions_taken="Weekly mentoring sessions",
                evidence="Register data for the term",
            )
            for n in range(1, 4)
        )
    return cls.model_validate(data)


def part(
    form: str,
    kind: StatementKind,
    *,
    mid_year_cycle: int | None = None,
    about: int | None = None,
    confirms: tuple[str, ...] = (),
    empty: tuple[str, ...] = (),
    filled: bool = True,
) -> StatementRecorded:
    """A part of App B / App D with its boxes filled in (but `empty`), or none (`filled`)."""
    return StatementRecorded.model_validate(
        {
            "statement_kind": kind,
            "form": form,
            "mid_year_cycle": mid_year_cycle,
            "about_version": about,
            "text": "Statement",
            "confirms": confirms,
            "contents": boxes(form, kind, empty=empty) if filled else None,
        }
    )


def by_author(kind: StatementKind) -> Actor:
    return EMPLOYEE if kind is StatementKind.EMPLOYEE else REVIEWER


def rows(s: Script, rule_id: str, as_of: date) -> list[Deadline]:
    return [d for d in s.deadlines(as_of) if d.rule.id == rule_id]
