"""Reading a retention schedule from TOML, with errors a school can act on.

Validation itself lives on the models, so a schedule built in code is held to the same rules; this
module only turns pydantic's findings into sentences that name the file, the rule and the fix.
"""

import tomllib
from importlib.resources import files
from os import PathLike
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pmledger.retention.errors import ScheduleError
from pmledger.retention.schedule import (
    RecordCategory,
    RetentionPeriod,
    RetentionRule,
    RetentionSchedule,
    Trigger,
)

# The default lives once, in the checkout's retention/schedules/; the wheel force-includes that
# folder as pmledger/retention/schedules, so an installed package and a source checkout each find
# the same file in their own place.
_CHECKOUT_SCHEDULES = Path(__file__).resolve().parents[3] / "retention" / "schedules"
_DEFAULT_NAME = "default.toml"

_CATEGORIES = ", ".join(category.value for category in RecordCategory)
_TRIGGERS = ", ".join(trigger.value for trigger in Trigger)
_ADD_MISSING = {
    "name": 'add name = "..." naming this schedule, so disposals can say which they followed',
    "version": 'add version = "..." (for example the date the governors adopted it)',
    "rules": "add one [[rules]] table per record category",
    "category": f"add category = one of: {_CATEGORIES}",
    "trigger": f"add trigger = one of: {_TRIGGERS}",
    "period": "add period = { years = N } (with years, months and/or days)",
    "source": 'add source = "..." naming the toolkit row, statute or decision behind the period',
}


def load_schedule(path: str | PathLike[str]) -> RetentionSchedule:
    schedule_path = Path(path)
    try:
        text = schedule_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScheduleError(
            [f"cannot be read ({error}); check the path and that it is a UTF-8 text file"],
            origin=str(schedule_path),
        ) from error
    return loads_schedule(text, origin=str(schedule_path))


def loads_schedule(text: str, *, origin: str = "<string>") -> RetentionSchedule:
    """Parse a schedule from TOML text; ``origin`` is what error messages call it."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScheduleError(
            [f"is not valid TOML ({error}); fix the syntax there"], origin=origin
        ) from error
    try:
        return RetentionSchedule.model_validate(document)
    except ValidationError as error:
        problems = [line for detail in error.errors() for line in _explain(detail, document)]
        raise ScheduleError(problems, origin=origin) from error


def load_default() -> RetentionSchedule:
    """The packaged default schedule, from an installed wheel or else from the source checkout."""
    packaged = files("pmledger.retention") / "schedules" / _DEFAULT_NAME
    if packaged.is_file():
        return loads_schedule(packaged.read_text(encoding="utf-8"), origin=str(packaged))
    checkout = _CHECKOUT_SCHEDULES / _DEFAULT_NAME
    if checkout.is_file():
        return load_schedule(checkout)
    raise ScheduleError(
        [
            f"the default schedule is missing: neither {packaged} (installed package) nor "
            f"{checkout} (source checkout) exists; reinstall pmledger, or pass your own "
            f"schedule file instead of the default"
        ],
        origin=_DEFAULT_NAME,
    )


def _explain(detail: ErrorDetails, document: dict[str, object]) -> list[str]:
    loc = detail["loc"]
    where, field = _locate(loc, document)
    kind = detail["type"]
    if kind == "value_error":
        # Our own validators already phrase the problem and the fix; a schedule-level one may
        # report several problems, one per line.
        message = str(detail.get("ctx", {}).get("error", detail["msg"]))
        return [f"{where}{line}" for line in message.splitlines()]
    if kind == "missing":
        return [f"{where}missing {field}; {_ADD_MISSING.get(str(loc[-1]), 'add it')}"]
    if kind == "extra_forbidden":
        allowed = ", ".join(_model_at(loc).model_fields)
        return [f"{where}unknown key '{loc[-1]}'; check its spelling (allowed here: {allowed})"]
    if kind == "enum":
        valid = _TRIGGERS if loc[-1] == "trigger" else _CATEGORIES
        return [f"{where}{field} {detail['input']!r} is not known; use one of: {valid}"]
    return [f"{where}{field} = {detail['input']!r} is not accepted: {detail['msg']}"]


def _locate(loc: tuple[int | str, ...], document: dict[str, object]) -> tuple[str, str]:
    """Name a place in the file the way its author sees it: 'rule 3 (warning): period.years'."""
    if len(loc) < 2 or loc[0] != "rules" or not isinstance(loc[1], int):
        return "", ".".join(map(str, loc)) or "schedule"
    index = loc[1]
    rules = document.get("rules")
    raw = rules[index] if isinstance(rules, list) and index < len(rules) else None
    category = raw.get("category") if isinstance(raw, dict) else None
    label = f"rule {index + 1}" + (f" ({category})" if isinstance(category, str) else "")
    return f"{label}: ", ".".join(map(str, loc[2:])) or "rule"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel]:
    """Which table an unknown key was found in, from how deep it sits."""
    depth = len(loc)
    if depth <= 1:
        return RetentionSchedule
    return RetentionRule if depth <= 3 else RetentionPeriod
