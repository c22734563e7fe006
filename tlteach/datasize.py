"""How much data does a network trained from scratch need? Train the same network on
5, 10, 20 and 30 images per class and measure what it gets right on new images.

    >>> table = tt.datasize.data_size_experiment(lambda: tt.SmallCNN(10), train, val, per_class=(5, 10, 20, 30))
    >>> tt.viz.plot_data_curve(table)

Every run uses the same recipe (`fit_settled`): `epochs` epochs in all, the last
`settle_epochs` of them with a 10x smaller learning rate, so the weights settle and one
run per size gives a steady number (without it, validation accuracy jumps by several
points from one epoch to the next).
"""
from __future__ import annotations

import time

from torch import nn

from .data import small_subset
from .errors import TLTeachError
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
        raise TLTeachError(f"settle_epochs must be a whole number from 0 to epochs={epochs}, got {settle_epochs!r}.")
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
        raise TLTeachError(f"per_class must be whole numbers >= 1, e.g. (5, 10, 20, 30); got {per_class!r}.")
    return sorted(set(values))


def data_size_experiment(model_fn, train, val, per_class=(5, 10, 20, 30), epochs: int = 20, lr: float = 1e-3,
                         batch_size: int = 16, settle_epochs: int = 4, seed: int = 0, live: bool = True) -> Table:
    """Train a fresh `model_fn()` on `per_class` images of every class, for each value; measure it.

    Returns a Table with one row per size: per_class, images, train_acc (on its own
    training images), val_acc, gap (train_acc - val_acc) and seconds. The subsets are
    nested picks of the same seed, and every model starts from the same seed.
    `table.histories[n]` holds the History of the run with n images per class.

    >>> table = tt.datasize.data_size_experiment(lambda: tt.SmallCNN(10), train, val)
    >>> table["val_acc"]
    """
    if isinstance(model_fn, nn.Module) or not callable(model_fn):  # a model is callable, but only one
        raise TLTeachError("model_fn must make a new model each time it is called, e.g. lambda: tt.SmallCNN(10).")
    sizes = _check_per_class(per_class)
    rows, histories = [], {}
    for n in sizes:
        subset = small_subset(train, n, seed=seed)
        seed_everything(seed)
        model = model_fn()
        start = time.perf_counter()
        history = fit_settled(model, subset, None, epochs=epochs, lr=lr, batch_size=batch_size,
                                     settle_epochs=settle_epochs, seed=seed, live=False, label=f"{n} per class")
        train_acc = evaluate(model, subset)["accuracy"]
        val_acc = evaluate(model, val)["accuracy"]
        seconds = time.perf_counter() - start
        histories[n] = history
        rows.append({"per_class": n, "images": len(subset), "train_acc": train_acc, "val_acc": val_acc,
                     "gap": train_acc - val_acc, "seconds": seconds})
        if live:
            print(f"{n:>3} per class ({len(subset):>3} images): train {100 * train_acc:5.1f} %, "
                  f"validation {100 * val_acc:5.1f} %  ({seconds:.1f} s)", flush=True)
    table = Table(rows, title=f"Trained from scratch, {epochs} epochs each; validation: {len(val)} images")
    table.histories = histories
    table.chance = 1 / len(train.classes)
    return table
