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
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

from .errors import TLTeachError
from .inference import check_outputs
from .models import forward_groups, frozen_prefix, group_names, layer_groups, set_train_mode
from .table import Table

CACHE_LIMIT_BYTES = 3 * 2**30  # do not cache frozen activations larger than this (memory)


class History:
    """What happened in each epoch: losses, accuracies and wall time.

    >>> history.rows[-1]
    {'epoch': 5, 'train_loss': 0.12, 'train_acc': 1.0, 'val_loss': 1.9, 'val_acc': 0.41, 'seconds': 6.3}
    """

    columns = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds")

    def __init__(self, label: str = ""):
        self.label = label
        self.rows: list = []
        self.stopped = None          # None, "interrupted" or "nan"
        self.cached_groups = 0       # how many frozen groups were computed only once
        self.trainable_parameters = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> list:
        return [row[column] for row in self.rows]

    def final(self) -> dict:
        """The last epoch's row."""
        if not self.rows:
            raise TLTeachError("This history is empty: no epoch finished.")
        return self.rows[-1]

    def best(self, metric: str = "val_acc") -> dict:
        """The row of the epoch with the highest `metric` (lowest for a loss)."""
        rows = [r for r in self.rows if r.get(metric) is not None and not math.isnan(r[metric])]
        if not rows:
            raise TLTeachError(f"No epoch has a {metric!r} value (was a validation set given?).")
        pick = min if metric.endswith("loss") else max
        return pick(rows, key=lambda r: r[metric])

    @property
    def seconds(self) -> float:
        return self.rows[-1]["seconds"] if self.rows else 0.0

    def table(self) -> Table:
        return Table(self.rows, self.columns, title=self.label)

    def plot(self, *others, labels=None):
        """Loss and accuracy curves (train dashed, validation solid); more histories overlay."""
        from .viz import plot_history

        return plot_history(self, *others, labels=labels)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __repr__(self) -> str:
        return str(self.table())


# --------------------------------------------------------------------------- progress display
def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ in ("ZMQInteractiveShell", "Shell")


class _Progress:
    """Live curves + a progress bar in Jupyter, one line per epoch elsewhere, nothing when quiet."""

    def __init__(self, live: bool, total_batches: int, epochs: int, history: History):
        self.live, self.epochs, self.history = live, epochs, history
        self.notebook = live and _in_notebook()
        self.bar = self.figure = self.handle = None
        if self.notebook:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total_batches, desc=f"epoch 1/{epochs}", leave=True)

    def say(self, text: str) -> None:
        if self.live:
            print(text)

    def batch(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def epoch_done(self, row: dict) -> None:
        if not self.live:
            return
        val = "" if row["val_acc"] is None else f", val acc {row['val_acc']:.3f}"
        if not self.notebook:
            print(f"epoch {row['epoch']}/{self.epochs}: train acc {row['train_acc']:.3f}{val} "
                  f"({row['seconds']:.1f} s)")
            return
        self.bar.set_description(f"epoch {min(row['epoch'] + 1, self.epochs)}/{self.epochs}")
        self.bar.set_postfix_str(f"train acc {row['train_acc']:.2f}{val}")
        self._draw()

    def _draw(self) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        from .viz import plot_history

        if self.figure is None:
            self.figure, axes = plt.subplots(1, 2, figsize=(11, 3.6))
            self.axes = tuple(axes)
        plot_history(self.history, axes=self.axes)
        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.figure is not None:
            import matplotlib.pyplot as plt

            plt.close(self.figure)  # already shown above: do not show it a second time


# --------------------------------------------------------------------------- the optimiser
def make_optimizer(model: nn.Module, lr: float, optimizer: str = "adam", lr_groups=None,
                   weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """An optimiser over the trainable parameters only; `lr_groups` gives some groups their own lr.

    >>> make_optimizer(model, 1e-3, lr_groups={"stage7": 1e-4})   # discriminative learning rates
    """
    lr_groups = dict(lr_groups or {})
    groups = layer_groups(model)
    unknown = [name for name in lr_groups if name not in groups]
    if unknown:
        raise TLTeachError(f"lr_groups names {unknown} are not layer groups. Valid names: {', '.join(groups)}.")
    param_groups, assigned = [], set()
    for name, group_lr in lr_groups.items():
        params = [p for p in groups[name].parameters() if p.requires_grad and id(p) not in assigned]
        assigned |= {id(p) for p in params}
        if params:
            param_groups.append({"params": params, "lr": float(group_lr), "name": name})
    rest = [p for p in model.parameters() if p.requires_grad and id(p) not in assigned]
    if rest:
        param_groups.append({"params": rest, "lr": float(lr), "name": "rest"})
    if not param_groups:
        raise TLTeachError("Every parameter is frozen, so there is nothing to train. "
                           "Unfreeze something first, e.g. tt.unfreeze(model, from_='head').")
    kinds = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD}
    if optimizer not in kinds:
        raise TLTeachError(f"optimizer must be one of {', '.join(kinds)}, got {optimizer!r}.")
    extra = {"momentum": 0.9} if optimizer == "sgd" else {}
    return kinds[optimizer](param_groups, lr=float(lr), weight_decay=weight_decay, **extra)


# --------------------------------------------------------------------------- frozen-prefix caching
def cacheable_groups(model: nn.Module, train, freeze_bn: bool = True) -> int:
    """How many leading groups can be computed once: frozen, BatchNorm frozen, no dropout, no augmentation."""
    k = frozen_prefix(model)
    if k == 0 or not freeze_bn or getattr(train, "augment", False):
        return 0
    k = min(k, len(group_names(model)) - 1)  # the head always runs
    prefix = list(layer_groups(model).values())[:k]
    if any(isinstance(m, nn.Dropout) and m.p > 0 for g in prefix for m in g.modules()):
        return 0
    return k


@torch.inference_mode()
def frozen_activations(model: nn.Module, ds, k: int, batch_size: int = 64) -> torch.Tensor:
    """Output of the first k groups for every image of `ds` (model in eval mode)."""
    was_training = model.training
    model.eval()
    try:
        parts = [forward_groups(model, ds.batch(slice(i, i + batch_size)), 0, k)
                 for i in range(0, len(ds), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(parts).clone()  # a normal tensor (not an inference tensor) for autograd


def _activation_bytes(model, ds, k) -> int:
    with torch.inference_mode():
        model_was = model.training
        model.eval()
        one = forward_groups(model, ds.batch(slice(0, 1)), 0, k)
        model.train(model_was)
    return one.numel() * 4 * len(ds)


# --------------------------------------------------------------------------- fit
def _check_fit_args(model, train, val, epochs, lr, batch_size):
    if not hasattr(train, "labels") or not hasattr(train, "batch"):
        raise TLTeachError("train must be a tlteach dataset, e.g. tt.load_dataset('animals', 'train').")
    check_outputs(model, train)
    if val is not None:
        if list(val.classes) != list(train.classes):
            raise TLTeachError("train and val have different classes: make them from the same dataset.")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise TLTeachError(f"epochs must be a whole number >= 0, got {epochs!r}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise TLTeachError(f"batch_size must be a whole number >= 1, got {batch_size!r}.")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0 or math.isinf(lr):
        raise TLTeachError(f"lr (learning rate) must be a positive number such as 1e-3, got {lr!r}.")


def _flip(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    flip = torch.rand(len(x), generator=gen) < 0.5
    x[flip] = x[flip].flip(-1)
    return x


@torch.inference_mode()
def _val_scores(model, val, cached, k, batch_size):
    model.eval()
    out = []
    for i in range(0, len(val), batch_size):
        x = cached[i:i + batch_size] if cached is not None else val.batch(slice(i, i + batch_size))
        out.append(forward_groups(model, x, k))
    scores = torch.cat(out)
    return float(F.cross_entropy(scores, val.labels)), float((scores.argmax(1) == val.labels).float().mean())


def fit(model: nn.Module, train, val=None, epochs: int = 5, lr: float = 1e-3, batch_size: int = 32,
        optimizer: str = "adam", lr_groups=None, seed: int = 0, live: bool = True, cache: bool = True,
        freeze_bn: bool = True, weight_decay: float = 0.0, label: str = "") -> History:
    """Train `model` on `train` for `epochs`, measuring `val` after each epoch.

    Only trainable parameters learn; `lr_groups={"stage7": 1e-4}` gives groups their own
    learning rate. `freeze_bn=False` lets frozen BatchNorm layers update their statistics
    (to see why that hurts). `cache=False` turns frozen-prefix caching off.

    >>> history = tt.fit(model, train, val, epochs=5, lr=1e-3)
    """
    _check_fit_args(model, train, val, epochs, lr, batch_size)
    history = History(label or getattr(train, "name", ""))
    history.trainable_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = make_optimizer(model, lr, optimizer, lr_groups, weight_decay)
    if epochs == 0:
        return history
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    batch_size = min(batch_size, len(train))

    start = time.perf_counter()
    k = cacheable_groups(model, train, freeze_bn) if cache else 0
    if k and _activation_bytes(model, train, k) > CACHE_LIMIT_BYTES:
        k = 0
    names = group_names(model)
    n_batches = math.ceil(len(train) / batch_size)
    progress = _Progress(live, epochs * n_batches, epochs, history)
    cached_train = cached_val = None
    was_training = model.training
    saved = copy.deepcopy(model.state_dict())
    try:
        if k:
            cached_train = frozen_activations(model, train, k)
            cached_val = frozen_activations(model, val, k) if val is not None else None
            history.cached_groups = k
            first = names[0] if k == 1 else f"{names[0]}…{names[k - 1]}"
            rest = names[k] if k == len(names) - 1 else f"{names[k]}…{names[-1]}"
            progress.say(f"{first} frozen: computed once and cached; each epoch trains only {rest}.")
        for epoch in range(1, epochs + 1):
            set_train_mode(model, freeze_bn)
            order = torch.randperm(len(train), generator=gen)
            seen = correct = 0
            total_loss = 0.0
            for i in range(0, len(train), batch_size):
                index = order[i:i + batch_size]
                x = cached_train[index] if k else train.batch(index)
                if not k and getattr(train, "augment", False):
                    x = _flip(x, gen)
                y = train.labels[index]
                scores = forward_groups(model, x, k)
                loss = F.cross_entropy(scores, y)
                if not torch.isfinite(loss):
                    model.load_state_dict(saved)
                    history.stopped = "nan"
                    raise TLTeachError(
                        f"The loss became {float(loss)} in epoch {epoch}: the learning rate lr={lr} is too high. "
                        f"Try lr={lr / 10:g}. The model was put back to its weights before epoch {epoch}.")
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                seen += len(y)
                total_loss += loss.item() * len(y)
                correct += int((scores.argmax(1) == y).sum())
                progress.batch()
            val_loss, val_acc = _val_scores(model, val, cached_val, k, batch_size * 2) if val is not None \
                else (None, None)
            history.rows.append({"epoch": epoch, "train_loss": total_loss / seen, "train_acc": correct / seen,
                                 "val_loss": val_loss, "val_acc": val_acc,
                                 "seconds": time.perf_counter() - start})
            saved = copy.deepcopy(model.state_dict())
            progress.epoch_done(history.rows[-1])
    except KeyboardInterrupt:
        model.load_state_dict(saved)
        history.stopped = "interrupted"
        print(f"Stopped during epoch {len(history.rows) + 1}: the history so far is returned and the model "
              f"keeps its weights from the end of epoch {len(history.rows)}.")
    except TLTeachError as err:
        err.history = history
        raise
    finally:
        progress.close()
        model.train(was_training)
        if not was_training:
            model.eval()
    return history
