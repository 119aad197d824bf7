from __future__ import annotations

import pytest
from tests.letters.examples import Examples, record_examples


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Examples:
    return record_examples(tmp_path_factory.mktemp("letters"))
