"""The Russian catalogue covers every text the package translates, and figures follow the language."""
import string
import sys
import warnings
from pathlib import Path

import pytest
import torch
from torch import nn

import tlteach as tt
from tlteach import i18n, viz
from tlteach.i18n import tr

PACKAGE = Path(tt.__file__).resolve().parent
ROOT = PACKAGE.parent
sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402  (tools/messages.py: finds the texts, keeps the .po/.mo catalogues)


@pytest.fixture
def russian():
    tt.i18n.set_language("ru")
    yield
    tt.i18n.set_language("en")


def placeholders(text: str) -> set:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_the_scan_finds_texts_in_calls_fstrings_and_marks():
    texts = messages.texts("tlteach")
    for text in ("Loss (lower is better)", "Which layer groups learn?",  # a tr() inside an f-string
                 "frozen", "partly frozen", "cannot tell", "val_acc",     # N_() marks of texts chosen at run time
                 ("{n} image", "{n} images"),                             # trn(singular, plural, n)
                 ("class name", "leopard"), ("dataset name", "xray")):    # the bundled datasets
        assert text in texts, text
    exercise_texts = messages.texts("exercises")
    assert "Right" in exercise_texts and len(exercise_texts) > 60
    assert exercise_texts["Replace ... (or None) with your answer, then run the cell again."].endswith(".py:" + \
        exercise_texts["Replace ... (or None) with your answer, then run the cell again."].rsplit(":", 1)[1])


def test_catalogues_are_complete_and_compiled():
    """Every text the package shows has a Russian translation, and the .mo files are built from the .po files."""
    found = messages.problems()
    assert not found, "run `make messages` and translate:\n" + "\n".join(found)


def test_the_check_reads_the_compiled_messages_not_their_bytes(monkeypatch, tmp_path):
    """A .mo compiled by another Babel (another header) is up to date; one with a changed translation is stale."""
    catalog = messages.read("ru", "tlteach")
    (tmp_path / "tlteach.po").write_bytes(messages.po_path("ru", "tlteach").read_bytes())
    monkeypatch.setattr(messages, "po_path", lambda language, domain: tmp_path / f"{domain}.po")
    monkeypatch.setattr(messages, "KEYWORDS", {"tlteach": messages.KEYWORDS["tlteach"]})
    catalog.mime_headers = [(k, "Babel 0.0-other" if k == "Generated-By" else v) for k, v in catalog.mime_headers]
    (tmp_path / "tlteach.mo").write_bytes(messages.compiled(catalog))
    assert not messages.problems()

    message = next(m for m in catalog if m.id == "cannot tell")
    message.string = "что-то другое"
    (tmp_path / "tlteach.mo").write_bytes(messages.compiled(catalog))
    assert messages.problems() == ["tlteach.mo is stale: run `make messages`"]


def test_the_check_fails_on_a_new_untranslated_text(monkeypatch):
    real = messages.texts
    monkeypatch.setattr(messages, "texts", lambda domain: {**real(domain), "a brand-new text": "here:1"})
    assert any("a brand-new text" in p for p in messages.problems())


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_a_changed_english_text_keeps_its_translation_as_fuzzy(monkeypatch, tmp_path):
    """An English text edited in the package: `make messages` keeps its old translation, marked fuzzy (Babel's
    Catalog.update, as msgmerge), leaves it out of the .mo, and the check asks for it to be checked."""
    from babel.messages.pofile import write_po

    for suffix in (".po", ".mo"):
        (tmp_path / f"tlteach{suffix}").write_bytes(messages.po_path("ru", "tlteach").with_suffix(suffix).read_bytes())
    monkeypatch.setattr(messages, "po_path", lambda language, domain: tmp_path / f"{domain}.po")
    monkeypatch.setattr(messages, "KEYWORDS", {"tlteach": messages.KEYWORDS["tlteach"]})
    old, new = "BatchNorm re-estimated (no labels)", "BatchNorm statistics re-estimated (no labels)"
    translation = messages.read("ru", "tlteach").get(old).string
    real = messages.texts
    monkeypatch.setattr(messages, "texts", lambda domain: {(new if k == old else k): w for k, w in real(domain).items()})
    assert any("new text" in p and repr(new) in p for p in messages.problems())

    messages.write("ru", "tlteach")  # make messages
    catalog = messages.read("ru", "tlteach")
    message = catalog.get(new)
    assert catalog.get(old) is None and message.fuzzy and message.string == translation
    assert f'#| msgid "{old}"' in (tmp_path / "tlteach.po").read_text(encoding="utf-8")  # what the English was
    assert (None, new) not in messages.compiled_meaning(tmp_path / "tlteach.mo")  # the package shows the English
    assert messages.problems() == [f"tlteach.po: fuzzy (its English text changed): check the translation, remove "
                                   f"the fuzzy mark, run `make messages`: {new!r}"]

    message.flags.discard("fuzzy")  # the translator checked it
    with open(tmp_path / "tlteach.po", "wb") as f:
        write_po(f, catalog, width=120, no_location=True)
    messages.write("ru", "tlteach")
    assert messages.problems() == []
    assert messages.compiled_meaning(tmp_path / "tlteach.mo")[(None, new)] == translation


def test_an_unchanged_catalogue_is_not_rewritten(monkeypatch, tmp_path):
    """`make messages` on an unchanged tree leaves the .po and .mo files as they are (no new date, no new header)."""
    for suffix in (".po", ".mo"):
        (tmp_path / f"tlteach{suffix}").write_bytes(messages.po_path("ru", "tlteach").with_suffix(suffix).read_bytes())
    monkeypatch.setattr(messages, "po_path", lambda language, domain: tmp_path / f"{domain}.po")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    messages.write("ru", "tlteach")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("domain", ["tlteach", "exercises"])
def test_russian_templates_keep_their_placeholders(domain):
    wrong = []
    for message in messages.read("ru", domain):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        wanted = placeholders(ids[0]) | placeholders(ids[-1])
        wrong += [(ids[0], s) for s in strings if placeholders(s) - {"n"} != wanted - {"n"}]
    assert not wrong, wrong


def test_russian_plural_forms(russian):
    forms = {n: tt.i18n.trn("{n} image", "{n} images", n) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111)}
    assert forms == {1: "1 изображение", 2: "2 изображения", 4: "4 изображения", 5: "5 изображений",
                     11: "11 изображений", 12: "12 изображений", 21: "21 изображение", 22: "22 изображения",
                     25: "25 изображений", 101: "101 изображение", 111: "111 изображений"}
    assert tt.i18n.trn("{n} image", "{n} images", 2.5) == "2,5 изображения"  # a fraction: the form of 2, a decimal comma


def test_english_plural_forms():
    assert [tt.i18n.trn("{n} image", "{n} images", n) for n in (1, 2, 21)] == ["1 image", "2 images", "21 images"]


def test_class_and_dataset_names(russian):
    assert tt.i18n.class_names(["leopard", "sea_horse", "pneumonia"]) == ["леопард", "морской конёк", "пневмония"]
    assert tt.i18n.class_name("tabby cat") == "tabby cat"  # ImageNet's names (and a student's own) stay
    assert tt.i18n.dataset_name("xray") == "рентген"
    assert tt.i18n.class_name("xray") == "xray"  # contexts keep class and dataset names apart


def test_numbers_are_grouped_the_russian_way(russian):
    assert tt.i18n.number(3383818) == "3\u00a0383\u00a0818"
    tt.i18n.set_language("en")
    assert tt.i18n.number(3383818) == "3,383,818"


def test_exercise_feedback_follows_the_language(russian):
    assert repr(tt.check("01.memorised", None)).startswith("✗ Пока нет: Замените")
    right = tt.check("01.memorised", "b")
    assert right and repr(right).startswith("✓ Верно: Она заучила")
    assert "Верно" in right._repr_html_()
    specific = tt.check("04.trainable_count", 12810)  # a judge's own message (the head alone)
    assert not specific and "голова" in specific.message.lower()
    assert "Нужно целое число" in tt.check("04.trainable_count", "many").message


def test_tables_show_russian_headers_and_words_but_keep_their_keys(russian):
    table = tt.trainable_summary(tt.freeze(tt.SmallCNN(10), up_to="block2"))
    text = str(table)
    assert "группа" in text and "заморожено" in text and "обучается" in text and "всего" in text
    assert "frozen" not in text and "98\u00a0970" in text
    assert table["status"][0] == "frozen" and table.rows[-1]["group"] == "total"  # code still reads the keys
    assert "да" in str(tt.table.Table([{"x": True}]))
    html = table._repr_html_()
    assert "<th>группа</th>" in html


def test_dataset_descriptions_in_russian(russian, animals_train):
    text = repr(tt.small_subset(animals_train, 10))
    assert text == "ImageDataset 'животные, 10 на класс' (обучение): 100 изображений, 64x64 пикс., 10 классов"


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
        assert images._suptitle.get_text() == "животные (обучение): 5 из 300 изображений"
        assert {ax.get_title() for ax in images.get_axes()} <= set(tt.i18n.class_names(animals_train.classes))
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


def test_predictions_read_in_russian_for_imagenet_and_our_classes(animals_val, russian):
    """A model answering in ImageNet's classes (lesson 02) and one answering in ours: both in Russian."""
    few = tt.small_subset(animals_val, per_class=1)
    imagenet_like = tt.SmallCNN(2, width=8)
    fig = viz.show_predictions(imagenet_like, few.images[:2], classes=["horizontal bar", "jaguar"], k=2)
    ticks = {t.get_text() for ax in fig.get_axes() for t in ax.get_yticklabels()}
    assert {"турник", "ягуар"} <= ticks and not ticks & {"horizontal bar", "jaguar"}
    ours = viz.show_predictions(tt.SmallCNN(len(few.classes), width=8), few, k=10, n=1)
    ticks = {t.get_text() for ax in ours.get_axes() for t in ax.get_yticklabels()}
    assert "леопард" in ticks and "leopard" not in ticks


def test_russian_writes_a_decimal_comma(russian):
    assert tt.i18n.number(94.83, 1) == "94,8" and tt.i18n.percent(0.948) == "94,8 %"
    assert tt.i18n.number(12345.6, 1) == "12\u00a0345,6"
    assert tt.i18n._fill("{acc:.1f} % · {n} · {t}", {"acc": 94.83, "n": 3, "t": 0.5}) == "94,8 % · 3 · 0,5"
    assert tt.i18n._fill("{name}", {"name": "v1.2"}) == "v1.2"  # words are not numbers
    tt.i18n.set_language("en")
    assert tt.i18n.percent(0.948) == "94.8 %" and tt.i18n._fill("{acc:.1f}", {"acc": 94.83}) == "94.8"


def test_imagenet_guesses_read_in_russian(russian):
    """A pretrained network's guesses (ImageNet's 1000 classes) are shown in the lesson's language."""
    import re

    names = tt.backbones.imagenet_classes()
    english = [n for n in names if not re.search("[а-яё]", tt.i18n.class_name(n), re.IGNORECASE)]
    assert not english, f"ImageNet classes without a Russian name: {english[:10]}"
    assert tt.i18n.class_name("horizontal bar") == "турник" and tt.i18n.class_name("leopard") == "леопард"
    assert tt.i18n.class_name("my_own_folder") == "my_own_folder"  # a student's own class stays as named
    tt.i18n.set_language("en")
    assert tt.i18n.class_name("horizontal bar") == "horizontal bar"
