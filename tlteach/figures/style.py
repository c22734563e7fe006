"""The figures' one style: font sizes, the colours of the course, and the helpers every figure uses."""
from __future__ import annotations

import numpy as np

from ..errors import TLTeachError
from ..i18n import N_, number, plain, tr
from ..data.preprocess import as_float


FONT = 13         # tick labels, legends, small titles


TITLE_FONT = 16   # figure titles


FROZEN_COLOR, TRAINABLE_COLOR = "#1f77b4", "#ff7f0e"  # matplotlib's blue and orange


# ----------------------------------------------------------------------------- helpers
def _figure(nrows: int = 1, ncols: int = 1, size=(8, 5), **kwargs):
    """A new figure with a grid of axes (always a 2-D array) and constrained layout."""
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=size, squeeze=False, layout="constrained", **kwargs)


def _done(fig):
    """Detach the figure from pyplot (shown once, as the cell's value) and return it."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig


def _style(ax, grid: bool = False) -> None:
    """Projector-sized ticks and labels; a light grid only where it helps (never on images)."""
    ax.tick_params(labelsize=FONT)
    ax.xaxis.label.set_size(FONT + 1)
    ax.yaxis.label.set_size(FONT + 1)
    if grid:
        ax.grid(True, alpha=0.3)
    else:
        ax.grid(False)


def _hide(ax) -> None:
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def to_numpy_image(image) -> np.ndarray:
    """One image (a tensor, PIL image, array or file path) -> H x W x 3 floats in [0, 1], for imshow."""
    return as_float(image).permute(1, 2, 0).numpy()


def _check_dataset(ds, what: str) -> None:
    if not all(hasattr(ds, a) for a in ("images", "labels", "classes")):
        raise TLTeachError(tr(
            "{what} needs a dataset such as tt.load_dataset('animals'), got a {kind}.",
            what=what, kind=type(ds).__name__))
    if len(ds) == 0:
        raise TLTeachError(tr("{what}: the dataset is empty.", what=what))


def _class_colors(n: int) -> list:
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


# One colour per strategy in every figure of the course (lessons 00, 03, 05), never the blue and orange of
# frozen and trainable; other series (data sizes, starts, tasks) take the next colours of OTHER_COLORS.
STRATEGY_COLORS = {N_("from scratch"): "#8c564b", N_("feature extraction"): "#17becf", N_("fine-tuning"): "#9467bd",
                   N_("pretrained body + new head"): "#17becf"}  # (lesson 03's name for feature extraction)
OTHER_COLORS = ("#2ca02c", "#d62728", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939")


def _series_colors(names) -> list:
    """A colour for each series name: a strategy's own (named in English or in the lesson's language), else the
    next of OTHER_COLORS."""
    known = {**STRATEGY_COLORS, **{tr(name): color for name, color in STRATEGY_COLORS.items()}}
    others = iter(OTHER_COLORS * (1 + len(list(names)) // len(OTHER_COLORS)))
    return [known[str(n)] if str(n) in known else next(others) for n in names]


# ----------------------------------------------------------------------------- experiments
def _bar_panel(ax, label: str, right: float) -> None:
    """A panel of horizontal bars (lessons 05 and 07): x from 0 to `right`, its title, a light x grid, open frame."""
    ax.set_xlim(0, right)
    ax.set_title(label, fontsize=TITLE_FONT - 1)
    _style(ax)
    ax.grid(True, axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _short_number(value, _position=None) -> str:
    """Axis labels: 0, 500 k, 1 M, 2.5 M (2,5 M in Russian)."""
    if value >= 1e6:
        return tr("{n} M", n=plain(value / 1e6))
    return tr("{n} k", n=plain(value / 1e3)) if value >= 1e3 else plain(value)


def _tick_number(value, _position=None) -> str:
    """Axis labels in the lesson's language: 0, 0.5, 12 (0,5 in Russian)."""
    return number(value, 0 if float(value).is_integer() else 1)


# ----------------------------------------------------------------------------- the algorithm
PARTLY_COLOR = "#8c8c8c"        # a group with some weights frozen (as FreezePanel draws it)


PRETRAINED_COLOR = "#a1d99b"    # weights learned on the source task
SOURCE_BOX_COLOR, TARGET_BOX_COLOR = "#c6dbef", "#fdd0a2"  # the source and the target task (plot_beyond)
EDGE_COLOR = "#555555"          # box edges, arrows and their words (the transfer diagrams)
DARK_TEXT_COLOR, MUTED_TEXT_COLOR = "#333333", "#777777"  # a step's words: done, and not yet

RIGHT_COLOR, WRONG_COLOR = "#2ca02c", "#d62728"  # a right answer and a wrong one (predictions, a widget's error)
FEEDBACK_COLORS = {True: "#1a7f37", False: "#b35900"}  # an exercise's feedback words: right, not yet (dark enough to read)
OTHER_GUESS_COLOR = "#9aa5b1"   # the guesses after the first (show_predictions)
CHANCE_COLOR = "#7f7f7f"        # the guessing line
MISSING_COLOR = "#eeeeee"       # a heatmap cell off the scale (from scratch)
TRAIN_CURVE_COLOR, VAL_CURVE_COLOR = "#ff7f0e", "#1f77b4"  # plot_data_curve: training and new images

DIFFERENCE_COLOR = "#1f77b4"    # one seed's difference and the interval of their mean (plot_difference)
SMALL_BAND_COLOR = "#e6e6e6"    # differences smaller than the lessons care about (repeats.SMALLEST)


IMAGENET_CLASSES = 1000         # the head a pretrained backbone comes with


def _rounded_count(n: int) -> str:
    """1652640 -> "1.7 M", 12810 -> "13 k": a parameter count that fits a box."""
    if n >= 1e6:
        return tr("{n} M", n=number(n / 1e6, 1))
    return tr("{n} k", n=number(n / 1e3)) if n >= 1e3 else str(n)
