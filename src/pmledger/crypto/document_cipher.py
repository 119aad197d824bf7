"""Documents encrypted chunk by chunk under the case's category key.

Each chunk is sealed on its own (AES-GCM, fresh nonce) with the case, category, digest, chunk
number and whether it is the last bound in as associated data: a chunk moved to another
document, reordered, or a document cut short all fail to open, and the whole document is never
in memory at once on either side. Destroying the category key (a purge) makes every chunk
unreadable while the signed digest in the record still names what was there.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK_SIZE = 1 << 20
"""1 MiB: a 25 MB document is 25 rows, and memory stays at a chunk or two however large it is."""


class ChunkDamaged(Exception):
    """A chunk did not open with its key: changed, moved, reordered or cut short."""


def _aad(case_id: str, category: str, sha256: str, seq: int, last: bool) -> bytes:
    return (
        f"pmledger-document\x1f{case_id}\x1f{category}\x1f{sha256}\x1f{seq}\x1f{int(last)}".encode()
    )


def seal_chunk(
    key: bytes, case_id: str, category: str, sha256: str, seq: int, last: bool, plain: bytes
) -> tuple[bytes, bytes]:
    """(nonce, ciphertext) of one chunk."""
    nonce = os.urandom(12)
    return nonce, AESGCM(key).encrypt(nonce, plain, _aad(case_id, category, sha256, seq, last))


def open_chunk(
    key: bytes,
    case_id: str,
    category: str,
    sha256: str,
    seq: int,
    last: bool,
    nonce: bytes,
    ciphertext: bytes,
) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _aad(case_id, category, sha256, seq, last))
    except InvalidTag:
        raise ChunkDamaged(f"chunk {seq} of document {sha256} does not open") from None
