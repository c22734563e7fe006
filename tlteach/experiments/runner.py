"""The one experiment runner: every setting, once per seed, into one tidy table (one row per run).

Every experiment in the course has the same shape: a few settings (strategies, data sizes,
numbers of frozen groups ...), each run with several seeds, one row per run. The lessons'
experiments (`tt.experiments.compare_strategies`, `tt.datasize.data_size_experiment`, the
freeze-depth table's slices `tt.sweep.run_rows`, the text lesson's `tt.text.crosslingual` and
`tt.text.finetuning`, and each click of the FreezePanel) are thin calls of `run_experiment`:
they say what one run is, and the runner does the rest the same way for all of them:

- the seeds are checked once (`tt.validate.seed_list`);
- settings run in order, each once per seed; a run returns `Run(row, model, history)`;
- the Stop button (KeyboardInterrupt, or a `tt.fit` that caught it and returned a History that
  says so) ends the whole experiment: the table keeps the runs that *finished*, prints one line
  saying so, and nothing after it runs.

    >>> finished = run_experiment([{"per_class": 5}, {"per_class": 10}], seeds=[0, 1, 2],
    ...                           train_one=lambda setting, seed: Run({"per_class": ..., "seed": seed, ...}))
    >>> table = Runs(finished, setting_columns=("per_class",))
    >>> table["val_acc"]            # one value per run; table.histories[(5, 0)]: the History of a run
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from torch import nn

from ..i18n import tr
from ..table import Table
from ..training.train import INTERRUPTED
from ..validate import seed_list


class Run(NamedTuple):
    """One finished run: its row of measurements, and (when kept) its model and History."""
    row: dict
    model: Optional[nn.Module] = None
    history: Optional[object] = None


class Runs(Table):
    """The tidy runs table: one row per (setting, seed), in the order they ran.

    `runs.histories[(setting values..., seed)]` and `runs.models[...]`: each run's History and model.
    `chance`: the accuracy of guessing (one over the number of classes), drawn by the figures.
    """

    def __init__(self, runs, columns=None, title: str = "", setting_columns=(), chance: Optional[float] = None):
        runs = list(runs)
        super().__init__([run.row for run in runs], columns, title=title)
        self.setting_columns = tuple(setting_columns)
        self.chance = chance
        self.finished = tuple(runs)

    def key(self, row: dict) -> tuple:
        return tuple(row[c] for c in self.setting_columns) + (row["seed"],)

    @property
    def histories(self) -> dict:
        return {self.key(run.row): run.history for run in self.finished if run.history is not None}

    @property
    def models(self) -> dict:
        return {self.key(run.row): run.model for run in self.finished if run.model is not None}


def run_experiment(settings, seeds, train_one: Callable, describe: Callable = None, after_setting: Callable = None,
                   after_run: Callable = None) -> list:
    """Run `train_one(setting, seed) -> Run` for every setting and seed; the finished runs, in order.

    `describe(setting)`: the setting in words, for the Stop line (default: its values).
    `after_setting(setting, runs)`: called when every seed of a setting finished (e.g. to print
    its mean ± sd); `after_run(setting, seed, run)`: after each run (e.g. a progress bar).
    """
    seeds = seed_list(seeds)
    settings = list(settings)
    describe = describe or (lambda setting: ", ".join(str(v) for v in setting.values()))
    finished, running = [], None
    try:
        for setting in settings:
            mine = []
            for seed in seeds:
                running = setting
                run = train_one(setting, seed)
                if getattr(run.history, "stopped", None) == INTERRUPTED:  # tt.fit caught the Stop button
                    raise KeyboardInterrupt
                finished.append(run)
                mine.append(run)
                if after_run is not None:
                    after_run(setting, seed, run)
            if after_setting is not None:
                after_setting(setting, mine)
    except KeyboardInterrupt:  # the Stop button: keep the runs that finished
        print(tr("Stopped during {running}: the table has the runs that finished ({n}); nothing after it ran.",
                 running=describe(running) if running is not None else "-", n=len(finished)))
    return finished
