"""The teacher's guides' times are the committed notebooks' times (issue 23).

Every lesson notebook is committed executed, and nbclient records in each code cell's metadata when it started
and finished (`execution`: `iopub.execute_input` ... `shell.execute_reply`; `python tools/lessons.py times`
prints them). The guides' tables that state times, each marked with an HTML comment (`<!-- timings ... -->` for the
table of whole notebooks, `<!-- timeline ... -->` for the lesson's timeline, whose cells are all lesson 00's), are
compared with them:

- a row of the timings table names its lesson by number ("| 02 Pretraining | 62 s | 61 s | *pretrain* 22 s ...");
  its second and third columns are the English and the Russian notebook top to bottom (first cell start to last
  cell end, the kernel's start not included), and every "*cell-id* N s" in the row is that cell of the English run;
- every "*cell-id* (N s" in the timeline table is that cell of the English lesson 00.

The times are compared as proportions, so that notebooks re-executed on a slower (or busier) machine do not fail a
documentation test: each stated time is first scaled by how much slower or faster the recorded run was as a whole
(a lesson's total: by the ratio of all the recorded totals of its edition to all the stated ones; a cell's time: by
the ratio of its lesson's recorded total to the stated one). A scaled time passes when it is within 5 s of the
recorded one or within a factor of 2 of it; one further off is stale: the guide says one part of the course takes
much longer (or shorter) than another part than it does. After re-executing a notebook, read the new times with
`python tools/lessons.py times NN` and update both guides. Every lesson notebook has a row. Unit test: nothing is
executed.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import lessons  # noqa: E402

GUIDES = [ROOT / "docs" / "teacher_guide.md", ROOT / "docs" / "teacher_guide.ru.md"]
SECONDS = r"(\d+(?:[.,]\d+)?)\s*(?:s|с)(?![a-zа-яё])"
CELL_TIME = re.compile(r"\*([a-z0-9]+(?:-[a-z0-9]+)*)\*\s*\(?" + SECONDS)
TOTAL = re.compile(r"^\s*" + SECONDS + r"\s*$")


def _lesson(number: str, russian: bool = False) -> Path:
    found = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    assert found, f"no notebook {number}_*.ipynb"
    return (ROOT / "notebooks" / "ru" / found[0].name) if russian else found[0]


def _table(text: str, marker: str) -> list:
    """The rows (lists of cells) of the markdown table right after the comment `<!-- marker ... -->`."""
    start = text.find(f"<!-- {marker}")
    assert start >= 0, f"no <!-- {marker} ... --> table in the guide"
    rows = []
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not set("".join(cells)) <= set("-: "):
            rows.append(cells)
    return rows[1:]  # without the header


def _close(stated: float, recorded: float, scale: float = 1.0) -> bool:
    """`stated`, scaled by `scale` (the recorded run's speed against the stated one's), is within 5 s or a factor
    of 2 of `recorded`."""
    stated = stated * scale
    return abs(stated - recorded) <= 5 or (recorded > 0 and 0.5 <= stated / recorded <= 2)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _rows(guide: Path) -> list:
    return [r for r in _table(guide.read_text(encoding="utf-8"), "timings") if re.match(r"\d\d\b", r[0])]


def _stated_total(row: list, column: int, guide: Path) -> float:
    total = TOTAL.match(row[column])
    assert total, f"{guide.name}, lesson {row[0][:2]}: {row[column]!r} is not a time like '41 s'"
    return _number(total.group(1))


def timings_problems(rows: list, guide: Path, run_seconds=lessons.run_seconds, cell_seconds=lessons.cell_seconds) -> list:
    """What in the timings table `rows` the committed notebooks no longer show, in words (empty: all is current)."""
    stale = []
    english = {row[0][:2]: _lesson(row[0][:2]) for row in rows}
    for column, russian in ((1, False), (2, True)):
        stated = {row[0][:2]: _stated_total(row, column, guide) for row in rows}
        recorded = {n: run_seconds(_lesson(n, russian)) for n in stated}
        scale = sum(recorded.values()) / sum(stated.values())
        for n in stated:
            if not _close(stated[n], recorded[n], scale):
                stale.append(f"{_lesson(n, russian).relative_to(ROOT)}: {stated[n]:g} s stated (× {scale:.2f}, the "
                             f"speed of this run), {recorded[n]:.0f} s recorded")
    for row in rows:
        notebook = english[row[0][:2]]
        measured = cell_seconds(notebook)
        scale = run_seconds(notebook) / _stated_total(row, 1, guide)
        for cell, stated in CELL_TIME.findall(" ".join(row[3:])):
            assert cell in measured, f"{guide.name}, lesson {row[0][:2]}: no executed cell {cell!r}"
            if not _close(_number(stated), measured[cell], scale):
                stale.append(f"{notebook.relative_to(ROOT)} *{cell}*: {stated} s stated (× {scale:.2f}), "
                             f"{measured[cell]:.1f} s recorded")
    return stale


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_timings_table_has_the_committed_times(guide):
    rows = _rows(guide)
    lessons_named = {r[0][:2] for r in rows}
    every = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert lessons_named == every, f"{guide.name}: a row for each lesson; missing {sorted(every - lessons_named)}"
    stale = timings_problems(rows, guide)
    assert not stale, (f"{guide.name}: times that the committed notebooks no longer show (python tools/lessons.py "
                       "times NN):\n" + "\n".join(stale))


def test_a_slower_machine_passes_and_a_lopsided_guide_fails():
    """Every recorded time three times the stated one: still current. One lesson or one cell taking a far larger
    share of the course than the guide says: stale."""
    guide = GUIDES[0]
    rows = _rows(guide)
    slower_run = lambda nb: 3 * lessons.run_seconds(nb)  # noqa: E731
    slower_cells = lambda nb: {c: 3 * t for c, t in lessons.cell_seconds(nb).items()}  # noqa: E731
    assert timings_problems(rows, guide, slower_run, slower_cells) == []
    assert timings_problems(rows, guide) == []
    lesson_02 = lambda nb: lessons.run_seconds(nb) * (6 if nb.name.startswith("02_") else 1)  # noqa: E731
    assert any("02_pretraining" in p for p in timings_problems(rows, guide, lesson_02))
    fine_tune = lambda nb: {c: t * (6 if c == "fine-tune" else 1) for c, t in lessons.cell_seconds(nb).items()}  # noqa: E731
    assert any("*fine-tune*" in p for p in timings_problems(rows, guide, cell_seconds=fine_tune))


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_timeline_states_lesson_00s_committed_times(guide):
    rows = _table(guide.read_text(encoding="utf-8"), "timeline")
    measured = lessons.cell_seconds(_lesson("00"))
    row_00 = next(r for r in _rows(guide) if r[0].startswith("00"))
    scale = lessons.run_seconds(_lesson("00")) / _stated_total(row_00, 1, guide)  # this run's speed
    found = [(cell, stated) for row in rows for cell, stated in CELL_TIME.findall(" ".join(row))]
    assert found, f"{guide.name}: the timeline states no cell time"
    for cell, stated in found:
        assert cell in measured, f"{guide.name}: the timeline names {cell!r}, not an executed cell of lesson 00"
        assert _close(_number(stated), measured[cell], scale), \
            f"{guide.name}: *{cell}* {stated} s in the timeline, {measured[cell]:.1f} s recorded in 00_lesson.ipynb"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_timeline_names_cells_that_exist(guide):
    """Every *cell-id* the timeline names is a cell of lesson 00 (the new consolidation and reflection cells too)."""
    import json

    ids = {c.get("id") for c in json.loads(_lesson("00").read_text(encoding="utf-8"))["cells"]}
    named = {m for row in _table(guide.read_text(encoding="utf-8"), "timeline") for m in
             re.findall(r"\*([a-z0-9]+(?:-[a-z0-9]+)*)\*", " ".join(row[2:]))}
    assert {"consolidation-questions", "consolidation-answers", "reflection", "reflection-answers"} <= named, \
        f"{guide.name}: the timeline should point to the plan's questions (their cell ids)"
    assert named <= ids, f"{guide.name}: no such cell in 00_lesson: {sorted(named - ids)}"
