"""The course's three strategies, each one fair recipe defined once and used by every lesson.

    >>> model, history = from_scratch(few, val, seed=0)          # SmallCNN, random start, 64 px
    >>> model, history = feature_extraction(few, val, seed=0)    # new head on the frozen pretrained body
    >>> model, history = fine_tuning(few, val, seed=0)           # head first, then the body at a lower lr

Each takes a training set, a validation set and a seed, and returns `(model, history)`.
The seed fixes the random start (the head's or the network's weights) and the order of the
batches; draw the photos with the same seed (`tt.small_subset(train, n, seed=seed)`) and one
seed changes everything that is random in a run.

- **From scratch**: `SmallCNN` at 64 x 64 px, 20 epochs, the last 4 at a 10x smaller learning
  rate (`datasize.fit_settled`). 64 px because a network that starts from nothing learns
  little more from bigger photos of so few examples, and trains 4x faster.
- **Feature extraction**: the pretrained body is frozen and run once per photo
  (`tt.extract_features`); a linear head learns on those features (`tt.fit_head`).
- **Fine-tuning**: first the feature-extraction head (a random head would send large,
  meaningless gradients into the body), then the groups from `unfreeze_from` on train as
  well, the body at a 10x smaller learning rate than the head. BatchNorm statistics stay as
  ImageNet measured them (`experiments.freeze_batchnorm`): with a few hundred photos, batch
  statistics are too noisy to replace them (lesson 04 measures what drifting statistics cost).
"""
from __future__ import annotations

import copy

from torch import nn

from .architectures import SmallCNN
from .backbones import load_backbone
from .data import resized
from .datasize import fit_settled
from .experiments import freeze_batchnorm, join_histories
from .features import extract_features, fit_head
from .freezing import freeze, unfreeze
from .i18n import N_
from .models import group_names
from .train import fit

# The names the lessons give their strategies: keys in code (results.runs("fine-tuning")), shown translated.
STRATEGY_NAMES = (N_("from scratch"), N_("feature extraction"), N_("fine-tuning"), N_("pretrained on other animals"),
                  N_("new head on the frozen body"))

SCRATCH_SIZE = 64
SCRATCH = dict(epochs=20, lr=1e-3, batch_size=16, settle_epochs=4)
HEAD = dict(epochs=100, lr=1e-2, weight_decay=1e-4)
FINE_TUNE = dict(epochs=5, lr=3e-4, body_lr_factor=0.1, batch_size=32)

_BACKBONES: dict = {}


def pretrained_backbone(name: str = "efficientnet_lite0") -> nn.Module:
    """The pretrained backbone, loaded once and shared (never trained: every recipe trains a copy).

    `name` may also be a model: every run then starts from a copy of its weights.
    """
    if isinstance(name, nn.Module):
        return name
    if name not in _BACKBONES:
        _BACKBONES[name] = load_backbone(name)
    return _BACKBONES[name]


def from_scratch(train, val, seed: int = 0, live: bool = False):
    """SmallCNN from a random start on 64 x 64 px photos; returns (model, history). Lesson 01.

    With `val=None` no epoch is measured (faster, when only the end counts).

    >>> model, history = from_scratch(tt.small_subset(train, 10, seed=1), val, seed=1)
    """
    train = resized(train, SCRATCH_SIZE)
    val = resized(val, SCRATCH_SIZE) if val is not None else None
    model = SmallCNN(len(train.classes), seed=seed)
    history = fit_settled(model, train, val, seed=seed, live=live, label="from scratch", **SCRATCH)
    return model, history


def feature_extraction(train, val, seed: int = 0, backbone: str = "efficientnet_lite0", adapted=None):
    """A linear head on the frozen pretrained body's features; returns (model, history). Lesson 05.

    The body's features of every photo are computed once and shared by every seed and subset.
    With `adapted` (a copy of the body adapted to another domain, lesson 06:
    `tt.adaptation.reestimate_batchnorm`), the head learns on `backbone`'s features of `train`
    and is measured, and returned, on `adapted`'s features of `val`.
    """
    base = pretrained_backbone(backbone)
    body = base if adapted is None else adapted
    model = freeze(copy.deepcopy(body))
    _, history = fit_head(extract_features(base, train), extract_features(body, val), seed=seed, model=model,
                          classes=train.classes, **HEAD)
    history.label = "feature extraction"
    return model, history


def fine_tuning(train, val, seed: int = 0, unfreeze_from="stage6", backbone: str = "efficientnet_lite0",
                epochs: int = FINE_TUNE["epochs"], lr: float = FINE_TUNE["lr"],
                body_lr_factor: float = FINE_TUNE["body_lr_factor"], live: bool = False):
    """Head first on the frozen body, then fine-tune from `unfreeze_from` on; returns (model, history). Lesson 05.

    `unfreeze_from` is a group name or the number of groups that stay frozen (0: the whole body
    learns). The head learns at `lr`, the unfrozen body groups at `lr * body_lr_factor`.
    """
    model, head_history = feature_extraction(train, val, seed=seed, backbone=backbone)
    unfreeze(model, unfreeze_from)
    freeze_batchnorm(model)
    names = group_names(model)
    body_lr = {name: lr * body_lr_factor for name in names[:-1]}
    history = fit(model, train, val, epochs=epochs, lr=lr, lr_groups=body_lr, batch_size=FINE_TUNE["batch_size"],
                  seed=seed, live=live, label="fine-tuning")
    return model, join_histories(head_history, history, label="fine-tuning")


STRATEGIES = {"from scratch": from_scratch, "feature extraction": feature_extraction, "fine-tuning": fine_tuning}
