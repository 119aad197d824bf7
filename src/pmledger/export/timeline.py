"""The timeline picture: the case's stages as bands, meetings as ticks, warnings as bars.

Drawn with reportlab's vector graphics so it prints sharply at any size and its labels stay
searchable text in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from pmledger.events.meeting_acts import MeetingHeld, OneToOneHeld
from pmledger.export.case_extract import CaseExtract
from pmledger.export.presentation import day
from pmledger.policies.ladder import Ladder
from pmledger.projections.warnings import WarningStatus

STAGE_COLOURS = {
    Ladder.NORMAL_CYCLE: colors.HexColor("#c8e6c9"),
    Ladder.INFORMAL_SUPPORT: colors.HexColor("#ffe082"),
    Ladder.FORMAL_STAGE_1: colors.HexColor("#ffb74d"),
    Ladder.FORMAL_STAGE_2: colors.HexColor("#ef6c00"),
    Ladder.DISMISSED: colors.HexColor("#6d4c41"),
}
_WARNING_COLOURS = {
    WarningStatus.LIVE: colors.HexColor("#c62828"),
    WarningStatus.EXPIRED: colors.HexColor("#9e9e9e"),
    WarningStatus.RESCINDED: colors.HexColor("#d7ccc8"),
    WarningStatus.NOT_YET_ISSUED: colors.HexColor("#e0e0e0"),
}
_INK = colors.HexColor("#1f2933")
_MUTED = colors.HexColor("#616e7c")
_GRID = colors.HexColor("#e4e7eb")
_LABEL_WIDTH = 62.0
_LANE = 22.0
_GAP = 8.0
_AXIS = 24.0
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Scale:
    start: date
    end: date
    left: float
    right: float

    def x(self, on: date) -> float:
        span = max((self.end - self.start).days, 1)
        days = min(max((on - self.start).days, 0), span)
        return self.left + (self.right - self.left) * days / span


def timeline(extract: CaseExtract, width: float, font: str, bold: str) -> Drawing:
    """The case from its first record to the as-of date (or its last record, if later)."""
    events = [r.event for r in extract.records if not r.after_as_of]
    first = min(e.occurred_on for e in events)
    last = max([extract.as_of, *(e.occurred_on for e in events)])
    start = first.replace(day=1)
    end = _next_month(last)
    warnings = extract.status.warnings
    warning_lanes = max(len(warnings), 1)
    height = _AXIS + _LANE * 2 + _GAP * 3 + 14.0 * warning_lanes + 6
    drawing = Drawing(width, height)
    scale = Scale(start, end, _LABEL_WIDTH, width - 6)
    top = height - 4

    stage_top = top
    meetings_top = stage_top - _LANE - _GAP
    warnings_top = meetings_top - _LANE - _GAP
    axis_y = warnings_top - 14.0 * warning_lanes - _GAP

    _month_grid(drawing, scale, stage_top, axis_y, font)
    _lane_label(drawing, "Stage", stage_top - _LANE / 2, bold)
    _lane_label(drawing, "Meetings", meetings_top - _LANE / 2, bold)
    _lane_label(drawing, "Warnings", warnings_top - 8, bold)

    stages = extract.stages
    running = start
    for index, point in enumerate(stages):
        since = max(point.on, running)
        until = stages[index + 1].on if index + 1 < len(stages) else extract.as_of
        until = max(until, since)
        running = until
        x0, x1 = scale.x(since), scale.x(until + timedelta(days=1))
        drawing.add(
            Rect(
                x0,
                stage_top - _LANE,
                max(x1 - x0, 0.8),
                _LANE,
                fillColor=STAGE_COLOURS[point.stage],
                strokeColor=colors.white,
                strokeWidth=0.6,
            )
        )
        _label_inside(drawing, point.words, x0, x1, stage_top - _LANE / 2 - 3, font, _INK)

    meetings = [e.occurred_on for e in events if isinstance(e.act, MeetingHeld | OneToOneHeld)]
    tick = min(1.2, max(0.3, (scale.right - scale.left) / (3 * max(len(meetings), 1))))
    for held_on in meetings:
        x = scale.x(held_on)
        drawing.add(
            Line(
                x,
                meetings_top - _LANE + 3,
                x,
                meetings_top - 3,
                strokeColor=_INK,
                strokeWidth=tick,
            )
        )

    if not warnings:
        drawing.add(
            String(
                scale.left + 2,
                warnings_top - 11,
                "none issued",
                fontName=font,
                fontSize=7.5,
                fillColor=_MUTED,
            )
        )
    for lane, warning in enumerate(sorted(warnings, key=lambda w: w.issued_on)):
        y = warnings_top - 14.0 * (lane + 1) + 3
        x0 = scale.x(warning.issued_on)
        x1 = scale.x(warning.expires_on)
        colour = _WARNING_COLOURS[warning.status]
        drawing.add(Rect(x0, y, max(x1 - x0, 1.5), 9, fillColor=colour, strokeColor=None))
        clipped = warning.expires_on > end
        last_day = day(warning.expires_on - timedelta(days=1))
        label = (
            f"{warning.warning_id} {warning.kind.value.replace('_', ' ')}, "
            f"{warning.status.value.replace('_', ' ')} to {last_day}" + (" →" if clipped else "")
        )
        text_colour = colors.white if warning.status is WarningStatus.LIVE else _INK
        if not _label_inside(drawing, label, x0, x1, y + 2, font, text_colour, size=6.5):
            anchor = "start" if x1 + 3 < scale.right - 80 else "end"
            drawing.add(
                String(
                    min(x1 + 3, scale.right),
                    y + 2,
                    label,
                    fontName=font,
                    fontSize=6.5,
                    fillColor=_INK,
                    textAnchor=anchor,
                )
            )

    as_of_x = scale.x(extract.as_of)
    drawing.add(
        Line(
            as_of_x,
            axis_y,
            as_of_x,
            stage_top + 1,
            strokeColor=colors.HexColor("#1565c0"),
            strokeWidth=0.8,
            strokeDashArray=[2, 2],
        )
    )
    return drawing


def legend_entries(extract: CaseExtract) -> list[tuple[Ladder, str]]:
    """Each stage the case passed through, with the procedure's words for it."""
    seen: dict[Ladder, str] = {}
    for point in extract.stages:
        seen.setdefault(point.stage, point.words)
    return list(seen.items())


def _month_grid(drawing: Drawing, scale: Scale, top: float, axis_y: float, font: str) -> None:
    months = []
    cursor = scale.start
    while cursor <= scale.end:
        months.append(cursor)
        cursor = _next_month(cursor)
    step = 1 if len(months) <= 14 else 3 if len(months) <= 40 else 12
    for index, month in enumerate(months):
        if index % step:
            continue
        x = scale.x(month)
        drawing.add(Line(x, axis_y, x, top, strokeColor=_GRID, strokeWidth=0.5))
        if month < scale.end:
            label = f"{_MONTHS[month.month - 1]} {month.year % 100:02d}"
            drawing.add(
                String(x + 2, axis_y - 10, label, fontName=font, fontSize=7, fillColor=_MUTED)
            )
    drawing.add(Line(scale.left, axis_y, scale.right, axis_y, strokeColor=_MUTED, strokeWidth=0.6))


def _lane_label(drawing: Drawing, text: str, y: float, font: str) -> None:
    drawing.add(String(0, y - 3, text, fontName=font, fontSize=8, fillColor=_INK))


def _label_inside(
    drawing: Drawing,
    text: str,
    x0: float,
    x1: float,
    y: float,
    font: str,
    colour: colors.Color,
    size: float = 7.0,
) -> bool:
    """Write `text` inside [x0, x1] if it fits; say whether it did."""
    if stringWidth(text, font, size) + 6 > x1 - x0:
        return False
    drawing.add(String(x0 + 3, y, text, fontName=font, fontSize=size, fillColor=colour))
    return True


def _next_month(on: date) -> date:
    return date(on.year + on.month // 12, on.month % 12 + 1, 1)
