"""Where the pack files shipped with pmledger are: one ``<id>/<version>.toml`` per version.

They live once, in the checkout's ``packs/`` folder; the wheel force-includes that folder as
``pmledger/packs``, so an installed package and a source checkout each find the same files in
their own place (as the retention schedule does).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[4] / "packs"


def shipped_root() -> Traversable:
    """The folder of shipped pack files: the installed copy if there is one, else the checkout."""
    packaged = files("pmledger") / "packs"
    return packaged if packaged.is_dir() else _CHECKOUT


def shipped_files() -> list[Traversable]:
    """Every shipped pack file, in id then version order."""
    root = shipped_root()
    if not root.is_dir():
        return []
    found = [
        version
        for pack in root.iterdir()
        if pack.is_dir()
        for version in pack.iterdir()
        if version.name.endswith(".toml")
    ]
    return sorted(found, key=lambda f: (str(f).rsplit("/", 2)[-2], f.name))


def shipped_file(ref: str) -> Traversable | None:
    """The shipped file of ``id@version``, if pmledger ships that version."""
    pack_id, _, version = ref.partition("@")
    candidate = shipped_root() / pack_id / f"{version}.toml"
    return candidate if version and candidate.is_file() else None
