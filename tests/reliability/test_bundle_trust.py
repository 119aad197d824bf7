"""A bundle built from an attacker's own ledger: the same people, the same case, the same
acts, every signature genuine, but under keys the attacker made. `verify-bundle` alone cannot
tell it from the organisation's (both pass); it prints the fingerprints the result rests on
and says the result holds only as far as the bundle's own signer, and with `--trust` of the
organisation's root key the attacker's bundle fails.

Before: `verify-bundle` printed the same report for both and had no `--trust` option (exit 2,
"No such option: --trust").
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HR, seeded
from tests.reliability.harness import backend_name, tally
from typer.testing import CliRunner

from pmledger.aggregates.keyring import KeyRecord
from pmledger.cli.main import app
from pmledger.export.exporter import export_case
from pmledger.integrity.keystore import MemoryKeyStore

AS_OF = date(2025, 10, 20)


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _bundle(target: str, out: Path) -> tuple[Path, KeyRecord]:
    """The case's bundle from the ledger at `target`, and that ledger's root key."""
    with seeded(target, MemoryKeyStore()) as ledger:
        root = min(ledger.keyring().keys.values(), key=lambda k: k.valid_from)
        result = export_case(ledger.reader(HR, AS_OF), ALICE, out, AS_OF)
    return result.zip, root


@pytest.fixture
def bundles(tmp_path: Path) -> tuple[Path, Path, KeyRecord, str]:
    genuine, root = _bundle(str(tmp_path / "school.sqlite"), tmp_path / "genuine")
    forged, attackers = _bundle(str(tmp_path / "attacker.sqlite"), tmp_path / "forged")
    return genuine, forged, root, attackers.key_id


def test_an_attackers_bundle_fails_against_the_organisations_root_key(
    bundles: tuple[Path, Path, KeyRecord, str], tmp_path: Path
) -> None:
    genuine, forged, root_key, attackers = bundles
    root = root_key.key_id
    assert root != attackers
    for bundle, rests_on in ((genuine, root), (forged, attackers)):
        code, out = _cli("verify-bundle", str(bundle), "--json")
        assert code == 0, out
        report = json.loads(out)
        assert report["root_key"] == rests_on
        assert "holds only as far as the bundle's own signer" in report["caveat"]
        assert report["signers"], "the keys the case's records rest on are named"
        code, out = _cli("verify-bundle", str(bundle))
        assert code == 0, out
        assert f"{rests_on}: root of the keyring, registered by itself" in out
        assert "holds only as far as the bundle's own signer" in out
    code, out = _cli("verify-bundle", str(genuine), "--trust", root, "--json")
    assert code == 0, out
    assert (json.loads(out)["trusted_root"], json.loads(out)["caveat"]) == (root, None)
    code, out = _cli("verify-bundle", str(forged), "--trust", root, "--json")
    assert code == 1, out
    problem = json.loads(out)["problem"]
    assert problem["where"] == "keyring"
    assert f"not on the organisation's root key {root}" in problem["what"]
    trust_file = tmp_path / "oak-trust.root"
    trust_file.write_text(root + "\n")
    code, out = _cli("verify-bundle", str(forged), "--trust", str(trust_file))
    assert code == 1, out
    assert "another ledger" in out
    public_file = tmp_path / "oak-trust.pub"
    public_file.write_text(root_key.public_key.hex())
    code, out = _cli("verify-bundle", str(genuine), "--trust", str(public_file))
    assert code == 0, out
    code, out = _cli("verify-bundle", str(genuine), "--trust", str(tmp_path / "missing"))
    assert code == 2, out
    tally("bundle-other-ledger", backend_name(str(genuine)), attacks=1, named=1)
