"""The figures' one style: font sizes, the colours of the course, and the helpers every figure uses."""
from __future__ import annotations

import numpy as np

from ..errors import TLTeachError
from ..i18n import tr
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


# ----------------------------------------------------------------------------- experiments
def _short_number(value, _position=None) -> str:
    """Axis labels: 0, 500 k, 1 M, 2.5 M."""
    if value >= 1e6:
        return tr("{n} M", n=f"{value / 1e6:g}")
    return tr("{n} k", n=f"{value / 1e3:g}") if value >= 1e3 else f"{value:g}"


# ----------------------------------------------------------------------------- the algorithm
PARTLY_COLOR = "#8c8c8c"        # a group with some weights frozen (as FreezePanel draws it)


PRETRAINED_COLOR = "#a1d99b"    # weights learned on the source task


IMAGENET_CLASSES = 1000         # the head a pretrained backbone comes with


def _rounded_count(n: int) -> str:
    """1652640 -> "1.7 M", 12810 -> "13 k": a parameter count that fits a box."""
    if n >= 1e6:
        return tr("{n} M", n=f"{n / 1e6:.1f}")
    return tr("{n} k", n=f"{n / 1e3:.0f}") if n >= 1e3 else str(n)
