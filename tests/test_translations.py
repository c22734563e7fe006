"""The Russian edition never drifts from the English one.

How sync is checked:
- every markdown cell of an English lesson (its source notebooks/NN_name.py) has a translation made
  from its current text (each entry in translations/ru/NN_name.yml stores the hash of the English cell);
- each notebooks/ru/NN_name.ipynb has exactly the cells of its English source: the same ids,
  types and nbval tags, the same code (except the setup line, and code cells translated on
  purpose, whose code may differ only in strings and comments), the translated prose;
- the Russian notebooks are executed and run by nbval like the English ones (make test).
When an English cell changes: python tools/translate.py --stub NN_name, translate the TODO
entries, make notebooks ONLY=NN (it runs python tools/translate.py and executes the notebooks).
"""
import json
import re
import sys
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
        if en["id"] == "setup":
            assert ru_code == translate.notebook_cells.russian_setup(en_code)
            assert 'language="ru"' in ru_code
        elif en["id"] in entries:  # translated on purpose: only strings and comments may differ
            assert translate.code_skeleton(ru_code) == translate.code_skeleton(en_code), en["id"]
        else:
            assert ru_code == en_code, f"code cell {en['id']!r} differs from the English notebook" + HOW_TO_FIX


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
    assert "import tlteach as tt\n" in text
    (tmp_path / source.name).write_text(text.replace("import tlteach as tt\n", "import tlteach as tt  # edited\n"),
                                        encoding="utf-8")
    (tmp_path / english.name).write_bytes(english.read_bytes())
    monkeypatch.setattr(translate, "EN_DIR", tmp_path)
    assert translate.problems(tmp_path / english.name) == []
    found = translate.drift(tmp_path / english.name)
    assert len(found) == 1 and "'setup'" in found[0]
    ru = translate.expected(tmp_path / english.name)
    assert "jupytext" not in ru["metadata"] and all("id" not in c["metadata"] for c in ru["cells"])
    assert 'as tt  # edited\ntt.notebook_setup(seed=0, language="ru")' in translate.source(ru["cells"][1])
