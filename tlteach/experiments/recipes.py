"""The course's three strategies, each one fair recipe defined once and used by every lesson.

    >>> model, history = from_scratch(few, val, seed=0)          # SmallCNN, random start, 64 px
    >>> model, history = feature_extraction(few, val, seed=0)    # new head on the frozen pretrained body
    >>> model, history = fine_tuning(few, val, seed=0)           # head first, then the body at a lower lr

Each takes a training set, a validation set and a seed, and returns `(model, history)`.
The seed fixes the random start (the head's or the network's weights) and the order of the
batches; draw the photos with the same seed (`tt.small_subset(train, n, seed=seed)`) and one
seed changes everything that is random in a run.

Each strategy's hyper-parameters are one `Recipe` object (`FROM_SCRATCH`, `FEATURE_EXTRACTION`,
`FINE_TUNING`), so a change of recipe is one line, and every lesson and experiment uses it.

- **From scratch**: `SmallCNN` at 64 x 64 px, 20 epochs, the last 4 at a 10x smaller learning
  rate (`tt.train.fit_settled`). 64 px because a network that starts from nothing learns
  little more from bigger photos of so few examples, and trains 4x faster.
- **Feature extraction** and **fine-tuning** are one recipe, `tune` (`TUNING`), with one
  knob, what learns, so that comparing them compares only the frozen groups. A new head
  learns alone for 50 steps (a random head would send large, meaningless gradients into the
  body), then for a budget of 150 more steps (not epochs: 5 photos per class get as many steps
  as 30) the head learns with the groups that are not frozen, the body at a 10x smaller
  learning rate than the head. Feature extraction freezes every body group (its output for
  each photo is computed once and cached); fine-tuning lets stage6 and stage7 learn.
  BatchNorm statistics stay as ImageNet measured them (`freezing.freeze_batchnorm`): with a
  few photos per batch, batch statistics are too noisy to replace them (lesson 04).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Optional, Union

from torch import nn
from torch.nn import functional as F

from ..models.architectures import SmallCNN
from ..models.backbones import LITE0, load_backbone
from ..data.datasets import resized
from ..training.inference import accuracy, dataset_scores
from ..models.freezing import freeze, set_frozen
from ..models.groups import replace_head
from ..i18n import N_
from ..training.train import fit, fit_settled

# The names the lessons give their strategies: keys in code (results.runs("fine-tuning")), shown translated.
STRATEGY_NAMES = (N_("from scratch"), N_("feature extraction"), N_("fine-tuning"), N_("pretrained on other animals"),
                  N_("new head on the frozen body"))


@dataclass(frozen=True)
class Recipe:
    """A training recipe: a strategy and its hyper-parameters, fixed. The course's three are three instances.

    `recipe.but(epochs=10)` is the same recipe with one thing changed; `recipe.settings()` its
    hyper-parameters as a dict (what a lesson prints). Call one of the recipe functions with it:
    `fine_tuning(train, val, seed, recipe=FINE_TUNING.but(body_lr=1e-4))`.

    - `epochs`, `lr`, `batch_size` (None: every image in one batch), `weight_decay`;
    - `settle_epochs`: the last epochs run at `lr / 10` (from scratch: the weights settle);
    - `image_size`: the size the photos are resized to (from scratch: 64 px);
    - `body_lr`: the learning rate of the unfrozen body groups (fine-tuning; the head learns at `lr`);
    - `frozen`: what stays frozen while the body learns (`tt.freezing.set_frozen`: a number of groups from the
      input, the last frozen group's name, None for every body group, or "all but middle");
    - `steps`: a budget of optimiser steps that does not shrink with the data (the step-budget
      recipe `TUNING`: the epochs follow from the data size); `head_steps`: steps for the head
      alone first, the whole body frozen;
    - `body_lrs`: the grid of body learning rates an experiment picks from (on its pick half);
    - `batchnorm`: what BatchNorm does while the body learns (`tt.freezing.BATCHNORM`): "kept" (every
      BatchNorm keeps ImageNet's statistics), "relearnt" (the unfrozen groups' BatchNorm layers learn from
      the batches) or "drift" (the frozen groups' too).
    """
    strategy: str
    epochs: int
    lr: float
    batch_size: Optional[int] = 32
    weight_decay: float = 0.0
    settle_epochs: int = 0
    image_size: Optional[int] = None
    body_lr: Optional[float] = None
    frozen: Union[str, int, None] = None
    backbone: str = "efficientnet_lite0"
    steps: Optional[int] = None
    head_steps: int = 0
    body_lrs: tuple = ()
    batchnorm: str = "kept"

    def but(self, **changes) -> "Recipe":
        """This recipe with `changes` (e.g. `epochs=10`); the recipe itself never changes."""
        return replace(self, **changes)

    def settings(self, *names) -> dict:
        """The hyper-parameters `names` as a dict, e.g. to print: `FINE_TUNING.settings("epochs", "lr")`."""
        return {name: getattr(self, name) for name in names}


FROM_SCRATCH = Recipe(N_("from scratch"), epochs=20, lr=1e-3, batch_size=16, settle_epochs=4, image_size=64)

# The step-budget recipe (`tune`): the head alone first, then the head with whatever learns. The only knob of the
# freeze-depth experiment (lesson 04) is what learns; feature extraction and fine-tuning are two settings of it.
TUNING = Recipe(N_("fine-tuning"), epochs=0, steps=150, head_steps=50, lr=1e-3, batch_size=16, body_lr=1e-4,
                body_lrs=(1e-5, 1e-4, 1e-3))
FEATURE_EXTRACTION = TUNING.but(strategy=N_("feature extraction"), frozen=None)  # no body group learns

# The lesson plan's own algorithm, as the plan writes it: replace the head, freeze the first groups, and train the
# rest together with the new (random) head from the first step, one run of 200 steps. The freeze-depth sweep runs
# it at the body learning rates in `body_lrs` (1e-3: one lr for the whole network, as the plan's code has it): the
# size of the body's steps decides how much of what ImageNet taught survives (lesson 04).
PLAN = TUNING.but(strategy=N_("the plan's algorithm"), head_steps=0, steps=200, body_lr=1e-3,
                  body_lrs=(1e-3, 3e-4, 1e-4))
FINE_TUNING = TUNING.but(frozen=LITE0.fine_tuning_frozen)  # stem ... stage5 frozen: stage6, stage7 and the head learn

# The same hyper-parameters as the lessons print and pass them (one source: the recipes above).
SCRATCH_SIZE = FROM_SCRATCH.image_size
SCRATCH = FROM_SCRATCH.settings("epochs", "lr", "batch_size", "settle_epochs")
FINE_TUNE = FINE_TUNING.settings("head_steps", "steps", "lr", "body_lr", "batch_size", "frozen")

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


def from_scratch(train, val, seed: int = 0, live: bool = False, recipe: Recipe = FROM_SCRATCH):
    """SmallCNN from a random start on 64 x 64 px photos; returns (model, history). Lesson 01.

    With `val=None` no epoch is measured (faster, when only the end counts).

    >>> model, history = from_scratch(tt.small_subset(train, 10, seed=1), val, seed=1)
    """
    train = resized(train, recipe.image_size)
    val = resized(val, recipe.image_size) if val is not None else None
    model = SmallCNN(len(train.classes), seed=seed).to(train.images.device)  # where the photos are (CPU or GPU)
    history = fit_settled(model, train, val, seed=seed, live=live, label=recipe.strategy, epochs=recipe.epochs,
                          lr=recipe.lr, batch_size=recipe.batch_size, settle_epochs=recipe.settle_epochs,
                          weight_decay=recipe.weight_decay)
    return model, history


def feature_extraction(train, val, seed: int = 0, backbone=None, adapted=None, recipe: Recipe = FEATURE_EXTRACTION):
    """A new head on the frozen pretrained body; returns (model, history). Lessons 03 and 05.

    The step-budget recipe (`tune`) with every body group frozen: the frozen body's output for
    each photo is computed once (and shared by every seed), then only the head learns, in
    mini-batches, for `head_steps + steps` steps. `backbone`: another pretrained body (a model)
    to start from. With `adapted` (a copy of the body adapted to another domain, lesson 06:
    `tt.adaptation.reestimate_batchnorm`), the head learns on `backbone`'s features of `train`,
    and the returned model, measured on `val`, is `adapted`'s body with that head.
    """
    recipe = recipe.but(backbone=recipe.backbone if backbone is None else backbone)
    model, history = tune(train, val if adapted is None else None, seed=seed, frozen=None, recipe=recipe)
    if adapted is not None:
        body = {k: v for k, v in adapted.state_dict().items() if k in model.state_dict()
                and v.shape == model.state_dict()[k].shape}
        model.load_state_dict({**model.state_dict(), **body})
        if val is not None:
            final = dict(history.rows[-1])
            scores = dataset_scores(model, val)
            final.update(val_acc=accuracy(scores, val.labels), val_loss=float(F.cross_entropy(scores, val.labels)))
            history.rows[-1] = final
    history.label = recipe.strategy
    return model, history


def fine_tuning(train, val, seed: int = 0, frozen=None, live: bool = False, recipe: Recipe = FINE_TUNING):
    """The head first on the frozen body, then the groups after `frozen` learn too; returns (model, history).

    `frozen`: what stays frozen (`tt.freezing.set_frozen`: the last frozen group's name or the number of frozen
    groups; 0: the whole body learns; default: the recipe's, "stage5"). The step-budget recipe (`tune`): the head at
    `recipe.lr`, the unfrozen body groups at `recipe.body_lr`, BatchNorm statistics kept. Lesson 05.
    """
    where = recipe.frozen if frozen is None else frozen
    model, history = tune(train, val, seed=seed, frozen=where, recipe=recipe)
    history.label = recipe.strategy
    return model, history


def epochs_for(steps: int, images: int, batch_size: int) -> int:
    """The fewest epochs that give at least `steps` optimiser steps on `images` photos in batches of `batch_size`."""
    per_epoch = math.ceil(images / min(batch_size or images, images))  # None: every image in one batch
    return math.ceil(steps / per_epoch)


def tune(train, val=None, seed: int = 0, frozen=0, recipe: Recipe = TUNING):
    """The step-budget recipe: the head alone first, then every group `frozen` leaves free; returns (model, history).

    One recipe for every depth, so that a comparison of depths compares only what learns:

    1. a new head (random, from `seed`) learns alone for `recipe.head_steps` steps, the whole
       body frozen (a random head would send large, meaningless gradients into the body);
    2. then for `recipe.steps` steps the head learns at `recipe.lr` together with the body
       groups that `frozen` leaves free, at `recipe.body_lr`.

    `frozen` (`tt.freezing.set_frozen`): how many groups stay frozen, counted from the input (0: the whole body
    learns; 8, every body group of EfficientNet-Lite0: only the head — feature extraction, trained the same way;
    None: the same for any model), the last frozen group ("stage5"), or "all but " a part of the body
    ("all but first", "all but middle", "all but last": surgical fine-tuning) or a group.
    With `val`, every epoch is measured on it (the history's curves). `recipe.batchnorm`: see `tt.freezing.BATCHNORM`.
    The step budget does not shrink with the data: 5 photos per class get as many steps as 30.

    >>> model, history = tt.recipes.tune(tt.small_subset(train, 5, seed=0), val, seed=0, frozen="all but middle")
    """
    train = resized(train, recipe.image_size) if recipe.image_size else train
    val = resized(val, recipe.image_size) if recipe.image_size and val is not None else val
    model = copy.deepcopy(pretrained_backbone(recipe.backbone))
    replace_head(model, train.classes, seed=seed)
    model.to(train.images.device)  # the network goes where the photos are (the CPU, or a GPU: tt.sweep --device)
    freeze(model)  # 1. the head alone
    history = fit(model, train, val, epochs=epochs_for(recipe.head_steps, len(train), recipe.batch_size),
                  lr=recipe.lr, batch_size=recipe.batch_size, weight_decay=recipe.weight_decay, seed=seed, live=False,
                  label="head")
    set_frozen(model, frozen)
    second = fit(model, train, val, epochs=epochs_for(recipe.steps, len(train), recipe.batch_size), lr=recipe.lr,
                 body_lr=recipe.body_lr, batch_size=recipe.batch_size, weight_decay=recipe.weight_decay, seed=seed + 1,
                 batchnorm=recipe.batchnorm, live=False, label="fine-tuning")
    return model, history.then(second, label="fine-tuning")

