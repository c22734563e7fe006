"""Domain adaptation: re-estimate BatchNorm statistics on the new camera's images, or train on batches that mix
both cameras' photos. Lesson 06.

    >>> adapted = tt.adaptation.reestimate_batchnorm(tt.load_backbone(), camera_photos)   # a copy
    >>> model, history = tt.recipes.feature_extraction(train, camera_val, seed=0, adapted=adapted)
    >>> both = tt.adaptation.mixed(train, tt.small_subset(camera_photos, 5, seed=0))       # one training set
    >>> model, history = tt.recipes.feature_extraction(both, camera_val, seed=0)

Every BatchNorm layer normalises its input with a mean and a variance it measured on ImageNet
(lesson 04). Photos from another camera (grey, blurred, noisy, or sketches) give each channel
another mean and variance, so the normalised features drift away from what the head learned.
Re-estimating the statistics on unlabelled images from the new camera puts them back in place:
no labels and no gradient, only forward passes. The weights do not change.

Domain adaptation in its common sense trains on both domains at once: `mixed` puts the clean
photos and a few labelled photos of the new camera into one training set, the new camera's
repeated until they make about half of it, so that every batch the model learns from holds
photos of both cameras.
"""
from __future__ import annotations

import copy
from collections import OrderedDict

import torch
from torch import nn

from ..errors import TLTeachError
from .freezing import batchnorms, eval_mode
from ..i18n import N_, tr
from .groups import group_index, layer_groups
from ..data.datasets import ImageDataset, _subset

# The names lesson 06 gives its ways to adapt (keys in code, shown translated).
STRATEGY_NAMES = (N_("clean photos, no shift"), N_("no adaptation"), N_("BatchNorm re-estimated (no labels)"),
                  N_("5 labelled per class"), N_("both"), N_("clean and 5 labelled mixed"),
                  N_("pretrained (ImageNet), frozen body"), N_("frozen pretrained body, 128 px"),
                  N_("frozen pretrained body, 64 px"))
_MIXED: OrderedDict = OrderedDict()  # {(clean's whole set, shifted's whole set): both in one}: one feature cache
MIXED_ENTRIES = 4


@torch.no_grad()
def reestimate_batchnorm(model: nn.Module, images, up_to=None, batch_size: int = 50,
                         copy_model: bool = True) -> nn.Module:
    """A copy of `model` whose BatchNorm layers measured their mean and variance on `images` (labels unused).

    `images` is a dataset of the new domain. Every weight stays as it was; only the running
    statistics change, to the average over all batches. With `up_to` (a group name such as
    "stage2"), only the BatchNorm layers from the input up to that group re-estimate; the later
    ones keep ImageNet's statistics. With `copy_model=False` the model itself changes.

    >>> early = tt.adaptation.reestimate_batchnorm(model, sketches, up_to="stage2")
    """
    if not hasattr(images, "batch") or len(images) == 0:
        raise TLTeachError(tr("reestimate_batchnorm needs a dataset of images from the new domain."))
    if copy_model:
        model = copy.deepcopy(model)
    if up_to is None:
        layers = batchnorms(model)
    else:
        groups = list(layer_groups(model).values())[:group_index(model, up_to) + 1]
        layers = [bn for g in groups for bn in batchnorms(g)]
    if not layers:
        raise TLTeachError(tr("This model has no BatchNorm layers: there are no statistics to re-estimate."))
    with eval_mode(model):
        saved = [(bn, bn.momentum) for bn in layers]
        for bn in layers:
            bn.reset_running_stats()
            bn.momentum = None  # a plain average over every batch
            bn.train()
        try:
            for i in range(0, len(images), batch_size):
                model(images.batch(slice(i, i + batch_size)))
        finally:
            for bn, momentum in saved:
                bn.momentum = momentum
                bn.eval()
    return model


def mixed(clean, shifted, share: float = 0.5) -> ImageDataset:
    """One training set of `clean` photos and labelled photos of the new domain, `shifted`, mixed. Lesson 06.

    The photos of `shifted` are repeated until they make about `share` of the set (at least once),
    so every batch drawn in random order holds photos of both domains: with `share=0.5` and
    batches of 16, about 8 of each. Both must have the same classes. The result is a subset of one
    set that holds both whole sets, the same for every seed, so a frozen body's output for it is
    computed once and shared (`tt.recipes.feature_extraction` on it costs the head's training only).

    >>> few = tt.small_subset(camera_pool, 5, seed=seed)          # 5 labelled photos per class
    >>> model, history = tt.recipes.feature_extraction(tt.adaptation.mixed(train, few), camera_val, seed)
    """
    for ds in (clean, shifted):
        if not isinstance(ds, ImageDataset) or len(ds) == 0:
            raise TLTeachError(tr("mixed needs two datasets of images, e.g. mixed(train, tt.small_subset(camera, 5))."))
    if list(clean.classes) != list(shifted.classes) or clean.image_size != shifted.image_size:
        raise TLTeachError(tr("mixed needs two datasets with the same classes and image size: {a} and {b}.",
                              a=clean.classes, b=shifted.classes))
    if not 0 < share < 1:
        raise TLTeachError(tr("share must be between 0 and 1, e.g. 0.5; got {share!r}.", share=share))
    wholes, positions = [], []
    for ds in (clean, shifted):
        wholes.append(ds.parent if ds.parent is not None else ds)
        positions.append(ds.index if ds.parent is not None else torch.arange(len(ds)))
    key = tuple(id(whole.images) for whole in wholes)
    if key not in _MIXED:
        both = ImageDataset(torch.cat([w.images for w in wholes]), torch.cat([w.labels for w in wholes]),
                            clean.classes, name=clean.name, split=clean.split)
        _MIXED[key] = (wholes, both)  # (keeps the two sets alive: their ids stay unique)
        while len(_MIXED) > MIXED_ENTRIES:
            _MIXED.popitem(last=False)
    _MIXED.move_to_end(key)
    both = _MIXED[key][1]
    repeats = max(1, round(share / (1 - share) * len(clean) / len(shifted)))
    index = torch.cat([positions[0], (positions[1] + len(wholes[0])).repeat(repeats)])
    return _subset(both, index, f"{clean.name}, mixed")
