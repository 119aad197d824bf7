"""Private keys stay encrypted and out of the ledger; a wrong passphrase is a clear error."""

from __future__ import annotations

import base64
import logging
import zipfile
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from tests.core.helpers import ALICE, EMPLOYEE, HR, held, seeded

from pmledger.errors import KeyStoreError, PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.export.exporter import export_case
from pmledger.integrity.keystore import EncryptedFileKeyStore

AS_OF = date(2025, 11, 3)


def test_key_files_are_encrypted_and_private(tmp_path: Path) -> None:
    store = EncryptedFileKeyStore(tmp_path / "keys", b"correct horse")
    key_id, _ = store.generate()
    (path,) = (tmp_path / "keys").glob("*.pem")
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert path.stat().st_mode & 0o077 == 0
    assert EncryptedFileKeyStore(tmp_path / "keys", b"correct horse").sign(key_id, b"m")


def test_a_wrong_passphrase_is_a_clear_error_without_the_key(tmp_path: Path) -> None:
    key_id, _ = EncryptedFileKeyStore(tmp_path, b"correct horse").generate()
    with pytest.raises(KeyStoreError, match="wrong passphrase") as caught:
        EncryptedFileKeyStore(tmp_path, b"battery staple").sign(key_id, b"m")
    assert "PRIVATE KEY" not in str(caught.value)


def test_missing_keys_and_empty_passphrases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="unencrypted"):
        EncryptedFileKeyStore(tmp_path, b"")
    with pytest.raises(KeyStoreError, match="no private key file"):
        EncryptedFileKeyStore(tmp_path, b"pw").sign("ed25519:" + "0" * 32, b"m")


def test_private_key_bytes_never_reach_the_database(tmp_path: Path) -> None:
    store = EncryptedFileKeyStore(tmp_path / "keys", b"pw")
    target = str(tmp_path / "l.sqlite")
    seeded(target, store).close()
    database = Path(target).read_bytes()
    for key_id in list(store._cache):
        raw = store._cache[key_id].private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        assert raw not in database
        assert raw.hex().encode() not in database


def test_private_keys_never_reach_logs_errors_or_exports(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 7: a private key appears in no log record, error message, exported file or
    database page, whatever the ledger did with it (sign, checkpoint, export, refuse)."""
    caplog.set_level(logging.DEBUG)
    store = EncryptedFileKeyStore(tmp_path / "keys", b"pw")
    target = str(tmp_path / "l.sqlite")
    errors: list[str] = []
    with seeded(target, store) as ledger:
        ledger.checkpoint(HR)
        result = export_case(ledger.reader(EMPLOYEE, AS_OF), ALICE, tmp_path / "out", AS_OF)
        for attempt in (
            lambda: ledger.reader(Actor(person_id="ht-1", role=Role.HR)).case(ALICE),
            lambda: ledger.record(
                ALICE, held(9), occurred_on=AS_OF, actor=Actor(person_id="emp-1", role=Role.HR)
            ),
            lambda: EncryptedFileKeyStore(tmp_path / "keys", b"wrong").sign(
                next(iter(store._cache)), b"m"
            ),
        ):
            with pytest.raises(PmLedgerError) as caught:
                attempt()
            errors.append(repr(caught.value) + str(caught.value))
    with zipfile.ZipFile(result.zip) as bundle:
        exported = b"".join(bundle.read(name) for name in bundle.namelist())
    texts = [
        caplog.text.encode(),
        "\n".join(errors).encode(),
        exported,
        result.pdf.read_bytes(),
        Path(target).read_bytes(),
    ]
    assert len(errors) == 3
    for key in store._cache.values():
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        for form in (raw, raw.hex().encode(), base64.b64encode(raw), base64.b64encode(raw)[:40]):
            assert not any(form in text for text in texts)
