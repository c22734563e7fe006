"""The language of everything a student reads: English (default) or Russian.

    >>> tt.notebook_setup(language="ru")        # or tt.i18n.set_language("ru")
    >>> tr("accuracy")
    'точность'
    >>> trn("{n} point", "{n} points", 5)
    '5 пунктов'
    >>> class_name("leopard")
    'леопард'

The English text is the key. Translations are standard gettext catalogues, one per domain, in
`tlteach/locale/ru/LC_MESSAGES/`: `tlteach.po` (figures, tables, widgets, progress lines, errors,
class names) and `exercises.po` (the exercise questions, answers and hints of tlteach/exercises/).
A translator edits the `.po` files (Poedit, Weblate, a text editor); `make messages` adds new
English texts to them and compiles the `.mo` files the package reads (Babel, a dev tool; at run
time only Python's own `gettext` is used). Russian plural forms (1 пункт, 2 пункта, 5 пунктов) come
from the catalogue's Plural-Forms header through `trn`.

A text with {placeholders} is a template: its translation has the same placeholders. A text chosen
at run time is marked where it is written with `N_("frozen")` so that `make messages` finds it.
"""
from __future__ import annotations

import gettext
import numbers
import string
from functools import lru_cache
from pathlib import Path

from .errors import TLTeachError

LANGUAGES = ("en", "ru")
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAINS = ("tlteach", "exercises")
CLASS_CONTEXT = "class name"  # msgctxt of the dataset class names in tlteach.po
DATASET_CONTEXT = "dataset name"  # msgctxt of the bundled datasets' names
IMAGENET_CONTEXT = "ImageNet class"  # msgctxt of ImageNet's 1000 class names (what a pretrained network guesses)
_current = {"language": "en"}


def N_(text: str) -> str:
    """Mark a text for translation where it is written; `tr` translates it where it is shown."""
    return text


def set_language(language: str) -> str:
    """Choose the language of figures, tables, widgets and messages: "en" or "ru"."""
    if language not in LANGUAGES:
        raise TLTeachError(f"Unknown language {language!r}. Choose one of: {', '.join(LANGUAGES)}.")
    _current["language"] = language
    return language


def get_language() -> str:
    return _current["language"]


@lru_cache(maxsize=None)
def catalogue(language: str, domain: str = "tlteach") -> gettext.NullTranslations:
    """The compiled catalogue of `domain` in `language` (English: no catalogue, texts stay as written)."""
    if domain not in DOMAINS:
        raise TLTeachError(f"Unknown message domain {domain!r}. Choose one of: {', '.join(DOMAINS)}.")
    if language == "en":
        return gettext.NullTranslations()
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.mo"
    if not path.exists():
        raise TLTeachError(f"The {language} translation is missing ({path.name}): run `make messages`.")
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


class _Template(string.Formatter):
    """Fills a template's {placeholders}; a number in the way the language writes it (see `number`)."""

    def format_field(self, value, format_spec):
        text = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return _written(text)
        return text


_TEMPLATE = _Template()


def _fill(text: str, values: dict) -> str:
    return _TEMPLATE.format(text, **values) if values else text


def tr(text: str, **values) -> str:
    """`text` in the current language (English when no translation is known).

    With keyword arguments, `text` is a template: tr("{n} in", n=3) -> "3 in" (or "входов: 3").
    """
    return _fill(catalogue(get_language()).gettext(text), values)


def trn(singular: str, plural: str, count, **values) -> str:
    """The form of `singular`/`plural` that fits the number `count`, filled in with n=count and `values`.

    >>> trn("{n} run", "{n} runs", 21)   # Russian: "21 запуск", 22 → "22 запуска", 25 → "25 запусков"
    >>> trn("{n} parameter", "{n} parameters", 12810, n=number(12810))   # n shown another way
    A number with a fraction (6.5 points) takes the form of 2 in both languages ("6,5 пункта").
    """
    form = abs(int(count)) if float(count).is_integer() else 2
    return _fill(catalogue(get_language()).ngettext(singular, plural, form), {"n": count, **values})


def tr_exercise(text: str, **values) -> str:
    """An exercise's question, answer or hint in the current language (catalogue exercises.po)."""
    return _fill(catalogue(get_language(), "exercises").gettext(text), values)


def class_name(name: str) -> str:
    """The display name of a class ("leopard" → "леопард"); the dataset keeps its identifiers.

    A bundled dataset's class first, then one of ImageNet's 1000 ("horizontal bar" → "турник"), so a
    network's guesses read in the lesson's language too. Other names (a student's own folders) stay.
    """
    language = catalogue(get_language())
    shown = language.pgettext(CLASS_CONTEXT, name)
    return shown if shown != name else language.pgettext(IMAGENET_CONTEXT, name)


def dataset_name(name: str) -> str:
    """The display name of a bundled dataset ("xray" → "рентген"); other names stay as they are."""
    return catalogue(get_language()).pgettext(DATASET_CONTEXT, name)


def _written(text: str) -> str:
    """Python's "98,970.5" as the current language writes it: English as it is, Russian "98 970,5"."""
    if get_language() != "ru":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def number(value, digits: int = 0, sign: bool = False) -> str:
    """A number the way the language writes it: 98,970.5 in English, 98 970,5 in Russian.

    Russian groups thousands with a (non-breaking) space and writes a decimal comma (94,8 %). Code
    cells keep Python's point in both editions; what the package shows (figures, tables, progress
    lines, `Conclusion:` lines) goes through here, and so do templates: tr("{acc:.1f} %", acc=0.5).
    """
    return _written(f"{value:{'+' if sign else ''},.{digits}f}")


def plain(value) -> str:
    """A number as short as Python writes it (2.5, 1e-05), with the language's decimal sign (2,5)."""
    return _written(f"{value:g}")


def percent(fraction, digits: int = 1) -> str:
    """A fraction as a percentage, written the language's way: percent(0.948) -> '94.8 %' ('94,8 %')."""
    return f"{number(100 * float(fraction), digits)} %"


def points(difference, digits: int = 0, sign: bool = False) -> str:
    """A difference of two accuracies (fractions) in percentage points, in words that fit the number.

    >>> points(0.63)                      # '63 percentage points'  (Russian: '63 пункта')
    >>> points(0.021, digits=1, sign=True)  # '+2.1 percentage points' (Russian: '+2,1 пункта')
    """
    value = round(100 * float(difference), digits) + 0.0  # (+ 0.0: no "-0.0")
    shown = number(value, digits, sign=sign)
    # A number with decimals takes the form of "a few" in Russian (1,0 пункта, 2,5 пункта) and the plural in
    # English (1.0 percentage points): count it as 2. A whole number takes its own form (1 пункт, 5 пунктов).
    return trn("{n} percentage point", "{n} percentage points", abs(value) if digits == 0 else 2, n=shown)


def rate(lr: float) -> str:
    """A learning rate as the lessons write it: 1e-4 (the same in both languages)."""
    return f"{lr:.0e}".replace("e-0", "e-")


def shown(text: str) -> str:
    """A word from the data as a student reads it: a known text, class name or dataset name, translated."""
    for translate in (tr, class_name, dataset_name):
        translated = translate(text)
        if translated != text:
            return translated
    return text


def class_names(names) -> list:
    """`class_name` of each name, in order."""
    return [class_name(str(n)) for n in names]
