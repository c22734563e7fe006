"""Every lesson notebook starts with the standard cells, has the cells of its .py source, is committed
executed (the Colab set-up cell: tests/test_setup_cell.py); `lessons.py execute` runs a notebook with nbclient."""
import json
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import lessons  # noqa: E402
import notebook_cells  # noqa: E402

NOTEBOOKS = notebook_cells.notebooks()
SOURCES = lessons.sources()


def test_there_are_lessons():
    english = [nb.name for nb in NOTEBOOKS if nb.parent.name == "notebooks"]
    assert len(english) >= 3, "the lesson notebooks are missing"
    assert all(name[:2].isdigit() for name in english)


def test_every_lesson_notebook_has_a_source():
    english = {nb.stem for nb in NOTEBOOKS if nb.parent.name == "notebooks"}
    assert english == {s.stem for s in SOURCES if s.exists()}, \
        "each notebooks/NN_name.ipynb is paired with NN_name.py: python tools/lessons.py sync"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_has_the_cells_of_its_source(source):
    """The committed .ipynb has exactly the cells of its .py: ids, types, sources, tags (outputs aside)."""
    assert lessons.differences(source) == []


@pytest.fixture
def lesson_copy(tmp_path):
    """A copy of lesson 01's .py and .ipynb (they agree)."""
    source = next(s for s in SOURCES if s.name.startswith("01_"))  # not 00_lesson: the edits below are lesson 01's
    for path in (source, lessons.notebook_of(source)):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    copy = tmp_path / source.name
    assert lessons.differences(copy) == []
    return copy


@pytest.mark.parametrize("edit, expected", [
    (('tt.notebook_setup(seed=0, language="en")', 'tt.notebook_setup(seed=1, language="en")'), "cell 'setup' differs from 01_"),
    (('id="setup" tags=["nbval-ignore-output"]', 'id="setup"'), "cell 'setup' differs from 01_"),
    (('id="setup"', 'id="set-up"'), "are not those of"),
    (('id="setup"', ""), "have no id"),
    (('# %% id="setup"', '# %% id="extra"\nprint(1)\n\n# %% id="setup"'), "are not those of"),
], ids=["code", "tag", "id", "no-id", "new-cell"])
def test_an_edited_source_fails_the_check(lesson_copy, edit, expected):
    text = lesson_copy.read_text(encoding="utf-8")
    assert edit[0] in text
    lesson_copy.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    found = lessons.differences(lesson_copy)
    assert any(expected in f for f in found), found


def test_an_edited_notebook_fails_the_check(lesson_copy):
    notebook = lessons.notebook_of(lesson_copy)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"][2:] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\nOne more sentence."
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    assert lessons.differences(lesson_copy) == [
        f"{notebook.name}: cell {cell['id']!r} differs from {lesson_copy.name} in its source: "
        f"run make notebooks ONLY=01 (or save it in Jupyter with jupytext)"]


def test_sync_brings_an_edit_into_the_notebook_and_keeps_outputs(lesson_copy):
    """What make notebooks does first: the .py was edited (a changed cell, a new cell without an id)."""
    notebook = lessons.notebook_of(lesson_copy)
    before = lessons.read_notebook(notebook)
    code = next(c for c in before.cells[2:] if c.cell_type == "code" and c.outputs)
    text = lesson_copy.read_text(encoding="utf-8")
    header = f'# %% id="{code.id}"'
    assert header in text
    text = text.replace(header, f"# %% [markdown]\n# ## A new section\n\n{header}", 1)
    lesson_copy.write_text(text + "\n# %%\nprint('the end')\n", encoding="utf-8")
    os.utime(notebook, ns=(0, 0))  # the .py is the newer file: its cells win
    assert lessons.sync(lesson_copy) == ["a-new-section", "print-the-end"]
    assert lessons.differences(lesson_copy) == []
    after = lessons.read_notebook(notebook)
    assert 'id="a-new-section"' in lesson_copy.read_text(encoding="utf-8")  # the new ids went into the .py too
    assert [c.id for c in after.cells] == [c.id for c in before.cells[:before.cells.index(code)]] + [
        "a-new-section"] + [c.id for c in before.cells[before.cells.index(code):]] + ["print-the-end"]
    kept = next(c for c in after.cells if c.id == code.id)
    assert kept.outputs == code.outputs and kept.execution_count == code.execution_count


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_standard_first_cells(notebook):
    assert notebook_cells.problems(notebook) == [], "run: python tools/notebook_cells.py"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_and_clean(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code and all(c.get("execution_count") for c in code), "execute the notebook top to bottom"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), "cells were run out of order: Restart & Run All, then save"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"an error is committed in cell {cell.get('id')}"
            text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
            assert "Traceback" not in text


def tiny_notebook(path: Path, *sources: str) -> Path:
    """A throwaway notebook with one code cell per source, cell ids cell-1, cell-2, ..."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(s, id=f"cell-{i}") for i, s in enumerate(sources, 1)]
    nbformat.write(nb, path)
    return path


def test_execute_writes_the_outputs_from_the_notebooks_folder(tmp_path):
    notebook = tiny_notebook(tmp_path / "tiny.ipynb", "import os\nanswer = 6 * 7", "print(answer, os.getcwd())")
    lessons.execute(notebook, timeout=120)
    code = lessons.read_notebook(notebook).cells
    assert [c.execution_count for c in code] == [1, 2]
    assert code[1].outputs[0].text == f"42 {tmp_path}\n"


def test_execute_stops_at_a_failing_cell_and_names_it_in_one_line(tmp_path, capsys):
    notebook = tiny_notebook(tmp_path / "tiny.ipynb", "x = 1", "x / 0", "print('not reached')")
    before = notebook.read_bytes()
    with pytest.raises(SystemExit) as failed:
        lessons.execute(notebook, timeout=120)
    assert str(failed.value) == "tiny.ipynb: cell 2 (id 'cell-2') failed: ZeroDivisionError: division by zero"
    assert notebook.read_bytes() == before  # a half-run notebook is not saved
    assert "x / 0" in capsys.readouterr().err  # nbclient's traceback, for the details


def test_execute_stops_a_notebook_that_runs_past_its_timeout(tmp_path):
    notebook = tiny_notebook(tmp_path / "tiny.ipynb", "import time\ntime.sleep(120)")
    start = time.monotonic()
    with pytest.raises(SystemExit, match=r"^tiny.ipynb: cell 1 \(id 'cell-1'\) was still running after 2 s"):
        lessons.execute(notebook, timeout=2)
    assert time.monotonic() - start < 60


# ----------------------------------------------------------------------------- running a cell again
MUTATING = {"append", "extend", "insert", "update", "add", "setdefault", "pop", "popitem", "remove", "clear"}


def rerun_hazards(code: str) -> list:
    """The statements of a cell that change a value an earlier cell made, so that running the cell again (students
    do, without restarting the kernel) would not give the same result: `x += ...`, `x = f(x)`, `x.append(...)`,
    `x[k] = ...` where x is not bound earlier in the same cell. Nothing is executed: Python's ast reads the code."""
    import ast

    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    tree = ast.parse(code)
    bound = {}  # name -> first line the cell binds it
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names = [node.id]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        for name in names:
            bound[name] = min(bound.get(name, node.lineno), node.lineno)

    def earlier(name, node) -> bool:
        """Not bound in this cell before `node`: a value an earlier cell made."""
        return name not in bound or bound[name] >= node.lineno

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and earlier(node.target.id, node):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Assign):
            reads = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in reads and earlier(target.id, node):
                    found.append(ast.unparse(node))
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                        and earlier(target.value.id, node):
                    found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATING \
                and isinstance(node.func.value, ast.Name) and earlier(node.func.value.id, node):
            found.append(ast.unparse(node))
    return [line.splitlines()[0][:100] for line in found]


def test_the_rerun_reader_finds_what_accumulates():
    assert rerun_hazards("history = tt.fit(model, train)\nresults = {}\nfor k in 'ab':\n    results[k] = 1") == []
    assert rerun_hazards("%matplotlib inline\nx = [1]\nx.append(2)\nx += [3]\nx = x + [4]") == []
    assert rerun_hazards("total += 1") == ["total += 1"]
    assert rerun_hazards("train = train + extra") == ["train = train + extra"]
    assert rerun_hazards("runs.append(run)") == ["runs.append(run)"]
    assert rerun_hazards("results['b'] = 2") == ["results['b'] = 2"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_a_cell_gives_the_same_result_when_run_again(source):
    """Students re-run cells and whole lessons without restarting the kernel. Each lesson is executed once per
    `make test` (nbval, from a fresh kernel, against the committed outputs); that a second Run All in the same kernel
    gives the same outputs rests on the package's verbs setting state rather than adding to it (replace_head,
    freeze and notebook_setup: tests/test_models.py, test_structure.py, test_threads.py) and on this check of the
    lessons' own code: no cell adds to a value that an earlier cell made."""
    found = {c.id: rerun_hazards(c.source) for c in lessons.read_notebook(lessons.notebook_of(source)).cells
             if c.cell_type == "code"}
    found = {cid: lines for cid, lines in found.items() if lines}
    assert not found, f"{source.name}: cells that give another result when run again: {found}"
