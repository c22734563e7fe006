"""Looking inside a model: its convolutions and filters, what a layer outputs for an image,
and a 2-D view of feature vectors. The figures in `viz.py` draw what these functions compute.

    >>> conv_layers(tt.load_backbone())["stem.0"]
    Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
    >>> group_activations(model, image, ["stem", "stage3"])["stage3"].shape
"""
from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from ..errors import TLTeachError
from .families import family_of
from .freezing import eval_mode
from ..i18n import tr
from .groups import group_names, layer_groups
from ..data.preprocess import as_float


def conv_layers(model: nn.Module) -> dict:
    """The model's convolution layers by name, in order: {"stem.0": Conv2d(3, 32, ...), ...}."""
    if isinstance(model, nn.Conv2d):
        return {"": model}
    return {name: m for name, m in model.named_modules() if isinstance(m, nn.Conv2d)}


def find_conv(model: nn.Module, layer=None):
    """(name, nn.Conv2d): the first convolution, or the one named `layer` (a conv name or a group name)."""
    convs = conv_layers(model)
    if not convs:
        raise TLTeachError(tr(
            "{kind} has no nn.Conv2d layer: show_filters needs a convolutional network.",
            kind=type(model).__name__))
    if layer is None:  # the model family's first convolution (timm's `first_conv`), else the first one
        try:
            first = family_of(model).first_conv
        except TLTeachError:
            first = ""
        return (first, convs[first]) if first in convs else next(iter(convs.items()))
    if layer in convs:
        return layer, convs[layer]
    try:
        groups = layer_groups(model)
    except TLTeachError:
        groups = {}
    if layer in groups:  # a group: its first convolution with a spatial kernel (3x3, 5x5...), if any
        inside = [m for m in groups[layer].modules() if isinstance(m, nn.Conv2d)]
        spatial = [m for m in inside if m.kernel_size != (1, 1)]
        if inside:
            module = (spatial or inside)[0]
            return next(n for n, m in convs.items() if m is module), module
    valid = list(groups) or list(convs)[:8]
    raise TLTeachError(tr(
        "No layer {layer!r} in this model. Give a group name ({names}) or a convolution name from "
        "tt.inspection.conv_layers(model).",
        layer=layer, names=", ".join(valid)))


def filter_images(conv: nn.Conv2d, n=None) -> tuple:
    """(patches, how): the filters of `conv` as images, each min-max scaled to 0..1.

    3 input channels -> RGB patches (n x k x k x 3); otherwise one grayscale patch per
    filter (n x k x k), the mean over its input channels; `how` says which.
    """
    weights = conv.weight.detach().float()
    n = weights.shape[0] if n is None else min(int(n), weights.shape[0])
    weights = weights[:n]
    inputs = weights.shape[1]
    if inputs == 3:
        patches, how = weights.permute(0, 2, 3, 1), tr("colour patches (R, G, B)")
    elif inputs == 1:
        patches, how = weights[:, 0], tr("one input channel each (depthwise)")
    elif conv.kernel_size == (1, 1):  # no spatial pattern: show the weight of every input channel
        cols = math.ceil(math.sqrt(inputs))
        patches = torch.full((n, math.ceil(inputs / cols) * cols), float("nan"))
        patches[:, :inputs] = weights[:, :, 0, 0]
        patches, how = patches.view(n, -1, cols), tr("one square per input channel ({inputs})", inputs=inputs)
    else:
        patches, how = weights.mean(1), tr("mean over {inputs} input channels", inputs=inputs)
    flat = patches.reshape(n, -1)
    low = flat.nan_to_num(nan=float("inf")).min(1).values
    high = flat.nan_to_num(nan=float("-inf")).max(1).values
    shape = (n,) + (1,) * (patches.ndim - 1)
    patches = (patches - low.view(shape)) / (high - low).clamp_min(1e-8).view(shape)
    return patches.numpy(), how


def _image_batch(image) -> torch.Tensor:
    return as_float(image)[None]


def default_feature_layers(model: nn.Module) -> list:
    """An early, a middle and a late layer group (never the head): e.g. stem, stage3, stage6."""
    names = [g for g in group_names(model) if g != "head"]
    picks = [0, len(names) // 2 - 1, len(names) - 2] if len(names) >= 4 else range(len(names))
    return list(dict.fromkeys(names[max(i, 0)] for i in picks))


@torch.inference_mode()
def group_activations(model: nn.Module, image, layers) -> dict:
    """{group name: activations 1 x C x h x w} of one image at the given layer groups."""
    names = group_names(model)
    unknown = [layer for layer in layers if layer not in names]
    if unknown:
        raise TLTeachError(tr(
            "No layer group {name!r} in this model. Valid names: {names}.",
            name=unknown[0], names=", ".join(names)))
    x, out, last = _image_batch(image), {}, max(names.index(layer) for layer in layers)
    with eval_mode(model):
        if hasattr(model, "normalize"):
            x = model.normalize(x)
        for i, (name, group) in enumerate(layer_groups(model).items()):
            if i > last:
                break
            x = group(x)
            if name in layers:
                out[name] = x
    return out


class _GotIt(Exception):
    """Raised by a forward hook to stop the forward pass once the wanted layer has run."""


@torch.inference_mode()
def conv_response(model: nn.Module, image, layer=None) -> torch.Tensor:
    """The output (C x h x w) of one convolution layer for one image: each filter's response."""
    _, conv = find_conv(model, layer)
    captured = {}

    def hook(module, args, output):
        captured["out"] = output.detach()
        raise _GotIt  # the layers after this one are not needed

    handle = conv.register_forward_hook(hook)
    try:
        with eval_mode(model):
            model(_image_batch(image))
    except _GotIt:
        pass
    finally:
        handle.remove()
    if "out" not in captured:
        raise TLTeachError(tr(
            "The layer {layer!r} did not run in the model's forward pass; choose another layer.",
            layer=layer))
    return captured["out"][0].float()


def pca_2d(features) -> tuple:
    """(points N x 2, explained variance ratio of the 2 components) by PCA with an SVD."""
    x = torch.as_tensor(np.asarray(features), dtype=torch.float64)
    x = x.reshape(len(x), -1)
    if len(x) < 3:
        raise TLTeachError(tr("PCA needs at least 3 feature vectors, got {n}.", n=len(x)))
    x = x - x.mean(0)
    u, s, vt = torch.linalg.svd(x, full_matrices=False)
    signs = torch.sign(vt[:2].gather(1, vt[:2].abs().argmax(1, keepdim=True))).flatten()  # fixed signs
    points = u[:, :2] * s[:2] * signs
    variance = s ** 2
    ratio = variance[:2] / variance.sum().clamp_min(1e-12)
    if points.shape[1] < 2:  # 1-D features
        points, ratio = torch.cat([points, torch.zeros(len(x), 1, dtype=x.dtype)], 1), torch.cat([ratio, ratio.new_zeros(1)])
    return points.numpy(), ratio.numpy()


def random_copy(model: nn.Module, seed: int = 0) -> nn.Module:
    """A copy of `model` with every layer re-initialised at random (as before any training)."""
    copied = copy.deepcopy(model)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for module in copied.modules():
            if hasattr(module, "reset_parameters"):
                module.reset_parameters()
            if hasattr(module, "reset_running_stats"):
                module.reset_running_stats()
    copied.pretrained = False
    return copied


def spatial_conv_layers(model: nn.Module) -> dict:
    """Convolutions whose filters have a shape to look at (3x3, 5x5, 7x7...), by name."""
    convs = conv_layers(model)
    spatial = {name: conv for name, conv in convs.items() if conv.kernel_size != (1, 1)}
    return spatial or convs


@torch.no_grad()
def weight_change(model: nn.Module, start: nn.Module) -> dict:
    """How far each layer group moved from `start`: {group: ||W - W_start|| / ||W_start||}. Lesson 04.

    One number per group (every weight of the group together), and "body" for every group but
    the head together. A frozen group gives 0; a group that truly learnt moves by 1e-3 (0.1 %)
    or more. The head is left out when it was replaced (its shape differs from the start's).

    >>> tt.inspection.weight_change(model, tt.recipes.pretrained_backbone())["stage7"]
    0.0123
    """
    before, after = layer_groups(start), layer_groups(model)
    out, sums, last = {}, [0.0, 0.0], list(after)[-1]
    for name, group in after.items():
        old = dict(before[name].named_parameters()) if name in before else {}
        pairs = [(p, old.get(key)) for key, p in group.named_parameters()]
        if not pairs or any(o is None or o.shape != p.shape for p, o in pairs):
            continue
        moved = sum(float((p - o).double().square().sum()) for p, o in pairs)
        size = sum(float(o.double().square().sum()) for _, o in pairs)
        out[name] = math.sqrt(moved / size) if size else 0.0
        if name != last:
            sums[0], sums[1] = sums[0] + moved, sums[1] + size
    out["body"] = math.sqrt(sums[0] / sums[1]) if sums[1] else 0.0
    return out
