"""Bundles exported once per test session: one per procedure pack, and one small case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.export.cases import (
    FALLBACK_PACK,
    CaseLedger,
    export,
    minimal_case,
    record_examples,
    seeded_case,
)

from pmledger.export.exporter import ExportResult
from pmledger.policies.registry import current_packs


@dataclass(frozen=True)
class Exported:
    case: CaseLedger
    result: ExportResult
    folder: Path


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseLedger]:
    return record_examples(tmp_path_factory.mktemp("examples"))


@pytest.fixture(scope="session", params=sorted(current_packs()))
def pack_bundle(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    examples: dict[str, CaseLedger],
) -> Exported:
    pack: str = request.param
    case = examples.get(pack)
    if case is None:
        fallback = tmp_path_factory.mktemp("fallback")
        case = seeded_case(fallback) if pack == FALLBACK_PACK else minimal_case(fallback, pack)
    folder = tmp_path_factory.mktemp(f"bundle-{pack}")
    return Exported(case, export(case, folder), folder)


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The four-event core-test case: quick to tamper with in many ways."""
    case = seeded_case(tmp_path_factory.mktemp("small"))
    folder = tmp_path_factory.mktemp("small-bundle")
    return Exported(case, export(case, folder), folder)
