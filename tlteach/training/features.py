"""Feature extraction: run the frozen backbone once, then train only a linear head on its features.

    >>> train_features = tt.extract_features(model, train)   # (features N x 1280, labels)
    >>> head, history = tt.fit_head(train_features, tt.extract_features(model, val))

The second call with the same weights and the same images (or a subset of them) is free: the
body's output is cached in memory (`freezing.frozen_activations`).
"""
from __future__ import annotations

import time

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import TLTeachError
from ..models.freezing import frozen_activations
from ..i18n import tr, trn
from ..models.groups import get_head, group_names, replace_head
from .train import History

def pool(x: torch.Tensor) -> torch.Tensor:
    """Average a feature map over its height and width: N x C x H x W -> N x C."""
    return x.mean(dim=(2, 3)) if x.ndim == 4 else x.flatten(1)


def extract_features(model: nn.Module, ds, batch_size: int = 64):
    """(features, labels): the output of every group but the head, averaged over space. Lesson 05.

    For EfficientNet-Lite0 that is 1280 numbers per image.

    >>> features, labels = tt.extract_features(model, train)
    >>> features.shape
    torch.Size([300, 1280])
    """
    if not hasattr(ds, "images"):
        raise TLTeachError(tr("extract_features needs a tlteach dataset, e.g. tt.load_dataset('animals', 'val')."))
    body = len(group_names(model)) - 1  # the body's output is computed once and shared (freezing.py)
    return pool(frozen_activations(model, ds, body, batch_size)), ds.labels.clone()


def fit_head(train_features, val_features=None, epochs: int = 100, lr: float = 1e-2, weight_decay: float = 1e-4,
             seed: int = 0, model: nn.Module = None, classes=None):
    """Train a linear layer on extracted features (full-batch Adam: a few seconds on a CPU). Lesson 05.

    Returns (head, history). With `model=`, the trained head is also put into the model, so
    `tt.predict(model, ...)` and `tt.evaluate(model, ...)` use it.

    >>> head, history = tt.fit_head(tt.extract_features(model, train), tt.extract_features(model, val),
    ...                             model=model)
    """
    x, y = train_features
    if x.ndim != 2 or len(x) != len(y):
        raise TLTeachError(tr("fit_head expects (features, labels) as returned by tt.extract_features."))
    num_classes = int(y.max()) + 1 if classes is None else len(classes)
    torch.manual_seed(seed)
    head = nn.Linear(x.shape[1], num_classes)
    opt = torch.optim.Adam(head.parameters(), lr=lr, weight_decay=weight_decay)
    history = History("linear head on features")
    history.trainable_parameters = sum(p.numel() for p in head.parameters())
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        scores = head(x)
        loss = F.cross_entropy(scores, y)
        if not torch.isfinite(loss):
            raise TLTeachError(tr(
                "The loss became {loss}: lr={lr} is too high. Try lr={smaller:g}.",
                loss=float(loss), lr=lr, smaller=lr / 10))
        opt.zero_grad()
        loss.backward()
        opt.step()
        row = {"epoch": epoch, "train_loss": loss.item(), "train_acc": float((scores.argmax(1) == y).float().mean()),
               "val_loss": None, "val_acc": None, "seconds": 0.0}
        if val_features is not None:
            with torch.no_grad():
                vs = head(val_features[0])
                row["val_loss"] = float(F.cross_entropy(vs, val_features[1]))
                row["val_acc"] = float((vs.argmax(1) == val_features[1]).float().mean())
        row["seconds"] = time.perf_counter() - start
        history.rows.append(row)
    if model is not None:
        install_head(model, head, classes)
    return head, history


def install_head(model: nn.Module, head: nn.Linear, classes=None) -> nn.Module:
    """Put a trained linear head into the model (replacing its final layer)."""
    slot = get_head(model)
    if slot.in_features != head.in_features:
        raise TLTeachError(trn(
            "This head takes {n} feature but the model's last layer takes {slot}; the model's head has more than one "
            "layer.",
            "This head takes {n} features but the model's last layer takes {slot}; the model's head has more than one "
            "layer.",
            head.in_features, slot=slot.in_features))
    if classes is None and len(getattr(model, "classes", ())) == head.out_features:
        classes = model.classes
    replace_head(model, list(classes) if classes is not None else head.out_features)
    get_head(model).load_state_dict(head.state_dict())
    return model
