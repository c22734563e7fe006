"""The freeze-depth experiment: how many layer groups should stay frozen?

    >>> table = tt.sweep.freeze_sweep({"animals": (train, val)}, per_class=[5, 20], depths=(0, 3, 5, 7, 8),
    ...                               seeds=tt.repeats.seeds(3))
    >>> tt.viz.plot_sweep(table)               # rows: task and data size; columns: frozen groups
    >>> tt.sweep.best_depths(table)            # picked on one half of val, reported on the other

Every run is the course's fair fine-tuning recipe (`tt.recipes.fine_tuning`): the head first on
the frozen body, then the groups after the first `d` train too, the body at a lower learning
rate, every BatchNorm as ImageNet measured it. Each seed draws its own photos
(`tt.small_subset(train, n, seed=seed)`), its own random start and its own split of the
validation images into a **pick** half (to choose the depth on) and a **report** half (to
report the chosen depth's accuracy on, images nobody chose anything on).

The table has one row per run (a "tidy" table): task, per_class, frozen_groups, frozen_up_to,
body_lr, seed, pick_acc, report_acc, seconds.

The whole course-sized sweep (4 task rows x 5 depths x 3 seeds, plus a body learning-rate axis)
takes too long for a lesson, so it is computed once and shipped (`results/freeze_sweep.csv`,
`load_results()`); regenerate it with

    python -m tlteach.sweep --regenerate

Why a run is fast: frozen groups never change, so their output for every image of a data set
is computed once and shared by every seed, subset and run (`freezing.frozen_activations`).
"""
from __future__ import annotations

import csv
import time
from pathlib import Path

from torch import nn

from . import recipes
from ..data.datasets import small_subset, train_val_split
from ..errors import TLTeachError
from ..i18n import dataset_name, tr
from ..models.freezing import frozen_activations, frozen_prefix
from ..models.groups import group_names
from ..training.inference import accuracy as images_right
from ..training.inference import dataset_scores
from .repeats import WITHIN_NOISE, compare, mean_sd, one_thread, threads_set_to
from .runner import Run, Runs, run_experiment
from ..table import Table
from ..validate import is_dataset, is_whole, positive_number, seed_list

COLUMNS = ("task", "per_class", "frozen_groups", "frozen_up_to", "body_lr", "seed", "pick_acc", "report_acc",
           "seconds")
RESULTS = Path(__file__).resolve().parent.parent / "results" / "freeze_sweep.csv"

# The shipped sweep (`python -m tlteach.sweep --regenerate`): task -> images per class.
FULL = dict(per_class={"animals": (5, 20), "xray": (10, 100)}, depths=(0, 3, 5, 7, 8), seeds=(0, 1, 2))
# The body learning-rate axis: one row of the map (task, per_class, frozen groups), lr, lr/10 and lr/100.
LR_AXIS = dict(task="animals", per_class=5, depth=0, factors=(1.0, 0.1, 0.01))


# --------------------------------------------------------------------------- the experiment
def _check_tasks(tasks) -> list:
    """[(task name, train, val), ...] from a dict name -> (train, val) or a list of (train, val) pairs."""
    items = list(tasks.items()) if isinstance(tasks, dict) else [(None, pair) for pair in tasks]
    if not items:
        raise TLTeachError(tr("freeze_sweep needs at least one (train, val) pair."))
    out = []
    for name, pair in items:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(is_dataset(d) for d in pair)):
            raise TLTeachError(tr(
                "Each task must be a pair of tlteach datasets (train, val), e.g. {{'animals': (train, val)}}; got "
                "{kind}.",
                kind=type(pair).__name__))
        train, val = pair
        if list(train.classes) != list(val.classes):
            raise TLTeachError(tr(
                "train and val of task {name!r} have different classes: make them from the same dataset.",
                name=name or train.name))
        out.append((name or train.name.split(",")[0] or "task", train, val))
    return out


def _check_depths(depths, names) -> list:
    depths = [depths] if isinstance(depths, int) else list(depths)
    last = len(names) - 1  # the head always trains
    bad = [k for k in depths if not is_whole(k) or not 0 <= k <= last]
    if bad or not depths:
        raise TLTeachError(tr(
            "depths must be numbers of frozen groups between 0 (nothing frozen) and {last} (everything but the head: "
            "{names}); got {got}.",
            last=last, names=", ".join(names[:last]), got=bad or depths))
    return sorted(set(depths))


def _per_class(per_class, name, train) -> list:
    sizes = per_class.get(name) if isinstance(per_class, dict) else per_class
    if sizes is None:
        raise TLTeachError(tr(
            "per_class has no entry for the task {name!r}: give e.g. per_class={{{name!r}: [5, 20]}}.",
            name=name))
    sizes = [sizes] if isinstance(sizes, int) else list(sizes)
    most = min(train.counts().values())
    bad = [n for n in sizes if not is_whole(n) or not 1 <= n <= most]
    if bad or not sizes:
        raise TLTeachError(tr(
            "per_class for {name!r} must be whole numbers from 1 to {most} (the fewest images a class has); got {got}.",
            name=name, most=most, got=bad or sizes))
    return sizes


def accuracy(model: nn.Module, ds, batch_size: int = 64) -> float:
    """Accuracy on `ds`, running the frozen leading groups from the shared cache (same numbers as tt.evaluate)."""
    k = min(frozen_prefix(model), len(group_names(model)) - 1)
    scores = dataset_scores(model, ds, k, frozen_activations(model, ds, k) if k else None, batch_size)
    return images_right(scores, ds.labels)


def one_run(task: str, train, val, per_class: int, depth: int, seed: int, recipe: recipes.Recipe = recipes.FINE_TUNING
            ) -> dict:
    """One row of the sweep: `per_class` photos drawn with `seed`, fine-tuned with the first `depth` groups frozen.

    `recipe`: the fine-tuning recipe (`tt.recipes.FINE_TUNING`, or `.but(body_lr=...)`).
    """
    subset = small_subset(train, per_class, seed=seed)
    pick, report = train_val_split(val, 0.5, seed=seed)
    start = time.perf_counter()
    model, history = recipes.fine_tuning(subset, pick, seed=seed, unfreeze_from=depth, recipe=recipe)
    seconds = time.perf_counter() - start
    names = group_names(model)
    return {"task": task, "per_class": per_class, "frozen_groups": depth,
            "frozen_up_to": names[depth - 1] if depth else "nothing", "body_lr": float(recipe.body_lr), "seed": seed,
            "pick_acc": round(history.rows[-1]["val_acc"] * len(pick)) / len(pick),  # exact: images right / images
            "report_acc": accuracy(model, report),
            "seconds": seconds}


def freeze_sweep(tasks, per_class, depths=(0, 3, 5, 7, 8), seeds=(0, 1, 2), body_lrs=None,
                 recipe: recipes.Recipe = recipes.FINE_TUNING, live: bool = True) -> Table:
    """Fine-tune one model per (task, images per class, frozen groups, body lr, seed); one row per run. Lesson 04.

    `tasks`: {name: (train, val)} (the whole training set: each seed draws `per_class` photos of
    every class from it) or a list of such pairs. `per_class`: a number, a list, or
    {name: list}. `depths`: how many layer groups stay frozen, counted from the input (0 = the
    whole body learns, 8 = only the head, for EfficientNet-Lite0). `seeds`: one run per seed,
    e.g. `tt.repeats.seeds(3)`. `body_lrs`: learning rates for the unfrozen body groups (default:
    the recipe's, lr/10); the head always learns at the recipe's `lr`. `recipe`: the fine-tuning
    recipe (`tt.recipes.FINE_TUNING`); its `backbone` may also be a model whose weights every run
    starts from.

    Each run: `tt.recipes.fine_tuning`; `pick_acc` on the seed's pick half of `val` (after the
    last epoch), `report_acc` on its report half, `seconds` for the whole recipe. The runs use
    one CPU thread: float sums in another order (2 threads) would move a run by an image or two,
    and the table must be the same on every machine, like the shipped one. The Stop button
    keeps the runs that finished (`tt.runner.run_experiment`).

    >>> table = tt.sweep.freeze_sweep({"animals": (train, val)}, per_class=5, depths=(7, 8), seeds=[0, 1, 2])
    """
    tasks = _check_tasks(tasks)
    names = group_names(recipes.pretrained_backbone(recipe.backbone))
    depths = _check_depths(depths, names)
    seeds = seed_list(seeds)
    body_lrs = [recipe.body_lr] if body_lrs is None else \
        ([body_lrs] if isinstance(body_lrs, (int, float)) else list(body_lrs))
    body_lrs = [positive_number(b, "body_lrs", example="3e-5") for b in body_lrs] if body_lrs else \
        [positive_number(None, "body_lrs", example="3e-5")]
    data = {name: (train, val) for name, train, val in tasks}
    # depth outermost within a task: the frozen activations of one depth are reused by all its runs
    settings = [{"task": name, "frozen_groups": k, "body_lr": b, "per_class": n} for name, train, _ in tasks
                for k in depths for b in body_lrs for n in _per_class(per_class, name, train)]
    bar = None
    if live:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(settings) * len(seeds), desc=tr("freeze sweep"), unit=tr("run"))

    def train_one(setting, seed):
        with one_thread():  # the same numbers on every machine, and the same as the shipped table
            row = one_run(setting["task"], *data[setting["task"]], setting["per_class"], setting["frozen_groups"],
                          seed, recipe=recipe.but(body_lr=setting["body_lr"]))
        return Run(row)

    def after_run(setting, seed, run):
        if bar is not None:
            bar.set_postfix_str(tr("{task}, {n}/class, {k} frozen, seed {seed}: {acc:.0f} %",
                                   task=dataset_name(setting["task"]), n=setting["per_class"],
                                   k=setting["frozen_groups"], seed=seed, acc=100 * run.row["pick_acc"]))
            bar.update(1)

    try:
        finished = run_experiment(settings, seeds, train_one, after_run=after_run, describe=lambda setting: tr(
            "{task}, {n}/class, {k} frozen", task=dataset_name(setting["task"]), n=setting["per_class"],
            k=setting["frozen_groups"]))
    finally:
        if bar is not None:
            bar.close()
    return Runs(finished, COLUMNS, setting_columns=("task", "per_class", "frozen_groups", "body_lr"),
                title=tr("Freeze sweep: fine-tuning recipe, {epochs} epochs, head lr {lr:g}, seeds {seeds}",
                         epochs=recipe.epochs, lr=recipe.lr, seeds=", ".join(map(str, seeds))))


# --------------------------------------------------------------------------- reading the table
def cells(table, value: str = "report_acc") -> dict:
    """{(task, per_class, frozen_groups, body_lr): [value of each run]}, in the table's order."""
    out: dict = {}
    for row in table:
        out.setdefault((row["task"], row["per_class"], row["frozen_groups"], row["body_lr"]), []).append(
            float(row[value]))
    return out


def best_depths(table, body_lr=None) -> dict:
    """{(task, per_class): {"picked", "tied", "report"}}: picked on the pick half, reported on the report half.

    "picked": the depth with the best mean `pick_acc`; "tied": every depth within noise of it
    on the pick half (`tt.repeats.compare`; just [picked] when it wins beyond noise): a tie is
    never broken silently; "report": the picked depth's `report_acc` runs. `body_lr`: which body
    learning rate (default: the most common in the table).
    """
    if not len(table):
        raise TLTeachError(tr("The sweep table is empty."))
    if body_lr is None:
        lrs = [row["body_lr"] for row in table]
        body_lr = max(dict.fromkeys(lrs), key=lrs.count)
    pick, report = cells(table, "pick_acc"), cells(table, "report_acc")
    out = {}
    for task, n in dict.fromkeys((t, p) for t, p, _, b in pick if b == body_lr):
        row = {k: runs for (t, p, k, b), runs in pick.items() if (t, p, b) == (task, n, body_lr)}
        best = max(row, key=lambda k: (mean_sd(row[k])[0], k))
        tied = sorted(k for k in row if k == best or compare(row[best], row[k]) == WITHIN_NOISE)
        out[task, n] = {"picked": best, "tied": tied, "report": report[task, n, best, body_lr]}
    return out


def load_results(path=None) -> Table:
    """The shipped sweep (computed ahead with `python -m tlteach.sweep --regenerate`), one row per run."""
    path = Path(path) if path else RESULTS
    if not path.exists():
        raise TLTeachError(tr("No sweep results at {path}: run `python -m tlteach.sweep --regenerate`.", path=path))
    types = {"per_class": int, "frozen_groups": int, "seed": int, "body_lr": float, "pick_acc": float,
             "report_acc": float, "seconds": float}
    with open(path, newline="") as f:
        rows = [{c: types.get(c, str)(row[c]) for c in COLUMNS} for row in csv.DictReader(f)]
    return Table(rows, COLUMNS, title=tr("Freeze sweep (computed ahead: python -m tlteach.sweep --regenerate)"))


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


# --------------------------------------------------------------------------- regenerating the shipped table
def full_tasks() -> dict:
    """The shipped sweep's data: {"animals": (train, val), "xray": (train, val)} (X-rays at 64 px)."""
    from ..data.datasets import load_dataset

    return {"animals": (load_dataset("animals", "train"), load_dataset("animals", "val")),
            "xray": (load_dataset("xray", "train", size=64), load_dataset("xray", "val", size=64))}


def full_plan() -> list:
    """Every run of the shipped table as (task, per_class, depth, body_lr, seed), in the table's order."""
    lr, default = recipes.FINE_TUNING.lr, recipes.FINE_TUNING.body_lr
    plan = [(task, n, k, default, s) for task, sizes in FULL["per_class"].items() for k in FULL["depths"]
            for n in sizes for s in FULL["seeds"]]
    plan += [(LR_AXIS["task"], LR_AXIS["per_class"], LR_AXIS["depth"], lr * f, s) for f in LR_AXIS["factors"]
             if lr * f != default for s in FULL["seeds"]]
    return plan


def run_plan(plan, tasks=None, threads: int = 1) -> list:
    """The rows of `plan` (see `full_plan`), computed with `threads` CPU threads (1: reproducible)."""
    tasks = tasks or full_tasks()
    rows = []
    with threads_set_to(threads):  # torch's thread count is given back afterwards
        for task, n, k, b, s in plan:
            train, val = tasks[task]
            rows.append(one_run(task, train, val, n, k, s, recipe=recipes.FINE_TUNING.but(body_lr=b)))
            print(f"{task:>7} {n:>3}/class  {k} frozen  body lr {b:g}  seed {s}: pick {rows[-1]['pick_acc']:.3f}  "
                  f"report {rows[-1]['report_acc']:.3f}  {rows[-1]['seconds']:.1f} s", flush=True)
    return rows


def _worker(plan):
    return run_plan(plan)


def regenerate(jobs: int = 1, path=None) -> Path:
    """Recompute the shipped table (one thread per process; `jobs` processes share the runs)."""
    plan = full_plan()
    if jobs <= 1:
        rows = run_plan(plan)
    else:  # runs of the same task and depth stay together (they share frozen activations)
        from multiprocessing import get_context

        chunks, groups = [[] for _ in range(jobs)], {}
        for run in plan:
            groups.setdefault((run[0], run[2]), []).append(run)
        for i, group in enumerate(sorted(groups.values(), key=len, reverse=True)):
            chunks[i % jobs] += group
        with get_context("spawn").Pool(jobs) as pool:
            done = [r for part in pool.map(_worker, [c for c in chunks if c]) for r in part]
        order = {(r[0], r[1], r[2], r[3], r[4]): i for i, r in enumerate(plan)}
        rows = sorted(done, key=lambda r: order[r["task"], r["per_class"], r["frozen_groups"], r["body_lr"], r["seed"]])
    return save_results(Table(rows, COLUMNS), path)


def main(argv=None) -> int:
    """`python -m tlteach.sweep --regenerate [--jobs 2] [--out FILE]`: recompute the shipped table."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tlteach.sweep",
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
    raise SystemExit(main())
