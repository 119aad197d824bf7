"""`CaseFile.recorded` reads an index of the history: it must answer exactly what a scan of
the history answers, for a file folded event by event, forked, or restored from a snapshot."""

from __future__ import annotations

import copy
from itertools import combinations
from pathlib import Path

from tests.example_acts import case_chains, examples_ledger

from pmledger.aggregates.case_snapshot import _CASE
from pmledger.policies.case_file import CaseFile, Recorded


def _scan(file: CaseFile, *kinds: str) -> list[Recorded]:
    return [r for r in file.history if r.act.kind in kinds]


def _asks(file: CaseFile) -> list[tuple[str, ...]]:
    """Every kind alone, every pair of kinds, all of them, and one the case never holds."""
    kinds = sorted({r.act.kind for r in file.history})
    return [(k,) for k in kinds] + list(combinations(kinds, 2)) + [tuple(kinds), ("no_such",)]


def _answers_as_the_scan(file: CaseFile) -> None:
    for kinds in _asks(file):
        assert file.recorded(*kinds) == _scan(file, *kinds), kinds
    assert file.recorded("meeting_held", "meeting_held") == _scan(file, "meeting_held")


def test_recorded_answers_as_a_scan_of_the_history_folded_forked_and_restored(
    tmp_path: Path,
) -> None:
    with examples_ledger(tmp_path) as ledger:
        events = case_chains(ledger)
        assert len(events) > 3
        for case_id, chain in events.items():
            whole = ledger._archive.load(case_id)
            assert whole is not None
            _answers_as_the_scan(whole.file)
            # asked part-way through a fold, then folded further: the index catches up
            before = ledger._archive.load(case_id, len(chain) - 1)
            assert before is not None
            _answers_as_the_scan(before.file)
            forked = copy.deepcopy(before)
            forked.apply(chain[-1])
            _answers_as_the_scan(forked.file)
            assert len(before.file.history) == len(chain) - 1
            _answers_as_the_scan(before.file)  # the fork's new record is not in its source
            restored = _CASE.validate_python(_CASE.dump_python(whole, mode="json"))
            assert restored.file.by_kind == {}
            _answers_as_the_scan(restored.file)
