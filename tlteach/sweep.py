"""The freeze-depth experiment: how many layer groups should stay frozen?

    >>> table = tt.freeze_sweep([(animals_5, animals_val), (xray_100, xray_val)], depths=(0, 3, 5, 7, 8))
    >>> tt.plot_sweep(table)               # rows: task and data size; columns: frozen groups

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
from .models import count_parameters, forward_groups, freeze, group_names, replace_head
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
    base.eval()
    out, x, done = {}, None, 0
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
    model.eval()
    correct = 0
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

    >>> table = tt.freeze_sweep([(tt.small_subset(train, 5), val)], depths=(0, 5, 8))
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


# --------------------------------------------------------------------------- the heatmap
def _grid(table, value: str):
    """(row keys, column depths, matrix of values) from a tidy sweep table."""
    keys, depths = [], []
    for row in table:
        key = (row["task"], row["per_class"])
        if key not in keys:
            keys.append(key)
        if row["frozen_groups"] not in depths:
            depths.append(row["frozen_groups"])
    depths.sort()
    grid = [[float("nan")] * len(depths) for _ in keys]
    for row in table:
        grid[keys.index((row["task"], row["per_class"]))][depths.index(row["frozen_groups"])] = float(row[value])
    return keys, depths, grid


def plot_sweep(table, value: str = "val_acc", title=None, group_labels=True):
    """A heatmap of a freeze sweep: one row per task and data size, one column per number of frozen groups.

    `value="val_acc"` (the best cell of each row is outlined) or `value="seconds"` (on a log scale).

    >>> tt.plot_sweep(table)
    >>> tt.plot_sweep(table, "seconds")
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.patches import Rectangle

    if value not in ("val_acc", "seconds"):
        raise TLTeachError(f"value must be 'val_acc' or 'seconds', got {value!r}.")
    if not len(table):
        raise TLTeachError("The sweep table is empty: run tt.freeze_sweep first.")
    keys, depths, grid = _grid(table, value)
    data = np.array(grid)
    accuracy = value == "val_acc"
    shown = 100 * data if accuracy else data
    up_to = {row["frozen_groups"]: row["frozen_up_to"] for row in table}

    fig, ax = plt.subplots(figsize=(2.0 + 1.45 * len(depths), 1.2 + 1.0 * len(keys)), layout="constrained")
    cmap = "YlGn" if accuracy else "Oranges"
    low, high = np.nanmin(shown), np.nanmax(shown)
    if accuracy:  # a linear scale, starting a little below the worst cell so that it is not white
        norm = Normalize(vmin=low - 0.15 * (high - low + 1e-9), vmax=high)
    else:  # times span 0.1 s to minutes: a log scale shows the steps within every row
        norm = LogNorm(vmin=max(low, 1e-3) / 1.5, vmax=max(high, 2e-3))
    image = ax.imshow(shown, cmap=cmap, norm=norm, aspect="auto")
    for r in range(len(keys)):
        best = np.nanmax(shown[r])
        for c in range(len(depths)):
            v = shown[r, c]
            text = f"{v:.0f} %" if accuracy else f"{v:.1f} s"
            is_best = accuracy and v == best
            dark = norm(max(v, 1e-3) if not accuracy else v) > 0.6
            ax.text(c, r, text, ha="center", va="center", fontsize=15, fontweight="bold" if is_best else "normal",
                    color="white" if dark else "black")
            if is_best:
                ax.add_patch(Rectangle((c - 0.48, r - 0.46), 0.96, 0.92, fill=False, edgecolor="black", lw=3.5))
    ax.set_xticks(range(len(depths)))
    ax.set_xticklabels([(f"{k}\nup to {up_to[k]}" if k else "0\nnothing") if group_labels else str(k)
                        for k in depths], fontsize=12)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([f"{task}\n{n} per class" for task, n in keys], fontsize=13)
    ax.set_xlabel("frozen layer groups, counted from the input", fontsize=14)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    default = ("Validation accuracy (best of each row outlined)" if accuracy
               else "Training time of each run (seconds, colours on a log scale)")
    ax.set_title(title or default, fontsize=16)
    plt.close(fig)  # shown once, as the cell's value
    return fig


# --------------------------------------------------------------------------- the benchmark
def benchmark_sweep_speedup(depths=(3, 5, 7, 8), per_class: int = 10, epochs: int = 3) -> float:
    """How many times faster a freeze sweep runs with caching than with full forward passes (cache=False).

    Same runs, same numbers (checked); only the time differs. DESIGN §7 asks for >= 3x. Caching removes
    the frozen groups' work from every epoch but one; the groups that learn still run forwards and
    backwards every epoch, so sweeps that freeze little gain less (measured on one CPU thread:
    about 1.5x for depths 3, 5, 7, 8 with 3 epochs; 2.3x for depths 7, 8 with 5 epochs).
    """
    from .data import load_dataset, small_subset

    train, val = load_dataset("animals", "train"), load_dataset("animals", "val")
    tasks = [(small_subset(train, per_class), val)]
    base = load_backbone()
    seconds, tables = {}, {}
    for cache in (True, False):
        start = time.perf_counter()
        tables[cache] = freeze_sweep(tasks, depths, epochs=epochs, backbone=base, cache=cache, live=False)
        seconds[cache] = time.perf_counter() - start
    same = all(abs(a - b) < 1e-6 for a, b in zip(tables[True]["val_acc"], tables[False]["val_acc"]))
    if not same:
        raise AssertionError(f"cached and uncached sweeps disagree: {tables[True]['val_acc']} vs "
                             f"{tables[False]['val_acc']}")
    return seconds[False] / seconds[True]
