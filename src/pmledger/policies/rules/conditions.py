"""A condition that must hold of the case when an act is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import KIND_OF, ActContext, Consequence, Rule


class Requires(Rule):
    """`holds(file, act)` must be true for `acts`; otherwise a finding, an exception needing a
    reason, or (for what cannot be) a refusal.

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
        self.kind = KIND_OF[consequence]

    def judge(self, ctx: ActContext) -> None:
        if ctx.act.kind in self.acts and not self.holds(ctx.file, ctx.act):
            ctx.judged(self, self.consequence, self.message)
