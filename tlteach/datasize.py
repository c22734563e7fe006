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

from .data import resized, small_subset
from .errors import TLTeachError
from .i18n import tr
from .inference import evaluate
from .notebook import seed_everything
from .table import Table
from .train import History, fit


def fit_settled(model: nn.Module, train, val=None, epochs: int = 20, lr: float = 1e-3, batch_size: int = 16,
                settle_epochs: int = 4, seed: int = 0, live: bool = False, label: str = "") -> History:
    """`tt.fit` for `epochs - settle_epochs` epochs at `lr`, then `settle_epochs` more at `lr / 10`.

    Returns one History with all the epochs (their "seconds" count from the start).
    With live=True each phase shows its own progress bar and curves.

    >>> history = tt.datasize.fit_settled(tt.SmallCNN(10), few, val, epochs=20)
    """
    if isinstance(settle_epochs, bool) or not isinstance(settle_epochs, int) or not 0 <= settle_epochs <= epochs:
        raise TLTeachError(tr(
            "settle_epochs must be a whole number from 0 to epochs={epochs}, got {settle_epochs!r}.",
            epochs=epochs, settle_epochs=settle_epochs))
    first = fit(model, train, val, epochs=epochs - settle_epochs, lr=lr, batch_size=batch_size, seed=seed,
                live=live, label=label)
    if not settle_epochs or first.stopped:
        return first
    second = fit(model, train, val, epochs=settle_epochs, lr=lr / 10, batch_size=batch_size, seed=seed + 1,
                 live=live, label=label)
    offset_epochs, offset_seconds = len(first), first.seconds
    for row in second.rows:
        first.rows.append({**row, "epoch": row["epoch"] + offset_epochs, "seconds": row["seconds"] + offset_seconds})
    first.stopped = second.stopped
    return first


def _check_per_class(per_class) -> list:
    values = [per_class] if isinstance(per_class, int) else list(per_class)
    if not values or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in values):
        raise TLTeachError(tr(
            "per_class must be whole numbers >= 1, e.g. (5, 10, 20, 30); got {per_class!r}.",
            per_class=per_class))
    return sorted(set(values))


def data_size_experiment(train, val, per_class=(5, 10, 20, 30), seeds=None, recipe=None,
                         live: bool = True) -> Table:
    """Train a network on `per_class` images of every class, once per seed, and measure it.

    The default recipe is `tt.recipes.from_scratch` (validation measured once, at the end); any
    `recipe(train, val, seed) -> (model, history)` whose history measures `val` can replace it.

    Returns a Table with one row per run: per_class, seed, images, train_acc (on its own
    training images), val_acc (after the last epoch), gap (train_acc - val_acc) and seconds.
    Each seed draws its own subset (`tt.small_subset(train, n, seed=seed)`: for one seed the
    subsets are nested) and its own random start. `seeds` defaults to `tt.repeats.seeds(3)`.
    `table.histories[(n, seed)]` holds the History of each run.

    >>> table = tt.datasize.data_size_experiment(train, val, per_class=(5, 10, 20, 30), seeds=[0, 1, 2])
    >>> tt.repeats.summarise(table, by="per_class")
    """
    from . import recipes, repeats  # recipes uses fit_settled from this module

    if recipe is not None and (isinstance(recipe, nn.Module) or not callable(recipe)):
        raise TLTeachError(tr(
            "recipe must be a function (train, val, seed) -> (model, history), e.g. tt.recipes.from_scratch."))
    sizes = _check_per_class(per_class)
    if seeds is None:
        seeds = repeats.seeds(3)
    seeds = [seeds] if isinstance(seeds, int) and not isinstance(seeds, bool) else list(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, int) for s in seeds):
        raise TLTeachError(tr("seeds must be whole numbers, e.g. [0, 1, 2]; got {seeds!r}.", seeds=seeds))
    rows, histories = [], {}
    for n in sizes:
        for seed in seeds:
            subset = small_subset(train, n, seed=seed)
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
            seconds = time.perf_counter() - start
            histories[(n, seed)] = history
            rows.append({"per_class": n, "seed": seed, "images": len(subset), "train_acc": train_acc,
                         "val_acc": val_acc, "gap": train_acc - val_acc, "seconds": seconds})
        if live:
            done = [r for r in rows if r["per_class"] == n]
            print(tr("{n} per class ({images} images), {runs} runs: training {train}, validation {val}",
                     n=f"{n:>3}", images=len(subset), runs=len(done),
                     train=repeats.percent([r["train_acc"] for r in done]),
                     val=repeats.percent([r["val_acc"] for r in done])), flush=True)
    table = Table(rows, title=tr("Trained from scratch, {seeds} seeds per size; validation: {n} images",
                                 seeds=len(seeds), n=len(val)))
    table.histories = histories
    table.chance = 1 / len(train.classes)
    return table
