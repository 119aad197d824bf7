"""The one error a bad pack file raises.

A pack file is edited by hand by an HR adviser or a school, so the error has to be enough on its
own to fix the file: every problem found in one pass, each naming the entry (a stage, a time
limit, a rule) and what to write instead. Like the retention schedule's error, it is an
``InvalidInput``, so a host catching pmledger's input errors catches this too.
"""

from collections.abc import Sequence

from pmledger.errors import InvalidInput


class PackFileError(InvalidInput):
    """A procedure pack file that must not judge anything.

    ``origin`` is the file (or ``<string>``) the pack came from; not ``source``, because in a
    pack that word names the procedure document and its sections.
    """

    def __init__(self, problems: Sequence[str], *, origin: str) -> None:
        self.problems = tuple(problems)
        self.origin = origin
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"invalid procedure pack {origin}:\n{listed}")
