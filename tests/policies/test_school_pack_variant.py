"""A school's own version of a model procedure, judged through the Ledger on real dates.

St Anne's (examples/packs/) extends the Improving Performance Policy with 10 calendar days'
notice of a formal meeting (the model: 7) and a 6-month written warning (the model: 12). The
ledger is opened with the school's file (`Ledger.open(..., packs=[...])`), access control on,
on a SQLite file. The same invitation, on the same dates, is on time under the model and late
under St Anne's; the same warning, issued the same day, is spent after 6 months at St Anne's
and live for 12 under the model, as HR reads the case's status; HR may record the companion
the employee names at St Anne's, where the model names only the employee; and verify holds
every event to the pack file that judged it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import SteppingClock
from tests.policies.improving_performance_case import (
    FIRST_INVITED,
    FIRST_MEETING,
    PIP_121S,
    PIP_DECIDED,
    PIP_SET,
    WARNED,
    decide,
    held,
    hr_advice,
    invite,
    letter,
    one_to_one,
    pip,
)

from pmledger.cli.demo import example_calendars
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.meeting_acts import CompanionKind, CompanionNamed, MeetingPurpose
from pmledger.events.sanction_acts import WarningIssued, WarningKind
from pmledger.events.support_acts import Outcome
from pmledger.examples.cast import HR, OAKFIELD, enrol_everyone
from pmledger.examples.story import Story
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger, Receipt
from pmledger.policies.packfile import PackFileError, load_pack_file
from pmledger.policies.registry import pack_digest
from pmledger.projections.warnings import WarningStatus, WarningView

VARIANT = Path(__file__).parents[2] / "examples" / "packs" / "st-annes-improving-performance.toml"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(
        tmp_path / "ledger.sqlite",
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=example_calendars(),
        packs=[VARIANT],
    ) as opened:
        enrol_everyone(opened)
        yield opened


def opened_at_oakfield(ledger: Ledger, pack: str, employee_ref: str) -> Story:
    """A teacher's case at Oakfield opened by HR on 2 June 2025 under `pack` (the demo's cast)."""
    s = Story(ledger, employee_ref, f"emp-{employee_ref}")
    s.act(
        date(2025, 6, 2),
        HR.person_id,
        CaseOpened(
            organisation=s.organisation,
            employee_ref=s.employee_ref,
            employee_person_id=s.employee_person_id,
            school=OAKFIELD,
            staff_group=StaffGroup.TEACHER,
            pack_id=pack,
            line_manager_person_id="dh-osei",
            employment_started_on=date(2018, 9, 1),
        ),
    )
    return s


def _to_first_formal(ledger: Ledger, pack: str, employee_ref: str) -> Story:
    s = opened_at_oakfield(ledger, pack, employee_ref)
    s.act(WARNED, "dh-osei", one_to_one("121-1", warned=True))
    s.act(PIP_SET, "dh-osei", pip())
    for n, on in enumerate(PIP_121S, 2):
        s.act(on, "dh-osei", one_to_one(f"121-{n}", plan="pip-1"))
    s.act(PIP_DECIDED, "dh-osei", decide("pip-1", Outcome.NOT_IMPROVED))
    s.act(date(2025, 10, 14), "dh-osei", letter("ip-pip-formal-notice", "pip-1"))
    s.act(date(2025, 10, 14), "dh-osei", hr_advice("before_formal"))
    return s


def _rules(receipt: Receipt) -> list[str]:
    return [finding.rule.id for finding in receipt.findings]


def test_the_schools_longer_notice_makes_the_models_timely_invitation_late(
    ledger: Ledger,
) -> None:
    # Invited on Wednesday 15 October 2025 to a meeting on Wednesday 22 October: 7 days.
    first = invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING)
    model = _to_first_formal(ledger, "improving-performance", "T-1")
    school = _to_first_formal(ledger, "st-annes-improving-performance", "T-2")
    assert "ip-first-invite-notice" not in _rules(model.act(FIRST_INVITED, "dh-osei", first))
    late = school.act(FIRST_INVITED, "dh-osei", first)
    assert _rules(late) == ["ip-first-invite-notice"]
    # Invited on Sunday 12 October, ten days before, is on time at St Anne's too.
    early = _to_first_formal(ledger, "st-annes-improving-performance", "T-3")
    on_time = early.act(date(2025, 10, 12), "dh-osei", first)
    assert "ip-first-invite-notice" not in _rules(on_time)


def test_every_event_records_the_digest_of_the_pack_file_that_judged_it(ledger: Ledger) -> None:
    _to_first_formal(ledger, "st-annes-improving-performance", "T-4")
    _to_first_formal(ledger, "improving-performance", "T-5")
    variant = load_pack_file(VARIANT)
    assert pack_digest("st-annes-improving-performance", "2025.3") == variant.digest
    assert pack_digest("improving-performance", "2025.3") != variant.digest
    report = ledger.verify()
    assert report.failure is None, report.failure


def _warned_at_first_formal(ledger: Ledger, pack: str, employee_ref: str) -> Story:
    """Invited ten days ahead (on time under both), the meeting held and the Formal PIP with
    its written warning decided on Wednesday 22 October 2025."""
    s = _to_first_formal(ledger, pack, employee_ref)
    s.act(date(2025, 10, 12), "dh-osei", invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING))
    s.act(FIRST_MEETING, "dh-osei", held("ff-1", chair="dh-osei"))
    s.act(FIRST_MEETING, "dh-osei", decide("ff-1", Outcome.FORMAL_PIP_AND_WARNING))
    s.act(
        FIRST_MEETING,
        "dh-osei",
        WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN),
    )
    return s


def _warning(ledger: Ledger, s: Story, on: date) -> WarningView:
    (warning,) = ledger.reader(HR.as_(), on).status(s.employee, on).warnings
    return warning


def test_the_schools_written_warning_is_spent_after_6_months_the_models_after_12(
    ledger: Ledger,
) -> None:
    school = _warned_at_first_formal(ledger, "st-annes-improving-performance", "T-6")
    model = _warned_at_first_formal(ledger, "improving-performance", "T-7")
    last_live, spent = date(2026, 4, 21), date(2026, 4, 22)
    assert _warning(ledger, school, last_live).status is WarningStatus.LIVE
    at_school = _warning(ledger, school, spent)
    assert at_school.expires_on == date(2026, 4, 22)
    assert at_school.status is WarningStatus.EXPIRED
    under_model = _warning(ledger, model, spent)
    assert under_model.expires_on == date(2026, 10, 22)
    assert under_model.status is WarningStatus.LIVE


def test_a_ledger_opened_with_a_bad_pack_file_is_refused_before_anything_opens(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(VARIANT.read_text().replace("amount = 10", 'amount = "ten"', 1))
    target = tmp_path / "never.sqlite"
    with pytest.raises(PackFileError) as raised:
        Ledger.open(target, packs=[bad])
    assert "time limit 'first-formal-notice': amount = 'ten': must be a whole number" in str(
        raised.value
    )
    assert not target.exists()


def test_a_one_line_edit_of_the_121_interval_moves_the_pips_121_deadlines(
    tmp_path: Path,
) -> None:
    """004 §4.5 "normally weekly": a school whose policy says fortnightly edits one line of
    its file; the PIP's next-121 deadlines are then two weeks apart on the same dates, and a
    gap of 10 days needs no reason there while it does under the model."""
    fortnightly = tmp_path / "fortnightly.toml"
    fortnightly.write_text(
        'id = "fortnightly-121s"\nversion = "2025.1"\ntitle = "Fortnightly 121s"\n'
        'extends = "improving-performance@2025.3"\n[source]\nseed = "x"\ndocument = "x"\n'
        "[time_limits.one-to-one-interval]\namount = 2\n"
    )
    with Ledger.open(
        tmp_path / "ledger.sqlite",
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=example_calendars(),
        packs=[fortnightly],
    ) as ledger:
        enrol_everyone(ledger)
        rows = {}
        for pack, ref in (("improving-performance", "T-8"), ("fortnightly-121s", "T-9")):
            s = opened_at_oakfield(ledger, pack, ref)
            s.act(WARNED, "dh-osei", one_to_one("121-1", warned=True))
            s.act(PIP_SET, "dh-osei", pip())
            # Thursday 25 September: 10 days after the PIP started on Monday 15 September.
            late = s.act(date(2025, 9, 25), "dh-osei", one_to_one("121-2", plan="pip-1"))
            today = date(2025, 9, 26)
            status = ledger.reader(HR.as_(), today).status(s.employee, today)
            rows[pack] = (
                _rules(late),
                [
                    (d.description, d.due_on, d.status.value)
                    for d in status.deadlines
                    if d.rule.id == "ip-pip-weekly-121s"
                ],
            )
    assert rows["improving-performance"] == (
        ["ip-pip-weekly-121s"],
        [
            ("next weekly 121 of pip pip-1 after 2025-09-15", date(2025, 9, 22), "missed"),
            ("next weekly 121 of pip pip-1 after 2025-09-25", date(2025, 10, 2), "open"),
        ],
    )
    assert rows["fortnightly-121s"] == (
        [],
        [
            ("next 121 (every 2 weeks) of pip pip-1 after 2025-09-15", date(2025, 9, 29), "met"),
            ("next 121 (every 2 weeks) of pip pip-1 after 2025-09-25", date(2025, 10, 9), "open"),
        ],
    )


def test_the_school_lets_hr_record_the_companion_the_model_leaves_to_the_employee(
    ledger: Ledger,
) -> None:
    """St Anne's [who.ip-who-names-companion] adds HR to the model's employee (004 §5.3). HR's
    act is recorded under both, as a related person's act in another role is: with the
    model's finding, and without it at St Anne's."""
    named = CompanionNamed(
        meeting_id="ff-1", name="NEU rep", companion_kind=CompanionKind.TRADE_UNION_REP
    )
    first = invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING)
    by_hr: dict[str, Receipt] = {}
    for pack, ref in (
        ("improving-performance", "T-10"),
        ("st-annes-improving-performance", "T-11"),
    ):
        s = _to_first_formal(ledger, pack, ref)
        s.act(date(2025, 10, 12), "dh-osei", first)
        by_hr[pack] = s.act(date(2025, 10, 13), HR.person_id, named)
    (finding,) = [
        f for f in by_hr["improving-performance"].findings if f.rule.id == "ip-who-names-companion"
    ]
    assert finding.severity.value == "minor"
    assert "recorded by employee" in finding.message
    assert "ip-who-names-companion" not in _rules(by_hr["st-annes-improving-performance"])
    assert ledger.verify().failure is None
