"""The case's facts read the way the Improving Performance Policy (seed 004) speaks of them.

Every time limit of the policy is in its pack file, in the policy's own unit: calendar days
everywhere, weeks for monitoring periods, months for the warning and the sustain windows, and
working days only for the appeal paper exchange (§10.8).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit
from pmledger.events.actors import Actor, Role
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import HrAdviceObtained, RecordCopyProvided
from pmledger.events.sanction_acts import ExternalPartyNotified
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.packfile.model import Subject
from pmledger.policies.stage_machine import subject_of

SOURCE = "004"

DATA = pack_data(__package__)
"""Every time limit, limit, warning length and stage word of this procedure, read from its pack
file (packs/improving-performance/<version>.toml, or a school's variant of it), so a school's
different notice period is an edit of that file, not of this Python."""

CHECKS = NamedChecks()
"""This procedure's named checks: the questions no rule kind asks, cited by its pack file."""

WARNING_MONTHS = DATA.warning_months()
"""§7.2: the formal 12-month written warning is the policy's only warning."""

PIP_IMPROVED_LETTER = "ip-pip-improved"
PIP_FORMAL_NOTICE_LETTER = "ip-pip-formal-notice"
FIRST_FORMAL_LETTER = "ip-first-formal-confirmation"
SECOND_FORMAL_NFA_LETTER = "ip-second-formal-nfa"
DISMISSAL_LETTER = "ip-dismissal"
APPEAL_DECISION_LETTER = "ip-appeal-decision"
APPEAL_PAPERS_LETTER = "ip-appeal-papers-exchanged"

FORMAL_MEETINGS = frozenset({MeetingPurpose.FIRST_FORMAL, MeetingPurpose.SECOND_FORMAL})
MONITORED_PLANS = DATA.monitored_plans()
"""The PIP (§4) and the Formal PIP (§7.2): the stages' `plans` in the pack file."""

HrTopic = Literal["before_formal", "hold_in_absence", "formal_outcome", "dismissal"]
"""HrAdviceObtained.topic for the four moments the policy asks for HR advice (§5.4, §7.1/§9.1
notes, §8.3, §9.4)."""
LA_NOTIFICATION_PARTY = "la_hr_business_partner"
"""ExternalPartyNotified.party: the HR Business Partner for Children's at MKCC (§9.4)."""


def shift(calendar: SchoolCalendar, start: date, limit: TimeLimit) -> date:
    """Calendar, week and month limits never need term dates, so they always resolve."""
    return calendar.shift(start, limit)


def before(calendar: SchoolCalendar, on: date, limit: TimeLimit) -> date:
    return calendar.shift(on, limit, Direction.BEFORE)


def line_manager(file: CaseFile) -> str | None:
    if "line_manager_person_id" in file.employment:
        return file.employment["line_manager_person_id"]
    return file.opened.line_manager_person_id


def is_line_manager(file: CaseFile, actor: Actor) -> bool:
    return actor.role is Role.LINE_MANAGER or actor.person_id == line_manager(file)


def staff_group(file: CaseFile) -> str:
    return file.employment.get("staff_group") or file.opened.staff_group.value


def held_meetings(file: CaseFile, purpose: MeetingPurpose) -> list[MeetingFacts]:
    held = [m for m in file.meetings.values() if m.purpose is purpose and m.held is not None]
    return sorted(held, key=lambda m: m.held.version if m.held else 0)


def latest_held(file: CaseFile, purpose: MeetingPurpose) -> MeetingFacts | None:
    held = held_meetings(file, purpose)
    return held[-1] if held else None


def decided(
    file: CaseFile, subject: Subject, outcomes: Iterable[Outcome]
) -> list[tuple[Mark, OutcomeDecided]]:
    wanted = frozenset(outcomes)
    return [
        (mark, act)
        for mark, act in file.outcomes
        if act.outcome in wanted and subject_of(file, act.subject_id) is subject
    ]


def letter_since(
    file: CaseFile, template: str, start: date, about: str | None = None
) -> Mark | None:
    """The first letter of `template` sent on or after `start` (about `about`, if it says)."""
    for mark, letter in file.letters:
        if letter.template != template or mark.on < start:
            continue
        if about is None or letter.about_id in (None, about):
            return mark
    return None


def recorded_since(file: CaseFile, kind: str, version: int) -> bool:
    """Whether an act of `kind` was recorded after `version`."""
    return any(v > version and k == kind for v, k in file.kinds.items())


def hr_advice_since(file: CaseFile, topic: HrTopic, version: int) -> bool:
    """Whether HR advice on `topic` was recorded after `version`."""
    return any(
        isinstance(r.act, HrAdviceObtained) and r.act.topic == topic and r.mark.version > version
        for r in file.recorded("hr_advice_obtained")
    )


def notified_since(file: CaseFile, party: str, version: int) -> bool:
    return any(
        isinstance(r.act, ExternalPartyNotified)
        and r.act.party == party
        and r.mark.version > version
        for r in file.recorded("external_party_notified")
    )


def copied_to_employee(file: CaseFile, version: int) -> bool:
    return any(
        isinstance(r.act, RecordCopyProvided)
        and r.act.record_version == version
        and r.act.to == "employee"
        for r in file.recorded("record_copy_provided")
    )


def last_return_to_day_to_day(file: CaseFile) -> int:
    """The version at which the case last came back to day-to-day management (0: never left)."""
    returns = [mark.version for mark, stage in file.stage_history if stage is Ladder.NORMAL_CYCLE]
    return returns[-1] if returns else 0


def in_window(calendar: SchoolCalendar, start: date, on: date, limit: TimeLimit) -> bool:
    """Windows count their first day: live on `start` and until the day before it ends."""
    return start <= on < shift(calendar, start, limit)


def pip_sustain_starts(file: CaseFile) -> list[date]:
    """§4.8: a PIP that ended improved opens a 12-month window to maintain the standard."""
    return [mark.on for mark, _ in decided(file, PlanKind.PIP, {Outcome.IMPROVED})]


DecisionKind = Literal["first_formal", "second_formal", "warning", "dismissal"]


@dataclass(frozen=True)
class Decision:
    """A decision an appeal can be against (§10.2: 'at the first/second formal meeting')."""

    version: int
    on: date
    kind: DecisionKind
    letter: str
    outcome: Outcome | None = None


def decisions(file: CaseFile) -> dict[int, Decision]:
    found: dict[int, Decision] = {}
    for mark, act in file.outcomes:
        subject = subject_of(file, act.subject_id)
        if subject is MeetingPurpose.FIRST_FORMAL:
            found[mark.version] = Decision(
                mark.version, mark.on, "first_formal", FIRST_FORMAL_LETTER, act.outcome
            )
        elif subject is MeetingPurpose.SECOND_FORMAL:
            letter = (
                DISMISSAL_LETTER if act.outcome is Outcome.DISMISSAL else SECOND_FORMAL_NFA_LETTER
            )
            found[mark.version] = Decision(
                mark.version, mark.on, "second_formal", letter, act.outcome
            )
    for warning in file.warnings.values():
        mark = warning.issued
        found[mark.version] = Decision(mark.version, mark.on, "warning", FIRST_FORMAL_LETTER)
    if file.dismissed is not None:
        mark = file.dismissed[0]
        found[mark.version] = Decision(mark.version, mark.on, "dismissal", DISMISSAL_LETTER)
    return found


def against_dismissal(file: CaseFile, version: int) -> bool:
    """Whether a record is the dismissal or the decision to dismiss (even once overturned)."""
    if file.kinds.get(version) == "dismissed":
        return True
    decision = decisions(file).get(version)
    return decision is not None and decision.outcome is Outcome.DISMISSAL


def decision_chair(file: CaseFile, decision: Decision) -> str | None:
    """Who chaired the meeting that made the decision: the latest such meeting before it."""
    purpose = (
        MeetingPurpose.FIRST_FORMAL
        if decision.kind in ("first_formal", "warning")
        else MeetingPurpose.SECOND_FORMAL
    )
    chairs = [
        m.record.chair_person_id
        for m in held_meetings(file, purpose)
        if m.held is not None and m.record is not None and m.held.on <= decision.on
    ]
    return chairs[-1] if chairs else None
