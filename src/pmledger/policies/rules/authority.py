"""Who performs an act: roles, and for some procedures an authority level.

An act by the wrong person happened all the same: it is recorded with a finding (a dismissal
without the authority to dismiss is `critical`, what a tribunal would treat as unfair)."""

from __future__ import annotations

from collections.abc import Iterable

from pmledger.events.actors import Role
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule


class ActorMust(Rule):
    acts: frozenset[str]

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        acts: Iterable[str],
        roles: Iterable[Role] | None = None,
        min_authority_level: int | None = None,
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.acts = frozenset(acts)
        self.roles = frozenset(roles) if roles is not None else None
        self.min_authority_level = min_authority_level
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        if ctx.act.kind not in self.acts:
            return
        actor = ctx.actor
        if self.roles is not None and actor.role not in self.roles:
            ctx.breach(
                self,
                f"{ctx.act.kind} is recorded by "
                f"{' or '.join(sorted(r.value for r in self.roles))}, not {actor.role.value}",
            )
        if self.min_authority_level is not None and (
            actor.authority_level is None or actor.authority_level < self.min_authority_level
        ):
            ctx.breach(
                self,
                f"{ctx.act.kind} needs authority level {self.min_authority_level}; "
                f"{actor.person_id} acts at level {actor.authority_level or 'none'}",
            )
