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
"""
from __future__ import annotations

import time

from torch import nn

from ..errors import TLTeachError
from ..i18n import number, tr, trn
from ..models.groups import count_parameters
from ..seeds import seed_everything
from .repeats import mean_sd, percent, runs_of, summarise
from ..table import Table
from .runner import Run, Runs, run_experiment
from ..training.train import INTERRUPTED
from ..validate import seed_list
from ..training.inference import evaluate

COLUMNS = ("strategy", "seed", "val_acc", "train_acc", "trainable_parameters", "seconds")


# --------------------------------------------------------------------------- the comparison
class Comparison(Runs):
    """The table from `compare_strategies` (one row per run), plus each strategy's first model and History.

    `results.summary()`: mean ± sd of the validation accuracy per strategy; `results.runs(name)`:
    its accuracies; `results.best`: the strategy with the highest mean (a tie goes to the faster
    one); `results.models[name]`, `results.histories[name]`: its first run;
    `results.accuracy_on(name, data)`: every run's accuracy on images it was not picked on.
    """

    def __init__(self, finished, title: str = ""):
        super().__init__(finished, COLUMNS, title=title, setting_columns=("strategy",))

    @property
    def models(self) -> dict:
        """{strategy: the model of its first run}."""
        return _first_per_strategy(super().models)

    @property
    def histories(self) -> dict:
        """{strategy: the History of its first run}."""
        return _first_per_strategy(super().histories)

    @property
    def run_models(self) -> dict:
        """{(strategy, seed): model} of every run."""
        return super().models

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
        names = sorted(self.histories, key=lambda n: -len(self.histories[n]))  # stable: ties keep table order
        first, *others = [self.histories[n] for n in names]
        return first.plot(*others, labels=names)


def _first_per_strategy(by_run: dict) -> dict:
    first: dict = {}
    for (name, _seed), value in by_run.items():
        first.setdefault(name, value)
    return first


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
    (KeyboardInterrupt) ends the comparison and keeps the runs that finished
    (`tt.runner.run_experiment`).

    >>> results = tt.experiments.compare_strategies(
    ...     {"feature extraction": lambda seed: tt.recipes.feature_extraction(tt.small_subset(train, 5, seed), val, seed)},
    ...     seeds=[0, 1, 2])
    >>> results.summary()
    """
    strategies = _check_strategies(strategies)
    called_with_seed = seeds is not None
    runs = seed_list(seeds) if called_with_seed else [seed]

    def train_one(setting, run_seed):
        name = setting["strategy"]
        if live and run_seed == runs[0]:
            print(tr("{name}: training ...", name=tr(name)), flush=True)
        seed_everything(run_seed)
        start = time.perf_counter()
        result = strategies[name](run_seed) if called_with_seed else strategies[name]()
        if getattr(result[1] if isinstance(result, tuple) and len(result) == 2 else None, "stopped", None) \
                == INTERRUPTED:
            raise KeyboardInterrupt  # tt.fit caught the Stop button: this run did not finish
        model, history = _check_result(name, result)
        last = history.rows[-1]
        return Run({"strategy": name, "seed": run_seed, "val_acc": float(last["val_acc"]),
                    "train_acc": float(last["train_acc"]),
                    "trainable_parameters": count_parameters(model, trainable_only=True),
                    "seconds": time.perf_counter() - start}, model, history)

    def after_setting(setting, done):
        if not live:
            return
        rows = [run.row for run in done]
        print(tr("{name}: validation accuracy {accuracy}, {seconds} s per run, {parameters}",
                 name=tr(setting["strategy"]), accuracy=percent([r["val_acc"] for r in rows]),
                 seconds=number(sum(r['seconds'] for r in rows) / len(rows), 1),
                 parameters=trn("{n} trainable parameter", "{n} trainable parameters",
                                rows[-1]["trainable_parameters"], n=number(rows[-1]["trainable_parameters"]))),
              flush=True)

    finished = run_experiment([{"strategy": name} for name in strategies], runs, train_one,
                              describe=lambda setting: repr(setting["strategy"]), after_setting=after_setting)
    seeds_text = tr("seed {seed}", seed=seed) if not called_with_seed else \
        trn("seed {seeds}", "seeds {seeds}", len(runs), seeds=", ".join(map(str, runs)))
    title = trn("{n} strategy, {seeds}", "{n} strategies, {seeds}", len(strategies), seeds=seeds_text)
    return Comparison(finished, title=title)
