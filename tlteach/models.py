"""Working with a network's parts: layer groups, the head, freezing.

The same calls work for every supported model (EfficientNet-Lite0, SmallCNN,
torchvision ResNet and MobileNetV3), so a lesson never hard-codes `model.fc`.

    >>> model = tt.load_backbone()
    >>> tt.replace_head(model, 10)          # a new, random 10-class output layer
    >>> tt.freeze(model, up_to="stage5")   # stem ... stage5 frozen, the rest trains
    >>> tt.trainable_summary(model)
"""
from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from .architectures import GroupedNet
from .errors import TLTeachError, check_num_classes
from .table import Table

SUPPORTED = "EfficientNet-Lite0, SmallCNN, torchvision ResNet and MobileNetV3"

# torchvision MobileNetV3-Small: which `features[i]` belong to which stage.
_MOBILENET_STAGES = {"stem": [0], "stage1": [1], "stage2": [2, 3], "stage3": [4, 5, 6],
                     "stage4": [7, 8], "stage5": [9, 10, 11], "stage6": [12]}


def _is_resnet(model) -> bool:
    from torchvision.models import ResNet

    return isinstance(model, ResNet)


def _is_mobilenet(model) -> bool:
    from torchvision.models import MobileNetV3

    return isinstance(model, MobileNetV3)


def _unsupported(model, what: str) -> TLTeachError:
    return TLTeachError(
        f"{what} does not know {type(model).__name__}; it supports {SUPPORTED}. "
        "For another model, change its last nn.Linear by hand, e.g. model.fc = nn.Linear(model.fc.in_features, 10)."
    )


def layer_groups(model: nn.Module) -> "OrderedDict[str, nn.Module]":
    """The model's layer groups, from input to output, by name.

    Running the groups one after another (after `model.normalize`) is the same as `model(x)`.

    >>> list(tt.layer_groups(tt.SmallCNN(10)))
    ['block1', 'block2', 'block3', 'block4', 'head']
    """
    if isinstance(model, GroupedNet):
        return model.layer_groups()
    if _is_resnet(model):
        return OrderedDict(
            stem=nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool),
            stage1=model.layer1, stage2=model.layer2, stage3=model.layer3, stage4=model.layer4,
            head=nn.Sequential(model.avgpool, nn.Flatten(1), model.fc),
        )
    if _is_mobilenet(model):
        groups = OrderedDict(
            (name, nn.Sequential(*[model.features[i] for i in idx])) for name, idx in _MOBILENET_STAGES.items()
        )
        groups["head"] = nn.Sequential(model.avgpool, nn.Flatten(1), model.classifier)
        return groups
    raise _unsupported(model, "layer_groups")


def group_names(model: nn.Module) -> list:
    """Names of the layer groups, in order: ['stem', 'stage1', ..., 'head']."""
    return list(layer_groups(model))


def forward_groups(model: nn.Module, x: torch.Tensor, start: int = 0, stop=None) -> torch.Tensor:
    """Run groups number `start` .. `stop - 1` on `x` (from the image when start == 0)."""
    groups = list(layer_groups(model).values())
    if start == 0 and hasattr(model, "normalize"):
        x = model.normalize(x)
    for group in groups[start:stop]:
        x = group(x)
    return x


def _group_index(model, name) -> int:
    names = group_names(model)
    if name not in names:
        raise TLTeachError(f"No layer group {name!r} in this model. Valid names: {', '.join(names)}.")
    return names.index(name)


# ------------------------------------------------------------------------------- the head
def _head_slot(model: nn.Module):
    """(parent module, attribute name) of the final nn.Linear."""
    if isinstance(model, GroupedNet):
        return model.head, "fc"
    if _is_resnet(model):
        return model, "fc"
    if _is_mobilenet(model):
        return model.classifier, str(len(model.classifier) - 1)
    raise _unsupported(model, "replace_head")


def get_head(model: nn.Module) -> nn.Linear:
    """The model's final layer (an nn.Linear): the one that gives one score per class."""
    parent, attr = _head_slot(model)
    return getattr(parent, attr)


def num_outputs(model: nn.Module) -> int:
    """How many classes the model's head scores."""
    return get_head(model).out_features


def replace_head(model: nn.Module, num_classes, seed: int = 0) -> nn.Module:
    """Swap the final layer for a new random one with `num_classes` outputs (in place).

    `num_classes` may also be a list of class names (stored in `model.classes`).
    Calling it again replaces the head again; it never stacks heads.

    >>> model = tt.replace_head(tt.load_backbone(), train.classes)
    >>> tt.num_outputs(model)
    10
    """
    classes = None
    if isinstance(num_classes, (list, tuple)):
        classes = [str(c) for c in num_classes]
        num_classes = len(classes)
    num_classes = check_num_classes(num_classes)
    parent, attr = _head_slot(model)
    old = getattr(parent, attr)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        new = nn.Linear(old.in_features, num_classes)
    setattr(parent, attr, new)
    model.classes = classes if classes is not None else [f"class {i}" for i in range(num_classes)]
    return model


# ------------------------------------------------------------------------------- freezing
def _batchnorms(module: nn.Module):
    return [m for m in module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def _set_trainable(module: nn.Module, trainable: bool, model_training: bool) -> None:
    for p in module.parameters():
        p.requires_grad_(trainable)
    for bn in _batchnorms(module):
        bn.train(model_training if trainable else False)  # frozen BatchNorm keeps its statistics


def _resolve(model, up_to) -> int:
    """Number of leading groups meant by `up_to` (a group name or a count)."""
    names = group_names(model)
    if isinstance(up_to, bool) or not isinstance(up_to, (int, str)):
        raise TLTeachError(f"up_to must be a group name or a number of groups, got {up_to!r}.")
    if isinstance(up_to, int):
        if not 0 <= up_to <= len(names):
            raise TLTeachError(f"up_to={up_to}: this model has {len(names)} groups, use 0 ... {len(names)}.")
        return up_to
    return _group_index(model, up_to) + 1


def freeze(model: nn.Module, up_to=None) -> nn.Module:
    """Freeze the groups from the input up to and including `up_to`; the rest trains.

    `up_to` is a group name ("stage3") or a number of groups (3); None freezes
    everything except the head (feature extraction). Frozen weights get
    requires_grad=False and frozen BatchNorm layers stay in eval mode.

    >>> tt.freeze(model, up_to="stage3")
    """
    names = group_names(model)
    count = len(names) - 1 if up_to is None else _resolve(model, up_to)
    for i, group in enumerate(layer_groups(model).values()):
        _set_trainable(group, i >= count, model.training)
    return model


def unfreeze(model: nn.Module, from_=None) -> nn.Module:
    """Make the groups from `from_` to the output trainable again (None: all groups).

    >>> tt.unfreeze(model, from_="stage6")   # fine-tune the top two stages and the head
    """
    start = 0 if from_ is None else _resolve(model, from_) - 1
    for i, group in enumerate(layer_groups(model).values()):
        if i >= start:
            _set_trainable(group, True, model.training)
    return model


def frozen_prefix(model: nn.Module) -> int:
    """How many groups, counted from the input, are completely frozen."""
    count = 0
    for group in layer_groups(model).values():
        params = list(group.parameters())
        if any(p.requires_grad for p in params):
            break
        count += 1
    return count


def set_train_mode(model: nn.Module, freeze_bn: bool = True) -> nn.Module:
    """model.train(), but BatchNorm layers whose weights are frozen stay in eval mode.

    (Plain `model.train()` would switch them back to updating their statistics.)
    """
    model.train()
    if freeze_bn:
        for bn in _batchnorms(model):
            if not any(p.requires_grad for p in bn.parameters()):
                bn.eval()
    return model


def count_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (only the trainable ones with trainable_only=True)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def trainable_summary(model: nn.Module) -> Table:
    """One row per layer group: parameters, how many train, frozen or trainable.

    >>> tt.trainable_summary(tt.freeze(tt.SmallCNN(10), up_to="block2"))
    """
    rows = []
    for name, group in layer_groups(model).items():
        total, trainable = count_parameters(group), count_parameters(group, trainable_only=True)
        status = "trainable" if trainable == total else ("frozen" if trainable == 0 else "partly frozen")
        rows.append({"group": name, "parameters": total, "trainable": trainable, "status": status})
    total, trainable = count_parameters(model), count_parameters(model, trainable_only=True)
    rows.append({"group": "total", "parameters": total, "trainable": trainable,
                 "status": f"{100 * trainable / max(total, 1):.1f}% trainable"})
    return Table(rows, title=f"{type(model).__name__}: {trainable:,} of {total:,} parameters trainable")
