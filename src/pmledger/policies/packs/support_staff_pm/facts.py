"""Questions the 001 rules ask of a case file, answered in one place."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CycleClosed, CycleOpened
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import RecordCopyProvided, RecordSubmitted, StatementRecorded
from pmledger.events.sanction_acts import WarningKind
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts, Recorded, WarningFacts

REVIEW_MEETINGS = frozenset(
    {MeetingPurpose.PLANNING, MeetingPurpose.MID_YEAR_REVIEW, MeetingPurpose.END_OF_CYCLE_REVIEW}
)
"""The §4.1 "Planning/Review Meeting" and the reviews that follow it in the cycle (§4.4)."""

TRUE_WORDS = frozenset({"true", "yes", "1"})


def flag(file: CaseFile, name: str, opened_value: bool) -> bool:
    """An employment flag as it stands now: a later EmploymentStatusChanged wins."""
    if name in file.employment:
        value = file.employment[name]
        return value is not None and value.strip().lower() in TRUE_WORDS
    return opened_value


def line_manager(file: CaseFile) -> str | None:
    if "line_manager_person_id" in file.employment:
        return file.employment["line_manager_person_id"]
    return file.opened.line_manager_person_id


def is_reviewer(file: CaseFile, actor: Actor) -> bool:
    """The case's reviewer by person once a cycle names one, else anyone acting as reviewer."""
    if file.reviewer_person_id is not None:
        return actor.person_id == file.reviewer_person_id
    return actor.role is Role.REVIEWER


def cycle_on(file: CaseFile, day: date) -> tuple[str, Mark, CycleOpened] | None:
    """The most recently opened cycle whose period contains `day`."""
    found = [
        (cycle_id, mark, cycle)
        for cycle_id, (mark, cycle) in file.cycles.items()
        if cycle.starts_on <= day <= cycle.ends_on
    ]
    return max(found, key=lambda c: c[1].version, default=None)


def held_meetings(file: CaseFile, *purposes: MeetingPurpose) -> list[MeetingFacts]:
    """Held meetings of `purposes`, in the order they were recorded."""
    held = [m for m in file.meetings.values() if m.purpose in purposes and m.held is not None]
    return sorted(held, key=lambda m: m.held.version if m.held else 0)


def held_in(
    file: CaseFile, cycle: CycleOpened, *purposes: MeetingPurpose
) -> Iterator[tuple[MeetingFacts, Mark]]:
    """Held meetings of `purposes` whose date falls within the cycle, first recorded first."""
    for meeting in held_meetings(file, *purposes):
        assert meeting.held is not None
        if cycle.starts_on <= meeting.held.on <= cycle.ends_on:
            yield meeting, meeting.held


def purpose_of(file: CaseFile, act: Act) -> MeetingPurpose | None:
    """A meeting act's purpose, from the act or from the meeting's invitation."""
    purpose: MeetingPurpose | None = getattr(act, "purpose", None)
    if purpose is not None:
        return purpose
    meeting = file.meetings.get(getattr(act, "meeting_id", ""))
    return meeting.purpose if meeting is not None else None


def episode_start(file: CaseFile) -> int:
    """The version after which the current concerns-and-capability episode began.

    §5.2 sends a case back to the normal cycle when capability ends, and any later concerns
    start afresh at §4.6: what counted before the last CapabilityEnded does not count again.
    """
    return max((mark.version for mark, _ in file.capability_ended), default=0)


def highest_live(
    file: CaseFile, day: date, months: Mapping[WarningKind, int], before_version: int | None = None
) -> WarningKind | None:
    """The most serious warning live on `day` (optionally only those issued before a version)."""
    live: list[WarningFacts] = [
        w
        for w in file.live_warnings(day, dict(months))
        if before_version is None or w.issued.version < before_version
    ]
    kinds = {w.reduced_to or w.kind for w in live}
    if WarningKind.FINAL_WRITTEN in kinds:
        return WarningKind.FINAL_WRITTEN
    return WarningKind.WRITTEN if kinds else None


def statements(file: CaseFile, form: str) -> list[tuple[Mark, StatementRecorded]]:
    """Statements filling in `form`, oldest first."""
    return [
        (r.mark, r.act)
        for r in file.recorded("statement_recorded")
        if isinstance(r.act, StatementRecorded) and r.act.form == form
    ]


def form_after(file: CaseFile, meeting: MeetingFacts, form: str) -> Mark | None:
    """The first statement on `form` recorded after the held meeting, for the meeting's cycle
    and before the next meeting of the same purpose (which has a form of its own)."""
    assert meeting.held is not None
    held = meeting.held
    cycle = cycle_on(file, held.on)
    later = [
        m.held.version
        for m in held_meetings(file, *([meeting.purpose] if meeting.purpose else []))
        if m.held is not None and m.held.version > held.version
    ]
    until = min(later, default=None)
    for mark, act in statements(file, form):
        if mark.version <= held.version or (until is not None and mark.version > until):
            continue
        if act.cycle_id is None or cycle is None or act.cycle_id == cycle[0]:
            return mark
    return None


def copies_of(file: CaseFile, versions: set[int], *to: str) -> list[Recorded]:
    """Copies (or submissions) of the records at `versions` given to any of `to`."""
    return [
        r
        for r in file.recorded("record_copy_provided", "record_submitted")
        if isinstance(r.act, RecordCopyProvided | RecordSubmitted)
        and r.act.record_version in versions
        and r.act.to in to
    ]


def cycle_closed_on(file: CaseFile, cycle_id: str) -> date | None:
    closed = [
        r.mark.on
        for r in file.recorded("cycle_closed")
        if isinstance(r.act, CycleClosed) and r.act.cycle_id == cycle_id
    ]
    return min(closed, default=None)
