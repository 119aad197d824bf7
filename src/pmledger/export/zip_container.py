"""The bundle's zip layout: stored (uncompressed) members in one canonical byte layout.

Any zip tool opens it, and because pmledger writes every header field the same way every
time (fixed dates, attributes, versions; no compression whose bytes depend on a zlib
version), a reader can rebuild the exact bytes from the members alone. That is what lets
`verify-bundle` detect a change to *any* byte of the file, header bytes included, and name
where it was.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pmledger.export.errors import ExportError

LOCAL_SIGNATURE = b"PK\x03\x04"
CENTRAL_SIGNATURE = b"PK\x01\x02"
END_SIGNATURE = b"PK\x05\x06"

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")

_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION
"""Unix, zip 2.0: the values zip tools expect for plain stored files."""
_DOS_TIME = 0
_DOS_DATE = (1 << 5) | 1
"""1980-01-01 00:00, zip's epoch: members carry no wall-clock time."""
_FILE_ATTRIBUTES = 0o100644 << 16
_MAX_MEMBERS = 0xFFFF
_MAX_OFFSET = 0xFFFFFFFF


class ContainerDamaged(Exception):
    def __init__(self, offset: int, what: str) -> None:
        super().__init__(f"byte {offset}: {what}")
        self.offset = offset
        self.what = what


class _Sink(Protocol):
    def write(self, data: bytes, /) -> object: ...


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    what: str


@dataclass(frozen=True)
class Member:
    name: str
    header_at: int
    data_at: int
    size: int


class CanonicalZipWriter:
    """Streams members into the canonical layout; only the small central directory is kept."""

    def __init__(self, out: _Sink) -> None:
        self._out = out
        self._offset = 0
        self._central: list[tuple[str, bytes]] = []
        self.regions: list[Region] = []

    def add(self, name: str, data: bytes) -> None:
        self._header(name, len(data), zlib.crc32(data))
        self._write(data, f"the content of member {name}")

    def add_chunks(self, name: str, size: int, crc: int, chunks: Iterable[bytes]) -> None:
        """A member streamed chunk by chunk, whose size and CRC-32 the caller measured in a
        first pass: the local header precedes the content and holds both, and the canonical
        layout has no data descriptors, so a member is read twice rather than held whole."""
        self._header(name, size, crc)
        start = self._offset
        for chunk in chunks:
            self._out.write(chunk)
            self._offset += len(chunk)
        if self._offset - start != size:
            raise ExportError(f"member {name} changed while it was written; export again")
        self.regions.append(Region(start, self._offset, f"the content of member {name}"))

    def _header(self, name: str, size: int, crc: int) -> None:
        encoded = name.encode("ascii")
        if len(self._central) >= _MAX_MEMBERS or self._offset + size > _MAX_OFFSET:
            raise ExportError(
                "a bundle holds at most 65,535 members and 4 GiB; this case is larger"
            )
        header = _LOCAL.pack(
            LOCAL_SIGNATURE, _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc,
            size, size, len(encoded), 0,
        )  # fmt: skip
        entry = _CENTRAL.pack(
            CENTRAL_SIGNATURE, _MADE_BY, _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc,
            size, size, len(encoded), 0, 0, 0, 0, _FILE_ATTRIBUTES, self._offset,
        )  # fmt: skip
        self._central.append((name, entry + encoded))
        self._write(header + encoded, f"the local header of member {name}")

    def close(self) -> None:
        start = self._offset
        for name, entry in self._central:
            self._write(entry, f"the central directory entry of member {name}")
        count = len(self._central)
        end = _END.pack(END_SIGNATURE, 0, 0, count, count, self._offset - start, start, 0)
        self._write(end, "the end-of-archive record")

    def _write(self, data: bytes, what: str) -> None:
        self._out.write(data)
        self.regions.append(Region(self._offset, self._offset + len(data), what))
        self._offset += len(data)


class _Collect:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes, /) -> None:
        self.parts.append(data)


def read_members(data: bytes) -> list[Member]:
    """The members of a bundle, read from their local headers in file order.

    Only what pmledger writes is accepted (stored, no extra fields); the central directory is
    not trusted but checked afterwards, byte for byte, by `first_difference`.
    """
    members: list[Member] = []
    position = 0
    while data[position : position + 4] == LOCAL_SIGNATURE:
        if position + _LOCAL.size > len(data):
            raise ContainerDamaged(position, "a member header is cut short")
        fields = _LOCAL.unpack_from(data, position)
        method, size, name_length, extra_length = fields[3], fields[7], fields[9], fields[10]
        name_at = position + _LOCAL.size
        raw_name = data[name_at : name_at + name_length]
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError:
            raise ContainerDamaged(name_at, f"member name {raw_name!r} is not ASCII") from None
        if method != 0:
            raise ContainerDamaged(position, f"member {name} is compressed; bundles store members")
        data_at = name_at + name_length + extra_length
        if data_at + size > len(data):
            raise ContainerDamaged(
                position, f"member {name} claims {size} bytes, more than the file holds"
            )
        members.append(Member(name, position, data_at, size))
        position = data_at + size
    if not members:
        raise ContainerDamaged(0, "the file does not start with a zip member header")
    if data[position : position + 4] != CENTRAL_SIGNATURE:
        raise ContainerDamaged(
            position,
            f"after member {members[-1].name} neither another member nor the central "
            "directory follows",
        )
    return members


def first_difference(data: bytes, members: Sequence[Member]) -> Region | None:
    """Where the file departs from the canonical layout of its own members, if anywhere."""
    collected = _Collect()
    writer = CanonicalZipWriter(collected)
    for member in members:
        writer.add(member.name, data[member.data_at : member.data_at + member.size])
    writer.close()
    canonical = b"".join(collected.parts)
    if canonical == data:
        return None
    offset = next(
        (i for i, (a, b) in enumerate(zip(canonical, data, strict=False)) if a != b),
        min(len(canonical), len(data)),
    )
    if offset >= len(canonical):
        return Region(offset, len(data), "bytes after the end-of-archive record")
    return next(r for r in writer.regions if r.start <= offset < r.end)
