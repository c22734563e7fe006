"""Student copies (make student): clean, in step with their lessons, and runnable up to the first exercise."""
import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402
import student  # noqa: E402

COPIES = student.lessons()


def test_every_lesson_has_a_student_copy_in_both_languages():
    english = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert english and {out.name for _, out in COPIES if out.parent == student.STUDENT_DIR} == english
    russian = {p.name for p in (ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb")}
    assert {out.name for _, out in COPIES if out.parent == student.STUDENT_DIR / "ru"} == russian


def test_committed_copies_are_clean_copies_of_their_lessons():
    """Regenerated in memory from the committed lessons and compared byte for byte (also: no leftovers)."""
    assert student.stale() == []


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
    assert "".join(code[0]["source"]) == notebook_cells.setup_source(lesson)  # the standard setup cell, same language


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


@pytest.mark.slow
@pytest.mark.parametrize("lesson, copy", COPIES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_copy_runs_until_its_first_exercise(lesson, copy):
    """A student opens the copy and runs it top to bottom: every cell up to the first exercise runs without an
    error, and the exercise, still unanswered, asks for an answer instead of failing."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(copy, as_version=4)
    stop = first_exercise(nb.cells)
    nb.cells = nb.cells[:stop + 1]
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(lesson.parent)}})
    start = time.monotonic()
    client.execute()
    errors = [(c.get("id"), o.get("ename"), o.get("evalue")) for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if o.get("output_type") == "error"]
    assert not errors, f"{copy.name}: errors before the first exercise: {errors}"
    shown = json.dumps(nb.cells[stop].outputs, ensure_ascii=False)
    assert "✗" in shown, f"{copy.name}: the unanswered exercise {nb.cells[stop].get('id')} did not ask for an answer"
    print(f"{copy.relative_to(ROOT)}: {stop + 1} cells in {time.monotonic() - start:.0f} s")
