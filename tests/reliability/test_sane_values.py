"""Bad input is refused with a typed error saying what was wrong, and stores nothing: a key
revocation without a proper reason, business dates no school record can carry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, invite, seeded
from tests.reliability.harness import tally

from pmledger.errors import InvalidInput

LATER = datetime(2025, 9, 2, tzinfo=UTC)


def test_a_revocation_with_a_bad_reason_or_time_is_refused_with_a_typed_error(
    tmp_path: Path,
) -> None:
    with seeded(str(tmp_path / "l.sqlite")) as ledger:
        key = ledger.keyring().signing_key_for("ht-1", LATER)
        assert key is not None
        key_id = key.key_id
        before = len(ledger.keyring().keys)
        with pytest.raises(InvalidInput, match="reason"):
            ledger.revoke_key(key_id, reason="", by=HR)
        with pytest.raises(InvalidInput, match="revoked_at"):
            ledger.revoke_key(key_id, reason="laptop lost", by=HR, at=datetime(2025, 10, 1))
        assert len(ledger.keyring().keys) == before
        assert ledger.keyring().signing_key_for("ht-1", LATER) is not None, "not revoked"
    tally("bad-values", "sqlite", tried=2)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1969, 12, 31), date(9999, 12, 31)])
def test_a_business_date_outside_the_sane_window_is_refused(tmp_path: Path, day: date) -> None:
    with seeded(str(tmp_path / "l.sqlite")) as ledger:
        with pytest.raises(InvalidInput, match=r"1970-01-01 to 2125-09-01"):
            ledger.record(ALICE, invite(7), occurred_on=day, actor=HEAD)
        scheduled = invite(7).model_copy(update={"scheduled_for": day})
        with pytest.raises(InvalidInput, match="scheduled_for"):
            ledger.record(ALICE, scheduled, occurred_on=date(2025, 10, 20), actor=HEAD)
        assert ledger.reader(HR).case(ALICE).version == 4, "nothing was stored"
        ledger.record(ALICE, invite(7), occurred_on=date(2025, 10, 20), actor=HEAD)
    tally("bad-values", "sqlite", tried=2)
