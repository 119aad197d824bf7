"""ReFocus School Performance Management Procedure (seed 000).

A three-point appraisal cycle timed by month windows, not day counts: targets in September,
mid-point reviews in November/December and March/April (each informing a term bonus), an end
of cycle review in June/July, then the reviewer's statement and the employee's submission for
formal assessment by deadlines the school publishes each year. Concerns run informal support →
support strategies → monitoring → the separate ReFocus capability procedure; this source has no
warnings, dismissal or appeals of its own, so none are recorded under it.

Recording conventions the rules rely on:

* App B / App D: StatementRecorded(form='refocus-app-b' | 'refocus-app-d'), one employee part
  and one reviewer part; App B carries mid_year_cycle; the reviewer part names its held review
  meeting in `about_version` (see reviews.py). Each part's boxes are its typed `contents`
  (`pmledger.events.form_contents`): the employee's App B `MidYearReviewPart` and App D
  `EndOfCycleReviewPart` (progress per target, the points for reflection, CPD undertaken and
  requested, career aspirations), the reviewer's App D `EndOfCycleStatement` (App C's four
  things and the §12 discussion of workload, wellbeing, working hours and flexible working).
  An empty box is a finding naming it (rf-end-of-cycle-contents, rf-wellbeing-discussed,
  rf-pdp-each-point, rf-reflection-answered, rf-career-aspirations, rf-objectives-reviewed).
* A review meeting's length: MeetingHeld.duration_minutes (rf-meeting-length).
* The employee's submission of the completed paperwork: RecordSubmitted by the employee naming
  either part of the form (App D: to='formal_assessment').
* Target approval: ObjectivesApproved naming the cycle's current target record, by the
  Headteacher or a Deputy Headteacher (role deputy_headteacher).
* A term bonus: BonusDecided recorded twice with the same content, once by the Headteacher and
  once by the governor committee (role governor_committee).
* Development requests: DevelopmentRequested (route 'pdp' or 'separate') then one decision per
  approver; `development_request_status` derives where a request stands.
* Mid-point review 1 / 2 is the cycle's first / second held mid_year_review meeting (MeetingHeld
  has no mid-year number); a meeting belongs to the cycle whose dates contain it, an end of
  cycle review to the earliest begun cycle still without one.
* Published submission deadlines (§4 NB) are the school's, per academic year: the
  `[years.submission_deadlines]` table of its calendar file (`SchoolYear.submission_deadlines`),
  which reaches the rules through the case's calendar (`Ledger.open(..., calendars=...)`); a
  deadline the calendar lacks is 'unknown' with the reason and where to add it.

Confirmation keys this pack reads (`confirms`) are its pack file's `[required]` records.

The rules are data: packs/refocus-pm/<version>.toml declares each one as a rule kind with its
parameters (the month windows and meeting lengths are its `[limits]`), or as one of this
package's named checks (`cycle.CHECKS`), the questions only this procedure asks.

rf-signatures (App B/D "Signed (Reviewee) Signed (Reviewer)") needs no rule: each part is
signed by its author and the reviewer's part shows as awaiting the employee's acknowledgement
until RecordAcknowledged.
"""

from __future__ import annotations

from pmledger.policies.packfile.assemble import assemble

from . import (  # each module registers its named checks in CHECKS when imported
    concerns,
    people,
    reviews,
    stages,
    targets,
)
from .cycle import CHECKS, review_point
from .people import development_request_status

__all__ = [
    "NOT_YET_JUDGED",
    "PACK",
    "concerns",
    "development_request_status",
    "people",
    "reviews",
    "stages",
    "targets",
]

NOT_YET_JUDGED: tuple[tuple[str, str], ...] = ()
"""Every rule of packs.md §1.3 is judged; 000 has no access or retention clause (D-rf-6)."""

PACK = assemble(
    __package__,
    transitions=stages.TRANSITIONS,
    checks=CHECKS,
    review_point=review_point,
)
"""Every rule is declared in the pack file (packs/refocus-pm/), as a rule kind with its
parameters or a named check of this package."""
