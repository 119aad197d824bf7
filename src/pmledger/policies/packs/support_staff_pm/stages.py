"""001's stages and the acts that move a case between them (packs.md §2.1-2.2).

Performance management runs until a §4.6 concerns meeting; capability is a separate procedure
whose stages this policy names only as "the next stage" (§5.2): a written-warning stage and the
stage after it (D-ss-10). While capability runs, "the performance management process will no
longer apply" (§5.1), so cycles and objectives cannot be recorded then.
"""

from __future__ import annotations

from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityStarted,
    WarningIssued,
    WarningKind,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import FORMAL, LIVE_STAGES, Ladder
from pmledger.policies.pack import Transition
from pmledger.policies.packfile.binding import pack_data

from .facts import purpose_of

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

PM_STAGES = frozenset({Ladder.NORMAL_CYCLE, Ladder.INFORMAL_SUPPORT})

STAGE_WORDS = DATA.stage_words()


def _concerns_meeting(file: CaseFile, act: Act) -> bool:
    return purpose_of(file, act) is MeetingPurpose.CONCERNS


def _sufficient(file: CaseFile, act: Act) -> bool:
    return isinstance(act, OutcomeDecided) and act.outcome is Outcome.SUFFICIENT


def _recurrence(file: CaseFile, act: Act) -> bool:
    """Re-entry inside a live warning (§5.2); ss-recurrence-next-stage checks the claim."""
    return isinstance(act, CapabilityStarted) and act.basis is CapabilityBasis.RECURRENCE_IN_WARNING


def _final_warning(file: CaseFile, act: Act) -> bool:
    return isinstance(act, WarningIssued) and act.warning_kind is WarningKind.FINAL_WRITTEN


TRANSITIONS = (
    Transition("cycle_opened", PM_STAGES),
    Transition("objectives_set", PM_STAGES),
    Transition("objectives_revised", PM_STAGES),
    Transition("reviewer_change_requested", PM_STAGES),
    Transition(
        "meeting_held", frozenset({Ladder.NORMAL_CYCLE}), Ladder.INFORMAL_SUPPORT, _concerns_meeting
    ),
    Transition("meeting_held", LIVE_STAGES),
    Transition("support_plan_agreed", PM_STAGES, Ladder.INFORMAL_SUPPORT),
    Transition("support_plan_agreed", FORMAL),
    Transition("support_plan_revised", frozenset({Ladder.INFORMAL_SUPPORT}) | FORMAL),
    Transition("monitoring_reviewed", frozenset({Ladder.INFORMAL_SUPPORT}) | FORMAL),
    Transition(
        "outcome_decided", frozenset({Ladder.INFORMAL_SUPPORT}), Ladder.NORMAL_CYCLE, _sufficient
    ),
    Transition("outcome_decided", frozenset({Ladder.INFORMAL_SUPPORT}) | FORMAL),
    Transition("capability_started", PM_STAGES, Ladder.FORMAL_STAGE_2, _recurrence),
    Transition("capability_started", PM_STAGES, Ladder.FORMAL_STAGE_1),
    Transition("warning_issued", FORMAL, Ladder.FORMAL_STAGE_2, _final_warning),
    Transition("warning_issued", FORMAL),
    Transition("capability_ended", FORMAL, Ladder.NORMAL_CYCLE),
    Transition("dismissed", frozenset({Ladder.FORMAL_STAGE_2}), Ladder.DISMISSED),
)
