"""The initial and review meetings: letters 1 and 3, the draft plan, companions, notes (§3-§5).

What a letter must say is judged when the meeting it invites to is held, because the letter
may be recorded as its own LetterSent after the MeetingInvited that scheduled the meeting.
"""

from __future__ import annotations

from pmledger.events.meeting_acts import (
    CompanionKind,
    CompanionNamed,
    DocumentsSubmitted,
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringRoleAssigned,
    OutcomeDecided,
    SupportPlanAgreed,
    SupportPlanDrafted,
)
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext

from .facts import (
    CHECKS,
    INITIAL,
    INVITATION_LETTER,
    PROCEDURE_MEETINGS,
    REVIEW,
    STAR_LETTERS,
    colleague_companions,
    decisions,
    episode_since,
    held_purpose,
    informants,
    informing,
    invitation_letters,
    live_plan,
    meeting_of,
    meetings_since,
    people,
    period_start,
    recorded_since,
    written_invitations,
)


def _misnamed_invitation_letter(ctx: ActContext, letter: str) -> str | None:
    """`letter` named on an invitation to the wrong meeting, or a LetterSent of `letter` about
    the wrong meeting (judged by the rule of the letter named, so a wrong letter is one
    finding)."""
    act = ctx.act
    if isinstance(act, MeetingInvited) and act.letter in STAR_LETTERS:
        expected = INVITATION_LETTER.get(act.purpose)
        if act.letter == letter and act.letter != expected:
            that = f" (that is {expected})" if expected else ""
            return (
                f"model letter {act.letter} cannot invite to the {act.purpose.value} meeting{that}"
            )
    if isinstance(act, LetterSent) and act.template == letter and act.about_id is not None:
        meeting = ctx.file.meetings.get(act.about_id)
        purpose = meeting.purpose if meeting is not None else None
        if purpose is not None and INVITATION_LETTER.get(purpose) != letter:
            return f"model letter {letter} cannot be about the {purpose.value} meeting"
    return None


def _invitation_problems(ctx: ActContext, purpose: MeetingPurpose) -> str | None:
    """Letter 1 / letter 3: sent, before the meeting, giving the venue."""
    if held_purpose(ctx) is not purpose:
        return None
    file, meeting = ctx.file, meeting_of(ctx)
    plan = live_plan(file)
    after = period_start(plan).version if purpose is REVIEW and plan else episode_since(file)
    letters = invitation_letters(file, meeting, purpose, after)
    number = INVITATION_LETTER[purpose]
    if not letters:
        return f"the {purpose.value} meeting is held without model letter {number} inviting to it"
    if all(mark.on >= ctx.on for mark, _ in letters):
        sent = min(mark.on for mark, _ in letters)
        return f"model letter {number} was sent on {sent}, not before the meeting"
    if all(isinstance(letter, MeetingInvited) and letter.venue is None for _, letter in letters):
        return f"model letter {number} does not confirm the venue"
    return None


@CHECKS.problem("letter-1-misnamed", "§4.1")
def _letter_1_misnamed(ctx: ActContext) -> str | None:
    return _misnamed_invitation_letter(ctx, "star-1")


@CHECKS.problem("letter-3-misnamed", "§4.5")
def _letter_3_misnamed(ctx: ActContext) -> str | None:
    return _misnamed_invitation_letter(ctx, "star-3")


@CHECKS.problem("initial-invitation", "§4.1")
def _initial_invitation(ctx: ActContext) -> str | None:
    return _invitation_problems(ctx, INITIAL)


@CHECKS.problem("review-invitation", "§4.5")
def _review_invitation(ctx: ActContext) -> str | None:
    return _invitation_problems(ctx, REVIEW)


def _written_invitations(
    ctx: ActContext, purpose: MeetingPurpose
) -> list[MeetingInvited | LetterSent]:
    file = ctx.file
    found = written_invitations(file, meeting_of(ctx), purpose, episode_since(file))
    return [letter for _, letter in found]


@CHECKS.problem("policy-copy", "§4.1")
def _policy_copy(ctx: ActContext) -> str | None:
    if held_purpose(ctx) is not INITIAL:
        return None
    letters = _written_invitations(ctx, INITIAL)
    if any("policy_copy_enclosed" in letter.confirms for letter in letters):
        return None
    return (
        "no copy of the Developing Performance Policy is recorded as given with letter 1 "
        "(confirm 'policy_copy_enclosed')"
    )


@CHECKS.problem("draft-plan", "§4.1")
def _draft_plan(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    since = episode_since(file)
    if isinstance(act, SupportPlanDrafted):
        initial = meetings_since(file, frozenset({INITIAL}), since)
        if not initial:
            return None
        last = initial[-1]
        on = last.held.on if last.held else last.scheduled_for
        if on is not None and act.shared_with_employee_on >= on:
            return (
                f"the draft Support Plan was given to the employee on "
                f"{act.shared_with_employee_on}, not before the initial meeting on {on}"
            )
        return None
    if held_purpose(ctx) is not INITIAL:
        return None
    meeting = meeting_of(ctx)
    invitation = meeting.invitation if meeting is not None else None
    enclosed = invitation is not None and invitation.draft_plan_enclosed
    if enclosed or recorded_since(file, "support_plan_drafted", since):
        return None
    return "no draft Support Plan was given to the employee before the initial meeting"


def _states_right(letter: MeetingInvited | LetterSent) -> bool:
    if isinstance(letter, MeetingInvited) and letter.states_right_to_companion:
        return True
    return "right_to_companion_stated" in letter.confirms


@CHECKS.problem("companion-right", "§3.1")
def _companion_right(ctx: ActContext) -> str | None:
    purpose = held_purpose(ctx)
    if purpose not in INVITATION_LETTER:
        return None
    letters = _written_invitations(ctx, purpose)
    if not letters or any(_states_right(letter) for letter in letters):
        return None
    return (
        f"the invitation to the {purpose.value} meeting does not state the right to be "
        "accompanied by a trade union representative or work colleague"
    )


@CHECKS.problem("companion-status", "App 1 §2")
def _companion_status(ctx: ActContext) -> str | None:
    act = ctx.act
    if not isinstance(act, MeetingHeld) or held_purpose(ctx) not in PROCEDURE_MEETINGS:
        return None
    meeting = meeting_of(ctx)
    accompanied = act.companion_name is not None or act.companion_person_id is not None
    named = meeting is not None and meeting.companion_named is not None
    if not accompanied or act.companion_kind is not None or named:
        return None
    return (
        "the employee was accompanied but the companion's status (trade union representative "
        "or work colleague) was not established before the meeting"
    )


def _colleague_companion(ctx: ActContext) -> str | None:
    """The work colleague a CompanionNamed names, or a MeetingHeld shows without one."""
    act = ctx.act
    if isinstance(act, CompanionNamed):
        return act.person_id if act.companion_kind is CompanionKind.WORK_COLLEAGUE else None
    if not isinstance(act, MeetingHeld) or held_purpose(ctx) not in PROCEDURE_MEETINGS:
        return None
    meeting = meeting_of(ctx)
    if act.companion_kind is not CompanionKind.WORK_COLLEAGUE or (
        meeting is not None and meeting.companion_named is not None
    ):
        return None
    return act.companion_person_id


def _assigned(act: Act) -> dict[str, str]:
    """Who an act makes a monitor or supporter, and as which."""
    if isinstance(act, MonitoringRoleAssigned):
        return {act.person_id: act.role}
    if isinstance(act, SupportPlanAgreed):
        return {p: role for role, held in people(act).items() for p in held}
    return {}


@CHECKS.problem("companion-compromised", "App 1 §2")
def _companion_compromised(ctx: ActContext) -> str | None:
    """App 1 §2: a work colleague who monitors or supports the employee, or gives information
    about their job performance, is compromised as their companion, whichever came first."""
    file = ctx.file
    since = episode_since(file)
    colleague = _colleague_companion(ctx)
    if colleague is not None:
        plan = live_plan(file)
        roles = (
            [role for role, held in people(plan.plan).items() if colleague in held] if plan else []
        )
        gave = informants(file, since).get(colleague) or informing(ctx.act, ctx.actor).get(
            colleague
        )
        reasons = [f"is their {' and '.join(roles)} under the Support Plan"] if roles else []
        reasons += [f"gave information about their performance ({gave})"] if gave else []
        if reasons:
            return (
                f"work colleague {colleague} accompanies the employee but "
                f"{' and '.join(reasons)}; the employee should be asked to find another colleague"
            )
    companions = colleague_companions(file, since)
    clashes = [f"{p} ({role})" for p, role in _assigned(ctx.act).items() if p in companions]
    clashes += [
        f"{p} ({how})" for p, how in informing(ctx.act, ctx.actor).items() if p in companions
    ]
    if not clashes:
        return None
    return (
        f"{', '.join(clashes)} accompanied the employee as a work colleague and would now "
        "monitor, support or give information about them"
    )


@CHECKS.holds("not-recorded-electronically", "§2.2")
def _recorded(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, MeetingHeld)
    return not act.recorded_electronically


@CHECKS.problem("overview", "§4.2")
def _overview(ctx: ActContext) -> str | None:
    act = ctx.act
    if held_purpose(ctx) is not INITIAL or "overview_given" in getattr(act, "confirms", ()):
        return None
    return (
        "the initial meeting record does not confirm that the employee was given an overview "
        "of the whole process and its possible outcomes ('overview_given')"
    )


@CHECKS.problem("notes-supplied", "§5")
def _notes_supplied(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, OutcomeDecided)
    earlier = decisions(file, act.subject_id)
    after = max([episode_since(file), *(mark.version for mark, _ in earlier)])
    missing = [
        f"{m.purpose.value if m.purpose else 'meeting'} {m.meeting_id} on {m.held.on}"
        for m in meetings_since(file, PROCEDURE_MEETINGS, episode_since(file))
        if m.held is not None
        and m.held.version > after
        and m.held.on < ctx.on
        and m.held.version not in file.acknowledged
        and not recorded_since(file, "record_copy_provided", m.held.version)
    ]
    if not missing:
        return None
    return (
        f"notes of {', '.join(missing)} were not supplied to the employee for comment "
        "(no copy provided and not acknowledged)"
    )


@CHECKS.problem("evidence-late", "§4.5")
def _evidence_late(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, DocumentsSubmitted)
    meeting = meeting_of(ctx)
    if meeting is None or meeting.purpose is not REVIEW:
        return None
    day = meeting.held.on if meeting.held is not None else meeting.scheduled_for
    if day is None or ctx.on < day:
        return None
    return (
        f"{act.party} written evidence for the review meeting on {day} was provided on "
        f"{ctx.on}, not in advance of the meeting"
    )


@CHECKS.problem("off-plan-date", "§4.5")
def _off_plan_date(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    plan = live_plan(file)
    meeting = meeting_of(ctx)
    if plan is None:
        return None
    if isinstance(act, MeetingInvited) and act.purpose is REVIEW:
        day, what = act.scheduled_for, "set for"
    elif isinstance(act, MeetingRescheduled) and meeting and meeting.purpose is REVIEW:
        day, what = act.new_date, "moved to"
    elif isinstance(act, MeetingHeld) and held_purpose(ctx) is REVIEW:
        if meeting is not None and meeting.scheduled_for == ctx.on:
            return None
        day, what = ctx.on, "held on"
    else:
        return None
    if day == plan.review_on:
        return None
    return f"the review meeting is {what} {day}; the Support Plan's timescale sets {plan.review_on}"
