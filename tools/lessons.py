"""The English lessons: each is a jupytext py:percent source paired with its executed notebook.

    notebooks/03_head_replacement.py     # the source: real code, prose in `# %% [markdown]` cells
    notebooks/03_head_replacement.ipynb  # the same cells plus outputs, committed executed

Edit either one (in Jupyter with jupytext installed, saving one saves both), then `make notebooks ONLY=03`:

    python tools/lessons.py sync [03 ...]     # jupytext --sync each pair (the newer file's cells win, outputs
                                              # are kept), then give new cells an id
    python tools/lessons.py execute [03 ...]  # run the English and Russian notebooks in place, each from its folder
                                              # (nbclient; a failing cell stops it, named in one line)
    python tools/lessons.py --check           # exit 1 if a committed .ipynb differs from its .py (tests run this)
    python tools/lessons.py times [03 ...]    # how long each committed notebook and its long cells took, read from
                                              # the execution times nbclient records in each cell's metadata

Cell ids. The Russian edition is built cell by cell from the cell ids (msgctxt in translations/ru/NN_name.po), so
they must be stable and readable. Jupytext does not write nbformat cell ids into the .py, so each cell
carries its id in its metadata too, in the .py header line and in the notebook:

    # %% [markdown] id="why-data-is-scarce"
    # %% id="setup" tags=["nbval-ignore-output"]

`read_source` turns that metadata back into the cell id. A new cell without one gets an id made from its
first words at the next `sync` (written into both files); rename it in the .py if you like, before it is
translated.

`make notebooks NOTEBOOK_TIMEOUT=1800` gives each notebook more than the default 900 seconds.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cells  # noqa: E402

EN_DIR = ROOT / "notebooks"
RU_DIR = EN_DIR / "ru"
FORMATS = "ipynb,py:percent"
TEXT_FORMAT = "py:percent"
NOTEBOOK_TIMEOUT = 900  # seconds for one notebook (each runs in about 90 s on a 2-core CPU)


# ----------------------------------------------------------------------------- finding lessons
def sources(only=()) -> list:
    """The English lesson sources notebooks/NN_name.py (of every .py or .ipynb there), or those in `only`.

    `only`: lesson numbers ("03") or names ("03_head_replacement").
    """
    stems = {p.stem for pattern in ("[0-9][0-9]_*.py", "[0-9][0-9]_*.ipynb") for p in EN_DIR.glob(pattern)}
    return [EN_DIR / f"{stem}.py" for stem in sorted(stems) if selected(stem, only)]


def selected(lesson, only=()) -> bool:
    """Whether a lesson (path or stem) is among `only` (numbers "03" or stems); every lesson when it is empty."""
    stem = Path(lesson).stem
    wanted = [str(o).removesuffix(".py").removesuffix(".ipynb") for o in only]
    return not wanted or any(stem == w or stem.startswith(f"{w}_") for w in wanted)


def notebook_of(source: Path) -> Path:
    return Path(source).with_suffix(".ipynb")


# ----------------------------------------------------------------------------- reading
def read_source(path: Path):
    """The lesson's .py as an nbformat notebook (no outputs), each cell's id restored from its metadata.

    A cell without an id in its header gets none (`cell.id` is None): `sync` names it.
    """
    import jupytext

    nb = jupytext.read(path, fmt=TEXT_FORMAT)
    for cell in nb.cells:
        cell["id"] = cell.metadata.get("id")
    return nb


def read_notebook(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def differences(source: Path, notebook: Path | None = None) -> list:
    """How the notebook differs from its .py source, in words (empty when they agree; outputs are not compared)."""
    notebook = notebook or notebook_of(source)
    rel = notebook.name
    for path in (source, notebook):
        if not path.exists():
            return [f"{path.name} is missing: run make notebooks ONLY={source.stem[:2]}"]
    nb, src = read_notebook(notebook), read_source(source)
    fix = f": run make notebooks ONLY={source.stem[:2]} (or save it in Jupyter with jupytext)"
    found = []
    if nb.metadata.get("jupytext", {}).get("formats") != FORMATS:
        found.append(f"{rel} is not paired with its .py (notebook metadata jupytext.formats != {FORMATS!r})")
    missing = [i + 1 for i, c in enumerate(src.cells) if not c.get("id")]
    if missing:
        found.append(f"{source.name}: cells {missing} have no id=\"...\" in their # %% line")
    mismatched = [c.get("id") for c in nb.cells if c.metadata.get("id") != c.get("id")]
    if mismatched:
        found.append(f"{rel}: cells {mismatched} have a metadata id other than their cell id")
    have, want = cells.signature(nb), cells.signature(src)
    if [c[:2] for c in have] != [c[:2] for c in want]:
        found.append(f"{rel}: its cells (ids, types) are not those of {source.name}")
    else:
        for h, w in zip(have, want):
            if h != w:
                what = "source" if h[2] != w[2] else "tags"
                found.append(f"{rel}: cell {w[0]!r} differs from {source.name} in its {what}")
    return [f + fix for f in found]


# ----------------------------------------------------------------------------- syncing
def new_id(cell, taken: set) -> str:
    """A readable id for a new cell, from its first words ("## Why data is scarce" -> "why-data-is-scarce")."""
    text = "\n".join(line for line in cells.source(cell).splitlines() if not line.lstrip().startswith("#")
                     or cell["cell_type"] == "markdown")
    words = re.findall(r"[a-z0-9]+", text.lower())[:4] or ["cell"]
    base = "-".join(words)
    cid, n = base, 2
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    taken.add(cid)
    return cid


def name_cells(nb) -> list:
    """Give each cell without a metadata id one, and make every cell id equal its metadata id."""
    taken = {c.metadata.get("id") for c in nb.cells} - {None}
    named = []
    for cell in nb.cells:
        if not cell.metadata.get("id"):
            cell.metadata = {"id": new_id(cell, taken), **cell.metadata}
            named.append(cell.metadata["id"])
        cell["id"] = cell.metadata["id"]
    ids = [c.metadata["id"] for c in nb.cells]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"cell ids must be unique; twice or more: {duplicates}")
    invalid = [i for i in ids if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(i))]
    if invalid:
        raise SystemExit(f"a cell id is 1 to 64 letters, digits, - or _ (nbformat): not {invalid}")
    return named


def sync(source: Path) -> list:
    """Bring the .py and .ipynb of one lesson in step; returns the ids given to new cells."""
    import jupytext
    import nbformat
    from jupytext.cli import jupytext as jupytext_cli

    notebook = notebook_of(source)
    # the newer of the two files provides the cells, the notebook its outputs
    if jupytext_cli(["--sync", "--quiet", str(notebook if notebook.exists() else source)]):
        raise SystemExit(f"jupytext --sync {notebook.name} failed")
    nb = read_notebook(notebook)
    before = nbformat.writes(nb)
    named = name_cells(nb)
    if nbformat.writes(nb) != before:
        nbformat.write(nb, notebook)
    if named:
        jupytext.write(nb, source, fmt=TEXT_FORMAT)
        print(f"{source.name}: new cells got the ids {', '.join(named)} (rename them in the .py if you like)")
    return named


# ----------------------------------------------------------------------------- executing
def execute(notebook: Path, timeout: int = NOTEBOOK_TIMEOUT, kernel_name: str = "") -> None:
    """Run a notebook top to bottom with nbclient and save it with its outputs (from its own folder, as Jupyter
    does). `timeout`: seconds for the whole notebook; `kernel_name`: the notebook's own kernel by default.

    A cell that fails, or is still running at the deadline, stops the run: nbclient shuts the kernel down, the
    notebook is left as it was, and a one-line SystemExit names the cell (nbclient's traceback goes to stderr).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = Path(notebook).resolve()
    nb = read_notebook(notebook)
    print(f"executing {_shown(notebook)} ...", flush=True)
    start = time.monotonic()
    running = {}  # the cell being executed, for the error message
    client = NotebookClient(
        nb, kernel_name=kernel_name, resources={"metadata": {"path": str(notebook.parent)}},
        timeout_func=lambda cell: max(1, round(start + timeout - time.monotonic())),  # what is left of `timeout`
        on_cell_execute=lambda cell, cell_index: running.update(cell=cell, number=cell_index + 1))
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        cell = running.get("cell", {})
        where = f"{notebook.name}: cell {running.get('number', '?')} (id {cell.get('id')!r})"
        if isinstance(error, CellExecutionError):
            print(error, file=sys.stderr)
            evalue = (error.evalue or "").strip().splitlines()
            raise SystemExit(f"{where} failed: {error.ename}" + (f": {evalue[0]}" if evalue else "")) from None
        if isinstance(error, CellTimeoutError):
            raise SystemExit(f"{where} was still running after {timeout} s, the limit for the whole notebook "
                             "(NOTEBOOK_TIMEOUT=...)") from None
        raise SystemExit(f"{where}: the kernel died ({error})") from None
    nbformat.write(nb, notebook)
    print(f"  done in {time.monotonic() - start:.0f} s", flush=True)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def executed_notebooks(only=()) -> list:
    """The English notebooks and their Russian editions, lesson by lesson."""
    found = []
    for source in sources(only):
        found += [p for p in (notebook_of(source), RU_DIR / notebook_of(source).name) if p.exists()]
    return found


# ----------------------------------------------------------------------------- measured times
def _moment(stamp: str):
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def cell_seconds(notebook: Path) -> dict:
    """{cell id: seconds} for each executed code cell, from the `execution` metadata nbclient records
    (`iopub.execute_input` to `shell.execute_reply`)."""
    seconds = {}
    for cell in read_notebook(Path(notebook)).cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            seconds[cell.get("id")] = (_moment(timing["shell.execute_reply"])
                                       - _moment(timing["iopub.execute_input"])).total_seconds()
    return seconds


def run_seconds(notebook: Path) -> float:
    """Seconds from the first code cell starting to the last one finishing (the kernel's start not included)."""
    stamps = [cell["metadata"]["execution"] for cell in read_notebook(Path(notebook)).cells
              if "iopub.status.busy" in cell.get("metadata", {}).get("execution", {})]
    if not stamps:
        raise SystemExit(f"{_shown(Path(notebook))} has no execution times: execute it (make notebooks)")
    return (_moment(stamps[-1]["iopub.status.idle"]) - _moment(stamps[0]["iopub.status.busy"])).total_seconds()


def times(notebook: Path, longer_than: float = 2.0) -> str:
    """One line: the notebook's run time and its cells that took longer than `longer_than` seconds."""
    long = [f"{cell} {seconds:.1f} s" for cell, seconds in cell_seconds(notebook).items() if seconds > longer_than]
    return f"{_shown(Path(notebook))}: {run_seconds(notebook):.0f} s top to bottom; " + (", ".join(long) or "no long cell")


# ----------------------------------------------------------------------------- command line
def main(argv) -> int:
    args = [a for a in argv if not a.startswith("-")]
    if "--check" in argv:
        found = [d for s in sources() for d in differences(s)]
        print("\n".join(found) or "every lesson notebook has the cells of its .py source")
        return 1 if found else 0
    command, only = (args[0], args[1:]) if args else ("", [])
    if only and not sources(only):
        raise SystemExit(f"no lesson notebooks/NN_name.py matches {only}")
    if command == "sync":
        for source in sources(only):
            sync(source)
        return 0
    if command == "times":
        for notebook in executed_notebooks(only):
            print(times(notebook))
        return 0
    if command == "execute":
        timeout = int(os.environ.get("NOTEBOOK_TIMEOUT", NOTEBOOK_TIMEOUT))
        for notebook in executed_notebooks(only):
            execute(notebook, timeout)
            source = notebook.with_suffix(".py")
            if source.exists() and not differences(source):
                source.touch()  # keep the .py the newer file, as jupytext expects of a paired notebook
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
