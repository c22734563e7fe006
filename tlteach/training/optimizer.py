"""The optimiser `tt.fit` uses: only trainable parameters, the body optionally at its own learning rate."""
from __future__ import annotations

import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import tr
from ..models.groups import layer_groups


def param_groups(model: nn.Module, lr: float, body_lr=None) -> list:
    """The optimiser's parameter groups, built once from the model's layer groups (as fastai's and timm's are):
    the trainable parameters of the body (every group but the last) at `body_lr`, and those of the head (the last
    group, or whatever is not in a group) at `lr`. `body_lr=None`: one group, everything at `lr`.

    >>> param_groups(model, 1e-3, body_lr=1e-4)   # [{"name": "body", "lr": 1e-4, ...}, {"name": "head", ...}]
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise TLTeachError(tr(
            "Every parameter is frozen, so there is nothing to train. Unfreeze something first, e.g. "
            "tt.unfreeze(model)."))
    if body_lr is None:
        return [{"params": trainable, "lr": float(lr), "name": "all"}]
    body = {id(p) for group in list(layer_groups(model).values())[:-1] for p in group.parameters()}
    found = [{"params": [p for p in trainable if id(p) in body], "lr": float(body_lr), "name": "body"},
             {"params": [p for p in trainable if id(p) not in body], "lr": float(lr), "name": "head"}]
    return [group for group in found if group["params"]]


def make_optimizer(model: nn.Module, lr: float, optimizer: str = "adam", body_lr=None,
                   weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """An optimiser over the trainable parameters only; `body_lr` gives the body its own learning rate.

    >>> make_optimizer(model, 1e-3, body_lr=1e-4)   # the head at 1e-3, the body at 1e-4
    """
    groups = param_groups(model, lr, body_lr)
    kinds = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
    if optimizer not in kinds:
        raise TLTeachError(tr(
            "optimizer must be one of {kinds}, got {optimizer!r}.",
            kinds=", ".join(kinds), optimizer=optimizer))
    extra = {"momentum": 0.9} if optimizer == "sgd" else {}
    return kinds[optimizer](groups, lr=float(lr), weight_decay=weight_decay, **extra)


