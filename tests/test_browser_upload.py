"""The own-photos panel in a real browser (JupyterLab + headless Chromium): Playwright puts bundled photos and a
PDF into the panel's file pickers, names the classes, clicks Train and reads the prediction for a new photo.

Run it alone with `pytest tests/test_browser_upload.py` (about a minute). The screenshot goes to
artifacts/own_photos_browser.png; with TLTEACH_UPDATE_DOCS=1 it also replaces docs/img/own_photos_browser.png.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from test_browser import CHROMIUM_ARGS, chromium_path, running_lab  # noqa: F401 - chromium_path is a fixture

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = Path(__file__).with_name("browser_own_photos.ipynb")
ANIMALS = ROOT / "data" / "animals"
ARTIFACTS = ROOT / "artifacts"


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
            page.goto(f"{lab['url']}/lab/tree/{NOTEBOOK.name}?token={lab['token']}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=40_000)
            expect(page.get_by_text(re.compile(r"\| Idle$"))).to_be_visible(timeout=40_000)
            page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()  # more room
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("li.lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Run All Cells'))").click()
            choose_kernel = page.locator(".jp-Dialog", has_text="Select Kernel")
            if choose_kernel.is_visible():
                choose_kernel.locator(".jp-mod-accept").click()

            panel = page.locator(".tlteach-own-photos")
            try:
                expect(panel).to_be_visible(timeout=60_000)
            except AssertionError:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "own_photos_failed.png"))
                raise AssertionError(f"the panel did not appear; server log:\n{lab['log'].read_text()[-3000:]}")
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

            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "own_photos_browser.png"
            page.locator(".jp-Cell", has=panel).screenshot(path=str(shot))
            if os.environ.get("TLTEACH_UPDATE_DOCS") == "1":
                shutil.copy(shot, ROOT / "docs" / "img" / "own_photos_browser.png")
        finally:
            browser.close()
