"""Using a trained model: class probabilities, top-k predictions, accuracy.

    >>> tt.predict(model, [photo1, photo2], k=3)       # a table: image, rank, class, probability
    >>> tt.evaluate(model, val)["accuracy"]
    0.96

Images may be uint8 tensors (3 x H x W, 0..255), float tensors in [0, 1], PIL images or a
dataset; they are resized to the model's input size here, and the model normalises them
itself (its `normalize` module), so no ImageNet constants appear in a notebook.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .errors import TLTeachError
from .table import Table

DEFAULT_SIZE = 128


def _one_image(img, size: int) -> torch.Tensor:
    """Any single image -> float 3 x size x size in [0, 1]."""
    if isinstance(img, torch.Tensor):
        x = img.detach()
    else:
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover
            Image = None
        if Image is not None and isinstance(img, Image.Image):
            from .data import to_rgb

            x = torch.from_numpy(np.asarray(to_rgb(img)).copy()).permute(2, 0, 1)
        elif isinstance(img, np.ndarray):
            x = torch.from_numpy(img.copy())
            if x.ndim == 3 and x.shape[-1] in (1, 3, 4) and x.shape[0] not in (1, 3):
                x = x.permute(2, 0, 1)
        else:
            raise TLTeachError(f"Cannot read an image from a {type(img).__name__}; give a tensor, "
                               "a numpy array, a PIL image or tt.load_image(path).")
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[0] not in (1, 3, 4):
        raise TLTeachError(f"An image must have shape 3 x H x W (or H x W for grayscale), got {tuple(x.shape)}.")
    if x.shape[0] == 4:
        x = x[:3]
    if x.dtype == torch.uint8:
        x = x.float() / 255
    else:
        x = x.float()
        if x.max() > 1.5:  # floats in 0..255
            x = x / 255
    if x.shape[0] == 1:
        x = x.expand(3, -1, -1)
    if tuple(x.shape[1:]) != (size, size):
        h, w = x.shape[1:]
        scale = size / min(h, w)
        x = F.interpolate(x[None], size=(max(size, round(h * scale)), max(size, round(w * scale))),
                          mode="bilinear", antialias=True, align_corners=False)[0]
        top, left = (x.shape[1] - size) // 2, (x.shape[2] - size) // 2
        x = x[:, top:top + size, left:left + size]
    return x.clamp(0, 1)


def as_batch(images, size: int = DEFAULT_SIZE) -> torch.Tensor:
    """A dataset, a batch tensor or a list of images -> float N x 3 x size x size in [0, 1]."""
    if hasattr(images, "images") and hasattr(images, "labels"):  # an ImageDataset
        images = images.images
    if isinstance(images, torch.Tensor) and images.ndim == 4:
        if images.shape[2:] == (size, size) and images.shape[1] == 3:
            return images.float() / 255 if images.dtype == torch.uint8 else images.float()
        images = list(images)
    if isinstance(images, torch.Tensor) and images.ndim in (2, 3):
        images = [images]
    if not isinstance(images, (list, tuple)):
        images = [images]
    if len(images) == 0:
        raise TLTeachError("No images given.")
    return torch.stack([_one_image(img, size) for img in images])


@torch.inference_mode()
def logits(model: nn.Module, images, batch_size: int = 64, size=None) -> torch.Tensor:
    """The model's raw scores for every image (N x classes), computed in batches in eval mode.

    `images` is a dataset or anything `as_batch` reads. The model's train/eval mode is restored.
    """
    if size is None:
        size = images.image_size[0] if hasattr(images, "image_size") else DEFAULT_SIZE
    was_training = model.training
    model.eval()
    try:
        if hasattr(images, "batch") and hasattr(images, "labels"):
            n = len(images)
            out = [model(images.batch(slice(i, i + batch_size))) for i in range(0, n, batch_size)]
        else:
            x = as_batch(images, size)
            out = [model(x[i:i + batch_size]) for i in range(0, len(x), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(out)


def probabilities(model: nn.Module, images, batch_size: int = 64, size=None) -> torch.Tensor:
    """Softmax probabilities (N x classes): how sure the model is of each class."""
    return logits(model, images, batch_size, size).softmax(dim=1)


def _classes_of(model, classes, n_outputs: int) -> list:
    classes = classes if classes is not None else getattr(model, "classes", None)
    if classes is None:
        classes = [f"class {i}" for i in range(n_outputs)]
    if len(classes) != n_outputs:
        raise TLTeachError(f"The model scores {n_outputs} classes but {len(classes)} class names were given.")
    return list(classes)


def predict(model: nn.Module, images, classes=None, k: int = 5, size: int = DEFAULT_SIZE) -> Table:
    """Top-k classes with probabilities for each image, as a table.

    >>> tt.predict(tt.load_backbone(), tt.load_image("cat.jpg"), k=3)
    """
    probs = probabilities(model, images, size=size)
    names = _classes_of(model, classes, probs.shape[1])
    k = max(1, min(int(k), probs.shape[1]))
    values, index = probs.topk(k, dim=1)
    rows = [{"image": n, "rank": r + 1, "class": names[int(index[n, r])], "probability": float(values[n, r])}
            for n in range(len(probs)) for r in range(k)]
    return Table(rows, title=f"Top-{k} predictions")


def evaluate(model: nn.Module, ds, batch_size: int = 64) -> dict:
    """Accuracy, mean loss and accuracy per class of `model` on a dataset.

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
        "accuracy": float((predicted == labels).float().mean()),
        "loss": float(F.cross_entropy(scores, labels)),
        "per_class": per_class,
        "predictions": predicted,
    }


def check_outputs(model: nn.Module, ds) -> None:
    """Raise a clear error when the model's head and the dataset disagree on the number of classes."""
    try:
        from .models import num_outputs

        n = num_outputs(model)
    except TLTeachError:
        return  # a model we do not know: trust it
    if n != len(ds.classes):
        raise TLTeachError(
            f"The model's head gives {n} outputs but the dataset {ds.name!r} has {len(ds.classes)} classes. "
            f"Call tt.replace_head(model, {len(ds.classes)}) first."
        )
