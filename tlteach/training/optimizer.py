"""The optimiser `tt.fit` uses: only trainable parameters, optionally a learning rate per group."""
from __future__ import annotations

import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import tr
from ..models.groups import layer_groups


def make_optimizer(model: nn.Module, lr: float, optimizer: str = "adam", lr_groups=None,
                   weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """An optimiser over the trainable parameters only; `lr_groups` gives some groups their own lr.

    >>> make_optimizer(model, 1e-3, lr_groups={"stage7": 1e-4})   # discriminative learning rates
    """
    lr_groups = dict(lr_groups or {})
    groups = layer_groups(model)
    unknown = [name for name in lr_groups if name not in groups]
    if unknown:
        raise TLTeachError(tr(
            "lr_groups names {unknown} are not layer groups. Valid names: {names}.",
            unknown=unknown, names=", ".join(groups)))
    param_groups, assigned = [], set()
    for name, group_lr in lr_groups.items():
        params = [p for p in groups[name].parameters() if p.requires_grad and id(p) not in assigned]
        assigned |= {id(p) for p in params}
        if params:
            param_groups.append({"params": params, "lr": float(group_lr), "name": name})
    rest = [p for p in model.parameters() if p.requires_grad and id(p) not in assigned]
    if rest:
        param_groups.append({"params": rest, "lr": float(lr), "name": "rest"})
    if not param_groups:
        raise TLTeachError(tr(
            "Every parameter is frozen, so there is nothing to train. Unfreeze something first, e.g. "
            "tt.unfreeze(model)."))
    kinds = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
    if optimizer not in kinds:
        raise TLTeachError(tr(
            "optimizer must be one of {kinds}, got {optimizer!r}.",
            kinds=", ".join(kinds), optimizer=optimizer))
    extra = {"momentum": 0.9} if optimizer == "sgd" else {}
    return kinds[optimizer](param_groups, lr=float(lr), weight_decay=weight_decay, **extra)


