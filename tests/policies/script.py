"""Run acts through a pack in memory: no storage, no signing, just the procedure.

`Script.act` first asks the access guard `Ledger.record` asks (`decide_for` on the pack's access
table, the actor registered with the role they act in, at the example school), then judges the
act exactly as Ledger.record does (same judge_act) and folds it into the case (the one fold,
`procedure.fold`), so pack tests exercise the real engine at the speed of a dict, and cannot
record what the ledger would refuse.
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
from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.governance_acts import RecordsDisposed
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.integrity.envelope import GENESIS
from pmledger.policies.access import Operation, decide_for
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Deadline, Finding, Severity
from pmledger.policies.procedure import fold, judge_act, new_file
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
SCHOOL = "example"

TRUST_WIDE = frozenset({Role.HR, Role.DPO, Role.ADMINISTRATOR})
"""Roles registered without a school: they serve every school of the trust."""


@dataclass
class Registrations:
    """Who holds which roles, where: each person is registered, on first sight, with the role
    they act in (at the example school unless the role is trust-wide), and a person seen in a
    further role holds every role so far, as an administrator would register them. The
    in-memory script and the ledger script register people alike, so both are held to the
    same relationships."""

    roles: dict[str, set[Role]] = field(default_factory=dict)

    def register(self, actor: Actor) -> bool:
        """Register `actor`'s role; whether that changed what they hold."""
        known = self.roles.setdefault(actor.person_id, set())
        if actor.role in known:
            return False
        known.add(actor.role)
        return True

    def held(self, person_id: str) -> tuple[frozenset[Role], frozenset[str]]:
        """The roles and schools a key of the person carries, as `Keyring.person` says."""
        known = frozenset(self.roles.get(person_id, ()))
        return known, frozenset() if known <= TRUST_WIDE else frozenset({SCHOOL})


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
    people: Registrations = field(default_factory=Registrations)
    """Who holds which roles: the case opens with lm-1 as the employee's line manager (unless
    `opening` names another), and reviewers, panels and chairs are related to it only once the
    case's acts name them, as on a ledger."""

    def __post_init__(self) -> None:
        self.act(
            self.opened_on,
            CaseOpened(
                organisation="trust",
                employee_ref="E-1",
                employee_person_id="emp-1",
                school=SCHOOL,
                staff_group=self.staff_group,
                pack_id=self.pack_id,
                **{"line_manager_person_id": LINE_MANAGER.person_id, **self.opening},
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
        if self.file is not None:
            self.guard(self.file, event)
        found, stage = judge_act(self.file, event, self.calendar)
        if self.file is None:
            self.guard(new_file(event), event)
        self.file = fold(self.file, event, stage)
        self.events.append(event)
        self.version += 1
        self.findings.extend(found)
        return found

    def check(
        self, on: date, act: Act, *, by: Actor = HEAD, reason: str | None = None
    ) -> list[Finding]:
        """What recording the act would find, without recording it (as `Ledger.check`); a
        refusal is raised, as `act` would raise it."""
        event = self.event(on, act, by, reason)
        self.guard(self.case, event)
        found, _ = judge_act(self.file, event, self.calendar)
        return found

    def guard(self, file: CaseFile, event: CaseEvent) -> None:
        """Access control as `Ledger.record` applies it: the actor (registered on first sight)
        must be related to the case as its pack's access table says, for this act."""
        self.people.register(event.actor)
        operation = (
            Operation.DISPOSE if isinstance(event.act, RecordsDisposed) else Operation.RECORD
        )
        access = current_pack(self.pack_id).access
        held = self.people.held(event.actor.person_id)
        decision = decide_for(access, event.actor, file, held, operation, event.act.kind)
        if not decision.allowed:
            raise AccessDenied(f"{event.act.kind} on trust/E-1 refused: {decision.reason}")

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
