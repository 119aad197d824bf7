"""Ratings and pay (002 L91-107): the mapping, who recommends, approves, refers and decides.

The mapping is data, the pack file's `[pay.*]` tables; `expected_pay` reads it as a pure
function so projections can show what a rating should lead to. A recommendation or a pay
panel decision that departs from it is recorded with a finding, and the exceptional alternative
support staff may receive (L104) needs its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmledger.calendar import academic_year_label, academic_year_start
from pmledger.errors import InvalidInput
from pmledger.events.actors import Role
from pmledger.events.case_acts import StaffGroup
from pmledger.events.pay_acts import (
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.rule import ActContext, Impossible

from .facts import (
    CHECKS,
    HPMP_ROLES,
    capability_during,
    date_fact,
    flag,
    is_headteacher,
    is_support,
    is_teacher,
    pay_effective_from,
    staff_group,
)

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

PAY_COLUMNS = ("points", "steps", "one_off_percent")
"""The columns of the pack file's pay tables, in order."""


@dataclass(frozen=True)
class PayOutcome:
    """Progression a rating leads to: points (teachers), steps (support staff), one-off %."""

    points: int = 0
    steps: int = 0
    one_off_percent: int = 0


_RATINGS = frozenset(r.value for r in Rating)


def _pay_table(name: str) -> dict[Rating, PayOutcome]:
    """The pack file's `[pay.<name>]` table as outcomes by rating; a table this Python cannot
    read is an invalid pack file, named with what to write."""
    table = DATA.pay.get(name)
    if table is None:
        raise PackFileError([f"[pay.{name}] is missing; the pay rules read it"], origin=DATA.id)
    problems = (
        [f"[pay.{name}] columns must be {list(PAY_COLUMNS)}, not {list(table.columns)}"]
        if table.columns != PAY_COLUMNS
        else []
    )
    outcomes: dict[Rating, PayOutcome] = {}
    for rating, row in table.rows.items():
        if rating not in _RATINGS or not all(isinstance(v, int) for v in row):
            problems.append(
                f"[pay.{name}] row {rating!r}: a rating ("
                + ", ".join(r.value for r in Rating)
                + ") with whole numbers"
            )
            continue
        values = [v for v in row if isinstance(v, int)]
        outcomes[Rating(rating)] = PayOutcome(*values)
    if problems:
        raise PackFileError(problems, origin=DATA.id)
    return outcomes


TEACHER_PAY = _pay_table("teacher")
"""L95-100, for teachers and (D-hp-4) the Headteacher."""
SUPPORT_PAY = _pay_table("support_staff")
"""L102-106."""
SUPPORT_ALTERNATIVE = _pay_table("support_staff_exceptional_alternative")
"""L104: "in exceptional circumstances, 2 step progression may be awarded instead"."""
TEACHING_SCALE = frozenset(TEACHER_PAY)
SUPPORT_SCALE = frozenset(SUPPORT_PAY)


def rating_scale(group: StaffGroup) -> frozenset[Rating]:
    return SUPPORT_SCALE if group is StaffGroup.SUPPORT_STAFF else TEACHING_SCALE


def expected_pay(
    group: StaffGroup, rating: Rating, *, two_steps_instead: bool = False
) -> PayOutcome:
    """The pay outcome of `rating` for `group`, from the pack file's pay tables (002 L97-99,
    L104-106).

    `two_steps_instead` is the exceptional alternative for a support-staff "exceptional"
    rating: 2 steps and no one-off payment (L104). Eligibility (scope on the range, the Upper
    Pay Range's alternate years) is a separate question: see `pay_recommendation_due`.
    """
    if rating not in rating_scale(group):
        raise InvalidInput(
            f"{rating.value!r} is not a rating for {group.value}; the scale is "
            + ", ".join(sorted(r.value for r in rating_scale(group)))
        )
    if two_steps_instead:
        if group is not StaffGroup.SUPPORT_STAFF or rating not in SUPPORT_ALTERNATIVE:
            raise InvalidInput(
                "two steps instead of one step and 3% applies only to support staff rated "
                + ", ".join(r.value for r in SUPPORT_ALTERNATIVE)
            )
        return SUPPORT_ALTERNATIVE[rating]
    return (SUPPORT_PAY if group is StaffGroup.SUPPORT_STAFF else TEACHER_PAY)[rating]


def on_upper_pay_range(file: CaseFile) -> bool:
    return is_teacher(file) and flag(file, "on_upper_pay_range", file.opened.on_upper_pay_range)


def at_top_of_range(file: CaseFile) -> bool:
    return flag(file, "at_top_of_pay_range", file.opened.at_top_of_pay_range)


def upr_anchor_year(file: CaseFile) -> int | None:
    """The first academic year with a UPR recommendation (D-hp-5): entry to the UPR + 2 when
    `upr_since` is recorded, else the cycle of the first recommendation recorded."""
    since = date_fact(file, "upr_since", file.opened.upr_since)
    if since is not None:
        return academic_year_start(since) + 2
    years = [
        academic_year_start(file.cycles[p.recommendation.cycle_id][1].starts_on)
        for p in file.pay.values()
        if p.recommendation.cycle_id in file.cycles
    ]
    return min(years, default=None)


def pay_recommendation_due(file: CaseFile, cycle_id: str) -> bool | None:
    """Whether the cycle should end in a pay recommendation; None when it cannot be known.

    None: the cycle is unknown, or the employee is on the UPR with no anchor year yet.
    """
    found = file.cycles.get(cycle_id)
    if found is None:
        return None
    if at_top_of_range(file):
        return False
    if not on_upper_pay_range(file):
        return True
    anchor = upr_anchor_year(file)
    if anchor is None:
        return None
    year = academic_year_start(found[1].starts_on)
    return year >= anchor and (year - anchor) % 2 == 0


@CHECKS.problem("pay-recommended-by", "002 Appointing reviewers L34")
def _recommender(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    role = ctx.actor.role
    if is_headteacher(ctx.file):
        return (
            None
            if role in HPMP_ROLES
            else (f"the Headteacher's pay recommendation is made by the HPMP, not by {role.value}")
        )
    if role is Role.HEADTEACHER:
        return None
    cycle = ctx.file.cycles.get(act.cycle_id)
    delegated = cycle is not None and "reviewer_makes_pay_recommendation" in cycle[1].confirms
    if delegated and ctx.actor.person_id == ctx.file.reviewer_person_id:
        return None
    return (
        f"{ctx.actor.person_id} ({role.value}) may not recommend pay: the Headteacher does, or "
        "the reviewer where the Headteacher decided so when opening the cycle (confirmation "
        "'reviewer_makes_pay_recommendation')"
    )


@CHECKS.problem("pay-decided-by", "002 Appointing reviewers L34")
def _decider(ctx: ActContext) -> str | None:
    if ctx.actor.role is Role.PAY_PANEL:
        return None
    return f"pay is decided by the governors' pay panel (pay_panel), not by {ctx.actor.role.value}"


@CHECKS.problem("pay-not-approved-first", "002 L91")
def _approval_first(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(
        act, PayRecommendationApproved | PayRecommendationShared | PayRecommendationReferred
    )
    pay = ctx.file.pay.get(act.recommendation_id)
    if pay is None:
        return Impossible(f"there is no pay recommendation {act.recommendation_id!r} in this case")
    headteacher_case = is_headteacher(ctx.file)
    if isinstance(act, PayRecommendationApproved):
        if headteacher_case:
            return "the Headteacher's own pay recommendation is not approved by the Headteacher"
        if ctx.actor.role is not Role.HEADTEACHER:
            return (
                f"pay recommendations are approved by the Headteacher, not {ctx.actor.role.value}"
            )
        return None
    if headteacher_case or pay.approved is not None:
        return None
    verb = "shared" if isinstance(act, PayRecommendationShared) else "referred to the pay panel"
    return (
        f"pay recommendation {act.recommendation_id!r} must be approved by the Headteacher before "
        f"being {verb}"
    )


@CHECKS.holds("hpmp-referred", "002 L91")
def _hpmp_referred(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, PayDecided)
    pay = file.pay.get(act.recommendation_id)
    return not is_headteacher(file) or (pay is not None and pay.referred is not None)


@CHECKS.holds("scope-to-progress", "002 L91")
def _scope(file: CaseFile, act: Act) -> bool:
    assert isinstance(act, PayRecommended)
    return not (at_top_of_range(file) and (act.pay_points or act.pay_steps))


@CHECKS.problem("upr-off-year", "002 L91")
def _upr_off_year(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    if not on_upper_pay_range(ctx.file) or act.cycle_id not in ctx.file.cycles:
        return None
    if pay_recommendation_due(ctx.file, act.cycle_id) is False and not at_top_of_range(ctx.file):
        anchor = upr_anchor_year(ctx.file)
        start = f" starting {academic_year_label(anchor)}" if anchor is not None else ""
        return (
            f"teachers on the Upper Pay Range have a pay recommendation every other year{start}; "
            f"cycle {act.cycle_id} is not one of those years"
        )
    return None


def _rating_of(ctx: ActContext, cycle_id: str) -> Rating | None:
    recorded = ctx.file.ratings.get(cycle_id)
    return recorded[1] if recorded else None


def _no_rating(cycle_id: str) -> str:
    return f"record the performance management rating for cycle {cycle_id} first"


@dataclass(frozen=True)
class _Amounts:
    """The pay a recommendation proposes or a decision awards, and the cycle it is for."""

    what: str
    cycle_id: str
    points: int
    steps: int
    one_off_percent: int
    recommended: PayRecommended | None = None
    """For a decision: the recommendation it follows."""


def _amounts(ctx: ActContext) -> _Amounts | None:
    """The amounts of a recommendation, or of a decision on a recommendation that exists."""
    act = ctx.act
    if isinstance(act, PayRecommended):
        return _Amounts(
            "the recommendation says",
            act.cycle_id,
            act.pay_points,
            act.pay_steps,
            act.one_off_percent,
        )
    if isinstance(act, PayDecided) and act.recommendation_id in ctx.file.pay:
        recommended = ctx.file.pay[act.recommendation_id].recommendation
        return _Amounts(
            "the pay panel decided",
            recommended.cycle_id,
            act.pay_points,
            act.pay_steps,
            act.one_off_percent,
            recommended,
        )
    return None


@CHECKS.problem("teacher-pay-off-map", "002 Ratings (teaching) L96-99")
def _teacher_map(ctx: ActContext) -> str | None:
    pay = _amounts(ctx)
    if pay is None or is_support(ctx.file):
        return None
    rating = _rating_of(ctx, pay.cycle_id)
    if rating is None:
        return _no_rating(pay.cycle_id)
    want = expected_pay(staff_group(ctx.file), rating)
    if (pay.points, pay.steps, pay.one_off_percent) == (want.points, 0, 0):
        return None
    return (
        f"a rating of {rating.value} means {want.points} point(s) of salary progression and "
        f"nothing else; {pay.what} {pay.points} point(s), {pay.steps} "
        f"step(s), {pay.one_off_percent}% one-off"
    )


def _two_steps_instead(rating: Rating, pay: _Amounts) -> bool:
    """Whether `pay` is L104's exceptional alternative for `rating` (2 steps, nothing else)."""
    return SUPPORT_ALTERNATIVE.get(rating) == PayOutcome(pay.points, pay.steps, pay.one_off_percent)


@CHECKS.problem("support-pay-off-map", "002 Ratings (support) L104-106")
def _support_map(ctx: ActContext) -> str | None:
    pay = _amounts(ctx)
    if pay is None or not is_support(ctx.file):
        return None
    rating = _rating_of(ctx, pay.cycle_id)
    if rating is None:
        return _no_rating(pay.cycle_id)
    if _two_steps_instead(rating, pay):
        return None
    want = expected_pay(StaffGroup.SUPPORT_STAFF, rating)
    if (pay.points, pay.steps, pay.one_off_percent) == (0, want.steps, want.one_off_percent):
        return None
    return (
        f"a rating of {rating.value} means {want.steps} step(s)"
        + (f" plus a {want.one_off_percent}% one-off payment" if want.one_off_percent else "")
        + f"; {pay.what} {pay.steps} step(s), {pay.points} point(s), "
        f"{pay.one_off_percent}% one-off"
    )


@CHECKS.problem("two-steps-instead", "002 L104")
def _two_steps(ctx: ActContext) -> str | None:
    """The exceptional alternative needs its reason where it is first chosen: by the
    recommendation, or by a decision that departs from a recommendation of 1 step and 3%."""
    pay = _amounts(ctx)
    if pay is None or not is_support(ctx.file):
        return None
    rating = _rating_of(ctx, pay.cycle_id)
    if rating is None or not _two_steps_instead(rating, pay):
        return None
    recommended = pay.recommended
    if recommended is not None and recommended.pay_steps == pay.steps:
        return None
    usual = SUPPORT_PAY[rating]
    return (
        f"{pay.steps} steps instead of {usual.steps} step and a {usual.one_off_percent}% "
        "one-off payment"
    )


@CHECKS.problem("two-steps-and-one-off", "002 L104")
def _two_steps_and_one_off(ctx: ActContext) -> str | None:
    pay = _amounts(ctx)
    if pay is not None and is_support(ctx.file) and pay.steps == 2 and pay.one_off_percent:
        return "2 steps are awarded instead of 1 step and the 3% one-off payment, never with it"
    return None


@CHECKS.problem("pay-decision-unprepared", "002 L91, Appointing reviewers L34")
def _decision_unprepared(ctx: ActContext) -> str | None:
    """L91, L34: the pay panel decides on a recommendation that exists and, except for the
    Headteacher's own (hp-hpmp-refers), was approved by the Headteacher and referred to it."""
    act = ctx.act
    assert isinstance(act, PayDecided)
    pay = ctx.file.pay.get(act.recommendation_id)
    if pay is None:
        return Impossible(
            f"there is no pay recommendation {act.recommendation_id!r} in this case for the "
            "pay panel to decide on"
        )
    if is_headteacher(ctx.file):
        return None
    referred = any(
        isinstance(r.act, PayRecommendationReferred)
        and r.act.recommendation_id == act.recommendation_id
        and r.act.to == "pay_panel"
        for r in ctx.file.recorded("pay_recommendation_referred")
    )
    missing = [
        what
        for what, lacking in (
            ("approved by the Headteacher", pay.approved is None),
            ("referred to the governors' pay panel", not referred),
        )
        if lacking
    ]
    if not missing:
        return None
    return (
        f"the pay panel decided on recommendation {act.recommendation_id!r}, which was never "
        + " nor ".join(missing)
    )


@CHECKS.problem("not-met-without-capability", "002 L100")
def _not_met_only_on_capability(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, RatingRecorded)
    if act.rating is not Rating.NOT_MET or is_support(ctx.file):
        return None
    cycle = ctx.file.cycles.get(act.cycle_id)
    if ctx.file.capability_active:
        return None
    if cycle is not None and capability_during(ctx.file, cycle[1].starts_on, cycle[1].ends_on):
        return None
    return (
        "'not met expectations' can only apply where the employee is on formal capability, on "
        f"the rating date or during cycle {act.cycle_id}"
    )


@CHECKS.problem("rating-off-scale", "002 L95-107")
def _on_scale(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, RatingRecorded)
    group = staff_group(ctx.file)
    scale = rating_scale(group)
    if act.rating in scale:
        return None
    return (
        f"{act.rating.value!r} is not on the {group.value} scale ("
        + ", ".join(sorted(r.value for r in scale))
        + ")"
    )


@CHECKS.problem("support-pay-effective-date", "002 Cycle L29")
def _effective_from(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayDecided)
    pay = ctx.file.pay.get(act.recommendation_id)
    if not is_support(ctx.file) or pay is None:
        return None
    cycle = ctx.file.cycles.get(pay.recommendation.cycle_id)
    if cycle is None:
        return None
    want = pay_effective_from(ctx.file, cycle[1])
    if act.effective_from == want:
        return None
    return f"support staff pay decisions take effect from {want}, not {act.effective_from}"
