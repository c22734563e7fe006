"""Learning curves: loss and accuracy per epoch, train dashed and validation solid (tt.plot_history)."""
from __future__ import annotations

import numpy as np

from ..errors import TLTeachError
from ..i18n import tr, trn
from .style import FONT, TITLE_FONT, _done, _figure, _series_colors, _style


# ----------------------------------------------------------------------------- learning curves
def _history_rows(history) -> list:
    rows = getattr(history, "rows", history)
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, dict) for r in rows):
        raise TLTeachError(tr(
            "plot_history needs the History returned by tt.fit (or a list of dicts with 'epoch', 'train_loss', "
            "'train_acc', 'val_loss', 'val_acc'), got a {kind}.",
            kind=type(history).__name__))
    return list(rows)


def _column(rows, key) -> np.ndarray:
    values = [r.get(key) for r in rows]
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def plot_history(*histories, labels=None, axes=None):
    """Loss and accuracy per epoch: training dashed, validation solid, one colour per run. Lesson 01.

    Training values are measured during each epoch, batch by batch while the weights still change;
    validation values after it (see `tt.train.History`).

    >>> history = tt.fit(model, train, val, epochs=5)
    >>> tt.plot_history(history)                       # or several: plot_history(h1, h2, labels=[...])

    With `axes=(loss_ax, acc_ax)` it redraws into existing axes (used by fit's live plot).
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    if len(histories) == 1 and isinstance(histories[0], (list, tuple)) and histories[0] \
            and not isinstance(histories[0][0], dict):
        histories = tuple(histories[0])  # plot_history([h1, h2])
    if not histories:
        raise TLTeachError(tr("plot_history needs at least one History, e.g. tt.plot_history(history)."))
    all_rows = [_history_rows(h) for h in histories]
    if labels is None:
        labels = [tr(getattr(h, "label", "")) if getattr(h, "label", "") else
                  (tr("run {n}", n=i + 1) if len(histories) > 1 else "") for i, h in enumerate(histories)]
    if len(labels) != len(histories):
        raise TLTeachError(trn(
            "{n} history but {labels} labels: give one label per history.",
            "{n} histories but {labels} labels: give one label per history.",
            len(histories), labels=len(labels)))
    if axes is None:
        fig, grid = _figure(1, 2, size=(12, 4.6))
        loss_ax, acc_ax = grid[0]
    else:
        try:
            loss_ax, acc_ax = axes
        except (TypeError, ValueError):
            raise TLTeachError(tr("axes must be a pair (loss axes, accuracy axes), e.g. fig.subplots(1, 2).")) from None
        loss_ax.cla()
        acc_ax.cla()
        fig = loss_ax.figure
        if getattr(fig, "get_layout_engine", None) and fig.get_layout_engine() is None:
            fig.set_layout_engine("constrained")  # room for the legend and labels, no overlaps
    colors = _series_colors(labels)
    any_val = False
    for rows, label, color in zip(all_rows, labels, colors):
        if not rows:
            continue
        epochs = _column(rows, "epoch")
        for key, ax in (("loss", loss_ax), ("acc", acc_ax)):
            train_values, val_values = _column(rows, f"train_{key}"), _column(rows, f"val_{key}")
            ax.plot(epochs, train_values, "--o", color=color, lw=2, ms=5)
            if not np.all(np.isnan(val_values)):
                any_val = True
                ax.plot(epochs, val_values, "-o", color=color, lw=2.5, ms=6)
    loss_ax.set_title(tr("Loss (lower is better)"), fontsize=TITLE_FONT - 1)
    loss_ax.set_ylabel(tr("loss"))
    loss_ax.set_ylim(bottom=0)
    acc_ax.set_title(tr("Accuracy (higher is better)"), fontsize=TITLE_FONT - 1)
    acc_ax.set_ylabel(tr("accuracy"))
    acc_ax.set_ylim(0, 1.02)
    acc_ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    for ax in (loss_ax, acc_ax):
        ax.set_xlabel(tr("epoch"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _style(ax, grid=True)
    handles = [Line2D([], [], color="black", ls="--", lw=2, label=tr("training (during the epoch)"))]
    if any_val:
        handles.append(Line2D([], [], color="black", ls="-", lw=2.5, label=tr("validation")))
    if any(labels):
        handles = [Line2D([], [], color=c, lw=6, label=l) for l, c in zip(labels, colors)] + handles
    acc_ax.legend(handles=handles, fontsize=FONT, loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    return fig if axes is not None else _done(fig)


class LiveCurves:
    """The learning curves `tt.fit` redraws after each epoch in Jupyter: one figure, updated in place, closed at the
    end (it was shown already: it is not shown a second time). `tlteach.training.progress` makes one per run."""

    def __init__(self):
        self.figure = self.axes = self.handle = None

    def update(self, history) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        if self.figure is None:
            self.figure, axes = plt.subplots(1, 2, figsize=(11, 3.6))
            self.axes = tuple(axes)
        plot_history(history, axes=self.axes)
        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)

    def close(self) -> None:
        if self.figure is not None:
            import matplotlib.pyplot as plt

            plt.close(self.figure)
