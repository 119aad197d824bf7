"""Named checks: the logic no rule kind expresses, which a pack file cites by name.

Most of a procedure is rule kinds with parameters (`rule_kinds`). What is left is a question
only this procedure asks of its case ("did the previous 121 warn that a PIP may be set?"). A
pack's Python is a library of such questions, each registered here under a name with the
section of the procedure it encodes; the pack file says which rule asks which question
(`kind = "check"`, `check = "previous-did-not-warn"`), at which acts, with what severity.
A name the library lacks is refused when the pack is built, naming the file and the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pmledger.calendar import SchoolCalendar
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.fixed_dates import FixedDue
from pmledger.policies.rules.windows import CountedFrom

ProblemFn = Callable[[ActContext], str | None]
"""What is wrong with the act in its case, in words for the record; None when nothing is."""
HoldsFn = Callable[[CaseFile, Act], bool]
"""Whether a condition holds of the act in its case (which acts a rule applies to)."""
ShownFn = Callable[[ActContext], bool]
"""Whether the act's own fields show what a confirmation key would attest."""
AnchorsFn = Callable[[CaseFile], Iterable[Anchor]]
"""The occurrences in the case that each start a time limit's clock."""
DuesFn = Callable[[CaseFile, SchoolCalendar], Iterable[FixedDue]]
"""The clocks whose dates the case or the school's calendar fixes (no time limit is counted)."""

CheckKind = Literal["problem", "holds", "shown", "anchors", "counts_from", "dues"]

F = TypeVar("F")


@dataclass(frozen=True)
class NamedCheck(Generic[F]):
    """One question, by name, with the section of the procedure it encodes."""

    name: str
    section: str
    kind: CheckKind
    fn: F


class NamedChecks:
    """A pack's library of named checks, filled by decorating its functions."""

    def __init__(self) -> None:
        self.problems: dict[str, NamedCheck[ProblemFn]] = {}
        self.conditions: dict[str, NamedCheck[HoldsFn]] = {}
        self.shown: dict[str, NamedCheck[ShownFn]] = {}
        self.anchors: dict[str, NamedCheck[AnchorsFn]] = {}
        self.starts: dict[str, NamedCheck[CountedFrom]] = {}
        self.dated: dict[str, NamedCheck[DuesFn]] = {}

    def problem(self, name: str, section: str) -> Callable[[ProblemFn], ProblemFn]:
        """Register what is wrong with an act (`kind = "check"`)."""
        return self._register(self.problems, name, section, "problem")

    def holds(self, name: str, section: str) -> Callable[[HoldsFn], HoldsFn]:
        """Register a condition on an act (`applies`, `holds` parameters)."""
        return self._register(self.conditions, name, section, "holds")

    def shows(self, name: str, section: str) -> Callable[[ShownFn], ShownFn]:
        """Register a field that stands in for a confirmation key (`shown_by`)."""
        return self._register(self.shown, name, section, "shown")

    def clocks(self, name: str, section: str) -> Callable[[AnchorsFn], AnchorsFn]:
        """Register what starts a time limit's clock (`anchors`)."""
        return self._register(self.anchors, name, section, "anchors")

    def counts_from(self, name: str, section: str) -> Callable[[CountedFrom], CountedFrom]:
        """Register the day a plan's first period is counted from (`counted_from`)."""
        return self._register(self.starts, name, section, "counts_from")

    def dues(self, name: str, section: str) -> Callable[[DuesFn], DuesFn]:
        """Register the dated clocks of an `on_dates` rule (`dues`)."""
        return self._register(self.dated, name, section, "dues")

    def find(self, kind: CheckKind, name: str) -> NamedCheck[Any] | None:
        return self._table(kind).get(name)

    def names(self, kind: CheckKind) -> list[str]:
        return sorted(self._table(kind))

    def _table(self, kind: CheckKind) -> Mapping[str, NamedCheck[Any]]:
        tables: dict[CheckKind, Mapping[str, NamedCheck[Any]]] = {
            "problem": self.problems,
            "holds": self.conditions,
            "shown": self.shown,
            "anchors": self.anchors,
            "counts_from": self.starts,
            "dues": self.dated,
        }
        return tables[kind]

    @staticmethod
    def _register(
        table: dict[str, NamedCheck[F]], name: str, section: str, kind: CheckKind
    ) -> Callable[[F], F]:
        def register(fn: F) -> F:
            if name in table:
                raise ValueError(f"named check {name!r} is registered twice")
            table[name] = NamedCheck(name=name, section=section, kind=kind, fn=fn)
            return fn

        return register
