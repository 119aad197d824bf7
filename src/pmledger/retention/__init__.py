"""Retention schedules: how long each kind of record is kept, as data a school can edit.

The default follows the UK schools records toolkit and ships with the package; a school or
authority loads its own with ``load_schedule``. See ``retention/README.md`` in the repository.
"""

from pmledger.retention.errors import ScheduleError
from pmledger.retention.loader import load_default, load_schedule, loads_schedule
from pmledger.retention.schedule import (
    RecordCategory,
    RetentionPeriod,
    RetentionRule,
    RetentionSchedule,
    Trigger,
)

__all__ = [
    "RecordCategory",
    "RetentionPeriod",
    "RetentionRule",
    "RetentionSchedule",
    "ScheduleError",
    "Trigger",
    "load_default",
    "load_schedule",
    "loads_schedule",
]
