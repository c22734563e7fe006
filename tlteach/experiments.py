"""Compare transfer-learning strategies on the same data: one row per run, ready to read or plot.

    >>> results = tt.experiments.compare_strategies({
    ...     "from scratch": lambda: from_scratch(train64, val64),
    ...     "feature extraction": lambda: feature_extraction(train, val),
    ...     "fine-tuning": lambda: fine_tuning(train, val),
    ... })
    >>> results                      # strategy, val_acc, train_acc, trainable_parameters, seconds
    >>> results.plot()               # all learning curves in one figure
    >>> tt.viz.plot_strategies(results)  # accuracy, time and trainable parameters as bars

A strategy is a function you write in the notebook: it builds a model, trains it and
returns `(model, history)`. `compare_strategies` runs each one from the same seed, times
it and measures it the same way, so the table compares like with like.

Two helpers for the fine-tuning recipe live here too: `join_histories` (the head-only
epochs, then the fine-tuning epochs, as one History) and `freeze_batchnorm` (keep every
BatchNorm layer as it came from ImageNet, also in the stages that fine-tune).
"""
from __future__ import annotations

import time

from torch import nn

from .errors import TLTeachError
from .models import count_parameters
from .notebook import seed_everything
from .table import Table
from .train import History

COLUMNS = ("strategy", "val_acc", "train_acc", "trainable_parameters", "seconds")


# --------------------------------------------------------------------------- recipe helpers
def freeze_batchnorm(model: nn.Module) -> nn.Module:
    """Freeze every BatchNorm layer: its weights stop learning and its statistics stop changing.

    Call it after `tt.unfreeze`: the convolutions of the unfrozen stages still learn, but each
    BatchNorm keeps the mean and variance it measured on ImageNet. With a few hundred images,
    the statistics of a batch of 32 are too noisy; letting them replace ImageNet's shifts the
    features the head was trained on (Keras's fine-tuning guide gives the same advice).
    `tt.fit` keeps BatchNorm layers whose weights are frozen in eval mode.

    >>> tt.unfreeze(model, from_="stage6")
    >>> tt.experiments.freeze_batchnorm(model)
    """
    if not isinstance(model, nn.Module):
        raise TLTeachError(f"freeze_batchnorm needs a model, got a {type(model).__name__}.")
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.requires_grad_(False)
            module.eval()
    return model


def join_histories(first, second, label=None) -> History:
    """One History: the epochs of `first`, then those of `second` (numbered and timed after them).

    For a recipe in two steps, e.g. the head alone and then fine-tuning:

    >>> history = tt.experiments.join_histories(head_history, finetune_history)
    >>> len(history)        # 40 head epochs + 5 fine-tuning epochs
    45
    """
    for h in (first, second):
        if not isinstance(getattr(h, "rows", None), list):
            raise TLTeachError(f"join_histories needs two History objects (from tt.fit or tt.fit_head), "
                               f"got a {type(h).__name__}.")
    joined = History(label if label is not None else (second.label or first.label))
    joined.rows = [dict(row) for row in first.rows]
    epochs = first.rows[-1]["epoch"] if first.rows else 0
    seconds = first.rows[-1]["seconds"] if first.rows else 0.0
    joined.rows += [{**row, "epoch": row["epoch"] + epochs, "seconds": row["seconds"] + seconds}
                    for row in second.rows]
    joined.stopped = second.stopped or first.stopped
    joined.cached_groups = second.cached_groups
    joined.trainable_parameters = second.trainable_parameters
    return joined


# --------------------------------------------------------------------------- the comparison
class Comparison(Table):
    """The table from `compare_strategies`, plus each run's model and History.

    `results.models[name]`, `results.histories[name]`, `results.best` (the name of the
    strategy with the highest validation accuracy; a tie goes to the faster one).
    """

    def __init__(self, rows, models: dict, histories: dict, title: str = ""):
        super().__init__(rows, COLUMNS, title=title)
        self.models = models
        self.histories = histories

    @property
    def best(self) -> str:
        if not self.rows:
            raise TLTeachError("The comparison is empty.")
        return max(self.rows, key=lambda r: (r["val_acc"], -r["seconds"]))["strategy"]

    def plot(self):
        """Every strategy's learning curves in one figure (tt.plot_history).

        Longer runs are drawn first, so a run that continues another one (fine-tuning after
        the head-only epochs) shows as a continuation instead of hiding it.
        """
        from .viz import plot_history

        names = sorted(self.histories, key=lambda n: -len(self.histories[n]))  # stable: ties keep table order
        return plot_history(*[self.histories[n] for n in names], labels=names)


def _check_strategies(strategies) -> dict:
    example = ('e.g. tt.experiments.compare_strategies({"feature extraction": lambda: feature_extraction(train, val)})')
    if not isinstance(strategies, dict) or not strategies:
        raise TLTeachError(f"compare_strategies needs a dict {{name: function}}, {example}.")
    for name, fn in strategies.items():
        if not callable(fn):
            raise TLTeachError(f"The strategy {name!r} is a {type(fn).__name__}, not a function to call; {example}.")
    return strategies


def _check_result(name, result):
    ok = isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], nn.Module) \
        and isinstance(getattr(result[1], "rows", None), list)
    if not ok:
        raise TLTeachError(f"The strategy {name!r} must return (model, history), "
                           f"e.g. `return model, tt.fit(model, train, val)`; it returned a {type(result).__name__}.")
    model, history = result
    if not history.rows or history.rows[-1].get("val_acc") is None:
        raise TLTeachError(f"The strategy {name!r} trained without validation images: pass val to tt.fit "
                           "(or val features to tt.fit_head) so the runs can be compared.")
    return model, history


def compare_strategies(strategies: dict, seed: int = 0, live: bool = True) -> Comparison:
    """Run each strategy (a function returning `(model, history)`), time it and tabulate the results.

    Each run starts from `seed_everything(seed)`. The table has one row per strategy:
    `val_acc` and `train_acc` after the last epoch (not the best epoch: choosing the epoch by
    its validation accuracy would flatter the result), the number of parameters that were
    trainable at the end, and the wall time of the whole function in seconds.
    The Stop button (KeyboardInterrupt) ends the comparison: the table keeps the strategies
    that finished (and the epochs that finished of the one that was stopped, marked "(stopped)").

    >>> results = tt.experiments.compare_strategies({"feature extraction": lambda: feature_extraction(train, val)})
    >>> results["val_acc"], results.best
    """
    strategies = _check_strategies(strategies)
    rows, models, histories = [], {}, {}
    for name, fn in strategies.items():
        if live:
            print(f"{name}: training ...", flush=True)
        seed_everything(seed)
        start = time.perf_counter()
        try:
            result = fn()
        except KeyboardInterrupt:  # the Stop button: keep the strategies that finished
            print(f"Stopped during {name!r}: the table has the {len(rows)} strategies that finished before it.")
            break
        returned_history = result[1] if isinstance(result, tuple) and len(result) == 2 else None
        stopped = getattr(returned_history, "stopped", None) == "interrupted"
        if stopped and not returned_history.rows:
            print(f"Stopped during {name!r}: the table has the {len(rows)} strategies that finished before it.")
            break
        model, history = _check_result(name, result)
        seconds = time.perf_counter() - start
        if stopped:  # tt.fit caught the Stop button: keep the epochs that finished, run nothing more
            print(f"Stopped during {name!r}: its row has the epochs that finished; the strategies after it "
                  "did not run.")
            name = f"{name} (stopped)"
        last = history.rows[-1]
        row = {"strategy": name, "val_acc": float(last["val_acc"]), "train_acc": float(last["train_acc"]),
               "trainable_parameters": count_parameters(model, trainable_only=True), "seconds": seconds}
        rows.append(row)
        models[name], histories[name] = model, history
        if live:
            print(f"{name}: validation accuracy {100 * row['val_acc']:.1f} %, {row['seconds']:.1f} s, "
                  f"{row['trainable_parameters']:,} trainable parameters", flush=True)
        if stopped:
            break
    return Comparison(rows, models, histories, title=f"{len(rows)} strategies, seed {seed}")
