"""Which pack file a pack's Python reads its data from, and building a variant's pack.

A pack's Python (its named checks and its stage machine) reads every time limit, limit, warning
length and stage word from its pack file: each module says ``DATA = pack_data(__package__)``.
The shipped package reads its shipped file. A school's variant is built by executing the same
package again under a private module name with the variant's file bound to that name, so its
rules are built from the variant's entries and its checks read the variant's data, and nothing
the shipped pack holds (or any event already judged by it) changes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path

from pmledger.policies.pack import PolicyPack
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.packfile.loader import LoadedPack, shipped_packs
from pmledger.policies.packfile.model import PackFile

_BOUND: dict[str, LoadedPack] = {}
"""A variant's private package name → the file its modules read."""


def pack_data(package: str | None) -> PackFile:
    """The pack file the Python pack ``package`` (a module's ``__package__``) reads."""
    return loaded_for(package).file


def loaded_for(package: str | None) -> LoadedPack:
    if package in _BOUND:
        return _BOUND[package]
    found = _shipped_by_package().get(package or "")
    if found is None:
        raise PackFileError(
            [f"no shipped pack file names python = {package!r}; add one under packs/"],
            origin=str(package),
        )
    return found


@cache
def _shipped_by_package() -> dict[str, LoadedPack]:
    found: dict[str, LoadedPack] = {}
    for loaded in shipped_packs():
        if loaded.file.python in found:
            other = found[loaded.file.python].origin
            raise PackFileError(
                [f"python = {loaded.file.python!r} is also named by {other}; one file per package"],
                origin=loaded.origin,
            )
        found[loaded.file.python] = loaded
    return found


def build_variant(loaded: LoadedPack) -> PolicyPack:
    """The pack a variant file describes: its parent's Python constructed from its data."""
    package = loaded.file.python
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None or not spec.submodule_search_locations:
        raise PackFileError(
            [f"python = {package!r} is not a package pmledger has; check the pack it extends"],
            origin=loaded.origin,
        )
    folder = Path(spec.origin).parent
    absolute = [
        module.name
        for module in sorted(folder.glob("*.py"))
        if re.search(rf"^from {re.escape(package)}[. ]", module.read_text("utf-8"), re.M)
    ]
    if absolute:
        raise PackFileError(
            [
                f"{loaded.file.extends} cannot be extended yet: its Python ({', '.join(absolute)}) "
                "imports its own modules by absolute name, so a variant's data would not reach "
                "them; extend another pack or ask for this one to be converted"
            ],
            origin=loaded.origin,
        )
    name = f"_pmledger_pack_{loaded.digest[:16]}"
    existing = sys.modules.get(name)
    if existing is None:
        private = importlib.util.spec_from_file_location(
            name, spec.origin, submodule_search_locations=[str(folder)]
        )
        assert private is not None
        assert private.loader is not None
        existing = importlib.util.module_from_spec(private)
        _BOUND[name] = loaded
        sys.modules[name] = existing
        try:
            private.loader.exec_module(existing)
        except BaseException:
            del sys.modules[name]
            raise
    pack = existing.PACK
    assert isinstance(pack, PolicyPack)
    return pack
