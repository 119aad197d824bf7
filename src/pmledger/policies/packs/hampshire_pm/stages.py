"""Hampshire's stages on the common ladder, and the acts that move a case between them.

Concerns move a case into informal support (an early conversation, coaching/mentoring or
structured managerial support); a programme confirmed successful returns it to the cycle. The
Capability Policy is a separate procedure: its start suspends performance management and its
later stages are only recorded here.
"""

from __future__ import annotations

from pmledger.events.meeting_acts import MeetingHeld
from pmledger.events.sanction_acts import WarningIssued, WarningKind
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import FORMAL, LIVE_STAGES, Ladder
from pmledger.policies.pack import Transition
from pmledger.policies.packfile.binding import pack_data

from .concerns import EARLY_MEETINGS

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

STAGE_WORDS = DATA.stage_words()

_BEFORE_CAPABILITY = frozenset({Ladder.NORMAL_CYCLE, Ladder.INFORMAL_SUPPORT})


def _early_support(file: CaseFile, act: Act) -> bool:
    if not isinstance(act, MeetingHeld):
        return False
    meeting = file.meetings.get(act.meeting_id)
    return (act.purpose or (meeting.purpose if meeting else None)) in EARLY_MEETINGS


def _resolved(file: CaseFile, act: Act) -> bool:
    return isinstance(act, OutcomeDecided) and act.outcome in (
        Outcome.SUCCESSFUL,
        Outcome.NO_FURTHER_ACTION,
    )


def _final_warning(file: CaseFile, act: Act) -> bool:
    return isinstance(act, WarningIssued) and act.warning_kind is WarningKind.FINAL_WRITTEN


TRANSITIONS = (
    Transition(
        "meeting_held", frozenset({Ladder.NORMAL_CYCLE}), Ladder.INFORMAL_SUPPORT, _early_support
    ),
    Transition("meeting_held", LIVE_STAGES),
    Transition("support_measure_started", _BEFORE_CAPABILITY, Ladder.INFORMAL_SUPPORT),
    Transition("support_plan_agreed", _BEFORE_CAPABILITY, Ladder.INFORMAL_SUPPORT),
    Transition("support_plan_revised", frozenset({Ladder.INFORMAL_SUPPORT})),
    Transition("monitoring_reviewed", frozenset({Ladder.INFORMAL_SUPPORT})),
    Transition(
        "outcome_decided", frozenset({Ladder.INFORMAL_SUPPORT}), Ladder.NORMAL_CYCLE, _resolved
    ),
    Transition("outcome_decided", frozenset({Ladder.INFORMAL_SUPPORT})),
    Transition("capability_started", _BEFORE_CAPABILITY, Ladder.FORMAL_STAGE_1),
    Transition("capability_ended", FORMAL, Ladder.NORMAL_CYCLE),
    Transition("warning_issued", FORMAL, Ladder.FORMAL_STAGE_2, _final_warning),
    Transition("warning_issued", FORMAL),
    Transition("dismissed", FORMAL, Ladder.DISMISSED),
)
