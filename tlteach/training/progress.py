"""What `tt.fit` shows while it trains: live curves and a progress bar in Jupyter,
one line per epoch elsewhere, nothing with `live=False`.

The curves are drawn by what `tlteach.figures` hands over when it is imported (`use_curves`): its `plot_history`
(for `History.plot`) and its live drawer (`LiveCurves`: redraw after each epoch, close at the end). Training imports
no plotting library, so `tt.fit` in a lesson draws the course's curves and a test can train with no figure at all.
"""
from __future__ import annotations

import sys

from ..i18n import tr


_CURVES: dict = {}  # {"plot": draws histories, "live": makes a live drawer}, given by tlteach.figures (use_curves)


def use_curves(plot, live=None) -> None:
    """Draw learning curves with `plot(*histories, labels=None)`, and while `tt.fit` trains in Jupyter with an object
    `live()` makes (`.update(history)` after each epoch, `.close()` at the end). tlteach.figures calls this."""
    _CURVES.update(plot=plot, live=live)


def curves():
    """The callback that draws learning curves, or None when no figures module has given one."""
    return _CURVES.get("plot")


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ in ("ZMQInteractiveShell", "Shell")


class Progress:
    """Live curves + a progress bar in Jupyter, one line per epoch elsewhere, nothing when quiet."""

    def __init__(self, live: bool, total_batches: int, epochs: int, history):
        self.live, self.epochs, self.history = live, epochs, history
        self.notebook = live and _in_notebook()
        self.bar = None
        self.curves = _CURVES["live"]() if self.notebook and _CURVES.get("live") else None
        if self.notebook:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total_batches, desc=tr("epoch {epoch}/{epochs}", epoch=1, epochs=epochs), leave=True)

    def say(self, text: str) -> None:
        if self.live:
            print(text)

    def batch(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def epoch_done(self, row: dict) -> None:
        if not self.live:
            return
        val = "" if row["val_acc"] is None else tr(", val acc {acc:.3f}", acc=row["val_acc"])
        if not self.notebook:
            print(tr("epoch {epoch}/{epochs}", epoch=row["epoch"], epochs=self.epochs)
                  + tr(": train acc {acc:.3f}", acc=row["train_acc"]) + f"{val} (" + tr("{t} s", t=round(row['seconds'], 1)) + ")")
            return
        self.bar.set_description(tr("epoch {epoch}/{epochs}", epoch=min(row["epoch"] + 1, self.epochs), epochs=self.epochs))
        self.bar.set_postfix_str(tr("train acc {acc:.2f}", acc=row["train_acc"]) + val)
        if self.curves is not None:
            self.curves.update(self.history)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.curves is not None:
            self.curves.close()


