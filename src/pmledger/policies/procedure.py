"""Running a case through its procedure: judge each act, then fold it into the case."""

from __future__ import annotations

from typing import NamedTuple

from pmledger.calendar import SchoolCalendar
from pmledger.events.case_acts import CaseOpened
from pmledger.events.signed_event import CaseEvent
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Finding
from pmledger.policies.ladder import Ladder
from pmledger.policies.registry import pack_for
from pmledger.policies.rule import ActContext


def new_file(event: CaseEvent) -> CaseFile:
    if not isinstance(event.act, CaseOpened):
        msg = f"case {event.originator_id} does not start with case_opened"
        raise ValueError(msg)
    return CaseFile(opened=event.act, opened_on=event.occurred_on, stage_since=event.occurred_on)


class Judged(NamedTuple):
    findings: list[Finding]
    stage: Ladder
    """Where the act leads: the pack's machine asked once for judging and advancing."""


def judge_act(file: CaseFile | None, event: CaseEvent, calendar: SchoolCalendar) -> Judged:
    """Findings the act raises; raises ActRefused (typed) when a rule finds it cannot be."""
    ctx = ActContext(file=file or new_file(event), event=event, calendar=calendar)
    stage = pack_for(event.pack).judge(ctx)
    return Judged(ctx.findings, stage)


def fold(file: CaseFile | None, event: CaseEvent, stage: Ladder | None = None) -> CaseFile:
    """The case after `event`: its facts and the stage the pack's machine moves it to (or
    `stage`, the stage judging the act already found). The one fold of a case's events, which
    the aggregate, the status projection and the export all go through, so the stage and
    facts a bundle shows are those the status and the next judgement see. `file` is None
    before the first event, which must open the case."""
    if file is None:
        file = new_file(event)
    if stage is None:
        stage = pack_for(event.pack).stage_after(file, event.act).stage
    file.apply(event, stage)
    return file
