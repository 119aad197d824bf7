"""Every pack shipped with pmledger, found by scanning `pmledger.policies.packs`.

Each module there exports `PACK` (the current version) and may export `OLDER` (earlier
versions still needed to re-judge history recorded under them).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from pmledger.errors import InvalidInput
from pmledger.events.signed_event import PackRef
from pmledger.policies import packs
from pmledger.policies.pack import PolicyPack


@cache
def _all() -> dict[tuple[str, str], PolicyPack]:
    found: dict[tuple[str, str], PolicyPack] = {}
    for info in pkgutil.iter_modules(packs.__path__):
        module = importlib.import_module(f"{packs.__name__}.{info.name}")
        for pack in (module.PACK, *getattr(module, "OLDER", ())):
            found[(pack.id, pack.version)] = pack
    return found


def current_packs() -> dict[str, PolicyPack]:
    """The newest version of every pack, by id."""
    return dict(_newest())


@cache
def _newest() -> dict[str, PolicyPack]:
    """Sorted once: every recorded act asks for its case's current pack."""
    newest: dict[str, PolicyPack] = {}
    for (pack_id, _), pack in sorted(_all().items()):
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
    pack = _all().get((ref.id, ref.version))
    if pack is None:
        raise InvalidInput(f"pack {ref.id} version {ref.version} is not shipped with pmledger")
    return pack
