"""FreezePanel and the lesson slideshow in a real browser: JupyterLab + headless Chromium.

- the FreezePanel: a slider moved by the keyboard changes the trainable count on the page; two clicks of *Train one
  run* give two seeds of one recipe and depth, named on the result line and counted in the table of runs
  (artifacts/freeze_panel_training.png);
- the slideshow: 00_lesson.ipynb opened in JupyterLab, RISE's *Render as Reveal Slideshow* started from the
  command palette, the first slide (the lesson's title) visible; screenshot artifacts/lesson_slides.png (with
  TLTEACH_UPDATE_DOCS=1 also docs/img/lesson_slides.png).

Run it alone with `pytest tests/test_browser.py` (about a minute). It needs Chromium: on CI (CI=true) a
missing browser is a failure, on a laptop the test is skipped. The screenshot goes to
artifacts/freeze_panel.png; with TLTEACH_UPDATE_DOCS=1 it also replaces docs/img/freeze_panel_browser.png.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = Path(__file__).with_name("browser_freeze_panel.ipynb")
TRAINING = Path(__file__).with_name("browser_freeze_panel_train.ipynb")
LESSON = ROOT / "notebooks" / "00_lesson.ipynb"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def screenshot(target, name: str, docs: str = None) -> Path:
    """Save a screenshot of `target` (a page or a locator) as artifacts/`name`; with TLTEACH_UPDATE_DOCS=1 also as
    docs/img/`docs` (the pictures the README and the guide show)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    target.screenshot(path=str(shot))
    if docs and os.environ.get("TLTEACH_UPDATE_DOCS") == "1":
        shutil.copy(shot, ROOT / "docs" / "img" / docs)
    return shot


def run_all_cells(page, lab, notebook: Path, shows: str, text: str = None, failed: str = "failed.png"):
    """Open `notebook` in the running JupyterLab, wait for its kernel, make room and run all its cells; return the
    locator `shows` once it is visible (holding `text`, if given), else fail with a screenshot (`failed`) and the
    server's log."""
    from playwright.sync_api import expect

    # ?reset: a fresh workspace (the sidebar open, only this notebook), whatever an earlier test left in this lab
    page.goto(f"{lab['url']}/lab/tree/{notebook.name}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=40_000)
    expect(page.get_by_text(re.compile(r"\| Idle$"))).to_be_visible(timeout=40_000)  # kernel ready
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()  # more room
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li.lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Run All Cells'))").click()
    choose_kernel = page.locator(".jp-Dialog", has_text="Select Kernel")
    if choose_kernel.is_visible():  # JupyterLab asks when the session is not ready yet
        choose_kernel.locator(".jp-mod-accept").click()
    target = page.locator(shows)
    try:
        if text:
            expect(target).to_contain_text(text, timeout=60_000)
        else:
            expect(target).to_be_visible(timeout=60_000)
    except AssertionError:
        screenshot(page, failed)
        raise AssertionError(f"{shows} did not appear; server log:\n{lab['log'].read_text()[-3000:]}") from None
    return target


def missing(what: str) -> None:
    """On CI a missing browser must fail the build; on a laptop it only skips this test."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"CI=true but {what}: install Chromium (apt-get install chromium) and playwright.")
    pytest.skip(f"{what}; install Chromium to run the browser tests: sudo apt-get install chromium (Debian/Ubuntu)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(url: str, token: str, method: str = "GET", timeout: float = 2.0):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"},
                                     data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"{}")


@pytest.fixture(scope="module")
def chromium_path():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:  # a browser downloaded by `playwright install chromium` also does
        with sync_playwright() as p:
            path = p.chromium.executable_path if Path(p.chromium.executable_path).exists() else None
    if path is None:
        missing("no Chromium browser was found")
    return path


@contextmanager
def running_lab(tmp_path_factory, notebooks):
    """A JupyterLab server on a free port with copies of `notebooks`, isolated from the user's Jupyter set-up,
    shut down at the end (tests/test_browser_upload.py uses it too)."""
    root = tmp_path_factory.mktemp("lab_root")
    for notebook in notebooks:
        shutil.copy(notebook, root / Path(notebook).name)
    home = tmp_path_factory.mktemp("jupyter_home")
    page_config = home / "config" / "labconfig" / "page_config.json"
    page_config.parent.mkdir(parents=True)
    page_config.write_text(json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTER_DATA_DIR=str(home / "data"), IPYTHONDIR=str(home / "ipython"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    port, token = free_port(), os.urandom(16).hex()
    log = (home / "server.log").open("w")
    import jupyter_server

    token_option = "IdentityProvider" if int(jupyter_server.__version__.split(".")[0]) >= 2 else "ServerApp"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}",
               f"--{token_option}.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI runners often run as root
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited at start:\n{(home / 'server.log').read_text()[-3000:]}")
            try:
                api(f"{url}/api/status", token)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in 60 s:\n{(home / 'server.log').read_text()[-3000:]}")
                time.sleep(0.3)
        yield {"url": url, "token": token, "log": home / "server.log", "root": root}
    finally:
        try:
            api(f"{url}/api/shutdown", token, method="POST")  # stops the kernels too
            server.wait(timeout=15)
        except Exception:  # noqa: BLE001 - whatever failed, the server must not outlive the test
            pass
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """The FreezePanel test notebooks and the lesson notebook (for the slideshow test) in a running JupyterLab."""
    with running_lab(tmp_path_factory, [NOTEBOOK, TRAINING, LESSON]) as lab:
        yield lab


def test_freeze_panel_slider_changes_the_count_on_the_page(chromium_path, jupyter_lab):
    from playwright.sync_api import expect, sync_playwright

    lab = jupyter_lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            count = run_all_cells(page, lab, NOTEBOOK, ".tlteach-freeze-panel .tlteach-count", "Trainable:",
                                  failed="freeze_panel_failed.png")
            expect(page.locator(".jp-OutputArea-output", has_text="kernel python:")).to_contain_text(sys.executable)
            before = count.inner_text()
            assert "12,810 of 3,383,818 parameters (0.4 %)" in before  # head only: stem ... stage7 frozen

            handle = page.locator(".tlteach-freeze-panel .noUi-handle").first
            handle.focus()
            handle.press("ArrowLeft")  # freeze one group less: stage7 trains too
            expect(count).not_to_have_text(before, timeout=15_000)
            after = count.inner_text()
            assert "1,030,410 of 3,383,818" in after, after
            expect(page.locator(".tlteach-freeze-panel .widget-readout").first).to_have_text("stage6")

            screenshot(page, "freeze_panel.png")
            screenshot(page.locator(".jp-Cell", has=page.locator(".tlteach-freeze-panel")), "freeze_panel_widget.png",
                       docs="freeze_panel_browser.png")
        finally:
            browser.close()


def test_freeze_panel_trains_a_run_per_click_and_tables_them(chromium_path, jupyter_lab):
    """Each click of *Train one run* is one more seed of the recipe and depth (through the course's runner): the result
    line names the seed, and the table of runs counts them (n = 2 after two clicks)."""
    from playwright.sync_api import expect, sync_playwright

    lab = jupyter_lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            run_all_cells(page, lab, TRAINING, ".tlteach-freeze-panel button", "Train one run",
                          failed="freeze_panel_train_failed.png")
            panel = page.locator(".tlteach-freeze-panel")
            button = panel.get_by_role("button", name="Train one run")
            for seed in (0, 1):
                button.click()
                expect(panel).to_contain_text(f"7 frozen, seed {seed}: validation", timeout=120_000)
            table = panel.locator("table")
            expect(table).to_contain_text("minus the first row, seed by seed")
            cells = table.locator("tr").nth(1).locator("td")
            expect(cells.nth(2)).to_have_text("2")  # n: two seeds of the careful recipe, 7 groups frozen
            screenshot(panel, "freeze_panel_training.png")
        finally:
            browser.close()


def test_lesson_notebook_opens_as_a_slideshow(chromium_path, jupyter_lab):
    """make lab installs jupyterlab-rise: the lesson notebook starts as slides, the title slide first."""
    from playwright.sync_api import expect, sync_playwright

    lab = jupyter_lab
    title = json.loads(LESSON.read_text(encoding="utf-8"))["cells"][0]["source"]
    title = next(line[2:].strip() for line in "".join(title).splitlines() if line.startswith("# "))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            # ?reset: a fresh workspace, only the lesson open (not the FreezePanel notebook of the test above)
            page.goto(f"{lab['url']}/lab/tree/{LESSON.name}?reset&token={lab['token']}")
            notebook = page.locator(".jp-NotebookPanel", has_text=title).last
            expect(notebook.locator(".jp-Cell").first).to_be_visible(timeout=40_000)
            expect(page.get_by_text(re.compile(r"\| Idle$"))).to_be_visible(timeout=40_000)  # kernel ready
            notebook.locator(".jp-Cell").first.click()
            page.keyboard.press("Escape")  # command mode: the notebook has the focus its shortcuts need
            page.keyboard.press("Alt+r")  # RISE: Render as Reveal Slideshow (the preview beside the notebook)

            frame = page.frame_locator("iframe").first
            first_slide = frame.locator(".reveal .slides section.present").first
            try:
                expect(first_slide).to_contain_text(title, timeout=60_000)
                expect(first_slide).to_be_visible()
            except AssertionError:
                screenshot(page, "lesson_slides_failed.png")
                raise
            # the slide deck the preview shows, alone in the window, as the class sees it on the projector
            src = page.locator("iframe").first.get_attribute("src")
            assert src and "rise" in src.lower(), src
            page.goto(src if src.startswith("http") else f"{lab['url']}{src}")
            slide = page.locator(".reveal .slides section.present").first
            expect(slide).to_contain_text(title, timeout=60_000)
            expect(page.locator(".reveal .slides section.present .jp-Cell").first).to_be_visible()
            assert "Organisation" not in slide.inner_text()  # the next slide is not on this one
            page.wait_for_timeout(1000)  # let reveal.js finish its layout
            screenshot(page, "lesson_slides.png", docs="lesson_slides.png")
        finally:
            browser.close()
