"""Who the procedure names for each act: a pack's table from act kind to roles.

Access control decides whether a person may record in a case at all (a relationship to it);
this table says whether they are the person the procedure names for the act. An act by someone
related to the case but in another role happened all the same (HR arranging the appeal hearing
the Chair of Governors should have arranged), so it is recorded, with a finding saying who the
procedure names. The table is data, each pack file's `[who]` entries (`packfile.model.WhoEntry`),
built into these rules when the pack is assembled: tests generate from it, and an act kind a
pack accepts without an entry is a gap they report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pmledger.events.actors import Role
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, Rule


class WhoActs(Rule):
    """The roles a procedure names for some acts; anyone else's act is a finding."""

    acts: frozenset[str]

    kind = RuleKind.FINDING

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        acts: Iterable[str],
        roles: Iterable[Role],
        severity: Severity = Severity.MAJOR,
        covered_by: Iterable[str] = (),
    ) -> None:
        """`covered_by` names the pack's own rules that already judge who did these acts (in
        the procedure's own words): where one of them finds the act, this table's finding is
        dropped, so a breach is listed once."""
        super().__init__(rule_id, source, summary)
        self.acts = frozenset(acts)
        self.roles = frozenset(roles)
        self.severity = severity
        self.covered_by = frozenset(covered_by)

    def judge(self, ctx: ActContext) -> None:
        if ctx.actor.role in self.roles:
            return
        named = " or ".join(sorted(role.value for role in self.roles))
        ctx.breach(
            self,
            f"{ctx.act.kind} is recorded by {named} ({self.summary}); "
            f"{ctx.actor.person_id} recorded it as {ctx.actor.role.value}",
        )


ActRoles = Mapping[str, WhoActs]
"""Act kind → who the procedure names for it (built from the pack file's `[who]` table)."""
