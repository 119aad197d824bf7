"""A compliant STAR Developing Performance case, step by step, for the pack's tests to vary.

A support-staff invoicing officer on the example calendar, autumn term 2025: the concern on
Monday 8 September, the initial meeting on Wednesday 17 September, a plan reviewed on Thursday
6 November (after the October half term). Each test runs the steps it needs, skipping or
changing one, so a finding can be traced to exactly that change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tests.policies.ledger_script import LedgerScript
from tests.policies.script import EMPLOYEE, LINE_MANAGER, Script

from pmledger.events.actors import Actor
from pmledger.events.case_acts import Objective, StaffGroup
from pmledger.events.meeting_acts import (
    DocumentsSubmitted,
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
)
from pmledger.events.record_acts import ConcernRaised, RecordAcknowledged
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import (
    MonitoringRoleAssigned,
    Outcome,
    OutcomeDecided,
    PlanKind,
    SupportPlanAgreed,
    SupportPlanDrafted,
)
from pmledger.ledger.facade import Ledger
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Finding

PACK = "star-developing-performance"
MANAGER = LINE_MANAGER
DIGEST = "0" * 64

INITIAL_ON = date(2025, 9, 17)
REVIEW_ON = date(2025, 11, 6)


def target(objective_id: str = "t1", **extra: Any) -> Objective:
    fields: dict[str, Any] = {
        "objective_id": objective_id,
        "text": "Invoices processed within 5 days",
        "success_criteria": "95% on time for four weeks",
        "due_on": REVIEW_ON,
    }
    return Objective.model_validate({**fields, **extra})


def plan(
    starts: date = date(2025, 9, 18), review: date = REVIEW_ON, **extra: Any
) -> SupportPlanAgreed:
    fields: dict[str, Any] = {
        "plan_id": "sp-1",
        "plan_kind": PlanKind.SUPPORT_PLAN,
        "starts_on": starts,
        "review_on": review,
        "targets": (target(),),
        "support": "Weekly coaching with the finance officer",
        "monitoring_frequency": "Fortnightly sampling of the invoice log",
        "monitor_person_id": "mon-1",
        "supporter_person_id": "sup-1",
        "named_work_contact_person_id": "sup-1",
        "consequences_explained_in_writing": True,
        "confirms": ("behaviours_stated", "actions_stated"),
    }
    return SupportPlanAgreed.model_validate({**fields, **extra})


def sign(version: int) -> RecordAcknowledged:
    return RecordAcknowledged(record_version=version, record_digest=DIGEST)


Make = Callable[[Mapping[str, int]], Act]

STEPS: tuple[tuple[str, date, Make, Actor], ...] = (
    (
        "concern",
        date(2025, 9, 8),
        lambda v: ConcernRaised(
            concern_id="c-1",
            areas=("invoicing",),
            pattern_evidence="Invoices late in June, July and September despite appraisal",
        ),
        MANAGER,
    ),
    (
        "conversation",
        date(2025, 9, 9),
        lambda v: MeetingHeld(
            meeting_id="121", purpose=MeetingPurpose.ONE_TO_ONE, chair_person_id="lm-1"
        ),
        MANAGER,
    ),
    (
        "draft",
        date(2025, 9, 10),
        lambda v: SupportPlanDrafted(plan_id="sp-1", shared_with_employee_on=date(2025, 9, 10)),
        MANAGER,
    ),
    (
        "invite",
        date(2025, 9, 10),
        lambda v: MeetingInvited(
            meeting_id="initial",
            purpose=MeetingPurpose.INITIAL_SUPPORT,
            scheduled_for=INITIAL_ON,
            venue="Finance office",
            letter="star-1",
            states_right_to_companion=True,
            confirms=("policy_copy_enclosed",),
        ),
        MANAGER,
    ),
    (
        "initial",
        INITIAL_ON,
        lambda v: MeetingHeld(
            meeting_id="initial",
            chair_person_id="lm-1",
            confirms=("overview_given", "consequences_explained"),
        ),
        MANAGER,
    ),
    ("plan", INITIAL_ON, lambda v: plan(), MANAGER),
    (
        "monitor",
        INITIAL_ON,
        lambda v: MonitoringRoleAssigned(plan_id="sp-1", person_id="mon-1", role="monitor"),
        MANAGER,
    ),
    (
        "supporter",
        INITIAL_ON,
        lambda v: MonitoringRoleAssigned(plan_id="sp-1", person_id="sup-1", role="supporter"),
        MANAGER,
    ),
    ("initial-notes", date(2025, 9, 18), lambda v: sign(v["initial"]), EMPLOYEE),
    ("plan-signed", date(2025, 9, 18), lambda v: sign(v["plan"]), EMPLOYEE),
    (
        "letter-2",
        date(2025, 9, 18),
        lambda v: LetterSent(letter_id="l-2", template="star-2", about_id="sp-1"),
        MANAGER,
    ),
    (
        "review-invite",
        date(2025, 10, 23),
        lambda v: MeetingInvited(
            meeting_id="review-1",
            purpose=MeetingPurpose.SUPPORT_REVIEW,
            scheduled_for=REVIEW_ON,
            venue="Finance office",
            letter="star-3",
            states_right_to_companion=True,
        ),
        MANAGER,
    ),
    (
        "evidence",
        date(2025, 11, 3),
        lambda v: DocumentsSubmitted(
            meeting_id="review-1", party="employee", documents=("Invoice log",)
        ),
        EMPLOYEE,
    ),
    (
        "review",
        REVIEW_ON,
        lambda v: MeetingHeld(meeting_id="review-1", chair_person_id="lm-1"),
        MANAGER,
    ),
)
NAMES = tuple(name for name, *_ in STEPS)


@dataclass
class Case:
    """A STAR case run through `Script`, or through the public `Ledger` (access control on)
    when given one, remembering the version each named step recorded."""

    staff_group: StaffGroup = StaffGroup.SUPPORT_STAFF
    opening: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    ledger: Ledger | None = None
    script: Script | LedgerScript = field(init=False)

    def __post_init__(self) -> None:
        if self.ledger is None:
            self.script = Script(PACK, staff_group=self.staff_group, opening=self.opening)
        else:
            # On a ledger the manager leads the case as its line manager, so access follows.
            opening = {"line_manager_person_id": MANAGER.person_id, **self.opening}
            self.script = LedgerScript(
                self.ledger, PACK, staff_group=self.staff_group, opening=opening
            )

    @property
    def file(self) -> CaseFile:
        return self.script.case

    def act(
        self, on: date, act: Act, *, by: Actor = MANAGER, reason: str | None = None
    ) -> list[str]:
        return rule_ids(self.script.act(on, act, by=by, reason=reason))

    def check(
        self, on: date, act: Act, *, by: Actor = MANAGER, reason: str | None = None
    ) -> list[Finding]:
        """What recording the act would find, without recording it."""
        return self.script.check(on, act, by=by, reason=reason)

    def run(
        self,
        until: str = "review",
        *,
        start: str = "concern",
        skip: Iterable[str] = (),
        change: Mapping[str, Mapping[str, Any]] | None = None,
        on: Mapping[str, date] | None = None,
        by: Mapping[str, Actor] | None = None,
        reasons: Mapping[str, str] | None = None,
    ) -> dict[str, list[str]]:
        """Run the steps from `start` to `until`; the rule ids each step raised, by step."""
        skipped, change, on = set(skip), change or {}, on or {}
        by, reasons = by or {}, reasons or {}
        found: dict[str, list[str]] = {}
        for name, day, make, actor in STEPS[NAMES.index(start) : NAMES.index(until) + 1]:
            if name in skipped:
                continue
            act = make(self.versions)
            if name in change:
                act = type(act).model_validate({**act.model_dump(), **change[name]})
            found[name] = self.act(
                on.get(name, day), act, by=by.get(name, actor), reason=reasons.get(name)
            )
            self.versions[name] = self.script.version
        return found

    def decide(
        self,
        outcome: Outcome,
        *,
        on: date = REVIEW_ON,
        confirmed: bool = True,
        reason: str | None = None,
        **extra: Any,
    ) -> list[str]:
        """The review outcome, naming its model letter unless `confirmed` is False."""
        fields: dict[str, Any] = {"subject_id": "sp-1", "outcome": outcome}
        if confirmed:
            fields["letter"] = LETTERS.get(outcome)
        found = self.act(on, OutcomeDecided.model_validate({**fields, **extra}), reason=reason)
        self.versions["decision"] = self.script.version
        return found


LETTERS = {
    Outcome.SUCCESSFUL: "star-4",
    Outcome.PARTIALLY_SUCCESSFUL: "star-5",
    Outcome.UNSUCCESSFUL: "star-6",
}


def rule_ids(found: list[Finding]) -> list[str]:
    return [f.rule.id for f in found]


def flat(found: Mapping[str, list[str]]) -> list[str]:
    return [rule for rules in found.values() for rule in rules]
