"""Every pack shipped with pmledger, found by scanning `pmledger.policies.packs`, and the
schools' own variants registered from their pack files.

Each module there exports `PACK` (the current version) and may export `OLDER` (earlier
versions still needed to re-judge history recorded under them). A school's variant is not
stored in the ledger: every event records the SHA-256 of the pack file that judged it, and
`verify` holds that digest to the file registered here, so a variant's file that changed (or
is missing) is reported, and the school keeps its file beside its ledger like its schedule.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from os import PathLike

from pmledger.errors import InvalidInput
from pmledger.events.signed_event import PackRef
from pmledger.policies import packs
from pmledger.policies.pack import PolicyPack
from pmledger.policies.packfile import LoadedPack, PackFileError, load_pack_file
from pmledger.policies.packfile.binding import build_variant

_REGISTERED: dict[tuple[str, str], PolicyPack] = {}
_FILES: dict[tuple[str, str], LoadedPack] = {}
"""The file each registered variant was read from (for `pmledger pack`)."""


@cache
def _all() -> dict[tuple[str, str], PolicyPack]:
    found: dict[tuple[str, str], PolicyPack] = {}
    for info in pkgutil.iter_modules(packs.__path__):
        module = importlib.import_module(f"{packs.__name__}.{info.name}")
        for pack in (module.PACK, *getattr(module, "OLDER", ())):
            found[(pack.id, pack.version)] = pack
    for pack in list(found.values()):
        _add_superseded(found, pack)
    return found


def _add_superseded(found: dict[tuple[str, str], PolicyPack], pack: PolicyPack) -> None:
    """A version whose content a newer one supersedes is read by the newer one: its events
    were judged the way the newer file's `[[supersedes]]` entry says."""
    for old in pack.supersedes:
        found.setdefault((pack.id, old.version), pack)


def register_pack_file(path: str | PathLike[str]) -> PolicyPack:
    """Judge cases under a school's variant of a shipped pack, read from its pack file.

    Registering the same content again is harmless; other content under an id and version
    already known is refused, since events recorded under that version were judged by the first.
    """
    loaded, pack = check_pack_file(path)
    key = (pack.id, pack.version)
    if key not in _all() and key not in _REGISTERED:
        _REGISTERED[key] = pack
        _FILES[key] = loaded
        _add_superseded(_REGISTERED, pack)
        _newest.cache_clear()
    return pack


def check_pack_file(path: str | PathLike[str]) -> tuple[LoadedPack, PolicyPack]:
    """The pack a school's file describes, fully checked but not registered: the file loads,
    it extends a shipped pack whose Python can read it, and its id and version are new (or
    already known with exactly this content)."""
    loaded = load_pack_file(path)
    return loaded, _pack_of(loaded)


def _pack_of(loaded: LoadedPack) -> PolicyPack:
    data = loaded.file
    key = (data.id, data.version)
    if data.extends is None:
        shipped = _all().get(key)
        if shipped is not None and shipped.digest == loaded.digest:
            return shipped
        raise PackFileError(
            [
                "has no extends: a school's pack extends a shipped one (a new procedure needs its "
                'rules first); add extends = "<pack id>@<version>"'
            ],
            origin=loaded.origin,
        )
    known = _REGISTERED.get(key) or _all().get(key)
    if known is not None:
        if known.digest == loaded.digest:
            return known
        raise PackFileError(
            [
                f"{data.id}@{data.version} is already known with other content; give the changed "
                "file a new version, so records judged under the old one keep their rules"
            ],
            origin=loaded.origin,
        )
    return build_variant(loaded)


def find_pack(pack_id: str, version: str) -> PolicyPack | None:
    """A shipped or registered pack version, if known."""
    return _REGISTERED.get((pack_id, version)) or _all().get((pack_id, version))


def registered_pack_files() -> list[LoadedPack]:
    """The files of the variants registered in this process, in id and version order."""
    return [_FILES[key] for key in sorted(_FILES)]


def pack_digest(pack_id: str, version: str) -> str | None:
    """The content digest of the pack file in force for a version, None if none is known (a
    version only superseded has no file of its own)."""
    pack = find_pack(pack_id, version)
    return pack.digest if pack is not None and pack.version == version and pack.digest else None


def pack_superseded(pack_id: str, version: str, digest: str) -> str | None:
    """Why events judged under ``digest`` as ``id@version`` are read by a newer version, if
    the newer version's file lists that content as superseded; None if none does."""
    pack = find_pack(pack_id, version)
    if pack is None:
        return None
    for old in pack.supersedes:
        if old.version == version and old.digest == digest:
            return (
                f"{pack_id}@{version} (content {digest[:12]}…) is superseded by "
                f"{pack.id}@{pack.version}, which reads its records: {old.why}"
            )
    return None


def current_packs() -> dict[str, PolicyPack]:
    """The newest version of every pack, by id."""
    return dict(_newest())


@cache
def _newest() -> dict[str, PolicyPack]:
    """Sorted once: every recorded act asks for its case's current pack."""
    newest: dict[str, PolicyPack] = {}
    for (pack_id, _), pack in sorted({**_all(), **_REGISTERED}.items()):
        newest[pack_id] = pack
    return newest


def current_pack(pack_id: str) -> PolicyPack:
    pack = _newest().get(pack_id)
    if pack is None:
        raise InvalidInput(
            f"unknown procedure pack {pack_id!r}; known packs: {', '.join(sorted(current_packs()))}"
        )
    return pack


def pack_for(ref: PackRef) -> PolicyPack:
    """The exact pack version an event was judged under."""
    pack = _REGISTERED.get((ref.id, ref.version)) or _all().get((ref.id, ref.version))
    if pack is None:
        raise InvalidInput(f"pack {ref.id} version {ref.version} is not shipped with pmledger")
    return pack
