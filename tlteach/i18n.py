"""The language of figure titles and widget labels: English (default) or Russian.

    >>> tt.set_language("ru")
    >>> tr("accuracy")
    'точность'

Texts are looked up by their English wording; a text without a translation stays English.
"""
from __future__ import annotations

from .errors import TLTeachError

LANGUAGES = ("en", "ru")
_current = {"language": "en"}

RU = {
    # curves
    "Loss (lower is better)": "Потери (чем ниже, тем лучше)",
    "Accuracy (higher is better)": "Точность (чем выше, тем лучше)",
    "loss": "потери",
    "accuracy": "точность",
    "epoch": "эпоха",
    "training": "обучение",
    "validation": "проверка",
    "train": "обучение",
    "val": "проверка",
    # images, filters, feature maps
    "input image": "входное изображение",
    "Feature maps: bright = strong response": "Карты признаков: ярче = сильнее отклик",
    "channels": "каналов",
    "most active shown": "самых активных",
    "First-layer filters": "Фильтры первого слоя",
    "filter": "фильтр",
    "channel": "канал",
    # confusion matrix, predictions, embedding
    "Confusion matrix": "Матрица ошибок",
    "true class": "истинный класс",
    "predicted class": "предсказанный класс",
    "probability": "вероятность",
    "Features projected to 2-D with PCA": "Признаки, спроецированные на плоскость (PCA)",
    "of variance": "дисперсии",
    # widgets
    "Freeze up to": "Заморозить до",
    "nothing frozen": "ничего не заморожено",
    "Trainable": "Обучается",
    "of": "из",
    "parameters": "параметров",
    "frozen": "заморожено",
    "trainable": "обучается",
    "Train 1 epoch": "Обучить 1 эпоху",
    "Layer": "Слой",
    "Channel": "Канал",
    "Image": "Изображение",
    "pretrained": "предобученная",
    "random init": "случайная инициализация",
    "Weights": "Веса",
}

CATALOGS = {"ru": RU}


def set_language(language: str) -> str:
    """Choose the language of figure titles and widget labels: "en" or "ru"."""
    if language not in LANGUAGES:
        raise TLTeachError(f"Unknown language {language!r}. Choose one of: {', '.join(LANGUAGES)}.")
    _current["language"] = language
    return language


def get_language() -> str:
    return _current["language"]


def tr(text: str) -> str:
    """`text` in the current language (English when no translation is known)."""
    return CATALOGS.get(_current["language"], {}).get(text, text)
