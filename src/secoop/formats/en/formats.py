"""English (en, en-us): dates as secoop.core.formats writes them ("3 Dec 2026")."""

from secoop.core.formats import DATE_FORMAT
from secoop.core.formats import DATETIME_FORMAT
from secoop.core.formats import YEAR_MONTH_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
]
