"""The Russian catalogue covers every text the package translates, and figures follow the language."""
import ast
import string
import warnings
from pathlib import Path

import pytest
import torch
from torch import nn

import tlteach as tt
from tlteach import i18n, viz
from tlteach.i18n import RU, tr

PACKAGE = Path(tt.__file__).resolve().parent

# Texts passed to tr() through a variable, with the values that variable can take.
DYNAMIC = {
    "widgets._group_status": ["frozen", "trainable", "partly frozen"],
    "FilterExplorer weights toggle": ["pretrained", "this model", "random init"],
    "dataset splits": ["train", "val"],
}


def placeholders(text: str) -> set:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def tr_texts() -> dict:
    """{text: "file:line"} for every string literal passed to tr(), in every module of tlteach.

    A call tr(title) whose argument is a parameter with a string default counts that default.
    """
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defaults = {}
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = fn.args.args[len(fn.args.args) - len(fn.args.defaults):] + fn.args.kwonlyargs
                values = fn.args.defaults + [d for d in fn.args.kw_defaults]
                for arg, value in zip(args, values):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        defaults[arg.arg] = value.value
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name != "tr":
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = f"{path.name}:{node.lineno}"
            elif isinstance(first, ast.Name) and first.id in defaults:
                found[defaults[first.id]] = f"{path.name}:{node.lineno} (default of {first.id})"
    return found


def test_the_scan_finds_the_texts_of_viz_and_widgets():
    texts = tr_texts()
    assert len(texts) > 40
    for text in ("Loss (lower is better)", "Which layer groups learn?", "{shown} of {total} images",
                 "true: {name}", "input", "output", "Filter", "image"):
        assert text in texts, text


def test_every_translated_text_has_a_russian_entry():
    missing = [f"{where}: {text!r}" for text, where in tr_texts().items() if text not in RU]
    assert not missing, "add these to RU in tlteach/i18n.py:\n" + "\n".join(missing)


@pytest.mark.parametrize("where", DYNAMIC)
def test_texts_chosen_at_run_time_are_translated(where):
    assert all(text in RU for text in DYNAMIC[where]), [t for t in DYNAMIC[where] if t not in RU]


def test_russian_templates_keep_their_placeholders():
    wrong = {en: ru for en, ru in RU.items() if placeholders(en) != placeholders(ru)}
    assert not wrong, wrong
    assert all(ru.strip() for ru in RU.values())


def test_tr_fills_templates_in_both_languages():
    assert tr("{shown} of {total} images", shown=10, total=300) == "10 of 300 images"
    assert tr("not in the catalogue {x}", x=1) == "not in the catalogue 1"
    tt.i18n.set_language("ru")
    try:
        assert tr("{shown} of {total} images", shown=10, total=300) == "10 из 300 изображений"
        assert tr("accuracy") == "точность"
        assert tr("some text without a translation") == "some text without a translation"
    finally:
        tt.i18n.set_language("en")


def test_set_language_checks_its_argument():
    assert tt.i18n.get_language() == "en"
    with pytest.raises(tt.errors.TLTeachError, match="Choose one of: en, ru"):
        tt.i18n.set_language("de")
    with pytest.raises(tt.errors.TLTeachError):
        tt.i18n.set_language("RU ")
    assert tt.i18n.get_language() == "en"  # a bad call changes nothing
    assert tt.i18n.set_language("ru") == "ru" and tt.i18n.get_language() == "ru"
    tt.i18n.set_language("en")
    assert i18n.tr("accuracy") == "accuracy"


def test_notebook_setup_sets_the_language():
    try:
        tt.notebook_setup(seed=0, quiet=True, language="ru")
        assert tt.i18n.get_language() == "ru"
    finally:
        tt.notebook_setup(seed=0, quiet=True)
    assert tt.i18n.get_language() == "en"


def all_text(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text())


def draw_without_missing_glyphs(fig) -> None:
    """Render the figure; matplotlib warns "Glyph ... missing from font" when a letter has no shape."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing


ROWS = [{"epoch": e, "train_loss": 1 / e, "train_acc": 0.3 * e, "val_loss": 1.2 / e, "val_acc": 0.25 * e,
         "seconds": 1.0} for e in (1, 2, 3)]


def test_figures_drawn_in_russian_have_russian_titles(animals_train):
    tt.i18n.set_language("ru")
    try:
        curves = viz.plot_history(ROWS, ROWS, labels=["a", "b"])
        loss_ax, acc_ax = curves.get_axes()[:2]
        assert loss_ax.get_title() == "Потери (чем ниже, тем лучше)"
        assert acc_ax.get_title() == "Точность (чем выше, тем лучше)" and acc_ax.get_xlabel() == "эпоха"
        assert {"обучение (во время эпохи)", "проверка"} <= {t.get_text() for t in acc_ax.get_legend().get_texts()}
        draw_without_missing_glyphs(curves)

        images = viz.show_images(animals_train, n=5)
        assert images._suptitle.get_text() == "animals (обучение): 5 из 300 изображений"
        draw_without_missing_glyphs(images)

        conv = nn.Conv2d(3, 8, 3)
        filters = viz.show_filters(conv)
        assert "8 из 8 фильтров" in filters._suptitle.get_text() and "цветные" in filters._suptitle.get_text()

        model = tt.SmallCNN(3, width=8)
        maps = viz.show_feature_maps(model, torch.rand(3, 32, 32), layers=["block1"], n=4)
        text = all_text(maps)
        assert "Карты признаков" in text and "изображение" in text and "каналов — 8" in text
        draw_without_missing_glyphs(maps)

        response = viz.show_filter_response(model, torch.rand(3, 32, 32), channel=1)
        text = all_text(response)
        assert "изображение" in text and "фильтр 1" in text and "отклик" in text
    finally:
        tt.i18n.set_language("en")
    english = viz.plot_history(ROWS)
    assert english.get_axes()[0].get_title() == "Loss (lower is better)"  # back to English


def test_predictions_and_confusion_in_russian(animals_val):
    few = tt.small_subset(animals_val, per_class=1)
    model = tt.SmallCNN(len(few.classes), width=8)
    tt.i18n.set_language("ru")
    try:
        confusion = viz.plot_confusion(model, few)
        ax = confusion.get_axes()[0]
        assert ax.get_title().startswith("Точность") and "верно" in ax.get_title()
        assert ax.get_xlabel() == "предсказанный класс" and ax.get_ylabel() == "истинный класс"
        predictions = viz.show_predictions(model, few, k=2, n=2)
        assert predictions.get_axes()[0].get_title().startswith("класс: ")
        assert "топ-2" in predictions._suptitle.get_text() and "зелёный" in predictions._suptitle.get_text()
        draw_without_missing_glyphs(predictions)
    finally:
        tt.i18n.set_language("en")


def feedback_literals() -> dict:
    """{message: "file:line"} for every Feedback(..., "fixed message") in checks.py and the exercise modules."""
    found = {}
    for path in [PACKAGE / "checks.py", *sorted((PACKAGE / "exercises").glob("lesson*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Feedback" and len(node.args) == 2
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                found[node.args[1].value] = f"{path.name}:{node.lineno}"
    return found


def test_every_exercise_text_has_a_russian_entry():
    """Feedback of tt.check in Russian notebooks: every right/hint text and fixed message is in the catalogue."""
    from tlteach.exercises import EXERCISES
    from tlteach.i18n import CATALOGS

    texts = {}
    for name, exercise in EXERCISES.items():
        for field, text in [("right", exercise.right), ("hint", exercise.hint),
                            *[(f"hints[{answer!r}]", hint) for answer, hint in exercise.hints.items()]]:
            texts[text] = f"{name} {field}"
    texts.update(feedback_literals())
    missing = [f"{where}: {text!r}" for text, where in texts.items() if text not in CATALOGS["ru"]]
    assert not missing, "add these to RU_EXERCISES in tlteach/i18n.py:\n" + "\n".join(missing)
