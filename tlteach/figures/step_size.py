"""Runs as bars with every seed a dot: the size of the body's steps (lesson 04) and lesson 00's opening figure.

The figures draw what they are given (accuracies per seed, as fractions); the analysis that picks the runs lives in
`tt.step_size`.

    >>> tt.viz.plot_runs(tt.step_size.three_bars(table), chance=0.1)
    >>> tt.viz.plot_step_sizes({name: tt.step_size.cells(table, *row) ...}, ...)
"""
from __future__ import annotations

import numpy as np

from ..errors import TLTeachError
from ..i18n import number, tr
from .style import (CHANCE_COLOR, FONT, FROZEN_COLOR, PARTLY_COLOR, RIGHT_COLOR, TITLE_FONT, TRAINABLE_COLOR, WRONG_COLOR,
                    _done, _figure, _style)

# What learns, from nothing frozen to everything frozen: trainable's orange, partly frozen's grey, frozen's blue.
DEPTH_COLORS = (TRAINABLE_COLOR, PARTLY_COLOR, FROZEN_COLOR)


def _bar(ax, x, values, color, width, label=None) -> None:
    """One bar at the mean of `values` (fractions, drawn in %), every value a dot, the mean written above."""
    values = 100 * np.asarray(values, dtype=float)
    mean = float(values.mean())
    ax.bar(x, mean, width=width, color=color, alpha=0.85, label=label, edgecolor="white")
    spread = np.linspace(-width / 4, width / 4, len(values)) if len(values) > 1 else [0.0]
    ax.scatter(x + np.asarray(spread), values, s=16, color="black", zorder=3)
    ax.text(x, values.max() + 2.5 if mean < 92 else mean - 9, number(mean, 0), ha="center", fontsize=FONT - 2,
            color="black" if mean < 92 else "white", fontweight="bold", zorder=6)


def _chance(ax, chance, label: bool = True) -> None:
    """The guessing line across the bars, labelled just outside the right edge of the axes."""
    if chance is not None:
        ax.axhline(100 * chance, color=CHANCE_COLOR, ls="--", lw=1.5, zorder=4)
        if label:
            ax.annotate(tr("chance"), (1.01, 100 * chance), xycoords=("axes fraction", "data"), va="center",
                        fontsize=FONT - 2, color=CHANCE_COLOR, annotation_clip=False)


def plot_runs(groups: dict, chance=None, title=None, colors=None):
    """One bar per group of runs (`{name: accuracies per seed}`), every seed a dot, the chance line. Lesson 00.

    >>> tt.viz.plot_runs(tt.step_size.three_bars(table), chance=0.1)
    """
    if not groups or not all(len(v) for v in groups.values()):
        raise TLTeachError(tr("plot_runs needs {{name: accuracies per seed}} with at least one run in each group."))
    names = list(groups)
    colors = colors or [FROZEN_COLOR, TRAINABLE_COLOR, WRONG_COLOR, RIGHT_COLOR][:len(names)]
    fig, axes = _figure(1, 1, size=(9, 5.2))
    ax = axes[0, 0]
    for i, name in enumerate(names):
        _bar(ax, i, groups[name], colors[i % len(colors)], 0.6)
    ax.set_xticks(range(len(names)), [_wrapped(n, 24) for n in names], fontsize=FONT - 1)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(0, 105)
    ax.set_ylabel(tr("validation accuracy (%)"))
    _chance(ax, chance)
    _style(ax)
    n = len(next(iter(groups.values())))
    ax.set_title(title or tr("Bars: mean of {n} seeds; dots: each seed", n=n), fontsize=TITLE_FONT - 2)
    return _done(fig)


def plot_step_sizes(rows: dict, depth_names: dict, chance=None, title=None):
    """The freeze depths side by side for each setting (recipe and body learning rate), one panel per row of data.

    `rows`: {row name: {setting name: {depth: accuracies per seed}}}; `depth_names`: {depth: its name in words}, in
    the order to draw (everything learns first). Lesson 04.
    """
    if not rows or not all(rows.values()):
        raise TLTeachError(tr("plot_step_sizes needs at least one row with one setting."))
    depths = list(depth_names)
    ncols = len(rows) if len(rows) <= 3 else 2  # three panels side by side at most: a projector's width
    nrows = -(-len(rows) // ncols)
    fig, axes = _figure(nrows, ncols, size=(6.4 * ncols, 5.6 if nrows == 1 else 4.6 * nrows + 0.6), sharey=True)
    for ax in axes.flat[len(rows):]:
        ax.set_visible(False)
    width = 0.8 / len(depths)
    for ax, (row, settings) in zip(axes.flat, rows.items()):
        for i, by_depth in enumerate(settings.values()):
            for j, depth in enumerate(depths):
                if depth in by_depth:  # (a depth the table does not have for this setting leaves a gap)
                    _bar(ax, i + (j - (len(depths) - 1) / 2) * width, by_depth[depth], DEPTH_COLORS[j % 3],
                         width * 0.95, label=depth_names[depth])
        ax.set_xticks(range(len(settings)), list(settings), fontsize=FONT - 2)
        ax.set_xlim(-0.6, len(settings) - 0.4)
        ax.set_ylim(0, 108)
        ax.set_title(row, fontsize=TITLE_FONT - 2)
        _chance(ax, chance, label=ax is axes[0, -1])
        _style(ax)
    for ax in axes[:, 0]:
        ax.set_ylabel(tr("validation accuracy (%)"))
    fig.suptitle(title or tr("The size of the body's steps decides what freezing does (bars: mean; dots: seeds)"),
                 fontsize=TITLE_FONT)
    handles = {label: handle for ax in axes.flat for handle, label in zip(*ax.get_legend_handles_labels())}
    fig.legend([handles[n] for n in depth_names.values() if n in handles],
               [n for n in depth_names.values() if n in handles], loc="outside lower center", ncol=len(depths),
               fontsize=FONT - 1, frameon=False, title_fontsize=FONT - 1,
               title=tr("plan: the lesson plan's algorithm; careful: the head learns first"))
    return _done(fig)


def _wrapped(text: str, width: int) -> str:
    """`text` broken into lines of about `width` characters, at spaces."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])
