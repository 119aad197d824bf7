"""Procedure pack files: a procedure version as data, its loader, validator and variants."""

from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.packfile.loader import (
    LoadedPack,
    load_pack_file,
    loads_pack_file,
    shipped_pack,
    shipped_packs,
)
from pmledger.policies.packfile.model import PackFile

__all__ = [
    "LoadedPack",
    "PackFile",
    "PackFileError",
    "load_pack_file",
    "loads_pack_file",
    "shipped_pack",
    "shipped_packs",
]
