"""Experiment results: the confusion matrix, strategies side by side, the freeze sweep's map, the data-size curve, and lesson 06's overview."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import N_, class_names, dataset_name, number, tr
from .style import FONT, TITLE_FONT, _check_dataset, _class_colors, _done, _figure, _short_number, _style


# ----------------------------------------------------------------------------- results
def plot_confusion(model: nn.Module, ds, title=None):
    """Confusion matrix: rows are the true classes, columns what the model predicted. Lesson 05.

    >>> tt.plot_confusion(model, val)      # the diagonal is right; off-diagonal cells are mistakes
    """
    from ..training.inference import evaluate

    _check_dataset(ds, "plot_confusion")
    result = evaluate(model, ds)
    k = len(ds.classes)
    counts = torch.bincount(ds.labels * k + result["predictions"], minlength=k * k).view(k, k).numpy()
    side = max(5.5, 0.75 * k + 3)
    fig, axes = _figure(1, 1, size=(side + 0.8, side))
    ax = axes[0, 0]
    ax.imshow(counts, cmap="Blues", vmin=0)
    ticks = np.arange(k)
    ax.set_xticks(ticks, class_names(ds.classes), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(ticks, class_names(ds.classes))
    ax.set_xlabel(tr("predicted class"))
    ax.set_ylabel(tr("true class"))
    top = counts.max() if counts.max() > 0 else 1
    cell_font = FONT if k <= 12 else FONT - 3
    for i in range(k):
        for j in range(k):
            if counts[i, j] or i == j:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=cell_font,
                        color="white" if counts[i, j] > top / 2 else "black")
    _style(ax)
    correct = int(np.trace(counts))
    ax.set_title(title or tr("Accuracy {accuracy} % ({correct} of {total} right)", accuracy=f"{100 * result['accuracy']:.1f}",
                             correct=correct, total=len(ds)), fontsize=TITLE_FONT)
    return _done(fig)


def plot_strategies(results, title=None):
    """Validation accuracy, wall time and trainable parameters of each strategy. Lesson 05.

    One bar per strategy at the mean of its runs, each run a black dot, the line across the
    bar ± one standard deviation: a difference between two bars is only worth reading when it
    is larger than the scatter of the dots.

    >>> tt.viz.plot_strategies(results)      # results from tt.experiments.compare_strategies
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

    try:
        rows = list(results)
        names = list(dict.fromkeys(r["strategy"] for r in rows))
        runs = {n: [r for r in rows if r["strategy"] == n] for n in names}
    except (TLTeachError, KeyError, TypeError):
        raise TLTeachError(tr("plot_strategies needs the table from tt.experiments.compare_strategies.")) from None
    if not names:
        raise TLTeachError(tr("The comparison is empty: run tt.experiments.compare_strategies first."))
    colors = _class_colors(len(names))
    fig, grid = _figure(1, 3, size=(15, 1.9 + 0.95 * len(names)), sharey=True)
    axes = grid[0]
    y = np.arange(len(names))[::-1]  # the first strategy on top
    panels = [("val_acc", tr("validation accuracy"), lambda m, s, n: f"{100 * m:.1f} ± {100 * s:.1f} %"),
              ("seconds", tr("wall time (seconds)"), lambda m, s, n: tr("{t} s", t=f"{m:.1f}")),
              ("trainable_parameters", tr("trainable parameters"), lambda m, s, n: number(m))]
    for ax, (key, label, fmt) in zip(axes, panels):
        values = {n: np.array([float(r[key]) for r in runs[n]]) for n in names}
        means = np.array([v.mean() for v in values.values()])
        sds = np.array([v.std(ddof=1) if len(v) > 1 else 0.0 for v in values.values()])
        ax.barh(y, means, color=colors, height=0.62, alpha=0.55 if key == "val_acc" else 0.9)
        top = max(float(max(v.max() for v in values.values())), 1e-9)
        if key == "val_acc":
            ax.errorbar(means, y, xerr=sds, fmt="none", ecolor="black", elinewidth=2, capsize=7)
            for yy, v in zip(y, values.values()):
                jitter = np.linspace(-0.18, 0.18, len(v)) if len(v) > 1 else np.zeros(1)
                ax.scatter(v, yy + jitter, color="black", s=36, zorder=3)
        for yy, m, s, v in zip(y, means, sds, values.values()):
            ax.text(max(m + s, v.max()) + 0.03 * top, yy, fmt(m, s, len(v)), va="center", fontsize=FONT + 1)
        ax.set_xlim(0, 1.45 * top)
        ax.set_title(label, fontsize=TITLE_FONT - 1)
        _style(ax)
        ax.grid(True, axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_xlim(0, 1.3)
    axes[0].xaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes[2].xaxis.set_major_formatter(FuncFormatter(_short_number))
    axes[2].xaxis.set_major_locator(MaxNLocator(nbins=3))  # "25 тыс." is wider than "25 k": fewer ticks, no overlap
    axes[0].set_yticks(y, [tr(n) for n in names], fontsize=FONT + 1)
    n_runs = max(len(v) for v in runs.values())
    fig.suptitle(title or tr("Which strategy wins, and what does it cost? ({n} runs each: dots)", n=n_runs),
                 fontsize=TITLE_FONT)
    return _done(fig)


def _grid(table, value: str, body_lr=None):
    """(row keys, column depths, {(row key, depth): [value of each run]}) from a tidy sweep table.

    With `body_lr`, only the runs with that body learning rate (a table may hold several).
    """
    keys, depths, runs = [], [], {}
    for row in table:
        if body_lr is not None and row.get("body_lr", body_lr) != body_lr:
            continue
        key = (row["task"], row["per_class"])
        if key not in keys:
            keys.append(key)
        if row["frozen_groups"] not in depths:
            depths.append(row["frozen_groups"])
        runs.setdefault((key, row["frozen_groups"]), []).append(float(row[value]))
    depths.sort()
    return keys, depths, runs


def plot_sweep(table, value: str = "pick_acc", body_lr=None, title=None, group_labels=True):
    """A heatmap of a freeze sweep: one row per task and data size, one column per number of frozen groups.

    Each cell: the mean ± sd over the runs (seeds) of `value`: "pick_acc" (accuracy on the
    half of the validation images the depth is picked on), "report_acc" (the other half) or
    "seconds" (colours on a log scale). The best cell of a row is outlined only when it beats
    every other cell of the row beyond noise (`tt.repeats.compare`); otherwise the row says
    "tie" and the cells within noise of the best get a dashed outline. `body_lr`: which body
    learning rate to show when the table holds several (default: the most common one).

    >>> tt.viz.plot_sweep(table)
    >>> tt.viz.plot_sweep(table, "seconds")
    """
    from matplotlib.colors import LogNorm, Normalize
    from matplotlib.patches import Rectangle

    from ..experiments.repeats import WITHIN_NOISE, compare, mean_sd

    values = ("pick_acc", "report_acc", "seconds")
    if value not in values:
        raise TLTeachError(tr(
            "value must be one of {values}, got {value!r}.",
            values=", ".join(map(repr, values)), value=value))
    if not len(table):
        raise TLTeachError(tr("The sweep table is empty: run tt.sweep.freeze_sweep first."))
    if body_lr is None and "body_lr" in table.columns:
        lrs = [row["body_lr"] for row in table]
        body_lr = max(dict.fromkeys(lrs), key=lrs.count)
    keys, depths, runs = _grid(table, value, body_lr)
    accuracy = value != "seconds"
    scale = 100 if accuracy else 1
    mean = np.array([[scale * mean_sd(runs[key, k])[0] if (key, k) in runs else np.nan for k in depths]
                     for key in keys])
    counts = sorted({len(v) for v in runs.values()})
    n_text = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    up_to = {row["frozen_groups"]: row["frozen_up_to"] for row in table}

    fig, axes = _figure(1, 1, size=(3.0 + 1.45 * len(depths), 1.6 + 1.0 * len(keys)))
    ax = axes[0, 0]
    cmap = "YlGn" if accuracy else "Oranges"
    low, high = np.nanmin(mean), np.nanmax(mean)
    if accuracy:  # a linear scale, starting a little below the worst cell so that it is not white
        norm = Normalize(vmin=low - 0.15 * (high - low + 1e-9), vmax=high)
    else:  # times span 0.1 s to minutes: a log scale shows the steps within every row
        norm = LogNorm(vmin=max(low, 1e-3) / 1.5, vmax=max(high, 2e-3))
    ax.imshow(mean, cmap=cmap, norm=norm, aspect="auto")
    ties = []
    for r, key in enumerate(keys):
        row = {k: runs[key, k] for k in depths if (key, k) in runs}
        best = max(row, key=lambda k: (mean_sd(row[k])[0], k)) if accuracy else None
        tied = [k for k in row if k == best or compare(row[best], row[k]) == WITHIN_NOISE] if accuracy else []
        for c, k in enumerate(depths):
            if k not in row:
                continue
            m, sd = (scale * x for x in mean_sd(row[k]))
            text = f"{m:.0f} ± {sd:.0f}" if accuracy else tr("{t} s", t=f"{m:.1f}" if m < 10 else f"{m:.0f}")
            dark = norm(max(m, 1e-3)) > 0.6
            winner = accuracy and tied == [k]
            ax.text(c, r, text, ha="center", va="center", fontsize=FONT + 2,
                    fontweight="bold" if winner else "normal", color="white" if dark else "black")
            if winner:
                ax.add_patch(Rectangle((c - 0.48, r - 0.46), 0.96, 0.92, fill=False, edgecolor="black", lw=3.5))
            elif k in tied and len(tied) < len(row):  # a tie of some cells: dashed outlines on them
                ax.add_patch(Rectangle((c - 0.46, r - 0.44), 0.92, 0.88, fill=False, edgecolor="black", lw=1.5,
                                       linestyle=(0, (4, 3))))
        ties.append("" if len(tied) < 2 else tr("tie:\nall") if len(tied) == len(row)
                    else tr("tie:\n{depths}", depths=", ".join(map(str, sorted(tied)))))
    if any(ties):  # said in words at the right end of each row
        right = ax.secondary_yaxis("right")
        right.set_yticks(range(len(keys)), labels=ties, fontsize=FONT)
        right.tick_params(length=0)
        right.spines["right"].set_visible(False)
    ax.set_xticks(range(len(depths)))
    ax.set_xticklabels([(tr("{k}\nup to {group}", k=k, group=up_to[k]) if k else tr("0\nnothing"))
                        if group_labels else str(k) for k in depths], fontsize=FONT - 1)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([f"{dataset_name(task)}\n" + tr("{n} per class", n=n) for task, n in keys], fontsize=FONT)
    ax.set_xlabel(tr("frozen layer groups, counted from the input"), fontsize=FONT + 1)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    default = {"pick_acc": tr("Accuracy on the pick half (%): mean ± sd of {n} runs\n"
                              "best outlined only when it wins beyond noise", n=n_text),
               "report_acc": tr("Accuracy on the report half (%): mean ± sd of {n} runs\n"
                                "best outlined only when it wins beyond noise", n=n_text),
               "seconds": tr("Time of each run (seconds, mean of {n} runs; colours on a log scale)", n=n_text)}
    ax.set_title(title or default[value], fontsize=TITLE_FONT)
    return _done(fig)


def plot_data_curve(table, title: str = N_("Validation accuracy vs images per class")):
    """Training and validation accuracy against images per class; the shaded gap is overfitting.

    One line per set through the mean of the runs at each size, with error bars (± 1 sd) and every
    run as a dot: a rise counts when it is larger than the scatter of the dots.

    >>> tt.viz.plot_data_curve(table)      # the Table from tt.datasize.data_size_experiment
    """
    from matplotlib.ticker import PercentFormatter

    try:
        runs_x = np.array(table["per_class"], dtype=float)
        runs_val = np.array(table["val_acc"], dtype=float)
        runs_train = np.array(table["train_acc"], dtype=float)
    except (TLTeachError, KeyError, TypeError):
        raise TLTeachError(tr(
            "plot_data_curve needs the Table from tt.data_size_experiment "
            "(columns per_class, train_acc, val_acc).")) from None
    if len(runs_x) == 0:
        raise TLTeachError(tr("The table is empty: run tt.data_size_experiment first."))
    x = np.unique(runs_x)

    def stats(values):
        groups = [values[runs_x == xi] for xi in x]
        return (np.array([g.mean() for g in groups]),
                np.array([g.std(ddof=1) if len(g) > 1 else 0.0 for g in groups]))

    val_acc, val_sd = stats(runs_val)
    train_acc, train_sd = stats(runs_train)
    n_runs = sorted({int((runs_x == xi).sum()) for xi in x})
    span = x[-1] - x[0] + 1
    fig, axes = _figure(1, 1, size=(12, 5.8))
    ax = axes[0, 0]
    ax.fill_between(x, val_acc, train_acc, color="#d62728", alpha=0.12, label=tr("gap = overfitting"))
    for values, means, sds, colour, style, label, shift in (
            (runs_train, train_acc, train_sd, "#ff7f0e", "--", N_("training images"), -0.012),
            (runs_val, val_acc, val_sd, "#1f77b4", "-", N_("validation images (new)"), 0.012)):
        ax.plot(x, means, style, color=colour, lw=2.5, label=tr(label) + " " + tr("(mean ± sd)"))
        ax.errorbar(x, means, yerr=sds, fmt="o", color=colour, ms=8, elinewidth=2, capsize=6, zorder=3)
        jitter = np.zeros(len(values))
        for xi in x:
            where = np.flatnonzero(runs_x == xi)
            jitter[where] = np.linspace(-0.015, 0.015, len(where)) * span if len(where) > 1 else 0.0
        ax.scatter(runs_x + jitter + shift * span, values, s=22, color=colour, edgecolor="white", lw=0.5,
                   alpha=0.85, zorder=4)
    ax.scatter([], [], s=22, color="gray", label=tr("one run = one dot ({n} per size)",
                                                    n="/".join(str(v) for v in n_runs)))
    for xi, v, sd in zip(x, val_acc, val_sd):
        ax.annotate(f"{100 * v:.0f} %", (xi, v - sd), textcoords="offset points", xytext=(0, -22), ha="center",
                    fontsize=FONT + 1, color="#1f77b4", fontweight="bold")
    chance = getattr(table, "chance", None)
    if chance:
        ax.axhline(chance, color="gray", ls=":", lw=2)
        ax.text(x[-1], chance + 0.02, f"{tr('guessing')}: {100 * chance:.0f} %", ha="right", va="bottom",
                fontsize=FONT, color="gray")
    ax.set_xticks(x, [str(int(v)) for v in x])
    ax.set_xlim(x[0] - 0.08 * span, x[-1] + 0.08 * span)
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel(tr("training images per class"))
    ax.set_ylabel(tr("accuracy"))
    ax.set_title(tr(title), fontsize=TITLE_FONT)
    ax.legend(fontsize=FONT, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)  # below: the plot keeps its width
    _style(ax, grid=True)
    return _done(fig)


BEYOND_ROWS = (
    (N_("pictures"), N_("1.2 million photos,\n1000 classes (ImageNet)"), N_("new head:\nour 10 animals")),
    (N_("language"), N_("billions of words\n(a language model)"), N_("new head:\npositive or negative review?")),
    (N_("other languages"), N_("text in a hundred languages,\nlabels in English only"), N_("the same task in a\nlanguage with few labels")),
    (N_("speech"), N_("thousands of hours\nof recorded speech"), N_("commands, or a\nrare language's speech")),
)


def plot_beyond(title=None):
    """Transfer learning beyond images: pretrain on big data, then reuse for a task with little data. Lesson 06."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, grid = _figure(1, 1, size=(14, 6.6))
    ax = grid[0, 0]
    ax.set_xlim(0, 14)
    ax.set_ylim(0, len(BEYOND_ROWS) * 1.5 + 0.9)
    ax.axis("off")
    top = len(BEYOND_ROWS) * 1.5
    ax.text(4.9, top + 0.45, tr("1. pretrain (once, on big data)"), ha="center", fontsize=FONT + 2, weight="bold")
    ax.text(11.2, top + 0.45, tr("2. transfer (little data)"), ha="center", fontsize=FONT + 2, weight="bold")
    for r, (kind, source, target) in enumerate(BEYOND_ROWS):
        y = top - 0.75 - 1.5 * r
        ax.text(0.1, y, tr(kind), ha="left", va="center", fontsize=FONT + 2, weight="bold")
        for x, text, face in ((4.9, source, "#c6dbef"), (11.2, target, "#fdd0a2")):
            ax.add_patch(FancyBboxPatch((x - 2.3, y - 0.55), 4.6, 1.1, boxstyle="round,pad=0.05", facecolor=face,
                                        edgecolor="#555555", lw=1.5))
            ax.text(x, y, tr(text), ha="center", va="center", fontsize=FONT)
        ax.add_patch(FancyArrowPatch((7.3, y), (8.8, y), arrowstyle="-|>", mutation_scale=22, lw=2, color="#555555"))
    fig.suptitle(title or tr("The same idea beyond images"), fontsize=TITLE_FONT)
    return _done(fig)
