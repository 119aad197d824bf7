"""What the STAR rules ask of a case: the current episode, its plan, meetings and letters.

A case can go through Developing Performance more than once (a successful outcome returns it to
appraisal, a later concern starts again), so most questions are asked about the current
episode: everything recorded since the case last returned to appraisal.
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.actors import Actor
from pmledger.events.case_acts import Objective
from pmledger.events.meeting_acts import (
    CompanionKind,
    DocumentsSubmitted,
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
)
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    PlanKind,
    SupportPlanAgreed,
)
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts, PlanFacts
from pmledger.policies.ladder import Ladder
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext

DATA = pack_data(__package__)
"""This procedure's data, from its pack file (or a school's variant of it)."""

CHECKS = NamedChecks()
"""This procedure's named checks: the questions only it asks, which its pack file cites."""

INITIAL = MeetingPurpose.INITIAL_SUPPORT
INTERIM = MeetingPurpose.INTERIM_REVIEW
REVIEW = MeetingPurpose.SUPPORT_REVIEW
PROCEDURE_MEETINGS = frozenset({INITIAL, INTERIM, REVIEW})
"""The meetings held under this procedure (§3.1: the initial and review meetings are formal)."""
CONVERSATIONS = frozenset({MeetingPurpose.ONE_TO_ONE, MeetingPurpose.CONCERNS})
"""The 1:1 confidential conversation that comes before letter 1 (§4.1)."""

REVIEW_OUTCOMES = DATA.decisions()[PlanKind.SUPPORT_PLAN][1]
"""What the review of a Support Plan may conclude (§4.5): the stage's `decides` in the file."""
FINAL_OUTCOMES = frozenset({Outcome.SUCCESSFUL, Outcome.UNSUCCESSFUL})

STAR_LETTERS = frozenset(f"star-{n}" for n in range(1, 7))
"""Model letters 1-6 of Appendix 2, as LetterSent.template / MeetingInvited.letter."""
INVITATION_LETTER = {INITIAL: "star-1", REVIEW: "star-3"}
OUTCOME_LETTER = {
    Outcome.SUCCESSFUL: "star-4",
    Outcome.PARTIALLY_SUCCESSFUL: "star-5",
    Outcome.UNSUCCESSFUL: "star-6",
}
LETTER_OUTCOME = {letter: outcome for outcome, letter in OUTCOME_LETTER.items()}


def problems(found: Iterable[str]) -> str | None:
    """Several shortfalls of one requirement reported as one finding."""
    listed = list(found)
    return "; ".join(listed) if listed else None


def episode_since(file: CaseFile) -> int:
    """The version at which the case last returned to appraisal (0 if it never left).

    Everything recorded after it belongs to the current (or next) Developing Performance
    episode; earlier records belong to an episode that has ended.
    """
    returns = [mark.version for mark, stage in file.stage_history if stage is Ladder.NORMAL_CYCLE]
    return max(returns, default=0)


def recorded_since(file: CaseFile, kind: str, after: int) -> list[int]:
    """Versions of `kind` recorded after version `after` (the CaseFile keeps no other facts of
    acts such as SupportPlanDrafted, MonitoringRoleAssigned or RecordCopyProvided)."""
    return sorted(v for v, k in file.kinds.items() if k == kind and v > after)


def starts_episode(file: CaseFile, act: Act) -> bool:
    """The act that takes a case from appraisal into Developing Performance."""
    if file.stage is not Ladder.NORMAL_CYCLE:
        return False
    if isinstance(act, MeetingInvited):
        return act.purpose is INITIAL
    return isinstance(act, SupportPlanAgreed)


def concerns_since(file: CaseFile, after: int) -> list[ConcernRaised]:
    return [act for mark, act in file.concerns.values() if mark.version > after]


def meetings_since(
    file: CaseFile, purposes: frozenset[MeetingPurpose], after: int
) -> list[MeetingFacts]:
    """Meetings of `purposes` invited or held after version `after`, oldest first."""

    def first(meeting: MeetingFacts) -> int:
        marks = [m.version for m in (meeting.invited, meeting.held) if m is not None]
        return min(marks, default=0)

    found = [m for m in file.meetings.values() if m.purpose in purposes and first(m) > after]
    return sorted(found, key=first)


def meeting_of(ctx: ActContext) -> MeetingFacts | None:
    act = ctx.act
    meeting_id = getattr(act, "meeting_id", None)
    return None if meeting_id is None else ctx.file.meetings.get(meeting_id)


def held_purpose(ctx: ActContext) -> MeetingPurpose | None:
    """The purpose of the meeting a MeetingHeld records (from its invitation if there was one)."""
    act = ctx.act
    if not isinstance(act, MeetingHeld):
        return None
    meeting = ctx.file.meetings.get(act.meeting_id)
    return (meeting.purpose if meeting else None) or act.purpose


def letters_since(
    file: CaseFile, template: str, after: int, about: str | None = None
) -> list[tuple[Mark, LetterSent]]:
    """Letters of `template` sent after version `after`, about `about` when they say."""
    return [
        (mark, letter)
        for mark, letter in file.letters
        if letter.template == template
        and mark.version > after
        and (about is None or letter.about_id in (None, about))
    ]


def written_invitations(
    file: CaseFile, meeting: MeetingFacts | None, purpose: MeetingPurpose, after: int
) -> list[tuple[Mark, MeetingInvited | LetterSent]]:
    """Whatever invited the employee to a meeting in writing: its MeetingInvited (whichever
    letter that names) and the model letter recorded as a LetterSent of its own."""
    found: list[tuple[Mark, MeetingInvited | LetterSent]] = []
    if meeting is not None and meeting.invitation is not None and meeting.invited is not None:
        found.append((meeting.invited, meeting.invitation))
    about = meeting.meeting_id if meeting is not None else None
    found.extend(letters_since(file, INVITATION_LETTER[purpose], after, about))
    return found


def invitation_letters(
    file: CaseFile, meeting: MeetingFacts | None, purpose: MeetingPurpose, after: int
) -> list[tuple[Mark, MeetingInvited | LetterSent]]:
    """The written invitations that are the procedure's model letter for the meeting."""
    return [
        (mark, letter)
        for mark, letter in written_invitations(file, meeting, purpose, after)
        if isinstance(letter, LetterSent) or letter.letter == INVITATION_LETTER[purpose]
    ]


def live_plan(file: CaseFile) -> PlanFacts | None:
    """The Support Plan of the current episode: the newest one without a final outcome."""
    live = [p for p in file.plans.values() if p.outcome not in FINAL_OUTCOMES]
    return max(live, key=lambda p: p.agreed.version, default=None)


def period_start(plan: PlanFacts) -> Mark:
    """When the current support period began: the plan, or the revision for a further period."""
    further = [mark for mark, revision in plan.revisions if revision.further_period]
    return further[-1] if further else plan.agreed


def targets_now(plan: PlanFacts) -> tuple[Objective, ...]:
    """The targets of the latest revision that replaced them, else the plan's own."""
    revised = [revision.targets for _, revision in plan.revisions if revision.targets]
    return revised[-1] if revised else plan.plan.targets


def first_decision(file: CaseFile, plan_id: str) -> bool:
    """Whether no review outcome has been recorded for the plan yet (the end of period 1)."""
    return plan_id in file.plans and not decisions(file, plan_id)


def decisions(file: CaseFile, plan_id: str | None = None) -> list[tuple[Mark, OutcomeDecided]]:
    """Review outcomes recorded, oldest first (of one plan when `plan_id` is given)."""
    return [
        (mark, decision)
        for mark, decision in file.outcomes
        if decision.outcome in REVIEW_OUTCOMES
        and (plan_id is None or decision.subject_id == plan_id)
    ]


def people(plan: SupportPlanAgreed) -> dict[str, set[str]]:
    """Who monitors and who supports under a plan; the named work contact supports (App 1 §6)."""
    return {
        "monitor": {p for p in (plan.monitor_person_id,) if p},
        "supporter": {
            p for p in (plan.supporter_person_id, plan.named_work_contact_person_id) if p
        },
    }


WITNESS = "witness"
"""The attendee role (`Attendee.role`) of someone at a meeting to give information about the
employee's job performance."""


def informing(act: Act, actor: Actor) -> dict[str, str]:
    """Who an act shows giving information about the employee's job performance (App 1 §2), and
    how: the manager raising the concern, whoever records a monitoring review or submits
    management's evidence, each witness at a meeting."""
    if isinstance(act, ConcernRaised):
        return {actor.person_id: "raised the concern"}
    if isinstance(act, MonitoringReviewed):
        return {actor.person_id: "recorded a monitoring review"}
    if isinstance(act, DocumentsSubmitted) and act.party == "management":
        return {actor.person_id: "submitted evidence for management"}
    if isinstance(act, MeetingHeld):
        return {
            a.person_id: f"was a witness at meeting {act.meeting_id}"
            for a in act.attendees
            if a.role == WITNESS
        }
    return {}


def informants(file: CaseFile, after: int) -> dict[str, str]:
    """Everyone who gave information about the employee's performance after version `after`,
    with the first time they did."""
    found: dict[str, str] = {}
    for recorded in file.history:
        if recorded.mark.version > after:
            for person, how in informing(recorded.act, recorded.actor).items():
                found.setdefault(person, f"{how} on {recorded.mark.on}")
    return found


def colleague_companions(file: CaseFile, after: int) -> set[str]:
    """Work colleagues who accompanied the employee at this procedure's meetings."""
    return {
        meeting.record.companion_person_id
        for meeting in meetings_since(file, PROCEDURE_MEETINGS, after)
        if meeting.record is not None
        and meeting.record.companion_person_id is not None
        and meeting.record.companion_kind is CompanionKind.WORK_COLLEAGUE
    }
