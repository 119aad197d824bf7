"""The one error a bad retention schedule raises.

A schedule is edited by hand by a school or an authority, so the error has to be enough on its
own to fix the file: it lists every problem found in one pass, not just the first, each naming the
rule and what to write instead. Problems with the schedule as a whole (a duplicated or missing
category) are looked for once every rule is itself valid.

It is an ``InvalidInput`` so a host that catches pmledger's input errors catches this too, and the
CLI can map it to its "bad usage or schedule" exit code.
"""

from collections.abc import Sequence

from pmledger.errors import InvalidInput


class ScheduleError(InvalidInput):
    """A retention schedule that must not be used to dispose of anything.

    ``origin`` is the file (or ``<string>``) the schedule came from; it is not called ``source``
    because in a schedule that word means the toolkit row or statute a period comes from.
    """

    def __init__(self, problems: Sequence[str], *, origin: str) -> None:
        self.problems = tuple(problems)
        self.origin = origin
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"invalid retention schedule {origin}:\n{listed}")
