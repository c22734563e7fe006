"""Run All twice in one kernel gives the same results (no nested heads, no stale frozen state, same seeds).

Students re-run cells and whole notebooks without restarting the kernel; this test does the same for
every English lesson: it runs all cells, then all cells again in the same kernel, and compares every
output that nbval compares (cells tagged nbval-ignore-output are skipped, noise is masked).
"""
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every lesson, twice

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIRST_HALF = LESSONS[:4]  # this file; tests/test_rerun_later.py runs the rest, so `make test` (-n 2 --dist
# loadfile: one file, one worker) runs the two halves side by side instead of all 7 lessons on one worker


def _sanitizers():
    from nbval.plugin import get_sanitize_patterns  # the same masks nbval applies

    text = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    return [(re.compile(regex), replace) for regex, replace in get_sanitize_patterns(text)]


SANITIZERS = _sanitizers()


def _text(outputs) -> str:
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out["text"])
        elif out.get("output_type") in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(data.get("text/html") or data.get("text/plain") or "")
        elif out.get("output_type") == "error":
            parts.append(f"ERROR {out.get('ename')}: {out.get('evalue')}")
    text = "".join(parts)
    for pattern, replacement in SANITIZERS:
        text = pattern.sub(replacement, text)
    return text


def run_all(client, nb) -> dict:
    results = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        client.execute_cell(cell, index)
        tags = cell.get("metadata", {}).get("tags", [])
        if "nbval-ignore-output" not in tags and "nbval-skip" not in tags:
            results[cell.get("id", index)] = _text(cell.outputs)
    return results


def run_twice(notebook):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    with client.setup_kernel():
        first = run_all(client, nb)
        second = run_all(client, nb)
    different = [cid for cid in first if first[cid] != second[cid]]
    assert not different, f"cells whose output changed on the second Run All: {different}: " + \
        "; ".join(f"{cid}: {first[cid][:200]!r} -> {second[cid][:200]!r}" for cid in different[:3])


@pytest.mark.parametrize("notebook", FIRST_HALF, ids=lambda p: p.name)
def test_run_all_twice_in_one_kernel(notebook):
    run_twice(notebook)
