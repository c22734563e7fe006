"""Student copies (make student): clean, in step with their lessons, and runnable up to the first exercise.

Nothing here executes a notebook. A copy is its lesson through one exporter (tools/student.py), so what is checked is
that exporter's result: rebuilt in memory from the committed lesson, the committed copy holds the same cells (ids,
types, sources, tags) and metadata; and up to its first exercise a copy runs exactly the lesson's code, whose
committed outputs nbval checks (the English lessons; the Russian ones have the English code and numbers,
tests/test_translations.py).
"""
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402
import student  # noqa: E402
from cells import source  # noqa: E402

COPIES = student.lessons()


def test_every_lesson_has_a_student_copy_in_both_languages():
    english = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert english and {out.name for _, out in COPIES if out.parent == student.STUDENT_DIR} == english
    russian = {p.name for p in (ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb")}
    assert {out.name for _, out in COPIES if out.parent == student.STUDENT_DIR / "ru"} == russian


def test_committed_copies_are_clean_copies_of_their_lessons():
    """Regenerated in memory from the committed lessons and compared cell by cell (also: no leftovers)."""
    assert student.stale() == []


def test_the_check_compares_content_not_bytes():
    """Another layout of the same cells (as another nbformat version writes it) passes; a changed source or a
    leftover output fails."""
    lesson, copy = COPIES[0]
    clean = student.content(json.loads(student.build(lesson, copy)))
    nb = json.loads(copy.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell["source"] = cell["source"].splitlines(keepends=True)  # a list of lines, as nbformat writes them
    relaid = json.loads(json.dumps(nb, indent=2, sort_keys=True))
    assert student.content(relaid) == clean
    code = next(c for c in relaid["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "42\n"}]
    assert student.content(relaid) != clean
    code["outputs"] = []
    code["source"].append("\nprint('edited by hand')")
    assert student.content(relaid) != clean


@pytest.mark.parametrize("lesson, copy", COPIES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_copy_has_no_outputs_no_teacher_cells_and_its_own_badge(lesson, copy):
    nb = json.loads(copy.read_text(encoding="utf-8"))
    original = json.loads(lesson.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert not any(student.TEACHER_TAG in c["metadata"].get("tags", []) for c in nb["cells"])
    teacher = [c["id"] for c in original["cells"] if student.TEACHER_TAG in c.get("metadata", {}).get("tags", [])]
    assert [c["id"] for c in nb["cells"]] == [c["id"] for c in original["cells"] if c["id"] not in teacher]
    assert student.BEGIN not in json.dumps(nb)
    assert notebook_cells.badge(copy) in "".join(nb["cells"][0]["source"])  # Colab opens the copy itself
    assert "".join(code[0]["source"]) == "".join(original["cells"][1]["source"])  # the lesson's setup cell, same language


def test_cleaning_drops_teacher_cells_and_blanks_solutions(tmp_path):
    nb = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "widgets": {"state": 1}},
          "nbformat": 4, "nbformat_minor": 5,
          "cells": [
              {"cell_type": "markdown", "id": "title", "metadata": {"id": "title", "tags": ["intro"]},
               "source": "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)\n# Title"},
              {"cell_type": "markdown", "id": "notes", "metadata": {"tags": ["teacher"]}, "source": "the answer is b"},
              {"cell_type": "code", "id": "ex", "metadata": {"tags": ["nbval-ignore-output"]}, "execution_count": 3,
               "outputs": [{"output_type": "stream", "name": "stdout", "text": "42"}],
               "source": "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\nf(1)"}]}
    out = student.STUDENT_DIR / "99_example.ipynb"
    clean = student.clean(nb, out)
    assert [c["id"] for c in clean["cells"]] == ["title", "ex"]
    assert clean["cells"][1] == {"cell_type": "code", "id": "ex", "metadata": {}, "execution_count": None,
                                 "outputs": [], "source": "def f(x):\n    ...  # your answer\nf(1)"}
    assert clean["cells"][0]["source"].startswith(notebook_cells.badge(out))
    assert clean["cells"][0]["metadata"] == {}  # markdown cells' metadata goes too
    assert "widgets" not in clean["metadata"]


def first_exercise(cells) -> int:
    return next(i for i, c in enumerate(cells) if student.is_exercise(c))


def _code(cells) -> list:
    return [(c["id"], source(c)) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("lesson, copy", COPIES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_copy_runs_until_its_first_exercise(lesson, copy):
    """A student opens the copy and runs it top to bottom: every cell up to the first exercise runs without an
    error, and the exercise, still unanswered, asks for an answer instead of failing.

    Checked without running it: up to its first exercise the copy holds exactly the lesson's code cells (no teacher
    cell left out, no solution blanked before it), so it runs as the lesson did; the lesson is committed executed
    without an error (tests/test_notebooks.py) and its outputs are current (nbval, make test); there its first
    exercise asked for an answer."""
    nb, original = (json.loads(p.read_text(encoding="utf-8"))["cells"] for p in (copy, lesson))
    stop, stop_lesson = first_exercise(nb), first_exercise(original)
    assert nb[stop]["id"] == original[stop_lesson]["id"]
    assert _code(nb[:stop + 1]) == _code(original[:stop_lesson + 1]), \
        f"{copy.name}: before its first exercise the copy's code is not the lesson's (a teacher cell or a solution?)"
    shown = json.dumps(original[stop_lesson]["outputs"], ensure_ascii=False)
    assert "✗" in shown, f"{lesson.name}: the unanswered exercise {original[stop_lesson]['id']} did not ask for an answer"
    errors = [c["id"] for c in original[:stop_lesson] if c["cell_type"] == "code"
              for o in c["outputs"] if o.get("output_type") == "error"]
    assert not errors, f"{lesson.name}: errors before the first exercise: {errors}"
