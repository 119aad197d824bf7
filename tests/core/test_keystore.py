"""Private keys stay encrypted and out of the ledger; a wrong passphrase is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from tests.core.helpers import seeded

from pmledger.errors import KeyStoreError
from pmledger.integrity.keystore import EncryptedFileKeyStore


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
