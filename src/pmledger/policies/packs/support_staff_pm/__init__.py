"""Performance Management Policy for Support Staff (seed 001, pack `support-staff-pm`).

An annual September-to-August cycle (planning/review meeting by 31 October, mid-year review,
end-of-year review) with observations and optional forms; concerns go to a formal §4.6 meeting
with a review no more than 30 working days ahead, and then, if progress is insufficient, to the
school's separate Capability Procedure. Only the entry to capability, its exit, its warnings'
durations (12 months written, two years final written) and the "next stage" rule for concerns
recurring inside a live warning are 001's; they are judged here, nothing else of capability is.

Where 001 contradicts itself or leaves a choice to the school, `Settings` holds the school's
reading (its limits and units default to the pack file's); `PACK` uses the defaults of the pack
specification. The sharpest conflict is the App 1
memo: "5 working days before" the meeting (App 1) against "within 5 working days of" it (§9.1):
see `MemoTiming` and rule ss-memo-timing.

Confirmation keys this pack reads (`confirms`):
* MeetingHeld of a concerns meeting (§4.6): `concerns_explained`, `employee_comments_invited`,
  `support_agreed`, `review_date_set`; and `implications_explained` (or a ConsequencesExplained
  record) — rules ss-concerns-meeting, ss-concerns-implications.
* MeetingHeld of the planning meeting, when App 2 is in use: `self_evaluation_considered`
  (ss-self-evaluation-before).
* ObjectivesSet: `cpd_target_in_development_plan` when the CPD target (§4.5) is in the
  development plan rather than among the objectives (ss-cpd-target).

Letters and forms it recognises: MeetingInvited.letter or LetterSent.template `ss-app1-memo`
(a LetterSent memo names its meeting in `about_id`); LetterSent.template `ss-capability-notice`
(§5.1); StatementRecorded.form `ss-app2`, `ss-app3`, `ss-app4`, and `ss-app5` recorded by the
reviewee naming the ObservationPlanned record in `about_version` (their agreement to the plan).
Copies of the signed forms are RecordCopyProvided / RecordSubmitted naming the form's record;
disagreements go to the Headteacher as DisagreementReferred, recorded by the reviewer; a cycle
closed early (CycleClosed) brings the reviewee's copy due with it.

The rules are data: packs/support-staff-pm/<version>.toml declares each one as a rule kind with
its parameters, or as one of this package's named checks, the questions only 001 asks.
"""

from __future__ import annotations

import dataclasses

from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.pack import PolicyPack
from pmledger.policies.packfile.assemble import assemble, rules_from_data

from . import appeals, concerns, cycle, forms, observations
from .access import ACCESS
from .settings import DATA, Form, MemoTiming, MidYearRule, Settings
from .stages import TRANSITIONS

__all__ = [
    "CHECKS",
    "NOT_YET_JUDGED",
    "PACK",
    "Form",
    "MemoTiming",
    "MidYearRule",
    "Settings",
    "build_pack",
]


def checks(settings: Settings) -> NamedChecks:
    """The named checks the pack file cites, as one school reads 001."""
    library = NamedChecks()
    for module in (cycle, observations, forms, concerns):
        module.register(library, settings)
    appeals.register(library)
    return library


CHECKS = checks(Settings())
"""The named checks as the specification's defaults read 001 (`pmledger pack explain` shows
the section each one encodes)."""


def build_pack(settings: Settings | None = None) -> PolicyPack:
    """The pack as one school reads 001; without settings, the specification's defaults."""
    chosen = settings or Settings()
    library = CHECKS if settings is None else checks(chosen)
    pack = assemble(
        __package__,
        transitions=TRANSITIONS,
        checks=library,
        warning_months=chosen.warning_months,
        access=ACCESS,
        who_roles={
            "ss-who-warns": chosen.warning_issuers,
            "ss-who-dismisses": chosen.dismissal_roles,
        },
    )
    problems, rules = rules_from_data(chosen.applied(DATA), library)
    assert not problems, problems  # the file's own entries, just built by `assemble`
    kept = tuple(rule for rule in rules if rule.ref.id not in DATA.switched_off)
    return dataclasses.replace(pack, rules=kept)


PACK = build_pack()

NOT_YET_JUDGED: tuple[tuple[str, str], ...] = (
    (
        "ss-access",
        "access to paperwork is a read, not an act: the pack's access table (`access.ACCESS`) "
        "gives it to {headteacher, reviewer, employee} and `Ledger.reader` enforces it",
    ),
    (
        "ss-retention",
        "disposal dates come from the school's retention schedule (handled outside the pack)",
    ),
)
"""Rules of packs.md §2.3 that are not the pack's to judge, and where they are handled."""
