"""Options several commands share: signing keys from a folder, and an acting person."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pmledger.errors import ActorRequired, InvalidInput, KeyStoreError, PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.store import UNREADABLE_DATABASE

PASSPHRASE_ENV = "PMLEDGER_KEY_PASSPHRASE"

PublishedHeadsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--head",
        help="A published checkpoint (the JSON `pmledger checkpoint` prints) kept outside the "
        "ledger; repeat for several.",
    ),
]

ReaderOption = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="Who reads, as PERSON:ROLE: the read is allowed or refused by the case's "
        "procedure and goes into the signed access log.",
    ),
]
ReaderKeysOption = Annotated[
    Path | None,
    typer.Option(
        "--keys",
        help=f"Folder of the reader's encrypted signing key (signs the access-log entry); "
        f"passphrase in ${PASSPHRASE_ENV}.",
    ),
]

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


def read_head(path: Path) -> SignedTreeHead:
    """A published checkpoint as `pmledger checkpoint` wrote it, for `--head`."""
    try:
        return SignedTreeHead.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a published checkpoint: {exc}") from None


def keystore_from(keys: Path | None) -> KeyStore | None:
    return None if keys is None else _keystore(keys)


def _keystore(keys: Path) -> KeyStore:
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise KeyStoreError(f"set {PASSPHRASE_ENV} to the passphrase of the key files in {keys}")
    return EncryptedFileKeyStore(keys, passphrase.encode())


def reading_as(actor: str | None, keys: Path | None, command: str) -> tuple[Actor, KeyStore]:
    """The person a read command reads as, with the keys that sign their access-log entry.

    Both are required: a command that shows case content never reads anonymously, so a missing
    option is an ActorRequired error that says exactly what to pass, not a guess.
    """
    if actor is None or keys is None:
        missing = " and ".join(
            name for name, given in (("--actor", actor), ("--keys", keys)) if given is None
        )
        raise ActorRequired(
            f"`pmledger {command}` shows case content, so it reads as a named person whose "
            f"read is checked and logged: pass {missing} (--actor PERSON:ROLE, e.g. "
            f"hr-okafor:hr; --keys DIR holding their signing key, passphrase in "
            f"${PASSPHRASE_ENV})"
        )
    return parse_actor(actor), _keystore(keys)
