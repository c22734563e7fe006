"""Lesson 05's try-it cell runs when a student removes the `#` (issue 27: it used names no cell defines).

The cell's code is read from the lesson's source and executed for real on small photos, with every
training phase cut to one epoch (`recipes.epochs_for`), so the test takes seconds and still runs the recipes,
the subsets and the statistic exactly as the uncommented cell would.
"""
from pathlib import Path

import pytest

import tlteach as tt
from tlteach.experiments import recipes

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "05_feature_extraction_vs_finetuning.py"


def cell(source: str, cell_id: str) -> str:
    """The code of the jupytext cell `cell_id` of `source`."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.startswith("# %%"):
            if inside:
                break
            inside = f'id="{cell_id}"' in line
            continue
        if inside:
            lines.append(line)
    assert lines, f"no cell {cell_id!r}"
    return "\n".join(lines).strip()


def uncommented(code: str) -> str:
    """What the student runs: every line with its leading '# ' removed."""
    assert all(line.startswith("# ") for line in code.splitlines() if line.strip()), "the try-it cell runs nothing"
    return "\n".join(line[2:] for line in code.splitlines())


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_the_try_it_cell_runs_once_uncommented(monkeypatch, capsys):
    code = uncommented(cell(LESSON.read_text(encoding="utf-8"), "try-it-code"))
    monkeypatch.setattr(recipes, "epochs_for", lambda steps, images, batch_size: 1)  # one epoch per phase
    small = {split: tt.data.resized(tt.load_dataset("animals", split), 32) for split in ("train", "val")}
    namespace = {"tt": tt, "train": small["train"], "val": small["val"]}  # what the lesson's cells defined
    exec(compile(code, str(LESSON), "exec"), namespace)
    assert len(namespace["tuned"]) == len(namespace["frozen"]) == 3
    assert namespace["recipe"].frozen == 0
    printed = capsys.readouterr().out
    assert "fine-tuning minus feature extraction:" in printed and "of 3 seeds" in printed


def test_the_lesson_names_no_undefined_variable_in_its_try_it():
    text = LESSON.read_text(encoding="utf-8")
    assert "train30" not in text  # the old try-it's name, defined by no cell


def test_the_russian_try_it_is_the_same_code():
    """The Russian cell differs only in its words: uncommented, it compiles to the same statements."""
    import ast
    import json

    def code(path):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return uncommented("".join(next(c["source"] for c in cells if c.get("id") == "try-it-code")))

    english, russian = (code(ROOT / "notebooks" / folder / "05_feature_extraction_vs_finetuning.ipynb")
                        for folder in ("", "ru"))
    strip = lambda tree: [type(node).__name__ for node in ast.walk(tree)]  # noqa: E731
    assert strip(ast.parse(english)) == strip(ast.parse(russian))
