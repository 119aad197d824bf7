"""Put each document's pages onto the placeholder pages the bundle laid out for them, with
memory that does not grow with the number of documents.

The laid-out bundle is written out unchanged and the documents follow it as one PDF
*incremental update* (ISO 32000-1 §7.5.6): each document page becomes a form XObject drawn
beneath its placeholder's header, caption and page number, scaled to fit the space between
them and centred (never enlarged, never re-rendered, so its text stays searchable), and each
placeholder page object is written again under its own object number with that drawing added.
Because every page keeps its object number, the bundle's outline, named destinations and index
links still land where they did, and pagination is untouched.

Only one document is open at a time and its objects are written as soon as they are copied:
what is held across documents is one file offset per written object. (pypdf's `PdfWriter`
would hold every page of every document until it writes, which grew the export's memory by
about 1 MiB per ten-page document.)
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import BinaryIO, cast

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)
from reportlab.lib.pagesizes import A4

from pmledger.export.pdf.document import PageMap
from pmledger.export.pdf.document_pages import Pages
from pmledger.export.pdf.documents_section import CAPTION_HEIGHT
from pmledger.export.pdf.styles import PAGE_MARGIN

BODY = (PAGE_MARGIN, PAGE_MARGIN + 2, A4[0] - PAGE_MARGIN, A4[1] - PAGE_MARGIN - 4 - CAPTION_HEIGHT)
"""(left, bottom, right, top) of the room a document page is drawn into."""

FORM = b"/PmledgerDocumentPage"
"""The name the placeholder's resources give the document page drawn on it."""


def merge_documents(bundle: bytes, documents: list[Pages], pages: PageMap, out: BinaryIO) -> None:
    """Write `bundle` to `out`, then every document's pages onto their placeholders."""
    out.write(bundle)
    if not any(d.pdf for d in documents):
        return
    laid_out = PdfReader(BytesIO(bundle))
    update = _Update(out, next_number=cast(int, laid_out.trailer["/Size"]), base=len(bundle))
    for document in documents:
        if document.pdf is None:
            continue
        first = pages.number(document.document.anchor)
        assert first > 0, f"{document.document.label} was not placed"
        source = PdfReader(document.pdf)
        copier = _Copier(update)
        for offset, page in enumerate(source.pages):
            placeholder = laid_out.pages[first - 1 + offset]
            _draw_into(update, copier, placeholder, page)
    update.finish(laid_out, _startxref(bundle))


@dataclass
class _Update:
    """The incremental update being written: object offsets, and the next free number."""

    out: BinaryIO
    next_number: int
    base: int
    """Bytes before the update (the laid-out bundle), so offsets are from the file's start."""
    offsets: dict[int, int] = field(default_factory=dict)
    written: int = 0

    def new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def write_object(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.base + self.written
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.written += len(data)

    def finish(self, laid_out: PdfReader, previous_xref: int) -> None:
        """The cross-reference section for what was written, and a trailer pointing back to
        the bundle's own (`/Prev`), so a reader sees the update over the original."""
        where = self.base + self.written
        table = [b"xref\n"]
        for start, numbers in _runs(sorted(self.offsets)):
            table.append(b"%d %d\n" % (start, len(numbers)))
            table += [b"%010d 00000 n\r\n" % self.offsets[n] for n in numbers]
        trailer = laid_out.trailer
        entries = [b"/Size %d" % self.next_number, b"/Prev %d" % previous_xref]
        for key in ("/Root", "/Info"):
            value = trailer.raw_get(key) if key in trailer else None
            if value is not None:
                entries.append(key.encode() + b" " + _serialise(value, None))
        if "/ID" in trailer:
            entries.append(b"/ID " + _serialise(trailer["/ID"], None))
        table.append(b"trailer\n<< " + b" ".join(entries) + b" >>\n")
        table.append(b"startxref\n%d\n%%%%EOF\n" % where)
        self._emit(b"".join(table))


class _Copier:
    """Copies objects of one source document into the update under new numbers, each once."""

    def __init__(self, update: _Update) -> None:
        self.update = update
        self.numbers: dict[int, int] = {}

    def reference(self, ref: IndirectObject) -> int:
        number = self.numbers.get(ref.idnum)
        if number is None:
            number = self.numbers[ref.idnum] = self.update.new_number()
            target = ref.get_object()
            body = b"null" if target is None else _serialise(target, self)
            self.update.write_object(number, body)
        return number


def _draw_into(update: _Update, copier: _Copier, placeholder: PageObject, page: PageObject) -> None:
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    form = update.new_number()
    update.write_object(form, _form(page, copier, (left, bottom, width, height)))
    rotation = (page.rotation or 0) % 360
    shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)
    room_left, room_bottom, room_right, room_top = BODY
    scale = min((room_right - room_left) / shown_w, (room_top - room_bottom) / shown_h, 1.0)
    x = room_left + ((room_right - room_left) - shown_w * scale) / 2
    y = room_top - shown_h * scale
    a, b, c, d, e, f = _upright(rotation, left, bottom, width, height)
    matrix = (a * scale, b * scale, c * scale, d * scale, e * scale + x, f * scale + y)
    drawing = b"q %s cm %s Do Q\n" % (
        " ".join(_number(v) for v in matrix).encode(),
        FORM,
    )
    stream = update.new_number()
    update.write_object(stream, _stream_body([], drawing))
    where = placeholder.indirect_reference
    assert where is not None, "a page read from a file has an object number"
    update.write_object(where.idnum, _placeholder(placeholder, stream, form))


def _upright(
    rotation: int, left: float, bottom: float, width: float, height: float
) -> tuple[float, float, float, float, float, float]:
    """The matrix that moves a page's visible box to the origin turned as a viewer shows it
    (`/Rotate` is clockwise)."""
    if rotation == 90:
        return (0, -1, 1, 0, -bottom, left + width)
    if rotation == 180:
        return (-1, 0, 0, -1, left + width, bottom + height)
    if rotation == 270:
        return (0, 1, -1, 0, bottom + height, -left)
    return (1, 0, 0, 1, -left, -bottom)


def _form(page: PageObject, copier: _Copier, box: tuple[float, float, float, float]) -> bytes:
    """The document page as a form XObject: its content, its resources (copied), its box."""
    left, bottom, width, height = box
    corners = " ".join(_number(v) for v in (left, bottom, left + width, bottom + height))
    entries = [b"/Type /XObject /Subtype /Form", b"/BBox [" + corners.encode() + b"]"]
    if "/Resources" in page:
        entries.append(b"/Resources " + _serialise(page.raw_get("/Resources"), copier))
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    entries.append(b"/Filter /FlateDecode")
    return _stream_body(entries, zlib.compress(data))


def _placeholder(placeholder: PageObject, stream: int, form: int) -> bytes:
    """The placeholder page again: the document drawn first, then its own content on top."""
    entries = [
        key.encode() + b" " + _serialise(placeholder.raw_get(key), None)
        for key in placeholder
        if key not in ("/Contents", "/Resources")
    ]
    own = placeholder.raw_get("/Contents")
    drawn = [b"%d 0 R" % stream]
    drawn += [_serialise(r, None) for r in (own if isinstance(own, ArrayObject) else [own])]
    entries.append(b"/Contents [" + b" ".join(drawn) + b"]")
    resources = placeholder.get("/Resources")
    held = resources.get_object() if resources is not None else DictionaryObject()
    kinds = [
        key.encode() + b" " + _serialise(held.raw_get(key), None)
        for key in held
        if key != "/XObject"
    ]
    xobjects = [FORM + b" %d 0 R" % form]
    if "/XObject" in held:
        named = cast(DictionaryObject, held["/XObject"].get_object())
        xobjects += [name.encode() + b" " + _serialise(named.raw_get(name), None) for name in named]
    kinds.append(b"/XObject << " + b" ".join(xobjects) + b" >>")
    entries.append(b"/Resources << " + b" ".join(kinds) + b" >>")
    return b"<< " + b" ".join(entries) + b" >>"


def _serialise(obj: PdfObject, copier: _Copier | None) -> bytes:
    """PDF syntax for `obj`, with each indirect reference renumbered by `copier` (copying
    what it names) or, without one, kept as it is (a reference within the bundle)."""
    if isinstance(obj, IndirectObject):
        if copier is None:
            return b"%d %d R" % (obj.idnum, obj.generation)
        return b"%d 0 R" % copier.reference(obj)
    if isinstance(obj, StreamObject):
        # A stream is copied as stored (still encoded), with its own filters.
        entries = [
            key.encode() + b" " + _serialise(obj.raw_get(key), copier)
            for key in obj
            if key != "/Length"
        ]
        return _stream_body(entries, obj._data)
    if isinstance(obj, DictionaryObject):
        inner = [key.encode() + b" " + _serialise(obj.raw_get(key), copier) for key in obj]
        return b"<< " + b" ".join(inner) + b" >>"
    if isinstance(obj, ArrayObject):
        return b"[" + b" ".join(_serialise(item, copier) for item in obj) + b"]"
    buffer = BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def _stream_body(entries: list[bytes], data: bytes) -> bytes:
    head = b" ".join([*entries, b"/Length %d" % len(data)])
    return b"<< " + head + b" >>\nstream\n" + data + b"\nendstream"


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _runs(numbers: list[int]) -> Iterator[tuple[int, list[int]]]:
    """Consecutive object numbers grouped, as cross-reference subsections are."""
    run: list[int] = []
    for number in numbers:
        if run and number != run[-1] + 1:
            yield run[0], run
            run = []
        run.append(number)
    if run:
        yield run[0], run


def _startxref(pdf: bytes) -> int:
    found = re.findall(rb"startxref\s+(\d+)", pdf[-1024:])
    if not found:
        raise ValueError("the laid-out bundle has no startxref")
    return int(found[-1])
