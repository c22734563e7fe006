"""Every lesson notebook starts with the standard cells, is committed executed, and its Colab set-up works."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402

NOTEBOOKS = notebook_cells.notebooks()


def test_there_are_lessons():
    english = [nb.name for nb in NOTEBOOKS if nb.parent.name == "notebooks"]
    assert len(english) >= 3, "the lesson notebooks are missing"
    assert all(name[:2].isdigit() for name in english)


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


def test_setup_cell_colab_branch(tmp_path):
    """Run the setup cell as Colab would: fake google.colab, clone this repository, install, import."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    course = tmp_path / "course"
    script = textwrap.dedent(f"""
        import os, sys, types
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        os.chdir({str(tmp_path)!r})
        exec(compile({notebook_cells.SETUP_SOURCE!r}, "setup-cell", "exec"))
        import tlteach
        print("TLTEACH", tlteach.__file__)
        print("CWD", os.getcwd())
        tt.load_dataset("xray", "val", size=32)
    """)
    # pip: a dry run of the editable install, offline, with the build tools already here (note: pip reads
    # PIP_NO_BUILD_ISOLATION=0 as "--no-build-isolation")
    env = dict(os.environ, TLTEACH_REPO=str(ROOT), TLTEACH_HOME=str(course),
               PIP_DRY_RUN="1", PIP_NO_DEPS="1", PIP_NO_BUILD_ISOLATION="0", PIP_NO_INDEX="1")
    env.pop("TLTEACH_DATA", None)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"TLTEACH {course}" in result.stdout  # the fresh clone's package is the one imported
    assert f"CWD {course / 'notebooks'}" in result.stdout
    assert (course / "tlteach" / "datasets" / "animals").is_dir()  # the images come with the clone
