"""Reading and rewriting bundle.zip members, as someone tampering with a bundle would."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pmledger.canonical import sha256_hex
from pmledger.export.manifest import MANIFEST, Manifest, MemberDigest
from pmledger.export.zip_container import CanonicalZipWriter


def member_contents(path: Path) -> dict[str, bytes]:
    """Every member in archive order, read with the standard library's zip reader."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path: Path, members: dict[str, bytes]) -> None:
    with path.open("wb") as out:
        writer = CanonicalZipWriter(out)
        for name, data in members.items():
            writer.add(name, data)
        writer.close()


def resealed(members: dict[str, bytes]) -> dict[str, bytes]:
    """The members with a manifest rewritten to match them: digests, sizes and seal."""
    manifest = Manifest.model_validate_json(members[MANIFEST])
    listed = tuple(
        MemberDigest(name=name, size=len(data), sha256=sha256_hex(data))
        for name, data in members.items()
        if name != MANIFEST
    )
    updated = manifest.model_copy(update={"members": listed})
    sealed = updated.model_copy(update={"seal": updated.expected_seal()})
    out = {name: data for name, data in members.items() if name != MANIFEST}
    out[MANIFEST] = sealed.encode()
    return out
