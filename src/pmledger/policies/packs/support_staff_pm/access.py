"""Who may see a support-staff case: 001 §7 narrows the common ground of the five procedures.

001 §7: "The Headteacher, the reviewer and the reviewee should be the **only** staff who have
access to paperwork or computerised records." So the records, the statements and the bundle
are theirs alone: no HR provider, SLT moderator, HPMP or appeal chair (001 sends appeals to the
reviewer and then the Grievance procedure, §4.8, which keeps its own papers). The line manager
reads the case only when they are the reviewer, as §3 says they normally are.

The DPO keeps what carries no personal content: the status (for retention and legal holds),
disposal and the bundle — exported by the DPO every record's content is redacted, so a
tribunal or subject-access disclosure can still be proved complete without the DPO reading it.
"""

from __future__ import annotations

from pmledger.policies.access import DEFAULT_ACCESS, AccessTable, Operation, Relationship

R = Relationship
_PAPERWORK = frozenset({R.EMPLOYEE, R.REVIEWER, R.HEADTEACHER_OF_SCHOOL})

ACCESS: AccessTable = {
    **DEFAULT_ACCESS,
    Operation.READ_CASE: _PAPERWORK,
    Operation.READ_STATEMENTS: _PAPERWORK,
    Operation.READ_STATUS: _PAPERWORK | {R.DPO},
    Operation.EXPORT: _PAPERWORK | {R.DPO},
}
