"""A condition that must hold of the case when an act is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule

Consequence = Literal["refuse", "finding", "exceptional"]


class Requires(Rule):
    """`holds(file, act)` must be true for `acts`; otherwise refuse, find, or demand a reason.

    E.g. "a PIP may be set only if the previous 121 warned that one was possible" (004 §4).
    """

    acts: frozenset[str]

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        acts: Iterable[str],
        holds: Callable[[CaseFile, Act], bool],
        message: str,
        consequence: Consequence = "finding",
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.acts = frozenset(acts)
        self.holds = holds
        self.message = message
        self.consequence = consequence
        self.severity = severity
        self.kind = {
            "refuse": RuleKind.HARD,
            "finding": RuleKind.FINDING,
            "exceptional": RuleKind.DEVIATION,
        }[consequence]

    def judge(self, ctx: ActContext) -> None:
        if ctx.act.kind not in self.acts or self.holds(ctx.file, ctx.act):
            return
        if self.consequence == "refuse":
            ctx.refuse(self, self.message)
        elif self.consequence == "exceptional":
            ctx.exceptional(self, self.message)
        else:
            ctx.breach(self, self.message)
