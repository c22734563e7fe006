"""Runs over seeds: is a difference real, or seed-to-seed noise?

Every experiment in the course runs each setting with several seeds (each seed draws another
subset of photos and another random start) and keeps one row per run. These helpers turn the
runs into mean ± sd and into the one statistic every lesson uses to ask "is it real?":

    Compare paired runs (same photos, same seed) by their per-seed differences: their mean with
    a 95 % interval, and "ahead on k of n seeds". "A is higher" when the interval excludes 0;
    "no difference larger than X" only when the whole interval lies inside ±X (X = `SMALLEST`,
    the smallest difference the lessons care about); otherwise "cannot tell — about N seeds
    would be needed". Runs on different photos are compared unpaired (Welch's interval) and
    say so.

    >>> seeds = tt.repeats.seeds(3)                 # [0, 1, 2], or from TLTEACH_SEED
    >>> mean_sd([0.94, 0.95, 0.93])
    (0.94, 0.01)
    >>> d = paired([0.91, 0.93, 0.92], [0.88, 0.90, 0.90])   # seed by seed: the same photos
    >>> d.verdict, d.ahead, d.n
    ('higher', 3, 3)
    >>> print(d)
    +2.7 percentage points (95 % interval +1.2 to +4.1), ahead on 3 of 3 seeds: higher
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from ..errors import TLTeachError
from ..i18n import number, points, tr, trn
from ..seeds import base_seed
from ..table import Table
from ..validate import whole_number
from ..verdicts import CANNOT_TELL, HIGHER, LOWER, NO_LARGER  # what paired and unpaired say

SMALLEST = 0.02  # the smallest difference of accuracy the lessons care about: 2 percentage points
MOST_SEEDS = 100  # "about N seeds would be needed" says "more than 100" beyond this
TIE = 1e-9  # a smaller per-seed difference is a tie: the same accuracy, summed in another order


# t quantiles t(0.975, df) for df = 1..30 (two-sided 95 %), from any table of Student's t distribution.
_T975 = (12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
         2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423)
_Z975 = 1.959964


@contextmanager
def threads_set_to(n: int):
    """Run the `with` block on `n` CPU threads, then give the old count back."""
    threads = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def mean_sd(values) -> tuple:
    """(mean, sample standard deviation); the sd of a single run is 0."""
    values = [float(v) for v in values]
    if not values:
        raise TLTeachError(tr("No runs to summarise."))
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def t_quantile(df: float) -> float:
    """t(0.975, df): the t multiplier of a two-sided 95 % interval with `df` degrees of freedom.

    From a table for df = 1..30 (a df between two whole numbers, as Welch's gives, is read
    between them, linearly in 1/df), and beyond 30 from the normal quantile with the first two
    terms of the Cornish-Fisher expansion (within 0.001 of the exact value).

    >>> t_quantile(4)       # 5 seeds
    2.7764
    """
    if not df >= 1:
        raise TLTeachError(tr("An interval needs at least 2 runs (1 degree of freedom); got {df} degrees of freedom.",
                              df=df))
    if df <= len(_T975):
        low = int(df)
        if low == df or low == len(_T975):
            return _T975[low - 1]
        share = (1 / low - 1 / df) / (1 / low - 1 / (low + 1))
        return _T975[low - 1] + share * (_T975[low] - _T975[low - 1])
    z = _Z975
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


def half_width(sd: float, n: int) -> float:
    """Half the width of the 95 % t-interval of a mean of `n` runs with standard deviation `sd` (0 for one run)."""
    return t_quantile(n - 1) * sd / math.sqrt(n) if n > 1 else 0.0


@dataclass(frozen=True)
class Difference:
    """How the runs `a` compare with the runs `b`: what `paired` and `unpaired` give.

    mean, low, high: the mean difference a - b and its 95 % interval (fractions, as the runs);
    n: seeds (paired) or the runs of the smaller side (unpaired; both sizes in `sizes`);
    ahead, behind: seeds on which a is above / below b (paired only, else None);
    verdict: HIGHER or LOWER (the interval excludes 0), NO_LARGER (the whole interval lies inside
    ±smallest) or CANNOT_TELL; seeds_needed: about how many seeds (unpaired: runs of each) would
    make the interval narrow enough to decide, from the spread seen here (None when decided;
    MOST_SEEDS + 1 means "more than MOST_SEEDS"); sd: the spread of one seed's difference.

    >>> print(paired(a, b))     # one line in the lesson's language
    """
    mean: float
    low: float
    high: float
    n: int
    ahead: int | None
    behind: int | None
    paired: bool
    smallest: float
    verdict: str
    seeds_needed: int | None
    sd: float
    sizes: tuple

    @property
    def decided(self) -> bool:
        """True when the verdict is not "cannot tell"."""
        return self.verdict != CANNOT_TELL

    def interval(self, digits: int = 1) -> str:
        """'95 % interval +0.4 to +4.2' (percentage points)."""
        return tr("95 % interval {low} to {high}", low=number(100 * self.low + 0.0, digits, sign=True),
                  high=number(100 * self.high + 0.0, digits, sign=True))

    def verdict_words(self) -> str:
        """'higher', 'lower', 'no difference larger than 2 percentage points' or 'cannot tell — about 12 seeds
        would be needed', in the lesson's language."""
        if self.verdict in (HIGHER, LOWER):
            return tr(self.verdict)
        if self.verdict == NO_LARGER:
            return tr("no difference larger than {smallest}", smallest=points(self.smallest))
        if self.seeds_needed > MOST_SEEDS:
            return (tr("cannot tell — more than {n} seeds would be needed", n=MOST_SEEDS) if self.paired else
                    tr("cannot tell — more than {n} runs of each would be needed", n=MOST_SEEDS))
        if self.paired:
            return trn("cannot tell — about {n} seed would be needed", "cannot tell — about {n} seeds would be needed",
                       self.seeds_needed, n=self.seeds_needed)
        return trn("cannot tell — about {n} run of each would be needed",
                   "cannot tell — about {n} runs of each would be needed", self.seeds_needed, n=self.seeds_needed)

    def words(self, digits: int = 1) -> str:
        """One line: '+2.3 percentage points (95 % interval +0.4 to +4.2), ahead on 5 of 5 seeds: higher'."""
        mean = points(self.mean, digits, sign=True)
        if self.paired:
            ahead = trn("ahead on {k} of {n} seed", "ahead on {k} of {n} seeds", self.n, k=self.ahead, n=self.n)
            return tr("{mean} ({interval}), {seeds}: {verdict}", mean=mean, interval=self.interval(digits),
                      seeds=ahead, verdict=self.verdict_words())
        return tr("{mean} ({interval}; different photos, {n_a} against {n_b} runs, unpaired): {verdict}", mean=mean,
                  interval=self.interval(digits), n_a=self.sizes[0], n_b=self.sizes[1], verdict=self.verdict_words())

    def __str__(self) -> str:
        return self.words()


def seeds(n: int = 3) -> list:
    """`n` consecutive seeds starting at the lesson's seed (`tt.seeds.base_seed`): [0, 1, 2] by default, [3, 4, 5]
    with TLTEACH_SEED=3 (a teacher can show the course on other seeds)."""
    whole_number(n, "n", minimum=1)
    start = base_seed()
    return list(range(start, start + n))


def _runs(values, name: str) -> list:
    values = [float(v) for v in values]
    if len(values) < 2:
        raise TLTeachError(trn("A comparison needs at least 2 seeds on each side, {name} has {n}: run more seeds.",
                               "A comparison needs at least 2 seeds on each side, {name} has {n}: run more seeds.",
                               len(values), name=name, n=len(values)))
    return values


def _verdict(low: float, high: float, smallest: float) -> str:
    if low > 0:
        return HIGHER
    if high < 0:
        return LOWER
    if -smallest < low and high < smallest:
        return NO_LARGER
    return CANNOT_TELL


def _seeds_needed(mean: float, sd: float, smallest: float, n: int, df) -> int:
    """The fewest seeds whose interval, with this mean and spread, would exclude 0 or fit inside ±smallest."""
    target = max(abs(mean), smallest - abs(mean))  # the half-width that would decide, one way or the other
    for more in range(n + 1, MOST_SEEDS + 1):
        if target > 0 and t_quantile(df(more)) * sd / math.sqrt(more) < target:
            return more
    return MOST_SEEDS + 1


def paired(a, b, smallest: float | None = None) -> Difference:
    """Runs `a` against runs `b` seed by seed (the same photos, the same seed): the course's statistic.

    `a`, `b`: one value per seed, in the same seed order. The per-seed differences a - b give a
    mean with a 95 % t-interval (n - 1 degrees of freedom) and "ahead on k of n seeds";
    `smallest` (default `SMALLEST`, 2 points) is the smallest difference that matters.

    >>> d = tt.repeats.paired(pretrained, scratch)
    >>> print(d)            # '+6.8 percentage points (95 % interval +2.1 to +11.5), ahead on 3 of 3 seeds: higher'
    >>> d.verdict           # 'higher' (tt.verdicts.HIGHER)
    """
    a, b = _runs(a, "a"), _runs(b, "b")
    if len(a) != len(b):
        raise TLTeachError(tr("paired() needs one value per seed on both sides, in the same seed order: a has {n_a}, "
                              "b has {n_b}. Use the same seeds for both, or unpaired() for runs on different photos.",
                              n_a=len(a), n_b=len(b)))
    smallest = SMALLEST if smallest is None else float(smallest)
    differences = [x - y for x, y in zip(a, b)]
    n = len(differences)
    mean, sd = mean_sd(differences)
    half = half_width(sd, n)
    low, high = mean - half, mean + half
    verdict = _verdict(low, high, smallest)
    needed = None if verdict != CANNOT_TELL else _seeds_needed(mean, sd, smallest, n, lambda k: k - 1)
    return Difference(mean=mean, low=low, high=high, n=n, ahead=sum(d > TIE for d in differences),
                      behind=sum(d < -TIE for d in differences), paired=True, smallest=smallest, verdict=verdict,
                      seeds_needed=needed, sd=sd, sizes=(n, n))


def unpaired(a, b, smallest: float | None = None) -> Difference:
    """Runs `a` against runs `b` on different photos (nothing pairs them): Welch's 95 % interval of the difference
    of the means. Its words say that the photos differ; `paired` is the stronger test when the seeds pair the runs.

    >>> print(tt.repeats.unpaired(runs_30_photos, runs_5_photos))
    """
    a, b = _runs(a, "a"), _runs(b, "b")
    smallest = SMALLEST if smallest is None else float(smallest)
    (mean_a, sd_a), (mean_b, sd_b) = mean_sd(a), mean_sd(b)
    var_a, var_b = sd_a ** 2 / len(a), sd_b ** 2 / len(b)
    if var_a + var_b > 0:  # Welch-Satterthwaite degrees of freedom
        df = (var_a + var_b) ** 2 / (var_a ** 2 / (len(a) - 1) + var_b ** 2 / (len(b) - 1))
    else:
        df = len(a) + len(b) - 2
    mean = mean_a - mean_b
    half = t_quantile(df) * math.sqrt(var_a + var_b)
    low, high = mean - half, mean + half
    verdict = _verdict(low, high, smallest)
    spread = math.sqrt(sd_a ** 2 + sd_b ** 2)  # of one run of a minus one run of b
    n = min(len(a), len(b))
    needed = None if verdict != CANNOT_TELL else _seeds_needed(mean, spread, smallest, n, lambda k: 2 * k - 2)
    return Difference(mean=mean, low=low, high=high, n=n, ahead=None, behind=None, paired=False, smallest=smallest,
                      verdict=verdict, seeds_needed=needed, sd=spread, sizes=(len(a), len(b)))


def percent(values) -> str:
    """'94.8 ± 0.5 % (n=3)' for accuracies given as fractions."""
    return percent_of(mean_sd(values), len(list(values)))


def percent_of(mean_and_sd, n) -> str:
    """'89.1 ± 1.2 % (n=5)' from (mean, sd) and n."""
    mean, sd = mean_and_sd
    return f"{number(100 * mean, 1)} ± {number(100 * sd, 1)} % (n={n})"


def summarise(table, by, value: str = "val_acc", title: str = "") -> Table:
    """One row per group of runs: the `by` columns, then mean, sd, n, lowest and highest of `value`.

    >>> summarise(results, by="strategy")
    """
    by = [by] if isinstance(by, str) else list(by)
    groups: dict = {}
    for row in table:
        try:
            groups.setdefault(tuple(row[c] for c in by), []).append(float(row[value]))
        except KeyError as err:
            raise TLTeachError(tr(
                "The table has no column {err}; its columns are {columns}.",
                err=err, columns=list(row))) from None
    rows = []
    for key, values in groups.items():
        mean, sd = mean_sd(values)
        rows.append({**dict(zip(by, key)), "mean": mean, "sd": sd, "n": len(values),
                     "lowest": min(values), "highest": max(values)})
    return Table(rows, by + ["mean", "sd", "n", "lowest", "highest"], title=title or tr("{value}: mean ± sd over runs", value=tr(value)))


def runs_of(table, value: str = "val_acc", **where) -> list:
    """The values of `value` in the rows matching every `column=value` in `where`."""
    found = [float(row[value]) for row in table if all(row[k] == v for k, v in where.items())]
    if not found:
        raise TLTeachError(tr("No run matches {where}.", where=where))
    return found


def conclusion(text: str, **values) -> None:
    """Print a line "Conclusion: ..." ("Вывод: ..." in the Russian edition).

    The lessons build `text` from the runs, so a re-run on another seed prints what its own
    numbers say.
    """
    print(f"{tr('Conclusion')}: {tr(text, **values)}")  # printed, not returned: a cell's last line shows it once
