"""Using a trained model: class probabilities, top-k predictions, accuracy.

    >>> tt.predict(model, [photo1, photo2], k=3)       # a table: image, rank, class, probability
    >>> tt.evaluate(model, val)["accuracy"]
    0.96

Images may be file paths, PIL images, arrays, tensors or a dataset; `preprocess.prepare`
turns each into the model's input exactly as the datasets do, and the model normalises
it itself (its `normalize` module), so no ImageNet constants appear in a notebook.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import TLTeachError
from ..i18n import tr, trn
from ..models.families import family_of
from ..models.groups import forward_groups, num_outputs
from ..models.freezing import eval_mode
from ..data.preprocess import as_batch
from ..table import Table


def input_size(model: nn.Module, images=None) -> int:
    """The size images are resized to: a dataset's own size, a square tensor's own size (it is
    prepared already), else the model family's input size (a file, a PIL photo, an array)."""
    if hasattr(images, "image_size"):
        return images.image_size[0]
    if isinstance(images, torch.Tensor) and images.ndim in (3, 4) and images.shape[-1] == images.shape[-2]:
        return images.shape[-1]
    try:
        return family_of(model).input_size
    except TLTeachError:
        return 224


@torch.inference_mode()
def logits(model: nn.Module, images, batch_size: int = 64, size=None) -> torch.Tensor:
    """The model's raw scores for every image (N x classes), computed in batches in eval mode.

    `images` is a dataset or anything `as_batch` reads. The model's train/eval mode is restored
    (frozen BatchNorm stays in eval mode).
    """
    with eval_mode(model):
        if hasattr(images, "batch") and hasattr(images, "labels"):
            n = len(images)
            out = [model(images.batch(slice(i, i + batch_size))) for i in range(0, n, batch_size)]
        else:
            x = as_batch(images, size or input_size(model, images))
            out = [model(x[i:i + batch_size]) for i in range(0, len(x), batch_size)]
    return torch.cat(out)


@torch.inference_mode()
def dataset_scores(model: nn.Module, ds, start: int = 0, inputs=None, batch_size: int = 64) -> torch.Tensor:
    """The scores for every image of `ds`, running the model's layer groups from `start` on.

    `inputs`: the output of the first `start` groups for every image (frozen groups, computed once:
    `freezing.frozen_activations`); without it the images themselves go in (then `start` is 0).
    `tt.fit` measures its validation set this way each epoch, the freeze sweep its report half.
    """
    with eval_mode(model):
        return torch.cat([forward_groups(model, inputs[i:i + batch_size] if inputs is not None
                                         else ds.batch(slice(i, i + batch_size)), start)
                          for i in range(0, len(ds), batch_size)])


def accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of images whose highest score is their label: images right / images (the course's one accuracy)."""
    return int((scores.argmax(1) == labels).sum()) / len(labels)


def probabilities(model: nn.Module, images, batch_size: int = 64, size=None) -> torch.Tensor:
    """Softmax probabilities (N x classes): how sure the model is of each class."""
    return logits(model, images, batch_size, size).softmax(dim=1)


def _classes_of(model, classes, n_outputs: int) -> list:
    classes = classes if classes is not None else getattr(model, "classes", None)
    if classes is None:
        classes = [tr("class {i}", i=i) for i in range(n_outputs)]
    if len(classes) != n_outputs:
        raise TLTeachError(trn(
            "The model scores {n} class but {names} class names were given.",
            "The model scores {n} classes but {names} class names were given.",
            n_outputs, names=len(classes)))
    return list(classes)


def predict(model: nn.Module, images, classes=None, k: int = 5, size=None) -> Table:
    """Top-k classes with probabilities for each image, as a table. Lesson 02.

    Images may be file paths, PIL images, arrays, tensors or a dataset; they are prepared
    exactly as the datasets prepare theirs (`preprocess.prepare`), at the model's input size.

    >>> tt.predict(tt.load_backbone(), "cat.jpg", k=3)
    """
    probs = probabilities(model, images, size=size)
    names = _classes_of(model, classes, probs.shape[1])
    k = max(1, min(int(k), probs.shape[1]))
    values, index = probs.topk(k, dim=1)
    rows = [{"image": n, "rank": r + 1, "class": names[int(index[n, r])], "probability": float(values[n, r])}
            for n in range(len(probs)) for r in range(k)]
    return Table(rows, title=tr("Top-{k} predictions", k=k))


def evaluate(model: nn.Module, ds, batch_size: int = 64) -> dict:
    """Accuracy, mean loss and accuracy per class of `model` on a dataset. Lesson 01.

    >>> result = tt.evaluate(model, val)
    >>> result["accuracy"], result["per_class"]["rhino"]
    """
    check_outputs(model, ds)
    scores = logits(model, ds, batch_size)
    labels = ds.labels
    predicted = scores.argmax(1)
    per_class = {}
    for i, name in enumerate(ds.classes):
        mask = labels == i
        per_class[name] = float((predicted[mask] == i).float().mean()) if mask.any() else float("nan")
    return {
        "accuracy": accuracy(scores, labels),
        "loss": float(F.cross_entropy(scores, labels)),
        "per_class": per_class,
        "predictions": predicted,
    }


def check_outputs(model: nn.Module, ds) -> None:
    """Raise a clear error when the model's head and the dataset disagree on the number of classes."""
    try:
        n = num_outputs(model)
    except TLTeachError:
        return  # a model we do not know: trust it
    if n != len(ds.classes):
        raise TLTeachError(trn(
            "The model's head gives {n} output but the dataset {name!r} has {classes} classes. Call "
            "tt.replace_head(model, {classes}) first.",
            "The model's head gives {n} outputs but the dataset {name!r} has {classes} classes. Call "
            "tt.replace_head(model, {classes}) first.",
            n, name=ds.name, classes=len(ds.classes)))
