"""The Russian edition never drifts from the English one.

How sync is checked (tools/translate.py; the catalogues are gettext's, kept with Babel as the package's are):
- every markdown cell of an English lesson (its source notebooks/NN_name.py) is a message of
  translations/ru/NN_name.po (msgctxt: the cell id, msgid: its English text), translated and not fuzzy;
- a code cell is never copied: each English string or comment a student reads is a message (msgid: its words),
  and the Russian cell is the English code with those tokens replaced; a changed or new sentence fails the
  check until `--update` merges it (as msgmerge: a changed one keeps its translation, fuzzy) and it is
  translated; a code-only edit changes nothing, and a rename inside an f-string's {expression} is followed by
  `--update` alone;
- each notebooks/ru/NN_name.ipynb has exactly the cells of that build: the same ids, types, nbval
  tags and code tokens (only strings and comments differ), the translated prose;
- the Russian notebooks are not re-executed by make test (their code is the English code, checked above, and nbval
  runs the English lessons): their committed outputs carry the English outputs' numbers, cell by cell, so a Russian
  notebook not re-executed after its English lesson changed fails here (`make nbval` runs both editions).
When an English cell changes: python tools/translate.py --update NN, translate the new (empty) and fuzzy messages of
translations/ru/NN_name.po (delete each fuzzy mark once checked), then make notebooks ONLY=NN (it runs --update and
python tools/translate.py and executes the notebooks).
"""
import html
import io
import tokenize
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Message

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402
import translate  # noqa: E402

ENGLISH = translate.english_notebooks()
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
HOW_TO_FIX = ("\nTo fix: python tools/translate.py --update NN, translate the empty and fuzzy messages of "
              "translations/ru/NN_name.po (delete the fuzzy mark once checked), then make notebooks ONLY=NN.")


def cells(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_translations_are_complete_and_up_to_date():
    found = translate.check_all()
    assert not found, "\n".join(found) + HOW_TO_FIX


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_russian_notebook_has_the_english_code(english):
    russian = translate.RU_DIR / english.name
    assert russian.exists(), f"{russian.name} is missing" + HOW_TO_FIX
    translated = {cid: {m.context.split("#")[0] for m in translate.read(cid) if m.id}
                  for cid in (english.stem, translate.COMMON)}
    en_cells, ru_cells = cells(english), cells(russian)
    assert [(c["id"], c["cell_type"]) for c in ru_cells] == [(c["id"], c["cell_type"]) for c in en_cells]
    for en, ru in zip(en_cells, ru_cells):
        if en["cell_type"] != "code":
            continue
        en_code, ru_code = translate.source(en), translate.source(ru)
        assert ru.get("metadata", {}).get("tags", []) == en.get("metadata", {}).get("tags", []), en["id"]
        # the same code: only strings and comments may differ (the setup cell: its words and language="ru")
        assert code_tokens(ru_code) == code_tokens(en_code), en["id"]
        assert translate.code_skeleton(ru_code) == translate.code_skeleton(en_code), en["id"]
        if en["id"] not in translated[translate.COMMON if en["id"] in translate.SHARED else english.stem]:
            assert ru_code == en_code, f"code cell {en['id']!r} differs from the English notebook" + HOW_TO_FIX
        if en["id"] == "setup":
            assert 'language="ru"' in ru_code


def _sanitizers() -> list:
    from nbval.plugin import get_sanitize_patterns  # the masks nbval applies (timings, addresses, progress bars)

    text = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    return [(re.compile(regex), replace) for regex, replace in get_sanitize_patterns(text)]


NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")  # 12,810 · 12 810 · 94.8 · 94,8 · 0.0001


def shown_numbers(cell, sanitizers) -> Counter:
    """The numbers of two digits or more a code cell shows (its text outputs, masked as nbval masks them), as
    digit strings: 12,810 and 12 810 are both 12810, 94.8 and 94,8 both 948. One-digit numbers are left out (they
    are often words: "3 of 3 seeds" may read «3 из 3» or «все три»)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append("".join(out["text"]))
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append("".join(data.get("text/html") or data.get("text/plain") or ""))
    text = html.unescape("".join(parts))  # (&#x27; is an apostrophe, not the number 27)
    for pattern, replacement in sanitizers:
        text = pattern.sub(replacement, text)
    return Counter(d for d in (re.sub(r"\D", "", n) for n in NUMBER.findall(text)) if len(d) >= 2)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_russian_outputs_show_the_english_numbers(english):
    """Each compared cell (nbval's: not tagged nbval-ignore-output or nbval-skip) of the Russian notebook shows the
    numbers of its English cell: the Russian notebook was executed with the code and package of its English one."""
    sanitizers = _sanitizers()
    russian = {c["id"]: c for c in cells(translate.RU_DIR / english.name)}
    different = []
    for cell in cells(english):
        if cell["cell_type"] != "code" or {"nbval-ignore-output", "nbval-skip"} & set(cell["metadata"].get("tags", [])):
            continue
        en, ru = shown_numbers(cell, sanitizers), shown_numbers(russian[cell["id"]], sanitizers)
        if en != ru:
            different.append(f"{cell['id']}: only in English {sorted(en - ru)}, only in Russian {sorted(ru - en)}")
    assert not different, (f"ru/{english.name} shows other numbers than {english.name} (re-execute both: make "
                           "notebooks ONLY=NN):\n" + "\n".join(different))


def test_the_number_reader_reads_both_ways_of_writing():
    out = {"outputs": [{"output_type": "stream", "name": "stdout", "text": ["3 of 3 seeds: 12,810 params, 94.8 %"]}]}
    ru = {"outputs": [{"output_type": "display_data", "data": {"text/plain": "все три сида: 12 810 параметров, 94,8 %"}}]}
    assert shown_numbers(out, []) == shown_numbers(ru, []) == Counter(["12810", "948"])
    assert shown_numbers({"outputs": [{"output_type": "stream", "name": "stdout", "text": "took 12 s"}]},
                         _sanitizers()) == Counter()


def code_tokens(code: str) -> list:
    """The tokens of a cell that are code: everything but its strings, comments and line breaks inside brackets."""
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type not in (tokenize.STRING, tokenize.COMMENT, tokenize.NL)]


def test_code_cells_are_not_copied_into_the_translations():
    """A code cell's messages are its strings and comments, never its code."""
    for english in ENGLISH:
        catalog = translate.read(english.stem)
        for cell in cells(english):
            if cell["cell_type"] == "code":
                texts = {w.text for w in translate.words(translate.source(cell))}
                ours = [m for m in catalog if m.id and m.context.split("#")[0] == cell["id"]]
                assert all(m.id in texts and m.auto_comments[0].startswith(("string", "comment")) for m in ours), \
                    cell["id"]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_prose_is_russian(english):
    catalog = translate.read(english.stem)
    for i, cell in enumerate(cells(english)):
        if cell["cell_type"] == "markdown":
            russian = translate.translation(catalog, cell["id"], translate.english_text(cell, i))
            assert russian and CYRILLIC.search(russian), f"{english.stem}: {cell['id']} is not in Russian"


def test_code_skeleton_ignores_words_only():
    code = 'acc = 0.9\nprint(f"accuracy {100 * acc:.0f} % of {n}")  # a comment\nassert acc > 0.5, "too low"'
    words = 'acc = 0.9\nprint(f"из {n}: точность {100 * acc:.0f} %")  # комментарий\nassert acc > 0.5, "мало"'
    assert translate.code_skeleton(words) == translate.code_skeleton(code)
    for changed in (code.replace("0.5", "0.4"), code.replace("acc > 0.5", "acc >= 0.5"),
                    code.replace("{n}", "{m}"), code + "\nx = 1"):
        assert translate.code_skeleton(changed) != translate.code_skeleton(code)


def lesson_sources(tmp_path, monkeypatch, edit):
    """Every English lesson's .py in tmp_path/notebooks, lesson 01's edited by `edit`, and a copy of the catalogues
    in tmp_path/translations; translate reads (and --update writes) them there."""
    (tmp_path / "notebooks").mkdir()
    for english in ENGLISH:
        text = english.with_suffix(".py").read_text(encoding="utf-8")
        if english.stem == LESSON:
            changed = edit(text)
            assert changed != text
            text = changed
        (tmp_path / "notebooks" / f"{english.stem}.py").write_text(text, encoding="utf-8")
    (tmp_path / "translations").mkdir()
    for po in translate.TRANSLATIONS.glob("*.po"):
        (tmp_path / "translations" / po.name).write_bytes(po.read_bytes())
    monkeypatch.setattr(translate, "EN_DIR", tmp_path / "notebooks")
    monkeypatch.setattr(translate, "TRANSLATIONS", tmp_path / "translations")
    monkeypatch.setattr(translate.lessons, "sync", lambda source: [])
    return tmp_path / "notebooks" / f"{LESSON}.ipynb"


LESSON = "01_overfitting_small_data"


def russian_cell(nb: dict, cid: str) -> str:
    return next(translate.source(c) for c in nb["cells"] if c.get("id") == cid)


def test_a_changed_english_cell_is_fuzzy_after_update_and_fails_the_check(tmp_path, monkeypatch, capsys):
    """An edit of the English prose: the check asks for --update, which keeps the old translation marked fuzzy (the
    old English as its previous msgid); the check fails on it until a translator removes the mark."""
    old = "This is **overfitting**: the network fits its training photos (almost) perfectly"
    new = "This is **overfitting**: the network fits the photos it trained on (almost) perfectly"
    english = lesson_sources(tmp_path, monkeypatch, lambda text: text.replace(old, new))
    found = translate.problems(english)
    assert len(found) == 2 and all(" overfitting: " in p and "--update 01" in p for p in found)
    assert "new text" in found[0] and "no longer used" in found[1]
    assert translate.main(["--check"]) == 1

    assert translate.main(["--update", "01"]) == 0
    message = next(m for m in translate.read(LESSON) if m.context == "overfitting")
    assert message.fuzzy and new in message.id and old in message.previous_id[0] and CYRILLIC.search(message.string)
    po = (tmp_path / "translations" / f"{LESSON}.po").read_text(encoding="utf-8")
    assert "#, fuzzy\n#| msgid" in po
    found = translate.problems(english)
    assert len(found) == 1 and "fuzzy (its English text changed)" in found[0] and " overfitting: " in found[0]
    capsys.readouterr()
    assert translate.main(["01"]) == 1 and "fuzzy" in capsys.readouterr().out  # the build refuses

    (tmp_path / "translations" / f"{LESSON}.po").write_text(po.replace("#, fuzzy\n", "", 1), encoding="utf-8")
    assert translate.problems(english) == []  # the translator checked it


def test_a_changed_printed_sentence_is_untranslated(tmp_path, monkeypatch, capsys):
    old, new = "the network should know (almost) all of its training photos", "nearly every training photo is right"
    english = lesson_sources(tmp_path, monkeypatch, lambda text: text.replace(old, new))
    assert translate.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert f"{LESSON}.po: new text, run `python tools/translate.py --update 01` and translate it: measure-gap: " \
           f"{new!r}" in out
    assert f"{LESSON}.po: no longer used, run `python tools/translate.py --update 01`: measure-gap: {old!r}" in out
    assert len(translate.problems(english)) == 2

    translate.main(["--update", "01"])
    catalog = translate.read(LESSON)
    assert catalog.get(new, "measure-gap").string == "" and catalog.get(old, "measure-gap") is None
    assert translate.problems(english) == [f"{LESSON}.po: untranslated: measure-gap: {new!r}"]
    assert translate.main(["--check"]) == 1

    translate.main(["--update", "01", "measure-gap"])  # every string with a word in the cell, "accuracy" too
    assert translate.read(LESSON).get("accuracy", "measure-gap").string == ""
    assert f"{LESSON}.po: untranslated: measure-gap: 'accuracy'" in translate.problems(english)


def test_renaming_code_needs_no_new_translation(tmp_path, monkeypatch, capsys):
    """A variable renamed everywhere, in f-strings' {expressions} too, and a function renamed: --update carries the
    translations over, renamed alike and not fuzzy, and the Russian cell follows."""
    def rename(text):
        return re.sub(r"\btrain_acc\b", "training_accuracy", text).replace("tt.evaluate(", "tt.measure(")

    english = lesson_sources(tmp_path, monkeypatch, rename)
    assert all("measure-gap" in p for p in translate.problems(english))  # its f-strings' msgids changed
    before = {m.id: m.string for m in translate.read(LESSON)}
    translate.main(["--update", "01"])
    assert translate.problems(english) == []
    catalog = translate.read(LESSON)
    assert not catalogs.fuzzy(catalog) and len(catalog) == len(before)
    assert catalog.get("training photos:   {100 * training_accuracy:3.0f} % right", "measure-gap").string == \
        "обучающие фото:    {100 * training_accuracy:3.0f} % верно"
    assert translate.main(["--check"]) == 1  # the committed Russian notebook is now out of date: rebuild it
    assert "'measure-gap'" in capsys.readouterr().out
    ru = russian_cell(translate.expected(english), "measure-gap")
    assert 'training_accuracy = tt.measure(model, few)["accuracy"]' in ru
    assert 'print(f"обучающие фото:    {100 * training_accuracy:3.0f} % верно")' in ru
    assert 'assert training_accuracy >= 0.95, "сеть должна знать (почти) все свои обучающие фото"' in ru
    assert "train_acc" not in ru and "evaluate" not in ru


def test_the_russian_notebook_is_built_from_the_english_source(tmp_path, monkeypatch):
    """A code edit in the .py, not yet synced into the English .ipynb, already shows as drift of the Russian one."""
    english = ENGLISH[0]
    source = english.with_suffix(".py")
    text = source.read_text(encoding="utf-8")
    assert "import subprocess, sys\n" in text
    (tmp_path / source.name).write_text(text.replace("import subprocess, sys\n", "import subprocess, sys, os\n"),
                                        encoding="utf-8")
    (tmp_path / english.name).write_bytes(english.read_bytes())
    monkeypatch.setattr(translate, "EN_DIR", tmp_path)
    assert translate.problems(tmp_path / english.name) == []
    found = translate.drift(tmp_path / english.name)
    assert len(found) == 1 and "'setup'" in found[0]
    ru = translate.expected(tmp_path / english.name)
    assert "jupytext" not in ru["metadata"] and all("id" not in c["metadata"] for c in ru["cells"])
    setup = translate.source(ru["cells"][1])
    assert "import subprocess, sys, os\n" in setup and 'tt.notebook_setup(seed=0, language="ru")' in setup


def catalog_of(messages: dict):
    """A catalogue of {(msgctxt, msgid): msgstr}."""
    catalog = catalogs.new("ru", "test", "# a test")
    for (context, msgid), msgstr in messages.items():
        catalog.add(msgid, msgstr, context=context)
    return catalog


def cell_problems(code: str, catalog, every_word=()) -> list:
    """--check's findings for one code cell "c" (the file name and the command left out)."""
    cell = {"cell_type": "code", "id": "c", "source": code}
    found = translate.check([(1, cell)], catalog, Path("x.po"), "NN")
    return [p.removeprefix("x.po: ").replace(", run `python tools/translate.py --update NN`", "") for p in found]


def test_replacement_never_touches_code():
    code = ('accuracy = {"accuracy": 0.9}["accuracy"]  # accuracy\n'
            'print("accuracy", accuracy, f"{accuracy:.0%} accuracy", accuracy_words)  # the accuracy\n')
    catalog = catalog_of({("c", "accuracy"): "точность", ("c", "{accuracy:.0%} accuracy"): "точность {accuracy:.0%}",
                          ("c", "the accuracy"): "точность"})
    assert cell_problems(code, catalog) == []
    russian = translate.translate_code(code, "c", catalog)
    assert russian == ('accuracy = {"точность": 0.9}["точность"]  # точность\n'
                       'print("точность", accuracy, f"точность {accuracy:.0%}", accuracy_words)  # точность\n')
    assert code_tokens(russian) == code_tokens(code)


def test_a_string_used_as_code_and_as_words_gets_one_translation_per_occurrence():
    code = 'words = {"higher": "higher"}\nprint(f"it is {words[result]}")\n'
    one_for_all = {("c", "higher"): "выше", ("c", "it is {words[result]}"): "это {words[result]}"}
    assert translate.translate_code(code, "c", catalog_of(one_for_all)) == \
        'words = {"выше": "выше"}\nprint(f"это {words[result]}")\n'
    each = {**one_for_all, ("c", "higher"): "higher", ("c#2", "higher"): "выше"}  # the key stays, the value reads
    assert translate.translate_code(code, "c", catalog_of(each)) == \
        'words = {"higher": "выше"}\nprint(f"это {words[result]}")\n'
    assert cell_problems(code, catalog_of(each)) == []
    assert cell_problems(code, catalog_of({**each, ("c#3", "higher"): "выше"})) == [
        "no longer used: c#3: 'higher'"]  # there is no third "higher"


def test_a_long_sentence_may_be_split_differently_and_words_that_stay_english_translate_as_themselves():
    code = ('tt.conclusion("from scratch" if a else "the first half "\n'
            '              "and the second half.")\n')
    split = {("c", "the first half and the second half."): "первая \nи \nвторая половина."}
    assert cell_problems(code, catalog_of(split)) == ["new text and translate it: c: 'from scratch'"]
    kept = catalog_of({("c", "from scratch"): "from scratch", **split})  # a name the package knows: it stays English
    assert cell_problems(code, kept) == []
    assert translate.translate_code(code, "c", kept) == (
        'tt.conclusion("from scratch" if a else "первая "\n'
        '              "и "\n'
        '              "вторая половина.")\n')


def test_a_translation_may_not_change_the_code():
    code = 'print(f"{n} photos")\n'
    for ru in ("{m} фото", 'фото" + str(n) + "'):
        found = cell_problems(code, catalog_of({("c", "{n} photos"): ru}))
        assert len(found) == 1 and "changes the code itself" in found[0]


def test_an_untranslated_or_fuzzy_message_fails():
    code = 'print(f"{n} photos")\n'
    assert cell_problems(code, catalog_of({("c", "{n} photos"): ""})) == ["untranslated: c: '{n} photos'"]
    catalog = catalog_of({("c", "{n} photos"): "{n} фото"})
    catalog.get("{n} photos", "c").flags.add("fuzzy")
    assert "fuzzy (its English text changed)" in cell_problems(code, catalog)[0]
    assert translate.translate_code(code, "c", catalog) == code  # a fuzzy translation is not used
    catalog = catalog_of({("c", "{n} photos"): "{n} фото"})
    catalog.obsolete["gone"] = Message("gone", "ушло", context="c")  # an entry a tool left as "#~"
    assert cell_problems(code, catalog) == ["obsolete entry (#~), delete it: c: 'gone'"]


def test_which_strings_need_a_translation():
    code = ('data = tt.load("animals", split="val", from_="stage5", label="10 per class")  # a comment\n'
            'print(f"{n} photos", f"{x:.1f}", f"model.{where}", "")  # noqa: E501\n')
    assert cell_problems(code, catalog_of({})) == [
        "new text and translate it: c: '10 per class'", "new text and translate it: c: 'a comment'",
        "new text and translate it: c: '{n} photos'", "new text and translate it: c: 'model.{where}'"]
    keep = catalog_of({("c", text): text for text in ("10 per class", "a comment", "{n} photos", "model.{where}")})
    assert cell_problems(code, keep) == []
    translated = catalog_of({("c", "val"): "проверка"})  # a word that is code needs no message, but may have one
    assert "no longer used: c: 'val'" not in cell_problems(code, translated)
    every = translate.template([(1, {"cell_type": "code", "id": "c", "source": code})], catalog_of({}), ["c"])
    assert [m.id for m in every if m.id] == ["animals", "val", "stage5", "10 per class", "a comment", "{n} photos",
                                              "{x:.1f}", "model.{where}"]  # --update NN c: every string with a word
