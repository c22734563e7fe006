"""Lesson 01's glossary ("Words we use") and the links to it: each term is defined once, before the lessons use it.

- the glossary cell (id "glossary") has an anchor for each of the 12 terms, in both editions;
- in lessons 01-05, the first markdown cell that uses a term links to its anchor (`#glossary-loss` in lesson 01,
  `01_overfitting_small_data.ipynb#glossary-loss` elsewhere: the form JupyterLab and GitHub both follow);
- each Russian cell links to the same terms as its English cell, and every link points at an anchor that exists.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("0[1-5]_*.py"))
GLOSSARY_LESSON = "01_overfitting_small_data"
TERMS = {"loss": r"loss(?:es)?", "gradient": r"gradients?", "learning-rate": r"learning\s+rates?",
         "batch": r"batch(?:es)?(?! normali)(?!Norm)", "epoch": r"epochs?", "validation": r"validation",
         "overfitting": r"overfit(?:ting|s)?", "pretrained": r"pretrained", "head": r"heads?",
         "freezing": r"freez(?:e|ing|es)|frozen", "fine-tuning": r"fine-tun(?:e|ing|ed)",
         "feature-extraction": r"feature\s+extraction"}
LINK = re.compile(r"\]\((?P<target>[\w.]*)#glossary-(?P<term>[a-z-]+)\)")
NOT_PROSE = re.compile(r"`[^`\n]*`|\[[^\]]*\]\([^)]*\)|^#+ .*$|<a [^>]*>|\(https?://[^)]*\)", re.M)


def markdown_cells(path: Path) -> list:
    """(id, text) of each markdown cell of a jupytext py:percent lesson, in order."""
    cells = []
    for header, body in re.findall(r'(?m)^# %% \[markdown\] id="([^"]+)".*\n((?:#.*\n|\n)*?)(?=# %%|\Z)',
                                   path.read_text(encoding="utf-8")):
        cells.append((header, "\n".join(line[2:] if line.startswith("# ") else line[1:]
                                        for line in body.splitlines())))
    return cells


def russian(stem: str) -> dict:
    """{cell id: Russian text} of a lesson's markdown cells (translations/ru/NN_name.po, msgctxt = the cell id)."""
    with open(ROOT / "translations" / "ru" / f"{stem}.po", "rb") as f:
        return {m.context: m.string for m in read_po(f) if m.id and "markdown cell" in m.auto_comments}


def anchors(text: str) -> set:
    return set(re.findall(r'<a id="glossary-([a-z-]+)"></a>', text))


def test_the_glossary_defines_every_term_in_both_editions():
    english = dict(markdown_cells(ROOT / "notebooks" / f"{GLOSSARY_LESSON}.py"))["glossary"]
    assert anchors(english) == set(TERMS)
    assert anchors(russian(GLOSSARY_LESSON)["glossary"]) == set(TERMS)
    assert '<a id="glossary"></a>' in english  # lesson 00 links to the whole list


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_the_first_use_of_each_term_links_to_the_glossary(path):
    missing, linked = [], set()
    for cid, text in markdown_cells(path):
        if cid == "glossary":
            linked |= set(TERMS)  # lesson 01: terms used after their definition
            continue
        links = {m["term"] for m in LINK.finditer(text)}
        linked |= links
        prose = NOT_PROSE.sub(" ", text)
        for term, pattern in TERMS.items():
            if term not in linked and re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", prose, re.I):
                missing.append(f"{cid}: {term}")
                linked.add(term)
    assert not missing, f"{path.name}: first use without a link to the glossary: {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_russian_cells_link_the_same_terms_to_anchors_that_exist(path):
    target = "" if path.stem == GLOSSARY_LESSON else f"{GLOSSARY_LESSON}.ipynb"
    translated = russian(path.stem)
    problems = []
    for cid, text in markdown_cells(path):
        english = [(m["target"], m["term"]) for m in LINK.finditer(text)]
        ours = [(m["target"], m["term"]) for m in LINK.finditer(translated.get(cid, ""))]
        if sorted(t for _, t in english) != sorted(t for _, t in ours):
            problems.append(f"{cid}: English links {english}, Russian {ours}")
        problems += [f"{cid}: link to {where}#glossary-{term}" for where, term in english + ours
                     if where != target or term not in TERMS]
    assert not problems, "\n".join(problems)
