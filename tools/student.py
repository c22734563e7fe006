"""Clean student copies of the lessons, to work in: outputs cleared, answers blank, teacher-only cells left out.

    python tools/student.py           # write student/NN_name.ipynb and student/ru/NN_name.ipynb (make student)
    python tools/student.py --check   # exit 1 if a committed copy is not what its lesson gives (tests run this)

The lesson notebooks under notebooks/ are committed executed, with every output: good to read, but a student who
opens one sees every answer the notebook computes. A student copy is the same lesson, cleaned the way fastbook's
`clean/` folder and nbgrader's release step clean theirs:

- every output and execution count removed;
- cells tagged `teacher` left out (notes and model answers for the teacher, e.g. in 00_lesson);
- in code cells, the lines between `### BEGIN SOLUTION` and `### END SOLUTION` (nbgrader's markers) replaced by
  `...  # your answer`; the lessons' exercises already ask with `answer = ...`, so they stay as they are;
- the Colab badge points at the copy itself, so a student who opens it in Colab gets the clean copy.

The copies are built from the committed notebooks (notebooks/NN_name.ipynb and notebooks/ru/NN_name.ipynb, which
tests keep equal to their sources), so `make student` is quick and gives the same bytes every time: run it after
`make notebooks`, and commit the copies.
"""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402

EN_DIR = ROOT / "notebooks"
RU_DIR = EN_DIR / "ru"
STUDENT_DIR = ROOT / "student"
TEACHER_TAG = "teacher"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "...  # your answer"
SOLUTION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*$", re.M | re.S)
EXERCISE = re.compile(r"\btt\.check\(")


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def lessons() -> list:
    """(lesson notebook, its student copy) for every English lesson and its Russian edition."""
    pairs = []
    for en in sorted(EN_DIR.glob("[0-9][0-9]_*.ipynb")):
        pairs.append((en, STUDENT_DIR / en.name))
        if (RU_DIR / en.name).exists():
            pairs.append((RU_DIR / en.name, STUDENT_DIR / "ru" / en.name))
    return pairs


def blank_solutions(code: str) -> str:
    """nbgrader's solution region, markers included, becomes one `...` line at the region's indentation."""
    return SOLUTION.sub(lambda m: m.group(1) + PLACEHOLDER, code)


def is_exercise(cell) -> bool:
    """A code cell that asks the student for an answer (`tt.check(...)`)."""
    return cell["cell_type"] == "code" and bool(EXERCISE.search(source(cell)))


def clean(nb: dict, out: Path) -> dict:
    """The student copy of one executed lesson notebook `nb`, to be written at `out`."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if TEACHER_TAG in tags:
            continue
        kept = {"cell_type": cell["cell_type"], "id": cell.get("id") or cell.get("metadata", {}).get("id"),
                "metadata": {}, "source": source(cell)}
        if cell["cell_type"] == "code":
            kept["source"] = blank_solutions(kept["source"])
            kept["execution_count"], kept["outputs"] = None, []
        cells.append(kept)
    first = cells[0]["source"].split("\n")
    if first and "colab-badge" in first[0]:
        first[0] = notebook_cells.badge(out)
    cells[0]["source"] = "\n".join(first)
    metadata = {k: nb["metadata"][k] for k in ("kernelspec", "language_info") if k in nb["metadata"]}
    lesson = Path(nb.get("_path", ""))
    metadata["tlteach"] = {"student_copy_of": lesson.as_posix()}
    nb.pop("_path", None)
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": nb.get("nbformat_minor", 5)}


def build(lesson: Path, out: Path) -> str:
    """The text of the student copy of `lesson` (deterministic: the same lesson gives the same bytes)."""
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    nb["_path"] = lesson.resolve().relative_to(ROOT)
    return json.dumps(clean(nb, out), indent=1, ensure_ascii=False) + "\n"


def stale() -> list:
    """Copies that are missing, out of date, or left over from a lesson that is gone."""
    found, wanted = [], set()
    for lesson, out in lessons():
        wanted.add(out)
        rel = out.relative_to(ROOT)
        if not out.exists():
            found.append(f"{rel} is missing: run make student")
        elif out.read_text(encoding="utf-8") != build(lesson, out):
            found.append(f"{rel} differs from a clean copy of {lesson.relative_to(ROOT)}: run make student")
    for extra in sorted(STUDENT_DIR.rglob("*.ipynb")):
        if extra not in wanted:
            found.append(f"{extra.relative_to(ROOT)} has no lesson: delete it")
    return found


def write() -> list:
    written = []
    for lesson, out in lessons():
        text = build(lesson, out)
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(out)
    return written


def main(argv) -> int:
    if "--check" in argv:
        found = stale()
        print("\n".join(found) or "every student copy is a clean copy of its lesson")
        return 1 if found else 0
    written = write()
    print("\n".join(f"wrote {p.relative_to(ROOT)}" for p in written) or "every student copy is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
