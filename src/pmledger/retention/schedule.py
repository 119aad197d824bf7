"""Retention rules as values: which record is kept how long after which event.

Schools keep performance-management records under a retention schedule they choose (001 §7,
002 Principles, 004 §13.3), so the periods are data, not code. The code only fixes what every
schedule must satisfy for the purge to be lawful and safe: one rule per record category the ledger
keeps, a known trigger, and a period that runs forward from it.
"""

from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    StrictInt,
    field_validator,
    model_validator,
)

from pmledger.calendar.months import add_months, add_years


class Trigger(StrEnum):
    """The event a retention period runs from.

    The schedule names the event; the disposal projection knows its date for each record, so the
    schedule stays free of case data and can be checked on its own.
    """

    WARNING_EXPIRY = "warning_expiry"
    """The first day a warning no longer applies (its expiry, or its rescission on appeal)."""
    CASE_CLOSURE = "case_closure"
    """The day a support or capability case ends, appeals included."""
    END_OF_EMPLOYMENT = "end_of_employment"
    """The employee's last day of employment (the effective date of termination)."""
    END_OF_CYCLE = "end_of_cycle"
    """The last day of the performance-management cycle the record belongs to."""
    DECISION_DATE = "decision_date"
    """The day of the decision or act the record documents (an appeal outcome, a hold's release,
    an access to the case)."""


class RecordCategory(StrEnum):
    """The kinds of record the ledger keeps, each encrypted under its own data key per case.

    A category is the unit of disposal: destroying one case's key for one category shreds exactly
    the records of that kind, so every kind whose period differs needs its own category.
    An employee's acknowledgement of, or comment on, a record takes that record's category, so it
    is kept exactly as long as what it acknowledges. Disposal certificates are not a category:
    they prove what was disposed, carry no case content and are never disposed.
    """

    APPRAISAL = "appraisal"
    """Cycles, objectives, planning, mid-year and end-of-cycle reviews and their meetings, CPD."""
    OBSERVATION = "observation"
    """Observation plans, feedback and written observation records of the appraisal cycle."""
    STATEMENT = "statement"
    """Reviewer and employee statements and the annual statement with its rating."""
    PAY_RECOMMENDATION = "pay_recommendation"
    """Pay recommendations, their approval and the pay panel's decision."""
    SUPPORT_PLAN = "support_plan"
    """Informal stage: concerns meetings, support plans, PIPs, structured managerial support."""
    CAPABILITY = "capability"
    """Formal stages: invitations, formal meetings, outcome letters, formal PIPs and monitoring."""
    WARNING = "warning"
    """Written and final written warnings, including their reduction or rescission."""
    DISMISSAL = "dismissal"
    """The dismissal decision, its reasons, alternatives considered and notice."""
    APPEAL = "appeal"
    """Appeals, their grounds, hearings and outcomes."""
    LEGAL_HOLD = "legal_hold"
    """Holds placed for a tribunal claim, subject-access request or investigation."""
    ACCESS_LOG = "access_log"
    """Who read or tried to act on a case, granted or refused."""
    DIRECTORY = "directory"
    """The directory: people's names, job titles and addresses, by the ids records name them
    by. Its trigger is the day the person left (end_of_employment, as the directory records
    it); it is the only category not kept per case."""


_REFERENCE_DAY = date(2000, 1, 1)
_LATEST_END = add_years(_REFERENCE_DAY, 100)
# Any period longer than 100 years is a slip of the units (years = 2190 for days = 2190);
# refusing it at load time keeps the purge from failing on date overflow for every record at
# run time.


class RetentionPeriod(BaseModel):
    """How long after its trigger a record is kept, in calendar years, months and days.

    Years and months follow the corresponding-date rule UK courts use (Dodds v Walker): the same
    day of the month, or the last day of a shorter month, so 29 February 2024 + 1 year is
    28 February 2025 and 31 August + 6 months is the last day of February. Days are added after
    the years and months.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    years: StrictInt = 0
    months: StrictInt = 0
    days: StrictInt = 0

    @model_validator(mode="after")
    def _runs_forward(self) -> Self:
        negative = [f"{unit} = {value}" for unit, value in self._units() if value < 0]
        if negative:
            raise ValueError(
                f"period has {', '.join(negative)}; a period runs forward from its trigger, so "
                f"give every unit as 0 or more"
            )
        if not any(value for _, value in self._units()):
            raise ValueError(
                "period is zero, which would dispose of records the day they are triggered; give "
                "years, months or days above zero, for example period = { years = 6 }"
            )
        if self.after(_REFERENCE_DAY) > _LATEST_END:
            raise ValueError(
                f"period {self._as_toml()} is longer than 100 years; check the numbers and that "
                f"each is under the right unit (years, months, days)"
            )
        return self

    def after(self, start: date) -> date:
        """`start` plus the period: years as twelve months, months clamped to the end of a
        short month (`calendar.add_months`, the rule warnings expire by), then the days.
        Worked out directly, not by dateutil's `relativedelta` (9-12 µs an addition against
        4-6 µs, timed under load; a retention plan adds one a category a case);
        `tests/retention` holds the two to the same dates."""
        return add_months(start, 12 * self.years + self.months) + timedelta(days=self.days)

    def _units(self) -> tuple[tuple[str, int], ...]:
        return (("years", self.years), ("months", self.months), ("days", self.days))

    def _as_toml(self) -> str:
        given = ", ".join(f"{unit} = {value}" for unit, value in self._units() if value)
        return f"{{ {given} }}"


class RetentionRule(BaseModel):
    """One line of a schedule, with the citation a data protection officer must be able to show.

    ``source`` is required because a period nobody can justify is not defensible to the ICO or a
    tribunal; ``note`` says where the period is a judgement rather than a rule.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: RecordCategory
    trigger: Trigger
    period: RetentionPeriod
    source: str
    note: str | None = None

    @field_validator("category", mode="before")
    @classmethod
    def _not_a_certificate(cls, value: object) -> object:
        if value == "disposal_certificate":
            raise ValueError(
                "disposal certificates are the proof of what was disposed and are kept "
                "permanently; no schedule may dispose of them, so delete this rule"
            )
        return value

    @field_validator("source")
    @classmethod
    def _cited(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(
                "source is empty; name the toolkit row, statute or school decision the period "
                'comes from, for example source = "IRMS toolkit: staff personal file"'
            )
        return value

    def due_date(self, trigger_date: date) -> date:
        """The first day the record may be disposed of: the period counted from the trigger."""
        return self.period.after(trigger_date)


class RetentionSchedule(BaseModel):
    """A school's or authority's complete schedule: exactly one rule per record category.

    Completeness is checked here rather than at purge time so that a schedule missing a category
    is refused before anything is destroyed, instead of silently keeping or losing records.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    version: str
    rules: tuple[RetentionRule, ...]

    _by_category: dict[RecordCategory, RetentionRule] = PrivateAttr()

    @model_validator(mode="after")
    def _one_rule_per_category(self) -> Self:
        problems: list[str] = []
        numbers: dict[RecordCategory, int] = {}
        for number, rule in enumerate(self.rules, start=1):
            first = numbers.setdefault(rule.category, number)
            if first != number:
                problems.append(
                    f"category '{rule.category}' has two rules (rule {first} and rule {number}); "
                    f"keep one and delete the other"
                )
        for number, rule in enumerate(self.rules, start=1):
            if rule.category is RecordCategory.DIRECTORY and rule.trigger is not (
                Trigger.END_OF_EMPLOYMENT
            ):
                problems.append(
                    f"rule {number} (directory): a directory entry is kept from the day the "
                    f"person left, so its trigger must be end_of_employment, not '{rule.trigger}'"
                )
        missing = [category.value for category in RecordCategory if category not in numbers]
        if missing:
            problems.append(
                f"no rule for {', '.join(missing)}; the ledger keeps these records and must know "
                f"when to dispose of them, so add a [[rules]] table for each"
            )
        if problems:
            raise ValueError("\n".join(problems))
        self._by_category = {rule.category: rule for rule in self.rules}
        return self

    def rule(self, category: RecordCategory) -> RetentionRule:
        """The category's rule. The map is read from `__pydantic_private__` itself: reading
        `self._by_category` runs pydantic's Python-level `__getattr__` (≈ 12 µs, as it probes
        the private attribute for a descriptor), and a plan asks once a category a case."""
        private = self.__pydantic_private__
        assert private is not None, "a RetentionSchedule declares a private attribute"
        by_category: dict[RecordCategory, RetentionRule] = private["_by_category"]
        return by_category[category]

    def due_date(self, category: RecordCategory, trigger_date: date) -> date:
        return self.rule(category).due_date(trigger_date)
