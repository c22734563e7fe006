"""How much data does a network trained from scratch need? Train the same network on
5, 10, 20 and 30 images per class, each with several seeds, and measure what it gets right
on new images.

    >>> table = tt.datasize.data_size_experiment(train, val, per_class=(5, 10, 20, 30), seeds=[0, 1, 2])
    >>> tt.viz.plot_data_curve(table)

Every run uses the course's one scratch recipe, `tt.recipes.from_scratch` (SmallCNN at 64 px,
`fit_settled`: 20 epochs, the last 4 with a 10x smaller learning rate, so the weights settle).
Each seed draws another subset of photos and another random start: the spread over the seeds
says how much of a difference between sizes is noise.
"""
from __future__ import annotations

import time

from torch import nn

from ..data.datasets import resized, small_subset
from ..errors import TLTeachError
from ..i18n import tr
from ..training.inference import evaluate
from ..seeds import seed_everything
from . import recipes, repeats
from .runner import Run, Runs, run_experiment
from ..validate import is_whole, seed_list

COLUMNS = ("per_class", "seed", "images", "train_acc", "val_acc", "gap", "seconds")


def _check_per_class(per_class) -> list:
    values = [per_class] if is_whole(per_class) else list(per_class) if isinstance(per_class, (list, tuple)) else [per_class]
    if not values or not all(is_whole(n) and n >= 1 for n in values):
        raise TLTeachError(tr(
            "per_class must be whole numbers >= 1, e.g. (5, 10, 20, 30); got {per_class!r}.",
            per_class=per_class))
    return sorted(set(values))


def data_size_experiment(train, val, per_class=(5, 10, 20, 30), seeds=None, recipe=None,
                         live: bool = True) -> Runs:
    """Train a network on `per_class` images of every class, once per seed, and measure it.

    The default recipe is `tt.recipes.from_scratch` (validation measured once, at the end); any
    `recipe(train, val, seed) -> (model, history)` whose history measures `val` can replace it.

    Returns the runs table (`tt.runner.Runs`), one row per run: per_class, seed, images,
    train_acc (on its own training images), val_acc (after the last epoch), gap
    (train_acc - val_acc) and seconds. Each seed draws its own subset
    (`tt.small_subset(train, n, seed=seed)`: for one seed the subsets are nested) and its own
    random start. `seeds` defaults to `tt.repeats.seeds(3)`. `table.histories[(n, seed)]`
    holds the History of each run.

    >>> table = tt.datasize.data_size_experiment(train, val, per_class=(5, 10, 20, 30), seeds=[0, 1, 2])
    >>> tt.repeats.summarise(table, by="per_class")
    """
    if recipe is not None and (isinstance(recipe, nn.Module) or not callable(recipe)):
        raise TLTeachError(tr(
            "recipe must be a function (train, val, seed) -> (model, history), e.g. tt.recipes.from_scratch."))
    sizes = _check_per_class(per_class)
    seeds = seed_list(repeats.seeds(3) if seeds is None else seeds)

    def train_one(setting, seed):
        subset = small_subset(train, setting["per_class"], seed=seed)
        seed_everything(seed)
        start = time.perf_counter()
        if recipe is None:
            model, history = recipes.from_scratch(subset, None, seed=seed)  # val measured once, at the end
            val_acc = evaluate(model, resized(val, recipes.SCRATCH_SIZE))["accuracy"]
            seen = resized(subset, recipes.SCRATCH_SIZE)
        else:
            model, history = recipe(subset, val, seed=seed)
            val_acc, seen = float(history.final()["val_acc"]), subset
        train_acc = evaluate(model, seen)["accuracy"]  # after training, on the photos it trained on
        return Run({"per_class": setting["per_class"], "seed": seed, "images": len(subset), "train_acc": train_acc,
                    "val_acc": val_acc, "gap": train_acc - val_acc, "seconds": time.perf_counter() - start},
                   model, history)

    def after_setting(setting, done):
        if live:
            rows = [run.row for run in done]
            print(tr("{n} per class ({images} images), {runs} runs: training {train}, validation {val}",
                     n=f"{setting['per_class']:>3}", images=rows[-1]["images"], runs=len(rows),
                     train=repeats.percent([r["train_acc"] for r in rows]),
                     val=repeats.percent([r["val_acc"] for r in rows])), flush=True)

    finished = run_experiment([{"per_class": n} for n in sizes], seeds, train_one,
                              describe=lambda setting: tr("{n} per class", n=setting["per_class"]),
                              after_setting=after_setting)
    return Runs(finished, COLUMNS, title=tr("Trained from scratch, {seeds} seeds per size; validation: {n} images",
                                            seeds=len(seeds), n=len(val)),
                setting_columns=("per_class",), chance=1 / len(train.classes))
