"""No English leaks into the Russian edition: what a student reads there is Russian.

Two halves:
- every output of the committed Russian notebooks (printed text, tables, HTML, exercise feedback);
- the text inside every figure and widget, drawn with the language set to Russian (the notebooks'
  figures are pictures; here the same functions are drawn again and their text artists read).

A Latin word is allowed only when it is code or a name (ALLOWED, below, says why each is there):
identifiers a student types (`stage6`, `val_acc`, `tt.fit`, `seed`), proper names (PyTorch,
ImageNet, EfficientNet), abbreviations used in Russian too (CPU, PCA), and ImageNet's 1000 class
names, which stay English (lesson 02 says so).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import torch

import tlteach as tt
from tlteach import viz

ROOT = Path(__file__).resolve().parent.parent
RUSSIAN = sorted((ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb"))

ALLOWED = {
    # names of things, written this way in Russian texts too
    "PyTorch", "ImageNet", "EfficientNet", "EfficientNet-Lite0", "EfficientNetLite0", "Lite0", "ResNet", "ResNet-18",
    "SmallCNN", "BatchNorm", "BatchNorm2d", "ReLU", "Linear", "Conv2d", "Colab", "Google", "Jupyter", "tlteach",
    "torchvision", "Python", "MobileNet", "ImageDataset", "History", "Table", "FreezePanel", "FilterExplorer",
    "MiniLM", "USE", "BERT",  # lesson 07's two sentence encoders (Universal Sentence Encoder) and the model family
    "Enter",  # the key (lesson 07's box: «нажмите Enter»)
    # abbreviations Russian uses as they are
    "CPU", "GPU", "PCA", "CT", "px", "RGB",
    # identifiers a student types in the code cells (parameters, model parts, Python values)
    "seed", "lr", "head", "stem", "body", "fc", "classifier", "features", "True", "False", "None",
    "train", "val", "eval", "requires_grad", "tt", "Stop",
    # the lesson plan's own term, in its consolidation questions, quoted word for word in lesson 00
    "transfer", "learning",
}
CALL = re.compile(r"\b[\w.]+\((?:[^()]|\([^()]*\))*\)")  # a whole call, arguments included: tt.freeze(model, 3)
CODE = re.compile(r"[\w.]*[_.\d][\w.]*|[A-Za-z]+(?=\s*[(=\[])")  # snake_case, dotted.names, stage6, f(...), x=...
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")  # Python reprs and code spans: identifiers, not prose
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")


@pytest.fixture(scope="module")
def imagenet_words() -> set:
    return {w for name in tt.backbones.imagenet_classes() for w in WORD.findall(name)}


def english_words(text: str, names: set = frozenset()) -> list:
    """The Latin words of `text` that are neither code nor one of `names` (ImageNet's labels, where prose cites them)."""
    text = QUOTED.sub(" ", CALL.sub(" ", text))
    units = re.findall(r"(?<=\d )(s|k|M)\b", text)  # 7.6 s, 500 k, 2 M: «с», «тыс.», «млн»
    text = CODE.sub(" ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED and w not in names and len(w) > 1] + units


def shown_texts(output: dict) -> list:
    """What a student sees of one output: the richest form Jupyter shows, as plain text."""
    if output.get("output_type") == "stream":
        return ["".join(output["text"])]
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data or "image/png" in data:
        return []  # the widget or the picture is shown, not its text/plain stand-in (widgets: test below)
    if "text/html" in data:
        markup = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", "".join(data["text/html"]), flags=re.S)
        return [html.unescape(re.sub(r"<[^>]+>", " ", markup))]
    return ["".join(data.get("text/plain", ""))]


# A decimal point: Russian writes a decimal comma (94,8 %) and groups thousands with a space (12 810), so "94.8" or
# "0.42" in a Russian output is a number that skipped tt.i18n.number (versions such as 2.14.1 are not numbers).
ENGLISH_DECIMAL = re.compile(r"(?<![\w.,])\d+\.\d+(?![\w.])")
PYTHON_DICT = re.compile(r"\{[^{}]*\}")  # a printed dict is Python's repr: code, with Python's decimal point


def leaks_in_notebook(path: Path) -> list:
    """Latin words and decimal points in what the Russian notebook shows: ImageNet's guesses are Russian too."""
    found = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code" or "shows-code" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            for text in shown_texts(output):
                for line in text.splitlines():
                    words = english_words(line) + ENGLISH_DECIMAL.findall(PYTHON_DICT.sub(" ", QUOTED.sub(" ", line)))
                    if words:
                        found.append(f"{cell.get('id', '?')}: {words} in {line.strip()[:120]!r}")
    return found


def test_the_detector_finds_english_and_passes_code_and_names(imagenet_words):
    assert english_words("Not yet: Replace ... with your answer", imagenet_words) == \
        ["Not", "yet", "Replace", "with", "your", "answer"]
    assert english_words("эпоха 1/10: точность на обучении 0.42", imagenet_words) == []
    assert english_words("время 7.6 s, параметров 2 M", imagenet_words) == ["s", "M"]
    assert english_words("tt.freeze(model, up_to='stage6'): обучается 12 810 из 3 383 818", imagenet_words) == []
    assert english_words("Linear(in_features=1280, out_features=10, bias=True)", imagenet_words) == []
    assert english_words("ImageNet: tabby cat 0.61, Granny Smith 0.12", imagenet_words) == []  # named in prose
    assert english_words("ImageNet: tabby cat 0,61") == ["tabby", "cat"]  # in an output: a guess left in English
    assert english_words("leopard  frozen", imagenet_words) == ["frozen"]  # leopard is an ImageNet class
    assert ENGLISH_DECIMAL.findall("точность 94.8 %, 0,42; обучается 12 810; PyTorch 2.14.1") == ["94.8"]


def test_shown_texts_reads_what_the_student_sees():
    figure = {"output_type": "display_data", "data": {"image/png": "...", "text/plain": "<Figure size 900x400>"}}
    table = {"output_type": "execute_result", "data": {"text/html": "<style>td {color: red}</style><td>frozen</td>",
                                                       "text/plain": "frozen"}}
    assert shown_texts(figure) == [] and shown_texts(table)[0].split() == ["frozen"]


@pytest.mark.parametrize("path", RUSSIAN, ids=lambda p: p.stem)
def test_russian_notebook_outputs_have_no_english(path):
    leaks = leaks_in_notebook(path)
    assert not leaks, f"English in the outputs of {path.name} (translate it, or allow it in ALLOWED):\n" + \
        "\n".join(leaks[:40])


def prose(markdown: str) -> str:
    """A Russian markdown cell without what may be English: code, links, images, (English terms in brackets),
    *titles of papers* and «quoted ImageNet labels»."""
    for pattern in (r"```.*?```", r"!\[[^\]]*\]\([^)]*\)", r"\]\([^)]*\)", r"\([^()]*\)", r"\*[A-Za-z][^*]*\*",
                    r"«[A-Za-z][^»]*»"):
        markdown = re.sub(pattern, " ", markdown, flags=re.S)
    return markdown


@pytest.fixture(scope="module")
def prose_words(imagenet_words) -> set:
    """ImageNet's labels may be named in prose; our own classes have Russian names, so they are not allowed."""
    ours = {name for ds in ("animals", "animals_extra", "xray") for name in tt.data.load_dataset(ds, "val", size=32).classes}
    return imagenet_words - ours


@pytest.mark.parametrize("path", RUSSIAN, ids=lambda p: p.stem)
def test_russian_notebook_prose_has_no_english(path, prose_words):
    allowed = prose_words
    leaks = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            text = prose("".join(cell["source"]))
            leaks += [f"{cell.get('id')}: {english_words(line, allowed)} in {line.strip()[:100]!r}"
                      for line in text.splitlines() if english_words(line, allowed)]
    assert not leaks, f"English in the prose of {path.name}:\n" + "\n".join(leaks)


# ----------------------------------------------------------------------------- figures and widgets
def figure_text(fig) -> list:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


ROWS = [{"epoch": e, "train_loss": 1 / e, "train_acc": 0.3 * e, "val_loss": 1.2 / e, "val_acc": 0.25 * e,
         "seconds": 1.0} for e in (1, 2, 3)]


def every_figure(train, val):
    """Each figure function of the package, drawn on small inputs (the names say which).

    No ImageNet model answers here, so every Latin word counts: our class names must be Russian.
    """
    model = tt.SmallCNN(len(train.classes), width=8)
    small = tt.small_subset(val, per_class=1)
    history, scratch = tt.train.History(label="fine-tuning"), tt.train.History(label="from scratch")
    history.rows, scratch.rows = list(ROWS), list(ROWS)
    comparison = [{"strategy": s, "seed": k, "val_acc": 0.5 + 0.1 * k, "train_acc": 0.9, "trainable_parameters": 100,
                   "seconds": 1.0} for s in ("from scratch", "feature extraction", "fine-tuning") for k in range(3)]
    sweep = tt.sweep.load_results()
    curve = tt.table.Table([{"per_class": n, "seed": s, "images": 10 * n, "train_acc": 1.0, "val_acc": 0.2 + n / 100,
                             "gap": 0.5, "seconds": 1.0} for n in (5, 10) for s in (0, 1)])
    curve.chance = 0.1
    yield "show_images", viz.show_images(train, n=5)
    yield "show_images per class", viz.show_images(train, per_class=True)
    yield "plot_history", viz.plot_history(history, scratch)
    yield "show_filters", viz.show_filters(tt.load_backbone())
    yield "show_feature_maps", viz.show_feature_maps(model, train.images[0], layers=["block1"], n=4)
    yield "show_filter_response", viz.show_filter_response(model, train.images[0], channel=1)
    yield "plot_confusion", viz.plot_confusion(model, small)
    yield "show_predictions", viz.show_predictions(model, small, k=2, n=2)
    yield "plot_embedding", viz.plot_embedding(torch.rand(len(small), 16), small.labels, small.classes)
    yield "plot_strategies", viz.plot_strategies(comparison)
    yield "plot_sweep", viz.plot_sweep(tt.rules.sweep_map(sweep))
    yield "plot_sweep seconds", viz.plot_sweep(tt.rules.sweep_map(sweep, "seconds"))
    yield "plot_data_curve", viz.plot_data_curve(curve)
    backbone = tt.load_backbone()
    yield "plot_transfer_steps as loaded", viz.plot_transfer_steps(backbone)
    tt.replace_head(backbone, train.classes)
    yield "plot_transfer_steps fine-tuning", viz.plot_transfer_steps(tt.unfreeze(backbone, from_="stage6"))
    yield "plot_transfer_steps feature extraction", viz.plot_transfer_steps(tt.freeze(backbone))
    yield "plot_transfer_steps from scratch", viz.plot_transfer_steps(model)
    yield "show_domains", viz.show_domains(train, {"security camera": tt.domains.security_camera(train),
                                                   "sketch": tt.domains.sketch(train)}, n=3)
    yield "plot_beyond", viz.plot_beyond()
    yield "plot_sentences", viz.plot_sentences(tt.text.project_2d(torch.rand(6, 8).numpy()), [0, 1, 2] * 2,
                                               ["refund request", "quality complaint", "product question"],
                                               ["en"] * 3 + ["ru"] * 3)
    runner = tt.runner
    transfer = runner.Runs([runner.Run({"trained_on": t, "k": k, "seed": s, "test_acc": 0.6 + 0.05 * s})
                            for t, k in ((tt.text.experiments.ENGLISH_ONLY, 0), ("Russian reviews", 2)) for s in (0, 1)],
                           setting_columns=("trained_on", "k"), chance=0.5)
    yield "plot_crosslingual", viz.plot_crosslingual(tt.text.crosslingual_lines(transfer))
    tuned = runner.Runs([runner.Run({"learns": learns, "body_lr": lr, "seed": s, "test_acc": 0.7, "seconds": 1.0,
                                     "drift": 0.1}) for learns, lr in (("head", None), ("top", 1e-4), ("all", 1e-2))
                         for s in (0, 1)], chance=0.5)
    yield "plot_finetuning", viz.plot_finetuning(tuned)


def test_every_figure_function_is_drawn_here():
    """A new figure function in viz must be added to every_figure, or its text is never checked."""
    import inspect

    drawn = set(re.findall(r"viz\.(\w+)\(", inspect.getsource(every_figure)))
    made = {name for name, fn in inspect.getmembers(viz, inspect.isfunction)
            if fn.__module__ == viz.__name__ and not name.startswith("_") and "_figure(" in inspect.getsource(fn)}
    assert made - drawn == set(), made - drawn


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_figures_drawn_in_russian_have_no_english(animals_train, animals_val):
    import matplotlib.pyplot as plt

    tt.i18n.set_language("ru")
    leaks = []
    try:
        for name, fig in every_figure(animals_train, animals_val):
            texts = figure_text(fig)
            assert texts, name
            leaks += [f"{name}: {english_words(t, set())} in {t!r}" for t in texts if english_words(t, set())]
            plt.close(fig)
    finally:
        tt.i18n.set_language("en")
    assert not leaks, "\n".join(leaks)


def widget_text(widget) -> list:
    texts = []
    chooses = bool(getattr(widget, "options", None))  # a selection's value is an identifier; its labels are shown
    for name in ("description", "placeholder", "tooltip") + (() if chooses else ("value",)):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            texts.append(html.unescape(re.sub(r"<[^>]+>", " ", value)) if "<" in value else value)
    for option in getattr(widget, "options", ()) or ():
        texts.append(option[0] if isinstance(option, tuple) else str(option))
    for child in getattr(widget, "children", ()):
        texts += widget_text(child)
    return texts


def test_widgets_in_russian_have_no_english(animals_val):
    tt.i18n.set_language("ru")
    try:
        panel = tt.FreezePanel(tt.SmallCNN(10, width=8))
        explorer = tt.FilterExplorer(tt.SmallCNN(10, width=8), animals_val)
        texts = widget_text(panel) + widget_text(explorer)
    finally:
        tt.i18n.set_language("en")
    assert any("обучаются" in t for t in texts)
    leaks = [f"{english_words(t, set())} in {t!r}" for t in texts if english_words(t, set())]
    assert not leaks, "\n".join(leaks)


def test_lesson_07_box_in_russian_has_no_english():
    tt.i18n.set_language("ru")
    try:
        texts, labels, classes = tt.load_texts("emails", "ru", "test")
        box = tt.panels.describe.DescriptionBox(["запрос на возврат денег", "жалоба на качество", "вопрос о товаре"],
                                                classes, (texts[:6], labels[:6]), sentence="Ручка отвалилась.")
        shown = widget_text(box)
    finally:
        tt.i18n.set_language("en")
    assert any("ближайший класс" in t for t in shown)
    leaks = [f"{english_words(t, set())} in {t!r}" for t in shown if english_words(t, set())]
    assert not leaks, "\n".join(leaks)
