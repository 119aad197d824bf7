"""Options several commands share: signing keys from a folder, and an acting person."""

from __future__ import annotations

import os
from pathlib import Path

from pmledger.errors import InvalidInput, KeyStoreError, PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore
from pmledger.ledger.store import UNREADABLE_DATABASE

PASSPHRASE_ENV = "PMLEDGER_KEY_PASSPHRASE"

READ_FAILURES: tuple[type[Exception], ...] = (
    PmLedgerError,
    *UNREADABLE_DATABASE,
    ValueError,
    KeyError,
    TypeError,
)
"""What reading a ledger can raise when its storage is damaged: pmledger's own errors, the
database's, and a stored record that no longer decodes (some read paths decode rows directly).
Commands that read a ledger report these as a message, never as a traceback."""


def read_failure(exc: Exception) -> str:
    """The message for one of READ_FAILURES."""
    if isinstance(exc, PmLedgerError):
        return str(exc)
    if isinstance(exc, UNREADABLE_DATABASE):
        return (
            f"the ledger's database is damaged or unreachable ({type(exc).__name__}: {exc}); "
            "restore it from a backup"
        )
    return (
        f"the ledger holds a damaged record that cannot be read ({type(exc).__name__}: {exc}); "
        "run `pmledger verify` to name it"
    )


def parse_actor(text: str) -> Actor:
    person, _, role = text.partition(":")
    try:
        return Actor(person_id=person, role=Role(role))
    except ValueError:
        raise InvalidInput(
            f"--actor {text!r}: give PERSON:ROLE, role one of {', '.join(r.value for r in Role)}"
        ) from None


def keystore_from(keys: Path | None) -> KeyStore | None:
    if keys is None:
        return None
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise KeyStoreError(f"set {PASSPHRASE_ENV} to the passphrase of the key files in {keys}")
    return EncryptedFileKeyStore(keys, passphrase.encode())
