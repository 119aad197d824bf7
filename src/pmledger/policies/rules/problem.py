"""'If this act has a problem, find it / ask for a reason / refuse it', with a specific message.

Many requirements are a single question about the act in its case ("is the rating on this staff
group's scale?", "was a written record of the consequences made before capability?"), but the
answer worth recording names the dates and values involved, which a fixed message cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pmledger.policies.judgement import Severity
from pmledger.policies.rule import KIND_OF, ActContext, Consequence, Rule

ProblemFn = Callable[[ActContext], str | None]
"""What is wrong with the act in its case, in words for the record; None when nothing is. A
reference to a record that does not exist is returned as `Impossible(...)`: refused, whatever
the rule's consequence."""


class ProblemWith(Rule):
    """For `acts` (None: every act), `problem(ctx)` describes what is wrong (None when nothing
    is). A rule that itself says who may record an act (an approval, a form's signer) or that
    no act of a kind belongs to the procedure looks at every act: the pack's who-acts table
    names who records the acts its rules name.

    The same requirement may need two consequences (a short window is an exception needing a
    reason, a missing consultation is a finding): register two rules with the same id, one per
    consequence.
    """

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        acts: Iterable[str] | None,
        problem: ProblemFn,
        consequence: Consequence = "finding",
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.acts = None if acts is None else frozenset(acts)
        self.problem = problem
        self.consequence = consequence
        self.severity = severity
        self.kind = KIND_OF[consequence]

    def judge(self, ctx: ActContext) -> None:
        if self.acts is not None and ctx.act.kind not in self.acts:
            return
        message = self.problem(ctx)
        if message is not None:
            ctx.judged(self, self.consequence, message)
