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
from dataclasses import dataclass, field, replace
from typing import Optional, Union

from torch import nn

from ..models.architectures import SmallCNN
from ..models.backbones import load_backbone
from ..data.datasets import resized
from ..training.features import extract_features, fit_head
from ..models.freezing import freeze, freeze_batchnorm, unfreeze
from ..i18n import N_
from ..models.groups import group_names
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
    - `unfreeze_from`: the first group that learns (a name, or how many groups stay frozen);
    - `head`: the recipe that trains the head first (fine-tuning starts with feature extraction).
    """
    strategy: str
    epochs: int
    lr: float
    batch_size: Optional[int] = 32
    weight_decay: float = 0.0
    settle_epochs: int = 0
    image_size: Optional[int] = None
    body_lr: Optional[float] = None
    unfreeze_from: Union[str, int, None] = None
    head: Optional["Recipe"] = field(default=None, repr=False)
    backbone: str = "efficientnet_lite0"

    def but(self, **changes) -> "Recipe":
        """This recipe with `changes` (e.g. `epochs=10`); the recipe itself never changes."""
        return replace(self, **changes)

    @property
    def body_lr_factor(self) -> Optional[float]:
        """How much slower the body learns than the head (`body_lr / lr`)."""
        return None if self.body_lr is None else round(self.body_lr / self.lr, 12)

    def settings(self, *names) -> dict:
        """The hyper-parameters `names` as a dict, e.g. to print: `FINE_TUNING.settings("epochs", "lr")`."""
        return {name: getattr(self, name) for name in names}


FROM_SCRATCH = Recipe(N_("from scratch"), epochs=20, lr=1e-3, batch_size=16, settle_epochs=4, image_size=64)
FEATURE_EXTRACTION = Recipe(N_("feature extraction"), epochs=100, lr=1e-2, batch_size=None, weight_decay=1e-4)
FINE_TUNING = Recipe(N_("fine-tuning"), epochs=5, lr=3e-4, batch_size=32, body_lr=3e-4 * 0.1, unfreeze_from="stage6",
                     head=FEATURE_EXTRACTION)

# The same hyper-parameters as the lessons print and pass them (one source: the recipes above).
SCRATCH_SIZE = FROM_SCRATCH.image_size
SCRATCH = FROM_SCRATCH.settings("epochs", "lr", "batch_size", "settle_epochs")
HEAD = FEATURE_EXTRACTION.settings("epochs", "lr", "weight_decay")
FINE_TUNE = FINE_TUNING.settings("epochs", "lr", "body_lr_factor", "batch_size")

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
    model = SmallCNN(len(train.classes), seed=seed)
    history = fit_settled(model, train, val, seed=seed, live=live, label="from scratch", epochs=recipe.epochs,
                          lr=recipe.lr, batch_size=recipe.batch_size, settle_epochs=recipe.settle_epochs)
    return model, history


def feature_extraction(train, val, seed: int = 0, backbone=None, adapted=None, recipe: Recipe = FEATURE_EXTRACTION):
    """A linear head on the frozen pretrained body's features; returns (model, history). Lesson 05.

    The body's features of every photo are computed once and shared by every seed and subset.
    With `adapted` (a copy of the body adapted to another domain, lesson 06:
    `tt.adaptation.reestimate_batchnorm`), the head learns on `backbone`'s features of `train`
    and is measured, and returned, on `adapted`'s features of `val`.
    """
    base = pretrained_backbone(recipe.backbone if backbone is None else backbone)
    body = base if adapted is None else adapted
    model = freeze(copy.deepcopy(body))
    _, history = fit_head(extract_features(base, train), extract_features(body, val), seed=seed, model=model,
                          classes=train.classes, epochs=recipe.epochs, lr=recipe.lr, weight_decay=recipe.weight_decay)
    history.label = "feature extraction"
    return model, history


def fine_tuning(train, val, seed: int = 0, unfreeze_from=None, live: bool = False, recipe: Recipe = FINE_TUNING):
    """Head first on the frozen body, then fine-tune from `unfreeze_from` on; returns (model, history). Lesson 05.

    `unfreeze_from` is a group name or the number of groups that stay frozen (0: the whole body
    learns; default: the recipe's, "stage6"). The head learns at `recipe.lr`, the unfrozen body
    groups at `recipe.body_lr`.
    """
    model, head_history = feature_extraction(train, val, seed=seed, recipe=recipe.head.but(backbone=recipe.backbone))
    unfreeze(model, recipe.unfreeze_from if unfreeze_from is None else unfreeze_from)
    freeze_batchnorm(model)
    body_lr = {name: recipe.body_lr for name in group_names(model)[:-1]}
    history = fit(model, train, val, epochs=recipe.epochs, lr=recipe.lr, lr_groups=body_lr,
                  batch_size=recipe.batch_size, seed=seed, live=live, label="fine-tuning")
    return model, head_history.then(history, label="fine-tuning")


STRATEGIES = {"from scratch": from_scratch, "feature extraction": feature_extraction, "fine-tuning": fine_tuning}
RECIPES = {"from scratch": FROM_SCRATCH, "feature extraction": FEATURE_EXTRACTION, "fine-tuning": FINE_TUNING}
