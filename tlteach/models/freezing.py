"""Freezing: which layer groups learn, and what frozen groups let us skip.

One primitive, `freeze_to(model, n)`: the first `n` groups (counted from the input) are
frozen, every group after them trains. `freeze` and `unfreeze` are two ways to say `n`:

    >>> tt.freeze(model)                     # everything but the head (feature extraction)
    >>> tt.freeze(model, up_to="stage5")     # stem ... stage5 frozen: n = 6
    >>> tt.unfreeze(model, from_="stage6")   # stage6 onwards train: n = 6 again
    >>> tt.freeze(model, 3); tt.unfreeze(model, 3)   # the same n: nothing changes

Freezing has three switches: `requires_grad` on the weights, the BatchNorm weights, and
the BatchNorm running statistics (train/eval mode). What BatchNorm does while a model trains has
one name everywhere, `batchnorm` (`tt.fit`, `set_mode`, `Recipe.batchnorm`, the sweep's column),
and one of the three values in `BATCHNORM`:

- "relearnt" (the default): a BatchNorm layer whose weights are frozen keeps its statistics (eval
  mode) whatever mode tlteach puts the model in; the learning groups' BatchNorm layers relearn
  theirs from the batches;
- "kept": every BatchNorm layer keeps its weights and ImageNet's statistics, also in the groups
  that learn (`freeze_batchnorm`; the careful recipe);
- "drift": every BatchNorm layer follows the model's mode, so a frozen group's statistics drift
  with the batches (what plain `model.train()` does: the trap lesson 04 measures).

Frozen leading groups never change, so their output can be computed once and cached
(`frozen_activations`): `tt.fit` and `tt.extract_features` use that.
"""
from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager

import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import N_, number, tr, trn
from .backbones import REGISTRY, backbone_of
from .groups import count_parameters, forward_groups, group_index, group_names, layer_groups
from ..table import Table

BATCHNORM = ("relearnt", "kept", "drift")  # what BatchNorm does while a model trains (see above)
BATCHNORM_WORDS = {"relearnt": N_("statistics relearnt"), "kept": N_("statistics kept"),  # in a lesson's lines
                   "drift": N_("statistics drifting")}
CACHE_LIMIT_BYTES = 3 * 2**30  # do not cache frozen activations larger than this (memory)


# ----------------------------------------------------------------------------- the primitive
def batchnorms(module: nn.Module) -> list:
    return [m for m in module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def check_batchnorm(batchnorm: str) -> str:
    """`batchnorm` if it is one of `BATCHNORM`; otherwise an error that lists them."""
    if batchnorm not in BATCHNORM:
        raise TLTeachError(tr("batchnorm must be one of {names}, got {got!r}.", names=", ".join(map(repr, BATCHNORM)),
                              got=batchnorm))
    return batchnorm


def set_mode(model: nn.Module, training: bool = True, batchnorm: str = "relearnt") -> nn.Module:
    """`model.train(training)`, except that BatchNorm layers with frozen weights stay in eval mode.

    With `batchnorm="drift"` every BatchNorm follows the model (the naive recipe of lesson 04).
    """
    model.train(training)
    if batchnorm != "drift":
        for bn in batchnorms(model):
            if not any(p.requires_grad for p in bn.parameters()):
                bn.eval()
    return model


def freeze_to(model: nn.Module, n: int) -> nn.Module:
    """Freeze the first `n` layer groups (counted from the input); every later group trains.

    >>> freeze_to(model, 0)                        # everything trains
    >>> freeze_to(model, len(group_names(model)) - 1)   # only the head trains
    """
    groups = list(layer_groups(model).values())
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= len(groups):
        raise TLTeachError(trn(
            "This model has {n} layer group: the number frozen must be 0 ... {n}, got {got!r}.",
            "This model has {n} layer groups: the number frozen must be 0 ... {n}, got {got!r}.",
            len(groups), got=n))
    for i, group in enumerate(groups):
        group.requires_grad_(i >= n)
    return set_mode(model, model.training)


def _count(model: nn.Module, where, default: int, after: bool) -> int:
    """The number of frozen groups meant by a group name or a count (None: `default`)."""
    if where is None:
        return default
    if isinstance(where, str):
        return group_index(model, where) + (1 if after else 0)
    if isinstance(where, bool) or not isinstance(where, int):
        raise TLTeachError(tr("Give a group name such as 'stage3' or a number of groups, got {where!r}.", where=where))
    return where


def freeze(model: nn.Module, up_to=None) -> nn.Module:
    """Freeze the groups from the input up to and including `up_to`; the rest trains. Lesson 04.

    `up_to` is a group name ("stage3") or a number of groups (3); None freezes everything
    except the head (feature extraction).

    >>> tt.freeze(model, up_to="stage3")
    """
    return freeze_to(model, _count(model, up_to, len(group_names(model)) - 1, after=True))


def unfreeze(model: nn.Module, from_=None) -> nn.Module:
    """Let the groups from `from_` to the output train; the groups before it stay frozen. Lesson 04.

    `from_` is a group name ("stage6") or a number of groups kept frozen (6); None: everything trains.

    >>> tt.unfreeze(model, from_="stage6")   # fine-tune stage6, stage7 and the head
    """
    return freeze_to(model, _count(model, from_, 0, after=False))


def surgical_parts(model: nn.Module) -> dict:
    """The parts of `model`'s body that surgical fine-tuning (Lee et al. 2023) names: {"first": groups, "middle": ...,
    "last": ...}, from its backbone's registry entry (`tt.backbones.REGISTRY`); {} for a model without one."""
    entry = backbone_of(model) or next((b for b in REGISTRY.values() if b.groups == tuple(group_names(model))), None)
    return dict(entry.surgical) if entry else {}


def learn_only(model: nn.Module, names) -> nn.Module:
    """Freeze every group except the body groups `names` (and the head, which always learns). Lesson 04.

    `names` is a list of group names, a group name, or one of the parts of `surgical_parts(model)` ("first",
    "middle", "last"): surgical fine-tuning, only one part of the body learns.

    >>> tt.freezing.learn_only(model, "middle")    # stage3, stage4 and stage5 learn, with the head
    """
    parts = surgical_parts(model)
    names = tuple(parts.get(names, (names,))) if isinstance(names, str) else tuple(names)
    groups = layer_groups(model)
    unknown = [name for name in names if name not in groups]
    if unknown:
        raise TLTeachError(tr(
            "learn_only names {unknown} are not layer groups. Give group names ({names}) or one of: {parts}.",
            unknown=unknown, names=", ".join(groups), parts=", ".join(parts) or "-"))
    last = list(groups)[-1]
    for name, group in groups.items():
        group.requires_grad_(name in names or name == last)
    return set_mode(model, model.training)


ALL_BUT = "all but "  # frozen="all but middle": every body group frozen but that part (surgical fine-tuning)


def set_frozen(model: nn.Module, frozen=None) -> nn.Module:
    """Freeze what `frozen` says; the rest learns, the head always. Lesson 04.

    `frozen` is the course's one name for the frozen depth (`Recipe.frozen`, `tt.recipes.tune`, the sweep's
    column, the FreezePanel's slider):

    - a number of groups, counted from the input (0: the whole body learns; `len(body)`: only the head);
    - the name of the last frozen group ("stage5": stem ... stage5 frozen, as `tt.freeze(model, up_to="stage5")`);
    - None: every body group (only the head learns: feature extraction);
    - "all but " a part or a group ("all but middle"): only that part of the body learns (surgical
      fine-tuning, `learn_only`).

    >>> tt.freezing.set_frozen(model, "all but middle")
    """
    if isinstance(frozen, str) and frozen.startswith(ALL_BUT):
        return learn_only(model, frozen[len(ALL_BUT):])
    return freeze(model, up_to=int(frozen) if isinstance(frozen, str) and frozen.isdigit() else frozen)


def group_status(group: nn.Module) -> str:
    """"frozen", "trainable" or "partly frozen"."""
    flags = [p.requires_grad for p in group.parameters()]
    if not flags or all(flags):
        return N_("trainable")
    return N_("frozen") if not any(flags) else N_("partly frozen")


def frozen_prefix(model: nn.Module) -> int:
    """How many groups, counted from the input, are completely frozen."""
    count = 0
    for group in layer_groups(model).values():
        if not list(group.parameters()) or group_status(group) != "frozen":
            break
        count += 1
    return count


def trainable_summary(model: nn.Module) -> Table:
    """One row per layer group: parameters, how many train, frozen or trainable. Lesson 04.

    >>> tt.trainable_summary(tt.freeze(tt.SmallCNN(10), up_to="block2"))
    """
    rows = []
    for name, group in layer_groups(model).items():
        rows.append({"group": name, "parameters": count_parameters(group),
                     "trainable": count_parameters(group, trainable_only=True), "status": group_status(group)})
    total, trainable = count_parameters(model), count_parameters(model, trainable_only=True)
    rows.append({"group": N_("total"), "parameters": total, "trainable": trainable,
                 "status": tr("{share:.1f}% trainable", share=100 * trainable / max(total, 1))})
    return Table(rows, title=tr("{model}: {trainable} of {total} parameters trainable", model=type(model).__name__,
                                trainable=number(trainable), total=number(total)))


# ----------------------------------------------------------------------------- the cache
def cacheable_groups(model: nn.Module, train, batchnorm: str = "relearnt") -> int:
    """How many leading groups can be computed once: frozen, BatchNorm frozen, no dropout, no augmentation."""
    k = min(frozen_prefix(model), len(group_names(model)) - 1)  # the head always runs
    if k == 0 or batchnorm == "drift" or getattr(train, "augment", False):
        return 0
    prefix = list(layer_groups(model).values())[:k]
    if any(isinstance(m, nn.Dropout) and m.p > 0 for g in prefix for m in g.modules()):
        return 0
    return k


@contextmanager
def eval_mode(model: nn.Module):
    """Eval mode inside the `with` block; afterwards the model's own mode comes back through
    `set_mode`, so BatchNorm layers with frozen weights never leave eval mode.

    >>> with eval_mode(model):
    ...     scores = model(images)
    """
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        set_mode(model, was_training)


_SHARED: "OrderedDict[tuple, tuple]" = OrderedDict()  # recent frozen activations, shared by every run
SHARED_ENTRIES = 6


def _weights_key(model: nn.Module, k: int) -> tuple:
    """Changes whenever a weight or a statistic of the first k groups changes, in any copy of the model."""
    groups = list(layer_groups(model).values())[:k]
    tensors = [t for g in groups for t in list(g.parameters()) + list(g.buffers())]
    tensors += list(getattr(model, "normalize", nn.Identity()).buffers())
    return tuple((tuple(t.shape), float(t.detach().double().sum()), float(t.detach().double().square().sum())) for t in tensors)


@torch.inference_mode()
def _compute(model: nn.Module, ds, k: int, batch_size: int) -> torch.Tensor:
    with eval_mode(model):
        parts = [forward_groups(model, ds.batch(slice(i, i + batch_size)), 0, k)
                 for i in range(0, len(ds), batch_size)]
    return torch.cat(parts)


def frozen_activations(model: nn.Module, ds, k: int, batch_size: int = 64) -> torch.Tensor:
    """Output of the first k groups for every image of `ds` (model in eval mode).

    Computed once for the whole dataset a subset was drawn from, and shared: a second seed, a
    second subset or a copy of the same pretrained model reuses it (same numbers, no extra time).
    """
    whole = getattr(ds, "parent", None) or ds
    index = getattr(ds, "index", None) if whole is not ds else None
    key = (_weights_key(model, k), k, id(whole.images), whole.images._version, len(whole),
           torch.get_num_threads())  # (another thread count sums in another order: keep the numbers apart)
    if key not in _SHARED:
        _SHARED[key] = (whole, _compute(model, whole, k, batch_size))  # (keeps `whole` alive: ids stay unique)
        while len(_SHARED) > SHARED_ENTRIES:
            _SHARED.popitem(last=False)
    _SHARED.move_to_end(key)
    out = _SHARED[key][1]
    return (out if index is None else out[index]).clone()  # a normal tensor (not an inference tensor) for autograd


@torch.inference_mode()
def activation_bytes(model: nn.Module, ds, k: int) -> int:
    """Memory the cached output of the first k groups would take for all of `ds`."""
    with eval_mode(model):
        one = forward_groups(model, ds.batch(slice(0, 1)), 0, k)
    return one.numel() * one.element_size() * len(ds)


def freeze_batchnorm(model: nn.Module) -> nn.Module:
    """Freeze every BatchNorm layer: its weights stop learning and its statistics stop changing.

    Call it after `tt.unfreeze`: the convolutions of the unfrozen stages still learn, but each
    BatchNorm keeps the mean and variance it measured on ImageNet. With a few hundred images,
    the statistics of a batch of 32 are too noisy; letting them replace ImageNet's shifts the
    features the head was trained on (Keras's fine-tuning guide gives the same advice).
    `tt.fit` keeps BatchNorm layers whose weights are frozen in eval mode; `tt.fit(..., batchnorm="kept")`
    calls this first.

    >>> tt.unfreeze(model, from_="stage6")
    >>> tt.freezing.freeze_batchnorm(model)
    """
    if not isinstance(model, nn.Module):
        raise TLTeachError(tr("freeze_batchnorm needs a model, got a {kind}.", kind=type(model).__name__))
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.requires_grad_(False)
            module.eval()
    return model
