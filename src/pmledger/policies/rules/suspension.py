"""'While X runs, these time limits stop': deadlines that fall due inside a suspension.

Hampshire suspends performance management while the Capability Policy runs (002 ¶10.30), and
for support staff it "will no longer apply" once the Capability Procedure starts and
"recommence[s]" when it ends (001 §5.1, §5.2): a review or interim meeting that falls due then
is neither met nor missed. The engine has no
"suspended" status, so such a deadline is shown with no due date and the suspension as the
reason (status "unknown"), instead of counting against the school.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from itertools import zip_longest

from pmledger.calendar import SchoolCalendar
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule

Span = tuple[date, date | None]
"""First day of a suspension and the day it ended (None while it runs)."""


def capability_spans(file: CaseFile) -> list[Span]:
    """When the case's capability procedure ran: each start with the end that followed it."""
    return [
        (started[0].on, ended[0].on if ended else None)
        for started, ended in zip_longest(file.capability, file.capability_ended)
        if started is not None
    ]


class SuspendedWhile(Rule):
    """`rule` as it is, except deadlines that fall due inside one of `spans(file)`.

    A deadline counts as suspended when its due date is inside a span and it was not already
    met before the span began; one met before stays met.
    """

    def __init__(
        self, rule: Rule, *, spans: Callable[[CaseFile], Iterable[Span]], why: str
    ) -> None:
        super().__init__(rule.ref.id, rule.ref.source, rule.summary)
        self.inner = rule
        self.acts = rule.acts  # it judges exactly as the rule it wraps
        self.kind = rule.kind
        self.severity = rule.severity
        self.spans = spans
        self.why = why

    def judge(self, ctx: ActContext) -> None:
        self.inner.judge(ctx)

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        spans = list(self.spans(file))
        for spec in self.inner.deadlines(file, calendar):
            start = _suspended_from(spec, spans)
            if start is None:
                yield spec
            else:
                yield dataclasses.replace(
                    spec,
                    due_on=None,
                    unknown_because=f"{self.why} from {start} (was due {spec.due_on})",
                )


def _suspended_from(spec: DeadlineSpec, spans: list[Span]) -> date | None:
    due = spec.due_on
    if due is None:
        return None
    for start, end in spans:
        inside = start <= due and (end is None or due < end)
        met_before = spec.done is not None and spec.done.on < start
        if inside and not met_before:
            return start
    return None
