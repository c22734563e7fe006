"""Lesson 07's figures: sentences as points, cross-lingual transfer against k examples, fine-tuning modes.

    >>> tt.viz.plot_sentences(vectors, labels, classes, languages)
    >>> tt.viz.plot_crosslingual(tt.text.crosslingual_lines(runs))  # runs from tt.text.crosslingual
    >>> tt.viz.plot_finetuning(runs)            # runs from tt.text.finetuning
"""
from __future__ import annotations

import numpy as np

from ..errors import TLTeachError
from ..i18n import N_, class_name, number, rate, tr, trn
from .style import FONT, FROZEN_COLOR, OTHER_COLORS, STRATEGY_COLORS, TITLE_FONT, _bar_panel, _class_colors, _done, _figure, _style

LANGUAGE_MARKERS = {"en": "o", "ru": "^"}
LANGUAGE_NAMES = {"en": N_("English"), "ru": N_("Russian")}


def plot_sentences(points, labels, classes, languages, title=None):
    """Each text as a point: its vector projected to 2-D (`tt.text.project_2d`); colour = class, shape = language.

    >>> tt.viz.plot_sentences(tt.text.project_2d(tt.text.embed(texts)), labels, classes, ["en"] * 40 + ["ru"] * 40)
    """
    points, labels, languages = np.asarray(points), np.asarray(labels), list(languages)
    if points.ndim != 2 or points.shape[1] != 2:
        raise TLTeachError(tr("plot_sentences draws 2-D points: give tt.text.project_2d(vectors)."))
    if not len(points) == len(labels) == len(languages):
        raise TLTeachError(tr("Give one label and one language per text: {n} vectors, {labels} labels, {languages} "
                              "languages.", n=len(points), labels=len(labels), languages=len(languages)))
    fig, axes = _figure(1, 1, size=(10, 6.5))
    ax = axes[0, 0]
    colors = _class_colors(len(classes))
    for c, name in enumerate(classes):
        for language, marker in LANGUAGE_MARKERS.items():
            mask = (labels == c) & (np.asarray(languages) == language)
            if mask.any():
                ax.scatter(points[mask, 0], points[mask, 1], s=60, color=colors[c], marker=marker, alpha=0.8,
                           edgecolors="white", linewidths=0.5,
                           label=f"{class_name(name)} · {tr(LANGUAGE_NAMES[language])}")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(tr("direction 1 (the one in which the texts differ most)"))
    ax.set_ylabel(tr("direction 2"))
    ax.legend(fontsize=FONT, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, markerscale=1.3)
    ax.set_title(title or tr("Each text is a point: nearby points mean similar things"), fontsize=TITLE_FONT)
    _style(ax, grid=False)
    return _done(fig)


def plot_crosslingual(lines: dict, title=None):
    """Accuracy on Russian reviews: heads trained on k Russian reviews per class (a curve, 95 % intervals and a dot
    per seed) against a head trained on English reviews only (a line and its band).

    `lines`: what `tt.text.crosslingual_lines(runs)` gives.

    >>> tt.viz.plot_crosslingual(tt.text.crosslingual_lines(tt.text.crosslingual(english, ru_train, ru_test, [2, 5])))
    """
    from matplotlib.ticker import PercentFormatter

    if not isinstance(lines, dict) or not {"english", "russian"} <= set(lines):
        raise TLTeachError(tr("plot_crosslingual needs what tt.text.crosslingual_lines(runs) gives."))
    ks, chance = sorted(lines["russian"]), lines.get("chance")
    fig, axes = _figure(1, 1, size=(11, 5.8))
    ax = axes[0, 0]
    x = np.arange(len(ks))
    mean, half, english = lines["english"]
    blue, green = FROZEN_COLOR, OTHER_COLORS[0]  # English only: the blue line; k Russian: green
    ax.axhspan(mean - half, mean + half, color=blue, alpha=0.15)
    ax.axhline(mean, color=blue, lw=2.5, label=tr("trained on English reviews only (mean, 95 % interval)"))
    stats = [lines["russian"][k] for k in ks]
    means = np.array([m for m, _, _ in stats])
    ax.errorbar(x, means, yerr=[h for _, h, _ in stats], fmt="o-", color=green, lw=2.5, ms=8, capsize=6,
                label=tr("trained on k Russian reviews per class (mean, 95 % interval)"))
    for xi, (_, _, values) in zip(x, stats):
        ax.scatter(xi + np.linspace(-0.08, 0.08, len(values)), values, s=22, color=green, edgecolor="white",
                   zorder=4, alpha=0.8)
    if chance:
        ax.axhline(chance, color="gray", ls=":", lw=2)
        ax.text(x[-1], chance + 0.015, tr("guessing"), ha="right", va="bottom", fontsize=FONT, color="gray")
    ax.set_xticks(x, [str(k) for k in ks])
    ax.set_ylim(0.3 if not chance else min(0.3, chance - 0.05), 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel(tr("Russian reviews per class the head was trained on (k)"))
    ax.set_ylabel(tr("accuracy on Russian test reviews"))
    seeds = len(english)
    ax.set_title(title or tr("English labels, Russian test: how many Russian examples is that worth? ({seeds}: dots)",
                             seeds=trn("{n} seed", "{n} seeds", seeds)), fontsize=TITLE_FONT)
    ax.legend(fontsize=FONT, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, frameon=False)
    _style(ax, grid=True)
    return _done(fig)


def setting_name(learns: str, body_lr) -> str:
    """"head only", "top 2 layers, lr 1e-4" ...: a fine-tuning setting in words."""

    words = {"head": tr("head only (frozen model)"), "top": tr("top 2 layers + head"), "all": tr("whole model + head")}
    return words[learns] if body_lr is None else tr("{what}, lr {lr}", what=words[learns], lr=rate(body_lr))


def plot_finetuning(runs, title=None):
    """Test accuracy, seconds and drift of each fine-tuning setting (a bar at the mean, a dot per seed).

    >>> tt.viz.plot_finetuning(tt.text.finetuning(train, test, [("head", None), ("all", 1e-4)], seeds=[0, 1, 2]))
    """
    from matplotlib.ticker import PercentFormatter

    try:
        rows = list(runs)
        settings = list(dict.fromkeys((r["learns"], r["body_lr"]) for r in rows))
    except (KeyError, TypeError):
        raise TLTeachError(tr("plot_finetuning needs the runs from tt.text.finetuning.")) from None
    if not settings:
        raise TLTeachError(tr("plot_finetuning needs the runs from tt.text.finetuning."))
    fig, grid = _figure(1, 3, size=(16, 1.6 + 0.8 * len(settings)), sharey=True)
    axes = grid[0]
    y = np.arange(len(settings))[::-1]
    colors = [OTHER_COLORS[1] if body_lr is not None and body_lr >= 1e-3 else STRATEGY_COLORS["feature extraction"] if learns == "head"
              else STRATEGY_COLORS["fine-tuning"] for learns, body_lr in settings]
    panels = (("test_acc", tr("test accuracy"), lambda m: f"{number(100 * m, 1)} %"),
              ("seconds", tr("seconds per run"), lambda m: tr("{t} s", t=number(m, 1))),
              ("drift", tr("drift of the sentence vectors"), lambda m: number(m, 2)))
    for ax, (key, label, fmt) in zip(axes, panels):
        values = [np.array([float(r[key]) for r in rows if (r["learns"], r["body_lr"]) == s]) for s in settings]
        means = np.array([v.mean() for v in values])
        ax.barh(y, means, color=colors, height=0.62, alpha=0.55)
        top = max(float(max(v.max() for v in values)), 1e-9)
        for yy, m, v in zip(y, means, values):
            ax.scatter(v, yy + (np.linspace(-0.18, 0.18, len(v)) if len(v) > 1 else np.zeros(1)), color="black",
                       s=30, zorder=3)
            ax.text(max(m, v.max()) + 0.03 * top, yy, fmt(m), va="center", fontsize=FONT)
        _bar_panel(ax, label, 1.4 * top)
    axes[0].set_xlim(0, 1.25)
    axes[0].set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    axes[0].xaxis.set_major_formatter(PercentFormatter(xmax=1))
    if getattr(runs, "chance", None):
        axes[0].axvline(runs.chance, color="gray", ls=":", lw=2)
    axes[0].set_yticks(y, [setting_name(*s) for s in settings], fontsize=FONT)
    seeds = max(sum(1 for r in rows if (r["learns"], r["body_lr"]) == s) for s in settings)
    fig.suptitle(title or tr("Fine-tuning MiniLM: what learns, and how large its steps are ({seeds}: dots)",
                             seeds=trn("{n} seed", "{n} seeds", seeds)), fontsize=TITLE_FONT)
    return _done(fig)
