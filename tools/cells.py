"""What the tools read of a notebook cell, defined once (tools/student.py, lessons.py, notebook_cells.py, translate.py).

Works on nbformat's NotebookNode and on the plain JSON dict of an .ipynb alike: on disk a cell's source may be
a list of lines, nbformat joins it into one string.
"""
from __future__ import annotations


def source(cell) -> str:
    """The cell's source as one string."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def signature(nb) -> list:
    """What two versions of a notebook must agree on, outputs aside: per cell its id, type, source and sorted tags."""
    return [(c.get("id"), c["cell_type"], source(c), sorted(tags(c))) for c in nb["cells"]]
