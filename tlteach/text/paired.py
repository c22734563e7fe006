"""Paired runs: the mean per-seed difference with a 95 % t-interval, and "ahead on k of n seeds" (lesson 07).

Two settings run with the same seeds (the same texts drawn, the same random start) are compared seed by seed:
the difference on each seed, their mean, and an interval mean ± t · sd / √n that narrows with more seeds.
When the interval includes 0 (or the difference is below one percentage point) the runs cannot tell the two
apart.

    >>> paired([0.90, 0.92, 0.95], [0.80, 0.85, 0.83])
    {'mean': 0.0966..., 'low': ..., 'high': ..., 'ahead': 3, 'n': 3, 'verdict': 'higher'}

(Local to lesson 07 until `tt.repeats.paired` lands; the same rule, so the lesson switches by one name.)
"""
from __future__ import annotations

import math

from ..errors import TLTeachError
from ..experiments.repeats import HIGHER, LOWER, MIN_GAP
from ..i18n import N_, tr

CANNOT_TELL = N_("cannot tell")
# t_{0.975, df} for df = 1 ... 30 (two-sided 95 %); above 30 the normal 1.96 is close enough for a lesson
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
         2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t_975(df: int) -> float:
    return T_975[df - 1] if df <= len(T_975) else 1.96


def paired(a, b) -> dict:
    """How the runs `a` compare with the runs `b` of the same seeds (same order).

    mean: the mean of a − b; low, high: its 95 % t-interval; ahead: on how many seeds a > b; n: seeds;
    verdict: 'higher' or 'lower' when the interval excludes 0 and the mean difference is at least one percentage
    point (the course's MIN_GAP), else 'cannot tell'.
    """
    a, b = [float(v) for v in a], [float(v) for v in b]
    if len(a) != len(b) or len(a) < 2:
        raise TLTeachError(tr("Paired runs need the same seeds on both sides, at least two: got {a} and {b} runs.",
                              a=len(a), b=len(b)))
    diffs = [x - y for x, y in zip(a, b)]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
    half = t_975(n - 1) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    verdict = CANNOT_TELL if abs(mean) < MIN_GAP else HIGHER if low > 0 else LOWER if high < 0 else CANNOT_TELL
    return {"mean": mean, "low": low, "high": high, "ahead": sum(d > 0 for d in diffs), "n": n, "verdict": verdict}
