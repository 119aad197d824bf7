"""'The letter must confirm X, Y and Z': named attestations an act carries, or fields showing them.

Procedures list what an invitation, a letter or a meeting must contain. The events carry the
common items as fields and everything else as `confirms` keys, so one rule kind checks either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule

ShownBy = Callable[[ActContext], bool]
"""A field-based alternative to a confirmation key, e.g. `states_right_of_appeal`."""


def missing_contents(
    ctx: ActContext, keys: Iterable[str], shown_by: Mapping[str, ShownBy]
) -> list[str]:
    """Keys the act neither confirms nor shows through one of its own fields."""
    confirms: tuple[str, ...] = getattr(ctx.act, "confirms", ())
    return [
        key for key in keys if key not in confirms and not (key in shown_by and shown_by[key](ctx))
    ]


class RequiredContents(Rule):
    """Acts that `applies` to must confirm every key; a missing one is a finding."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        applies: Callable[[CaseFile, Act], bool],
        keys: Iterable[str],
        what: str,
        shown_by: Mapping[str, ShownBy] | None = None,
        severity: Severity = Severity.MAJOR,
        acts: Iterable[str] | None = None,
    ) -> None:
        super().__init__(rule_id, source, summary)
        if acts is not None:  # the kinds `applies` can hold for: others are not judged
            self.acts = frozenset(acts)
        self.applies = applies
        self.keys = tuple(keys)
        self.what = what
        self.shown_by = dict(shown_by or {})
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        if not self.applies(ctx.file, ctx.act):
            return
        missing = missing_contents(ctx, self.keys, self.shown_by)
        if missing:
            ctx.breach(self, f"{self.what} does not confirm: {', '.join(missing)}")
