"""What tlteach knows about each kind of model, kept as data: one entry per model family.

Every verb that needs to know a model's insides (`layer_groups`, `replace_head`, `freeze`,
`show_filters`, `predict`) reads its entry here, so no function has an `isinstance` chain
and adding a family is one `register_family` call (timm keeps the same facts in each
model's config, fastai in its `model_meta` table).

    >>> family_of(tt.load_backbone()).name
    'grouped'
    >>> register_family(Family("tiny", matches=lambda m: isinstance(m, Tiny),
    ...                        groups=lambda m: OrderedDict(body=m.body, head=m.head),
    ...                        head=lambda m: (m.head, "1"), first_conv="body.0", input_size=32))
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from torch import nn

from .architectures import IMAGENET_MEAN, IMAGENET_STD, GroupedNet
from ..errors import TLTeachError
from ..i18n import tr


@dataclass(frozen=True)
class Family:
    """One kind of model.

    - `groups(model)`: its layer groups from input to output, by name (the last one is the head);
    - `head(model)`: (parent module, attribute name) of the final nn.Linear;
    - `first_conv`: name of the first convolution (what `show_filters` draws by default);
    - `mean`, `std`: the input normalisation its pretrained weights expect;
    - `input_size`: the image size `predict` resizes a photo to when none is given.
    """

    name: str
    matches: Callable[[nn.Module], bool]
    groups: Callable[[nn.Module], "OrderedDict[str, nn.Module]"]
    head: Callable[[nn.Module], tuple]
    first_conv: str = ""
    mean: tuple = IMAGENET_MEAN
    std: tuple = IMAGENET_STD
    input_size: int = 224


def _is(class_name: str, module: str = "torchvision.models"):
    def matches(model) -> bool:
        import importlib

        return isinstance(model, getattr(importlib.import_module(module), class_name))
    return matches


# torchvision MobileNetV3-Small: which `features[i]` belong to which stage.
MOBILENET_STAGES = {"stem": [0], "stage1": [1], "stage2": [2, 3], "stage3": [4, 5, 6],
                     "stage4": [7, 8], "stage5": [9, 10, 11], "stage6": [12]}


def _resnet_groups(m) -> "OrderedDict[str, nn.Module]":
    return OrderedDict(stem=nn.Sequential(m.conv1, m.bn1, m.relu, m.maxpool), stage1=m.layer1,
                       stage2=m.layer2, stage3=m.layer3, stage4=m.layer4,
                       head=nn.Sequential(m.avgpool, nn.Flatten(1), m.fc))


def _mobilenet_groups(m) -> "OrderedDict[str, nn.Module]":
    groups = OrderedDict((name, nn.Sequential(*[m.features[i] for i in idx]))
                         for name, idx in MOBILENET_STAGES.items())
    groups["head"] = nn.Sequential(m.avgpool, nn.Flatten(1), m.classifier)
    return groups


FAMILIES: list = [
    # tlteach's own networks (EfficientNet-Lite0, SmallCNN): their groups are attributes in order.
    Family("grouped", matches=lambda m: isinstance(m, GroupedNet), groups=lambda m: m.layer_groups(),
           head=lambda m: (m.head, "fc"), first_conv="", input_size=128),
    Family("resnet", matches=_is("ResNet"), groups=_resnet_groups, head=lambda m: (m, "fc"), first_conv="conv1"),
    Family("mobilenet_v3", matches=_is("MobileNetV3"), groups=_mobilenet_groups,
           head=lambda m: (m.classifier, str(len(m.classifier) - 1)), first_conv="features.0.0"),
]


def register_family(family: Family) -> Family:
    """Teach tlteach a new kind of model; it is tried before the built-in ones."""
    if not isinstance(family, Family):
        raise TLTeachError(tr("register_family needs a tt.families.Family, got a {kind}.", kind=type(family).__name__))
    FAMILIES[:] = [f for f in FAMILIES if f.name != family.name]
    FAMILIES.insert(0, family)
    return family


def family_of(model: nn.Module) -> Family:
    """The entry that describes `model`, or a clear error naming the supported kinds."""
    for family in FAMILIES:
        if family.matches(model):
            return family
    known = ", ".join(f.name for f in FAMILIES)
    raise TLTeachError(tr(
        "tlteach does not know {kind} (it knows: {known}). Change its last nn.Linear by hand, e.g. model.fc = "
        "nn.Linear(model.fc.in_features, 10), or describe it with tt.families.register_family.",
        kind=type(model).__name__, known=known))
