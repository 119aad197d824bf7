"""'Extensions of the time frames are agreed in advance by both parties'.

An extension is recorded as `TimeLimitExtended` naming the rule and the record that started its
clock. Where a procedure allows extensions only agreed before the limit passes and by both the
employee and management, one agreed late or by one side is recorded with a finding, and the
limit itself does not move (`DueAfter(extensions="agreed_in_advance_by_both")`).
"""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.appeal_acts import TimeLimitExtended
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule, kinds
from pmledger.policies.rules.due_after import agreed_by_both


class ExtensionInAdvance(Rule):
    """Extensions of the limits of `limits` (rules by id) are agreed in advance by both."""

    acts = kinds(TimeLimitExtended)
    severity = Severity.MAJOR

    def __init__(self, rule_id: str, source: str, summary: str, *, limits: Iterable[Rule]) -> None:
        super().__init__(rule_id, source, summary)
        self.limits: dict[str, list[Rule]] = {}
        for rule in limits:
            self.limits.setdefault(rule.ref.id, []).append(rule)

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, TimeLimitExtended) or act.rule_id not in self.limits:
            return
        specs = [
            spec
            for rule in self.limits[act.rule_id]
            for spec in rule.deadlines(ctx.file, ctx.calendar)
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
