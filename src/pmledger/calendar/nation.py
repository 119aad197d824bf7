"""The four UK nations, because each has its own bank holidays and so its own working days."""

from enum import StrEnum


class Nation(StrEnum):
    """The UK nation a school is in; it decides which bank holidays stop the working-day count."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"
