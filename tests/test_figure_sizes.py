"""Every figure fits a 1920 x 1080 projector without scrolling, with text of at least 13 pt.

Two halves:
- the pictures in the committed notebooks (English and Russian): each PNG output at most 1080 px tall
  and 1920 px wide (the notebooks draw at 90 dpi, tlteach.notebook.FIGURE_STYLE);
- the figures the lessons draw, drawn here again with the lessons' own arguments and saved the way
  Jupyter's inline backend does (`savefig(dpi=90, bbox_inches="tight")`): so a change to tlteach.viz
  is checked before the notebooks are executed again.
"""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from PIL import Image

import tlteach as tt
from tlteach import viz
from tlteach.notebook import FIGURE_STYLE

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "ru").glob("*.ipynb"))
MAX_WIDTH, MAX_HEIGHT = 1920, 1080
MIN_FONT = FIGURE_STYLE["font.size"]  # 13 pt


def png_sizes(path: Path) -> list:
    """(cell id, width, height) of every PNG output of a notebook."""
    sizes = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                data = base64.b64decode("".join(png) if isinstance(png, list) else png)
                sizes.append((cell.get("id", "?"), *Image.open(io.BytesIO(data)).size))
    return sizes


def test_png_sizes_reads_a_notebook(tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (30, 2000)).save(picture, format="PNG")
    cell = {"cell_type": "code", "id": "tall", "source": "", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "display_data", "metadata": {},
                         "data": {"image/png": base64.b64encode(picture.getvalue()).decode(), "text/plain": "fig"}}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert png_sizes(path) == [("tall", 30, 2000)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_committed_figures_fit_a_projector(path):
    too_big = [f"{path.relative_to(ROOT)} cell {cell}: {w}×{h} px" for cell, w, h in png_sizes(path)
               if w > MAX_WIDTH or h > MAX_HEIGHT]
    assert not too_big, f"figures larger than {MAX_WIDTH}×{MAX_HEIGHT} px (re-execute the notebook after " \
                        "changing tlteach.viz):\n" + "\n".join(too_big)


# ----------------------------------------------------------------------------- the lessons' figures, drawn now
def drawn_size(fig) -> tuple:
    """The PNG size Jupyter's inline backend gives this figure (90 dpi, tight bounding box)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_STYLE["figure.dpi"], bbox_inches="tight")
    plt.close(fig)
    return Image.open(buffer).size


def smallest_font(fig) -> float:
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip() and t.get_visible()]
    return min(sizes)


@pytest.fixture(scope="module")
def lesson_inputs():
    # (64 px instead of the lessons' 128: each image is drawn in an axes of its own size, so the figure's
    # size does not depend on it, and the network answers 4 times faster)
    with matplotlib.rc_context(FIGURE_STYLE):
        val = tt.load_dataset("animals", "val", size=64)
        photos = tt.small_subset(val, per_class=1, seed=1)
        rhino = tt.load_image(photos.files[photos.classes.index("rhino")], size=224)
    return {"val": val, "photos": photos, "rhino": rhino}


def lesson_figures(pretrained, inputs):
    """The figures that were too tall or too small, with the arguments the lessons use (and the largest)."""
    import copy

    val, photos = inputs["val"], inputs["photos"]
    new_head = tt.replace_head(copy.deepcopy(pretrained), val.classes)
    yield "02 show-predictions", lambda: viz.show_predictions(pretrained, photos, k=5, n=6, seed=2)
    yield "show_predictions, 12 images (the most it draws)", lambda: viz.show_predictions(pretrained, val, k=5, n=12)
    yield "03 predictions-before", lambda: viz.show_predictions(new_head, val, k=3)
    yield "02 feature-maps", lambda: viz.show_feature_maps(pretrained, inputs["rhino"], layers=["stem", "stage2", "stage7"])
    yield "05 confusion", lambda: viz.plot_confusion(tt.SmallCNN(10), tt.small_subset(val, per_class=2))
    yield "plot_transfer_steps", lambda: viz.plot_transfer_steps(tt.unfreeze(new_head, from_="stage6"))


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
@pytest.mark.parametrize("language", ["en", "ru"])
def test_lesson_figures_fit_a_projector_with_large_text(pretrained, lesson_inputs, language):
    tt.i18n.set_language(language)
    problems = []
    try:
        with matplotlib.rc_context(FIGURE_STYLE):
            for name, draw in lesson_figures(pretrained, lesson_inputs):
                fig = draw()
                font = smallest_font(fig)
                width, height = drawn_size(fig)
                if width > MAX_WIDTH or height > MAX_HEIGHT or font < MIN_FONT:
                    problems.append(f"{name}: {width}×{height} px, smallest text {font} pt")
    finally:
        tt.i18n.set_language("en")
    assert not problems, "\n".join(problems)


def test_feature_maps_are_large_enough_to_read(pretrained, lesson_inputs):
    """Each feature map of lesson 02 at least 180 px wide on the screen (it was 140)."""
    with matplotlib.rc_context(FIGURE_STYLE):
        fig = viz.show_feature_maps(pretrained, lesson_inputs["rhino"], layers=["stem", "stage2", "stage7"])
        fig.savefig(io.BytesIO(), format="png", dpi=FIGURE_STYLE["figure.dpi"], bbox_inches="tight")  # as shown
        maps = [ax for ax in fig.get_axes() if ax.images][1:]
        widths = [ax.get_window_extent().width for ax in maps]
    plt.close(fig)
    assert len(maps) == 3 * 6 and min(widths) >= 180, widths
