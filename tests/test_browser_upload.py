"""The own-photos panel in a real browser (JupyterLab + headless Chromium): Playwright puts bundled photos and a
PDF into the panel's file pickers, names the classes, clicks Train and reads the prediction for a new photo.

Run it alone with `pytest tests/test_browser_upload.py` (about a minute). The screenshot goes to
artifacts/own_photos_browser.png; with TLTEACH_UPDATE_DOCS=1 it also replaces docs/img/own_photos_browser.png.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from test_browser import ROOT, CHROMIUM_ARGS, chromium_path, run_all_cells, running_lab, screenshot  # noqa: F401

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).with_name("browser_own_photos.ipynb")
ANIMALS = ROOT / "data" / "animals"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """This test's notebook in a running JupyterLab (the same server set-up as tests/test_browser.py)."""
    with running_lab(tmp_path_factory, [NOTEBOOK]) as server:
        yield server


def upload(page, button, files) -> None:
    """Click an upload button and choose `files` in the browser's file picker (FileUpload's <input type=file> is
    not in the page, so Playwright answers the picker it opens)."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files([str(f) for f in files])


def test_upload_train_and_classify_in_the_browser(chromium_path, lab, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    pdf = tmp_path / "homework.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    leopards = sorted((ANIMALS / "train" / "leopard").glob("*.jpg"))[:5]
    dolphins = sorted((ANIMALS / "train" / "dolphin").glob("*.jpg"))[:5]
    new_photo = sorted((ANIMALS / "val" / "leopard").glob("*.jpg"))[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            panel = run_all_cells(page, lab, NOTEBOOK, ".tlteach-own-photos", failed="own_photos_failed.png")
            names = panel.locator("input[type=text]")
            names.nth(0).fill("leopard")
            names.nth(1).fill("dolphin")
            thumbs = panel.locator(".tlteach-thumbs")
            upload(page, panel.locator(".tlteach-upload-0"), leopards)
            expect(thumbs.nth(0)).to_contain_text("5 photos", timeout=20_000)
            upload(page, panel.locator(".tlteach-upload-1"), dolphins + [pdf])
            expect(thumbs.nth(1)).to_contain_text("homework.pdf: not a photo", timeout=20_000)
            expect(thumbs.nth(1)).to_contain_text("5 photos")
            assert thumbs.nth(0).locator("img").count() == 5

            panel.locator("button.tlteach-train").click()
            status = panel.locator(".tlteach-status")
            expect(status).to_contain_text("Trained on 10 photos of 2 classes", timeout=120_000)

            upload(page, panel.locator(".tlteach-test-upload"), [new_photo])
            prediction = panel.locator(".tlteach-prediction")
            expect(prediction).to_contain_text(f"{new_photo.name}: leopard", timeout=30_000)
            assert prediction.locator(".tlteach-bar-row").count() == 2  # top-3 of two classes: both

            screenshot(page.locator(".jp-Cell", has=panel), "own_photos_browser.png", docs="own_photos_browser.png")
        finally:
            browser.close()
