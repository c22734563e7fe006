"""Clean student copies of the lessons, to work in: outputs cleared, answers blank, teacher-only cells left out.

    python tools/student.py           # write student/NN_name.ipynb and student/ru/NN_name.ipynb (make student)
    python tools/student.py --check   # exit 1 if a committed copy does not hold what its lesson gives (cells' ids,
                                      # types, sources and tags, no outputs, the metadata; tests run this)

The lesson notebooks under notebooks/ are committed executed, with every output: good to read, but a student who
opens one sees every answer the notebook computes. A student copy is the same lesson, cleaned the way fastbook's
`clean/` folder and nbgrader's release step clean theirs, by an nbconvert exporter (StudentExporter) whose
preprocessors run in this order:

- ClearOutputPreprocessor: every output and execution count removed;
- TagRemovePreprocessor: cells tagged `teacher` left out (notes and model answers for the teacher, e.g. in 00_lesson);
- ClearSolutions (ours, nbgrader's ClearSolutions cut down to what we use): in code cells, the lines between
  `### BEGIN SOLUTION` and `### END SOLUTION` (nbgrader's markers) replaced by `...  # your answer`; the lessons'
  exercises already ask with `answer = ...`, so they stay as they are;
- ClearMetadataPreprocessor (for markdown cells too): no cell metadata; of the notebook's, kernelspec and
  language_info only;
- PointAtCopy (ours): the Colab badge points at the copy itself, so a student who opens it in Colab gets the
  clean copy, and the copy's metadata names its lesson.

The copies are built from the committed notebooks (notebooks/NN_name.ipynb and notebooks/ru/NN_name.ipynb, which
tests keep equal to their sources), so `make student` is quick and gives the same bytes every time: run it after
`make notebooks`, and commit the copies.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import Exporter, NotebookExporter
from nbconvert.preprocessors import (ClearMetadataPreprocessor, ClearOutputPreprocessor, Preprocessor,
                                     TagRemovePreprocessor)
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402
from cells import signature, source  # noqa: E402

EN_DIR = ROOT / "notebooks"
RU_DIR = EN_DIR / "ru"
STUDENT_DIR = ROOT / "student"
TEACHER_TAG = "teacher"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "...  # your answer"
SOLUTION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*$", re.M | re.S)
EXERCISE = re.compile(r"\btt\.check\(")
NOTEBOOK_METADATA = ("kernelspec", "language_info")  # what a copy keeps of its lesson's metadata


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


# ----------------------------------------------------------------------------- the nbconvert pipeline
class ClearSolutions(Preprocessor):
    """The part of nbgrader's ClearSolutions our exercises need (nbgrader itself is not a dependency): in code
    cells, each `### BEGIN SOLUTION` ... `### END SOLUTION` region becomes `...  # your answer`."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.source = blank_solutions(cell.source)
        return cell, resources


class ClearAllCellMetadata(ClearMetadataPreprocessor):
    """ClearMetadataPreprocessor, for markdown cells too (it clears only code cells'): no tags, no ids in metadata."""

    def preprocess_cell(self, cell, resources, index):
        cell.metadata = dict(self.nested_filter(cell.metadata.items(), self.preserve_cell_metadata_mask))
        return cell, resources


class PointAtCopy(Preprocessor):
    """The Colab badge opens the copy itself, and the copy names its lesson (notebook metadata)."""

    def preprocess(self, nb, resources):
        first = nb.cells[0].source.split("\n")
        if first and "colab-badge" in first[0]:
            first[0] = notebook_cells.badge(resources["student_copy"])
        nb.cells[0].source = "\n".join(first)
        nb.metadata["tlteach"] = {"student_copy_of": resources["lesson"]}
        return nb, resources


class StudentExporter(NotebookExporter):
    """nbconvert's notebook exporter with the student-copy preprocessors, in this order."""

    preprocessors = [ClearOutputPreprocessor, TagRemovePreprocessor, ClearSolutions, ClearAllCellMetadata,
                     PointAtCopy]

    def __init__(self, **kw):
        config = Config()
        config.TagRemovePreprocessor.remove_cell_tags = {TEACHER_TAG}
        config.ClearAllCellMetadata.preserve_nb_metadata_mask = set(NOTEBOOK_METADATA)
        super().__init__(config=config, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        """The cleaned notebook (as a dict in the committed layout, see `layout`) and the resources."""
        nb, resources = Exporter.from_notebook_node(self, nb, resources, **kw)  # the preprocessors alone
        return layout(nb), resources


def layout(nb) -> dict:
    """The copy in the layout the copies have always been written in (unlike nbformat.writes: keys in this
    order, each source one string), so that `make student` rewrites no committed copy."""
    cells = []
    for cell in nb.cells:
        kept = {"cell_type": cell.cell_type, "id": cell.get("id"), "metadata": cell.metadata, "source": cell.source}
        if cell.cell_type == "code":
            kept["execution_count"], kept["outputs"] = cell.execution_count, cell.outputs
        cells.append(kept)
    return {"cells": cells, "metadata": nb.metadata, "nbformat": 4, "nbformat_minor": nb.get("nbformat_minor", 5)}


def clean(nb, out: Path, lesson: Path | None = None) -> dict:
    """The student copy (a dict) of one executed lesson notebook `nb` (a NotebookNode or its JSON dict), to be
    written at `out`; `lesson`: the notebook's path, named in the copy's metadata."""
    rel = lesson.resolve().relative_to(ROOT).as_posix() if lesson else "."
    copy, _ = StudentExporter().from_notebook_node(nbformat.from_dict(nb),
                                                   resources={"student_copy": out, "lesson": rel})
    return copy


def build(lesson: Path, out: Path) -> str:
    """The text of the student copy of `lesson` (deterministic: the same lesson gives the same bytes)."""
    nb = nbformat.read(lesson, as_version=4)
    return json.dumps(clean(nb, out, lesson), indent=1, ensure_ascii=False) + "\n"


def content(nb) -> tuple:
    """What a copy must hold, whatever bytes a library version writes: per cell its id, type, source and tags
    (cells.signature), whether any code cell keeps an output or an execution count, and the notebook's metadata."""
    kept = [c for c in nb["cells"] if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    return signature(nb), [c.get("id") for c in kept], nb.get("metadata", {})


def stale() -> list:
    """Copies that are missing, out of date, or left over from a lesson that is gone: each committed copy is
    compared, by its content (`content`), with the clean copy rebuilt in memory from its committed lesson."""
    found, wanted = [], set()
    for lesson, out in lessons():
        wanted.add(out)
        rel = out.relative_to(ROOT)
        if not out.exists():
            found.append(f"{rel} is missing: run make student")
        elif content(json.loads(out.read_text(encoding="utf-8"))) != content(json.loads(build(lesson, out))):
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
