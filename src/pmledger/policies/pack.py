"""A policy pack: one procedure's stages, stage machine, rules and settings, versioned.

Judging an act = the stage machine says whether the act is possible at the case's stage and
where it leads, then every rule looks at it. Packs hold no state: the same pack version judges
the same history the same way, which is what lets projections re-derive findings later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.signed_event import Act
from pmledger.policies.access import DEFAULT_ACCESS, AccessTable
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import ActRefusedByRule, Deadline, RuleRef
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.subject_access import STATUTORY_RULES
from pmledger.policies.who_acts import ActRoles

RECORD_KEEPING = frozenset(
    {
        "record_acknowledged",
        "statement_recorded",
        "letter_sent",
        "record_copy_provided",
        "record_submitted",
        "disagreement_referred",
        "legal_hold_placed",
        "legal_hold_released",
        "records_disposed",
        "employment_ended",
        "case_closed",
        "absence_noted",
        "hr_advice_obtained",
        "time_limit_extended",
        "grievance_invoked",
        "employment_status_changed",
        "subject_access_requested",
        "subject_access_extended",
        "subject_access_answered",
    }
)
"""Acts about the record itself: possible at any stage, even after dismissal."""

APPEAL_ACTS = frozenset(
    {
        "appeal_lodged",
        "appeal_accepted",
        "appeal_hearing_arranged",
        "appeal_heard",
        "appeal_decided",
        "warning_rescinded",
        "warning_reduced",
        "dismissal_overturned",
    }
)
"""Appeals run beside any stage, including after a dismissal."""


ActPredicate = Callable[[CaseFile, Act], bool]
"""A condition on the case (as it stood before the act) and the act itself."""


@dataclass(frozen=True)
class Transition:
    """`act` is possible from `from_stages`; it moves the case to `to` when `when` holds."""

    act: str
    from_stages: frozenset[Ladder]
    to: Ladder | None = None
    when: ActPredicate | None = None


@dataclass(frozen=True)
class PolicyPack:
    id: str
    version: str
    title: str
    source: str
    stage_words: Mapping[Ladder, str]
    transitions: tuple[Transition, ...]
    rules: tuple[Rule, ...]
    warning_months: Mapping[WarningKind, int] = field(
        default_factory=lambda: {WarningKind.WRITTEN: 12, WarningKind.FINAL_WRITTEN: 24}
    )
    access: AccessTable = field(default_factory=lambda: DEFAULT_ACCESS)
    act_roles: ActRoles = field(default_factory=dict)
    """Who the procedure names for each act kind it accepts: another related person's act is
    recorded with a finding (access control has already refused the unrelated)."""
    digest: str = ""
    """SHA-256 of the pack file's content, recorded on every event judged by this pack."""
    _index: dict[str, tuple[Rule, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Which relationships to a case allow which operations under this procedure."""
    _moves: dict[str, tuple[Transition, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """The transitions of each act kind, in pack order (asked for every act, twice)."""

    @property
    def reachable(self) -> frozenset[Ladder]:
        """Stages the transition graph can lead to from the normal cycle (static analysis)."""
        reached = {Ladder.NORMAL_CYCLE}
        grew = True
        while grew:
            new = {t.to for t in self.transitions if t.to and t.from_stages & reached}
            grew = not new <= reached
            reached |= new
        return frozenset(reached)

    def stage_after(self, file: CaseFile, act: Act) -> Ladder | None:
        """The stage after `act`, or None when the act is not possible at the current stage."""
        if act.kind in RECORD_KEEPING or act.kind in APPEAL_ACTS:
            return file.stage
        candidates = self._moves.get(act.kind)
        if candidates is None:
            candidates = tuple(t for t in self.transitions if t.act == act.kind)
            self._moves[act.kind] = candidates
        if file.stage is Ladder.DISMISSED and not any(
            Ladder.DISMISSED in t.from_stages for t in candidates
        ):
            return None
        if not candidates:
            return file.stage
        possible = [t for t in candidates if file.stage in t.from_stages]
        if not possible:
            return None
        for transition in possible:
            if transition.when is None or transition.when(file, act):
                return transition.to or file.stage
        return file.stage

    def judge(self, ctx: ActContext) -> Ladder:
        """Refuse what the stage machine or a hard rule forbids; collect every finding.
        Returns the stage the act leads to, so advancing the case need not ask again."""
        stage = self.stage_after(ctx.file, ctx.act)
        if stage is None:
            allowed = sorted(
                {s.value for t in self.transitions if t.act == ctx.act.kind for s in t.from_stages}
            )
            raise ActRefusedByRule(
                RuleRef(id="stage-machine", source=self.source),
                f"a {ctx.act.kind} act is not possible at stage "
                f"'{self.words(ctx.file.stage)}' ({ctx.file.stage.value}) under {self.title}"
                + (f"; it is possible at: {', '.join(allowed)}" if allowed else ""),
            )
        who = self.act_roles.get(ctx.act.kind)
        if who is not None:
            who.judge(ctx)
        for rule in self._rules_for(ctx.act.kind):
            rule.judge(ctx)
        return stage

    def _rules_for(self, kind: str) -> tuple[Rule, ...]:
        """Rules that can have something to say about an act of this kind.

        A rule that declares the acts it judges (an `acts` set) is skipped for others, and a
        rule that only derives deadlines is never asked; replaying a long log then runs a
        handful of rules per act instead of every rule of the pack.
        """
        rules = self._index.get(kind)
        if rules is None:
            rules = tuple(
                r
                for r in (*self.rules, *STATUTORY_RULES)
                if type(r).judge is not Rule.judge and (r.acts is None or kind in r.acts)
            )
            self._index[kind] = rules
        return rules

    def words(self, stage: Ladder) -> str:
        return self.stage_words.get(stage, stage.value.replace("_", " "))

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar, as_of: date) -> list[Deadline]:
        rules = (*self.rules, *STATUTORY_RULES)
        specs = [spec for rule in rules for spec in rule.deadlines(file, calendar)]
        return [spec.evaluate(as_of) for spec in specs if spec.anchor_version in file.kinds]
