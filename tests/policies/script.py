"""Run acts through a pack in memory: no storage, no signing, just the procedure.

`Script.act` judges the act exactly as Ledger.record does (same judge_act), then advances the
case, so pack tests exercise the real engine at the speed of a dict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from importlib.resources import files
from typing import Any
from uuid import UUID

from pmledger.calendar import SchoolCalendar, TermDates
from pmledger.calendar.terms import SubmissionDeadlines
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.integrity.envelope import GENESIS
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Deadline, Finding, Severity
from pmledger.policies.procedure import advance, judge_act, new_file
from pmledger.policies.registry import current_pack
from pmledger.policies.rule import REASON_MISSING

CASE = UUID("00000000-0000-4000-8000-000000000001")
HEAD = Actor(person_id="ht-1", role=Role.HEADTEACHER, authority_level=1)
LEVEL_2 = Actor(person_id="dir-1", role=Role.HEADTEACHER, authority_level=2)
REVIEWER = Actor(person_id="rev-1", role=Role.REVIEWER)
LINE_MANAGER = Actor(person_id="lm-1", role=Role.LINE_MANAGER)
EMPLOYEE = Actor(person_id="emp-1", role=Role.EMPLOYEE)
HR = Actor(person_id="hr-1", role=Role.HR)
GOVERNOR = Actor(person_id="gov-1", role=Role.CHAIR_OF_GOVERNORS)


def example_term_dates() -> TermDates:
    """England, with the example school's term dates for 2024-25 to 2026-27 but none of its
    published paperwork deadlines: a ReFocus test publishes exactly the dates it is about."""
    data = files("pmledger.calendar") / "data" / "england-example.toml"
    terms = TermDates.from_toml_file(data)
    years = tuple(
        year.model_copy(update={"submission_deadlines": SubmissionDeadlines()})
        for year in terms.years
    )
    return terms.model_copy(update={"years": years})


def example_calendar() -> SchoolCalendar:
    return SchoolCalendar.from_term_dates(example_term_dates())


@dataclass
class Script:
    pack_id: str
    opened_on: date = date(2025, 9, 1)
    staff_group: StaffGroup = StaffGroup.TEACHER
    calendar: SchoolCalendar = field(default_factory=example_calendar)
    opening: dict[str, Any] = field(default_factory=dict)
    file: CaseFile | None = None
    version: int = 0
    findings: list[Finding] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.act(
            self.opened_on,
            CaseOpened(
                organisation="trust",
                employee_ref="E-1",
                employee_person_id="emp-1",
                school="example",
                staff_group=self.staff_group,
                pack_id=self.pack_id,
                **self.opening,
            ),
            by=HR,
        )

    def event(self, on: date, act: Act, by: Actor, reason: str | None) -> CaseEvent:
        pack = current_pack(self.pack_id)
        return CaseEvent(
            originator_id=CASE,
            originator_version=self.version + 1,
            timestamp=datetime.combine(on, time(12), tzinfo=UTC),
            prev=GENESIS,
            key_id="test",
            actor=by,
            occurred_on=on,
            pack=PackRef(id=pack.id, version=pack.version),
            deviation_reason=reason,
            act=act,
        )

    def act(
        self, on: date, act: Act, *, by: Actor = HEAD, reason: str | None = None
    ) -> list[Finding]:
        """Judge and apply one act; returns the findings it raised (refusals raise)."""
        event = self.event(on, act, by, reason)
        found, stage = judge_act(self.file, event, self.calendar)
        if self.file is None:
            self.file = new_file(event)
        advance(self.file, event, stage)
        self.events.append(event)
        self.version += 1
        self.findings.extend(found)
        return found

    def check(
        self, on: date, act: Act, *, by: Actor = HEAD, reason: str | None = None
    ) -> list[Finding]:
        """What recording the act would find, without recording it (as `Ledger.check`)."""
        found, _ = judge_act(self.file, self.event(on, act, by, reason), self.calendar)
        return found

    @property
    def case(self) -> CaseFile:
        assert self.file is not None
        return self.file

    def deadlines(self, as_of: date) -> list[Deadline]:
        return current_pack(self.pack_id).deadlines(self.case, self.calendar, as_of)

    def rule_ids(self, found: list[Finding]) -> list[str]:
        return [f.rule.id for f in found]


def breach(found: list[Finding], rule_id: str, severity: Severity, match: str = "") -> Finding:
    """The one finding of `rule_id` among `found`, of `severity`, its message containing
    `match`: an act the procedure forbids, recorded all the same with what was wrong."""
    (finding,) = [f for f in found if f.rule.id == rule_id]
    assert finding.severity is severity, finding
    assert match in finding.message, finding.message
    return finding


def finding(found: list[Finding], pattern: str, severity: Severity) -> Finding:
    """The one finding among `found` whose words match `pattern` (a regular expression, searched
    in the message followed by '(source, rule id)', the words a refusal used to say), of
    `severity`: a breach of the procedure, recorded all the same."""
    (match,) = [
        f for f in found if re.search(pattern, f"{f.message} ({f.rule.source}, rule {f.rule.id})")
    ]
    assert match.severity is severity, match
    return match


def unexplained(found: list[Finding], pattern: str, severity: Severity) -> Finding:
    """As `finding`, for an exception the procedure allows only with a stated reason, recorded
    without one: the finding says the reason is missing."""
    match = finding(found, pattern, severity)
    assert match.message.endswith(REASON_MISSING), match.message
    assert not match.deviated
    return match
