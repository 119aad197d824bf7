"""Hampshire maintained schools Performance Management Policy (seed 002), pack `hampshire-pm`.

One policy for teachers, the Headteacher (reviewed by a panel of three governors, the HPMP) and
support staff, each with its own review dates and pay scale; concerns are dealt with by an early
conversation, coaching or structured managerial support (SMS) before the separate Capability
Policy, whose start suspends performance management. There is no appeal route.

The rules are data: packs/hampshire-pm/<version>.toml declares each one as a rule kind with its
parameters, or as one of this package's named checks (`CHECKS`), the questions only this
procedure asks. The file holds the settings of packs.md §3.7 too: the months reviews and
statements are due in and support-staff pay takes effect from (`[limits]`, `support_statement_due`
the end of December), `consequences_min_lead` 10 working days and the sustain period
(`[time_limits]`), and the rating → pay tables (`[pay]`). Fixed in this Python:
`interim_meeting_frequency` per term; `not_met_capability_window` cycle; `upr_anchor_year` from
`upr_since` (+2) else the first UPR recommendation; the support-staff cycle basis is read from the
cycle (one ending 31 March is a financial year).

Meeting purposes used: interim meetings are `interim_review` or `mid_year_review`; the SMS
discussion is `initial_support`; SMS reviews `sms_review`; the Capability Policy's stage one
meeting `first_formal`; the end-of-year review `end_of_cycle_review`. Forms: StatementRecorded
`form` "hp-annual-statement" and "hp-new-cycle-statement". An attendee of role
"school_improvement_provider" at a Headteacher's SMS discussion shows the provider was invited.

Recording conventions the rules rely on:

* Who acts: the HPMP as `hpmp` or its chair `hpmp_chair`; pay decisions by `pay_panel`.
* ExpectationsCommunicated names the cycle (or, naming none, counts for the cycle opened
  before it) and its `what` items: `level_of_expectation`, `standards` (or
  `headteacher_standards`), `key_accountabilities`, `career_expectations_framework`; the
  objectives' "at the outset" checks look for them before the objectives are set.
* ConcernNotified(concern_id, notified_role='headteacher', how_to_proceed_agreed=True) for
  ¶10.4; for the Headteacher, to the other chair (`chair_of_governors`, or `hpmp_chair` when the
  Chair of Governors raised the concern) for ¶10.5. ReasonableAdjustmentsConsidered names the
  concern. EPS advice is HrAdviceObtained with provider 'EPS' (or 'Education Personnel
  Services').
* RecordCopyProvided naming the SMS plan's record (its agreement or a review), once `to`
  'personal_file' and once `to` 'employee'.
* ObservationPlanned.observer_has_qts / observer_kind / communicated_on; an annual statement
  cites observations in `evidence_observation_ids`.

Confirmation keys this pack reads (`confirms`):

* CycleOpened: `reviewer_makes_pay_recommendation` (the Headteacher lets the reviewer recommend
  pay, L34).
* StatementRecorded, hp-annual-statement: `assessment_against_objectives`,
  `assessment_against_standards`, `evidence_summary`, one `rating_<value>` (L80-83);
  `external_adviser_consulted` for the Headteacher (L77).
* StatementRecorded, hp-new-cycle-statement: `objectives`, `standards`,
  `training_and_development_needs`, `monitoring_schedule` (L84-88).
* ConcernRaised: `discussed_with_employee` (¶10.3).
* MeetingHeld (Headteacher's SMS discussion): `school_improvement_provider_invited` (¶10.17).
* SupportPlanAgreed (SMS): `seriousness_and_consequences_discussed`, `employee_view_recorded`,
  `employee_support_requested_recorded` (¶10.17-10.18).
* OutcomeDecided (SMS successful): `sustain_informed` (¶10.21).
* CapabilityStarted: `nature_and_severity`, `impact_on_pupils_and_colleagues`,
  `timescale_for_improvement`, `employee_engagement` (¶10.27); `stage_one_meeting_invited`
  (¶10.29).
"""

from __future__ import annotations

from pmledger.policies.packfile.assemble import assemble

from . import concerns, cycle, governance, objectives  # each registers its named checks
from .facts import CHECKS
from .pay import (
    PayOutcome,
    expected_pay,
    pay_recommendation_due,
    rating_scale,
)
from .stages import TRANSITIONS

__all__ = [
    "NOT_YET_JUDGED",
    "PACK",
    "PayOutcome",
    "concerns",
    "cycle",
    "expected_pay",
    "governance",
    "objectives",
    "pay_recommendation_due",
    "rating_scale",
]

NOT_YET_JUDGED: tuple[tuple[str, str], ...] = (
    (
        "hp-access",
        "reads are not acts: access control of the statements is handled outside the pack "
        "(002 L21)",
    ),
    (
        "hp-retention",
        "the County Council retention schedule is handled outside the pack (002 L22)",
    ),
)
"""Rules of packs.md §3.3 the pack does not judge, and why. #10 (the employee may comment) and
#51 (no formal representation) need no rule: statements are always recordable and no companion
rule applies."""

PACK = assemble(__package__, transitions=TRANSITIONS, checks=CHECKS)
"""Every rule is declared in the pack file (packs/hampshire-pm/), as a rule kind with its
parameters or a named check of this package."""
