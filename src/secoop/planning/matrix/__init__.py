"""The synchronization matrix of a country plan (R-PLN-09): `data` reads the records through the
door and turns them into facts, `layout` places them (pure), `svg` draws the layout; `views` and
`urls` serve the page, rescheduling and the exports.

What other modules use is named here, so that `from . import matrix` reaches it as `matrix.X`.
(`matrix.layout` is the layout function; the module is `matrix.layout` only inside this package.)
"""

from . import svg
from .data import PlanData
from .data import load
from .data import load_country_plan
from .data import matrix_input
from .layout import ARROW_COLOR
from .layout import CANCELLED_FILL
from .layout import CANCELLED_TEXT
from .layout import CRITICAL_COLOR
from .layout import FY_ROW_H
from .layout import LABEL_W
from .layout import MONTH_INITIALS
from .layout import MONTH_ROW_H
from .layout import PHASE_ROW_H
from .layout import PHASE_TINTS
from .layout import QUARTER_ROW_H
from .layout import RIGHT_PAD
from .layout import SOURCE_COLORS
from .layout import SOURCE_LABELS
from .layout import SUB_CHAR_W
from .layout import TODAY_COLOR
from .layout import VIOLATION_COLOR
from .layout import ActivityFact
from .layout import Analysis
from .layout import Bar
from .layout import FundingFact
from .layout import Layout
from .layout import LinkFact
from .layout import MatrixFacts
from .layout import PhaseFact
from .layout import RowFact
from .layout import _month_end
from .layout import analyse
from .layout import contrast
from .layout import dollars
from .layout import facts_by_id
from .layout import fy_totals
from .layout import iter_months
from .layout import layout
from .layout import money
from .layout import phase_totals
from .layout import predecessor_index
from .layout import predecessors_of
from .layout import text_width

__all__ = [
    "ARROW_COLOR",
    "CANCELLED_FILL",
    "CANCELLED_TEXT",
    "CRITICAL_COLOR",
    "FY_ROW_H",
    "LABEL_W",
    "MONTH_INITIALS",
    "MONTH_ROW_H",
    "PHASE_ROW_H",
    "PHASE_TINTS",
    "QUARTER_ROW_H",
    "RIGHT_PAD",
    "SOURCE_COLORS",
    "SOURCE_LABELS",
    "SUB_CHAR_W",
    "TODAY_COLOR",
    "VIOLATION_COLOR",
    "ActivityFact",
    "Analysis",
    "Bar",
    "FundingFact",
    "Layout",
    "LinkFact",
    "MatrixFacts",
    "PhaseFact",
    "PlanData",
    "RowFact",
    "_month_end",
    "analyse",
    "contrast",
    "dollars",
    "facts_by_id",
    "fy_totals",
    "iter_months",
    "layout",
    "load",
    "load_country_plan",
    "matrix_input",
    "money",
    "phase_totals",
    "predecessor_index",
    "predecessors_of",
    "svg",
    "text_width",
]
