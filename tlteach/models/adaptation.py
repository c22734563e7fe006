"""Domain adaptation without labels: re-estimate BatchNorm statistics on the new camera's images. Lesson 06.

    >>> adapted = tt.adaptation.reestimate_batchnorm(tt.load_backbone(), camera_photos)   # a copy
    >>> model, history = tt.recipes.feature_extraction(train, camera_val, seed=0, adapted=adapted)

Every BatchNorm layer normalises its input with a mean and a variance it measured on ImageNet
(lesson 04). Photos from another camera (grey, blurred, noisy, or sketches) give each channel
another mean and variance, so the normalised features drift away from what the head learned.
Re-estimating the statistics on unlabelled images from the new camera puts them back in place:
no labels and no gradient, only forward passes. The weights do not change.
"""
from __future__ import annotations

import copy

import torch
from torch import nn

from ..errors import TLTeachError
from .freezing import batchnorms, eval_mode
from ..i18n import N_, tr
from .groups import group_index, layer_groups

# The names lesson 06 gives its ways to adapt (keys in code, shown translated).
STRATEGY_NAMES = (N_("clean photos, no shift"), N_("no adaptation"), N_("BatchNorm re-estimated (no labels)"),
                  N_("5 labelled per class"), N_("both"), N_("pretrained (ImageNet), frozen body"))


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
