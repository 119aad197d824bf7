"""ReFocus settings a school supplies rather than the procedure: its published deadlines.

"The deadline for the submission by staff of completed paperwork for both the Mid-Year and
End-of-Cycle review will be agreed and published annually" (000 §4 NB): the dates differ per
school and per year, so they are data the host hands to `refocus_pm.pack(published=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pmledger.events.values import FrozenModel


class SubmissionDeadlines(FrozenModel):
    """One school's published dates for one academic year; a date not yet published is None."""

    mid_year_1: date | None = None
    mid_year_2: date | None = None
    end_of_cycle: date | None = None


PublishedDeadlines = Mapping[tuple[str, str], SubmissionDeadlines]
"""(school id as in CaseOpened.school, academic year label such as '2025-26') → its dates."""
