"""A network's parts: its layer groups and its head, the same calls for every model family.

    >>> model = tt.load_backbone()
    >>> list(layer_groups(model))           # ['stem', 'stage1', ..., 'stage7', 'head']
    >>> tt.replace_head(model, 10)          # a new, random 10-class output layer

Which groups a model has and where its head sits is data (`families.py`), not code here.
Freezing lives in `freezing.py`.
"""
from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ..errors import TLTeachError
from ..validate import check_num_classes
from .families import family_of
from ..i18n import N_, tr

HEAD = N_("head")  # the last layer group of every model: code says "head", tables and messages «голова»


def layer_groups(model: nn.Module) -> "OrderedDict[str, nn.Module]":
    """The model's layer groups, from input to output, by name (the last one is the head).

    Running the groups one after another (after `model.normalize`) is the same as `model(x)`.

    >>> list(layer_groups(tt.SmallCNN(10)))
    ['block1', 'block2', 'block3', 'block4', 'head']
    """
    return family_of(model).groups(model)


def group_names(model: nn.Module) -> list:
    """Names of the layer groups, in order: ['stem', 'stage1', ..., 'head']."""
    return list(layer_groups(model))


def group_index(model: nn.Module, name: str) -> int:
    """Position of the group called `name` (a clear error listing the valid names otherwise)."""
    names = group_names(model)
    if name not in names:
        raise TLTeachError(tr(
            "No layer group {name!r} in this model. Valid names: {names}.",
            name=name, names=", ".join(names)))
    return names.index(name)


def forward_groups(model: nn.Module, x: torch.Tensor, start: int = 0, stop=None) -> torch.Tensor:
    """Run groups number `start` .. `stop - 1` on `x` (from the image when start == 0)."""
    if start == 0 and hasattr(model, "normalize"):
        x = model.normalize(x)
    for group in list(layer_groups(model).values())[start:stop]:
        x = group(x)
    return x


def get_head(model: nn.Module) -> nn.Linear:
    """The model's final layer (an nn.Linear): the one that gives one score per class.

    >>> get_head(tt.load_backbone())
    Linear(in_features=1280, out_features=1000, bias=True)
    """
    parent, attr = family_of(model).head(model)
    return getattr(parent, attr)


def num_outputs(model: nn.Module) -> int:
    """How many classes the model's head scores."""
    return get_head(model).out_features


def replace_head(model: nn.Module, num_classes, seed: int = 0) -> nn.Module:
    """Swap the final layer for a new random one with `num_classes` outputs (in place). Lesson 03.

    `num_classes` may also be a list of class names (stored in `model.classes`).
    Calling it again replaces the head again; it never stacks heads.

    >>> model = tt.replace_head(tt.load_backbone(), train.classes)
    >>> num_outputs(model)
    10
    """
    classes = None
    if isinstance(num_classes, (list, tuple)):
        classes = [str(c) for c in num_classes]
        num_classes = len(classes)
    num_classes = check_num_classes(num_classes)
    parent, attr = family_of(model).head(model)
    old = getattr(parent, attr)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        new = nn.Linear(old.in_features, num_classes)
    setattr(parent, attr, new)
    model.classes = classes if classes is not None else [f"class {i}" for i in range(num_classes)]
    return model


def count_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (only the trainable ones with trainable_only=True). Lesson 01.

    >>> tt.count_parameters(tt.SmallCNN(10))
    98970
    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)
