"""The export's own error: raised before any bundle file is written."""

from __future__ import annotations

from pmledger.errors import PmLedgerError


class ExportError(PmLedgerError):
    """The case cannot be exported as asked; nothing of the bundle was written."""
