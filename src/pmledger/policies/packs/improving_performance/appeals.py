"""Appeals against a first or second formal decision, heard by a governor (004 §10).

Time limits run in calendar days except the exchange of papers (3 working days, §10.8), and an
extension counts only if agreed before the limit passed (§10.9).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
)
from pmledger.events.meeting_acts import DocumentsSubmitted
from pmledger.events.sanction_acts import (
    DismissalOverturned,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.policies.case_file import AppealFacts, CaseFile
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, Impossible
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.plan_periods import words

from .facts import (
    APPEAL_DECISION_LETTER,
    APPEAL_PAPERS_LETTER,
    CHECKS,
    DATA,
    WARNING_MONTHS,
    Decision,
    against_dismissal,
    before,
    decision_chair,
    decisions,
    letter_since,
    shift,
)

GROUNDS = frozenset(
    {
        AppealGround.DEFECTIVE_PROCEDURE,
        AppealGround.NEW_EVIDENCE,
        AppealGround.INAPPROPRIATE_SANCTION,
    }
)
UPHELD = frozenset({AppealResult.UPHELD, AppealResult.UPHELD_LESSER_SANCTION})


def appealed(file: CaseFile, appeal: AppealFacts) -> Decision | None:
    return decisions(file).get(appeal.appeal.against_version)


def notified_on(file: CaseFile, decision: Decision) -> date:
    """The decision's letter, if one was sent; otherwise the decision itself (at the meeting)."""
    letter = letter_since(file, decision.letter, decision.on)
    return letter.on if letter is not None else decision.on


def lateness(
    file: CaseFile, calendar: SchoolCalendar, lodged: AppealLodged, on: date
) -> str | None:
    decision = decisions(file).get(lodged.against_version)
    if decision is None:
        return None
    notified = notified_on(file, decision)
    due = shift(calendar, notified, DATA.time_limit("appeal-lodged"))
    if on <= due:
        return None
    return (
        f"the appeal was lodged on {on}, more than 7 calendar days after the decision was "
        f"notified on {notified} (due by {due}; the employee's time limit)"
    )


@CHECKS.problem("final-problem", "§10.16")
def _final_problem(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealLodged)
    if ctx.file.kinds.get(act.against_version) == "appeal_decided":
        return "the decision of the appeal hearing is final: there is no further internal appeal"
    if any(a.appeal.against_version == act.against_version for a in ctx.file.appeals.values()):
        return f"record version {act.against_version} has already been appealed"
    return None


_APPEAL_STEPS = (AppealAccepted, AppealHearingArranged, AppealHeard, AppealDecided)


@CHECKS.problem("subject-problem", "§10.2")
def _subject_problem(ctx: ActContext) -> str | None:
    """What cannot be: an appeal step naming no appeal, an appeal against no decision (a
    further appeal against the appeal's own decision is recorded, with ip-appeal-final's
    finding)."""
    act, file = ctx.act, ctx.file
    if isinstance(act, _APPEAL_STEPS):
        if act.appeal_id not in file.appeals:
            return f"there is no appeal {act.appeal_id} in this case"
        return None
    assert isinstance(act, AppealLodged)
    if act.appeal_id in file.appeals:
        return f"appeal {act.appeal_id} already exists; give the new appeal its own id"
    if act.against_version not in file.kinds:
        return f"there is no record version {act.against_version} to appeal against"
    kind = file.kinds[act.against_version]
    if act.against_version not in decisions(file) and kind != "appeal_decided":
        return (
            f"version {act.against_version} ({kind}) is not a decision of a first or second "
            "formal meeting (a warning, a Formal PIP outcome, no further action or a dismissal)"
        )
    return None


@CHECKS.problem("grounds-problem", "§10.3")
def _grounds_problem(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealLodged)
    other = sorted(g.value for g in act.grounds if g not in GROUNDS)
    if not other:
        return None
    return (
        f"the grounds of appeal are only a defective or unfair procedure, new evidence and an "
        f"inappropriate sanction, not {', '.join(other)}"
    )


@CHECKS.problem("unsubstantiated", "§10.4")
def _unsubstantiated(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealLodged)
    if act.details.strip():
        return None
    return (
        "the appeal states no information or evidence substantiating its grounds (the "
        "employee's duty)"
    )


def misaddressed(file: CaseFile, lodged: AppealLodged) -> str | None:
    """§10.2: the appeal goes "to the manager who chaired the meeting" that decided."""
    decision = decisions(file).get(lodged.against_version)
    chair = decision_chair(file, decision) if decision is not None else None
    if chair is None or lodged.addressed_to_person_id == chair:
        return None
    to = lodged.addressed_to_person_id
    return (
        f"the appeal is lodged with the manager who chaired the meeting ({chair}); it was "
        + (f"addressed to {to}" if to else "not addressed to anyone (addressed_to_person_id)")
        + " (the employee's duty)"
    )


@CHECKS.problem("appeal-lodged-late", "§10.2")
def _lodged_late(ctx: ActContext) -> str | None:
    """Late appeals are recorded as out of time (the employee's time limit)."""
    act = ctx.act
    assert isinstance(act, AppealLodged)
    return lateness(ctx.file, ctx.calendar, act, ctx.on)


@CHECKS.problem("appeal-misaddressed", "§10.2")
def _misaddressed(ctx: ActContext) -> str | None:
    """An appeal lodged with someone other than the chair of the decision."""
    act = ctx.act
    assert isinstance(act, AppealLodged)
    return misaddressed(ctx.file, act)


@CHECKS.problem("late-appeal-not-accepted", "§10.2")
def _late_appeal_not_accepted(ctx: ActContext) -> str | None:
    """A hearing of a late appeal needs the appeal accepted first."""
    act, file = ctx.act, ctx.file
    assert isinstance(act, AppealHearingArranged)
    appeal = file.appeals.get(act.appeal_id)
    if appeal is None or appeal.accepted is not None:
        return None
    late = lateness(file, ctx.calendar, appeal.appeal, appeal.lodged.on)
    if late is None:
        return None
    return f"{late}: record appeal_accepted with the reason before arranging a hearing"


@CHECKS.clocks("arrangements-due", "§10.5")
def _arrangements_due(file: CaseFile) -> Iterable[Anchor]:
    for appeal in file.appeals.values():
        yield Anchor(
            mark=appeal.lodged,
            description=f"hearing of appeal {appeal.appeal_id} arranged by the Chair of Governors",
            done=appeal.arranged,
        )


@CHECKS.problem("short-hearing-notice", "§10.6")
def _short_hearing_notice(ctx: ActContext) -> str | None:
    """Written notice of the hearing's time and place at least 10 days before it."""
    act = ctx.act
    assert isinstance(act, AppealHearingArranged)
    notice = DATA.time_limit("appeal-hearing-notice")
    latest = before(ctx.calendar, act.hearing_on, notice)
    if ctx.on <= latest:
        return None
    return (
        f"notice of the appeal hearing on {act.hearing_on} is given at least {words(notice)} "
        f"in advance (by {latest}); it was given on {ctx.on}"
    )


@CHECKS.clocks("hearing-notices-due", "§10.6")
def _hearing_notices_due(file: CaseFile) -> Iterable[Anchor]:
    """Counted back from the hearing; the arrangement gives the notice."""
    for appeal in file.appeals.values():
        if appeal.arranged is None or appeal.hearing_on is None:
            continue
        yield Anchor(
            mark=appeal.arranged,
            description=f"notice of appeal hearing {appeal.appeal_id} on {appeal.hearing_on}",
            done=appeal.arranged,
            start=appeal.hearing_on,
        )


@CHECKS.problem("material-late", "§10.7")
def _material_late(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, DocumentsSubmitted)
    appeal = ctx.file.appeals.get(act.meeting_id)
    if appeal is None or appeal.hearing_on is None:
        return None
    latest = before(
        ctx.calendar, appeal.hearing_on, DATA.time_limit("appeal-material-before-hearing")
    )
    if ctx.on <= latest:
        return None
    return (
        f"written material for the appeal hearing on {appeal.hearing_on} goes to the Chair at "
        f"least 7 calendar days before it (by {latest}); the {act.party}'s came on {ctx.on}"
    )


@CHECKS.clocks("papers-exchanges-due", "§10.8")
def _papers_exchanges_due(file: CaseFile) -> Iterable[Anchor]:
    """The Chair sends each party the other's material, counted back from the hearing."""
    for appeal in file.appeals.values():
        papers = file.meetings.get(appeal.appeal_id)
        if appeal.arranged is None or appeal.hearing_on is None or not papers:
            continue
        if not papers.papers:
            continue
        yield Anchor(
            mark=appeal.arranged,
            description=f"written material exchanged for appeal hearing {appeal.appeal_id} "
            f"on {appeal.hearing_on}",
            done=letter_since(file, APPEAL_PAPERS_LETTER, appeal.lodged.on, appeal.appeal_id),
            start=appeal.hearing_on,
        )


@CHECKS.problem("not-advised-by-hr", "§10.10")
def _not_advised_by_hr(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealDecided)
    if "advised_by_hr" in act.confirms:
        return None
    return "the appeal chair is advised by a representative of the School's HR Provider"


@CHECKS.problem("chair-made-the-decision", "§10")
def _chair_made_the_decision(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    assert isinstance(act, AppealHeard)
    appeal = file.appeals.get(act.appeal_id)
    decision = appealed(file, appeal) if appeal is not None else None
    if decision is None or decision_chair(file, decision) != act.chair_person_id:
        return None
    return (
        f"{act.chair_person_id} chaired the meeting that made the decision under appeal "
        "(recommended: an independent chair; not in the source)"
    )


def _upheld_against(
    file: CaseFile, appeal_id: str | None, wanted: frozenset[AppealResult]
) -> Decision | None:
    appeal = file.appeals.get(appeal_id) if appeal_id is not None else None
    if appeal is None or appeal.result not in wanted:
        return None
    return appealed(file, appeal)


@CHECKS.problem("appeal-outcome-problem", "§10.14")
def _outcome_problem(ctx: ActContext) -> str | None:
    act, file = ctx.act, ctx.file
    if isinstance(act, AppealDecided):
        appeal = file.appeals[act.appeal_id]
        if appeal.heard is None:
            return f"appeal {act.appeal_id} is decided after its hearing"
        if appeal.decided is not None:
            return f"appeal {act.appeal_id} was already decided"
        against = appeal.appeal.against_version
        if act.result is AppealResult.UPHELD_LESSER_SANCTION and not against_dismissal(
            file, against
        ):
            return "a lesser penalty is awarded only on an appeal against dismissal"
        return None
    if isinstance(act, DismissalOverturned):
        upheld = file.appeals.get(act.appeal_id)
        if (
            file.dismissed is None
            or upheld is None
            or upheld.result not in UPHELD
            or not against_dismissal(file, upheld.appeal.against_version)
        ):
            return "a dismissal is overturned only by an upheld appeal against it"
        if act.substitute == "final_written_warning":
            return "this policy has no final written warning"
        lesser = upheld.result is AppealResult.UPHELD_LESSER_SANCTION
        if act.substitute == "written_warning" and not lesser:
            return "a substitute warning is the lesser penalty of an appeal upheld as such"
        return None
    if isinstance(act, WarningRescinded):
        if act.warning_id not in file.warnings:
            return Impossible(f"there is no warning {act.warning_id} in this case")
        if act.appeal_id is None:
            return None
        decision = _upheld_against(file, act.appeal_id, UPHELD)
        if decision is None or decision.kind not in ("warning", "first_formal"):
            return "an appeal rescinds a warning only when upheld against it"
        return None
    if isinstance(act, WarningReduced):
        return _reduction_problem(file, act)
    if file.stage is Ladder.DISMISSED and file.dismissed is not None:
        return (
            "the employee has been dismissed; day-to-day management resumes only if an "
            "appeal overturns the dismissal"
        )
    return None


def _reduction_problem(file: CaseFile, act: WarningReduced) -> str | None:
    """An upheld appeal may award a lesser penalty: the same written warning for a shorter
    time. There is no other kind to reduce it to."""
    warning = file.warnings.get(act.warning_id)
    if warning is None:
        return Impossible(f"there is no warning {act.warning_id} in this case")
    decision = _upheld_against(file, act.appeal_id, UPHELD)
    if decision is None or decision.kind not in ("warning", "first_formal"):
        return "an appeal reduces a warning only when upheld against it"
    if act.new_kind is not WarningKind.WRITTEN:
        return "this policy's one warning is the written warning: it is not reduced to another"
    months = WARNING_MONTHS[WarningKind.WRITTEN]
    if act.new_duration_months is None or act.new_duration_months >= months:
        return (
            f"a reduced warning is live for fewer than {months} months: give "
            "new_duration_months (or rescind the warning)"
        )
    return None


@CHECKS.clocks("decision-letters-due", "§10.15")
def _decision_letters_due(file: CaseFile) -> Iterable[Anchor]:
    for appeal in file.appeals.values():
        if appeal.heard is None:
            continue
        yield Anchor(
            mark=appeal.heard,
            description=f"written decision of appeal {appeal.appeal_id}",
            done=letter_since(file, APPEAL_DECISION_LETTER, appeal.heard.on, appeal.appeal_id),
        )
