"""The language of figure titles and widget labels: English (default) or Russian.

    >>> tt.set_language("ru")
    >>> tr("accuracy")
    'точность'
    >>> tr("{shown} of {total} images", shown=10, total=300)
    '10 из 300 изображений'

Texts are looked up by their English wording; a text without a translation stays English.
A text with {placeholders} is a template: its translation has the same placeholders, and
`tr` fills them in. Russian templates avoid number-dependent word endings ("каналов: 32"),
so one wording is right for every number. tests/test_i18n.py checks that every text the
package passes to `tr` has a Russian entry with the same placeholders.
"""
from __future__ import annotations

from .errors import TLTeachError

LANGUAGES = ("en", "ru")
_current = {"language": "en"}

RU = {
    # learning curves (viz.plot_history, tt.fit's live plot)
    "Loss (lower is better)": "Потери (чем ниже, тем лучше)",
    "Accuracy (higher is better)": "Точность (чем выше, тем лучше)",
    "loss": "потери",
    "accuracy": "точность",
    "epoch": "эпоха",
    "training": "обучение",
    "validation": "проверка",
    "train": "обучение",
    "val": "проверка",
    "run {n}": "запуск {n}",
    # images (viz.show_images)
    "Images": "Изображения",
    "one image per class": "по одному изображению каждого класса",
    "{shown} of {total} images": "{shown} из {total} изображений",
    # filters (viz.show_filters, viz.show_filter_response)
    "First-layer filters": "Фильтры первого слоя",
    "filter": "фильтр",
    "channel": "канал",
    "{count} of {total} filters, {k} each": "{count} из {total} фильтров, размер каждого {k}",
    "colour patches (R, G, B)": "цветные квадратики (R, G, B)",
    "one input channel each (depthwise)": "у каждого один входной канал (поканальная свёртка)",
    "one square per input channel ({inputs})": "по квадратику на входной канал (их {inputs})",
    "mean over {inputs} input channels": "среднее по {inputs} входным каналам",
    "image": "изображение",
    "filter {channel}: {k} weights": "фильтр {channel}: веса {k}",
    "its response ({h}×{w})\nbright = strong match": "его отклик ({h}×{w})\nярче = сильнее совпадение",
    "convolution": "свёртка",
    "{layer}: filter {channel} of {total}": "{layer}: фильтр {channel} из {total}",
    # feature maps (viz.show_feature_maps)
    "input image": "изображение",
    "Feature maps: bright = strong response": "Карты признаков: ярче = сильнее отклик",
    "ch {c}": "кан. {c}",
    "{layer}: {channels} channels, {h}×{w}  ({shown} most active shown)":
        "{layer}: каналов — {channels}, {h}×{w}  (показаны {shown} самых активных)",
    "channels": "каналов",
    "most active shown": "самых активных",
    # confusion matrix, predictions, embedding
    "Confusion matrix": "Матрица ошибок",
    "true class": "истинный класс",
    "predicted class": "предсказанный класс",
    "Accuracy {accuracy} % ({correct} of {total} right)": "Точность {accuracy} % (верно {correct} из {total})",
    "probability": "вероятность",
    "true: {name}": "класс: {name}",
    "Top-{k} predictions": "Лучшие предсказания (топ-{k})",
    " for the first {shown} of {total} images": " для первых {shown} из {total} изображений",
    "  (green = true class, red = wrong top guess)": "  (зелёный — верный класс, красный — ошибочный первый ответ)",
    "Features projected to 2-D with PCA": "Признаки, спроецированные на плоскость (PCA)",
    "of variance": "дисперсии",
    # FreezePanel (widgets)
    "Which layer groups learn?": "Какие группы слоёв обучаются?",
    "{model}, {n} groups": "{model}, групп слоёв: {n}",
    "Freeze up to": "Заморозить до",
    "nothing frozen": "ничего не заморожено",
    "Trainable": "Обучается",
    "of": "из",
    "parameters": "параметров",
    "frozen": "заморожено",
    "trainable": "обучается",
    "partly frozen": "заморожено частично",
    "input": "вход",
    "output": "выход",
    "Train 1 epoch": "Обучить 1 эпоху",
    "training one epoch...": "обучаем одну эпоху...",
    "training accuracy": "точность на обучающих данных",
    "after 1 epoch": "после 1 эпохи",
    "after {n} epochs": "после {n} эпох",
    "Training is not available yet: tlteach.train (tt.fit) is missing.":
        "Обучение пока недоступно: нет модуля tlteach.train (tt.fit).",
    # FilterExplorer (widgets)
    "Layer": "Слой",
    "Filter": "Фильтр",
    "Channel": "Канал",
    "Image": "Изображение",
    "image {k}": "изображение {k}",
    "pretrained": "предобученная",
    "this model": "эта модель",
    "random init": "случайные веса",
    "Weights": "Веса",
    "{name} ({count} filters, {k}, {kind})": "{name} (фильтров: {count}, {k}, {kind})",
    "depthwise": "поканальная",
    "{n} in": "входов: {n}",
    "{layer}: filter {channel} ({weights})": "{layer}: фильтр {channel} ({weights})",
    # data-size experiment (datasize.plot_data_curve, lesson 01)
    "Validation accuracy vs images per class": "Точность на проверке в зависимости от числа изображений на класс",
    "gap = overfitting": "разрыв = переобучение",
    "training images": "обучающие изображения",
    "validation images (new)": "проверочные изображения (новые)",
    "guessing": "угадывание",
    "training images per class": "обучающих изображений на класс",
    "{n} per class": "{n} на класс",
    # freeze-sweep heatmap (sweep.plot_sweep, lesson 04): ready for when its labels go through tr()
    "frozen layer groups, counted from the input": "замороженные группы слоёв, считая от входа",
    "Validation accuracy (best of each row outlined)": "Точность на проверке (лучшая в строке обведена)",
    "Training time of each run (seconds)": "Время обучения каждого запуска (секунды)",
    "{k}\nup to {group}": "{k}\nдо {group}",
    "0\nnothing": "0\nничего",
    "{task}\n{n} per class": "{task}\n{n} на класс",
    # strategy comparison (experiments.plot_strategies, lesson 05)
    "validation accuracy": "точность на проверке",
    "wall time (seconds)": "время (секунды)",
    "trainable parameters": "обучаемые параметры",
    "Which strategy wins, and what does it cost?": "Какая стратегия выигрывает и чего она стоит?",
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


def tr(text: str, **values) -> str:
    """`text` in the current language (English when no translation is known).

    With keyword arguments, `text` is a template: tr("{n} in", n=3) -> "3 in" (or "входов: 3").
    """
    translated = CATALOGS.get(_current["language"], {}).get(text, text)
    return translated.format(**values) if values else translated
