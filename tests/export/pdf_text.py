"""Reading a bundle.pdf back the way a reader's software does (pypdf)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int
    level: int


@dataclass(frozen=True)
class ReadPdf:
    pages: list[str]
    outline: list[OutlineEntry]
    metadata: dict[str, str]

    def page_of(self, title: str) -> int:
        return next(entry.page for entry in self.outline if entry.title == title)

    def index_pages(self) -> dict[str, int]:
        """Section → page as printed on the index page (page 2)."""
        return {
            m.group(1).strip(): int(m.group(2))
            for m in re.finditer(r"^([A-Za-z ]+)\n\s*(\d+)$", self.pages[1], flags=re.MULTILINE)
        }


def read_pdf(path: Path) -> ReadPdf:
    reader = PdfReader(path)
    outline: list[OutlineEntry] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item) + 1
                outline.append(OutlineEntry(str(item.title), page, level))

    walk(list(reader.outline), 0)
    metadata = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    return ReadPdf([page.extract_text() for page in reader.pages], outline, metadata)
