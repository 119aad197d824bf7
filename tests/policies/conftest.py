"""Each test module starts with only the shipped packs registered.

A school's variant is registered for the whole process (`Ledger.open(..., packs=[...])`,
`--packs`), and a second file under the same id and version is refused. Two modules may each
register their own `st-annes-improving-performance@2025.3` (the complete example, and the
README's shorter one), so without this the second to run depends on which ran first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pmledger.policies import registry


@pytest.fixture(autouse=True, scope="module")
def _variants_registered_by_this_module_only() -> Iterator[None]:
    registered, files = dict(registry._REGISTERED), dict(registry._FILES)
    yield
    registry._REGISTERED.clear()
    registry._REGISTERED.update(registered)
    registry._FILES.clear()
    registry._FILES.update(files)
    registry._newest.cache_clear()
