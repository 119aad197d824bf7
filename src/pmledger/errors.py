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


class AuthorityNotRegistered(AccessDenied):
    """The actor claims an authority level (004 §6) above the one their key was registered
    with: a level belongs to the person's signed registration, never to the caller's claim.
    Register the person's key with the level (`register_person(..., authority_level=…)`)."""


class ActorRequired(InvalidInput):
    """A read of case content was asked for without naming who reads: every read is checked
    against the case's procedure and logged under a person, so there is no anonymous read."""


class DocumentRejected(InvalidInput):
    """A document offered with an act cannot be kept as it is; nothing of the act was stored.

    Subclasses say why: `DocumentTypeNotAllowed`, `DocumentTooLarge`, `DocumentDigestMismatch`
    (a document for a disposed category is refused as `ContentDisposed`, like any content)."""


class DocumentTypeNotAllowed(DocumentRejected):
    """The document's media type is not one the ledger keeps, or its bytes are not that type."""


class DocumentTooLarge(DocumentRejected):
    """The document is over the ledger's size limit (`Ledger.open(document_limit=...)`)."""


class DocumentDigestMismatch(DocumentRejected):
    """The bytes offered are not the document the act names: their SHA-256 or size differs."""


class DocumentUnavailable(PmLedgerError, LookupError):
    """A document a record names cannot be read: its category was disposed (its key destroyed),
    or it is not in this ledger."""
