"""Argument checks shared by the whole package: one place, one wording, one short message each.

Every public function checks what a student passes it and says, in one line, what to pass
instead (`TLTeachError`). `True` is never a number here (Python counts it as 1).

    >>> whole_number(5, "epochs")                  # 5
    >>> whole_number(2.5, "epochs")                # TLTeachError: epochs must be a whole number >= 0, got 2.5.
    >>> seed_list([0, 1, 2])                       # [0, 1, 2]
"""
from __future__ import annotations

import math

from .errors import TLTeachError
from .i18n import tr


def is_whole(value) -> bool:
    """An int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole_number(value, name: str, minimum: int = 0, maximum=None) -> int:
    """`value` if it is a whole number from `minimum` (to `maximum`), else a one-line error naming `name`."""
    if is_whole(value) and value >= minimum and (maximum is None or value <= maximum):
        return value
    if maximum is None:
        raise TLTeachError(tr("{name} must be a whole number >= {minimum}, got {value!r}.", name=name, minimum=minimum,
                              value=value))
    raise TLTeachError(tr("{name} must be a whole number from {minimum} to {maximum}, got {value!r}.", name=name,
                          minimum=minimum, maximum=maximum, value=value))


def positive_number(value, name: str, example: str = "1e-3") -> float:
    """`value` as a float if it is a finite number > 0 (a learning rate, a weight decay ...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or math.isinf(value):
        raise TLTeachError(tr("{name} must be a positive number such as {example}, got {value!r}.", name=name,
                              example=example, value=value))
    return float(value)


def seed_list(seeds) -> list:
    """One seed or a list of seeds as a non-empty list of whole numbers."""
    seeds = [seeds] if is_whole(seeds) else list(seeds) if isinstance(seeds, (list, tuple, range)) else [seeds]
    if not seeds or not all(is_whole(s) for s in seeds):
        raise TLTeachError(tr("seeds must be whole numbers, e.g. seeds=[0, 1, 2]; got {seeds!r}.", seeds=seeds))
    return seeds


def check_num_classes(num_classes) -> int:
    """Return `num_classes` as an int, or raise a TLTeachError that says what is wrong."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        try:
            import numpy as np

            if isinstance(num_classes, np.integer):
                num_classes = int(num_classes)
        except ImportError:  # pragma: no cover
            pass
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise TLTeachError(tr(
            "num_classes must be a whole number such as 10, got {num_classes!r} ({kind}). Tip: use len(train.classes).",
            num_classes=num_classes, kind=type(num_classes).__name__))
    if num_classes < 2:
        raise TLTeachError(tr(
            "num_classes must be at least 2 (a classifier chooses between classes), got {num_classes}.",
            num_classes=num_classes))
    return num_classes


def is_dataset(value) -> bool:
    """A tlteach dataset (or anything that behaves like one: labels, classes and batches of images)."""
    return all(hasattr(value, attribute) for attribute in ("labels", "classes", "batch"))


def dataset(value, name: str = "train") -> object:
    if not is_dataset(value):
        raise TLTeachError(tr("{name} must be a tlteach dataset, e.g. tt.load_dataset('animals', '{split}'); got a "
                              "{kind}.", name=name, split="val" if name == "val" else "train",
                              kind=type(value).__name__))
    return value
