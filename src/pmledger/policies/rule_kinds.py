"""The rule kinds a pack file may use: one table from kind name to the code that judges it.

A pack file declares each rule as an instance of a kind with its parameters:

    [[rules]]
    id = "ip-first-invite-notice"
    kind = "notice"
    purposes = ["first_formal"]
    limit = "first-formal-notice"        # a [time_limits] entry of the same file

Each kind lists its parameters with their types, so a pack file with an unknown kind, an
unknown or missing parameter, or a value of the wrong type (a time limit the file does not
have, an act or meeting purpose that does not exist) is refused when it is loaded, naming the
file and the rule. Named checks (`kind = "check"`, and the `applies`, `holds`, `anchors`,
`shown_by` parameters) are the pack's own Python (`named_checks`); their names are checked
when the pack is built. Nothing here names a procedure.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pmledger.calendar import Direction, TimeLimit
from pmledger.events.actors import Role
from pmledger.events.form_contents import PARTS
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import StatementKind
from pmledger.events.support_acts import PlanKind
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.named_checks import (
    AnchorsFn,
    CheckKind,
    HoldsFn,
    NamedChecks,
    ProblemFn,
    RowsFn,
    ShownFn,
    SpansFn,
)
from pmledger.policies.rule import Consequence, Rule
from pmledger.policies.rules.authority import ActorMust
from pmledger.policies.rules.conditions import Requires
from pmledger.policies.rules.due_after import DueAfter
from pmledger.policies.rules.fixed_dates import DatedByCheck
from pmledger.policies.rules.form_boxes import FormBoxes
from pmledger.policies.rules.half_way_meeting import HalfWayMeeting
from pmledger.policies.rules.meeting_chair import MeetingChair
from pmledger.policies.rules.notice import NoticeBeforeMeeting
from pmledger.policies.rules.papers_before_meeting import PapersBeforeMeeting
from pmledger.policies.rules.plan_periods import FurtherPeriod, RegularMeetings
from pmledger.policies.rules.problem import ProblemWith
from pmledger.policies.rules.required_contents import RequiredContents
from pmledger.policies.rules.suspension import SuspendedWhile
from pmledger.policies.rules.time_limit_extensions import ExtensionInAdvance
from pmledger.policies.rules.windows import CountedFrom, PlanReviewWindow

ParamType = Literal[
    "acts",
    "purposes",
    "plan_kind",
    "plan_kinds",
    "time_limit",
    "required",
    "rule_ids",
    "text",
    "bool",
    "int",
    "direction",
    "extensions",
    "parties",
    "problem",
    "holds",
    "anchors",
    "shown_by",
    "counted_from",
    "roles",
    "rows",
    "spans",
    "statement",
    "boxes",
]

_CHECK_KIND: dict[ParamType, CheckKind] = {
    "problem": "problem",
    "holds": "holds",
    "anchors": "anchors",
    "shown_by": "shown",
    "counted_from": "counts_from",
    "rows": "rows",
    "spans": "spans",
}
_CHOICES: dict[ParamType, tuple[str, ...]] = {
    "purposes": tuple(purpose.value for purpose in MeetingPurpose),
    "plan_kind": tuple(kind.value for kind in PlanKind),
    "plan_kinds": tuple(kind.value for kind in PlanKind),
    "direction": tuple(direction.value for direction in Direction),
    "extensions": ("as_agreed", "agreed_in_advance_by_both"),
    "parties": ("employee", "management"),
    "roles": tuple(role.value for role in Role),
    "statement": tuple(kind.value for kind in StatementKind),
}
_LISTS = frozenset({"acts", "purposes", "plan_kinds", "rule_ids", "parties", "roles"})
_BOXES: dict[str, frozenset[str]] = {
    form: frozenset(box for part in PARTS if form == part.FORM for box in part.BOXES)
    for form in {part.FORM for part in PARTS}
}
"""Each typed form's boxes (`pmledger.events.form_contents`), as a `boxes` parameter names them."""


@dataclass(frozen=True)
class Param:
    """One parameter of a kind: its type, whether it must be given, and what it means."""

    type: ParamType
    meaning: str
    required: bool = True


class PackData(Protocol):
    """What a kind reads from its pack file besides its own parameters."""

    @property
    def time_limits(self) -> Mapping[str, Any]: ...

    @property
    def required(self) -> Mapping[str, Mapping[str, Any]]: ...

    def time_limit(self, name: str) -> TimeLimit: ...


@dataclass
class Build:
    """A rule entry being built: its head, its parameters, and the pack it belongs to."""

    rule_id: str
    source: str
    summary: str
    judges: RuleKind
    severity: Severity
    params: Mapping[str, Any]
    pack: PackData
    checks: NamedChecks
    rules_by_id: Mapping[str, Sequence[Rule]] = field(default_factory=dict)

    @property
    def head(self) -> tuple[str, str, str]:
        return self.rule_id, self.source, self.summary

    @property
    def consequence(self) -> Consequence:
        """What the rule does with a problem, as the entry's `judges` says."""
        if self.judges is RuleKind.HARD:
            return "impossible"
        return "exceptional" if self.judges is RuleKind.DEVIATION else "finding"

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def limit(self, name: str) -> TimeLimit:
        return self.pack.time_limit(self.params[name])

    def optional_limit(self, name: str) -> TimeLimit | None:
        return self.limit(name) if name in self.params else None

    def purposes(self) -> frozenset[MeetingPurpose]:
        return frozenset(MeetingPurpose(value) for value in self.params["purposes"])

    def problem(self, name: str) -> ProblemFn:
        return self.checks.problems[self.params[name]].fn

    def holds(self, name: str) -> HoldsFn:
        return self.checks.conditions[self.params[name]].fn

    def anchors(self, name: str) -> AnchorsFn:
        return self.checks.anchors[self.params[name]].fn

    def counted_from(self, name: str) -> CountedFrom | None:
        return self.checks.starts[self.params[name]].fn if name in self.params else None

    def rows(self, name: str) -> RowsFn:
        return self.checks.rows[self.params[name]].fn

    def spans(self, name: str) -> SpansFn:
        return self.checks.spans[self.params[name]].fn

    def paused(self, rule: Rule) -> Rule:
        """The rule with its clocks stopped while `paused_while` runs, where the entry says."""
        if "paused_while" not in self.params:
            return rule
        why = self.get("paused_why", f"paused while {self.params['paused_while']}")
        return SuspendedWhile(rule, spans=self.spans("paused_while"), why=why)

    def shown_by(self, name: str) -> dict[str, ShownFn]:
        table: Mapping[str, str] = self.params.get(name, {})
        return {key: self.checks.shown[check].fn for key, check in table.items()}


@dataclass(frozen=True)
class RuleKindSpec:
    """A kind: what it judges, its parameters, and how it is built from them."""

    name: str
    meaning: str
    params: Mapping[str, Param]
    build: Callable[[Build], Rule]
    refers_to_rules: bool = False
    """Built after the rules it names (`rule_ids` parameters)."""


def _check(b: Build) -> Rule:
    return ProblemWith(
        *b.head,
        acts=b.get("acts"),
        problem=b.problem("check"),
        consequence=b.consequence,
        severity=b.severity,
    )


def _requires(b: Build) -> Rule:
    return Requires(
        *b.head,
        acts=b.get("acts"),
        holds=b.holds("holds"),
        message=b.get("message"),
        consequence=b.consequence,
        severity=b.severity,
    )


def _required_contents(b: Build) -> Rule:
    return RequiredContents(
        *b.head,
        applies=b.holds("applies"),
        keys=tuple(b.pack.required[b.get("record")]),
        what=b.get("what"),
        shown_by=b.shown_by("shown_by"),
        severity=b.severity,
        acts=b.get("acts"),
    )


def _notice(b: Build) -> Rule:
    return NoticeBeforeMeeting(
        *b.head,
        purposes=b.purposes(),
        limit=b.limit("limit"),
        exceptional=b.judges is RuleKind.DEVIATION,
        severity=b.severity,
    )


def _papers_before_meeting(b: Build) -> Rule:
    return PapersBeforeMeeting(
        *b.head,
        purposes=b.purposes(),
        limit=b.limit("limit"),
        parties=b.get("parties", ("employee",)),
        severity=b.severity,
    )


def _plan_review_window(b: Build) -> Rule:
    return PlanReviewWindow(
        *b.head,
        plan_kinds={PlanKind(kind) for kind in b.get("plan_kinds")},
        minimum=b.optional_limit("minimum"),
        maximum=b.optional_limit("maximum"),
        exceptional=b.judges is RuleKind.DEVIATION,
        severity=b.severity,
        counted_from=b.counted_from("counted_from"),
    )


def _half_way_meeting(b: Build) -> Rule:
    return HalfWayMeeting(
        *b.head, plan_kinds={PlanKind(kind) for kind in b.get("plan_kinds")}, purposes=b.purposes()
    )


def _due_after(b: Build) -> Rule:
    return b.paused(
        DueAfter(
            *b.head,
            limit=b.limit("limit"),
            anchors=b.anchors("anchors"),
            severity=b.severity,
            direction=Direction(b.get("direction", "after")),
            extensions=b.get("extensions", "as_agreed"),
        )
    )


def _on_dates(b: Build) -> Rule:
    return b.paused(DatedByCheck(*b.head, dated=b.rows("rows"), kind=b.judges, severity=b.severity))


def _performed_by(b: Build) -> Rule:
    return ActorMust(
        *b.head,
        acts=b.get("acts"),
        roles=[Role(role) for role in b.get("roles")],
        severity=b.severity,
    )


def _meeting_chair(b: Build) -> Rule:
    return MeetingChair(*b.head, purposes=b.purposes(), min_level=b.get("min_level"))


def _regular_meetings(b: Build) -> Rule:
    return RegularMeetings(
        *b.head,
        plan_kind=PlanKind(b.get("plan_kind")),
        interval=b.limit("interval"),
    )


def _further_period(b: Build) -> Rule:
    return FurtherPeriod(
        *b.head,
        plan_kind=PlanKind(b.get("plan_kind")),
        limit=b.limit("limit"),
        original_at_most=b.optional_limit("original_at_most"),
        strict=b.get("strict"),
        severity=b.severity,
    )


def _extensions_in_advance(b: Build) -> Rule:
    return ExtensionInAdvance(
        *b.head, limits=[rule for name in b.get("limits") for rule in b.rules_by_id[name]]
    )


def _required_boxes(b: Build) -> Rule:
    statement = b.get("statement")
    return FormBoxes(
        *b.head,
        sections={form: tuple(boxes) for form, boxes in b.get("boxes").items()},
        kind=StatementKind(statement) if statement else None,
        severity=b.severity,
    )


_ACTS = Param("acts", "the act kinds it looks at")
_PAUSED_WHILE = Param(
    "spans", "the named check saying when the rule's clocks stop (not due then)", required=False
)
_PAUSED_WHY = Param("text", "why they stop, as the deadline row says it", required=False)
_PURPOSES = Param("purposes", "the meetings it applies to, by purpose")

RULE_KINDS: Mapping[str, RuleKindSpec] = {
    spec.name: spec
    for spec in (
        RuleKindSpec(
            "check",
            "A named check of the pack asks what is wrong with the act in its case.",
            {
                "acts": Param(
                    "acts", "the act kinds it looks at (every act if none)", required=False
                ),
                "check": Param("problem", "the named check"),
            },
            _check,
        ),
        RuleKindSpec(
            "requires",
            "A condition must hold of the act in its case; otherwise `message`.",
            {
                "acts": _ACTS,
                "holds": Param("holds", "the named condition"),
                "message": Param("text", "what the finding says when it does not hold"),
            },
            _requires,
        ),
        RuleKindSpec(
            "required_contents",
            "The act confirms every key of a [required] record (or shows it by a field).",
            {
                "applies": Param("holds", "the named condition saying which acts it judges"),
                "record": Param("required", "the [required] entry listing the keys"),
                "what": Param("text", "the record as the finding names it"),
                "shown_by": Param(
                    "shown_by", "key = named check of a field standing in for it", required=False
                ),
                "acts": Param("acts", "the act kinds it looks at", required=False),
            },
            _required_contents,
        ),
        RuleKindSpec(
            "notice",
            "At least `limit` notice of a meeting, counted back from its original date.",
            {"purposes": _PURPOSES, "limit": Param("time_limit", "the notice")},
            _notice,
        ),
        RuleKindSpec(
            "papers_before_meeting",
            "A companion's name and papers are due at least `limit` before the meeting.",
            {
                "purposes": _PURPOSES,
                "limit": Param("time_limit", "how long before"),
                "parties": Param("parties", "whose papers are due", required=False),
            },
            _papers_before_meeting,
        ),
        RuleKindSpec(
            "plan_review_window",
            "A plan's review date is no sooner than `minimum` and no later than `maximum`.",
            {
                "plan_kinds": Param("plan_kinds", "the plans it applies to"),
                "minimum": Param("time_limit", "the shortest period", required=False),
                "maximum": Param("time_limit", "the longest period", required=False),
                "counted_from": Param(
                    "counted_from",
                    "the named check giving the day a first period counts from (else its start)",
                    required=False,
                ),
            },
            _plan_review_window,
        ),
        RuleKindSpec(
            "half_way_meeting",
            "Advisory: a meeting of `purposes` half way through a plan's current period.",
            {"plan_kinds": Param("plan_kinds", "the plans it applies to"), "purposes": _PURPOSES},
            _half_way_meeting,
        ),
        RuleKindSpec(
            "due_after",
            "A deadline `limit` after (or before) each occurrence a named check finds.",
            {
                "limit": Param("time_limit", "the time limit"),
                "anchors": Param("anchors", "the named check finding what starts each clock"),
                "direction": Param("direction", "after (within) or before", required=False),
                "extensions": Param("extensions", "which extensions move it", required=False),
                "paused_while": _PAUSED_WHILE,
                "paused_why": _PAUSED_WHY,
            },
            _due_after,
        ),
        RuleKindSpec(
            "on_dates",
            "Deadlines on dates the case or the school's calendar fixes, one per row a named "
            "check finds (no time limit counted).",
            {
                "rows": Param("rows", "the named check giving each deadline's row"),
                "paused_while": _PAUSED_WHILE,
                "paused_why": _PAUSED_WHY,
            },
            _on_dates,
        ),
        RuleKindSpec(
            "performed_by",
            "The acts are recorded by one of `roles`; anyone else's is a finding.",
            {"acts": _ACTS, "roles": Param("roles", "the roles the procedure names")},
            _performed_by,
        ),
        RuleKindSpec(
            "meeting_chair",
            "Invitations, records, adjournments and decisions need an authority level.",
            {"purposes": _PURPOSES, "min_level": Param("int", "the lowest authority level")},
            _meeting_chair,
        ),
        RuleKindSpec(
            "regular_meetings",
            "A gap longer than `interval` between a plan's 121s needs a reason.",
            {
                "plan_kind": Param("plan_kind", "the plan"),
                "interval": Param("time_limit", "the longest gap"),
            },
            _regular_meetings,
        ),
        RuleKindSpec(
            "further_period",
            "One further monitoring period, exceptionally, at most `limit` long.",
            {
                "plan_kind": Param("plan_kind", "the plan"),
                "limit": Param("time_limit", "how long the further period may be"),
                "original_at_most": Param(
                    "time_limit",
                    "the longest original period that may be extended",
                    required=False,
                ),
                "strict": Param("bool", "overstepping is a finding (true) or noted (false)"),
            },
            _further_period,
        ),
        RuleKindSpec(
            "extensions_in_advance",
            "Extensions of the named rules' limits are agreed in advance by both parties.",
            {"limits": Param("rule_ids", "the rules whose limits may be extended")},
            _extensions_in_advance,
            refers_to_rules=True,
        ),
        RuleKindSpec(
            "required_boxes",
            "A form part fills in the boxes `boxes` names for its form; an empty one is a "
            "finding naming it as the form heads it.",
            {
                "boxes": Param("boxes", "form = [the boxes it must fill in]"),
                "statement": Param(
                    "statement",
                    "whose part it judges (employee or reviewer); else any",
                    required=False,
                ),
            },
            _required_boxes,
        ),
    )
}


def param_problems(
    kind: str,
    params: Mapping[str, Any],
    *,
    acts: frozenset[str],
    time_limits: Mapping[str, Any],
    required: Mapping[str, Any],
    rule_ids: frozenset[str],
) -> list[str]:
    """What is wrong with a rule's parameters, each problem a sentence saying what to write."""
    spec = RULE_KINDS.get(kind)
    if spec is None:
        return [f"kind {kind!r} is not known; use one of: {', '.join(sorted(RULE_KINDS))}"]
    problems = [
        f"{kind} needs {name} ({param.meaning}); add it"
        for name, param in spec.params.items()
        if param.required and name not in params
    ]
    for name, value in params.items():
        param = spec.params.get(name)
        if param is None:
            problems.append(f"{kind} has no parameter {name!r}; it takes: {', '.join(spec.params)}")
            continue
        problem = _value_problem(param.type, value, acts, time_limits, required, rule_ids)
        if problem is not None:
            problems.append(f"{name} = {value!r}: {problem}")
    return problems


def _value_problem(
    kind: ParamType,
    value: Any,
    acts: frozenset[str],
    time_limits: Mapping[str, Any],
    required: Mapping[str, Any],
    rule_ids: frozenset[str],
) -> str | None:
    if kind in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of names"
        values: list[str] = value
    elif kind == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    elif kind == "int":
        return None if type(value) is int and value >= 1 else "must be a whole number, 1 or more"
    elif kind == "shown_by":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return "must be a table of key = named check"
        return None
    elif kind == "boxes":
        return _boxes_problem(value)
    elif not isinstance(value, str):
        return "must be a string"
    else:
        values = [value]
    known: Collection[str] | None = {
        "acts": acts,
        "time_limit": time_limits,
        "required": required,
        "rule_ids": rule_ids,
    }.get(kind) or _CHOICES.get(kind)
    if known is None:
        return None
    unknown = [v for v in values if v not in known]
    if not unknown:
        return None
    what = {
        "time_limit": "not a [time_limits] entry of this file",
        "required": "not a [required] entry of this file",
        "rule_ids": "not a rule of this file",
        "acts": "not an act kind (pmledger.events)",
    }.get(kind, "not known")
    listing = "" if kind in ("acts", "rule_ids") else f"; use one of: {', '.join(sorted(known))}"
    return f"{', '.join(map(repr, unknown))} is {what}{listing}"


def check_name_problems(kind: str, params: Mapping[str, Any], checks: NamedChecks) -> list[str]:
    """Named checks a rule cites that the pack's Python does not have."""
    spec = RULE_KINDS[kind]
    problems = []
    for name, param in spec.params.items():
        check_kind = _CHECK_KIND.get(param.type)
        if check_kind is None or name not in params:
            continue
        cited = params[name].values() if param.type == "shown_by" else [params[name]]
        for check in cited:
            if checks.find(check_kind, check) is None:
                have = ", ".join(checks.names(check_kind)) or "none"
                problems.append(
                    f"{name} = {check!r}: the pack's Python has no named {check_kind} check by "
                    f"that name; it has: {have}"
                )
    return problems


def _boxes_problem(value: Any) -> str | None:
    """A `boxes` table must name typed forms and boxes those forms have."""
    if not isinstance(value, dict) or not all(
        isinstance(boxes, list) and all(isinstance(box, str) for box in boxes)
        for boxes in value.values()
    ):
        return "must be a table of form = [box names]"
    for form, boxes in value.items():
        if form not in _BOXES:
            return f"{form!r} is not a typed form; use one of: {', '.join(sorted(_BOXES))}"
        unknown = [box for box in boxes if box not in _BOXES[form]]
        if unknown:
            return (
                f"{', '.join(map(repr, unknown))} is not a box of {form}; use one of: "
                f"{', '.join(sorted(_BOXES[form]))}"
            )
    return None
