"""What a procedure pack file holds: everything about a procedure that is data, not logic.

One file per procedure version (``packs/<id>/<version>.toml``). Validation lives on these models,
so a pack built in code is held to the same rules as one read from TOML; the loader only turns
pydantic's findings into sentences naming the file and the entry. Every table forbids unknown
keys: a misspelt ``amount`` must not silently leave a limit at its parent's value.

Rules are data too where a pack has been converted (issue 19 phase 2): each is an instance of
a rule kind (`policies.rule_kinds`) with its parameters, or a named check of the pack's Python.
Packs not yet converted list their rules with ``kind = "python"`` naming the class that judges
each one, so an adviser can read and review them all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pmledger.calendar import TimeLimit, TimeUnit
from pmledger.events.actors import Role
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.signed_event import CASE_ACTS
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule_kinds import RULE_KINDS, param_problems

ACT_KINDS = frozenset(str(act.model_fields["kind"].default) for act in CASE_ACTS)
"""Every act a case can record: a transition or an authority entry must name one of these."""

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
    """A stage in the procedure's own words, placed on the common ladder by its table key."""

    words: Text = Field(min_length=1)
    source: Text = ""


class TransitionEntry(Entry):
    """``act`` is possible at ``from`` and moves the case to ``to`` when ``when`` holds.

    ``when`` is the condition in words; in this phase the condition itself is the pack's
    Python, and loading checks the two list the same moves.
    """

    act: Text
    from_: tuple[Ladder, ...] = Field(alias="from", min_length=1)
    to: Ladder | None = None
    when: Text | None = None

    @model_validator(mode="after")
    def _known_act(self) -> TransitionEntry:
        if self.act not in ACT_KINDS:
            raise ValueError(f"unknown act {self.act!r}; use an act kind such as meeting_held")
        return self


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
    kind's parameters; ``kind = "python"`` (packs not yet converted) names the class instead.
    """

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    id: Text = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: Text
    summary: Text
    kind: Text
    python: Text | None = None
    """For ``kind = "python"``: the class that judges it (``module.Class``)."""
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
        if self.kind == "python":
            if self.python is None:
                raise ValueError('kind = "python" needs python = "module.Class"; add it')
            if self.params:
                raise ValueError(
                    f'kind = "python" takes no parameters ({", ".join(self.params)}); '
                    "remove them or use a rule kind"
                )
        elif self.kind not in RULE_KINDS:
            kinds = ", ".join(['"python"', *sorted(RULE_KINDS)])
            raise ValueError(f"kind {self.kind!r} is not known; use one of: {kinds}")
        elif self.python is not None:
            raise ValueError(f"kind = {self.kind!r} takes no python; remove it")
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
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _rule_problems(self) -> list[str]:
        """Each rule's parameters against its kind and this file's own entries."""
        problems = []
        kinds = {rule.kind == "python" for rule in self.rules}
        if len(kinds) > 1:
            problems.append(
                'rules: some are kind = "python" and some are rule kinds; a pack declares its '
                "rules one way: convert them all"
            )
        rule_ids = frozenset(rule.id for rule in self.rules)
        for index, rule in enumerate(self.rules):
            if rule.kind == "python":
                continue
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

    def warning_months(self) -> dict[WarningKind, int]:
        return {kind: warning.months for kind, warning in self.warnings.items()}

    def rule(self, rule_id: str) -> tuple[RuleEntry, ...]:
        """A rule's entries: one requirement may be judged in parts (a hard invariant and a
        finding, say), each its own entry with the same id."""
        return tuple(rule for rule in self.rules if rule.id == rule_id)
