"""The aggregate, the status and the export see one case: they share one fold (issue 19).

Random acts under every pack are recorded through the Ledger (access control on, a SQLite
file), refused ones dropped. Then the case the write path kept (cached, and forked for every
record), the same case loaded afresh from the stored events, the status projection and the
export's extract must agree on the stage and since when, the stages passed through, the
warnings and the facts.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policies.ledger_script import EMPLOYEE_REF, LedgerScript, open_example_ledger
from tests.policies.script import EMPLOYEE
from tests.policies.test_stage_machines import PACK_IDS
from tests.projections.random_acts import record_random_acts

from pmledger.errors import PmLedgerError
from pmledger.events.case_acts import StaffGroup
from pmledger.export.case_extract import extract_case
from pmledger.policies.registry import current_pack
from pmledger.projections.warnings import warning_views

START = date(2025, 9, 1)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_aggregate_the_status_and_the_export_fold_a_case_alike(data: st.DataObject) -> None:
    pack_id = data.draw(st.sampled_from(PACK_IDS))
    group = data.draw(st.sampled_from([StaffGroup.TEACHER, StaffGroup.SUPPORT_STAFF]))
    with (
        tempfile.TemporaryDirectory() as folder,
        open_example_ledger(str(Path(folder) / "ledger.sqlite")) as ledger,
    ):
        try:
            script = LedgerScript(ledger, pack_id, opened_on=START, staff_group=group)
        except PmLedgerError:
            return
        on = record_random_acts(data, script, START, most=12, longest_gap=20)
        as_of = on + timedelta(days=data.draw(st.integers(0, 400)))
        script.registered(EMPLOYEE)  # who may read and export all of their case, in every pack
        reader = ledger.reader(EMPLOYEE, as_of)
        cached = reader.case(EMPLOYEE_REF)
        fresh = reader.case(EMPLOYEE_REF, cached.version)
        status = reader.status(EMPLOYEE_REF, as_of)
        extract = extract_case(
            ledger, EMPLOYEE_REF, as_of, reader.disclosure(EMPLOYEE_REF), EMPLOYEE
        )

    assert cached.file == fresh.file
    assert (cached.version, cached.head, cached.records) == (
        fresh.version,
        fresh.head,
        fresh.records,
    )
    file = cached.file
    for seen in (status, extract.status):
        assert (seen.stage, seen.stage_since, seen.version) == (
            file.stage,
            file.stage_since,
            cached.version,
        )
        assert (seen.capability_active, seen.appeal_pending) == (
            file.capability_active,
            file.appeal_pending,
        )
        assert seen.warnings == warning_views(file, current_pack(pack_id), as_of)
    assert [(p.on, p.version, p.stage) for p in extract.stages[1:]] == [
        (mark.on, mark.version, stage) for mark, stage in file.stage_history
    ]
    assert extract.status == status
