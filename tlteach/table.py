"""A tiny table (rows of dicts) that prints nicely in a terminal and in Jupyter.

tlteach returns tables from `trainable_summary`, `History`, `predict` and the
experiments. No pandas needed; `table.to_pandas()` when you want one. The rows keep their
keys and values for code (`t["trainable"]`, `row["status"] == "frozen"`); what is *shown*
(column headers, words such as "frozen", yes/no, class names) is in the lesson's language.

    >>> t = Table([{"group": "stem", "parameters": 928}])
    >>> t["parameters"]
    [928]
"""
from __future__ import annotations

import html

from .i18n import N_, number, shown, tr
from .errors import TLTeachError


# The column names of the package's tables (rows keep them as keys; the header shows them translated).
HEADERS = (N_("group"), N_("parameters"), N_("trainable"), N_("status"), N_("strategy"), N_("seed"), N_("val_acc"),
           N_("train_acc"), N_("trainable_parameters"), N_("seconds"), N_("mean"), N_("sd"), N_("n"), N_("lowest"),
           N_("highest"), N_("task"), N_("per_class"), N_("frozen_groups"), N_("frozen_up_to"), N_("body_lr"),
           N_("pick_acc"), N_("report_acc"), N_("images"), N_("gap"), N_("epoch"), N_("train_loss"), N_("val_loss"),
           N_("image"), N_("rank"), N_("class"), N_("probability"))


def _fmt(value) -> str:
    if isinstance(value, bool):
        return tr(N_("yes") if value else N_("no"))
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return number(value, 3) if abs(value) < 10 else number(value, 1)
    if isinstance(value, int):
        return number(value)
    return shown(value) if isinstance(value, str) else str(value)


class Table:
    """Rows of dicts with the same keys. `t[column]` gives a column as a list."""

    def __init__(self, rows, columns=None, title: str = ""):
        self.rows = [dict(r) for r in rows]
        self.columns = list(columns) if columns else (list(self.rows[0]) if self.rows else [])
        self.title = title

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, key):
        if isinstance(key, str):
            if key not in self.columns:
                raise TLTeachError(tr(
                    "No column {key!r}. Columns: {columns}.",
                    key=key, columns=", ".join(self.columns)))
            return [r.get(key) for r in self.rows]
        return self.rows[key]

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def _cells(self):
        return [[_fmt(r.get(c, "")) for c in self.columns] for r in self.rows]

    def _headers(self):
        return [tr(c) for c in self.columns]

    def __str__(self) -> str:
        cells = self._cells()
        headers = self._headers()
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(headers)]

        def line(values):
            return "  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(values, widths)).rstrip()

        out = [self.title] if self.title else []
        out += [line(headers), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        return "\n".join(out)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self._headers())
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in self._cells()
        )
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace("\u00a0", "").replace(".", "", 1).replace("-", "", 1).replace("%", "").isdigit()
