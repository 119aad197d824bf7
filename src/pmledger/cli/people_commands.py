"""`pmledger people …` and `pmledger keys …`: who may sign, in which roles, with which key.

People are registered by HR or an administrator (`--actor`), whose key signs the keyring
entry. A new person's private key is generated into `--new-keys` (default: `--keys`): give
each person their own folder and passphrase in a real deployment. Key files are named by
key id; `pmledger keys list` says whose each one is, from the keyring.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal, cast

import typer

from pmledger.aggregates.keyring import KeyRecord
from pmledger.cli.options import (
    PASSPHRASE_ENV,
    READ_FAILURES,
    ActorOption,
    DbOption,
    JsonOption,
    KeysOption,
    acting_as,
    env,
    keystore_from,
    read_failure,
)
from pmledger.cli.output import console, fail, print_json, say, show_table
from pmledger.errors import AccessDenied, KeyStoreError
from pmledger.events.actors import Role
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore, key_file_name
from pmledger.ledger.facade import Ledger
from pmledger.projections.people import PersonDetails

EXIT_USAGE = 2
NEW_PASSPHRASE_ENV = "PMLEDGER_NEW_KEY_PASSPHRASE"

people_app = typer.Typer(help="People: their roles, schools and directory entries.",
                         no_args_is_help=True)  # fmt: skip
keys_app = typer.Typer(help="Signing keys: list, rotate, revoke.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")
    app.add_typer(keys_app, name="keys")


PersonArgument = Annotated[str, typer.Argument(help="The person's id, e.g. ht-whitfield.")]
RolesOption = Annotated[
    list[Role],
    typer.Option("--role", envvar=env("role"), help="A role the person holds; repeat for several."),
]
SchoolsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--school",
        envvar=env("school"),
        help="A school the person works at (school roles count only there); repeat for "
        "several; none for trust-wide roles (HR, DPO, administrators).",
    ),
]
LevelOption = Annotated[
    int | None,
    typer.Option(
        "--level",
        envvar=env("level"),
        min=1,
        max=2,
        help="Authority level the school gave them under the Improving Performance Policy "
        "(004 §6): 1 or 2. Acts may claim it, never more.",
    ),
]
NewKeysOption = Annotated[
    Path | None,
    typer.Option(
        "--new-keys",
        envvar=env("new_keys"),
        help=f"Folder for the new private key (default: --keys), encrypted with "
        f"${NEW_PASSPHRASE_ENV} (default: ${PASSPHRASE_ENV}).",
    ),
]


class _NewKeysApart:
    """Signs with the acting person's keys and generates the new key in its own folder, so
    registering someone never puts their private key beside the registrar's."""

    def __init__(self, signer: KeyStore, new: KeyStore) -> None:
        self._signer = signer
        self._new = new

    def generate(self) -> tuple[str, bytes]:
        return self._new.generate()

    def has(self, key_id: str) -> bool:
        return self._signer.has(key_id) or self._new.has(key_id)

    def sign(self, key_id: str, message: bytes) -> bytes:
        store = self._signer if self._signer.has(key_id) else self._new
        return store.sign(key_id, message)


def _stores(keys: Path, new_keys: Path | None) -> KeyStore:
    signer = keystore_from(keys)
    if new_keys is None or new_keys == keys:
        return signer
    passphrase = os.environ.get(NEW_PASSPHRASE_ENV) or os.environ.get(PASSPHRASE_ENV, "")
    if not passphrase:
        raise KeyStoreError(f"set {NEW_PASSPHRASE_ENV} for the new key in {new_keys}")
    return _NewKeysApart(signer, EncryptedFileKeyStore(new_keys, passphrase.encode()))


def _key_folder(keys: Path, new_keys: Path | None) -> Path:
    return new_keys or keys


def _level(level: int | None) -> Literal[1, 2] | None:
    """--level as the ledger types it (typer has already held it to 1..2)."""
    return cast(Literal[1, 2] | None, level)


@people_app.command("add")
def add(
    person: PersonArgument,
    roles: RolesOption,
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    schools: SchoolsOption = None,
    level: LevelOption = None,
    name: Annotated[
        str | None, typer.Option(envvar=env("name"), help="Full name, for the directory.")
    ] = None,
    job_title: Annotated[
        str | None, typer.Option(envvar=env("job_title"), help="Job title, for the directory.")
    ] = None,
    salutation: Annotated[
        str | None,
        typer.Option(envvar=env("salutation"), help='How letters greet them ("Dear Ms Grant").'),
    ] = None,
    new_keys: NewKeysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a person with a new signing key (and, with --name and --job-title, their
    directory entry), as HR or an administrator."""
    try:
        by, _ = acting_as(actor, keys)
        with Ledger.open(db, keystore=_stores(keys, new_keys)) as ledger:
            key_id = ledger.register_person(
                person, tuple(roles), by=by, schools=tuple(schools or ()),
                authority_level=_level(level), name=name, job_title=job_title,
                salutation=salutation,
            )  # fmt: skip
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    _report_key(person, key_id, _key_folder(keys, new_keys), "registered", as_json)


@people_app.command("roles")
def roles_command(
    person: PersonArgument,
    roles: RolesOption,
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    schools: SchoolsOption = None,
    new_keys: NewKeysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change the roles (and with --school, the schools) a person holds: a new key with the
    new roles replaces their current key in one signed write, so what they could do before
    stays provable."""
    try:
        by, _ = acting_as(actor, keys)
        with Ledger.open(db, keystore=_stores(keys, new_keys)) as ledger:
            key_id = ledger.rotate_key(
                person, by=by, reason=f"roles changed to {', '.join(r.value for r in roles)}",
                roles=tuple(roles), schools=None if schools is None else tuple(schools),
            )  # fmt: skip
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    _report_key(person, key_id, _key_folder(keys, new_keys), "new roles on", as_json)


@people_app.command("authority")
def authority(
    person: PersonArgument,
    level: Annotated[
        int,
        typer.Option(
            "--level",
            envvar=env("level"),
            min=1,
            max=2,
            help="The authority level the school now gives them (004 §6): 1 or 2.",
        ),
    ],
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    new_keys: NewKeysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set the authority level a person may act at under the Improving Performance Policy
    (004 §6): a new key carrying the level replaces their current one (roles and schools
    kept) in one signed write, so which level they held when they acted stays provable."""
    try:
        by, _ = acting_as(actor, keys)
        with Ledger.open(db, keystore=_stores(keys, new_keys)) as ledger:
            key_id = ledger.rotate_key(
                person, by=by, reason=f"authority level set to {level}",
                authority_level=_level(level),
            )  # fmt: skip
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    _report_key(person, key_id, _key_folder(keys, new_keys), f"level {level} for", as_json)


@people_app.command("list")
def list_people(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_json: JsonOption = False,
) -> None:
    """Everyone with a valid key now: roles, schools, since when; and, for HR, administrators
    and the DPO, their name and job title from the directory (each entry read is logged)."""
    try:
        who, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger:
            now = ledger.now()
            keyring = ledger.keyring()
            reader = ledger.reader(who, now.date())
            people: list[tuple[KeyRecord, PersonDetails | None, int]] = []
            for person_id, records in sorted(keyring.by_person.items()):
                current = keyring.signing_key_for(person_id, now)
                if current is None:
                    continue
                try:
                    details: PersonDetails | None = reader.person(person_id)
                except AccessDenied:
                    details = None
                people.append((current, details, len(records)))
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(
            [
                {
                    "person": key.person_id,
                    "name": details and details.name,
                    "job_title": details and details.job_title,
                    "roles": [r.value for r in key.roles],
                    "schools": list(key.schools),
                    "authority_level": key.authority_level,
                    "key_id": key.key_id,
                    "since": key.valid_from.isoformat(),
                    "keys_ever": count,
                }
                for key, details, count in people
            ]
        )
        return
    show_table(
        console(),
        f"People with a valid key on {now:%Y-%m-%d}",
        ("Person", "Name", "Job title", "Roles", "Schools", "Level", "Since"),
        [
            (
                key.person_id,
                (details and details.name) or "",
                (details and details.job_title) or "",
                ", ".join(r.value for r in key.roles),
                ", ".join(key.schools) or "all",
                str(key.authority_level or ""),
                f"{key.valid_from:%Y-%m-%d}",
            )
            for key, details, _ in people
        ],
    )


def _report_key(person: str, key_id: str, folder: Path, what: str, as_json: bool) -> None:
    path = folder / key_file_name(key_id)
    if as_json:
        print_json({"ok": True, "person": person, "key_id": key_id, "key_file": str(path)})
    else:
        say(console(), "[green]{}[/] {}: key {} in {}", what, person, key_id, path)


@keys_app.command("list")
def list_keys(
    db: DbOption,
    keys: Annotated[
        Path | None,
        typer.Option(
            "--keys",
            envvar=env("keys"),
            help="A folder of key files: shows which key each file holds and whose it is.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every key in the ledger's keyring (public: no passphrase needed): whose it is, its
    roles and schools, valid from and until, and its file in --keys if there."""
    try:
        with Ledger.open(db) as ledger:
            keyring = ledger.keyring()
            records = sorted(keyring.keys.values(), key=lambda k: (k.person_id, k.valid_from))
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)

    def file_of(key: KeyRecord) -> Path | None:
        file = None if keys is None else keys / key_file_name(key.key_id)
        return file if file is not None and file.exists() else None

    if as_json:
        print_json(
            [
                {
                    "person": k.person_id,
                    "key_id": k.key_id,
                    "roles": [r.value for r in k.roles],
                    "schools": list(k.schools),
                    "valid_from": k.valid_from.isoformat(),
                    "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                    "file": str(file_of(k) or "") or None,
                }
                for k in records
            ]
        )
        return
    show_table(
        console(),
        (f"Ledger of {keyring.organisation}: k" if keyring.organisation else "K")
        + "eys in the keyring"
        + (f" (files in {keys})" if keys else ""),
        ("Person", "Key", "Roles", "Valid from", "Revoked", "File"),
        [
            (
                k.person_id,
                k.key_id,
                ", ".join(r.value for r in k.roles),
                f"{k.valid_from:%Y-%m-%d %H:%M}",
                f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
                file.name if (file := file_of(k)) else "",
            )
            for k in records
        ],
    )


@keys_app.command("rotate")
def rotate(
    person: PersonArgument,
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    reason: Annotated[
        str, typer.Option(envvar=env("reason"), help="Why, for the keyring.")
    ] = "scheduled rotation",
    new_keys: NewKeysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Give a person a new key and revoke their current one, in one signed write (HR or an
    administrator)."""
    try:
        by, _ = acting_as(actor, keys)
        with Ledger.open(db, keystore=_stores(keys, new_keys)) as ledger:
            key_id = ledger.rotate_key(person, by=by, reason=reason)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    _report_key(person, key_id, _key_folder(keys, new_keys), "rotated", as_json)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id, ed25519:<32 hex> (keys list).")],
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    reason: Annotated[str, typer.Option(envvar=env("reason"), help="Why, for the keyring.")],
    at: Annotated[
        datetime | None,
        typer.Option(
            envvar=env("at"),
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"],
            help="When the key stopped being trustworthy (e.g. when it was lost); default: now.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a key (lost, compromised, the person left), as HR or an administrator; what it
    signed before `--at` still verifies."""
    try:
        by, keystore = acting_as(actor, keys)
        when = None if at is None else at if at.tzinfo else at.astimezone()
        with Ledger.open(db, keystore=keystore) as ledger:
            ledger.revoke_key(key_id, reason=reason, by=by, at=when)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json({"ok": True, "key_id": key_id, "revoked_at": when and when.isoformat()})
    else:
        say(console(), "[green]revoked[/] {}", key_id)
