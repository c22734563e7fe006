"""Experiment results: the confusion matrix, strategies side by side, the freeze sweep's map, the data-size curve, and lesson 06's overview."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..errors import TLTeachError
from ..i18n import N_, class_names, number, percent, points, rate, shown, tr
from ..models.freezing import ALL_BUT
from .style import (DIFFERENCE_COLOR, EDGE_COLOR, FONT, MISSING_COLOR, SMALL_BAND_COLOR, SOURCE_BOX_COLOR,
                    TARGET_BOX_COLOR, TITLE_FONT, TRAIN_CURVE_COLOR, VAL_CURVE_COLOR, WRONG_COLOR, _bar_panel, _check_dataset, _class_colors, _done,
                    _figure, _series_colors, _short_number, _style, _tick_number)
from ..training.inference import evaluate


# ----------------------------------------------------------------------------- results
def plot_confusion(model: nn.Module, ds, title=None):
    """Confusion matrix: rows are the true classes, columns what the model predicted. Lesson 05.

    >>> tt.plot_confusion(model, val)      # the diagonal is right; off-diagonal cells are mistakes
    """

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
    ax.set_title(title or tr("Accuracy {accuracy} % ({correct} of {total} right)", accuracy=number(100 * result['accuracy'], 1),
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
    colors = _series_colors(names)
    parameters = {r["trainable_parameters"] for r in rows}
    same_parameters = len(parameters) == 1  # a panel of equal bars says nothing: the title says the number
    fig, grid = _figure(1, 2 if same_parameters else 3, size=(11 if same_parameters else 15, 1.9 + 0.95 * len(names)),
                        sharey=True)
    axes = grid[0]
    y = np.arange(len(names))[::-1]  # the first strategy on top
    panels = [("val_acc", tr("validation accuracy"), lambda m, s, n: f"{number(100 * m, 1)} ± {number(100 * s, 1)} %"),
              ("seconds", tr("wall time (seconds)"), lambda m, s, n: tr("{t} s", t=number(m, 1))),
              ("trainable_parameters", tr("trainable parameters"), lambda m, s, n: number(m))][:len(axes)]
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
            # beside what is drawn: the runs' dots and error bar for accuracy, the bar itself for time and parameters
            right = (max(m + s, v.max()) if key == "val_acc" else m) + 0.03 * top
            if key == "val_acc" and right > 0.7:  # accuracy ends at 100 %: the label goes inside the bar
                ax.text(0.02, yy, fmt(m, s, len(v)), va="center", ha="left", fontsize=FONT + 1,
                        bbox=dict(facecolor="white", alpha=0.8, edgecolor="none", pad=2))
            else:
                ax.text(right, yy, fmt(m, s, len(v)), va="center", fontsize=FONT + 1)
        _bar_panel(ax, label, 1.45 * top)
    axes[0].set_xlim(0, 1.0)
    axes[0].xaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes[1].xaxis.set_major_formatter(FuncFormatter(_tick_number))  # 0,5 s in Russian
    if not same_parameters:
        axes[2].xaxis.set_major_formatter(FuncFormatter(_short_number))
        axes[2].xaxis.set_major_locator(MaxNLocator(nbins=3))  # "25 тыс." is wider than "25 k": fewer ticks
    axes[0].set_yticks(y, [tr(n) for n in names], fontsize=FONT + 1)
    n_runs = max(len(v) for v in runs.values())
    title = title or tr("Which strategy wins, and what does it cost? ({n} runs each: dots)", n=n_runs)
    if same_parameters:
        title += "\n" + tr("trainable parameters: {n} in each", n=number(parameters.pop()))
    fig.suptitle(title, fontsize=TITLE_FONT)
    return _done(fig)


def _column_label(column: str) -> str:
    """What a heatmap column means, in two short lines."""
    if column == "0":
        return tr("0 frozen:\nall learns")
    if column == "8":
        return tr("8 frozen:\nhead only")
    if column.isdigit():
        return tr("{k} frozen", k=column)
    if column == "scratch":
        return tr("from\nscratch")
    return tr("only the\n{part} part", part=tr(column[len(ALL_BUT):]))


def plot_difference(differences, found, seeds=None, title=None):
    """Two ways of training compared seed by seed: one dot per seed's difference, their mean with its 95 % interval,
    zero marked, and the band of differences too small to matter (±`found.smallest`). Lesson 02.

    `differences`: one value per seed (a - b, fractions), `found`: `tt.repeats.paired(a, b)` of the same runs,
    `seeds`: the seeds' numbers for the labels (default 0, 1, ...). The figure draws what it is given.

    >>> found = tt.repeats.paired(pretrained, scratch)
    >>> tt.viz.plot_difference([p - s for p, s in zip(pretrained, scratch)], found, seeds=[0, 1, 2])
    """
    import textwrap

    from matplotlib.ticker import FuncFormatter

    differences = [100 * float(d) for d in differences]
    if not found.paired or len(differences) != found.n:
        raise TLTeachError(tr("plot_difference needs the per-seed differences of a paired comparison and its "
                              "tt.repeats.paired(...) of the same runs."))
    seeds = list(range(len(differences))) if seeds is None else list(seeds)
    n = len(differences)
    fig, axes = _figure(1, 1, size=(9, 2.6 + 0.55 * (n + 2)))
    ax = axes[0, 0]
    band = 100 * found.smallest
    ax.axvspan(-band, band, color=SMALL_BAND_COLOR, zorder=0,
               label=tr("within ±{smallest}: too small to matter", smallest=points(found.smallest)))
    ax.axvline(0, color="black", lw=1.5, zorder=1, label=tr("0: no difference"))
    rows = list(range(n + 1, 1, -1))  # seeds from the top, the mean at the bottom
    ax.scatter(differences, rows, s=90, color=DIFFERENCE_COLOR, zorder=3, label=tr("one seed's difference"))
    low, high, mean = 100 * found.low, 100 * found.high, 100 * found.mean
    ax.plot([low, high], [0, 0], color=DIFFERENCE_COLOR, lw=5, solid_capstyle="butt", zorder=2,
            label=tr("95 % interval of the mean"))
    ax.plot([mean], [0], marker="D", markersize=11, color="black", zorder=4, label=tr("mean difference"))
    ax.set_yticks(rows + [0], labels=[tr("seed {seed}", seed=s) for s in seeds] + [tr("all seeds")])
    ax.set_ylim(-1, n + 2)
    values = differences + [low, high, band, -band]
    span = max(values) - min(values)
    ax.set_xlim(min(values) - 0.08 * span, max(values) + 0.08 * span)
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_number))
    ax.set_xlabel(tr("difference (percentage points)"))
    _style(ax, grid=False)
    ax.legend(fontsize=FONT - 3, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    ax.set_title(title or "\n".join(textwrap.wrap(str(found), 70)), fontsize=TITLE_FONT - 3)
    return _done(fig)


def plot_sweep(drawn: dict, title=None):
    """The freeze-depth table as a heatmap: one row per task and data size, one column per choice of what learns.

    `drawn`: what `tt.rules.sweep_map(table, value)` gives. Each cell: mean ± sd over the seeds of its value:
    "accuracy" (all validation images, %), "gap" (training minus validation accuracy, points), "moved_body" (how far
    the body's weights moved, relative; log colours) or "seconds". For accuracy, the figure draws the map's
    `winners` ({(task, per_class): (best, tied)}, from the course's paired statistic): a row's best cell is outlined
    when no other cell is tied with it; otherwise the cells tied with the best (the seeds cannot tell them from it)
    get dashed outlines. The `apart` column (from scratch) stands apart.

    >>> tt.viz.plot_sweep(tt.rules.sweep_map(table))
    >>> tt.viz.plot_sweep(tt.rules.sweep_map(table, "moved_body"))
    """
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Rectangle

    value, keys, columns, cells = drawn["value"], drawn["rows"], drawn["columns"], drawn["cells"]
    winners, apart = drawn.get("winners") or {}, drawn.get("apart")
    if not cells:
        raise TLTeachError(tr("The sweep table is empty: load it with tt.sweep.load_results()."))
    scale = 1 if value in ("seconds", "moved_body") else 100
    mean = np.array([[scale * cells[key, c][0] if (key, c) in cells else np.nan for c in columns] for key in keys])
    counts = drawn["seeds"]
    n_text = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"

    fig, axes = _figure(1, 1, size=(2.4 + 1.25 * len(columns), 1.5 + 0.85 * len(keys)))
    ax = axes[0, 0]
    recipe_cols = [c != apart for c in columns]
    if value in ("seconds", "moved_body"):  # values span decades: one log scale shows the steps
        low, high = np.nanmin(mean), np.nanmax(mean)
        norm = LogNorm(vmin=max(low, 1e-6) / 1.5, vmax=max(high, 2e-6))
        shade = norm(np.clip(mean, 1e-6, None))
    else:  # each row on its own scale: the question is which column wins within a row
        shade = np.full(mean.shape, np.nan)
        for r in range(len(keys)):
            own = mean[r][recipe_cols]
            low, high = np.nanmin(own), np.nanmax(own)
            shade[r][recipe_cols] = 0.15 + 0.85 * (own - low) / (high - low + 1e-9)
    import matplotlib

    cmap = matplotlib.colormaps[{"accuracy": "YlGn", "gap": "Purples", "moved_body": "Blues",
                                 "seconds": "Oranges"}[value]].with_extremes(bad=MISSING_COLOR)  # scratch: not on the scale
    ax.imshow(np.ma.masked_invalid(shade), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for r, key in enumerate(keys):
        row = {c: cells[key, c] for c in columns if (key, c) in cells}
        tied = winners.get(key, (None, []))[1] if value == "accuracy" else []
        for c, column in enumerate(columns):
            if column not in row:
                continue
            m, sd = (scale * x for x in row[column])
            text = (f"{number(m, 1)}" if value == "seconds" else f"{m:.0e}".replace("e-0", "e-")
                    if value == "moved_body" else f"{number(m, 0)} ± {number(sd, 0)}")
            dark = bool(np.isfinite(shade[r, c]) and shade[r, c] > 0.6)
            ax.text(c, r, text, ha="center", va="center", fontsize=FONT, fontweight="bold" if tied == [column]
                    else "normal", color="white" if dark else "black")
            if tied == [column]:
                ax.add_patch(Rectangle((c - 0.48, r - 0.46), 0.96, 0.92, fill=False, edgecolor="black", lw=3.5))
            elif column in tied and len(tied) < len(row):
                ax.add_patch(Rectangle((c - 0.46, r - 0.44), 0.92, 0.88, fill=False, edgecolor="black", lw=1.5,
                                       linestyle=(0, (4, 3))))
    if apart in columns:  # the from-scratch line stands apart: another network, another recipe
        ax.axvline(columns.index(apart) - 0.5, color="white", lw=6)
    ax.set_xticks(range(len(columns)), labels=[_column_label(c) for c in columns], fontsize=FONT - 2)
    ax.set_yticks(range(len(keys)), labels=[f"{shown(task)}\n" + tr("{n} per class", n=n)
                                            for task, n in keys], fontsize=FONT - 1)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    default = {"accuracy": tr("Accuracy on all validation images (%): mean ± sd of {n} seeds; colours within each row;"
                              "\noutlined: best (its paired 95 % intervals exclude 0), dashed: the seeds cannot tell it from the best",
                              n=n_text),
               "gap": tr("Training minus validation accuracy (points): mean ± sd of {n} seeds; colours within each row",
                         n=n_text),
               "moved_body": tr("How far the body's weights moved (relative change, mean of {n} seeds)", n=n_text),
               "seconds": tr("Seconds per run (mean of {n} seeds; colours on a log scale)", n=n_text)}
    ax.set_title(title or default[value], fontsize=TITLE_FONT - 2)
    return _done(fig)


def plot_learning_rates(lines: dict, head_lr: float, title=None):
    """Accuracy against the body's learning rate when the whole body learns: one line per row, every seed a dot.

    `lines`: {(task, per_class): {body lr: accuracies per seed}}, as `tt.rules.learning_rate_lines(table)` gives;
    `head_lr`: the head's learning rate, for the axis label.

    >>> tt.viz.plot_learning_rates(tt.rules.learning_rate_lines(table), tt.recipes.TUNING.lr)
    """
    rows = list(lines)
    if not rows:
        raise TLTeachError(tr("The table has no row with several body learning rates."))
    fig, axes = _figure(1, 1, size=(8, 5))
    ax = axes[0, 0]
    for i, key in enumerate(rows):
        found = lines[key]
        lrs = sorted(found)
        color = _class_colors(len(rows))[i]
        for lr in lrs:
            ax.scatter([lr] * len(found[lr]), [100 * v for v in found[lr]], s=18, color=color, alpha=0.5)
        ax.plot(lrs, [100 * float(np.mean(found[lr])) for lr in lrs], "-o", color=color, lw=2,
                label=f"{shown(key[0])}, " + tr("{n} per class", n=key[1]))
    ax.set_xscale("log")
    ax.set_ylim(0, 100)
    ax.set_xlabel(tr("learning rate of the body (the head: {lr})", lr=rate(head_lr)),
                  fontsize=FONT)
    ax.set_ylabel(tr("validation accuracy (%)"), fontsize=FONT)
    ax.legend(fontsize=FONT - 2, loc="lower left")
    ax.set_title(title or tr("The whole body learning: mean of the seeds (dots: each seed)"), fontsize=TITLE_FONT - 2)
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
    ax.fill_between(x, val_acc, train_acc, color=WRONG_COLOR, alpha=0.12, label=tr("gap = overfitting"))
    for values, means, sds, colour, style, label, shift in (
            (runs_train, train_acc, train_sd, TRAIN_CURVE_COLOR, "--", N_("training images"), -0.012),
            (runs_val, val_acc, val_sd, VAL_CURVE_COLOR, "-", N_("validation images (new)"), 0.012)):
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
        ax.annotate(percent(v, 0), (xi, v - sd), textcoords="offset points", xytext=(0, -22), ha="center",
                    fontsize=FONT + 1, color=VAL_CURVE_COLOR, fontweight="bold")
    chance = getattr(table, "chance", None)
    if chance:
        ax.axhline(chance, color="gray", ls=":", lw=2)
        ax.text(x[-1], chance + 0.02, f"{tr('guessing')}: {percent(chance, 0)}", ha="right", va="bottom",
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
        for x, text, face in ((4.9, source, SOURCE_BOX_COLOR), (11.2, target, TARGET_BOX_COLOR)):
            ax.add_patch(FancyBboxPatch((x - 2.3, y - 0.55), 4.6, 1.1, boxstyle="round,pad=0.05", facecolor=face,
                                        edgecolor=EDGE_COLOR, lw=1.5))
            ax.text(x, y, tr(text), ha="center", va="center", fontsize=FONT)
        ax.add_patch(FancyArrowPatch((7.3, y), (8.8, y), arrowstyle="-|>", mutation_scale=22, lw=2, color=EDGE_COLOR))
    fig.suptitle(title or tr("The same idea beyond images"), fontsize=TITLE_FONT)
    return _done(fig)
