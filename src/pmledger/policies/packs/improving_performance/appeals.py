"""Appeals against a first or second formal decision, heard by a governor (004 §10).

Time limits run in calendar days except the exchange of papers (3 working days, §10.8), and an
extension counts only if agreed before the limit passed (§10.9).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit
from pmledger.events.actors import Role
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealGround,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
    TimeLimitExtended,
)
from pmledger.events.meeting_acts import DocumentsSubmitted
from pmledger.events.sanction_acts import (
    DismissalOverturned,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.policies.case_file import AppealFacts, CaseFile, Mark
from pmledger.policies.judgement import Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, DeadlineSpec, Impossible, Rule, kinds
from pmledger.policies.rules.due_after import Anchor, DueAfter
from pmledger.policies.rules.problem import ProblemWith

from .facts import (
    APPEAL_DECISION_LETTER,
    APPEAL_PAPERS_LETTER,
    DATA,
    SOURCE,
    WARNING_MONTHS,
    Decision,
    against_dismissal,
    before,
    decision_chair,
    decisions,
    letter_since,
    shift,
    words,
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


def agreed_by_both(extension: TimeLimitExtended) -> bool:
    """§10.9 "agreed ... by both parties": the employee and someone for the school."""
    roles = set(extension.agreed_by)
    return Role.EMPLOYEE in roles and bool(roles - {Role.EMPLOYEE})


class AdvanceExtensionsOnly(Rule):
    """§10.9: an extension agreed after the limit had passed, or not by both parties, does not
    move it."""

    def spec(
        self,
        file: CaseFile,
        calendar: SchoolCalendar,
        *,
        description: str,
        anchor: Mark,
        start: date,
        limit: TimeLimit,
        done: Mark | None,
        direction: Direction = Direction.AFTER,
    ) -> DeadlineSpec:
        spec = super().spec(
            file,
            calendar,
            description=description,
            anchor=anchor,
            start=start,
            limit=limit,
            done=done,
            direction=direction,
        )
        extension = file.extensions.get(f"{self.ref.id}@{anchor.version}")
        original, _ = self.due(calendar, start, limit, direction)
        if extension is None or original is None:
            return spec
        if extension[0].on > original or not agreed_by_both(extension[1]):
            return dataclasses.replace(spec, due_on=original)
        return spec


class AppealDueAfter(AdvanceExtensionsOnly, DueAfter):
    """'Within N days of X' for appeals, honouring only extensions agreed in advance."""


def _final_problem(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealLodged)
    if ctx.file.kinds.get(act.against_version) == "appeal_decided":
        return "the decision of the appeal hearing is final: there is no further internal appeal"
    if any(a.appeal.against_version == act.against_version for a in ctx.file.appeals.values()):
        return f"record version {act.against_version} has already been appealed"
    return None


_APPEAL_STEPS = (AppealAccepted, AppealHearingArranged, AppealHeard, AppealDecided)


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


class AppealTimeLimit(Rule):
    """Late appeals are recorded as out of time; a hearing then needs the appeal accepted. An
    appeal lodged with someone other than the chair of the decision is a finding too."""

    acts = kinds(AppealLodged, AppealHearingArranged)

    severity = Severity.MINOR

    def judge(self, ctx: ActContext) -> None:
        act, file = ctx.act, ctx.file
        if isinstance(act, AppealLodged):
            late = lateness(file, ctx.calendar, act, ctx.on)
            if late is not None:
                ctx.breach(self, late)
            wrong = misaddressed(file, act)
            if wrong is not None:
                ctx.breach(self, wrong)
        elif isinstance(act, AppealHearingArranged) and act.appeal_id in file.appeals:
            appeal = file.appeals[act.appeal_id]
            late = lateness(file, ctx.calendar, appeal.appeal, appeal.lodged.on)
            if late is not None and appeal.accepted is None:
                ctx.breach(
                    self,
                    f"{late}: record appeal_accepted with the reason before arranging a hearing",
                )


def _arrangements_due(file: CaseFile) -> Iterable[Anchor]:
    for appeal in file.appeals.values():
        yield Anchor(
            mark=appeal.lodged,
            description=f"hearing of appeal {appeal.appeal_id} arranged by the Chair of Governors",
            done=appeal.arranged,
        )


class HearingNotice(AdvanceExtensionsOnly):
    """Written notice of the hearing's time and place at least 10 days before it."""

    acts = kinds(AppealHearingArranged)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, AppealHearingArranged):
            return
        notice = DATA.time_limit("appeal-hearing-notice")
        latest = before(ctx.calendar, act.hearing_on, notice)
        if ctx.on > latest:
            ctx.breach(
                self,
                f"notice of the appeal hearing on {act.hearing_on} is given at least "
                f"{words(notice)} in advance (by {latest}); it was given on {ctx.on}",
            )

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for appeal in file.appeals.values():
            if appeal.arranged is None or appeal.hearing_on is None:
                continue
            yield self.spec(
                file,
                calendar,
                description=f"notice of appeal hearing {appeal.appeal_id} on {appeal.hearing_on}",
                anchor=appeal.arranged,
                start=appeal.hearing_on,
                limit=DATA.time_limit("appeal-hearing-notice"),
                done=appeal.arranged,
                direction=Direction.BEFORE,
            )


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


class PapersExchanged(AdvanceExtensionsOnly):
    """The Chair sends each party the other's material at least 3 working days before."""

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for appeal in file.appeals.values():
            papers = file.meetings.get(appeal.appeal_id)
            if appeal.arranged is None or appeal.hearing_on is None or not papers:
                continue
            if not papers.papers:
                continue
            yield self.spec(
                file,
                calendar,
                description=f"written material exchanged for appeal hearing {appeal.appeal_id} "
                f"on {appeal.hearing_on}",
                anchor=appeal.arranged,
                start=appeal.hearing_on,
                limit=DATA.time_limit("appeal-papers-exchange"),
                done=letter_since(file, APPEAL_PAPERS_LETTER, appeal.lodged.on, appeal.appeal_id),
                direction=Direction.BEFORE,
            )


class ExtensionInAdvance(Rule):
    """§10.9: extensions of the appeal time frames are agreed before the limit passes."""

    acts = kinds(TimeLimitExtended)

    severity = Severity.MAJOR

    def __init__(
        self, rule_id: str, source: str, summary: str, *, limits: tuple[Rule, ...]
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.limits = {rule.ref.id: rule for rule in limits}

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, TimeLimitExtended) or act.rule_id not in self.limits:
            return
        specs = [
            spec
            for spec in self.limits[act.rule_id].deadlines(ctx.file, ctx.calendar)
            if spec.anchor_version == act.anchor_version
        ]
        if not specs:
            ctx.impossible(
                self,
                f"{act.rule_id} has no time limit started by version {act.anchor_version}",
            )
        due = specs[0].due_on
        if due is not None and ctx.on > due:
            ctx.breach(
                self,
                f"the {act.rule_id} time limit (due {due}) was extended on {ctx.on}, after it "
                "had passed: extensions are agreed in advance, so this one does not count",
            )
        if not agreed_by_both(act):
            agreed = ", ".join(role.value for role in act.agreed_by) or "nobody recorded"
            ctx.breach(
                self,
                f"the {act.rule_id} extension is agreed by {agreed}: extensions are agreed by "
                "both parties (the employee and management), so this one does not count",
            )


def _not_advised_by_hr(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, AppealDecided)
    if "advised_by_hr" in act.confirms:
        return None
    return "the appeal chair is advised by a representative of the School's HR Provider"


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


def _decision_letters_due(file: CaseFile) -> Iterable[Anchor]:
    for appeal in file.appeals.values():
        if appeal.heard is None:
            continue
        yield Anchor(
            mark=appeal.heard,
            description=f"written decision of appeal {appeal.appeal_id}",
            done=letter_since(file, APPEAL_DECISION_LETTER, appeal.heard.on, appeal.appeal_id),
        )


_ARRANGED = AppealDueAfter(
    "ip-appeal-arranged-14cd",
    f"{SOURCE} §10.5",
    "The Chair of Governors makes the arrangements for the hearing within 14 calendar days of "
    "receiving the appeal (the arrangements, not the hearing: D-ip-5).",
    limit=DATA.time_limit("appeal-hearing-arranged"),
    anchors=_arrangements_due,
)
_NOTICE = HearingNotice(
    "ip-appeal-notice-10cd",
    f"{SOURCE} §10.6",
    "Written notice of the hearing's time and place at least 10 calendar days in advance.",
)
_EXCHANGE = PapersExchanged(
    "ip-appeal-exchange-3wd",
    f"{SOURCE} §10.8",
    "The Chair exchanges the parties' written material at least 3 working days before the "
    "hearing (working days, unlike every other limit of the policy: D-ip-11).",
)
_DECISION = AppealDueAfter(
    "ip-appeal-decision-7cd",
    f"{SOURCE} §10.15",
    "The Chair's decision is communicated in writing within 7 calendar days of the hearing.",
    limit=DATA.time_limit("appeal-decision-letter"),
    anchors=_decision_letters_due,
)

RULES: tuple[Rule, ...] = (
    ProblemWith(
        "ip-appeal-final",
        f"{SOURCE} §10.16",
        "The appeal decision is final: no appeal against it, and one appeal per decision.",
        acts={"appeal_lodged"},
        problem=_final_problem,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-appeal-subject",
        f"{SOURCE} §10.2",
        "An appeal is against a decision at the first or second formal meeting; an appeal "
        "against nothing is refused.",
        acts={
            "appeal_lodged",
            "appeal_accepted",
            "appeal_hearing_arranged",
            "appeal_heard",
            "appeal_decided",
        },
        problem=_subject_problem,
        consequence="impossible",
    ),
    ProblemWith(
        "ip-appeal-grounds",
        f"{SOURCE} §10.3",
        "Appeals on the three grounds only.",
        acts={"appeal_lodged"},
        problem=_grounds_problem,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-appeal-substantiated",
        f"{SOURCE} §10.4",
        "The employee can demonstrate information or evidence substantiating the grounds.",
        acts={"appeal_lodged"},
        problem=_unsubstantiated,
        severity=Severity.MINOR,
    ),
    AppealTimeLimit(
        "ip-appeal-time-limit",
        f"{SOURCE} §10.2",
        "Appeals are lodged with the manager who chaired the meeting, within 7 calendar days of "
        "notification of the decision; a late one is heard only if accepted.",
    ),
    _ARRANGED,
    _NOTICE,
    ProblemWith(
        "ip-appeal-material-7cd",
        f"{SOURCE} §10.7",
        "Both parties give the Chair their written material at least 7 calendar days before the "
        "hearing (findings name the late party).",
        acts={"documents_submitted"},
        problem=_material_late,
        severity=Severity.MINOR,
    ),
    _EXCHANGE,
    ExtensionInAdvance(
        "ip-appeal-extension",
        f"{SOURCE} §10.9",
        "Extensions of the appeal time frames are agreed in advance by both parties "
        "(agreed_by: the employee and management); any other does not move the limit.",
        limits=(_ARRANGED, _NOTICE, _EXCHANGE, _DECISION),
    ),
    ProblemWith(
        "ip-appeal-chair",
        f"{SOURCE} §10.10",
        "The appeal chair is advised by a representative of the School's HR Provider.",
        acts={"appeal_decided"},
        problem=_not_advised_by_hr,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-appeal-independence",
        f"{SOURCE} §10",
        "Recommended, not in the source: the appeal chair did not make the decision appealed.",
        acts={"appeal_heard"},
        problem=_chair_made_the_decision,
        severity=Severity.MINOR,
    ),
    ProblemWith(
        "ip-appeal-outcomes",
        f"{SOURCE} §10.14",
        "Upheld (with a lesser penalty only against dismissal) or not upheld; an upheld appeal "
        "rescinds the warning or shortens it (WarningReduced.new_duration_months under 12), or "
        "overturns the dismissal, and only then does a dismissed employee's case resume.",
        acts={
            "appeal_decided",
            "dismissal_overturned",
            "warning_rescinded",
            "warning_reduced",
            "one_to_one_held",
            "warning_issued",
        },
        problem=_outcome_problem,
    ),
    _DECISION,
)
