"""The course's four verdicts on a difference, in one place: `tt.repeats.paired` and `unpaired` decide them,
the rules, the figures and the exercises read them.

They are keys in code (`words[d.verdict]` in the lessons) and are shown translated (`tr(verdict)`):

- HIGHER / LOWER: the 95 % interval of the difference lies above / below 0;
- NO_LARGER: the whole interval lies inside ±`tt.repeats.SMALLEST` ("no difference larger than 2 points");
- CANNOT_TELL: otherwise (with about how many seeds would be needed).
"""
from __future__ import annotations

from .i18n import N_

HIGHER, LOWER = N_("higher"), N_("lower")
NO_LARGER, CANNOT_TELL = N_("no larger difference"), N_("cannot tell")
VERDICTS = (HIGHER, LOWER, NO_LARGER, CANNOT_TELL)
