"""Subject access requests (UK GDPR Art. 15): everything held about a person, third parties
withheld, as a readable PDF and machine JSON in one zip."""

from pmledger.export.subject_access.writer import SubjectAccessResult, export_subject_access

__all__ = ["SubjectAccessResult", "export_subject_access"]
