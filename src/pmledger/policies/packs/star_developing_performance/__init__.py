"""STAR MAT Developing Performance Policy & Procedure (seed 003, packs.md §4).

Sits between appraisal and the trust's separate Capability Procedure: a draft Support Plan,
an initial meeting (letter 1), a finalised plan (letter 2) with weighted targets and separate
monitors and supporters, a review after 4 weeks to 3 months (letter 3), and one of three
outcomes (letters 4-6); a partially successful outcome gives a further period, a third only
exceptionally. Capability itself, its warnings and any dismissal belong to another procedure,
so only the entry into it and the invariants are judged here. There is no appeal (§1.3).

Letters are LetterSent.template / MeetingInvited.letter / OutcomeDecided.letter "star-1" to
"star-6". Confirmation keys this pack reads (`confirms`):

* MeetingInvited(initial) or LetterSent("star-1"): ``policy_copy_enclosed`` (st-policy-copy).
* LetterSent("star-1" / "star-3"): ``right_to_companion_stated`` (st-companion-right; the
  invitation uses its ``states_right_to_companion`` field).
* MeetingInvited(review) or LetterSent("star-3"): ``capability_likely_stated``, letter 3's
  optional paragraph (st-capability-likely-warned).
* MeetingHeld(initial): ``overview_given`` (st-process-overview), ``consequences_explained``
  (st-consequences-explained).
* SupportPlanAgreed: ``behaviours_stated``, ``actions_stated`` (st-plan-contents; the areas,
  support and monitoring arrangements are fields, which may also be confirmed), and
  ``named_work_contact_considered`` when no named contact is given (st-named-work-contact).
* SupportPlanRevised: ``decisive_targets_told`` when a revision makes a target decisive
  (st-weighting-disclosed).
* AbsenceNoted: ``significant_period``, ``attendance_policy_referred`` (st-sickness).

Who gives information about the employee's job performance (App 1 §2, st-companion-not-monitor)
is read from the record: whoever raises the concern, records a monitoring review or submits
management's evidence, and each attendee of a meeting whose ``Attendee.role`` is ``"witness"``.

The CaseFile keeps no facts of SupportPlanDrafted, MonitoringRoleAssigned, RecordCopyProvided,
HrAdviceObtained or CompanionNamed beyond their kind and version, so those acts are judged when
they are recorded, and elsewhere only by whether one was recorded after a given version: a
draft shared before the invitation named the meeting date is not checked for lateness, a
monitor assigned only by MonitoringRoleAssigned is not compared with a companion named later,
and any RecordCopyProvided after a meeting counts as its notes reaching the employee.

Every rule is declared in the pack file, as a rule kind with its parameters or as one of this
package's named checks (`CHECKS`), the questions only this procedure asks; so are the stage
machine (appraisal → Developing Performance → Capability) and who records each act. The
package holds those checks and nothing else.

Duties with no time limit in the source (letters 2 and 4-6, notes, signatures, amendments
agreed) are judged at the next point where they are plainly overdue, usually the plan's review
outcome; notes of a meeting held on the day of that outcome are not judged.
"""

from __future__ import annotations

from pmledger.policies.packfile.assemble import assemble

from . import entry, meetings, outcomes, plan  # noqa: F401  each registers its named checks
from .facts import CHECKS

NOT_YET_JUDGED: tuple[tuple[str, str], ...] = (
    (
        "st-access",
        "reads are not acts: needs an access check on Ledger reads (the reader's Actor against "
        "employee, lead manager, headteacher and HR, monitors and supporters the plan only) and "
        "a read-audit event; packs judge only acts",
    ),
)

PACK = assemble(
    __package__,
    checks=CHECKS,
)
