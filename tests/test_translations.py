"""The Russian edition never drifts from the English one.

How sync is checked:
- every markdown cell of an English lesson (its source notebooks/NN_name.py) has a translation made
  from its current text (each entry in translations/ru/NN_name.yml stores the hash of the English cell);
- a code cell is never copied: its entry pairs each English string or comment a student reads with its
  Russian, and the Russian cell is the English code with those tokens replaced; a pair whose English is
  gone, or a new sentence without a pair, fails the check; a code-only edit (a rename) changes nothing;
- each notebooks/ru/NN_name.ipynb has exactly the cells of that build: the same ids, types, nbval
  tags and code tokens (only strings and comments differ), the translated prose;
- the Russian notebooks are not re-executed by make test (their code is the English code, checked above, and nbval
  runs the English lessons): their committed outputs carry the English outputs' numbers, cell by cell, so a Russian
  notebook not re-executed after its English lesson changed fails here (`make nbval` runs both editions).
When an English cell changes: python tools/translate.py --stub NN_name, translate the TODO
entries, make notebooks ONLY=NN (it runs python tools/translate.py and executes the notebooks).
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import translate  # noqa: E402

ENGLISH = translate.english_notebooks()
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
HOW_TO_FIX = ("\nTo fix: python tools/translate.py --stub NN_name, translate the entries marked TODO in "
              "translations/ru/NN_name.yml, then make notebooks ONLY=NN.")


def cells(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_translations_are_complete_and_up_to_date():
    found = translate.check_all()
    assert not found, "\n".join(found) + HOW_TO_FIX


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_russian_notebook_has_the_english_code(english):
    russian = translate.RU_DIR / english.name
    assert russian.exists(), f"{russian.name} is missing" + HOW_TO_FIX
    entries = translate.load_translations(english.stem)
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
        if en["id"] not in entries:
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
    for english in ENGLISH:
        entries = translate.load_translations(english.stem)
        for cell in cells(english):
            if cell["cell_type"] == "code" and cell["id"] in entries:
                assert "text" not in entries[cell["id"]] and "en_sha" not in entries[cell["id"]], cell["id"]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_prose_is_russian(english):
    entries = translate.load_translations(english.stem)
    for cell in cells(english):
        if cell["cell_type"] == "markdown":
            assert CYRILLIC.search(entries[cell["id"]]["text"]), f"{english.stem}: {cell['id']} is not in Russian"


def test_code_skeleton_ignores_words_only():
    code = 'acc = 0.9\nprint(f"accuracy {100 * acc:.0f} % of {n}")  # a comment\nassert acc > 0.5, "too low"'
    words = 'acc = 0.9\nprint(f"из {n}: точность {100 * acc:.0f} %")  # комментарий\nassert acc > 0.5, "мало"'
    assert translate.code_skeleton(words) == translate.code_skeleton(code)
    for changed in (code.replace("0.5", "0.4"), code.replace("acc > 0.5", "acc >= 0.5"),
                    code.replace("{n}", "{m}"), code + "\nx = 1"):
        assert translate.code_skeleton(changed) != translate.code_skeleton(code)


def test_a_changed_english_cell_makes_the_check_fail(tmp_path, monkeypatch):
    """Simulate an edit of the English source (NN_name.py): the translation becomes stale and --check says so."""
    import jupytext

    english = ENGLISH[0]
    nb = translate.lessons.read_source(english.with_suffix(".py"))
    markdown = next(c for c in nb["cells"][1:] if c["cell_type"] == "markdown")
    markdown["source"] = translate.source(markdown) + "\nOne more sentence."
    jupytext.write(nb, tmp_path / f"{english.stem}.py", fmt="py:percent")
    monkeypatch.setattr(translate, "EN_DIR", tmp_path)
    found = translate.problems(tmp_path / english.name)
    assert len(found) == 1 and repr(markdown["id"]) in found[0] and "changed in English" in found[0]


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


def lesson_sources(tmp_path, edit):
    """Every English lesson's .py in tmp_path, lesson 01's edited by `edit`; translate reads them from there."""
    for english in ENGLISH:
        text = english.with_suffix(".py").read_text(encoding="utf-8")
        if english.stem == LESSON:
            changed = edit(text)
            assert changed != text
            text = changed
        (tmp_path / f"{english.stem}.py").write_text(text, encoding="utf-8")
    return tmp_path / f"{LESSON}.ipynb"


LESSON = "01_overfitting_small_data"


def russian_cell(nb: dict, cid: str) -> str:
    return next(translate.source(c) for c in nb["cells"] if c.get("id") == cid)


def test_renaming_code_needs_no_new_translation(tmp_path, monkeypatch, capsys):
    """A variable renamed everywhere, in f-strings' {expressions} too, and a function renamed: the Russian cell
    follows, with no change to the translation."""
    def rename(text):
        return re.sub(r"\btrain_acc\b", "training_accuracy", text).replace("tt.evaluate(", "tt.measure(")

    english = lesson_sources(tmp_path, rename)
    monkeypatch.setattr(translate, "EN_DIR", tmp_path)
    assert translate.problems(english) == []
    assert translate.main(["--check"]) == 1  # the committed Russian notebook is now out of date: rebuild it
    assert "'measure-gap'" in capsys.readouterr().out
    ru = russian_cell(translate.expected(english), "measure-gap")
    assert 'training_accuracy = tt.measure(model, few)["accuracy"]' in ru
    assert 'print(f"обучающие фото:    {100 * training_accuracy:3.0f} % верно")' in ru
    assert 'assert training_accuracy >= 0.95, "сеть должна знать (почти) все свои обучающие фото"' in ru
    assert "train_acc" not in ru and "evaluate" not in ru


def test_a_changed_printed_sentence_is_untranslated(tmp_path, monkeypatch, capsys):
    old, new = "the network should know (almost) all of its training photos", "nearly every training photo is right"
    english = lesson_sources(tmp_path, lambda text: text.replace(old, new))
    monkeypatch.setattr(translate, "EN_DIR", tmp_path)
    assert translate.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert f"code cell 'measure-gap': untranslated string {new!r}" in out
    assert f"code cell 'measure-gap': translates the string {old!r}, which is no longer in the cell" in out
    assert len(translate.problems(english)) == 2

    monkeypatch.setattr(translate, "TRANSLATIONS", tmp_path / "translations")
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / f"{LESSON}.yml").write_bytes(
        (translate.ROOT / "translations" / "ru" / f"{LESSON}.yml").read_bytes())
    monkeypatch.setattr(translate.lessons, "sync", lambda source: [])
    assert translate.stub(LESSON) == ["measure-gap"]  # the stub lists the new sentence to translate
    pairs = translate.load_translations(LESSON)["measure-gap"]["strings"]
    assert {"en": new, "ru": translate.TODO} in pairs and any(p.get("en") == old for p in pairs)
    assert any("still marked 'TODO translate'" in p for p in translate.problems(english))


def test_replacement_never_touches_code():
    code = ('accuracy = {"accuracy": 0.9}["accuracy"]  # accuracy\n'
            'print("accuracy", accuracy, f"{accuracy:.0%} accuracy", accuracy_words)  # the accuracy\n')
    entry = {"strings": [{"en": "accuracy", "ru": "точность"}, {"comment": "accuracy", "ru": "точность"},
                         {"en": "{accuracy:.0%} accuracy", "ru": "точность {accuracy:.0%}"},
                         {"comment": "the accuracy", "ru": "точность"}]}
    russian, found = translate.translate_code(code, entry)
    assert found == []
    assert russian == ('accuracy = {"точность": 0.9}["точность"]  # точность\n'
                       'print("точность", accuracy, f"точность {accuracy:.0%}", accuracy_words)  # точность\n')
    assert code_tokens(russian) == code_tokens(code)


def test_a_string_used_as_code_and_as_words_gets_one_translation_per_occurrence():
    code = 'words = {"higher": "higher"}\nprint(f"it is {words[result]}")\n'
    one_for_all = {"strings": [{"en": "higher", "ru": "выше"}, {"en": "it is {words[result]}", "ru": "это {words[result]}"}]}
    assert translate.translate_code(code, one_for_all) == (
        'words = {"выше": "выше"}\nprint(f"это {words[result]}")\n', [])
    each = {"strings": [{"en": "higher", "ru": "higher"}, {"en": "higher", "ru": "выше"}, *one_for_all["strings"][1:]]}
    assert translate.translate_code(code, each)[0] == 'words = {"higher": "выше"}\nprint(f"это {words[result]}")\n'
    three = {"strings": [*each["strings"][:2], {"en": "higher", "ru": "выше"}, *one_for_all["strings"][1:]]}
    assert "occurs 2 times but has 3 translations" in translate.translate_code(code, three)[1][0]


def test_a_long_sentence_may_be_split_differently_and_words_that_stay_english_are_listed():
    code = ('tt.conclusion("from scratch" if a else "the first half "\n'
            '              "and the second half.")\n')
    entry = {"strings": [{"en": "the first half and the second half.", "ru": ["первая ", "и ", "вторая половина."]}]}
    assert translate.translate_code(code, entry)[1] == ["untranslated string 'from scratch'"]
    entry["keep"] = ["from scratch"]  # a name the package knows: it stays English
    assert translate.translate_code(code, entry) == (
        'tt.conclusion("from scratch" if a else "первая "\n'
        '              "и "\n'
        '              "вторая половина.")\n', [])


def test_a_translation_may_not_change_the_code():
    code = 'print(f"{n} photos")\n'
    for ru in ("{m} фото", 'фото" + str(n) + "'):
        found = translate.translate_code(code, {"strings": [{"en": "{n} photos", "ru": ru}]})[1]
        assert "changes the code itself" in found[0]


def test_which_strings_need_a_translation():
    code = ('data = tt.load("animals", split="val", from_="stage5", label="10 per class")  # a comment\n'
            'print(f"{n} photos", f"{x:.1f}", f"model.{where}", "")  # noqa: E501\n')
    assert translate.translate_code(code, None)[1] == [
        "untranslated string '10 per class'", "untranslated comment 'a comment'", "untranslated string '{n} photos'",
        "untranslated string 'model.{where}'"]
    assert translate.translate_code(code, {"keep": ["10 per class", "a comment", "{n} photos", "model.{where}"]})[1] == []
