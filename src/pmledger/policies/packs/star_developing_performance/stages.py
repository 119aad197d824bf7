"""The STAR stage machine (packs.md §4.2): appraisal → Developing Performance → Capability.

Capability, its warnings and any dismissal belong to the trust's separate Capability Procedure,
so those stages only accept the acts that record them.
"""

from __future__ import annotations

from pmledger.events.sanction_acts import WarningIssued, WarningKind
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided
from pmledger.policies.case_file import CaseFile
from pmledger.policies.ladder import FORMAL, LIVE_STAGES, Ladder
from pmledger.policies.pack import ActPredicate, Transition
from pmledger.policies.packfile.binding import pack_data

from .facts import starts_episode

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

APPRAISAL = frozenset({Ladder.NORMAL_CYCLE})
DEVELOPING = frozenset({Ladder.INFORMAL_SUPPORT})
BEFORE_CAPABILITY = APPRAISAL | DEVELOPING

STAGE_WORDS = DATA.stage_words()


def _outcome(*outcomes: Outcome) -> ActPredicate:
    def check(file: CaseFile, act: Act) -> bool:
        return isinstance(act, OutcomeDecided) and act.outcome in outcomes

    return check


def _final_warning(file: CaseFile, act: Act) -> bool:
    return isinstance(act, WarningIssued) and act.warning_kind is WarningKind.FINAL_WRITTEN


TRANSITIONS = (
    # §4.1: letter 1 invites the employee to the initial meeting; the procedure has begun.
    Transition("meeting_invited", APPRAISAL, Ladder.INFORMAL_SUPPORT, starts_episode),
    Transition("meeting_invited", LIVE_STAGES),
    # §4.1: the draft plan is prepared before the initial meeting.
    Transition("support_plan_drafted", BEFORE_CAPABILITY),
    # §4.2: the Support Plan is finalised (a plan agreed without a recorded invitation still
    # starts the procedure).
    Transition("support_plan_agreed", BEFORE_CAPABILITY, Ladder.INFORMAL_SUPPORT),
    Transition("monitoring_role_assigned", DEVELOPING),
    Transition("support_plan_revised", DEVELOPING),
    Transition("monitoring_reviewed", DEVELOPING),
    # §4.5: successful → appraisal; unsuccessful → Capability "with immediate effect";
    # partially successful → a further period in the same stage.
    Transition("outcome_decided", DEVELOPING, Ladder.NORMAL_CYCLE, _outcome(Outcome.SUCCESSFUL)),
    Transition(
        "outcome_decided", DEVELOPING, Ladder.FORMAL_STAGE_1, _outcome(Outcome.UNSUCCESSFUL)
    ),
    Transition("outcome_decided", DEVELOPING),
    # §2.1: Capability may also be invoked directly (a recorded deviation).
    Transition(
        "capability_started", BEFORE_CAPABILITY | {Ladder.FORMAL_STAGE_1}, Ladder.FORMAL_STAGE_1
    ),
    Transition("warning_issued", FORMAL, Ladder.FORMAL_STAGE_2, _final_warning),
    Transition("warning_issued", FORMAL),
    Transition("capability_ended", FORMAL, Ladder.NORMAL_CYCLE),
    Transition("dismissed", frozenset({Ladder.FORMAL_STAGE_2}), Ladder.DISMISSED),
)
