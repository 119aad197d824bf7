"""Improving Performance Policy for school staff (seed 004, MKCC model, May 2025 v4.0).

The only procedure of the five with its own formal stages, warning, dismissal and appeals:
121s → a PIP (only after the previous 121 warned of one) → first formal meeting (Formal PIP
and a 12-month written warning) → formal monitoring → second formal meeting, conducted at
authority level 2, where dismissal may be decided → appeal to a governor. Authority levels are
per person (`Actor.authority_level`): the §6.1 table is garbled in the source, so level 1 is
any manager the school authorises up to the first formal meeting, line managers included
(§6.2.1), and level 2 the managers with authority to dismiss (D-ip-1).

Confirmation keys this pack reads (`confirms`; * = or the field named):

* `SupportPlanAgreed` (PIP): `performance_gap`, `reasons_explored`, `support_agreed`
  (* `support`), `formal_procedure_confirmed` (* `consequences_explained_in_writing`),
  `standards_defined` (* every target has success criteria), `maintain_long_term`.
* `SupportPlanAgreed` (Formal PIP): `improvements_required_early`, `how_measured`
  (* `monitoring_frequency`), `support_agreed` (* `support`).
* `MeetingInvited` (first formal): `reason_stated`, `right_to_companion`
  (* `states_right_to_companion`), `hr_present_stated`, `papers_enclosed`,
  `companion_and_papers_due` (* `papers_due_on` at least 3 calendar days before).
* `MeetingInvited` (second formal): as the first, with `line_manager_and_hr_present_stated`
  for `hr_present_stated`; dismissal being possible is the field `states_dismissal_possible`.
* `MeetingHeld` (first formal): `standard_set_out`, `performance_gap_explained`,
  `reasons_confirmed`, `progress_reviewed`, `mitigation_invited`.
* `MeetingHeld` (a rescheduled formal meeting): `held_in_absence` when the employee or the
  companion was absent (HR advice must then precede it).
* `LetterSent` `ip-first-formal-confirmation`: `formal_pip`, `timescale`,
  `provisional_second_formal_date`, `dismissal_possible` (* `states_dismissal_possible`),
  `right_of_appeal` (* `states_right_of_appeal`).
* `LetterSent` `ip-dismissal`: `reason_for_dismissal`, `right_of_appeal`
  (* `states_right_of_appeal`), `notice_support_steps`.
* `AppealDecided`: `advised_by_hr`.

Letter templates: `ip-pip-improved`, `ip-pip-formal-notice`, `ip-first-formal-confirmation`,
`ip-second-formal-nfa`, `ip-dismissal`, `ip-appeal-decision` and
`ip-appeal-papers-exchanged` (the Chair's exchange of material, `about_id` = the appeal id).
A decision may name its letter instead (`OutcomeDecided.letter`). Weekly 121s are
`OneToOneHeld` with `plan_id`; an appeal's written material is `DocumentsSubmitted` with
`meeting_id` = the appeal id.

The rules are data: packs/improving-performance/<version>.toml declares each one as a rule kind
with its parameters, or as one of this package's named checks (`CHECKS`), the questions only
this procedure asks.

Other recording conventions: HR advice is `HrAdviceObtained` with `topic` `before_formal`
(§5.4), `hold_in_absence` (§7.1/§9.1 notes), `formal_outcome` (§8.3) or `dismissal` (§9.4);
the council is told by `ExternalPartyNotified(party='la_hr_business_partner')`; notes of a
meeting reach the employee as `RecordCopyProvided(to='employee')` naming its record; an appeal
names the chair of the decision in `addressed_to_person_id`; an extension of an appeal limit
records both parties in `TimeLimitExtended.agreed_by`; a formal extension gives the revised
provisional second formal date in `MonitoringPeriodChanged.new_provisional_meeting_on`; the
dismissal records `contractual_notice_weeks`; a shorter warning on appeal is
`WarningReduced(new_duration_months=…)`.
"""

from __future__ import annotations

from pmledger.policies.packfile.assemble import assemble

from . import (  # each module registers its named checks in CHECKS when imported
    appeals,
    dismissal,
    first_formal,
    formal_monitoring,
    informal,
    notes,
    records,
    second_formal,
    stages,
)
from .facts import CHECKS

__all__ = [
    "appeals",
    "dismissal",
    "first_formal",
    "formal_monitoring",
    "informal",
    "notes",
    "records",
    "second_formal",
    "stages",
]

PACK = assemble(__package__, checks=CHECKS)
"""Every rule is declared in the pack file (packs/improving-performance/), as a rule kind with
its parameters or a named check of this package; so are the stage machine and who records each
act."""

NOT_YET_JUDGED: tuple[tuple[str, str], ...] = (
    (
        "ip-access",
        "reads are not acts: access control and its log (employee, line manager, chairs, HR, "
        "Headteacher; the appeal chair for the appeal) are handled outside the pack",
    ),
)
"""Rules of the digest (§5.3) the pack does not judge, and where they are handled."""

DERIVED: tuple[tuple[str, str], ...] = (
    (
        "ip-scope-probation",
        "§2.1 'may have separate arrangements': the setting exclude_probationers defaults to "
        "false, so probationers are in scope and nothing is refused",
    ),
    (
        "ip-no-representation-informal",
        "§4.7: no companion rule applies to 121s; a companion named for one is simply recorded",
    ),
    (
        "ip-second-provisional-date",
        "§7.3/§9.1: the provisional and the actual second formal dates are both in the case "
        "file; the difference is reported, never a finding",
    ),
    ("ip-appeal-companion", "§10.12: the right to be accompanied; CompanionNamed is optional"),
    ("ip-retention", "§13.3: disposal dates come from the school's retention schedule"),
    (
        "ip-employee-concern-no-stop",
        "§1.0: an employee's concern pauses nothing, and no rule of this pack pauses a deadline",
    ),
)
"""Rules of the digest that derive a value and judge nothing (no act can break them)."""
