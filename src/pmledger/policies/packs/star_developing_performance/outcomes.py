"""The review outcome, the letter confirming it, further periods, capability, absence (§4.5-§4.6).

Letters 4-6 have no time limit (D-st-8), so a missing one is found at the next point where it
is plainly overdue: the plan's next review outcome, the start of a later episode, or the case's
closure.
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.meeting_acts import LetterSent, MeetingInvited
from pmledger.events.record_acts import AbsenceNoted
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    Consequence,
    Outcome,
    OutcomeDecided,
    SupportPlanRevised,
)
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor

from .facts import (
    CHECKS,
    LETTER_OUTCOME,
    OUTCOME_LETTER,
    REVIEW,
    REVIEW_OUTCOMES,
    STAR_LETTERS,
    decisions,
    episode_since,
    letters_since,
    meetings_since,
    period_start,
    problems,
    recorded_since,
    starts_episode,
)

_CAPABILITY_WARNINGS = frozenset(
    {Consequence.CAPABILITY_POSSIBLE, Consequence.FORMAL_PROCEDURE_APPLIES}
)


@CHECKS.problem("not-a-review-outcome", "§4.5")
def _not_a_review_outcome(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    if act.outcome not in REVIEW_OUTCOMES:
        return (
            "a review meeting's outcome is successful, partially_successful or unsuccessful, "
            f"not {act.outcome.value}"
        )
    if act.subject_id not in ctx.file.plans:
        return f"a review outcome decides a Support Plan; there is no plan {act.subject_id}"
    return None


@CHECKS.problem("misnamed-outcome-letter", "§4.5")
def _misnamed_outcome_letter(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, OutcomeDecided) and act.letter in STAR_LETTERS:
        expected = OUTCOME_LETTER.get(act.outcome)
        if act.letter != expected:
            return f"model letter {act.letter} cannot confirm a {act.outcome.value} outcome"
    if isinstance(act, MeetingInvited) and act.letter in LETTER_OUTCOME:
        return f"model letter {act.letter} confirms a review outcome; it cannot invite"
    if isinstance(act, LetterSent) and act.template in LETTER_OUTCOME:
        subject = act.about_id if act.about_id in file.plans else None
        decided = decisions(file, subject)
        if not decided:
            return f"model letter {act.template} confirms a review outcome, and none is recorded"
        outcome = decided[-1][1].outcome
        if LETTER_OUTCOME[act.template] is not outcome:
            return (
                f"model letter {act.template} confirms a "
                f"{LETTER_OUTCOME[act.template].value} outcome, but the review decided "
                f"{outcome.value}"
            )
    return None


def _confirmed(file: CaseFile, mark: Mark, decision: OutcomeDecided) -> bool:
    letter = OUTCOME_LETTER[decision.outcome]
    if decision.letter == letter:
        return True
    return bool(letters_since(file, letter, mark.version, decision.subject_id))


@CHECKS.problem("unconfirmed-outcome", "§4.5")
def _unconfirmed_outcome(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, OutcomeDecided):
        due = decisions(file, act.subject_id)[-1:]
    elif act.kind == "case_closed" or starts_episode(file, act):
        due = decisions(file)[-1:]
    else:
        return None
    missing = [
        f"the {decision.outcome.value} outcome of {mark.on} was never confirmed with model "
        f"letter {OUTCOME_LETTER[decision.outcome]}"
        for mark, decision in due
        if not _confirmed(file, mark, decision)
    ]
    return problems(missing)


@CHECKS.problem("further-period-without-partial", "§4.5")
def _further_period_without_partial(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, SupportPlanRevised)
    plan = ctx.file.plans.get(act.plan_id)
    if not act.further_period or plan is None or plan.outcome is Outcome.PARTIALLY_SUCCESSFUL:
        return None
    return "a further period of support follows only a partially successful review outcome"


@CHECKS.problem("partial-not-continued", "§4.5")
def _partial_not_continued(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, LetterSent) and act.template == "star-5":
        decided = decisions(file, act.about_id if act.about_id in file.plans else None)
        if not decided:
            return None
        plan = file.plans[decided[-1][1].subject_id]
        if plan.outcome is Outcome.PARTIALLY_SUCCESSFUL:
            return (
                "letter 5 is sent before the Support Plan was updated for a further period "
                "with its new review date"
            )
        return None
    if not isinstance(act, OutcomeDecided) or act.subject_id not in file.plans:
        return None
    plan = file.plans[act.subject_id]
    if plan.outcome is not Outcome.PARTIALLY_SUCCESSFUL or plan.decided is None:
        return None
    if letters_since(file, "star-5", plan.decided.version, plan.plan_id):
        return None
    return (
        f"after the partially successful outcome of {plan.decided.on} the Support Plan was not "
        "updated for a further period of support and monitoring"
    )


@CHECKS.holds("third-period", "§4.5")
def _third_period(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanRevised)
    plan = file.plans.get(act.plan_id)
    return not act.further_period or plan is None or plan.periods < 2


@CHECKS.holds("fourth-period", "§4.5")
def _fourth_period(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, SupportPlanRevised)
    plan = file.plans.get(act.plan_id)
    return not act.further_period or plan is None or plan.periods < 3


@CHECKS.problem("capability-not-foreseen", "App 1 §7")
def _capability_not_foreseen(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, OutcomeDecided)
    plan = file.plans.get(act.subject_id)
    if act.outcome is not Outcome.UNSUCCESSFUL or plan is None:
        return None
    start = period_start(plan).version
    reviews = meetings_since(file, frozenset({REVIEW}), start)
    held = [m.held.on for m in reviews if m.held is not None]
    day = held[-1] if held else ctx.on
    invitations = [
        (m.invited, m.invitation)
        for m in reviews
        if m.invited is not None and m.invitation is not None
    ]
    letters: list[tuple[Mark, MeetingInvited | LetterSent]] = [
        *invitations,
        *letters_since(file, "star-3", start),
    ]
    if any(
        mark.on < day and "capability_likely_stated" in letter.confirms for mark, letter in letters
    ):
        return None
    if any(
        mark.version > start and mark.on < day and _CAPABILITY_WARNINGS & set(told.consequences)
        for mark, told in file.consequences
    ):
        return None
    return (
        f"the outcome is unsuccessful but the employee was not told before the review on {day} "
        "that the Capability Procedure was likely"
    )


@CHECKS.clocks("capability-from-outcome", "§4.5")
def _capability_from_outcome(file: CaseFile) -> Iterable[Anchor]:
    for mark, decision in decisions(file):
        if decision.outcome is Outcome.UNSUCCESSFUL:
            done = next((m for m, _ in file.capability if m.version > mark.version), None)
            yield Anchor(
                mark=mark,
                description=f"Capability Procedure from the unsuccessful outcome of {mark.on}",
                done=done,
            )


@CHECKS.problem("duration-unknown", "§4.6")
def _duration_unknown(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AbsenceNoted)
    if ctx.file.stage is not Ladder.INFORMAL_SUPPORT:
        return None
    if act.likely_duration_days is not None or act.ends_on is not None:
        return None
    return (
        f"the likely duration of the absence from {act.starts_on} was not determined "
        "(likely_duration_days or ends_on)"
    )


@CHECKS.problem("significant-absence-unreferred", "App 1 §6")
def _significant_absence_unreferred(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, OutcomeDecided)
    earlier = [mark.version for mark, _ in decisions(file, act.subject_id)]
    after = max([episode_since(file), *earlier])
    notes: dict[str, list[tuple[Mark, AbsenceNoted]]] = {}
    for mark, absence in file.absences:
        if mark.version > after:
            notes.setdefault(absence.absence_id, []).append((mark, absence))
    found = []
    for absence_id, noted in notes.items():
        significant = [mark for mark, n in noted if "significant_period" in n.confirms]
        if not significant:
            continue
        consulted = {
            "Attendance Management Policy": any(
                "attendance_policy_referred" in n.confirms for _, n in noted
            ),
            "HR": bool(recorded_since(file, "hr_advice_obtained", significant[0].version)),
        }
        gaps = [who for who, done in consulted.items() if not done]
        if gaps:
            found.append(f"significant absence {absence_id}: {' and '.join(gaps)} not consulted")
    return problems(found)
