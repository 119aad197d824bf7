"""Options several commands share, each also read from a `PMLEDGER_*` environment variable.

One definition per option, so `--db` means and says the same in every command, and a
scheduler or a shell profile can set `PMLEDGER_DB`, `PMLEDGER_ACTOR`, `PMLEDGER_KEYS` once
(`pmledger --help` lists every variable beside its option). Options a command cannot run
without are declared required, so help marks them so.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pmledger.errors import InvalidInput, KeyStoreError, PmLedgerError
from pmledger.events.actors import Actor, Role
from pmledger.events.keyring_acts import KEY_ID_PATTERN
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore
from pmledger.integrity.signing import key_id_of
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.store import UNREADABLE_DATABASE

PASSPHRASE_ENV = "PMLEDGER_KEY_PASSPHRASE"
ACTOR_ENV = "PMLEDGER_ACTOR"
KEYS_ENV = "PMLEDGER_KEYS"


def env(name: str) -> str:
    """The environment variable an option is read from: PMLEDGER_ and its name."""
    return "PMLEDGER_" + name.upper().replace("-", "_")


DbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar=env("db"), help="SQLite file path or postgresql:// DSN of the ledger."
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        envvar=env("json"),
        help="Print JSON instead of text (one document; JSON lines where a command streams).",
    ),
]
AsOfOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        envvar=env("as_of"),
        formats=["%Y-%m-%d"],
        help="Business date to read the ledger on (default: today).",
        show_default=False,
    ),
]
OrgOption = Annotated[
    str | None,
    typer.Option("--org", envvar=env("org"), help="Organisation, if the reference is ambiguous."),
]
ActorOption = Annotated[
    str,
    typer.Option(
        "--actor",
        envvar=ACTOR_ENV,
        help="Who acts or reads, as PERSON:ROLE (e.g. hr-okafor:hr), or PERSON:ROLE:LEVEL to "
        "act at an authority level (004 §6) their key holds: what they do is allowed "
        "or refused by the case's procedure and goes into the signed access log.",
    ),
]
KeysOption = Annotated[
    Path,
    typer.Option(
        "--keys",
        envvar=KEYS_ENV,
        help=f"Folder of that person's encrypted signing key (it signs what they record and "
        f"their access-log entries); passphrase in ${PASSPHRASE_ENV}.",
    ),
]
PublishedHeadsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--head",
        envvar=env("head"),
        help="A published checkpoint (the JSON `pmledger checkpoint` prints) kept outside the "
        "ledger; repeat for several (in the variable: separated by spaces).",
    ),
]


HeadsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--heads",
        envvar=env("heads"),
        help="A directory of checkpoints kept outside the ledger (`pmledger checkpoint --out "
        "DIR` writes them): every *.json in it is checked.",
    ),
]


def as_of_day(value: datetime | None) -> date:
    """The business date an `--as-of` names; today when it names none."""
    return value.date() if value else date.today()


READ_FAILURES: tuple[type[Exception], ...] = (
    PmLedgerError,
    *UNREADABLE_DATABASE,
)
"""What reading a ledger can raise when its storage is damaged: pmledger's own errors and the
database's. Commands that read a ledger report these as a message, never as a traceback. Not
ValueError, KeyError or TypeError: every place that decodes stored bytes turns bytes that no
longer decode into a typed error there (`StorageError.damaged`: an event, a snapshot, a read
model's state, a checkpoint, the key table's dates, an SQLite case id; `TamperingDetected`: a
data key that is not one) or into a failed check (the verifier). So one of those raised in a
command is a bug in pmledger, shown as one, never blamed on the user's ledger."""


def read_failure(exc: Exception) -> str:
    """The message for one of READ_FAILURES."""
    if isinstance(exc, PmLedgerError):
        return str(exc)
    return (
        f"the ledger's database is damaged or unreachable ({type(exc).__name__}: {exc}); "
        "restore it from a backup"
    )


def parse_actor(text: str) -> Actor:
    """`PERSON:ROLE`, or `PERSON:ROLE:LEVEL` for an act at an authority level (004 §6): the
    level is claimed, and signing refuses a claim above the one on the person's key."""
    person, _, rest = text.partition(":")
    role, _, level = rest.partition(":")
    try:
        return Actor(
            person_id=person, role=Role(role), authority_level=int(level) if level else None
        )
    except ValueError:
        raise InvalidInput(
            f"--actor {text!r}: give PERSON:ROLE[:LEVEL], role one of "
            f"{', '.join(r.value for r in Role)}, level 1 or 2"
        ) from None


def read_head(path: Path) -> SignedTreeHead:
    """A published checkpoint as `pmledger checkpoint` wrote it, for `--head`."""
    try:
        return SignedTreeHead.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a published checkpoint: {exc}") from None


def outside_heads(files: list[Path] | None, folder: Path | None) -> list[SignedTreeHead]:
    """The heads given with `--head FILE` and every head in `--heads DIR`; a directory with
    none in it is a mistake to report, not an empty list that checks nothing."""
    heads = [read_head(path) for path in files or []]
    if folder is not None:
        if not folder.is_dir():
            raise InvalidInput(f"--heads {folder} is not a directory of checkpoints")
        found = sorted(folder.glob("*.json"))
        if not found:
            raise InvalidInput(
                f"--heads {folder} holds no checkpoints (*.json, as `pmledger checkpoint --out "
                f"{folder}` writes them)"
            )
        heads += [read_head(path) for path in found]
    return heads


def trusted_root(value: str) -> str:
    """The fingerprint `--trust` names: given as is, or read from a file holding the
    fingerprint or the public key (64 hex digits, or PEM)."""
    if re.fullmatch(KEY_ID_PATTERN, value):
        return value
    try:
        text = Path(value).read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"--trust {value}: neither a key fingerprint (ed25519:<32 hex>) nor a readable "
            f"file ({exc})"
        ) from None
    if re.fullmatch(KEY_ID_PATTERN, text):
        return text
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return key_id_of(bytes.fromhex(text))
    try:
        public = serialization.load_pem_public_key(text.encode())
    except ValueError:
        public = None
    if isinstance(public, Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return key_id_of(raw)
    raise InvalidInput(
        f"--trust {value}: the file holds neither a key fingerprint (ed25519:<32 hex>) nor an "
        "Ed25519 public key (64 hex digits or PEM)"
    )


def keystore_from(keys: Path) -> KeyStore:
    """The encrypted key files in `keys`, unlocked with $PMLEDGER_KEY_PASSPHRASE."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise KeyStoreError(f"set {PASSPHRASE_ENV} to the passphrase of the key files in {keys}")
    return EncryptedFileKeyStore(keys, passphrase.encode())


def acting_as(actor: str, keys: Path) -> tuple[Actor, KeyStore]:
    """The person a command acts or reads as, with the keys that sign for them."""
    return parse_actor(actor), keystore_from(keys)
