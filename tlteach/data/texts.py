"""The bundled text sets: reviews and e-mails in English and Russian (lesson 07).

    >>> texts, labels, classes = tt.load_texts("emails", "en", "test")
    >>> classes
    ['refund request', 'quality complaint', 'product question']

A set is one CSV file per language, `data/text/<name>/<language>.csv`, with the columns
`split,label,text`; the classes are numbered in one fixed order per set (`TEXT_CLASSES`), the same in
every split and every language.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from ..errors import TLTeachError
from ..i18n import N_, tr
from .datasets import data_dir

# name -> the languages it has (both: the same classes in each)
TEXT_SETS = {"reviews": ("en", "ru"), "reviews_other": ("en", "ru"), "emails": ("en", "ru")}
# name -> its classes, in the order their labels number them (the same in every language and split)
# (shown through tt.i18n.class_name: tools/messages.py puts them in the catalogue as class names)
TEXT_CLASSES = {"reviews": ("negative", "positive"), "reviews_other": ("negative", "positive"),
                "emails": ("refund request", "quality complaint", "product question")}
TEXT_SPLITS = (N_("train"), N_("test"))


def load_texts(name: str, language: str = "en", split: str = "train"):
    """(texts, labels, classes): a bundled text set. Lesson 07.

    Names: "reviews" (product reviews, positive or negative), "reviews_other" (reviews of hotels, films,
    apps ...: test only), "emails" (a refund request, a quality complaint or a product question).
    Languages: "en", "ru". Labels are whole numbers, positions in `classes`.

    >>> texts, labels, classes = tt.load_texts("reviews", "ru", "test")
    """
    if name not in TEXT_SETS:
        raise TLTeachError(tr("Unknown text set {name!r}. Choose one of: {names}.", name=name,
                              names=", ".join(TEXT_SETS)))
    if language not in TEXT_SETS[name]:
        raise TLTeachError(tr("Unknown language {language!r}. Choose one of: {languages}.", language=language,
                              languages=", ".join(TEXT_SETS[name])))
    if split not in TEXT_SPLITS:
        raise TLTeachError(tr("split must be 'train' or 'test', got {split!r}.", split=split))
    rows, classes = _read(name, language)
    chosen = [(text, label) for row_split, label, text in rows if row_split == split]
    if not chosen:
        raise TLTeachError(tr("The text set {name!r} has no {split!r} part; use split='test'.", name=name,
                              split=split))
    return [t for t, _ in chosen], [classes.index(label) for _, label in chosen], list(classes)


@lru_cache(maxsize=16)
def _read(name: str, language: str):
    path = data_dir() / "text" / name / f"{language}.csv"
    if not path.is_file():
        raise TLTeachError(tr(
            "The bundled data is missing: {root} does not exist. Reinstall tlteach (its datasets/ folder comes with "
            "it) or set TLTEACH_DATA to a folder holding {name}/.", root=path, name=f"text/{name}"))
    with open(path, newline="", encoding="utf-8") as f:
        rows = [(row["split"].strip(), row["label"].strip(), row["text"].strip()) for row in csv.DictReader(f)]
    classes = TEXT_CLASSES[name]
    unknown = sorted({label for _, label, _ in rows} - set(classes))
    if unknown:
        raise TLTeachError(tr("{path} has labels {unknown}; the classes of {name!r} are {classes}.", path=path,
                              unknown=", ".join(unknown), name=name, classes=", ".join(classes)))
    return tuple(rows), classes
