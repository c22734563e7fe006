"""The freeze-depth experiment: how many layer groups should stay frozen?

    >>> table = tt.sweep.freeze_sweep([(animals_5, animals_val), (xray_100, xray_val)], depths=(0, 3, 5, 7, 8))
    >>> tt.viz.plot_sweep(table)               # rows: task and data size; columns: frozen groups

Every run starts from the same pretrained weights, gets a new random head, freezes the first
k layer groups and trains with the same recipe; then it is measured on the validation images.
The table has one row per run (a "tidy" table), so you can sort, filter or plot it as you like.

Why it is fast: frozen groups never change, so `tt.fit` computes their output once and caches
it (see train.py), and the validation images go through the frozen groups once per depth,
not once per run.
"""
from __future__ import annotations

import copy
import time

import torch
from torch import nn

from .backbones import load_backbone
from .errors import TLTeachError
from .freezing import eval_mode, freeze
from .models import count_parameters, forward_groups, group_names, replace_head
from .table import Table
from .train import fit

COLUMNS = ("task", "per_class", "train_images", "frozen_groups", "frozen_up_to", "trainable_parameters",
           "val_acc", "seconds")


# --------------------------------------------------------------------------- the experiment
def _task_label(train) -> tuple:
    """("animals", 5) from a dataset named "animals, 5 per class" with 5 images of every class."""
    return train.name.split(",")[0] or "task", min(train.counts().values())


def _check_tasks(tasks) -> list:
    """[(task name, train, val), ...] from a list of (train, val) pairs or a dict name -> (train, val)."""
    items = list(tasks.items()) if isinstance(tasks, dict) else [(None, pair) for pair in tasks]
    if not items:
        raise TLTeachError("freeze_sweep needs at least one (train, val) pair.")
    out = []
    for name, pair in items:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(hasattr(d, "labels") for d in pair)):
            raise TLTeachError("Each task must be a pair of tlteach datasets (train, val), "
                               f"e.g. (tt.small_subset(train, 5), val); got {type(pair).__name__}.")
        train, val = pair
        if list(train.classes) != list(val.classes):
            raise TLTeachError(f"train and val of task {name or train.name!r} have different classes: "
                               "make them from the same dataset.")
        out.append((name or _task_label(train)[0], train, val))
    return out


def _check_depths(depths, names) -> list:
    depths = [depths] if isinstance(depths, int) else list(depths)
    last = len(names) - 1  # the head always trains
    bad = [k for k in depths if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= last]
    if bad or not depths:
        raise TLTeachError(f"depths must be numbers of frozen groups between 0 (nothing frozen) and {last} "
                           f"(everything but the head: {', '.join(names[:last])}); got {bad or depths}.")
    return sorted(set(depths))


@torch.inference_mode()
def _frozen_outputs(base: nn.Module, val, depths, batch_size: int = 64) -> dict:
    """{k: output of the first k pretrained groups for every validation image}, computed in one pass.

    The first k groups are frozen in the run with depth k, so they still hold the pretrained
    weights: their output is the same in every run and is computed once here.
    """
    out, x, done = {}, None, 0
    with eval_mode(base):
        for k in depths:
            if k == 0:
                out[0] = None  # depth 0: the runs start from the images themselves
                continue
            parts = []
            for i in range(0, len(val), batch_size):
                start = val.batch(slice(i, i + batch_size)) if x is None else x[i:i + batch_size]
                parts.append(forward_groups(base, start, done, k))
            x, done = torch.cat(parts), k
            out[k] = x
    return out


@torch.inference_mode()
def _accuracy(model: nn.Module, val, k: int, frozen_output, batch_size: int = 64) -> float:
    """Validation accuracy, starting after the k frozen groups (from their cached output when given)."""
    correct = 0
    with eval_mode(model):
        for i in range(0, len(val), batch_size):
            x = val.batch(slice(i, i + batch_size)) if frozen_output is None else frozen_output[i:i + batch_size]
            correct += int((forward_groups(model, x, k if frozen_output is not None else 0).argmax(1)
                            == val.labels[i:i + batch_size]).sum())
    return correct / len(val)


def freeze_sweep(tasks, depths=(0, 3, 5, 7, 8), epochs: int = 3, lr: float = 1e-3, head_lr=None,
                 batch_size: int = 16, backbone="efficientnet_lite0", seed: int = 0, cache: bool = True,
                 live: bool = True) -> Table:
    """Train one model per (task, number of frozen groups) and measure validation accuracy and time.

    `tasks`: a list of (train, val) dataset pairs, or a dict {name: (train, val)}.
    `depths`: how many layer groups to freeze, counted from the input (0 = fine-tune everything,
    8 = everything but the head of EfficientNet-Lite0). Every run uses the same recipe
    (`epochs`, `lr`, `batch_size`, `seed`); `head_lr` gives the new head its own learning rate.
    `backbone`: a name for `tt.load_backbone` or a model whose weights each run starts from.
    `cache=False` turns all caching off (every epoch runs every layer) to see what caching saves.
    Columns: task, per_class, train_images, frozen_groups, frozen_up_to, trainable_parameters,
    val_acc (after the last epoch) and seconds (the training time of the run, `tt.fit`).

    >>> table = tt.sweep.freeze_sweep([(tt.small_subset(train, 5), val)], depths=(0, 5, 8))
    >>> table["val_acc"]
    """
    tasks = _check_tasks(tasks)
    base = load_backbone(backbone) if isinstance(backbone, str) else backbone
    names = group_names(base)
    depths = _check_depths(depths, names)
    runs = [(task, k) for task in tasks for k in depths]
    bar = None
    if live:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(runs), desc="freeze sweep", unit="run")
    rows, frozen_val = [], {}
    try:
        for (name, train, val), k in runs:
            if cache and id(val) not in frozen_val:  # validation images through the frozen groups, once
                frozen_val[id(val)] = _frozen_outputs(base, val, depths)
            model = copy.deepcopy(base)
            replace_head(model, train.classes, seed=seed)
            freeze(model, up_to=k)
            lr_groups = {names[-1]: head_lr} if head_lr else None
            start = time.perf_counter()
            fit(model, train, None, epochs=epochs, lr=lr, batch_size=batch_size, lr_groups=lr_groups, seed=seed,
                live=False, cache=cache)
            seconds = time.perf_counter() - start
            acc = _accuracy(model, val, k, frozen_val[id(val)][k] if cache else None)
            per_class = min(train.counts().values())
            rows.append({"task": name, "per_class": per_class, "train_images": len(train), "frozen_groups": k,
                         "frozen_up_to": names[k - 1] if k else "nothing",
                         "trainable_parameters": count_parameters(model, trainable_only=True),
                         "val_acc": acc, "seconds": seconds})
            if bar is not None:
                bar.set_postfix_str(f"{name}, {per_class}/class, {k} frozen: {100 * acc:.0f} %")
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return Table(rows, COLUMNS, title=f"Freeze sweep: {epochs} epochs, lr {lr:g}, seed {seed}")


def best_depths(table) -> dict:
    """{(task, per_class): number of frozen groups with the best validation accuracy} (ties: the most frozen)."""
    best = {}
    for row in table:
        key = (row["task"], row["per_class"])
        if key not in best or row["val_acc"] >= best[key]["val_acc"]:
            best[key] = row
    return {key: row["frozen_groups"] for key, row in best.items()}
