"""The common ladder every procedure's stages map onto, so cases compare across schools."""

from __future__ import annotations

from enum import StrEnum


class Ladder(StrEnum):
    NORMAL_CYCLE = "normal_cycle"
    INFORMAL_SUPPORT = "informal_support"
    FORMAL_STAGE_1 = "formal_stage_1"
    FORMAL_STAGE_2 = "formal_stage_2"
    DISMISSED = "dismissed"

    @property
    def rank(self) -> int:
        return list(Ladder).index(self)


FORMAL = frozenset({Ladder.FORMAL_STAGE_1, Ladder.FORMAL_STAGE_2})
ANY_STAGE = frozenset(Ladder)
LIVE_STAGES = frozenset(Ladder) - {Ladder.DISMISSED}
