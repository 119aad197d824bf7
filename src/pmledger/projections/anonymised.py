"""Anonymised counts for governors: how many cases by procedure, stage and latest outcome.

Small numbers identify people in a school, so any count below the threshold is suppressed, and
where a group would have exactly one suppressed cell, the next smallest is suppressed too, so it
cannot be worked out by subtraction from the group's total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pmledger.policies.case_file import CaseFile

THRESHOLD = 5


@dataclass(frozen=True)
class CountCell:
    group: str
    """The procedure (pack id) the count belongs to."""
    dimension: str
    value: str
    count: int | None
    """None when suppressed."""

    @property
    def shown(self) -> str:
        return str(self.count) if self.count is not None else f"fewer than {THRESHOLD}"


def anonymised_counts(files: Iterable[CaseFile]) -> list[CountCell]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for file in files:
        pack = file.opened.pack_id
        counts[(pack, "stage", file.stage.value)] += 1
        latest = file.outcomes[-1][1].outcome.value if file.outcomes else "none"
        counts[(pack, "latest_outcome", latest)] += 1
    cells: list[CountCell] = []
    for group, dimension in sorted({(p, d) for p, d, _ in counts}):
        row = sorted(
            ((v, n) for (p, d, v), n in counts.items() if (p, d) == (group, dimension)),
            key=lambda item: (item[1], item[0]),
        )
        hidden = {v for v, n in row if n < THRESHOLD}
        if len(hidden) == 1 and len(row) > 1:
            hidden.add(next(v for v, _ in row if v not in hidden))
        cells.extend(
            CountCell(group, dimension, v, None if v in hidden else n) for v, n in sorted(row)
        )
    return cells
