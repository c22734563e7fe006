"""Inside a network: filters, feature maps, one filter's response, and a 2-D map of the features."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import class_name, number, tr, trn
from ..models.inspection import conv_response, default_feature_layers, filter_images, find_conv, group_activations, pca_2d
from .style import FONT, TITLE_FONT, _class_colors, _done, _figure, _hide, _style, to_numpy_image


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
    ax.set_xlabel(tr("PC {i} ({share} % of variance)", i=1, share=number(100 * ratio[0], 1)))
    ax.set_ylabel(tr("PC {i} ({share} % of variance)", i=2, share=number(100 * ratio[1], 1)))
    ax.legend(fontsize=FONT, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, markerscale=1.4)
    ax.set_title(title or tr("Features projected to 2-D with PCA"), fontsize=TITLE_FONT)
    _style(ax, grid=True)
    return _done(fig)
