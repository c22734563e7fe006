"""The freeze-depth experiment: which layer groups should learn, by task similarity and data size? Lesson 04.

    >>> table = tt.sweep.load_results()        # the shipped table: one row per run
    >>> tt.viz.plot_sweep(table)               # rows: task and data size; columns: what learns
    >>> tt.sweep.verdicts(table)               # the two rules of thumb, row by row, from the numbers

Every run is one recipe, `tt.recipes.tune` (`tt.recipes.TUNING`): a new head learns alone for
50 steps, then for 150 steps the head and the groups that `learns` names, the body at its own
learning rate, every BatchNorm keeping ImageNet's statistics. Only what learns differs from
column to column: `learns=8` (every body group frozen) is feature extraction trained exactly
like the others, `learns=0` fine-tunes the whole body, "first" / "middle" / "last" tune one
part of it (surgical fine-tuning, Lee et al. 2023). A step budget, not a count of epochs: 5
photos per class get as many steps as 30, so the weights can move (each run records how far
every group moved, `moved_<group>`, relative to ImageNet's weights).

Each seed draws its own photos (the same photos for every column: paired), its own head and
batch order, and its own split of the validation images into two halves, A and B. The body
learning rate and the best column are picked on one half and reported on the other (both ways
round: `best_columns`); the heatmap and the rules use all validation images of every run.

Rows: the same 10 animals as photos, sketches and security-camera frames (`tt.domains`), and
the chest X-rays (a far task), each beside a from-scratch network (`learns="scratch"`,
`tt.recipes.from_scratch`). The table is computed once and shipped
(`results/freeze_sweep.csv`, `load_results()`); regenerate it with

    python -m tlteach.experiments.sweep --regenerate --jobs 2

A live slice (`run_rows`) reproduces shipped rows exactly (one CPU thread).
"""
from __future__ import annotations

import csv
import math
import time
from pathlib import Path

from . import recipes
from ..data.datasets import load_dataset, resized, small_subset, train_val_split
from ..data.domains import security_camera, sketch
from ..errors import TLTeachError
from ..i18n import N_, number, shown, tr, trn
from ..models.inspection import weight_change
from ..training.inference import accuracy, dataset_scores
from .repeats import threads_set_to
from ..table import Table

GROUPS = ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7")  # EfficientNet-Lite0's body
COLUMNS = (("task", "per_class", "learns", "body_lr", "batchnorm", "seed", "acc_a", "acc_b", "train_acc", "steps",
            "moved_body") + tuple(f"moved_{g}" for g in GROUPS) + ("seconds",))
RESULTS = Path(__file__).resolve().parent.parent / "results" / "freeze_sweep.csv"
SCRATCH = "scratch"
TASKS = (N_("animals"), N_("sketch"), N_("security camera"), N_("xray"))

# The shipped table (`python -m tlteach.experiments.sweep --regenerate`).
FULL = dict(rows=(("animals", 5), ("animals", 30), ("sketch", 5), ("security camera", 5), ("xray", 10),
                  ("xray", 100)),
            learns=(0, 3, 5, 6, 7, 8, "first", "middle"), seeds=(0, 1, 2, 3, 4),
            lr_grid=(1e-5, 1e-3),            # beside the recipe's 1e-4, at learns=0 (the whole body learns) ...
            lr_rows=(("animals", 5), ("sketch", 5), ("security camera", 5), ("xray", 10)),  # ... on the smallest rows
            relearnt_batchnorm=("xray",))    # BatchNorm statistics learnt from the batches, as a factor, learns=0


# --------------------------------------------------------------------------- the data
def task_data(task: str) -> tuple:
    """(train, val) of a row's task at 128 px: "animals", "sketch", "security camera" or "xray"."""
    if task == "xray":
        return load_dataset("xray", "train"), load_dataset("xray", "val")
    train, val = load_dataset("animals", "train"), load_dataset("animals", "val")
    if task == "animals":
        return train, val
    if task == "sketch":
        return sketch(train), sketch(val)
    if task == "security camera":
        return security_camera(train, seed=0), security_camera(val, seed=1)
    raise TLTeachError(tr("Unknown task {task!r}. Choose one of: {tasks}.", task=task,
                          tasks=", ".join(map(repr, TASKS))))


# --------------------------------------------------------------------------- one run
def one_run(task: str, train, val, per_class: int, learns, seed: int, body_lr: float = None,
            batchnorm: str = "kept", recipe: recipes.Recipe = recipes.TUNING) -> dict:
    """One row of the table: `per_class` photos drawn with `seed`, trained with `learns`, measured on both halves.

    `learns`: as in `tt.recipes.tune` (a number of frozen groups, "first" / "middle" / "last"),
    or "scratch" (`tt.recipes.from_scratch`, the from-scratch line). `steps`: the optimiser
    steps in which the body could learn; `moved_<group>`: how far the group moved from
    ImageNet's weights (`tt.inspection.weight_change`; `moved_body`: all body groups together).
    """
    subset = small_subset(train, per_class, seed=seed)
    half_a, half_b = train_val_split(val, 0.5, seed=seed)
    start = time.perf_counter()
    if learns == SCRATCH:
        used = recipes.FROM_SCRATCH
        model, history = recipes.from_scratch(subset, None, seed=seed, recipe=used)
        body_lr, batchnorm, moved, steps = used.lr, "learnt", {}, len(history) * _batches(per_class, subset, used)
    else:
        used = recipe.but(body_lr=recipe.body_lr if body_lr is None else body_lr, batchnorm=batchnorm)
        model, history = recipes.tune(subset, None, seed=seed, learns=learns, recipe=used)
        body_lr, moved = used.body_lr, weight_change(model, recipes.pretrained_backbone(used.backbone))
        steps = recipes.epochs_for(used.steps, len(subset), used.batch_size) * _batches(per_class, subset, used)
    seconds = time.perf_counter() - start
    right = {name: _accuracy(model, ds, used.image_size) for name, ds in (("a", half_a), ("b", half_b),
                                                                          ("train", subset))}
    row = {"task": task, "per_class": per_class, "learns": str(learns), "body_lr": float(body_lr),
           "batchnorm": batchnorm, "seed": seed, "acc_a": right["a"], "acc_b": right["b"], "train_acc": right["train"],
           "steps": steps, "moved_body": moved.get("body", math.nan), "seconds": seconds}
    row.update({f"moved_{g}": moved.get(g, math.nan) for g in GROUPS})
    return row


def _batches(per_class, subset, recipe) -> int:
    return math.ceil(len(subset) / min(recipe.batch_size or len(subset), len(subset)))  # None: one batch


def _accuracy(model, ds, size) -> float:
    """Images right / images of `ds`, at the image size the model was trained on."""
    ds = resized(ds, size) if size else ds
    return accuracy(dataset_scores(model, ds), ds.labels)


def full_plan() -> list:
    """Every run of the shipped table as (task, per_class, learns, body_lr, batchnorm, seed), in the table's order."""
    default = recipes.TUNING.body_lr
    plan = []
    for task, n in FULL["rows"]:
        for learns in FULL["learns"]:
            plan += [(task, n, learns, default, "kept", s) for s in FULL["seeds"]]
        for lr in FULL["lr_grid"] if (task, n) in FULL["lr_rows"] else ():
            plan += [(task, n, 0, lr, "kept", s) for s in FULL["seeds"]]
        if task in FULL["relearnt_batchnorm"]:
            plan += [(task, n, 0, default, "relearnt", s) for s in FULL["seeds"]]
        plan += [(task, n, SCRATCH, recipes.FROM_SCRATCH.lr, "learnt", s) for s in FULL["seeds"]]
    return plan


def run_rows(plan, threads: int = 1, say=print) -> list:
    """The rows of `plan` (see `full_plan`), computed on `threads` CPU threads (1: the shipped table's numbers)."""
    data, rows = {}, []
    with threads_set_to(threads):  # torch's thread count is given back afterwards
        for task, n, learns, lr, bn, seed in plan:
            if task not in data:
                data[task] = task_data(task)
            rows.append(one_run(task, *data[task], n, learns, seed, body_lr=lr, batchnorm=bn))
            r = rows[-1]
            if say:
                say(run_line(r))
    return rows


def learns_name(learns) -> str:
    """What learns in a run, in words: '5 groups frozen', 'only the middle part learns', 'from scratch'."""
    learns = str(learns)
    if learns == SCRATCH:
        return tr("from scratch")
    if learns.isdigit():
        return trn("{n} group frozen", "{n} groups frozen", int(learns), n=int(learns))
    return tr("only the {part} part learns", part=tr(learns))


def run_line(row) -> str:
    """One run of the table as a line of progress, in the lesson's language."""
    values = dict(task=shown(row["task"]), n=row["per_class"], learns=learns_name(row["learns"]), seed=row["seed"],
                  a=number(100 * row['acc_a'], 1), b=number(100 * row['acc_b'], 1), seconds=number(row['seconds'], 1))
    if str(row["learns"]) == SCRATCH:
        return tr("{task}, {n} per class, {learns}, seed {seed}: accuracy {a} % / {b} % (halves A / B), "
                  "{seconds} s", **values)
    return tr("{task}, {n} per class, {learns}, body lr {lr}, BatchNorm {batchnorm}, seed {seed}: accuracy {a} % / "
              "{b} % (halves A / B), the body moved {moved}, {seconds} s", lr=recipes.rate(row['body_lr']),
              batchnorm=tr({"kept": N_("statistics kept"), "relearnt": N_("statistics relearnt")}[row["batchnorm"]]),
              moved=f"{row['moved_body']:.1e}", **values)


def plan_of(task=None, per_class=None, learns=None, seeds=None, body_lr=None, batchnorm="kept") -> list:
    """The runs of the shipped table that match (None: any), in its order: a live slice to recompute.

    >>> rows = tt.sweep.run_rows(tt.sweep.plan_of("xray", 10, learns=[8, 7], seeds=[0, 1]))
    """
    def wanted(value, allowed):
        return allowed is None or value in ([allowed] if isinstance(allowed, (str, int, float)) else list(allowed))

    body_lr = recipes.TUNING.body_lr if body_lr is None else body_lr
    return [run for run in full_plan() if wanted(run[0], task) and wanted(run[1], per_class)
            and wanted(str(run[2]), None if learns is None else [str(x) for x in (
                [learns] if isinstance(learns, (str, int)) else learns)])
            and wanted(run[5], seeds) and (run[2] == SCRATCH or (run[3] == body_lr and run[4] == batchnorm))]


def same_as_shipped(rows, table, images: int = 0) -> list:
    """For each live row, whether the shipped table has the same run with the same accuracies.

    `images`: how many validation images a run may differ by on each half (0: exactly the same;
    on another kind of processor float sums can round differently and move a run by an image).
    """
    shipped = {(r["task"], r["per_class"], r["learns"], r["body_lr"], r["batchnorm"], r["seed"]): r for r in table}
    out = []
    for row in rows:
        ship = shipped.get((row["task"], row["per_class"], row["learns"], row["body_lr"], row["batchnorm"],
                            row["seed"]))
        half = len(task_data(row["task"])[1]) // 2
        out.append(ship is not None and all(abs(row[c] - ship[c]) <= images / half + 1e-9 for c in ("acc_a", "acc_b")))
    return out


def _worker(plan):
    import functools

    return run_rows(plan, say=functools.partial(print, flush=True))


def regenerate(jobs: int = 1, path=None, plan=None) -> Path:
    """Recompute the shipped table (one thread per process; `jobs` processes share the runs)."""
    plan = full_plan() if plan is None else plan
    if jobs <= 1:
        rows = _worker(plan)
    else:  # runs of the same task and column stay together (they share frozen activations)
        from multiprocessing import get_context

        groups = {}
        for run in plan:
            groups.setdefault((run[0], run[2]), []).append(run)
        chunks = sorted(groups.values(), key=lambda g: -_cost(g))
        with get_context("spawn").Pool(jobs) as pool:
            done = [r for part in pool.imap_unordered(_worker, chunks) for r in part]
        order = {_key(r): i for i, r in enumerate(plan)}
        rows = sorted(done, key=lambda r: order[r["task"], r["per_class"], r["learns"], r["body_lr"],
                                                r["batchnorm"], r["seed"]])
    return save_results(Table(rows, COLUMNS), path)


def _key(run) -> tuple:
    task, n, learns, lr, bn, seed = run
    return task, n, str(learns), float(lr), bn, seed


def _cost(group) -> float:
    """A rough cost of a group of runs (the more groups learn, the longer), to start the longest first."""
    learns = group[0][2]
    depth = {"first": 0, "middle": 1, SCRATCH: 7}.get(learns, learns)
    return len(group) * (9 - depth)


def save_results(table, path=None) -> Path:
    path = Path(path) if path else RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow({c: (f"{row[c]:.2f}" if c == "seconds" else repr(row[c]) if isinstance(row[c], float)
                                 else row[c]) for c in COLUMNS})
    return path


def load_results(path=None) -> Table:
    """The shipped table (computed ahead with `python -m tlteach.experiments.sweep --regenerate`), one row per run."""
    path = Path(path) if path else RESULTS
    if not path.exists():
        raise TLTeachError(tr("No sweep results at {path}: run `python -m tlteach.experiments.sweep --regenerate`.",
                              path=path))
    types = {"per_class": int, "seed": int, "steps": int, "task": str, "learns": str, "batchnorm": str}
    with open(path, newline="") as f:
        rows = [{c: types.get(c, float)(row[c]) for c in COLUMNS} for row in csv.DictReader(f)]
    return Table(rows, COLUMNS,
                 title=tr("Freeze sweep (computed ahead: python -m tlteach.experiments.sweep --regenerate)"))


def main(argv=None) -> int:
    """`python -m tlteach.experiments.sweep --regenerate [--jobs 2] [--out FILE]`: recompute the shipped table."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tlteach.experiments.sweep",
                                     description="Recompute the shipped freeze sweep (tlteach/results/freeze_sweep.csv).")
    parser.add_argument("--regenerate", action="store_true", help="run every run of the sweep and write the CSV")
    parser.add_argument("--jobs", type=int, default=1, help="processes in parallel (each with one thread)")
    parser.add_argument("--out", default=None, help="where to write the CSV (default: the shipped file)")
    args = parser.parse_args(argv)
    if not args.regenerate:
        parser.error("nothing to do: pass --regenerate")
    start = time.perf_counter()
    print(f"wrote {regenerate(args.jobs, args.out)} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    # python -m tlteach.experiments.sweep: the package has imported this module already (tt.sweep); run that copy,
    # whose functions the worker processes import
    from tlteach.experiments import sweep as _imported

    raise SystemExit(_imported.main())
