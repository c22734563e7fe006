"""Photos: a grid of a dataset's images, a model's top answers for a few photos, photos under domain shifts."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import class_name, class_names, percent, tr
from ..data.preprocess import as_batch
from .style import FONT, FROZEN_COLOR, OTHER_GUESS_COLOR, RIGHT_COLOR, TITLE_FONT, WRONG_COLOR, _check_dataset, _done, _figure, _hide, _style, to_numpy_image
from ..training.inference import _classes_of, probabilities


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


def show_predictions(model: nn.Module, images, classes=None, k: int = 3, n: int = 4, seed: int = 0, size=None):
    """Each image next to a bar chart of the model's top-k classes (at most 12 images). Lesson 02.

    >>> tt.show_predictions(model, val, k=3)                         # 4 random validation images
    >>> tt.show_predictions(tt.load_backbone(), [photo1, photo2])    # ImageNet classes
    """

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
        colors = [FROZEN_COLOR] + [OTHER_GUESS_COLOR] * (k - 1)
        if labels is not None:
            truth = true_names[labels[r]]
            img_ax.set_title(tr("true: {name}", name=class_name(truth)), fontsize=FONT + 1)
            if names == true_names:  # the model answers with the dataset's classes: colour right and wrong
                colors = [RIGHT_COLOR if p == truth else (WRONG_COLOR if j == 0 else OTHER_GUESS_COLOR)
                          for j, p in enumerate(predicted)]
                if predicted[0] != truth:
                    img_ax.title.set_color(WRONG_COLOR)
        y = np.arange(k)[::-1]
        bar_ax.barh(y, values[r].numpy(), color=colors, height=0.65)
        bar_ax.set_yticks(y, class_names(predicted))  # our classes or ImageNet's, in the lesson's language
        bar_ax.set_xlim(0, 1.25)
        for yy, v in zip(y, values[r].tolist()):
            bar_ax.text(v + 0.02, yy, percent(v, 0), va="center", fontsize=FONT)
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
