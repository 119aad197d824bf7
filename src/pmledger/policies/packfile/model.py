"""What a procedure pack file holds: everything about a procedure that is data, not logic.

One file per procedure version (``packs/<id>/<version>.toml``). Validation lives on these models,
so a pack built in code is held to the same rules as one read from TOML; the loader only turns
pydantic's findings into sentences naming the file and the entry. Every table forbids unknown
keys: a misspelt ``amount`` must not silently leave a limit at its parent's value.

Rules are data too (issue 19 phase 2): each is an instance of a rule kind
(`policies.rule_kinds`) with its parameters, or a named check of the pack's Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from pmledger.calendar import TimeLimit, TimeUnit
from pmledger.events.actors import Role
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.signed_event import CASE_ACTS
from pmledger.events.support_acts import Outcome, PlanKind
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule_kinds import RULE_KINDS, param_problems

ACT_FIELDS = {
    str(act.model_fields["kind"].default): frozenset(act.model_fields) for act in CASE_ACTS
}
"""Every act a case can record, with its fields (what a stage machine's condition may read)."""
ACT_KINDS = frozenset(ACT_FIELDS)
"""Every act a case can record: a transition or an authority entry must name one of these."""

Subject = PlanKind | MeetingPurpose
"""What a decision (``outcome_decided``) is about: a plan of a kind, or a meeting of a purpose."""
SUBJECTS = ", ".join([*(kind.value for kind in PlanKind), *(p.value for p in MeetingPurpose)])


def as_subject(name: str) -> Subject:
    """A plan kind or meeting purpose by its value (the two share no value)."""
    return PlanKind(name) if name in PlanKind._value2member_map_ else MeetingPurpose(name)


def subject_problem(name: str) -> str | None:
    known = name in PlanKind._value2member_map_ or name in MeetingPurpose._value2member_map_
    return (
        None
        if known
        else f"{name!r} is neither a plan kind nor a meeting purpose; use one of: {SUBJECTS}"
    )


Text = str
"""Free text for people (a summary, a meaning, a source section)."""


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Source(Entry):
    """The procedure document the pack encodes."""

    seed: Text
    """Its number in the seed index (``004``), or the school's own reference."""
    document: Text
    """Its title, author and edition, as a reader would cite it."""
    file: Text | None = None
    """The text it was encoded from, when shipped with pmledger (``/seeds/004_….txt``)."""


class Stage(Entry):
    """A stage in the procedure's own words, placed on the common ladder by its table key,
    with the plans monitored at it and the decisions taken at it."""

    words: Text = Field(min_length=1)
    source: Text = ""
    plans: tuple[PlanKind, ...] = ()
    """The plans the procedure monitors at this stage (a PIP, a Formal PIP)."""
    decides: Mapping[Text, tuple[Outcome, ...]] = Field(default_factory=dict)
    """Each decision taken at this stage, by its subject (a plan kind or a meeting purpose),
    and the outcomes it may conclude."""

    @model_validator(mode="after")
    def _subjects(self) -> Stage:
        problems = [
            f"decides.{name}: {problem}"
            for name in self.decides
            if (problem := subject_problem(name)) is not None
        ]
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Condition(Entry):
    """When a move of the stage machine applies: every key given must hold of the act (and of
    the case as it stood before it). Each key reads one field of the act, so a condition on a
    field the act lacks is refused at load."""

    decided: Outcome | None = None
    """The decision (``outcome_decided``) concludes this outcome."""
    subject: Text | None = None
    """With ``decided``: the decision is about a plan of this kind or a meeting of this
    purpose (``pip``, ``first_formal``)."""
    plan_kind: PlanKind | None = None
    """The act's plan is of this kind (``support_plan_agreed``)."""
    purpose: MeetingPurpose | None = None
    """The act's meeting has this purpose (``meeting_invited``)."""
    warning_kind: WarningKind | None = None
    """The act's warning is of this kind (``warning_issued``)."""
    overturned: bool = False
    """The case's dismissal was overturned on appeal: it is at the dismissed stage with no
    dismissal standing."""
    holds: Text | None = None
    """A named condition of the pack's Python (`NamedChecks.holds`), where no key fits."""

    READS: ClassVar[dict[str, str]] = {
        "decided": "outcome",
        "subject": "subject_id",
        "plan_kind": "plan_kind",
        "purpose": "purpose",
        "warning_kind": "warning_kind",
    }
    """Each key → the act's field it reads."""

    @model_validator(mode="after")
    def _some(self) -> Condition:
        if not any(getattr(self, key) for key in type(self).model_fields):
            keys = ", ".join(self.model_fields)
            raise ValueError(f"the condition is empty; give one of: {keys}, or remove when")
        if self.subject is not None:
            if self.decided is None:
                raise ValueError("subject is the subject of a decision; give decided with it")
            problem = subject_problem(self.subject)
            if problem is not None:
                raise ValueError(f"subject {problem}")
        return self

    def field_problems(self, act: str) -> list[str]:
        """Keys reading a field that ``act`` does not have."""
        fields = ACT_FIELDS.get(act, frozenset())
        return [
            f"when.{key}: a {act} act has no {field}; a condition reads the act it moves on"
            for key, field in self.READS.items()
            if getattr(self, key) is not None and field not in fields
        ]

    @property
    def words(self) -> str:
        """The condition as the stage machine table shows it: ``decided: improved (pip)``."""
        shown = []
        if self.decided is not None:
            about = f" ({self.subject})" if self.subject else ""
            shown.append(f"decided: {self.decided.value}{about}")
        for key in ("plan_kind", "purpose", "warning_kind"):
            value = getattr(self, key)
            if value is not None:
                shown.append(f"{key.replace('_', ' ')}: {value.value}")
        if self.overturned:
            shown.append("the dismissal was overturned")
        if self.holds is not None:
            shown.append(f"named condition {self.holds}")
        return "; ".join(shown)


def _when_form(value: Any) -> str:
    return "words" if isinstance(value, str) else "condition"


When = Annotated[
    Annotated[Condition, Tag("condition")] | Annotated[Text, Tag("words")],
    Discriminator(_when_form),
]
"""A condition as data, or (a pack whose stage machine is still Python) in words."""


class TransitionEntry(Entry):
    """``act`` is possible at ``from`` and moves the case to ``to`` when ``when`` holds.

    ``when`` is a condition as data (`Condition`), which one engine judges; a pack whose stage
    machine is still Python gives it in words, and loading checks the two list the same moves.
    """

    act: Text
    from_: tuple[Ladder, ...] = Field(alias="from", min_length=1)
    to: Ladder | None = None
    when: When | None = None

    @model_validator(mode="after")
    def _known_act(self) -> TransitionEntry:
        if self.act not in ACT_KINDS:
            raise ValueError(f"unknown act {self.act!r}; use an act kind such as meeting_held")
        if isinstance(self.when, Condition):
            problems = self.when.field_problems(self.act)
            if problems:
                raise ValueError("\n".join(problems))
        return self

    @property
    def when_words(self) -> str:
        """The condition as people read it ("" for a move without one)."""
        if isinstance(self.when, Condition):
            return self.when.words
        return self.when or ""


class TimeLimitEntry(Entry):
    """A time limit in the procedure's own unit, with what it limits and where it says so."""

    amount: int = Field(ge=0, strict=True)
    unit: TimeUnit
    meaning: Text
    source: Text

    @property
    def limit(self) -> TimeLimit:
        return TimeLimit(amount=self.amount, unit=self.unit)

    @property
    def words(self) -> str:
        """As the procedure says it: ``7 calendar days``, ``1 week``."""
        unit = self.unit.value.replace("_", " ")
        return f"{self.amount} {unit.removesuffix('s') if self.amount == 1 else unit}"


class LimitEntry(Entry):
    """A number the procedure fixes (at most 4 objectives, 3 panel members)."""

    value: int = Field(strict=True)
    meaning: Text
    source: Text


class WarningEntry(Entry):
    """How long a warning of one kind stays live."""

    months: int = Field(ge=1, strict=True)
    source: Text


class Authority(Entry):
    """Who may record an act under this procedure (roles, and any authority level)."""

    roles: tuple[Role, ...] = ()
    authority_level: int | None = Field(default=None, ge=1, strict=True)
    source: Text
    note: Text = ""


class WhoEntry(Entry):
    """Who the procedure names for some acts. Access control has already refused anyone
    unrelated to the case; an act by a related person in another role happened all the same
    (HR arranging the appeal hearing the Chair of Governors should have arranged), so it is
    recorded, with a finding naming this entry and who the procedure names."""

    words: Text = Field(min_length=1)
    """Who they are, in the procedure's words (the finding quotes it)."""
    source: Text
    acts: tuple[Text, ...] = Field(min_length=1)
    roles: tuple[Role, ...] = Field(min_length=1)
    severity: Severity = Severity.MAJOR
    """The finding's severity when someone else records the act."""
    covered_by: tuple[Text, ...] = ()
    """Rules of this file that already judge who did these acts, in the procedure's own words:
    where one of them finds the act, this entry's finding is dropped, so a breach is listed
    once."""


class PayTable(Entry):
    """A rating → pay table: one row per rating, its columns named in ``columns``."""

    meaning: Text
    source: Text
    columns: tuple[Text, ...]
    rows: Mapping[Text, tuple[int | Text, ...]]

    @model_validator(mode="after")
    def _rows_fit(self) -> PayTable:
        for rating, row in self.rows.items():
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {rating!r} has {len(row)} values for {len(self.columns)} columns "
                    f"({', '.join(self.columns)}); give one value per column"
                )
        return self


class RequiredKey(Entry):
    """A key a back-office confirms on a record (``confirms``), and what it attests."""

    meaning: Text
    source: Text
    or_field: Text | None = None
    """The act's own field that may stand in for the key, when the procedure allows it."""


class Letter(Entry):
    """A letter or form the procedure names, and the template pmledger renders it from."""

    title: Text
    source: Text
    template: Text | None = None
    """The template file, relative to the pack file that declares it (``letters/x.j2``), so a
    school's variant sends its own wording from a file beside its own; none for a form only
    recorded."""

    @model_validator(mode="after")
    def _template_beside(self) -> Letter:
        template = self.template
        if template is not None and (
            not template.endswith(".j2")
            or template.startswith("/")
            or "\\" in template
            or any(part in ("", ".", "..") for part in template.split("/"))
        ):
            raise ValueError(
                f"template = {template!r}: name a .j2 file beside the pack file, such as "
                '"letters/my-letter.j2" (no absolute path, no "..")'
            )
        return self


class RuleEntry(Entry):
    """One rule (or one part of a rule judged in parts, sharing its id): what it requires,
    where the procedure says so, and what judges it.

    ``kind`` names a rule kind of `policies.rule_kinds` and the entry's other keys are that
    kind's parameters.
    """

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    id: Text = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: Text
    summary: Text
    kind: Text
    judges: RuleKind
    """What the rule does when broken: refuse (hard), record a finding, demand a reason, …"""
    severity: Severity
    """The finding's default severity."""

    @property
    def params(self) -> dict[str, Any]:
        """The kind's parameters, as the file gives them."""
        return dict(self.model_extra or {})

    @model_validator(mode="after")
    def _known_kind(self) -> RuleEntry:
        if self.kind not in RULE_KINDS:
            kinds = ", ".join(sorted(RULE_KINDS))
            raise ValueError(f"kind {self.kind!r} is not known; use one of: {kinds}")
        return self


class Superseded(Entry):
    """An earlier content of this procedure that this version replaces, and why.

    A pack file that judged a case never changes; when its content must change (rules that
    were Python declared as data, a defect corrected) the new file is a new version and lists
    here each earlier content it replaces, so `verify` can accept events recorded under it
    and say which version reads them now. Only a digest listed here is accepted.
    """

    version: Text = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]*$")
    digest: Text = Field(pattern=r"^[0-9a-f]{64}$")
    """The SHA-256 recorded on the events judged under it (`pmledger pack list` printed it)."""
    why: Text = Field(min_length=1)
    """What changed, and what that means for the records judged under it."""


class PackFile(Entry):
    """A procedure version, resolved: a variant's file merged over the pack it extends."""

    id: Text = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: Text = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]*$")
    title: Text
    extends: Text | None = None
    python: Text
    """The package whose rules judge this procedure (inherited by a variant)."""
    source: Source
    stages: Mapping[Ladder, Stage]
    transitions: tuple[TransitionEntry, ...] = ()
    time_limits: Mapping[Text, TimeLimitEntry] = Field(default_factory=dict)
    limits: Mapping[Text, LimitEntry] = Field(default_factory=dict)
    warnings: Mapping[WarningKind, WarningEntry] = Field(default_factory=dict)
    authority: Mapping[Text, Authority] = Field(default_factory=dict)
    who: Mapping[Text, WhoEntry] = Field(default_factory=dict)
    """Who the procedure names for each act, by the entry's id (as its findings name it)."""
    pay: Mapping[Text, PayTable] = Field(default_factory=dict)
    required: Mapping[Text, Mapping[Text, RequiredKey]] = Field(default_factory=dict)
    letters: Mapping[Text, Letter] = Field(default_factory=dict)
    forms: Mapping[Text, Letter] = Field(default_factory=dict)
    rules: tuple[RuleEntry, ...] = ()
    switched_off: Mapping[Text, Text] = Field(default_factory=dict)
    """Rule id → the school's reason for not applying it; the reason is what a bundle shows."""
    supersedes: tuple[Superseded, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> PackFile:
        problems = []
        seen = {rule.id for rule in self.rules}
        for rule_id, reason in self.switched_off.items():
            if rule_id not in seen:
                problems.append(
                    f"switched_off.{rule_id}: no such rule in this pack; check the rule id "
                    f"(pmledger pack show {self.extends or self.id} lists them)"
                )
            if not reason.strip():
                problems.append(
                    f"switched_off.{rule_id}: the reason is empty; say why the school does "
                    "not apply this rule (a tribunal will ask)"
                )
        for old in self.supersedes:
            if old.version == self.version:
                problems.append(
                    f"supersedes {old.version}: that is this file's own version; a changed file "
                    "takes a new version and lists the one it replaces"
                )
        for act in self.authority:
            if act not in ACT_KINDS:
                problems.append(f"authority.{act}: unknown act; use an act kind such as dismissed")
        problems += self._rule_problems()
        problems += self._who_problems()
        problems += self._stage_problems()
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _rule_problems(self) -> list[str]:
        """Each rule's parameters against its kind and this file's own entries."""
        problems = []
        rule_ids = frozenset(rule.id for rule in self.rules)
        for index, rule in enumerate(self.rules):
            for problem in param_problems(
                rule.kind,
                rule.params,
                acts=ACT_KINDS,
                time_limits=self.time_limits,
                required=self.required,
                rule_ids=rule_ids,
            ):
                problems.append(f"rule {index + 1} ({rule.id}): {problem}")
        return problems

    def _who_problems(self) -> list[str]:
        """Each act named once, by a known kind; covered_by naming rules of this file."""
        problems = []
        rule_ids = {rule.id for rule in self.rules}
        named: dict[str, str] = {}
        for who_id, entry in self.who.items():
            where = f"who.{who_id}"
            if re.fullmatch(r"[a-z0-9][a-z0-9-]*", who_id) is None:
                problems.append(f"{where}: the id is lowercase letters, digits and -")
            for act in entry.acts:
                if act not in ACT_KINDS:
                    problems.append(
                        f"{where}: unknown act {act!r}; use an act kind such as meeting_held"
                    )
                elif act in named:
                    problems.append(
                        f"{where}: {act} is also given to who.{named[act]}; name each act once"
                    )
                else:
                    named[act] = who_id
            problems += [
                f"{where}: covered_by {rule_id!r} is not a rule of this pack; check the rule id"
                for rule_id in entry.covered_by
                if rule_id not in rule_ids
            ]
        return problems

    def _stage_problems(self) -> list[str]:
        """A decision is taken at one stage; a plan is monitored at one stage."""
        problems = []
        seen: dict[tuple[str, str], Ladder] = {}
        for ladder, stage in self.stages.items():
            held = [("decides", name) for name in stage.decides]
            held += [("plans", plan.value) for plan in stage.plans]
            for place in held:
                if place in seen:
                    problems.append(
                        f"stages.{ladder.value}: {place[0]} {place[1]} is also at "
                        f"{seen[place].value}; a decision or a plan belongs to one stage"
                    )
                seen.setdefault(place, ladder)
        return problems

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def time_limit(self, name: str) -> TimeLimit:
        """A time limit by name; a name the file lacks is a defect of the pack's Python."""
        return self.time_limits[name].limit

    def limit(self, name: str) -> int:
        return self.limits[name].value

    def stage_words(self) -> dict[Ladder, str]:
        return {ladder: stage.words for ladder, stage in self.stages.items()}

    def decisions(self) -> dict[Subject, tuple[Ladder, frozenset[Outcome]]]:
        """Each decision of the procedure → the stage it is taken at and what it may conclude."""
        return {
            as_subject(subject): (ladder, frozenset(outcomes))
            for ladder, stage in self.stages.items()
            for subject, outcomes in stage.decides.items()
        }

    def monitored_plans(self) -> frozenset[PlanKind]:
        """The plans the procedure monitors, at whichever stage."""
        return frozenset(plan for stage in self.stages.values() for plan in stage.plans)

    def warning_months(self) -> dict[WarningKind, int]:
        return {kind: warning.months for kind, warning in self.warnings.items()}

    def rule(self, rule_id: str) -> tuple[RuleEntry, ...]:
        """A rule's entries: one requirement may be judged in parts (a hard invariant and a
        finding, say), each its own entry with the same id."""
        return tuple(rule for rule in self.rules if rule.id == rule_id)
