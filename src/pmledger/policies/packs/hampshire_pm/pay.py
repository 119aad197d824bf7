"""Ratings and pay (002 L91-107): the mapping, who recommends, approves, refers and decides.

`expected_pay` is the policy's table as a pure function so projections can show what a rating
should lead to; the rules refuse a recommendation that departs from it, except the two steps
support staff may exceptionally receive instead of one step and a 3% one-off payment.
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
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext, Impossible, Rule
from pmledger.policies.rules.problem import ProblemWith

from .facts import (
    HPMP_ROLES,
    SOURCE,
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

TEACHING_SCALE = frozenset({Rating.EXCEPTIONAL, Rating.ACHIEVED, Rating.NOT_MET})
"""L95-100, for teachers and (D-hp-4) the Headteacher."""
SUPPORT_SCALE = frozenset({Rating.EXCEPTIONAL, Rating.ACHIEVED, Rating.IMPROVEMENT_REQUIRED})
"""L102-106."""
ONE_OFF_PERCENT = DATA.limit("one-off-percent")


@dataclass(frozen=True)
class PayOutcome:
    """Progression a rating leads to: points (teachers), steps (support staff), one-off %."""

    points: int = 0
    steps: int = 0
    one_off_percent: int = 0


def rating_scale(group: StaffGroup) -> frozenset[Rating]:
    return SUPPORT_SCALE if group is StaffGroup.SUPPORT_STAFF else TEACHING_SCALE


def expected_pay(
    group: StaffGroup, rating: Rating, *, two_steps_instead: bool = False
) -> PayOutcome:
    """The pay outcome of `rating` for `group` (002 L97-99, L104-106).

    `two_steps_instead` is the exceptional alternative for a support-staff "exceptional"
    rating: 2 steps and no one-off payment (L104). Eligibility (scope on the range, the Upper
    Pay Range's alternate years) is a separate question: see `pay_recommendation_due`.
    """
    if rating not in rating_scale(group):
        raise InvalidInput(
            f"{rating.value!r} is not a rating for {group.value}; the scale is "
            + ", ".join(sorted(r.value for r in rating_scale(group)))
        )
    exceptional = rating is Rating.EXCEPTIONAL
    if two_steps_instead and not (exceptional and group is StaffGroup.SUPPORT_STAFF):
        raise InvalidInput(
            "two steps instead of one step and 3% applies only to support staff rated exceptional"
        )
    if group is not StaffGroup.SUPPORT_STAFF:
        return PayOutcome(points={Rating.EXCEPTIONAL: 2, Rating.ACHIEVED: 1}.get(rating, 0))
    if exceptional:
        return (
            PayOutcome(steps=2)
            if two_steps_instead
            else PayOutcome(steps=1, one_off_percent=ONE_OFF_PERCENT)
        )
    return PayOutcome(steps=1 if rating is Rating.ACHIEVED else 0)


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


def _decider(ctx: ActContext) -> str | None:
    if ctx.actor.role is Role.PAY_PANEL:
        return None
    return f"pay is decided by the governors' pay panel (pay_panel), not by {ctx.actor.role.value}"


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


def _hpmp_referred(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayDecided)
    pay = ctx.file.pay.get(act.recommendation_id)
    if not is_headteacher(ctx.file) or (pay is not None and pay.referred is not None):
        return None
    return "the HPMP had not referred the Headteacher's pay recommendation to the pay panel"


def _scope(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    if at_top_of_range(ctx.file) and (act.pay_points or act.pay_steps):
        return "no scope to progress: the employee is at the top of their pay range"
    return None


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


def _teacher_map(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    if is_support(ctx.file):
        return None
    rating = _rating_of(ctx, act.cycle_id)
    if rating is None:
        return _no_rating(act.cycle_id)
    want = expected_pay(staff_group(ctx.file), rating)
    if (act.pay_points, act.pay_steps, act.one_off_percent) == (want.points, 0, 0):
        return None
    return (
        f"a rating of {rating.value} means {want.points} point(s) of salary progression and "
        f"nothing else; the recommendation says {act.pay_points} point(s), {act.pay_steps} "
        f"step(s), {act.one_off_percent}% one-off"
    )


def _support_map(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    if not is_support(ctx.file):
        return None
    rating = _rating_of(ctx, act.cycle_id)
    if rating is None:
        return _no_rating(act.cycle_id)
    if rating is Rating.EXCEPTIONAL and act.pay_steps == 2 and not act.pay_points:
        return None
    want = expected_pay(StaffGroup.SUPPORT_STAFF, rating)
    if (act.pay_points, act.pay_steps, act.one_off_percent) == (
        0,
        want.steps,
        want.one_off_percent,
    ):
        return None
    return (
        f"a rating of {rating.value} means {want.steps} step(s)"
        + (f" plus a {want.one_off_percent}% one-off payment" if want.one_off_percent else "")
        + f"; the recommendation says {act.pay_steps} step(s), {act.pay_points} point(s), "
        f"{act.one_off_percent}% one-off"
    )


def _two_steps(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    rating = ctx.file.ratings.get(act.cycle_id)
    if not is_support(ctx.file) or rating is None or rating[1] is not Rating.EXCEPTIONAL:
        return None
    if act.pay_steps == 2 and act.one_off_percent == 0 and not act.pay_points:
        return "2 steps instead of 1 step and a 3% one-off payment"
    return None


def _two_steps_and_one_off(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, PayRecommended)
    if is_support(ctx.file) and act.pay_steps == 2 and act.one_off_percent:
        return "2 steps are awarded instead of 1 step and the 3% one-off payment, never with it"
    return None


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


def pay_rules() -> tuple[Rule, ...]:
    return (
        ProblemWith(
            "hp-pay-recommender",
            f"{SOURCE} Appointing reviewers L34",
            "The Headteacher decides whether the reviewer also recommends pay; the HPMP "
            "recommends the Headteacher's.",
            acts={"pay_recommended"},
            problem=_recommender,
        ),
        ProblemWith(
            "hp-pay-decision-gb",
            f"{SOURCE} Appointing reviewers L34",
            "The decision on pay must still be made by the Governing Body (its pay panel).",
            acts={"pay_decided"},
            problem=_decider,
        ),
        ProblemWith(
            "hp-pay-ht-approval",
            f"{SOURCE} L91",
            "Recommendations are approved by the Headteacher before being shared or referred, "
            "except the Headteacher's own.",
            acts={
                "pay_recommendation_approved",
                "pay_recommendation_shared",
                "pay_recommendation_referred",
            },
            problem=_approval_first,
        ),
        ProblemWith(
            "hp-hpmp-refers",
            f"{SOURCE} L91",
            "The HPMP must also refer their recommendation to the governors' pay panel.",
            acts={"pay_decided"},
            problem=_hpmp_referred,
        ),
        ProblemWith(
            "hp-pay-scope",
            f"{SOURCE} L91",
            "Pay recommendations only where there is scope to progress on the pay range.",
            acts={"pay_recommended"},
            problem=_scope,
        ),
        ProblemWith(
            "hp-upr-alternate",
            f"{SOURCE} L91",
            "Upper Pay Range teachers have a pay recommendation every other year.",
            acts={"pay_recommended"},
            problem=_upr_off_year,
            severity=Severity.MINOR,
        ),
        ProblemWith(
            "hp-teacher-pay-map",
            f"{SOURCE} Ratings (teaching) L96-99",
            "Exceptional 2 points, achieved 1 point, not met no progression.",
            acts={"pay_recommended"},
            problem=_teacher_map,
        ),
        ProblemWith(
            "hp-not-met-capability",
            f"{SOURCE} L100",
            "'Not met expectations' only where the employee is on formal capability (on the "
            "rating date or during the cycle assessed, D-hp-3).",
            acts={"rating_recorded"},
            problem=_not_met_only_on_capability,
        ),
        ProblemWith(
            "hp-support-pay-map",
            f"{SOURCE} Ratings (support) L104-106",
            "Exceptional 1 step + 3% one-off, achieved 1 step, improvement required 0.",
            acts={"pay_recommended"},
            problem=_support_map,
        ),
        ProblemWith(
            "hp-support-two-steps",
            f"{SOURCE} L104",
            "In exceptional circumstances 2 steps instead of 1 step plus 3% one-off.",
            acts={"pay_recommended"},
            problem=_two_steps,
            consequence="exceptional",
        ),
        ProblemWith(
            "hp-support-two-steps",
            f"{SOURCE} L104",
            "2 steps replace the step and the one-off payment; both together are a finding.",
            acts={"pay_recommended"},
            problem=_two_steps_and_one_off,
        ),
        ProblemWith(
            "hp-rating-scale",
            f"{SOURCE} L95-107",
            "Teachers and the Headteacher: exceptional, achieved, not met; support staff: "
            "exceptional, achieved, improvement required.",
            acts={"rating_recorded"},
            problem=_on_scale,
            consequence="impossible",
        ),
        ProblemWith(
            "hp-support-review-dec",
            f"{SOURCE} Cycle L29",
            "Support staff pay decisions take effect from 1 April.",
            acts={"pay_decided"},
            problem=_effective_from,
        ),
    )
