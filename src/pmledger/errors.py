"""Typed errors a back-office developer can act on.

Every error says what was wrong and what to do; none of them is raised after anything has
been written, so catching one never leaves a half-recorded act behind.
"""

from __future__ import annotations


class PmLedgerError(Exception):
    """Base of every error pmledger raises on purpose."""


class InvalidInput(PmLedgerError, ValueError):
    """A command or file did not have the shape pmledger expects."""


class UnknownEmployee(PmLedgerError, LookupError):
    """An act names an employee whose case has not been opened in this ledger."""


class CaseAlreadyOpen(PmLedgerError):
    """A second case was opened for an employee who already has one."""


class UnknownKey(PmLedgerError, LookupError):
    """An actor has no registered, currently valid signing key."""


class KeyStoreError(PmLedgerError):
    """The private-key store could not produce a key (missing file, wrong passphrase)."""


class ConcurrencyConflict(PmLedgerError):
    """Another writer changed the case between load and save; nothing of ours was stored."""


class ActRefused(PmLedgerError):
    """The act breaks a hard rule of the case's procedure and was not recorded."""


class ContentDisposed(ActRefused, ValueError):
    """Personal content was offered for a record category whose data key a purge destroyed:
    nothing new may join disposed content, so the act is refused and nothing is stored."""


class StorageError(PmLedgerError):
    """The database could not be opened or read."""


class LedgerNotFound(StorageError, LookupError):
    """The path or DSN holds no ledger (a mistyped address, most often); nothing was created
    there. A new ledger is made only on purpose: `pmledger init` or
    `Ledger.open(..., create=True)`."""


class ConnectionFailed(StorageError):
    """The database server could not be reached, or would not let pmledger in; nothing was
    read or written. The subclasses say which, so an operator knows what to fix."""


class DatabaseMissing(ConnectionFailed, LedgerNotFound):
    """The server answered, but the database the DSN names does not exist on it."""


class ConnectionRefused(ConnectionFailed):
    """Nothing accepted the connection at that host and port (or socket), or it timed out."""


class AuthenticationFailed(ConnectionFailed):
    """The server refused the user: wrong password, or no pg_hba.conf entry allows them."""


class TLSFailed(ConnectionFailed):
    """TLS was required and could not be had: the server offers none where `sslmode` asks
    for it, the server requires it where the DSN disables it, or its certificate did not
    verify against `sslrootcert`."""


class BatchRejected(PmLedgerError):
    """One act of a batch failed; nothing of the batch was stored.

    `index` is the 0-based position of the failing act; `cause` is its own typed error.
    """

    def __init__(self, index: int, cause: PmLedgerError) -> None:
        super().__init__(f"act {index + 1} of the batch: {cause}")
        self.index = index
        self.cause = cause


class AccessDenied(PmLedgerError, PermissionError):
    """The acting person may not do this to this case; the refusal is in the access log."""


class ActorRequired(InvalidInput):
    """A read of case content was asked for without naming who reads: every read is checked
    against the case's procedure and logged under a person, so there is no anonymous read."""
