"""A policy pack: one procedure's stages, stage machine, rules and settings, versioned.

Judging an act = the stage machine says whether the act belongs at the case's stage (an act
out of sequence is recorded with a finding) and where it leads, then every rule looks at it.
Packs hold no state: the same pack version judges the same history the same way, which is what
lets projections re-derive findings later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from pmledger.calendar import SchoolCalendar
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.signed_event import Act
from pmledger.policies.access import DEFAULT_ACCESS, AccessTable
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Deadline, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext, Rule
from pmledger.policies.rules.subject_access import STATUTORY_RULES
from pmledger.policies.who_acts import ActRoles

if TYPE_CHECKING:
    from pmledger.policies.packfile.letter_files import LetterFile
    from pmledger.policies.packfile.model import Superseded

RECORD_KEEPING = frozenset(
    {
        "record_acknowledged",
        "statement_recorded",
        "letter_sent",
        "record_copy_provided",
        "record_submitted",
        "disagreement_referred",
        "deviation_reason_given",
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


OUT_OF_SEQUENCE: Mapping[str, Severity] = {"dismissed": Severity.CRITICAL}
"""Acts whose being out of sequence a tribunal would treat as unfair in itself: a dismissal
that skips the stages before it comes without the prior warning of its consequences and the
hearing they lead to. Any other act out of sequence is a major finding."""


class Move(NamedTuple):
    stage: Ladder
    """Where the act leaves the case."""
    in_sequence: bool
    """Whether the act was possible at the stage the case was at."""


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
class ReviewPoint:
    """The latest review a procedure numbers in its cycle: e.g. ReFocus's review 2 of 3, the
    March/April mid-point review of 2025-26, held on 2026-03-20."""

    number: int
    of: int
    words: str
    held_on: date
    cycle: str


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
    review_point: Callable[[CaseFile], ReviewPoint | None] | None = None
    """For a procedure that numbers the reviews of its cycle: the latest one held."""
    supersedes: tuple[Superseded, ...] = ()
    """Earlier contents of this pack's id that this version reads in their place."""
    letters: Mapping[str, LetterFile] = field(default_factory=dict)
    """The letters and forms pmledger renders for this procedure, each with its template file,
    as the pack file declares them (`[letters]`)."""
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

    def stage_after(self, file: CaseFile, act: Act) -> Move:
        """Where `act` leaves the case, and whether it was possible at the current stage.

        An act out of sequence happened all the same, so it moves the case as it would from
        wherever it is possible (a dismissal dismisses), except that a dismissed case stays
        dismissed until the dismissal is overturned."""
        if act.kind in RECORD_KEEPING or act.kind in APPEAL_ACTS:
            return Move(file.stage, True)
        candidates = self._moves.get(act.kind)
        if candidates is None:
            candidates = tuple(t for t in self.transitions if t.act == act.kind)
            self._moves[act.kind] = candidates
        if file.stage is Ladder.DISMISSED and not any(
            Ladder.DISMISSED in t.from_stages for t in candidates
        ):
            return Move(file.stage, False)
        possible = [t for t in candidates if file.stage in t.from_stages]
        for transition in possible or candidates:
            if transition.when is None or transition.when(file, act):
                return Move(transition.to or file.stage, bool(possible) or not candidates)
        return Move(file.stage, bool(possible) or not candidates)

    def judge(self, ctx: ActContext) -> Ladder:
        """Collect every finding (an act out of sequence is one); refuse only what a rule
        finds cannot be. Returns the stage the act leads to, so advancing the case need not
        ask again."""
        stage, in_sequence = self.stage_after(ctx.file, ctx.act)
        if not in_sequence:
            allowed = sorted(
                {s.value for t in self.transitions if t.act == ctx.act.kind for s in t.from_stages}
            )
            ctx.breach(
                self._sequence,
                f"a {ctx.act.kind} act does not belong at stage "
                f"'{self.words(ctx.file.stage)}' ({ctx.file.stage.value}) under {self.title}"
                + (f"; it belongs at: {', '.join(allowed)}" if allowed else ""),
                OUT_OF_SEQUENCE.get(ctx.act.kind, Severity.MAJOR),
            )
        who = self.act_roles.get(ctx.act.kind)
        before = len(ctx.findings)
        if who is not None:
            who.judge(ctx)
        after_who = len(ctx.findings)
        for rule in self._rules_for(ctx.act.kind):
            rule.judge(ctx)
        if who is not None and after_who > before:
            covered = any(f.rule.id in who.covered_by for f in ctx.findings[after_who:])
            if covered:  # the pack's own rule said who should have done it: one breach, once
                del ctx.findings[before:after_who]
        return stage

    @property
    def _sequence(self) -> Rule:
        """The stage machine as a rule, for the findings of acts out of sequence."""
        return Rule(
            "stage-machine", self.source, "Each act belongs at the stages the procedure sets."
        )

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
