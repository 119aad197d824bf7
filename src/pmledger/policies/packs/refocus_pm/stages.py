"""The ReFocus stage machine and the yearly turn of the cycle (000 §4, §9, App C).

The appraisal cycle (targets, two mid-point reviews, end of cycle review) is the normal cycle;
concerns move the case to informal support until progress is judged sufficient, or on to the
separate capability procedure, which is the only formal stage this procedure reaches.
"""

from __future__ import annotations

from collections.abc import Iterator

from pmledger.calendar import SchoolCalendar
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import Ladder
from pmledger.policies.pack import Transition
from pmledger.policies.rules.fixed_dates import FixedDue

from .cycle import CHECKS, TARGET_SETTING, cycle_spans

NORMAL = frozenset({Ladder.NORMAL_CYCLE})
INFORMAL = frozenset({Ladder.INFORMAL_SUPPORT})


def _sufficient(file: CaseFile, act: Act) -> bool:
    return isinstance(act, OutcomeDecided) and act.outcome is Outcome.SUFFICIENT


TRANSITIONS = (
    Transition("support_plan_agreed", NORMAL | INFORMAL, Ladder.INFORMAL_SUPPORT),
    Transition("support_plan_revised", INFORMAL),
    Transition("monitoring_reviewed", INFORMAL),
    Transition("outcome_decided", INFORMAL, Ladder.NORMAL_CYCLE, _sufficient),
    Transition("outcome_decided", INFORMAL),
    Transition("capability_started", NORMAL | INFORMAL, Ladder.FORMAL_STAGE_1),
    Transition("capability_ended", frozenset({Ladder.FORMAL_STAGE_1}), Ladder.NORMAL_CYCLE),
)


@CHECKS.due_rows("next-cycle-opened", "000 App C")
def _next_cycles(file: CaseFile, calendar: SchoolCalendar) -> Iterator[FixedDue]:
    """The end of cycle review closes the cycle "before new targets are set": the next cycle
    opens by the first day of the target-setting window that follows the cycle's end."""
    spans = cycle_spans(file)
    for index, span in enumerate(spans):
        if span.mark is None:
            continue
        ended = file.employment_ended_on or file.closed_on
        if ended is not None and ended <= span.ends_on:
            continue
        due_on = min(
            first
            for year in range(span.ends_on.year - 1, span.ends_on.year + 2)
            if (first := TARGET_SETTING.dates(year)[0]) > span.ends_on
        )
        later = [s for s in spans[index + 1 :] if s.starts_on > span.ends_on and s.mark]
        yield FixedDue(
            mark=span.mark,
            description=f"the cycle after {span.cycle_id} opened, before new targets are set",
            due_on=due_on,
            unit=f"by {due_on.day} {due_on:%B} after the cycle ends",
            done=later[0].mark if later else None,
        )
