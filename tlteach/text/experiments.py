"""Lesson 07's experiments over seeds: cross-lingual transfer, and the fine-tuning table (one runner for both).

    >>> runs = crosslingual(english, russian_train, russian_test, ks=[2, 5, 10], seeds=[0, 1, 2])
    >>> runs = finetuning(train, test, [("head", None), ("top", 1e-4), ("all", 1e-2)], seeds=[0, 1, 2])
"""
from __future__ import annotations

from ..errors import TLTeachError
from ..experiments.repeats import half_width, mean_sd
from ..experiments.runner import Run, Runs, run_experiment
from ..i18n import N_, tr
from .classify import accuracy, fit_head, per_class
from .encoders import DEFAULT
from .finetune import TEXT_TUNING, finetune

ENGLISH_ONLY = N_("English reviews only")  # the cross-lingual head's setting (k = 0 Russian reviews)


def crosslingual(english, russian_train, russian_test, ks, seeds, encoder=DEFAULT, classes=None,
                 english_per_class=None) -> Runs:
    """A head trained on English reviews, and heads trained on `k` Russian reviews per class, for each seed;
    each tested on `russian_test`. `english`, `russian_train`, `russian_test`: (texts, labels) pairs.

    One row per run: `trained_on` (ENGLISH_ONLY or "Russian reviews"), `k` (Russian reviews per class; 0 for
    English only), `seed`, `test_acc`. `english_per_class`: each seed draws that many English reviews per class
    (None: all of them, and the seed changes only the head's random start).
    """
    classes = classes or sorted(set(english[1]))
    test_texts, test_labels = russian_test

    def one(setting, seed):
        if setting["k"] == 0:
            texts, labels = english if english_per_class is None else per_class(*english, english_per_class, seed)
        else:
            texts, labels = per_class(*russian_train, setting["k"], seed=seed)
        head = fit_head(texts, labels, classes, encoder=encoder, seed=seed)
        return Run({**setting, "seed": seed, "test_acc": accuracy(head.predict(test_texts), test_labels)})

    settings = [{"trained_on": ENGLISH_ONLY, "k": 0}] + [{"trained_on": N_("Russian reviews"), "k": k} for k in ks]
    return Runs(run_experiment(settings, seeds, one, describe=lambda s: f"k={s['k']}"),
                setting_columns=("trained_on", "k"), chance=1 / len(classes))


def finetuning(train, test, settings, seeds, recipe=TEXT_TUNING) -> Runs:
    """MiniLM fine-tuned for each (learns, body_lr) in `settings` and each seed; one row per run (`finetune`)."""

    def one(setting, seed):
        learns, body_lr = setting
        chosen = recipe if body_lr is None else recipe.but(body_lr=body_lr)
        return Run(finetune(*train, *test, learns=learns, seed=seed, recipe=chosen))

    return Runs(run_experiment(settings, seeds, one, describe=lambda s: f"{s[0]}, lr={s[1]}"),
                columns=["learns", "body_lr", "seed", "test_acc", "seconds", "drift", "trainable_parameters"],
                setting_columns=("learns", "body_lr"), chance=1 / len(set(test[1])))


def crosslingual_lines(runs) -> dict:
    """What `tt.viz.plot_crosslingual` draws, from the runs of `crosslingual`: the English-only head and each k of
    Russian reviews as (mean, half-width of the 95 % t-interval, accuracies per seed), and the chance level.

    >>> tt.viz.plot_crosslingual(tt.text.crosslingual_lines(runs))
    """
    try:
        rows = list(runs)
        english = [r["test_acc"] for r in rows if r["trained_on"] == ENGLISH_ONLY]
        ks = sorted({r["k"] for r in rows if r["trained_on"] != ENGLISH_ONLY})
    except (KeyError, TypeError):
        raise TLTeachError(tr("plot_crosslingual needs the runs from tt.text.crosslingual.")) from None
    if not english or not ks:
        raise TLTeachError(tr("plot_crosslingual needs the runs from tt.text.crosslingual."))
    russian = {k: [r["test_acc"] for r in rows if r["trained_on"] != ENGLISH_ONLY and r["k"] == k] for k in ks}
    return {"english": _interval(english), "russian": {k: _interval(v) for k, v in russian.items()},
            "chance": getattr(runs, "chance", None)}


def _interval(values) -> tuple:
    """(mean, half-width of the 95 % t-interval, the values) of the runs `values` (the course's `tt.repeats`)."""
    values = [float(v) for v in values]
    mean, sd = mean_sd(values)
    return mean, half_width(sd, len(values)), values
