"""pmledger: the signed legal record of staff performance-management and capability cases.

Importing pmledger has no side effects: no global state, no environment reads, no I/O.
"""

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import EncryptedFileKeyStore, KeyStore, MemoryKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger, Receipt

__all__ = [
    "Actor",
    "Calendars",
    "EmployeeRef",
    "EncryptedFileKeyStore",
    "KeyStore",
    "Ledger",
    "MemoryKeyStore",
    "Receipt",
    "RecordAct",
    "Role",
]
