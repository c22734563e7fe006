"""Figures for the lessons, readable on a projector (big fonts, titles, class names).

    >>> tt.show_images(train, per_class=True)       # one photo of every class
    >>> tt.show_filters(tt.load_backbone())         # the first layer's 32 filters

Every function returns a matplotlib Figure. In Jupyter it appears when the call is
the last line of a cell; elsewhere, `fig.savefig("name.png")`. The figure is not kept
open in pyplot, so it is never shown twice and many of them do not use up memory.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .errors import TLTeachError
from .i18n import N_, class_name, class_names, dataset_name, number, tr, trn
from .inspection import conv_response, default_feature_layers, filter_images, find_conv, group_activations, pca_2d
from .preprocess import as_batch, as_float

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


# ----------------------------------------------------------------------------- images
def show_images(ds, n: int = 10, per_class: bool = False, seed: int = 0, cols: int = 5):
    """A grid of images from a dataset, each titled with its class. Lesson 01.

    >>> tt.show_images(train, n=10)              # 10 random images (the same for the same seed)
    >>> tt.show_images(train, per_class=True)    # one image of every class
    """
    _check_dataset(ds, "show_images")
    gen = torch.Generator().manual_seed(seed)
    if per_class:
        index = []
        for label in range(len(ds.classes)):
            where = torch.nonzero(ds.labels == label).flatten()
            if len(where):
                index.append(int(where[torch.randint(len(where), (1,), generator=gen)]))
    else:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise TLTeachError(tr("n must be a whole number of images >= 1, got {n!r}.", n=n))
        index = torch.randperm(len(ds), generator=gen)[: min(n, len(ds))].sort().values.tolist()
    cols = max(1, min(cols, len(index)))
    rows = math.ceil(len(index) / cols)
    fig, axes = _figure(rows, cols, size=(2.4 * cols, 2.45 * rows + 0.5))
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, index):
        ax.imshow(to_numpy_image(ds.images[i]))
        ax.set_title(class_name(ds.classes[int(ds.labels[i])]), fontsize=FONT + 1)
    name = ds.title() if hasattr(ds, "title") and getattr(ds, "name", "") else tr("Images")
    what = tr("one image per class") if per_class else tr("{shown} of {total} images", shown=len(index), total=len(ds))
    fig.suptitle(f"{name}: {what}", fontsize=TITLE_FONT)
    return _done(fig)


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
    colors = _class_colors(len(histories))
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


# ----------------------------------------------------------------------------- filters
def show_filters(layer_or_model, n: int = 32, layer=None, cols: int = 8, title=None):
    """The weights of a convolution layer's filters, drawn as small images. Lesson 02.

    >>> tt.show_filters(tt.load_backbone())                      # first layer: 32 RGB patches, 3x3
    >>> tt.show_filters(model, layer="stage3", n=16)             # a deeper layer, in grayscale
    """
    name, conv = find_conv(layer_or_model, layer)
    patches, how = filter_images(conv, n)
    count = len(patches)
    cols = max(1, min(cols, count))
    rows = math.ceil(count / cols)
    fig, axes = _figure(rows, cols, size=(1.35 * cols + 0.4, 1.35 * rows + 1.2))
    for ax in axes.flat:
        ax.axis("off")
    for i, (ax, patch) in enumerate(zip(axes.flat, patches)):
        ax.imshow(patch, cmap=None if patch.ndim == 3 else "gray", interpolation="nearest", vmin=0, vmax=1)
        ax.set_title(str(i), fontsize=FONT - 2, pad=2)
    k = "x".join(str(s) for s in conv.kernel_size)
    if title is None:
        where = f"{name}: " if name else ""
        title = where + tr("{count} of {total} filters, {k} each", count=count, total=conv.out_channels, k=k) + f"\n{how}"
    fig.suptitle(title, fontsize=TITLE_FONT - 1)
    return _done(fig)


# ----------------------------------------------------------------------------- activations
def show_feature_maps(model: nn.Module, image, layers=None, n: int = 6):
    """What the network "sees": the most active channels of one image at several layer groups.
    Lesson 02.

    >>> tt.show_feature_maps(tt.load_backbone(), val.images[0])     # stem, stage3, stage6
    >>> tt.show_feature_maps(model, photo, layers=["stem", "stage1"], n=6)
    """
    layers = default_feature_layers(model) if layers is None else ([layers] if isinstance(layers, str) else list(layers))
    maps = group_activations(model, image, layers)
    import matplotlib.pyplot as plt

    # Panels 2.3 inches (about 210 px at 90 dpi) so that a map is readable on a projector; 6 maps
    # of 3 layers fit a 1920 x 1080 screen. More maps per row make each one smaller.
    panel = min(2.3, 14.0 / max(n, 1))
    fig = plt.figure(figsize=(panel * n + 3.2, (panel + 0.75) * len(layers) + 0.6), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[3.0, panel * n])
    image_ax = left.subplots()
    image_ax.imshow(to_numpy_image(image))
    image_ax.set_title(tr("input image"), fontsize=FONT + 1)
    _hide(image_ax)
    rows = right.subfigures(len(layers), 1) if len(layers) > 1 else [right]
    for row, layer in zip(rows, layers):
        act = maps[layer][0].float()
        if act.ndim != 3:
            raise TLTeachError(tr(
                "{layer!r} gives a vector, not feature maps: choose an earlier layer group.",
                layer=layer))
        channels, h, w = act.shape
        shown = act.mean((1, 2)).argsort(descending=True)[:n]
        axes = np.atleast_1d(row.subplots(1, n))
        for ax in axes:
            ax.axis("off")
        for ax, c in zip(axes, shown.tolist()):
            ax.imshow(act[c].numpy(), cmap="viridis", interpolation="nearest")
            ax.set_title(tr("ch {c}", c=c), fontsize=FONT, pad=2)
        row.suptitle(tr("{layer}: {channels} channels, {h}×{w}  ({shown} most active shown)", layer=layer,
                        channels=channels, h=h, w=w, shown=len(shown)), fontsize=FONT + 1)
    fig.suptitle(tr("Feature maps: bright = strong response"), fontsize=TITLE_FONT)
    return _done(fig)


def show_filter_response(model: nn.Module, image, layer=None, channel: int = 0, response=None, title=None):
    """One filter and its response to an image: the image, the filter's weights, the activation map.

    >>> tt.show_filter_response(tt.load_backbone(), val.images[0], layer="stem.0", channel=5)
    """
    name, conv = find_conv(model, layer)
    if isinstance(channel, bool) or not isinstance(channel, int) or not 0 <= channel < conv.out_channels:
        raise TLTeachError(tr(
            "channel must be 0 ... {last} for {layer}, got {channel!r}.",
            last=conv.out_channels - 1, layer=name or tr("this layer"), channel=channel))
    response = conv_response(model, image, name or None) if response is None else response
    patches, how = filter_images(conv)
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(12, 4.3))  # a fixed layout: drawn fast, for FilterExplorer's slider
    axes = fig.subplots(1, 3, gridspec_kw=dict(left=0.01, right=0.91, bottom=0.03, top=0.78, wspace=0.1))
    axes[0].imshow(to_numpy_image(image))
    axes[0].set_title(tr("image"), fontsize=FONT)
    patch = patches[channel]
    axes[1].imshow(patch, cmap=None if patch.ndim == 3 else "gray", interpolation="nearest", vmin=0, vmax=1)
    k = "x".join(str(s) for s in conv.kernel_size)
    axes[1].set_title(tr("filter {channel}: {k} weights", channel=channel, k=k) + f"\n{how}", fontsize=FONT)
    shown = axes[2].imshow(response[channel].numpy(), cmap="viridis", interpolation="nearest")
    h, w = response.shape[1:]
    axes[2].set_title(tr("its response ({h}×{w})\nbright = strong match", h=h, w=w), fontsize=FONT)
    colorbar = fig.colorbar(shown, cax=fig.add_axes([0.92, 0.08, 0.012, 0.65]))
    colorbar.ax.tick_params(labelsize=FONT - 2)
    for ax in axes:
        _hide(ax)
    fig.suptitle(title or tr("{layer}: filter {channel} of {total}", layer=name or tr("convolution"), channel=channel,
                                 total=conv.out_channels), fontsize=TITLE_FONT)
    return _done(fig)


# ----------------------------------------------------------------------------- results
def plot_confusion(model: nn.Module, ds, title=None):
    """Confusion matrix: rows are the true classes, columns what the model predicted. Lesson 05.

    >>> tt.plot_confusion(model, val)      # the diagonal is right; off-diagonal cells are mistakes
    """
    from .inference import evaluate

    _check_dataset(ds, "plot_confusion")
    result = evaluate(model, ds)
    k = len(ds.classes)
    counts = torch.bincount(ds.labels * k + result["predictions"], minlength=k * k).view(k, k).numpy()
    side = max(5.5, 0.75 * k + 3)
    fig, axes = _figure(1, 1, size=(side + 0.8, side))
    ax = axes[0, 0]
    ax.imshow(counts, cmap="Blues", vmin=0)
    ticks = np.arange(k)
    ax.set_xticks(ticks, class_names(ds.classes), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(ticks, class_names(ds.classes))
    ax.set_xlabel(tr("predicted class"))
    ax.set_ylabel(tr("true class"))
    top = counts.max() if counts.max() > 0 else 1
    cell_font = FONT if k <= 12 else FONT - 3
    for i in range(k):
        for j in range(k):
            if counts[i, j] or i == j:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=cell_font,
                        color="white" if counts[i, j] > top / 2 else "black")
    _style(ax)
    correct = int(np.trace(counts))
    ax.set_title(title or tr("Accuracy {accuracy} % ({correct} of {total} right)", accuracy=f"{100 * result['accuracy']:.1f}",
                             correct=correct, total=len(ds)), fontsize=TITLE_FONT)
    return _done(fig)


def show_predictions(model: nn.Module, images, classes=None, k: int = 3, n: int = 4, seed: int = 0, size=None):
    """Each image next to a bar chart of the model's top-k classes (at most 12 images). Lesson 02.

    >>> tt.show_predictions(model, val, k=3)                         # 4 random validation images
    >>> tt.show_predictions(tt.load_backbone(), [photo1, photo2])    # ImageNet classes
    """
    from .inference import _classes_of, probabilities

    labels, true_names = None, None
    if hasattr(images, "images") and hasattr(images, "labels"):  # a dataset: n random images
        _check_dataset(images, "show_predictions")
        index = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[: min(n, len(images))]
        labels, true_names = images.labels[index].tolist(), list(images.classes)
        size = size or images.image_size[0]
        images = images.images[index]
    if size is None:  # keep the images' own size when they are tensors
        first = images[0] if isinstance(images, (list, tuple)) or getattr(images, "ndim", 0) == 4 else images
        size = min(first.shape[-2:]) if isinstance(first, torch.Tensor) else 128
    batch = as_batch(images, size)
    given = len(batch)
    batch = batch[:12]
    probs = probabilities(model, batch, size=size)
    if classes is None and true_names is not None and len(true_names) == probs.shape[1]:
        classes = true_names
    names = _classes_of(model, classes, probs.shape[1])
    k = max(1, min(int(k), probs.shape[1]))
    values, index = probs.topk(k, dim=1)
    count = len(batch)
    # Projector-sized: up to 3 images one under another, then 2 or 3 columns of (image, bars), so
    # that 12 images still fit a 1920 x 1080 screen (at most 4 rows, about 950 px tall).
    cols = 1 if count <= 3 else (2 if count <= 6 else 3)
    rows = math.ceil(count / cols)
    width = 10 if cols == 1 else 6.4 * cols
    fig, axes = _figure(rows, 2 * cols, size=(width, (2.5 if cols == 1 else 2.45) * rows + 0.7),
                        gridspec_kw={"width_ratios": [1, 2.2 if cols == 1 else 1.75] * cols})
    if cols > 1:
        fig.get_layout_engine().set(wspace=0.05)  # air between one image's bars and the next image
    for r in range(count, rows * cols):  # empty places of the last row
        fig.delaxes(axes[r // cols, 2 * (r % cols)])
        fig.delaxes(axes[r // cols, 2 * (r % cols) + 1])
    for r in range(count):
        img_ax, bar_ax = axes[r // cols, 2 * (r % cols)], axes[r // cols, 2 * (r % cols) + 1]
        img_ax.imshow(batch[r].permute(1, 2, 0).numpy())
        _hide(img_ax)
        predicted = [names[int(i)] for i in index[r]]
        colors = [FROZEN_COLOR] + ["#9aa5b1"] * (k - 1)
        if labels is not None:
            truth = true_names[labels[r]]
            img_ax.set_title(tr("true: {name}", name=class_name(truth)), fontsize=FONT + 1)
            if names == true_names:  # the model answers with the dataset's classes: colour right and wrong
                colors = ["#2ca02c" if p == truth else ("#d62728" if j == 0 else "#9aa5b1")
                          for j, p in enumerate(predicted)]
                if predicted[0] != truth:
                    img_ax.title.set_color("#d62728")
        y = np.arange(k)[::-1]
        bar_ax.barh(y, values[r].numpy(), color=colors, height=0.65)
        # our classes in the lesson's language; ImageNet's names stay as ImageNet writes them (its 'leopard' too)
        bar_ax.set_yticks(y, class_names(predicted) if names == true_names else predicted)
        bar_ax.set_xlim(0, 1.25)
        for yy, v in zip(y, values[r].tolist()):
            bar_ax.text(v + 0.02, yy, f"{100 * v:.0f} %", va="center", fontsize=FONT)
        bar_ax.spines[["top", "right"]].set_visible(False)
        _style(bar_ax)
        bar_ax.set_xticks([0, 0.5, 1])
        if r + cols >= count:  # the lowest bars of its column
            bar_ax.set_xlabel(tr("probability"))
        else:
            bar_ax.set_xticklabels([])
    note = tr("  (green = true class, red = wrong top guess)") if labels is not None and names == true_names else ""
    shown = tr(" for the first {shown} of {total} images", shown=count, total=given) if given > count else ""
    fig.suptitle(tr("Top-{k} predictions", k=k) + shown + note, fontsize=TITLE_FONT)
    return _done(fig)


def plot_embedding(features, labels, classes, title=None):
    """Each image's feature vector as a point (PCA to 2-D), coloured by class.

    >>> tt.viz.plot_embedding(features, val.labels, val.classes)   # features: N x 1280
    """
    labels = np.asarray(labels.tolist() if isinstance(labels, torch.Tensor) else labels, dtype=int)
    if len(labels) != len(features):
        raise TLTeachError(trn(
            "{n} feature vector but {labels} labels: give one label per image.",
            "{n} feature vectors but {labels} labels: give one label per image.",
            len(features), labels=len(labels)))
    if len(labels) and labels.max() >= len(classes):
        raise TLTeachError(tr(
            "Label {label} but only {n} class names: pass the dataset's .classes.",
            label=labels.max(), n=len(classes)))
    points, ratio = pca_2d(features)
    fig, axes = _figure(1, 1, size=(10, 7))
    ax = axes[0, 0]
    markers = "osD^v<>ph*"
    for c, (name, color) in enumerate(zip(classes, _class_colors(len(classes)))):
        mask = labels == c
        if mask.any():
            ax.scatter(points[mask, 0], points[mask, 1], s=45, color=color, marker=markers[c % len(markers)],
                       label=class_name(name), alpha=0.85, edgecolors="white", linewidths=0.5)
    ax.set_xlabel(tr("PC {i} ({share} % of variance)", i=1, share=f"{100 * ratio[0]:.1f}"))
    ax.set_ylabel(tr("PC {i} ({share} % of variance)", i=2, share=f"{100 * ratio[1]:.1f}"))
    ax.legend(fontsize=FONT, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, markerscale=1.4)
    ax.set_title(title or tr("Features projected to 2-D with PCA"), fontsize=TITLE_FONT)
    _style(ax, grid=True)
    return _done(fig)


# ----------------------------------------------------------------------------- experiments
def _short_number(value, _position=None) -> str:
    """Axis labels: 0, 500 k, 1 M, 2.5 M."""
    if value >= 1e6:
        return tr("{n} M", n=f"{value / 1e6:g}")
    return tr("{n} k", n=f"{value / 1e3:g}") if value >= 1e3 else f"{value:g}"


def plot_strategies(results, title=None):
    """Validation accuracy, wall time and trainable parameters of each strategy. Lesson 05.

    One bar per strategy at the mean of its runs, each run a black dot, the line across the
    bar ± one standard deviation: a difference between two bars is only worth reading when it
    is larger than the scatter of the dots.

    >>> tt.viz.plot_strategies(results)      # results from tt.experiments.compare_strategies
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

    try:
        rows = list(results)
        names = list(dict.fromkeys(r["strategy"] for r in rows))
        runs = {n: [r for r in rows if r["strategy"] == n] for n in names}
    except (TLTeachError, KeyError, TypeError):
        raise TLTeachError(tr("plot_strategies needs the table from tt.experiments.compare_strategies.")) from None
    if not names:
        raise TLTeachError(tr("The comparison is empty: run tt.experiments.compare_strategies first."))
    colors = _class_colors(len(names))
    fig, grid = _figure(1, 3, size=(15, 1.9 + 0.95 * len(names)), sharey=True)
    axes = grid[0]
    y = np.arange(len(names))[::-1]  # the first strategy on top
    panels = [("val_acc", tr("validation accuracy"), lambda m, s, n: f"{100 * m:.1f} ± {100 * s:.1f} %"),
              ("seconds", tr("wall time (seconds)"), lambda m, s, n: tr("{t} s", t=f"{m:.1f}")),
              ("trainable_parameters", tr("trainable parameters"), lambda m, s, n: number(m))]
    for ax, (key, label, fmt) in zip(axes, panels):
        values = {n: np.array([float(r[key]) for r in runs[n]]) for n in names}
        means = np.array([v.mean() for v in values.values()])
        sds = np.array([v.std(ddof=1) if len(v) > 1 else 0.0 for v in values.values()])
        ax.barh(y, means, color=colors, height=0.62, alpha=0.55 if key == "val_acc" else 0.9)
        top = max(float(max(v.max() for v in values.values())), 1e-9)
        if key == "val_acc":
            ax.errorbar(means, y, xerr=sds, fmt="none", ecolor="black", elinewidth=2, capsize=7)
            for yy, v in zip(y, values.values()):
                jitter = np.linspace(-0.18, 0.18, len(v)) if len(v) > 1 else np.zeros(1)
                ax.scatter(v, yy + jitter, color="black", s=36, zorder=3)
        for yy, m, s, v in zip(y, means, sds, values.values()):
            ax.text(max(m + s, v.max()) + 0.03 * top, yy, fmt(m, s, len(v)), va="center", fontsize=FONT + 1)
        ax.set_xlim(0, 1.45 * top)
        ax.set_title(label, fontsize=TITLE_FONT - 1)
        _style(ax)
        ax.grid(True, axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_xlim(0, 1.3)
    axes[0].xaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes[2].xaxis.set_major_formatter(FuncFormatter(_short_number))
    axes[2].xaxis.set_major_locator(MaxNLocator(nbins=3))  # "25 тыс." is wider than "25 k": fewer ticks, no overlap
    axes[0].set_yticks(y, [tr(n) for n in names], fontsize=FONT + 1)
    n_runs = max(len(v) for v in runs.values())
    fig.suptitle(title or tr("Which strategy wins, and what does it cost? ({n} runs each: dots)", n=n_runs),
                 fontsize=TITLE_FONT)
    return _done(fig)


def _grid(table, value: str, body_lr=None):
    """(row keys, column depths, {(row key, depth): [value of each run]}) from a tidy sweep table.

    With `body_lr`, only the runs with that body learning rate (a table may hold several).
    """
    keys, depths, runs = [], [], {}
    for row in table:
        if body_lr is not None and row.get("body_lr", body_lr) != body_lr:
            continue
        key = (row["task"], row["per_class"])
        if key not in keys:
            keys.append(key)
        if row["frozen_groups"] not in depths:
            depths.append(row["frozen_groups"])
        runs.setdefault((key, row["frozen_groups"]), []).append(float(row[value]))
    depths.sort()
    return keys, depths, runs


def plot_sweep(table, value: str = "pick_acc", body_lr=None, title=None, group_labels=True):
    """A heatmap of a freeze sweep: one row per task and data size, one column per number of frozen groups.

    Each cell: the mean ± sd over the runs (seeds) of `value`: "pick_acc" (accuracy on the
    half of the validation images the depth is picked on), "report_acc" (the other half) or
    "seconds" (colours on a log scale). The best cell of a row is outlined only when it beats
    every other cell of the row beyond noise (`tt.repeats.compare`); otherwise the row says
    "tie" and the cells within noise of the best get a dashed outline. `body_lr`: which body
    learning rate to show when the table holds several (default: the most common one).

    >>> tt.viz.plot_sweep(table)
    >>> tt.viz.plot_sweep(table, "seconds")
    """
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.patches import Rectangle

    from .repeats import compare, mean_sd

    values = ("pick_acc", "report_acc", "seconds")
    if value not in values:
        raise TLTeachError(tr(
            "value must be one of {values}, got {value!r}.",
            values=", ".join(map(repr, values)), value=value))
    if not len(table):
        raise TLTeachError(tr("The sweep table is empty: run tt.sweep.freeze_sweep first."))
    if body_lr is None and "body_lr" in table.columns:
        lrs = [row["body_lr"] for row in table]
        body_lr = max(dict.fromkeys(lrs), key=lrs.count)
    keys, depths, runs = _grid(table, value, body_lr)
    accuracy = value != "seconds"
    scale = 100 if accuracy else 1
    mean = np.array([[scale * mean_sd(runs[key, k])[0] if (key, k) in runs else np.nan for k in depths]
                     for key in keys])
    counts = sorted({len(v) for v in runs.values()})
    n_text = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    up_to = {row["frozen_groups"]: row["frozen_up_to"] for row in table}

    fig, axes = _figure(1, 1, size=(3.0 + 1.45 * len(depths), 1.6 + 1.0 * len(keys)))
    ax = axes[0, 0]
    cmap = "YlGn" if accuracy else "Oranges"
    low, high = np.nanmin(mean), np.nanmax(mean)
    if accuracy:  # a linear scale, starting a little below the worst cell so that it is not white
        norm = Normalize(vmin=low - 0.15 * (high - low + 1e-9), vmax=high)
    else:  # times span 0.1 s to minutes: a log scale shows the steps within every row
        norm = LogNorm(vmin=max(low, 1e-3) / 1.5, vmax=max(high, 2e-3))
    ax.imshow(mean, cmap=cmap, norm=norm, aspect="auto")
    ties = []
    for r, key in enumerate(keys):
        row = {k: runs[key, k] for k in depths if (key, k) in runs}
        best = max(row, key=lambda k: (mean_sd(row[k])[0], k)) if accuracy else None
        tied = [k for k in row if k == best or compare(row[best], row[k]) == "within noise"] if accuracy else []
        for c, k in enumerate(depths):
            if k not in row:
                continue
            m, sd = (scale * x for x in mean_sd(row[k]))
            text = f"{m:.0f} ± {sd:.0f}" if accuracy else tr("{t} s", t=f"{m:.1f}" if m < 10 else f"{m:.0f}")
            dark = norm(max(m, 1e-3)) > 0.6
            winner = accuracy and tied == [k]
            ax.text(c, r, text, ha="center", va="center", fontsize=FONT + 2,
                    fontweight="bold" if winner else "normal", color="white" if dark else "black")
            if winner:
                ax.add_patch(Rectangle((c - 0.48, r - 0.46), 0.96, 0.92, fill=False, edgecolor="black", lw=3.5))
            elif k in tied and len(tied) < len(row):  # a tie of some cells: dashed outlines on them
                ax.add_patch(Rectangle((c - 0.46, r - 0.44), 0.92, 0.88, fill=False, edgecolor="black", lw=1.5,
                                       linestyle=(0, (4, 3))))
        ties.append("" if len(tied) < 2 else tr("tie:\nall") if len(tied) == len(row)
                    else tr("tie:\n{depths}", depths=", ".join(map(str, sorted(tied)))))
    if any(ties):  # said in words at the right end of each row
        right = ax.secondary_yaxis("right")
        right.set_yticks(range(len(keys)), labels=ties, fontsize=FONT)
        right.tick_params(length=0)
        right.spines["right"].set_visible(False)
    ax.set_xticks(range(len(depths)))
    ax.set_xticklabels([(tr("{k}\nup to {group}", k=k, group=up_to[k]) if k else tr("0\nnothing"))
                        if group_labels else str(k) for k in depths], fontsize=FONT - 1)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([f"{dataset_name(task)}\n" + tr("{n} per class", n=n) for task, n in keys], fontsize=FONT)
    ax.set_xlabel(tr("frozen layer groups, counted from the input"), fontsize=FONT + 1)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    default = {"pick_acc": tr("Accuracy on the pick half (%): mean ± sd of {n} runs\n"
                              "best outlined only when it wins beyond noise", n=n_text),
               "report_acc": tr("Accuracy on the report half (%): mean ± sd of {n} runs\n"
                                "best outlined only when it wins beyond noise", n=n_text),
               "seconds": tr("Time of each run (seconds, mean of {n} runs; colours on a log scale)", n=n_text)}
    ax.set_title(title or default[value], fontsize=TITLE_FONT)
    return _done(fig)


def plot_data_curve(table, title: str = N_("Validation accuracy vs images per class")):
    """Training and validation accuracy against images per class; the shaded gap is overfitting.

    One line per set through the mean of the runs at each size, with error bars (± 1 sd) and every
    run as a dot: a rise counts when it is larger than the scatter of the dots.

    >>> tt.viz.plot_data_curve(table)      # the Table from tt.datasize.data_size_experiment
    """
    from matplotlib.ticker import PercentFormatter

    try:
        runs_x = np.array(table["per_class"], dtype=float)
        runs_val = np.array(table["val_acc"], dtype=float)
        runs_train = np.array(table["train_acc"], dtype=float)
    except (TLTeachError, KeyError, TypeError):
        raise TLTeachError(tr(
            "plot_data_curve needs the Table from tt.data_size_experiment "
            "(columns per_class, train_acc, val_acc).")) from None
    if len(runs_x) == 0:
        raise TLTeachError(tr("The table is empty: run tt.data_size_experiment first."))
    x = np.unique(runs_x)

    def stats(values):
        groups = [values[runs_x == xi] for xi in x]
        return (np.array([g.mean() for g in groups]),
                np.array([g.std(ddof=1) if len(g) > 1 else 0.0 for g in groups]))

    val_acc, val_sd = stats(runs_val)
    train_acc, train_sd = stats(runs_train)
    n_runs = sorted({int((runs_x == xi).sum()) for xi in x})
    span = x[-1] - x[0] + 1
    fig, axes = _figure(1, 1, size=(12, 5.8))
    ax = axes[0, 0]
    ax.fill_between(x, val_acc, train_acc, color="#d62728", alpha=0.12, label=tr("gap = overfitting"))
    for values, means, sds, colour, style, label, shift in (
            (runs_train, train_acc, train_sd, "#ff7f0e", "--", N_("training images"), -0.012),
            (runs_val, val_acc, val_sd, "#1f77b4", "-", N_("validation images (new)"), 0.012)):
        ax.plot(x, means, style, color=colour, lw=2.5, label=tr(label) + " " + tr("(mean ± sd)"))
        ax.errorbar(x, means, yerr=sds, fmt="o", color=colour, ms=8, elinewidth=2, capsize=6, zorder=3)
        jitter = np.zeros(len(values))
        for xi in x:
            where = np.flatnonzero(runs_x == xi)
            jitter[where] = np.linspace(-0.015, 0.015, len(where)) * span if len(where) > 1 else 0.0
        ax.scatter(runs_x + jitter + shift * span, values, s=22, color=colour, edgecolor="white", lw=0.5,
                   alpha=0.85, zorder=4)
    ax.scatter([], [], s=22, color="gray", label=tr("one run = one dot ({n} per size)",
                                                    n="/".join(str(v) for v in n_runs)))
    for xi, v, sd in zip(x, val_acc, val_sd):
        ax.annotate(f"{100 * v:.0f} %", (xi, v - sd), textcoords="offset points", xytext=(0, -22), ha="center",
                    fontsize=FONT + 1, color="#1f77b4", fontweight="bold")
    chance = getattr(table, "chance", None)
    if chance:
        ax.axhline(chance, color="gray", ls=":", lw=2)
        ax.text(x[-1], chance + 0.02, f"{tr('guessing')}: {100 * chance:.0f} %", ha="right", va="bottom",
                fontsize=FONT, color="gray")
    ax.set_xticks(x, [str(int(v)) for v in x])
    ax.set_xlim(x[0] - 0.08 * span, x[-1] + 0.08 * span)
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel(tr("training images per class"))
    ax.set_ylabel(tr("accuracy"))
    ax.set_title(tr(title), fontsize=TITLE_FONT)
    ax.legend(fontsize=FONT, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)  # below: the plot keeps its width
    _style(ax, grid=True)
    return _done(fig)


# ----------------------------------------------------------------------------- the algorithm
PARTLY_COLOR = "#8c8c8c"        # a group with some weights frozen (as FreezePanel draws it)
PRETRAINED_COLOR = "#a1d99b"    # weights learned on the source task
IMAGENET_CLASSES = 1000         # the head a pretrained backbone comes with


def _transfer_state(model: nn.Module) -> dict:
    """What plot_transfer_steps draws, read from the model itself."""
    from .freezing import group_status
    from .models import count_parameters, layer_groups, num_outputs

    groups = layer_groups(model)  # a clear TLTeachError for a model tlteach does not know
    pretrained = bool(getattr(model, "pretrained", False))
    outputs = num_outputs(model)
    status = {name: str(group_status(group)) for name, group in groups.items()}
    names = list(groups)
    frozen = [n for n in names if status[n] == "frozen"]
    learning = [n for n in names if status[n] != "frozen"]
    prefix = 0
    while prefix < len(names) and status[names[prefix]] == "frozen":
        prefix += 1
    if not learning:
        strategy = tr("nothing learns: every group is frozen")
    elif learning == [names[-1]] and status[names[-1]] == "trainable":
        strategy = tr("feature extraction: only the head learns")
    elif not frozen and all(s == "trainable" for s in status.values()):
        strategy = tr("full fine-tuning: every group learns")
    elif prefix == len(frozen) and all(status[n] == "trainable" for n in learning):
        strategy = tr("fine-tuning from {group}: {group} ... head learn", group=names[prefix])
    else:
        strategy = trn("{n} of {total} group learns", "{n} of {total} groups learn", len(learning), total=len(names))
    return {"names": names, "status": status, "pretrained": pretrained, "outputs": outputs,
            "new_head": not pretrained or outputs != IMAGENET_CLASSES, "strategy": strategy,
            "frozen": len(frozen), "trainable": count_parameters(model, trainable_only=True),
            "total": count_parameters(model),
            "params": {n: count_parameters(g) for n, g in groups.items()}}


def _rounded_count(n: int) -> str:
    """1652640 -> "1.7 M", 12810 -> "13 k": a parameter count that fits a box."""
    if n >= 1e6:
        return tr("{n} M", n=f"{n / 1e6:.1f}")
    return tr("{n} k", n=f"{n / 1e3:.0f}") if n >= 1e3 else str(n)


def plot_transfer_steps(model: nn.Module, title=None):
    """The transfer-learning algorithm in four steps, drawn from the model as it is now. Lesson 02.

    1. a **pretrained body** (learned on ImageNet), 2. a **new head** for our classes, 3. **freeze** the
    first layer groups, 4. **fine-tune**: the groups that are not frozen learn. Each layer group is a box,
    input on the left, coloured like `tt.FreezePanel`: blue frozen, orange trainable, grey partly frozen.
    A step the model has not gone through yet is drawn dashed, with the call that does it.

    >>> model = tt.load_backbone()                  # step 1 only
    >>> tt.replace_head(model, train.classes)       # step 2
    >>> tt.unfreeze(model, from_="stage6")          # steps 3 and 4: stem ... stage5 frozen
    >>> tt.viz.plot_transfer_steps(model)
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    state = _transfer_state(model)
    names, status = state["names"], state["status"]
    n = len(names)
    left, right = 4.3, 17.4                       # where the boxes go (inches, = data units)
    gap = 0.12
    width = (right - left - gap * (n - 1)) / n
    step_h, box_h = 1.5, 0.95
    centers = [1.2 + (3 - r) * step_h for r in range(4)]   # the four rows, from the top; the legend below
    height = centers[0] + box_h / 2 + 0.7
    fig, axes = _figure(1, 1, size=(right + 0.3, height + 0.6))
    ax = axes[0, 0]
    ax.set_xlim(0, right + 0.3)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    _hide(ax)

    def x_of(i):
        return left + i * (width + gap)

    def box(i, y, face, top, bottom="", dashed=False, faded=False, text="black", bold_edge=False):
        ax.add_patch(FancyBboxPatch((x_of(i), y), width, box_h, boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor=face, alpha=0.35 if faded else 1.0,
                                    edgecolor="black" if bold_edge else "#555555", lw=3 if bold_edge else 1.2,
                                    linestyle=(0, (4, 3)) if dashed else "-"))
        cx = x_of(i) + width / 2
        if bottom:
            ax.text(cx, y + box_h * 0.66, top, ha="center", va="center", fontsize=FONT, fontweight="bold",
                    color=text)
            ax.text(cx, y + box_h * 0.28, bottom, ha="center", va="center", fontsize=FONT, color=text)
        else:
            ax.text(cx, y + box_h / 2, top, ha="center", va="center", fontsize=FONT, fontweight="bold", color=text)

    def label(r, heading, note, done=True):
        y = centers[r]
        ax.text(0.05, y + 0.05, heading, ha="left", va="bottom", fontsize=FONT + 2, fontweight="bold",
                color="black" if done else "#777777")
        ax.text(0.05, y - 0.05, note, ha="left", va="top", fontsize=FONT, color="#333333" if done else "#777777")
        return y - box_h / 2

    body_face = PRETRAINED_COLOR if state["pretrained"] else "white"
    head, body = names[-1], names[:-1]
    classes = trn("{n} class", "{n} classes", state["outputs"])

    # 1. the pretrained body (with the head it came with)
    y = label(0, tr("1. Pretrained body"), tr("learned on ImageNet:\n1.2 million photos, 1000 classes")
              if state["pretrained"] else tr("random weights:\nnothing learned yet"), done=state["pretrained"])
    for i, name in enumerate(body):
        box(i, y, body_face, name, dashed=not state["pretrained"])
    if state["pretrained"]:
        box(n - 1, y, body_face, head, trn("{n} class", "{n} classes", IMAGENET_CLASSES))
    else:
        box(n - 1, y, "white", head, classes, dashed=True)

    # 2. a new head for our classes
    new = state["new_head"]
    y = label(1, tr("2. New head"), tr("a new last layer\nfor our classes, random at first") if new
              else tr("not yet:\ntt.replace_head(model, classes)"), done=new)
    for i, name in enumerate(body):
        box(i, y, body_face, name, faded=True, dashed=not state["pretrained"])
    if new:
        box(n - 1, y, "white", head, classes, bold_edge=True)
    else:
        box(n - 1, y, body_face, head, trn("{n} class", "{n} classes", IMAGENET_CLASSES), dashed=True)

    # 3. freeze the first groups
    frozen = state["frozen"]
    y = label(2, tr("3. Freeze"), trn("{n} of {total} group frozen\n(counted from the input)",
                                       "{n} of {total} groups frozen\n(counted from the input)", frozen, total=n)
              if frozen else tr("nothing frozen yet:\ntt.freeze(model, up_to=...)"), done=bool(frozen))
    colors = {"frozen": FROZEN_COLOR, "trainable": TRAINABLE_COLOR, "partly frozen": PARTLY_COLOR}
    for i, name in enumerate(names):
        face = colors[status[name]]
        box(i, y, face, name, tr(status[name]), text="white" if face != TRAINABLE_COLOR else "black")

    # 4. fine-tune: what still learns
    y = label(3, tr("4. Fine-tune"), state["strategy"].replace(": ", ":\n", 1))
    for i, name in enumerate(names):
        face = colors[status[name]]
        learns = status[name] != "frozen"
        box(i, y, face, name, _rounded_count(state["params"][name]) if learns else tr("fixed"),
            faded=not learns, text="black" if learns else "#333333", bold_edge=learns)

    # input -> output, and the legend
    y = centers[0] + box_h / 2 + 0.3
    ax.add_patch(FancyArrowPatch((left, y), (right, y), arrowstyle="-|>", mutation_scale=22, lw=2, color="#555555"))
    ax.text(left, y + 0.12, tr("input"), ha="left", va="bottom", fontsize=FONT, color="#555555")
    ax.text(right, y + 0.12, tr("output"), ha="right", va="bottom", fontsize=FONT, color="#555555")
    legend = [(PRETRAINED_COLOR, tr("pretrained")), ("white", tr("new, random")), (FROZEN_COLOR, tr("frozen")),
              (TRAINABLE_COLOR, tr("trainable")), (PARTLY_COLOR, tr("partly frozen"))]
    x = left
    for face, text in legend:
        ax.add_patch(FancyBboxPatch((x, 0.12), 0.32, 0.32, boxstyle="square,pad=0", facecolor=face,
                                    edgecolor="#555555", lw=1))
        t = ax.text(x + 0.45, 0.28, text, ha="left", va="center", fontsize=FONT)
        x += 0.75 + 0.105 * len(text)
    share = f"{100 * state['trainable'] / max(state['total'], 1):.1f} %"
    fig.suptitle(title or tr("Transfer learning in four steps: {model}, {trainable} of {total} parameters learn "
                             "({share})", model=type(model).__name__, trainable=number(state["trainable"]),
                             total=number(state["total"]), share=share), fontsize=TITLE_FONT)
    return _done(fig)


# ----------------------------------------------------------------------------- lesson 06: domains, beyond images
def show_domains(ds, shifted: dict, n: int = 5, seed: int = 0):
    """The same `n` photos as each domain shows them: one row for the originals, one per shift. Lesson 06.

    >>> tt.viz.show_domains(val, {"security camera": camera, "sketch": sketch})
    """
    _check_dataset(ds, "show_domains")
    if not isinstance(shifted, dict) or not shifted:
        raise TLTeachError(tr("show_domains needs a dict {{name: shifted dataset}}, e.g. "
                              "{{'sketch': tt.domains.sketch(val)}}."))
    for other in shifted.values():
        if len(other) != len(ds):
            raise TLTeachError(tr("Each shifted dataset must hold the same photos as the original ({n}).", n=len(ds)))
    gen = torch.Generator().manual_seed(seed)
    index = []  # photos of n different classes
    for label in torch.randperm(len(ds.classes), generator=gen)[:n].tolist():
        where = torch.nonzero(ds.labels == label).flatten()
        if len(where):
            index.append(int(where[torch.randint(len(where), (1,), generator=gen)]))
    rows = [(tr("original"), ds)] + [(tr(name), other) for name, other in shifted.items()]
    fig, axes = _figure(len(rows), len(index), size=(2.5 * len(index) + 1.2, 2.55 * len(rows) + 0.5))
    for r, (name, data) in enumerate(rows):
        for c, i in enumerate(index):
            ax = axes[r, c]
            ax.imshow(to_numpy_image(data.images[i]))
            _hide(ax)
            if r == 0:
                ax.set_title(class_name(ds.classes[int(ds.labels[i])]), fontsize=FONT + 1)
        axes[r, 0].set_ylabel(name, fontsize=FONT + 2)
    fig.suptitle(tr("The same photos, as other cameras see them"), fontsize=TITLE_FONT)
    return _done(fig)


BEYOND_ROWS = (
    (N_("pictures"), N_("1.2 million photos,\n1000 classes (ImageNet)"), N_("new head:\nour 10 animals")),
    (N_("language"), N_("billions of words\n(a language model)"), N_("new head:\npositive or negative review?")),
    (N_("other languages"), N_("text in a hundred languages,\nlabels in English only"), N_("the same task in a\nlanguage with few labels")),
    (N_("speech"), N_("thousands of hours\nof recorded speech"), N_("commands, or a\nrare language's speech")),
)


def plot_beyond(title=None):
    """Transfer learning beyond images: pretrain on big data, then reuse for a task with little data. Lesson 06."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, grid = _figure(1, 1, size=(14, 6.6))
    ax = grid[0, 0]
    ax.set_xlim(0, 14)
    ax.set_ylim(0, len(BEYOND_ROWS) * 1.5 + 0.9)
    ax.axis("off")
    top = len(BEYOND_ROWS) * 1.5
    ax.text(4.9, top + 0.45, tr("1. pretrain (once, on big data)"), ha="center", fontsize=FONT + 2, weight="bold")
    ax.text(11.2, top + 0.45, tr("2. transfer (little data)"), ha="center", fontsize=FONT + 2, weight="bold")
    for r, (kind, source, target) in enumerate(BEYOND_ROWS):
        y = top - 0.75 - 1.5 * r
        ax.text(0.1, y, tr(kind), ha="left", va="center", fontsize=FONT + 2, weight="bold")
        for x, text, face in ((4.9, source, "#c6dbef"), (11.2, target, "#fdd0a2")):
            ax.add_patch(FancyBboxPatch((x - 2.3, y - 0.55), 4.6, 1.1, boxstyle="round,pad=0.05", facecolor=face,
                                        edgecolor="#555555", lw=1.5))
            ax.text(x, y, tr(text), ha="center", va="center", fontsize=FONT)
        ax.add_patch(FancyArrowPatch((7.3, y), (8.8, y), arrowstyle="-|>", mutation_scale=22, lw=2, color="#555555"))
    fig.suptitle(title or tr("The same idea beyond images"), fontsize=TITLE_FONT)
    return _done(fig)
