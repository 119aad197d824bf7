"""'The form must record X, Y and Z': boxes of a typed form part left empty.

Forms are typed records (`pmledger.events.form_contents`): a statement naming a form holds
its boxes in `contents`. Where the procedure requires a box, one left empty — or a part
recorded without its boxes at all — is recorded with a finding naming the box as the form
heads it, so the finding reads like the paper form a tribunal would be shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from pmledger.events.form_contents import part_of
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule


def empty_boxes(act: StatementRecorded, boxes: tuple[str, ...]) -> list[str]:
    """The headings of `boxes` the statement's form part leaves empty (all of them when the
    statement was recorded without its boxes)."""
    if act.contents is not None:
        return act.contents.empty(*boxes)
    part = part_of(act.form, act.statement_kind.value)
    if part is None:
        msg = f"{act.form} has no typed {act.statement_kind.value} part"
        raise ValueError(msg)
    return [part.BOXES[box] for box in boxes]


class FormBoxes(Rule):
    """Statements on each form of `sections` (by the signer `kind`, or any) fill in its boxes.
    It names no `acts`: who records a statement is the form's own rule (its signer), not the
    pack's act-role table."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        sections: Mapping[str, tuple[str, ...]],
        kind: StatementKind | None = None,
        severity: Severity = Severity.MINOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.sections = dict(sections)
        self.statement_kind = kind
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, StatementRecorded) or act.form not in self.sections:
            return
        if self.statement_kind is not None and act.statement_kind is not self.statement_kind:
            return
        missing = empty_boxes(act, self.sections[act.form])
        if missing:
            whose = f"the {act.statement_kind.value} part of " if self.statement_kind else ""
            ctx.breach(self, f"{whose}{act.form} leaves empty: " + "; ".join(missing))
