"""Training: `fit` a model, get a `History` of every epoch.

    >>> history = tt.fit(model, train, val, epochs=5, lr=1e-3)
    >>> history.best()["val_acc"]
    0.93
    >>> history.plot()

What fit does for you, and you can read below:
- only trainable parameters go to the optimiser (frozen ones are skipped);
- frozen BatchNorm layers stay in eval mode (their statistics do not drift);
- frozen first groups are computed once and cached (their output cannot change),
  so each epoch only runs the layers that learn — same numbers, less time;
- a live plot and a progress bar in Jupyter; plain lines elsewhere;
- the Stop button (KeyboardInterrupt) ends training cleanly: you keep the history,
  and the model keeps the weights of the last finished epoch.
"""
from __future__ import annotations

import copy
import math
import time
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import TLTeachError, TrainingDiverged
from ..i18n import tr
from ..models.freezing import (CACHE_LIMIT_BYTES, activation_bytes, cacheable_groups, check_batchnorm, freeze_batchnorm,
                               frozen_activations, set_mode)
from .inference import accuracy, check_outputs, dataset_scores
from ..models.groups import count_parameters, forward_groups, group_names
from .optimizer import make_optimizer
from .progress import Progress
from ..table import Table
from ..validate import is_dataset, positive_number, whole_number
from .progress import curves


INTERRUPTED = "interrupted"  # History.stopped: the Stop button ended tt.fit (the epochs that finished are kept)
DIVERGED = "nan"             # History.stopped: the loss became inf or nan


class History:
    """What happened in each epoch: losses, accuracies and wall time. Lesson 01.

    `train_acc` and `train_loss` are measured *during* the epoch, on each batch just before the
    weights change (a running average); `val_acc` and `val_loss` after the epoch, in eval mode.
    So early on, `train_acc` can be lower than `val_acc`.

    >>> history.rows[-1]
    {'epoch': 5, 'train_loss': 0.12, 'train_acc': 1.0, 'val_loss': 1.9, 'val_acc': 0.41, 'seconds': 6.3}
    """

    columns = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds")

    def __init__(self, label: str = ""):
        self.label = label
        self.rows: list = []
        self.stopped = None          # None, INTERRUPTED or DIVERGED
        self.cached_groups = 0       # how many frozen groups were computed only once
        self.trainable_parameters = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> list:
        return [row[column] for row in self.rows]

    def final(self) -> dict:
        """The last epoch's row."""
        if not self.rows:
            raise TLTeachError(tr("This history is empty: no epoch finished."))
        return self.rows[-1]

    def best(self, metric: str = "val_acc") -> dict:
        """The row of the epoch with the highest `metric` (lowest for a loss)."""
        rows = [r for r in self.rows if r.get(metric) is not None and not math.isnan(r[metric])]
        if not rows:
            raise TLTeachError(tr("No epoch has a {metric!r} value (was a validation set given?).", metric=metric))
        pick = min if metric.endswith("loss") else max
        return pick(rows, key=lambda r: r[metric])

    @property
    def seconds(self) -> float:
        return self.rows[-1]["seconds"] if self.rows else 0.0

    def table(self) -> Table:
        return Table(self.rows, self.columns, title=self.label)

    def then(self, later: "History", label=None) -> "History":
        """One History: these epochs, then those of `later` (numbered and timed after these).

        For a recipe in steps (the head alone, then fine-tuning; or the settle epochs at a lower lr):
        >>> history = head_history.then(finetune_history)
        >>> len(history)        # 100 head epochs + 5 fine-tuning epochs
        105
        """
        if not isinstance(getattr(later, "rows", None), list):
            raise TLTeachError(tr(
                "History.then needs another History (from tt.fit or tt.fit_head), got a {kind}.",
                kind=type(later).__name__))
        joined = History(label if label is not None else (later.label or self.label))
        epochs, seconds = (self.rows[-1]["epoch"], self.rows[-1]["seconds"]) if self.rows else (0, 0.0)
        joined.rows = [dict(row) for row in self.rows] + [
            {**row, "epoch": row["epoch"] + epochs, "seconds": row["seconds"] + seconds} for row in later.rows]
        joined.stopped = later.stopped or self.stopped
        joined.cached_groups = later.cached_groups
        joined.trainable_parameters = later.trainable_parameters
        return joined

    def plot(self, *others, labels=None):
        """Loss and accuracy curves (train dashed, validation solid); more histories overlay."""

        draw = curves()
        if draw is None:
            raise TLTeachError(tr("No figures to draw with: import tlteach (it brings its figures)."))
        return draw(self, *others, labels=labels)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __repr__(self) -> str:
        return str(self.table())


# --------------------------------------------------------------------------- fit
def fit(model: nn.Module, train, val=None, epochs: int = 5, lr: float = 1e-3, batch_size: Optional[int] = 32,
        optimizer: str = "adam", body_lr=None, seed: int = 0, live: bool = True, cache: bool = True,
        batchnorm: str = "relearnt", weight_decay: float = 0.0, label: str = "") -> History:
    """Train `model` on `train` for `epochs`, measuring `val` after each epoch. Lesson 01.

    Only trainable parameters learn; `body_lr=1e-4` gives the body (every layer group but the head) its own
    learning rate. `batchnorm` says what BatchNorm layers do (`tt.freezing.BATCHNORM`): "relearnt" (frozen
    groups keep their statistics, learning groups relearn theirs), "kept" (every BatchNorm keeps its weights and
    statistics) or "drift" (frozen BatchNorm layers update their statistics too: lesson 04 shows why that hurts).
    `cache=False` turns frozen-prefix caching off. `batch_size=None`: every
    image in one batch.

    >>> history = tt.fit(model, train, val, epochs=5, lr=1e-3)
    """
    _check_fit_args(model, train, val, epochs, lr, batch_size)
    if check_batchnorm(batchnorm) == "kept":
        freeze_batchnorm(model)
    history = History(label or getattr(train, "name", ""))
    history.trainable_parameters = count_parameters(model, trainable_only=True)
    opt = make_optimizer(model, lr, optimizer, body_lr, weight_decay)
    if epochs == 0:
        return history
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    batch_size = len(train) if batch_size is None else min(batch_size, len(train))
    k = _groups_to_cache(model, train, cache, batchnorm)
    progress = Progress(live, epochs * math.ceil(len(train) / batch_size), epochs, history)
    was_training, saved, start = model.training, copy.deepcopy(model.state_dict()), time.perf_counter()
    try:
        x_train, x_val = _cached_inputs(model, train, val, k, history, progress)
        for epoch in range(1, epochs + 1):
            set_mode(model, True, batchnorm)
            train_loss, train_acc = _train_one_epoch(model, opt, train, x_train, k, batch_size, gen, progress)
            val_loss, val_acc = _measure(model, val, x_val, k, 2 * batch_size) if val is not None else (None, None)
            history.rows.append({"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc, "val_loss": val_loss,
                                 "val_acc": val_acc, "seconds": time.perf_counter() - start})
            saved = copy.deepcopy(model.state_dict())
            progress.epoch_done(history.rows[-1])
    except KeyboardInterrupt:  # the Stop button: keep what finished
        model.load_state_dict(saved)
        history.stopped = INTERRUPTED
        print(tr("Stopped during epoch {epoch}: the history so far is returned and the model keeps its weights "
                 "from the end of epoch {last}.", epoch=len(history) + 1, last=len(history)))
    except FloatingPointError as err:  # the loss became inf or nan
        model.load_state_dict(saved)
        history.stopped = DIVERGED
        epoch = len(history) + 1
        error = TrainingDiverged(tr(
            "The loss became {loss} in epoch {epoch}: the learning rate lr={lr} is too high. Try lr={smaller:g}. The "
            "model was put back to its weights before epoch {epoch}.",
            loss=err, epoch=epoch, lr=lr, smaller=lr / 10), history=history)
        raise error from None
    finally:
        progress.close()
        set_mode(model, was_training)  # frozen BatchNorm stays in eval mode, whatever mode the model came in
    return history


def _train_one_epoch(model, opt, train, x_train, k, batch_size, gen, progress) -> tuple:
    """One pass over the training images in random order; (mean loss, accuracy during the epoch)."""
    order = torch.randperm(len(train), generator=gen)
    seen = correct = 0
    total_loss = 0.0
    for i in range(0, len(train), batch_size):
        index = order[i:i + batch_size]
        x = x_train[index] if x_train is not None else train.batch(index)
        if x_train is None and getattr(train, "augment", False):
            x = _flip(x, gen)
        y = train.labels[index]
        scores = forward_groups(model, x, k)
        loss = F.cross_entropy(scores, y)
        if not torch.isfinite(loss):
            raise FloatingPointError(float(loss.detach()))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        seen += len(y)
        total_loss += loss.item() * len(y)
        correct += int((scores.argmax(1) == y).sum())
        progress.batch()
    return total_loss / seen, correct / seen


def _measure(model, ds, x_cached, k, batch_size) -> tuple:
    """(mean loss, accuracy) on `ds` in eval mode, from the cached frozen output when given."""
    scores = dataset_scores(model, ds, k, x_cached, batch_size)
    return float(F.cross_entropy(scores, ds.labels)), accuracy(scores, ds.labels)


def fit_settled(model: nn.Module, train, val=None, epochs: int = 20, lr: float = 1e-3, batch_size: int = 16,
                settle_epochs: int = 4, seed: int = 0, live: bool = False, label: str = "",
                weight_decay: float = 0.0) -> History:
    """`tt.fit` for `epochs - settle_epochs` epochs at `lr`, then `settle_epochs` more at `lr / 10`.

    Returns one History with all the epochs (their "seconds" count from the start).
    With live=True each phase shows its own progress bar and curves.

    >>> history = tt.train.fit_settled(tt.SmallCNN(10), few, val, epochs=20)
    """
    whole_number(settle_epochs, "settle_epochs", minimum=0, maximum=epochs)
    first = fit(model, train, val, epochs=epochs - settle_epochs, lr=lr, batch_size=batch_size, seed=seed,
                live=live, label=label, weight_decay=weight_decay)
    if not settle_epochs or first.stopped:
        return first
    second = fit(model, train, val, epochs=settle_epochs, lr=lr / 10, batch_size=batch_size, seed=seed + 1,
                 live=live, label=label, weight_decay=weight_decay)
    joined = first.then(second, label=first.label)
    joined.cached_groups, joined.trainable_parameters = first.cached_groups, first.trainable_parameters
    return joined


# --------------------------------------------------------------------------- helpers
def _groups_to_cache(model, train, cache, batchnorm) -> int:
    k = cacheable_groups(model, train, batchnorm) if cache else 0
    return 0 if k and activation_bytes(model, train, k) > CACHE_LIMIT_BYTES else k


def _cached_inputs(model, train, val, k, history, progress) -> tuple:
    """The output of the first k (frozen) groups for the training and validation images, or (None, None)."""
    if not k:
        return None, None
    names = group_names(model)
    history.cached_groups = k
    first = names[0] if k == 1 else f"{names[0]}…{names[k - 1]}"
    rest = names[k] if k == len(names) - 1 else f"{names[k]}…{names[-1]}"
    progress.say(tr("{first} frozen: computed once and cached; each epoch trains only {rest}.", first=first,
                    rest=tr(rest)))
    return frozen_activations(model, train, k), frozen_activations(model, val, k) if val is not None else None


def _check_fit_args(model, train, val, epochs, lr, batch_size):
    if not is_dataset(train):
        raise TLTeachError(tr("train must be a tlteach dataset, e.g. tt.load_dataset('animals', 'train')."))
    check_outputs(model, train)
    if val is not None and list(val.classes) != list(train.classes):
        raise TLTeachError(tr("train and val have different classes: make them from the same dataset."))
    whole_number(epochs, "epochs", minimum=0)
    if batch_size is not None:  # None: every image in one batch
        whole_number(batch_size, "batch_size", minimum=1)
    positive_number(lr, "lr (learning rate)", example="1e-3")


def _flip(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    flip = torch.rand(len(x), generator=gen) < 0.5
    x[flip] = x[flip].flip(-1)
    return x
