"""Who may see a support-staff case: 001 §7 narrows the common ground of the five procedures.

001 §7: "The Headteacher, the reviewer and the reviewee should be the **only** staff who have
access to paperwork or computerised records." So the records, the statements and the bundle
are theirs alone: no HR provider, SLT moderator, HPMP or appeal chair (001 sends appeals to the
reviewer and then the Grievance procedure, §4.8, which keeps its own papers). The line manager
reads the case only when they are the reviewer, as §3 says they normally are.

The DPO's statutory role (UK GDPR Art. 37-39: monitoring compliance, storage limitation, the
data subject's rights) needs no content, so the DPO is kept to what carries none: counts across
cases (`report stages|findings`, the anonymised counts), the retention plan and purge with their
disposal certificates and legal holds, the access log, and recording the statutory acts (a legal
hold, a subject access request and its answer). Not the status (its findings, warnings and
deadlines say what happened in the case), not the records, not a bundle, redacted or not. The
one opening of content is the employee's own subject access request, which the DPO answers for
the controller (Art. 15 overrides a school policy, and the answer goes to the reviewee).
"""

from __future__ import annotations

from pmledger.policies.access import DEFAULT_ACCESS, AccessTable, Operation, Relationship

R = Relationship
_PAPERWORK = frozenset({R.EMPLOYEE, R.REVIEWER, R.HEADTEACHER_OF_SCHOOL})

ACCESS: AccessTable = {
    **DEFAULT_ACCESS,
    Operation.READ_CASE: _PAPERWORK,
    Operation.READ_STATEMENTS: _PAPERWORK,
    Operation.READ_STATUS: _PAPERWORK,
    Operation.READ_COUNTS: _PAPERWORK | {R.DPO},
    Operation.EXPORT: _PAPERWORK,
}
