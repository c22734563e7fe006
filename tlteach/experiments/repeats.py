"""Runs over seeds: is a difference real, or seed-to-seed noise?

Every experiment in the course runs each setting with several seeds (each seed draws another
subset of photos and another random start) and keeps one row per run. These helpers turn the
runs into mean ± sd and into the one rule every lesson uses:

    A difference counts when the gap between two means is larger than twice the larger of
    their two standard deviations (and at least one percentage point). Otherwise: within noise.

    >>> seeds = tt.repeats.seeds(3)                 # [0, 1, 2], or from TLTEACH_SEED
    >>> mean_sd([0.94, 0.95, 0.93])
    (0.94, 0.01)
    >>> compare([0.94, 0.95, 0.93], [0.60, 0.63, 0.58])
    'higher'
"""
from __future__ import annotations

import math
from contextlib import contextmanager

import torch

from ..errors import TLTeachError
from ..i18n import N_, number, tr, trn
from ..seeds import base_seed, seeds  # noqa: F401 (tt.repeats.seeds, as the lessons call it)
from ..table import Table

MIN_GAP = 0.01  # differences smaller than one percentage point are never interpreted


# What `compare` says: keys in code (`words[verdict]` in the lessons), shown translated (tr(verdict)).
HIGHER, LOWER, WITHIN_NOISE = N_("higher"), N_("lower"), N_("within noise")


@contextmanager
def threads_set_to(n: int):
    """Run the `with` block on `n` CPU threads, then give the old count back."""
    threads = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@contextmanager
def one_thread():
    """Run the `with` block on one CPU thread, then give the old count back.

    Float sums in another order (several threads split them differently) move a training run by
    an image or two. The freeze sweep runs on one thread, so its live runs give the same numbers
    on every machine as the table shipped with the course.
    """
    with threads_set_to(1):
        yield


def mean_sd(values) -> tuple:
    """(mean, sample standard deviation); the sd of a single run is 0."""
    values = [float(v) for v in values]
    if not values:
        raise TLTeachError(tr("No runs to summarise."))
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def compare(a, b) -> str:
    """'higher', 'lower' or 'within noise': how the runs `a` compare with the runs `b` (the course's rule)."""
    (mean_a, sd_a), (mean_b, sd_b) = mean_sd(a), mean_sd(b)
    gap = mean_a - mean_b
    if abs(gap) <= max(2 * max(sd_a, sd_b), MIN_GAP):
        return WITHIN_NOISE
    return HIGHER if gap > 0 else LOWER


def percent(values) -> str:
    """'94.8 ± 0.5 % (n=3)' for accuracies given as fractions."""
    return percent_of(mean_sd(values), len(list(values)))


def percent_of(mean_and_sd, n) -> str:
    """'89.1 ± 1.2 % (n=5)' from (mean, sd) and n."""
    mean, sd = mean_and_sd
    return f"{number(100 * mean, 1)} ± {number(100 * sd, 1)} % (n={n})"


def points(difference, digits: int = 0, sign: bool = False) -> str:
    """A difference of two accuracies (fractions) in percentage points, in words that fit the number.

    >>> points(0.63)                      # '63 percentage points'  (Russian: '63 пункта')
    >>> points(0.021, digits=1, sign=True)  # '+2.1 percentage points' (Russian: '+2,1 пункта')
    """
    value = round(100 * float(difference), digits) + 0.0  # (+ 0.0: no "-0.0")
    shown = number(value, digits, sign=sign)
    return trn("{n} percentage point", "{n} percentage points", abs(value), n=shown)


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
