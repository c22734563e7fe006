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
from .i18n import number, tr, trn
from .models import count_parameters
from .notebook import seed_everything
from .repeats import mean_sd, percent, runs_of, summarise
from .table import Table
from .train import History

COLUMNS = ("strategy", "seed", "val_acc", "train_acc", "trainable_parameters", "seconds")


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
        raise TLTeachError(tr("freeze_batchnorm needs a model, got a {kind}.", kind=type(model).__name__))
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
            raise TLTeachError(tr(
                "join_histories needs two History objects (from tt.fit or tt.fit_head), got a {kind}.",
                kind=type(h).__name__))
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
    """The table from `compare_strategies` (one row per run), plus each strategy's first model and History.

    `results.summary()`: mean ± sd of the validation accuracy per strategy; `results.runs(name)`:
    its accuracies; `results.best`: the strategy with the highest mean (a tie goes to the faster
    one); `results.models[name]`, `results.histories[name]`: its first run;
    `results.accuracy_on(name, data)`: every run's accuracy on images it was not picked on.
    """

    def __init__(self, rows, models: dict, histories: dict, title: str = "", run_models=None):
        super().__init__(rows, COLUMNS, title=title)
        self.models = models
        self.histories = histories
        self.run_models = run_models if run_models is not None else {}  # {(strategy, seed): model}

    def strategies(self) -> list:
        return list(dict.fromkeys(row["strategy"] for row in self.rows))

    def runs(self, name: str, value: str = "val_acc") -> list:
        return runs_of(self, value, strategy=name)

    def summary(self, value: str = "val_acc") -> Table:
        return summarise(self, "strategy", value, title=tr("{title}: {value}, mean ± sd over the runs",
                                                            title=self.title, value=tr(value)))

    @property
    def best(self) -> str:
        if not self.rows:
            raise TLTeachError(tr("The comparison is empty."))
        return max(self.strategies(), key=lambda n: (mean_sd(self.runs(n))[0], -mean_sd(self.runs(n, "seconds"))[0]))

    def accuracy_on(self, name: str, data) -> list:
        """The accuracy of each run of `name` on `data(seed)`: the images of that run's seed.

        Choose a strategy by its validation accuracy, then report it on images nothing was
        chosen on, e.g. the other half of each seed's validation split:

        >>> best = results.best
        >>> results.accuracy_on(best, lambda seed: tt.data.train_val_split(val, 0.5, seed=seed)[1])
        """
        from .inference import evaluate

        if not callable(data):
            raise TLTeachError(tr("accuracy_on needs a function seed -> images, e.g. lambda seed: report_half(seed)."))
        found = [(seed, model) for (label, seed), model in self.run_models.items() if label == name]
        if not found:
            raise TLTeachError(tr(
                "No run of {name!r}; the strategies are {strategies}.",
                name=name, strategies=self.strategies()))
        return [evaluate(model, data(seed))["accuracy"] for seed, model in found]

    def plot(self):
        """Every strategy's learning curves (its first run) in one figure (tt.plot_history).

        Longer runs are drawn first, so a run that continues another one (fine-tuning after
        the head-only epochs) shows as a continuation instead of hiding it.
        """
        from .viz import plot_history

        names = sorted(self.histories, key=lambda n: -len(self.histories[n]))  # stable: ties keep table order
        return plot_history(*[self.histories[n] for n in names], labels=names)


def _check_strategies(strategies) -> dict:
    example = 'tt.experiments.compare_strategies({"feature extraction": lambda: feature_extraction(train, val)})'
    if not isinstance(strategies, dict) or not strategies:
        raise TLTeachError(tr("compare_strategies needs a dict {{name: function}}, e.g. {example}.", example=example))
    for name, fn in strategies.items():
        if not callable(fn):
            raise TLTeachError(tr(
                "The strategy {name!r} is a {kind}, not a function to call; e.g. {example}.",
                name=name, kind=type(fn).__name__, example=example))
    return strategies


def _check_result(name, result):
    ok = isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], nn.Module) \
        and isinstance(getattr(result[1], "rows", None), list)
    if not ok:
        raise TLTeachError(tr(
            "The strategy {name!r} must return (model, history), e.g. `return model, tt.fit(model, train, val)`; it "
            "returned a {kind}.",
            name=name, kind=type(result).__name__))
    model, history = result
    if not history.rows or history.rows[-1].get("val_acc") is None:
        raise TLTeachError(tr(
            "The strategy {name!r} trained without validation images: pass val to tt.fit (or val features to "
            "tt.fit_head) so the runs can be compared.",
            name=name))
    return model, history


def compare_strategies(strategies: dict, seeds=None, seed: int = 0, live: bool = True) -> Comparison:
    """Run each strategy, time it and tabulate the results: one row per run.

    A strategy is a function returning `(model, history)`. With `seeds=[0, 1, 2]` each strategy
    runs once per seed and is called with the seed (`lambda seed: ...`): let the seed draw the
    photos and the random start, and the spread over the seeds says how much of a difference
    is noise (`results.summary()`, `tt.viz.plot_strategies`). Without `seeds`, each strategy
    is called once without arguments, after `seed_everything(seed)`.

    Each row: `val_acc` and `train_acc` after the last epoch (not the best epoch: choosing the
    epoch by its validation accuracy would flatter the result), the parameters that were
    trainable at the end, and the wall time of the whole function in seconds. The Stop button
    (KeyboardInterrupt) ends the comparison and keeps the runs that finished.

    >>> results = tt.experiments.compare_strategies(
    ...     {"feature extraction": lambda seed: tt.recipes.feature_extraction(tt.small_subset(train, 5, seed), val, seed)},
    ...     seeds=[0, 1, 2])
    >>> results.summary()
    """
    strategies = _check_strategies(strategies)
    runs = [None] if seeds is None else _check_seeds(seeds)
    rows, models, histories, run_models, running = [], {}, {}, {}, None
    try:
        for name, fn in strategies.items():
            if live:
                print(tr("{name}: training ...", name=tr(name)), flush=True)
            for run_seed in runs:
                running = name
                seed_everything(seed if run_seed is None else run_seed)
                start = time.perf_counter()
                result = fn() if run_seed is None else fn(run_seed)
                returned = result[1] if isinstance(result, tuple) and len(result) == 2 else None
                stopped = getattr(returned, "stopped", None) == "interrupted"
                if stopped and not returned.rows:
                    raise KeyboardInterrupt
                model, history = _check_result(name, result)
                label = tr("{name} (stopped)", name=name) if stopped else name  # tt.fit caught Stop: keep its finished epochs
                last = history.rows[-1]
                rows.append({"strategy": label, "seed": seed if run_seed is None else run_seed,
                             "val_acc": float(last["val_acc"]), "train_acc": float(last["train_acc"]),
                             "trainable_parameters": count_parameters(model, trainable_only=True),
                             "seconds": time.perf_counter() - start})
                models.setdefault(label, model)
                run_models[(label, rows[-1]["seed"])] = model
                histories.setdefault(label, history)
                if stopped:
                    raise KeyboardInterrupt
            if live:
                done = [r for r in rows if r["strategy"] == name]
                print(tr("{name}: validation accuracy {accuracy}, {seconds} s per run, {parameters}", name=tr(name),
                         accuracy=percent([r['val_acc'] for r in done]),
                         seconds=f"{sum(r['seconds'] for r in done) / len(done):.1f}",
                         parameters=trn("{n} trainable parameter", "{n} trainable parameters",
                                        done[-1]['trainable_parameters'], n=number(done[-1]['trainable_parameters']))),
                      flush=True)
    except KeyboardInterrupt:  # the Stop button: keep the runs that finished
        print(tr("Stopped during {running!r}: the table has the runs that finished ({n}); nothing after it ran.",
                 running=running, n=len(rows)))
    seeds_text = tr("seed {seed}", seed=seed) if seeds is None else \
        trn("seed {seeds}", "seeds {seeds}", len(runs), seeds=", ".join(map(str, runs)))
    title = trn("{n} strategy, {seeds}", "{n} strategies, {seeds}", len(strategies), seeds=seeds_text)
    return Comparison(rows, models, histories, title=title,
                      run_models=run_models)


def _check_seeds(seeds) -> list:
    seeds = [seeds] if isinstance(seeds, int) else list(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, int) for s in seeds):
        raise TLTeachError(tr("seeds must be whole numbers, e.g. seeds=[0, 1, 2]; got {seeds!r}.", seeds=seeds))
    return seeds
