"""Typed errors a back-office developer can act on.

Every error says what was wrong and what to do; none of them is raised after anything has
been written, so catching one never leaves a half-recorded act behind. Each class carries
`http_status`, the status a web host should answer with (the FastAPI router uses it, and so
can any other host), and `InvalidInput` carries `details`: one `FieldError` per field that
was wrong, so a form can show each message beside its field.

    PmLedgerError (500)
    ├── InvalidInput (422)            details: FieldError per field
    │   └── ActorRequired (401)
    ├── UnknownEmployee (404)
    ├── CaseAlreadyOpen (409)
    ├── UnknownKey (403)
    ├── KeyStoreError (500)
    ├── ConcurrencyConflict (409)
    ├── ActRefused (422)
    │   └── ContentDisposed (409)
    ├── StorageError (503)
    ├── BatchRejected (the status of its cause)
    └── AccessDenied (403)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pydantic import ValidationError


class PmLedgerError(Exception):
    """Base of every error pmledger raises on purpose."""

    http_status: ClassVar[int] = 500
    """What a web host should answer: 500 here, because an error with no better status is
    the server's, not the caller's."""

    @property
    def status(self) -> int:
        """This error's HTTP status (an instance may know better than its class)."""
        return self.http_status


@dataclass(frozen=True)
class FieldError:
    """One field that was wrong: where (dotted path, e.g. `act.meeting_id`), what was wrong,
    and pydantic's error type (`missing`, `string_too_long`, …) for hosts that translate."""

    field: str
    message: str
    type: str = "value_error"


class InvalidInput(PmLedgerError, ValueError):
    """A command or file did not have the shape pmledger expects."""

    http_status: ClassVar[int] = 422

    def __init__(self, message: str, details: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.details: tuple[FieldError, ...] = tuple(details)

    @classmethod
    def from_validation(cls, exc: ValidationError, what: str) -> InvalidInput:
        """The error for a pydantic validation failure of `what` ("act", "command"…): every
        field in `details`, and the first ten in the message."""
        details = [
            FieldError(
                field=".".join(str(p) for p in error["loc"]) or what,
                message=error["msg"],
                type=error["type"],
            )
            for error in exc.errors(include_url=False)
        ]
        listed = "; ".join(f"{d.field}: {d.message}" for d in details[:10])
        return cls(f"invalid {what} — {listed}", details)


class UnknownEmployee(PmLedgerError, LookupError):
    """An act names an employee whose case has not been opened in this ledger."""

    http_status: ClassVar[int] = 404


class CaseAlreadyOpen(PmLedgerError):
    """A second case was opened for an employee who already has one."""

    http_status: ClassVar[int] = 409


class UnknownKey(PmLedgerError, LookupError):
    """An actor has no registered, currently valid signing key."""

    http_status: ClassVar[int] = 403


class KeyStoreError(PmLedgerError):
    """The private-key store could not produce a key (missing file, wrong passphrase)."""


class ConcurrencyConflict(PmLedgerError):
    """Another writer changed the case between load and save; nothing of ours was stored."""

    http_status: ClassVar[int] = 409


class ActRefused(PmLedgerError):
    """The act breaks a hard rule of the case's procedure and was not recorded."""

    http_status: ClassVar[int] = 422


class ContentDisposed(ActRefused, ValueError):
    """Personal content was offered for a record category whose data key a purge destroyed:
    nothing new may join disposed content, so the act is refused and nothing is stored."""

    http_status: ClassVar[int] = 409


class StorageError(PmLedgerError):
    """The database could not be opened or read."""

    http_status: ClassVar[int] = 503

    @classmethod
    def damaged(cls, what: str, exc: Exception, remedy: str) -> StorageError:
        """The error for stored bytes that no longer decode (`what`: "a stored … event", "the
        read model of case …"), raised where they are decoded: damage is named there, so a
        ValueError or KeyError anywhere else is a bug in pmledger and shows as one."""
        return cls(
            f"{what} is damaged and cannot be read ({type(exc).__name__}: {str(exc)[:200]}); "
            f"{remedy}"
        )


class TamperingDetected(StorageError):
    """Stored state disagrees with the signed log it must follow (a data key that does not open
    its case's content, for one): the database was changed outside pmledger. Nothing is wrong
    with the caller's input; run `pmledger verify` to name what was changed."""


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

    `index` is the 0-based position of the failing act; `cause` is its own typed error, whose
    HTTP status this error answers with.
    """

    def __init__(self, index: int, cause: PmLedgerError) -> None:
        super().__init__(f"act {index + 1} of the batch: {cause}")
        self.index = index
        self.cause = cause

    @property
    def status(self) -> int:
        return self.cause.status


class AccessDenied(PmLedgerError, PermissionError):
    """The acting person may not do this to this case; the refusal is in the access log."""

    http_status: ClassVar[int] = 403


class AuthorityNotRegistered(AccessDenied):
    """The actor claims an authority level (004 §6) above the one their key was registered
    with: a level belongs to the person's signed registration, never to the caller's claim.
    Register the person's key with the level (`register_person(..., authority_level=…)`)."""


class ActorRequired(InvalidInput):
    """A read of case content was asked for without naming who reads: every read is checked
    against the case's procedure and logged under a person, so there is no anonymous read."""

    http_status: ClassVar[int] = 401


class DocumentRejected(InvalidInput):
    """A document offered with an act cannot be kept as it is; nothing of the act was stored.

    Subclasses say why: `DocumentTypeNotAllowed`, `DocumentTooLarge`, `DocumentDigestMismatch`
    (a document for a disposed category is refused as `ContentDisposed`, like any content)."""


class DocumentTypeNotAllowed(DocumentRejected):
    """The document's media type is not one the ledger keeps, or its bytes are not that type."""

    http_status: ClassVar[int] = 415


class DocumentTooLarge(DocumentRejected):
    """The document is over the ledger's size limit (`Ledger.open(document_limit=...)`)."""

    http_status: ClassVar[int] = 413


class DocumentDigestMismatch(DocumentRejected):
    """The bytes offered are not the document the act names: their SHA-256 or size differs."""


class DocumentUnavailable(PmLedgerError, LookupError):
    """A document a record names cannot be read: its category was disposed (its key destroyed),
    or it is not in this ledger."""

    http_status: ClassVar[int] = 404
