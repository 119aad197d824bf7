"""Time travel: a case's status on a past date depends only on what had happened by then."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policies.script import Script, example_calendar
from tests.projections.random_acts import record_random_acts

from pmledger.errors import PmLedgerError
from pmledger.events.case_acts import StaffGroup
from pmledger.policies.registry import current_packs
from pmledger.projections.case_status import case_status

START = date(2025, 9, 1)
CALENDAR = example_calendar()


def _calendar(_: object) -> object:
    return CALENDAR


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_status_on_a_past_date_equals_the_fold_of_the_acts_up_to_it(data: st.DataObject) -> None:
    pack_id = data.draw(st.sampled_from(sorted(current_packs())))
    try:
        script = Script(pack_id, opened_on=START, staff_group=StaffGroup.SUPPORT_STAFF)
    except PmLedgerError:
        return
    on = record_random_acts(data, script, START, most=20, longest_gap=30)
    as_of = START + timedelta(days=data.draw(st.integers(0, (on - START).days + 60)))
    later = case_status(script.events, _calendar, as_of)  # type: ignore[arg-type]
    prefix = [e for e in script.events if e.occurred_on <= as_of]
    earlier = case_status(prefix, _calendar, as_of)  # type: ignore[arg-type]
    assert later == earlier
    assert all(d.done_on is None or d.done_on <= as_of for d in later.deadlines)
    assert all(w.issued_on <= as_of for w in later.warnings)
    assert all(f.occurred_on <= as_of for f in later.findings)
    assert later.version == (prefix[-1].originator_version if prefix else 0)
