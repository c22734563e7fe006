"""What `tt.fit` shows while it trains: live curves and a progress bar in Jupyter,
one line per epoch elsewhere, nothing with `live=False`.

The curves are drawn by a callback, `draw(history, axes=...)`: training knows nothing of the
figures. `tlteach.figures` hands its `plot_history` over when it is imported (`use_curves`),
so `tt.fit` in a lesson draws the course's curves, and a test can train with no figure at all.
"""
from __future__ import annotations

import sys

from ..i18n import tr


_CURVES: list = []  # the drawing callback for learning curves, given by tlteach.figures (use_curves)


def use_curves(draw) -> None:
    """Draw learning curves with `draw(history, axes=None)` from now on (tlteach.figures calls this)."""
    _CURVES[:] = [draw]


def curves():
    """The callback that draws learning curves, or None when no figures module has given one."""
    return _CURVES[0] if _CURVES else None


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ in ("ZMQInteractiveShell", "Shell")


class Progress:
    """Live curves + a progress bar in Jupyter, one line per epoch elsewhere, nothing when quiet."""

    def __init__(self, live: bool, total_batches: int, epochs: int, history, draw=None):
        self.live, self.epochs, self.history = live, epochs, history
        self.draw = draw if draw is not None else curves()
        self.notebook = live and _in_notebook()
        self.bar = self.figure = self.handle = None
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
        if self.draw is not None:
            self._draw()

    def _draw(self) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        if self.figure is None:
            self.figure, axes = plt.subplots(1, 2, figsize=(11, 3.6))
            self.axes = tuple(axes)
        self.draw(self.history, axes=self.axes)
        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.figure is not None:
            import matplotlib.pyplot as plt

            plt.close(self.figure)  # already shown above: do not show it a second time


