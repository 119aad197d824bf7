"""An optional meeting half way through a plan's current period: advisory, never a finding.

Some procedures suggest, without requiring, a meeting at the half way point of a support or
monitoring period "so that any concerns can be highlighted at the earliest opportunity". The
date is advisory: each plan of the kinds named gets a row for its current period (from the
plan, or from the revision that gave a further period, to its review date), met by a meeting
of the purposes named held in that period, lapsed (not missed) without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from pmledger.calendar import SchoolCalendar
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.support_acts import PlanKind
from pmledger.policies.case_file import CaseFile
from pmledger.policies.rule import DeadlineSpec, Rule


class HalfWayMeeting(Rule):
    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        plan_kinds: Iterable[PlanKind],
        purposes: Iterable[MeetingPurpose],
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.plan_kinds = frozenset(plan_kinds)
        self.purposes = frozenset(purposes)

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        held = sorted(
            (m.held for m in file.meetings.values() if m.purpose in self.purposes and m.held),
            key=lambda mark: (mark.on, mark.version),
        )
        names = " or ".join(sorted(purpose.value.replace("_", " ") for purpose in self.purposes))
        for plan in file.plans.values():
            if plan.kind not in self.plan_kinds:
                continue
            further = [mark for mark, revision in plan.revisions if revision.further_period]
            start = further[-1] if further else plan.agreed
            half_way = start.on + timedelta(days=(plan.review_on - start.on).days // 2)
            in_period = [mark for mark in held if start.on <= mark.on <= plan.review_on]
            yield DeadlineSpec(
                rule=self,
                description=f"{names} of plan {plan.plan_id} at the half way point of "
                f"its review period ({start.on} to {plan.review_on})",
                anchor_version=start.version,
                due_on=half_way,
                unit="advisory: at the half way point of the review period",
                done=in_period[0] if in_period else None,
                advisory=True,
            )
