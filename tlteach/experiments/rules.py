"""The two rules of thumb, read from the freeze-depth table (`tt.sweep`). Lesson 04.

    >>> table = tt.sweep.load_results()
    >>> tt.rules.contrasts(table)           # per row: tune everything vs freeze everything, mean ± sd, n
    >>> tt.rules.check_rules(table)         # each rule: holds / the opposite / no difference / cannot tell

One contrast is fixed before looking at the numbers, so no choice flatters it: in every row,
**tuning everything** (`frozen="0"`) against **freezing every body group** (`frozen="8"`,
feature extraction trained with the same recipe), on all validation images of each run, one
value per seed. The rules predict how that gain of tuning changes:

- *less data → freeze more*: the gain is smaller with few photos than with many (same task);
- *less similar → freeze fewer*: the gain is larger for a task less like ImageNet (same data size).

Each contrast is read with the course's statistic (`tt.repeats.paired`: the per-seed gains of
tuning, their mean with a 95 % interval and "ahead on k of n seeds"). A rule compares the gains
of two rows, which ran on different photos: `tt.repeats.unpaired` (Welch's interval). The
verdicts: holds / the opposite (the interval excludes 0), "no difference larger than X" (the
whole interval lies inside ±X, X = `tt.repeats.SMALLEST`), otherwise "cannot tell" with about how
many seeds would be needed.

Which column is best is a different question with a choice in it: `best_columns` picks on one
half of the validation images and reports on the other, both ways round. The body learning
rate is picked the same way (`learning_rates`).
"""
from __future__ import annotations

from ..errors import TLTeachError
from ..models.architectures import EfficientNetLite0, SmallCNN
from ..models.backbones import LITE0
from ..models.freezing import ALL_BUT
from ..models.groups import count_parameters, layer_groups
from ..i18n import N_, points, rate, shown, tr, trn
from ..table import Table
from . import recipes, repeats
from .sweep import CAREFUL, SCRATCH, TASKS, frozen_name
from .repeats import conclusion, mean_sd, paired, percent, percent_of, unpaired
from ..verdicts import CANNOT_TELL, HIGHER, LOWER, NO_LARGER

EVERYTHING, FEATURE_EXTRACTION = "0", str(len(LITE0.body))  # nothing frozen; every body group frozen ("8")
FINE_TUNING_COLUMN = str(LITE0.body.index(LITE0.fine_tuning_frozen) + 1)  # the course's fine-tuning cut: stem ... stage5 ("6")
ORDER = ("0", "3", "5", "6", "7", "8", *(ALL_BUT + part for part in LITE0.surgical), "scratch")  # the heatmap's order
HOLDS, OPPOSITE = N_("holds"), N_("the opposite")  # a rule's verdicts, with repeats' NO_LARGER and CANNOT_TELL
RULE_VERDICTS = {HIGHER: HOLDS, LOWER: OPPOSITE, NO_LARGER: NO_LARGER, CANNOT_TELL: CANNOT_TELL}
SIMILARITY = tuple(TASKS)  # from most to least like ImageNet's photos (the sweep's tasks, in their order)


def accuracy(row) -> float:
    """A run's accuracy on all its validation images (both halves are the same size)."""
    return (row["acc_a"] + row["acc_b"]) / 2


def rows_of(table) -> list:
    """The table's rows (task, per_class), in its order."""
    return list(dict.fromkeys((row["task"], row["per_class"]) for row in table))


def runs(table, task, per_class, frozen, value="accuracy", body_lr=None, batchnorm=None, recipe=CAREFUL) -> list:
    """One value per seed (in seed order) of the runs of one cell; the careful recipe at its body lr by default.

    `recipe`: `tt.sweep.CAREFUL` (the course's `tune`) or `tt.sweep.PLAN` (the plan's algorithm; give its `body_lr`).
    `value`: "accuracy" (all validation images), "gap" (training minus validation accuracy), or a column.
    """
    frozen = str(frozen)
    if frozen != SCRATCH:
        body_lr = recipes.TUNING.body_lr if body_lr is None and recipe == CAREFUL else body_lr
        batchnorm = batchnorm or "kept"
    found = sorted((row["seed"], row) for row in table if row["task"] == task and row["per_class"] == per_class
                   and row["frozen"] == frozen and (frozen == SCRATCH or row["recipe"] == recipe)
                   and (body_lr is None or row["body_lr"] == body_lr)
                   and (batchnorm is None or row["batchnorm"] == batchnorm))
    pick = {"accuracy": accuracy, "gap": lambda r: r["train_acc"] - accuracy(r)}.get(value, lambda r: r[value])
    return [float(pick(row)) for _, row in found]


def columns_of(table, task, per_class) -> list:
    """The columns (what learns) a row has at the recipe's body lr, in `ORDER`."""
    have = {row["frozen"] for row in table if (row["task"], row["per_class"]) == (task, per_class)}
    return [c for c in ORDER if c in have and runs(table, task, per_class, c)]


def contrasts(table, recipe=CAREFUL, body_lr=None) -> Table:
    """Per row: freezing everything (8) vs tuning everything (0), mean ± sd, and the gain of tuning, paired by seed.

    `difference`: `tt.repeats.paired(tuned, frozen)` (mean gain, its 95 % interval, k of n, verdict). `recipe`,
    `body_lr`: which runs (as `runs` reads them; the careful recipe by default); rows without them are left out.
    """
    out = []
    for task, n in rows_of(table):
        frozen, tuned = (runs(table, task, n, depth, body_lr=body_lr, recipe=recipe)
                         for depth in (FEATURE_EXTRACTION, EVERYTHING))
        if not frozen or not tuned:
            continue
        gains = [t - f for t, f in zip(tuned, frozen)]  # paired: a seed draws the same photos for both
        found = paired(tuned, frozen)
        scratch = runs(table, task, n, SCRATCH)
        out.append({"task": task, "per_class": n, "n": len(gains),
                    "freeze_everything": mean_sd(frozen), "tune_everything": mean_sd(tuned),
                    "gain": mean_sd(gains), "gains": gains, "difference": found,
                    "verdict": found.verdict, "scratch": mean_sd(scratch) if scratch else None})
    return Table(out, ["task", "per_class", "n", "freeze_everything", "tune_everything", "gain", "difference",
                       "verdict"], title=tr("Tuning everything vs freezing everything, per row"))


def _rule(name, ahead, behind, label) -> dict:
    """The rule predicts `ahead`'s gains above `behind`'s. The two rows ran on different photos: unpaired."""
    found = unpaired(ahead["gains"], behind["gains"])
    return {"rule": name, "compares": label, "difference": found, "verdict": RULE_VERDICTS[found.verdict]}


def check_rules(table, recipe=CAREFUL, body_lr=None) -> Table:
    """Each rule on each pair of rows that tests it: holds, the opposite, no larger difference, or cannot tell.

    "Less data → freeze more" compares the fewest photos of a task with the most; "less similar → freeze fewer" the
    photos against each less similar task, the fewest photos with the fewest (and the most with the most). `recipe`,
    `body_lr`: the runs read (the careful recipe by default; `tt.step_size.report_rules` reads every setting)."""
    rows = {(r["task"], r["per_class"]): r for r in contrasts(table, recipe, body_lr)}
    out = []
    for task in dict.fromkeys(t for t, _ in rows):  # less data -> freeze more: within a task, fewest vs most photos
        sizes = sorted(n for t, n in rows if t == task)
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            out.append(_rule(N_("less data → freeze more"), rows[task, large], rows[task, small],
                             (task, small, task, large)))
    near = SIMILARITY[0]  # less similar -> freeze fewer: the photos against each less similar task, the
    near_sizes = sorted(n for t, n in rows if t == near)  # fewest photos with the fewest, the most with the most
    for far in [t for t in SIMILARITY[1:] if any(task == t for task, _ in rows)]:
        far_sizes = sorted(n for t, n in rows if t == far)
        ends = (0, -1) if len(far_sizes) > 1 else (0,)
        pairs = [(near_sizes[i], far_sizes[i]) for i in ends] if near_sizes else []
        for n_near, n_far in pairs:
            out.append(_rule(N_("less similar → freeze fewer"), rows[far, n_far], rows[near, n_near],
                             (near, n_near, far, n_far)))
    if not out:
        raise TLTeachError(tr("The table has no pair of rows that tests a rule of thumb."))
    return Table(out, ["rule", "compares", "difference", "verdict"], title=tr("The rules of thumb"))


def row_winners(table) -> dict:
    """Per row, its best column and the columns the seeds cannot tell from it: {(task, per_class): (best, tied)}.

    The best is the highest mean accuracy (all validation images); a column is `tied` with it unless
    `tt.repeats.paired(best, column)` says "higher" (its 95 % interval excludes 0); `tied` holds the
    best too. `tt.viz.plot_sweep` outlines a best with no tie, and dashes the ties.
    """
    out = {}
    for key in rows_of(table):
        cells = {c: runs(table, *key, c) for c in columns_of(table, *key)}
        cells = {c: v for c, v in cells.items() if v}
        if not cells:  # a row with runs of the plan's algorithm only (a sweep still under way)
            continue
        best = max(cells, key=lambda c: (mean_sd(cells[c])[0], -ORDER.index(c)))
        out[key] = (best, [c for c in cells if c == best or paired(cells[best], cells[c]).verdict != HIGHER])
    return out


SWEEP_VALUES = (N_("accuracy"), N_("gap"), N_("moved_body"), N_("seconds"))  # what the heatmap can show (sweep_map)


def sweep_map(table, value: str = "accuracy") -> dict:
    """What `tt.viz.plot_sweep` draws: every cell's runs of `value`, and for accuracy each row's best and its ties.

    {"value", "rows": [(task, per_class)], "columns": what learns, in `ORDER`, "cells": {(row, column): (mean, sd)
    over the seeds}, "seeds": the numbers of seeds the cells have, "winners": `row_winners` (accuracy only),
    "apart": the column that stands apart (from scratch)}.
    `value`: "accuracy" (all validation images), "gap" (training minus validation), "moved_body" (how far the
    body's weights moved; feature extraction and from scratch, which do not move it, left out) or "seconds".

    >>> tt.viz.plot_sweep(tt.rules.sweep_map(table, "seconds"))
    """
    if value not in SWEEP_VALUES:
        raise TLTeachError(tr("value must be one of {values}, got {value!r}.",
                              values=", ".join(map(repr, SWEEP_VALUES)), value=value))
    if not len(table):
        raise TLTeachError(tr("The sweep table is empty: load it with tt.sweep.load_results()."))
    keys = rows_of(table)
    columns = [c for c in ORDER if any(c in columns_of(table, *key) for key in keys)]
    if value == "moved_body":
        columns = [c for c in columns if c not in (FEATURE_EXTRACTION, SCRATCH)]
    cells = {(key, c): runs(table, *key, c, value) for key in keys for c in columns}
    cells = {k: v for k, v in cells.items() if v}
    return {"value": value, "rows": keys, "columns": columns, "cells": {k: mean_sd(v) for k, v in cells.items()},
            "seeds": sorted({len(v) for v in cells.values()}),
            "winners": row_winners(table) if value == "accuracy" else {}, "apart": SCRATCH}


def best_columns(table, task, per_class) -> list:
    """The best column picked on one half and reported on the other, both ways round: [(halves, picked, report runs)].

    Among the recipe's columns (not scratch); `halves` is ("a", "b") or ("b", "a").
    """
    columns = [c for c in columns_of(table, task, per_class) if c != SCRATCH]
    out = []
    for pick, report in (("a", "b"), ("b", "a")):
        scores = {c: mean_sd(runs(table, task, per_class, c, f"acc_{pick}"))[0] for c in columns}
        best = max(columns, key=lambda c: (scores[c], -columns.index(c)))
        out.append(((pick, report), best, runs(table, task, per_class, best, f"acc_{report}")))
    return out


def learning_rates(table, task, per_class, frozen=EVERYTHING) -> dict:
    """{body lr: runs (all validation images)} at `frozen`, and the lr picked on each half: {"runs", "picked"}."""
    lrs = sorted({row["body_lr"] for row in table if (row["task"], row["per_class"], row["recipe"], row["frozen"],
                                                      row["batchnorm"]) == (task, per_class, CAREFUL, str(frozen),
                                                                            "kept")})
    values = {lr: runs(table, task, per_class, frozen, body_lr=lr) for lr in lrs}
    picked = {}
    for pick, report in (("a", "b"), ("b", "a")):
        best = max(lrs, key=lambda lr: mean_sd(runs(table, task, per_class, frozen, f"acc_{pick}", body_lr=lr))[0])
        picked[pick, report] = (best, runs(table, task, per_class, frozen, f"acc_{report}", body_lr=best))
    return {"runs": values, "picked": picked}


def learning_rate_lines(table) -> dict:
    """What `tt.viz.plot_learning_rates` draws: {(task, per_class): {body lr: accuracies per seed}} for every row
    with several body learning rates where the whole body learns (the careful recipe)."""
    found = {key: learning_rates(table, *key)["runs"] for key in rows_of(table)}
    return {key: lrs for key, lrs in found.items() if len(lrs) > 1}


# --------------------------------------------------------------------------- what a lesson prints
def row_name(task, per_class) -> str:
    """A row of the table in words: 'animals, 5 per class' (the lessons' lines and figures)."""
    return tr("{task}, {n} per class", task=shown(task), n=per_class)


def verdict_words(difference) -> str:
    """What 'tuning everything minus freezing the body' says in words: who is better, or the statistic's own words
    ('cannot tell — about 9 seeds would be needed'). Lessons 00 and 04 (`report_contrasts`, `tt.step_size.report`)."""
    if difference.verdict == HIGHER:
        return tr("tuning everything is better")
    if difference.verdict == LOWER:
        return tr("freezing the body is better")
    return difference.verdict_words()


def report_contrasts(table) -> None:
    """Print, per row, freezing everything vs tuning everything (and from scratch): mean ± sd, the paired gain."""
    for row in contrasts(table):
        scratch = tr("; from scratch {acc}", acc=percent_of(row["scratch"], row["n"])) if row["scratch"] else ""
        found = row["difference"]
        print(tr("{row}: freeze everything {frozen}, tune everything {tuned}{scratch}. Gain of tuning {gain} "
                 "({interval}), ahead on {k} of {n} seeds → {verdict}",
                 row=row_name(row["task"], row["per_class"]), frozen=percent_of(row["freeze_everything"], row["n"]),
                 tuned=percent_of(row["tune_everything"], row["n"]), scratch=scratch,
                 gain=points(found.mean, 1, sign=True), interval=found.interval(), k=found.ahead, n=found.n,
                 verdict=verdict_words(found)))


def report_parts(table) -> None:
    """Surgical fine-tuning, row by row: only the middle part of the body learning minus only the first part, paired
    by seed (the same photos and head), then one `Conclusion:` line naming the rows where either part wins."""
    wins = {HIGHER: [], LOWER: []}
    for key in rows_of(table):
        first, middle = runs(table, *key, ALL_BUT + "first"), runs(table, *key, ALL_BUT + "middle")
        if not first or not middle:
            continue
        found = paired(middle, first)
        print(tr("{row}: only the middle part learning minus only the first part: {words}", row=row_name(*key),
                 words=found.words()))
        if found.verdict in wins:
            wins[found.verdict].append(row_name(*key))
    conclusion("the middle part beats the first on: {middle}; the first part beats the middle on: {first}; on the "
               "other rows this table shows no winner.", middle="; ".join(wins[HIGHER]) or tr("no row"),
               first="; ".join(wins[LOWER]) or tr("no row"))


def report_rules(table) -> None:
    """Print each rule on each pair of rows that tests it, then one `Conclusion:` line per rule, from the verdicts."""
    checked = check_rules(table)
    for row in checked:
        print(rule_line(row))
    for rule in dict.fromkeys(checked["rule"]):
        verdicts = [r["verdict"] for r in checked if r["rule"] == rule]
        counts = ", ".join(tr("{verdict} in {n}", verdict=_count_words(v), n=verdicts.count(v))
                           for v in (HOLDS, OPPOSITE, NO_LARGER, CANNOT_TELL) if v in verdicts)
        conclusion(trn("{rule}: {counts} (of {total} comparison).", "{rule}: {counts} (of {total} comparisons).",
                       len(verdicts), rule=tr(rule), counts=counts, total=len(verdicts)))


def rule_line(row) -> str:
    """One comparison of `check_rules` in words: the rule, the two rows, the difference of their gains of tuning with
    its 95 % interval (unpaired), and the verdict."""
    near_task, near_n, far_task, far_n = row["compares"]
    found = row["difference"]
    verdict = tr(row["verdict"]) if row["verdict"] in (HOLDS, OPPOSITE) else found.verdict_words()
    return tr("{rule}: {first} vs {second}: the gain of tuning differs by {difference} ({interval}; different photos, "
              "unpaired) → {verdict}", rule=tr(row["rule"]), first=row_name(near_task, near_n),
              second=row_name(far_task, far_n), difference=points(found.mean, 1, sign=True),
              interval=found.interval(), verdict=verdict)


def _count_words(verdict) -> str:
    """A rule's verdict in the count of the `Conclusion:` line ('no difference larger than 2 percentage points')."""
    if verdict == NO_LARGER:
        return tr("no difference larger than {smallest}", smallest=points(repeats.SMALLEST))
    return tr(verdict)


def report_best_columns(table) -> None:
    """Print, per row, the column picked on one half and its accuracy on the other, both ways round."""
    for task, n in rows_of(table):
        picks = best_columns(table, task, n)
        parts = [tr("picked on half {pick}: {column}, on half {report} {acc}", pick=pick.upper(),
                    report=report.upper(), column=frozen_name(best), acc=percent(values))
                 for (pick, report), best, values in picks]
        print(f"{row_name(task, n)}: " + "; ".join(parts))


def report_learning_rates(table) -> None:
    """Print the body learning rates where the whole body learns, the one picked on each half, and a `Conclusion:`."""
    destroyed = []
    keys = [key for key in rows_of(table) if len(learning_rates(table, *key)["runs"]) > 1]
    for task, n in keys:
        found = learning_rates(table, task, n)
        parts = [f"{rate(lr)}: {percent(values)}" for lr, values in found["runs"].items()]
        picked = sorted({best for best, _ in found["picked"].values()})
        print(tr("{row}: {parts}; picked on the halves: {picked}", row=row_name(task, n), parts="; ".join(parts),
                 picked=", ".join(rate(lr) for lr in picked)))
        highest, recipe = max(found["runs"]), recipes.TUNING.body_lr
        if highest > recipe and paired(found["runs"][recipe], found["runs"][highest]).verdict == HIGHER:
            destroyed.append((task, n))
    if keys:
        conclusion("a body learning rate of {high} is worse than {recipe} (the 95 % interval of the paired "
                   "difference excludes 0) in {n} of {total} rows: too fast, and the body forgets what it knew.",
                   high=rate(max(max(learning_rates(table, *k)["runs"]) for k in keys)), recipe=rate(recipes.TUNING.body_lr),
                   n=len(destroyed), total=len(keys))


def report_batchnorm(table) -> None:
    """Print kept vs relearnt BatchNorm statistics where the table has both (the whole body learning)."""
    for task, n in rows_of(table):
        relearnt = runs(table, task, n, EVERYTHING, batchnorm="relearnt")
        if not relearnt:
            continue
        kept = runs(table, task, n, EVERYTHING)
        print(tr("{row}, the whole body learning: BatchNorm statistics kept {kept}, relearnt from the batches "
                 "{relearnt}; kept minus relearnt: {difference}", row=row_name(task, n), kept=percent(kept),
                 relearnt=percent(relearnt), difference=paired(kept, relearnt)))


def report_movement(table) -> None:
    """Print how far the body moved where it all learns (the smallest run of each row): the experiment's power."""
    for task, n in rows_of(table):
        moved = runs(table, task, n, EVERYTHING, "moved_body")
        if moved:
            print(tr("{row}: the whole body learning moved its weights by {low} to {high} (relative change)",
                     row=row_name(task, n), low=f"{min(moved):.1e}", high=f"{max(moved):.1e}"))


# --------------------------------------------------------------------------- the three strategies (lesson 05)
STRATEGY_COLUMNS = {N_("from scratch"): SCRATCH, N_("feature extraction"): FEATURE_EXTRACTION,
                    N_("fine-tuning"): FINE_TUNING_COLUMN}


def _trainable(column: str, classes: int) -> int:
    """Trainable parameters of a column's model (counted on the architecture: no weights needed)."""

    if column == SCRATCH:
        return count_parameters(SmallCNN(classes))
    groups = list(layer_groups(EfficientNetLite0(num_classes=classes)).values())
    return sum(count_parameters(g) for g in groups[int(column):])


def strategies(table, task, per_class) -> Table:
    """The three strategies of lesson 05 as rows of the freeze-depth table: one row per (strategy, seed).

    From scratch = the scratch column, feature extraction = 8 frozen, fine-tuning = 6 frozen
    (stage6, stage7 and the head learn): the same recipe, the same photos per seed. Columns as
    `tt.experiments.compare_strategies`: strategy, seed, val_acc (all validation images),
    acc_a, acc_b (the halves), train_acc, trainable_parameters, seconds.
    """
    classes = TASKS[task].classes
    rows = []
    for name, column in STRATEGY_COLUMNS.items():
        found = sorted((r["seed"], r) for r in table if (r["task"], r["per_class"], r["frozen"]) ==
                       (task, per_class, column) and (column == SCRATCH or r["recipe"] == CAREFUL) and (
                           column == SCRATCH or (
                           r["body_lr"], r["batchnorm"]) == (recipes.TUNING.body_lr, "kept")))
        if not found:
            raise TLTeachError(tr("The table has no runs of {name} for {row}.", name=tr(name),
                                  row=row_name(task, per_class)))
        trainable = _trainable(column, classes)
        rows += [{"strategy": name, "seed": seed, "val_acc": accuracy(r), "acc_a": r["acc_a"], "acc_b": r["acc_b"],
                  "train_acc": r["train_acc"], "trainable_parameters": trainable, "seconds": r["seconds"]}
                 for seed, r in found]
    return Table(rows, ["strategy", "seed", "val_acc", "acc_a", "acc_b", "train_acc", "trainable_parameters",
                        "seconds"], title=tr("{row}: the three strategies, from the freeze-depth table",
                                             row=row_name(task, per_class)))


def report_strategies(table, task, per_class) -> None:
    """Print `Conclusion:` lines for lesson 05's comparisons on one row: pretrained vs scratch, fine-tuning vs features."""
    runs_of = {name: [r["val_acc"] for r in strategies(table, task, per_class) if r["strategy"] == name]
               for name in STRATEGY_COLUMNS}
    scratch, features, tuned = (runs_of[n] for n in STRATEGY_COLUMNS)
    row = row_name(task, per_class)
    for name, a, b in ((N_("feature extraction minus from scratch"), features, scratch),
                       (N_("fine-tuning minus from scratch"), tuned, scratch),
                       (N_("fine-tuning minus feature extraction"), tuned, features)):
        print(tr("{row}: {name}: {difference}", row=row, name=tr(name), difference=paired(a, b)))
    both = [paired(features, scratch).verdict, paired(tuned, scratch).verdict]
    conclusion("{row}: {outcome}", row=row, outcome=tr(
        N_("both pretrained strategies beat training from scratch (the 95 % intervals exclude 0).")
        if both == [HIGHER, HIGHER] else N_("training from scratch is not clearly behind both pretrained strategies.")))
    found = paired(tuned, features)
    outcome = {HIGHER: N_("fine-tuning stage6 and stage7 beats feature extraction"),
               LOWER: N_("feature extraction beats fine-tuning stage6 and stage7"),
               NO_LARGER: N_("fine-tuning stage6 and stage7 and feature extraction differ by less than {smallest}"),
               CANNOT_TELL: N_("this experiment cannot tell fine-tuning stage6 and stage7 from feature extraction")}
    conclusion("{row}: {outcome}.", row=row, outcome=tr(outcome[found.verdict], smallest=points(found.smallest)))
