"""The freeze-depth experiment: which layer groups should learn, by task similarity and data size? Lesson 04.

    >>> table = tt.sweep.load_results()        # the shipped table: one row per run
    >>> tt.viz.plot_sweep(tt.rules.sweep_map(table))  # rows: task and data size; columns: what learns
    >>> tt.sweep.verdicts(table)               # the two rules of thumb, row by row, from the numbers

Every run is one recipe, `tt.recipes.tune` (`tt.recipes.TUNING`): a new head learns alone for
50 steps, then for 150 steps the head and the groups that `frozen` leaves free, the body at its own
learning rate, every BatchNorm keeping ImageNet's statistics. Only what is frozen differs from
column to column (`frozen`, the course's one name for the frozen depth, `tt.freezing.set_frozen`):
`frozen=8` (every body group frozen) is feature extraction trained exactly like the others,
`frozen=0` fine-tunes the whole body, "all but first" / "all but middle" tune one part of it
(surgical fine-tuning, Lee et al. 2023). A step budget, not a count of epochs: 5
photos per class get as many steps as 30, so the weights can move (each run records how far
every group moved, `moved_<group>`, relative to ImageNet's weights).

Each seed draws its own photos (the same photos for every column: paired), its own head and
batch order, and its own split of the validation images into two halves, A and B. The body
learning rate and the best column are picked on one half and reported on the other (both ways
round: `best_columns`); the heatmap and the rules use all validation images of every run.

Rows: the same 10 animals as photos, sketches and security-camera frames (`tt.domains`), and
the chest X-rays (a far task), each beside a from-scratch network (`frozen="scratch"`,
`tt.recipes.from_scratch`). The table is computed once and shipped
(`results/freeze_sweep.csv`, `load_results()`); regenerate it with

    python -m tlteach.experiments.sweep --regenerate --jobs 2

A live slice (`run_rows`) reproduces shipped rows exactly (one CPU thread).
"""
from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from . import recipes
from ..data.datasets import BUNDLED, load_dataset, resized, small_subset, train_val_split
from ..data.domains import security_camera, sketch
from ..errors import TLTeachError
from ..i18n import N_, number, rate, shown, tr, trn
from ..models.backbones import LITE0
from ..models.freezing import ALL_BUT, BATCHNORM_WORDS
from ..models.inspection import weight_change
from ..training.inference import accuracy, dataset_scores
from .repeats import threads_set_to
from .runner import Run, run_experiment
from ..table import Table

GROUPS = LITE0.body  # EfficientNet-Lite0's body groups: stem ... stage7 (its registry entry)
SETTING = ("task", "per_class", "recipe", "frozen", "body_lr", "batchnorm")  # a run of the table: these and a seed
COLUMNS = (SETTING + ("seed", "acc_a", "acc_b", "train_acc", "steps", "moved_body")
           + tuple(f"moved_{g}" for g in GROUPS) + ("seconds", "device"))
RESULTS = Path(__file__).resolve().parent.parent / "results" / "freeze_sweep.csv"
SCRATCH = "scratch"


@dataclass(frozen=True)
class Task:
    """One task of the table (a row's first word): the bundled dataset it comes from and the shift applied to its
    photos (`tt.domains`; `shift(photos, split)`, None: the photos as they are)."""
    name: str
    dataset: str
    shift: Optional[Callable] = None

    @property
    def classes(self) -> int:
        """Its number of classes: its dataset's (`tt.data.datasets.BUNDLED`)."""
        return BUNDLED[self.dataset].classes


# The tasks, from the most to the least like ImageNet's photos (the order "less similar -> freeze fewer" reads).
TASKS = {task.name: task for task in (
    Task(N_("animals"), "animals"),
    Task(N_("sketch"), "animals", shift=lambda photos, split: sketch(photos)),
    Task(N_("security camera"), "animals",
         shift=lambda photos, split: security_camera(photos, seed=0 if split == "train" else 1)),
    Task(N_("xray"), "xray"),
)}

# The two recipes the table compares (the `recipe` column): the course's careful one (`tune`: the head alone first,
# then the body at a small learning rate) and the lesson plan's own algorithm (head and body together from a random
# head, at the body learning rates `recipes.PLAN.body_lrs`). A run's recipe is known by its head-first phase.
CAREFUL, PLAN = "careful", "plan"
RECIPES = {CAREFUL: recipes.TUNING, PLAN: recipes.PLAN}

# The shipped table (`python -m tlteach.experiments.sweep --regenerate`).
FULL = dict(rows=(("animals", 5), ("animals", 10), ("animals", 30), ("sketch", 5), ("security camera", 5),
                  ("xray", 10), ("xray", 100)),
            frozen=(0, 3, 5, 6, 7, 8, ALL_BUT + "first", ALL_BUT + "middle"), seeds=(0, 1, 2, 3, 4),
            lr_grid=tuple(lr for lr in recipes.TUNING.body_lrs if lr != recipes.TUNING.body_lr),  # beside the
            # recipe's own body lr (the grid lesson 04 prints), at frozen=0 (the whole body learns) ...
            lr_rows=(("animals", 5), ("sketch", 5), ("security camera", 5), ("xray", 10)),  # ... on the smallest rows
            relearnt_batchnorm=("xray",),    # BatchNorm statistics learnt from the batches, as a factor, frozen=0
            plan_frozen=(0, 5, 8))  # the plan's algorithm at each of recipes.PLAN.body_lrs: the depths lesson 04 reads


def recipe_key(recipe: recipes.Recipe) -> str:
    """CAREFUL for a recipe whose head learns alone first (`tune`), PLAN for head and body together from the start."""
    return CAREFUL if recipe.head_steps else PLAN


# --------------------------------------------------------------------------- the data
def task_data(task: str) -> tuple:
    """(train, val) of a row's task at 128 px: "animals", "sketch", "security camera" or "xray" (`TASKS`)."""
    if task not in TASKS:
        raise TLTeachError(tr("Unknown task {task!r}. Choose one of: {tasks}.", task=task,
                              tasks=", ".join(map(repr, TASKS))))
    entry = TASKS[task]
    photos = (load_dataset(entry.dataset, split) for split in ("train", "val"))
    return tuple(entry.shift(ds, split) if entry.shift else ds for ds, split in zip(photos, ("train", "val")))


# --------------------------------------------------------------------------- one run
def one_run(task: str, train, val, per_class: int, frozen, seed: int, body_lr: float = None,
            batchnorm: str = "kept", recipe: recipes.Recipe = recipes.TUNING, device: str = "cpu") -> dict:
    """One row of the table: `per_class` photos drawn with `seed`, trained with `frozen`, measured on both halves.

    `frozen`: as in `tt.recipes.tune` (a number of frozen groups, "all but first" / "all but middle" / ...),
    or "scratch" (`tt.recipes.from_scratch`, the from-scratch line). `steps`: the optimiser
    steps in which the body could learn; `moved_<group>`: how far the group moved from
    ImageNet's weights (`tt.inspection.weight_change`; `moved_body`: all body groups together).
    `device`: where the run trains ("cpu"; "cuda" for a GPU: faster, its numbers differ from the CPU's by an image or
    two, and the table's `device` column says which).
    """
    used = recipes.FROM_SCRATCH if frozen == SCRATCH else recipe.but(
        body_lr=recipe.body_lr if body_lr is None else body_lr, batchnorm=batchnorm)
    size = used.image_size
    subset, (half_a, half_b) = small_subset(train, per_class, seed=seed), train_val_split(val, 0.5, seed=seed)
    subset, half_a, half_b = (on_device(resized(ds, size) if size else ds, device) for ds in (subset, half_a, half_b))
    start = time.perf_counter()
    if frozen == SCRATCH:
        model, history = recipes.from_scratch(subset, None, seed=seed, recipe=used)
        body_lr, batchnorm, steps = used.lr, "learnt", len(history) * _batches(per_class, subset, used)
    else:
        model, history = recipes.tune(subset, None, seed=seed, frozen=frozen, recipe=used)
        body_lr = used.body_lr
        steps = recipes.epochs_for(used.steps, len(subset), used.batch_size) * _batches(per_class, subset, used)
    seconds = time.perf_counter() - start
    right = {name: _accuracy(model, ds, size) for name, ds in (("a", half_a), ("b", half_b), ("train", subset))}
    moved = {} if frozen == SCRATCH else weight_change(model.cpu(), recipes.pretrained_backbone(used.backbone))
    row = {"task": task, "per_class": per_class, "recipe": SCRATCH if frozen == SCRATCH else recipe_key(used),
           "frozen": str(frozen), "body_lr": float(body_lr), "batchnorm": batchnorm, "seed": seed,
           "acc_a": right["a"], "acc_b": right["b"], "train_acc": right["train"], "steps": steps,
           "moved_body": moved.get("body", math.nan), "seconds": seconds, "device": str(device)}
    row.update({f"moved_{g}": moved.get(g, math.nan) for g in GROUPS})
    return row


def on_device(ds, device: str = "cpu"):
    """`ds` with its photos and labels on `device` (itself on the CPU); a copy that no longer shares a cache."""
    if str(device) == "cpu":
        return ds
    return type(ds)(ds.images.to(device), ds.labels.to(device), ds.classes, name=ds.name, split=ds.split,
                    per_class=ds.per_class)


def _batches(per_class, subset, recipe) -> int:
    return math.ceil(len(subset) / min(recipe.batch_size or len(subset), len(subset)))  # None: one batch


def _accuracy(model, ds, size) -> float:
    """Images right / images of `ds`, at the image size the model was trained on."""
    ds = resized(ds, size) if size else ds
    return accuracy(dataset_scores(model, ds), ds.labels)


def full_plan() -> list:
    """Every run of the shipped table as (task, per_class, recipe, learns, body_lr, batchnorm, seed), in its order."""
    default = recipes.TUNING.body_lr
    plan = []
    for task, n in FULL["rows"]:
        for frozen in FULL["frozen"]:
            plan += [(task, n, CAREFUL, frozen, default, "kept", s) for s in FULL["seeds"]]
        for lr in FULL["lr_grid"] if (task, n) in FULL["lr_rows"] else ():
            plan += [(task, n, CAREFUL, 0, lr, "kept", s) for s in FULL["seeds"]]
        if task in FULL["relearnt_batchnorm"]:
            plan += [(task, n, CAREFUL, 0, default, "relearnt", s) for s in FULL["seeds"]]
        plan += [(task, n, SCRATCH, SCRATCH, recipes.FROM_SCRATCH.lr, "learnt", s) for s in FULL["seeds"]]
        for lr in recipes.PLAN.body_lrs:
            for frozen in FULL["plan_frozen"]:
                plan += [(task, n, PLAN, frozen, lr, "kept", s) for s in FULL["seeds"]]
    return plan


def run_rows(plan, threads: int = 1, say=print, device: str = "cpu") -> list:
    """The rows of `plan` (see `full_plan`), computed on `threads` CPU threads (1: the shipped table's numbers).

    Through the course's one runner (`tt.runner.run_experiment`), a setting (`SETTING`) at a time with its seeds:
    the Stop button ends the slice and keeps the runs that finished.
    """
    data = {}

    def train_one(setting, seed):
        task = setting["task"]
        if task not in data:
            data[task] = task_data(task)
        row = one_run(task, *data[task], setting["per_class"], setting["frozen"], seed, body_lr=setting["body_lr"],
                      batchnorm=setting["batchnorm"], recipe=RECIPES.get(setting["recipe"], recipes.TUNING),
                      device=device)
        if say:
            say(run_line(row))
        return Run(row)

    def describe(setting):
        return f"{shown(setting['task'])}, {setting['per_class']}, {frozen_name(setting['frozen'])}"

    rows = []
    with threads_set_to(threads):  # torch's thread count is given back afterwards
        for settings, seeds in _settings_and_seeds(plan):
            finished = run_experiment(settings, seeds, train_one, describe=describe)
            rows += [run.row for run in finished]
            if len(finished) < len(settings) * len(seeds):  # the Stop button: nothing after it runs
                break
    return rows


def _settings_and_seeds(plan) -> list:
    """The plan as [(settings, seeds)]: each setting (a dict of `SETTING`) with the seeds the plan runs it with,
    consecutive settings with the same seeds together, in the plan's order."""
    seeds_of = {}
    for run in plan:
        seeds_of.setdefault(tuple(run[:-1]), []).append(run[-1])
    groups = []
    for setting, seeds in seeds_of.items():
        if groups and groups[-1][1] == seeds:
            groups[-1][0].append(dict(zip(SETTING, setting)))
        else:
            groups.append(([dict(zip(SETTING, setting))], seeds))
    return groups


def frozen_name(frozen) -> str:
    """What learns in a run, in words: '5 groups frozen', 'only the middle part learns', 'from scratch'."""
    frozen = str(frozen)
    if frozen == SCRATCH:
        return tr("from scratch")
    if frozen.isdigit():
        return trn("{n} group frozen", "{n} groups frozen", int(frozen), n=int(frozen))
    return tr("only the {part} part learns", part=tr(frozen[len(ALL_BUT):]))


def run_line(row) -> str:
    """One run of the table as a line of progress, in the lesson's language."""
    values = dict(task=shown(row["task"]), n=row["per_class"], frozen=frozen_name(row["frozen"]), seed=row["seed"],
                  a=number(100 * row['acc_a'], 1), b=number(100 * row['acc_b'], 1), seconds=number(row['seconds'], 1))
    if str(row["frozen"]) == SCRATCH:
        return tr("{task}, {n} per class, {frozen}, seed {seed}: accuracy {a} % / {b} % (halves A / B), "
                  "{seconds} s", **values)
    return tr("{task}, {n} per class, {frozen}, body lr {lr}, BatchNorm {batchnorm}, seed {seed}: accuracy {a} % / "
              "{b} % (halves A / B), the body moved {moved}, {seconds} s", lr=rate(row['body_lr']),
              batchnorm=tr(BATCHNORM_WORDS[row["batchnorm"]]),
              moved=f"{row['moved_body']:.1e}", **values)


def plan_of(task=None, per_class=None, frozen=None, seeds=None, body_lr=None, batchnorm="kept",
            recipe=CAREFUL) -> list:
    """The runs of the shipped table that match (None: any), in its order: a live slice to recompute.

    `recipe`: CAREFUL (the course's `tune`, at its body lr unless `body_lr` says) or PLAN (the plan's algorithm, at
    every body lr it ran unless `body_lr` says). From-scratch runs match either.

    >>> rows = tt.sweep.run_rows(tt.sweep.plan_of("xray", 10, frozen=[8, 7], seeds=[0, 1]))
    """
    def wanted(value, allowed):
        return allowed is None or value in ([allowed] if isinstance(allowed, (str, int, float)) else list(allowed))

    if body_lr is None and recipe == CAREFUL:
        body_lr = recipes.TUNING.body_lr
    frozen = None if frozen is None else [str(x) for x in ([frozen] if isinstance(frozen, (str, int)) else frozen)]
    return [run for run in full_plan() if wanted(run[0], task) and wanted(run[1], per_class)
            and wanted(str(run[3]), frozen) and wanted(run[6], seeds)
            and (run[3] == SCRATCH or (run[2] == recipe and wanted(run[4], body_lr) and run[5] == batchnorm))]


def same_as_shipped(rows, table, images: int = 0) -> list:
    """For each live row, whether the shipped table has the same run with the same accuracies.

    `images`: how many validation images a run may differ by on each half (0: exactly the same;
    on another kind of processor float sums can round differently and move a run by an image).
    """
    shipped = {row_key(r): r for r in table}
    out = []
    for row in rows:
        ship = shipped.get(row_key(row))
        half = len(task_data(row["task"])[1]) // 2
        out.append(ship is not None and all(abs(row[c] - ship[c]) <= images / half + 1e-9 for c in ("acc_a", "acc_b")))
    return out


def _worker(plan, device="cpu"):
    import functools

    return run_rows(plan, say=functools.partial(print, flush=True), device=device)


def regenerate(jobs: int = 1, path=None, plan=None, device: str = "cpu") -> Path:
    """Compute the runs of the shipped table that `path` does not hold yet, appending each group as it finishes.

    Resumable: stop it at any time (Ctrl+C, the end of a working session) and run it again to go on; when every run
    of `plan` is there, the file is rewritten in the plan's order. One thread per process, `jobs` processes;
    `device="cuda"` trains on a GPU (every process shares it).
    """
    path = Path(path) if path else RESULTS
    plan = full_plan() if plan is None else plan
    done = {row_key(r) for r in load_results(path)} if path.exists() else set()
    todo = [run for run in plan if _key(run) not in done]
    groups = {}  # runs of the same task and column stay together (they share frozen activations), in the plan's order
    for run in todo:
        groups.setdefault(run[:5], []).append(run)
    chunks = list(groups.values())
    if jobs <= 1:
        for chunk in chunks:
            _append(path, _worker(chunk, device))
    else:
        import functools
        from multiprocessing import get_context

        with get_context("spawn").Pool(jobs) as pool:
            for part in pool.imap_unordered(functools.partial(_worker, device=device), chunks):
                _append(path, part)
    table = load_results(path)
    order = {_key(run): i for i, run in enumerate(plan)}
    if set(order) <= {row_key(r) for r in table}:  # every run of the plan is there: write them in its order
        save_results(sorted(table, key=lambda r: order.get(row_key(r), len(order))), path)
    return path


def row_key(row) -> tuple:
    """What identifies a run of the table: its setting (task, data size, recipe, frozen, body lr, BatchNorm), seed."""
    return _key(tuple(row[c] for c in SETTING) + (row["seed"],))


def _key(run) -> tuple:
    task, n, recipe, frozen, lr, bn, seed = run
    return task, n, recipe, str(frozen), float(lr), bn, seed


def _append(path: Path, rows) -> None:
    """Add finished runs to the table's file (written with its header when new)."""
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        if new:
            writer.writeheader()
        for row in rows:
            writer.writerow(_written(row))


def _written(row) -> dict:
    return {c: (f"{row[c]:.2f}" if c == "seconds" else repr(row[c]) if isinstance(row[c], float) else row[c])
            for c in COLUMNS}


def save_results(table, path=None) -> Path:
    path = Path(path) if path else RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow(_written(row))
    return path


def load_results(path=None) -> Table:
    """The shipped table (computed ahead with `python -m tlteach.experiments.sweep --regenerate`), one row per run."""
    path = Path(path) if path else RESULTS
    if not path.exists():
        raise TLTeachError(tr("No sweep results at {path}: run `python -m tlteach.experiments.sweep --regenerate`.",
                              path=path))
    types = {"per_class": int, "seed": int, "steps": int, "task": str, "recipe": str, "frozen": str, "batchnorm": str,
             "device": str}
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
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda: where the runs train")
    args = parser.parse_args(argv)
    if not args.regenerate:
        parser.error("nothing to do: pass --regenerate")
    start = time.perf_counter()
    print(f"wrote {regenerate(args.jobs, args.out, device=args.device)} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    # python -m tlteach.experiments.sweep: the package has imported this module already (tt.sweep); run that copy,
    # whose functions the worker processes import
    from tlteach.experiments import sweep as _imported

    raise SystemExit(_imported.main())
