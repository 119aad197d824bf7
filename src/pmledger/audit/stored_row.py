"""A stored event as the database holds it, before anything is trusted or decoded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredRow:
    position: int
    aggregate_id: str
    version: int
    topic: str
    state: bytes
