"""Issue #12: one freezing primitive, frozen BatchNorm that stays frozen, model knowledge as data,
one preprocessing path, and a small declared public API that the lessons keep to."""
import ast
import inspect
import json
import re
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
from PIL import Image
from torch import nn

import tlteach as tt

ROOT = Path(__file__).resolve().parent.parent


def _frozen_bn_training(model) -> list:
    """The `training` flag of every BatchNorm whose weights are frozen."""
    return [bn.training for bn in tt.freezing.batchnorms(model) if not bn.weight.requires_grad]


# ----------------------------------------------------------------------------- one freezing primitive
def test_freeze_and_unfreeze_mean_the_same_integer():
    model = tt.SmallCNN(3)
    tt.freeze(model, 3)
    tt.unfreeze(model, 3)  # the old unfreeze(from_=3) started at index 2 and thawed a group freeze had just frozen
    assert tt.freezing.frozen_prefix(model) == 3
    tt.unfreeze(model, "block3")  # by name: block3 onwards train, block1-2 stay frozen
    assert tt.freezing.frozen_prefix(model) == 2
    assert tt.freeze(model, "block2") is model and tt.freezing.frozen_prefix(model) == 2
    tt.unfreeze(model)
    assert tt.freezing.frozen_prefix(model) == 0


# ----------------------------------------------------------------------------- frozen BatchNorm stays frozen
def test_fit_keeps_frozen_batchnorm_in_eval_mode_when_the_model_arrived_training(tiny_ds):
    model = tt.freeze(tt.SmallCNN(3, seed=0), up_to=2)
    model.train()  # arrives in training mode
    tt.fit(model, tiny_ds, tiny_ds, epochs=1, live=False)
    assert model.training  # fit gives the model back in the mode it came in ...
    assert _frozen_bn_training(model) == [False, False]  # ... but frozen BatchNorm did not switch back on
    bn = model.block1[1]
    before = bn.running_mean.clone()
    model(torch.rand(4, 3, 32, 32))  # a training-mode forward pass: frozen statistics must not move
    assert torch.equal(bn.running_mean, before)


@pytest.mark.parametrize("use", ["evaluate", "predict", "extract_features", "widget"])
def test_frozen_batchnorm_stays_in_eval_mode_through_every_verb(use, tiny_ds):
    model = tt.freeze(tt.SmallCNN(3, seed=0), up_to=2)
    model.train()
    if use == "evaluate":
        tt.evaluate(model, tiny_ds)
    elif use == "predict":
        tt.predict(model, tiny_ds.images[0])
    elif use == "extract_features":
        tt.extract_features(model, tiny_ds)
    else:
        panel = tt.FreezePanel(model, tiny_ds, tiny_ds)
        panel.slider.value = 3
        panel.train_button.click()
    assert model.training and _frozen_bn_training(model) and not any(_frozen_bn_training(model))


# ----------------------------------------------------------------------------- model knowledge as data
class Toy(nn.Module):
    """A model tlteach has never heard of: two convolution blocks and a classifier."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.top = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(16, 5))

    def forward(self, x):
        return self.classifier(self.top(self.body(x)))


@pytest.fixture
def toy_family():
    with pytest.raises(tt.errors.TLTeachError, match="does not know Toy"):
        tt.models.layer_groups(Toy())  # unknown before its entry is registered
    family = tt.families.register_family(tt.families.Family(
        "toy", matches=lambda m: isinstance(m, Toy),
        groups=lambda m: OrderedDict(body=m.body, top=m.top, head=m.classifier),
        head=lambda m: (m.classifier, "2"), first_conv="top.0", input_size=32))
    yield family
    tt.families.FAMILIES.remove(family)


def test_a_new_family_is_one_entry_and_every_verb_works(toy_family, tiny_ds):
    model = Toy()
    assert list(tt.models.layer_groups(model)) == ["body", "top", "head"]
    tt.replace_head(model, tiny_ds.classes)
    assert tt.models.num_outputs(model) == 3 and model.classifier[2].out_features == 3
    tt.freeze(model, up_to="body")
    assert tt.trainable_summary(model)["status"][:3] == ["frozen", "trainable", "trainable"]
    history = tt.fit(model, tiny_ds, tiny_ds, epochs=2, live=False)
    assert history.cached_groups == 1 and len(history) == 2
    assert 0 <= tt.evaluate(model, tiny_ds)["accuracy"] <= 1
    assert len(tt.predict(model, Image.new("RGB", (50, 40), "red"), k=2)) == 2  # resized to the family's 32 px
    features, labels = tt.extract_features(model, tiny_ds)
    assert features.shape == (12, 16)
    assert tt.inspection.find_conv(model)[0] == "top.0"  # the family's first_conv
    assert "top.0" in tt.show_filters(model).texts[0].get_text()
    tt.unfreeze(model)
    panel = tt.FreezePanel(model)
    panel.slider.value = 2
    assert tt.freezing.frozen_prefix(model) == 2


# ----------------------------------------------------------------------------- one preprocessing path
def test_same_photo_same_tensor_in_datasets_and_predict():
    train = tt.load_dataset("animals", "train", size=96)
    path = train.files[7]
    from_file = tt.preprocess.prepare(path, 96)
    assert torch.equal(from_file, train.images[7])
    assert torch.equal(tt.preprocess.prepare(Image.open(path), 96), train.images[7])  # a PIL photo
    assert torch.equal(tt.load_image(path, size=96), train.images[7])
    # predict reads a PIL image, an array or the path exactly as the dataset did
    model = tt.SmallCNN(10, seed=0)
    want = tt.inference.logits(model, train.images[7:8].float() / 255)
    for photo in (path, Image.open(path), train.images[7].permute(1, 2, 0).numpy()):
        assert torch.allclose(tt.inference.logits(model, photo, size=96), want, atol=1e-6)


# ----------------------------------------------------------------------------- a small declared API
def test_public_api_is_small_and_every_verb_names_its_lesson():
    assert len(tt.__all__) <= 27 and len(set(tt.__all__)) == len(tt.__all__)
    for name in tt.__all__:
        doc = inspect.getdoc(getattr(tt, name)) or ""
        assert re.search(r"Lesson 0\d", doc), f"{name}'s docstring does not say which lesson introduces it"
        assert ">>>" in doc, f"{name}'s docstring has no example"


def test_top_level_namespace_is_the_api_plus_modules():
    extra = {n for n in vars(tt) if not n.startswith("_") and n not in tt.__all__
             and not inspect.ismodule(getattr(tt, n))}
    assert extra == set(), f"names at tt. that are not in __all__: {sorted(extra)}"


def _lesson_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lessons_use_only_public_names(lesson):
    code = _lesson_code(lesson)
    used = set(re.findall(r"\btt\.(\w+)", code))
    private = {n for n in used if n not in tt.__all__ and not inspect.ismodule(getattr(tt, n, None))}
    assert not private, f"{lesson.name} uses tt.{', tt.'.join(sorted(private))}: not public (see tt.__all__)"
    hidden = set(re.findall(r"\btt\.\w+\.(_\w+)", code))
    assert not hidden, f"{lesson.name} uses private helpers {hidden}"


def _model_classes() -> set:
    """The network classes a module could ask a model about: torchvision's and tlteach's own."""
    import torchvision.models

    theirs = {n for n, c in vars(torchvision.models).items() if isinstance(c, type) and issubclass(c, nn.Module)}
    grouped = tt.models.architectures.GroupedNet
    return theirs | {n for n, c in vars(tt.models.architectures).items() if isinstance(c, type) and issubclass(c, grouped)}


def isinstance_on_model_classes(code: str, classes: set) -> list:
    """`isinstance(m, X)` / `issubclass(...)` calls in `code` whose X (or one in a tuple) is one of `classes`."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("isinstance", "issubclass") \
                and len(node.args) == 2:
            kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            names = {k.attr if isinstance(k, ast.Attribute) else getattr(k, "id", "") for k in kinds}
            if names & classes:
                found.append(ast.unparse(node))
    return found


def test_the_isinstance_reader_finds_a_chain():
    classes = _model_classes()
    assert {"ResNet", "MobileNetV3", "GroupedNet", "SmallCNN"} <= classes
    code = "if isinstance(m, torchvision.models.ResNet):\n    pass\nelif isinstance(m, (nn.Linear, MobileNetV3)):\n    pass"
    assert isinstance_on_model_classes(code, classes) == ["isinstance(m, torchvision.models.ResNet)",
                                                          "isinstance(m, (nn.Linear, MobileNetV3))"]
    assert isinstance_on_model_classes("isinstance(layer, nn.Conv2d)", classes) == []


def test_no_isinstance_chains_on_model_families():
    """Model knowledge lives in models/families.py: no other module (in any folder) asks which class a model is."""
    classes = _model_classes()
    modules = sorted((ROOT / "tlteach").rglob("*.py"))
    assert len(modules) > 40 and ROOT / "tlteach" / "experiments" / "recipes.py" in modules  # the sub-folders too
    found = {p.relative_to(ROOT).as_posix(): isinstance_on_model_classes(p.read_text(encoding="utf-8"), classes)
             for p in modules if p.relative_to(ROOT).as_posix() != "tlteach/models/families.py"}
    assert not {k: v for k, v in found.items() if v}
    assert isinstance_on_model_classes((ROOT / "tlteach/models/families.py").read_text(encoding="utf-8"), classes)


# ----------------------------------------------------------------------------- folders by concern, no circles
PACKAGE = ROOT / "tlteach"
# Each folder may import the ones below it, never those above: import-linter's layers contract in pyproject.toml
# ([tool.importlinter]). Read here: the foundation modules import only each other, errors nothing, no circle.
FOUNDATION = {"errors", "i18n", "table", "validate", "seeds", "_version"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def _imports(path: Path, code: str = None) -> set:
    """The tlteach modules `path` imports, at the top or inside a function (relative imports resolved); `code`: the
    module's text, if not the file's."""
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    if here == ["__init__"]:
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if code is None else code)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            target = base + (node.module.split(".") if node.module else [])
            names = [target + [a.name] for a in node.names] if not node.module else [target]
            for name in names:
                dotted = ".".join(name)
                if (PACKAGE / Path(*name)).with_suffix(".py").exists() or (PACKAGE / Path(*name) / "__init__.py").exists():
                    found.add(dotted)
                else:  # a name the package (its __init__) or a module defines: `from . import __version__`
                    found.add(".".join(target) or "__init__")
    return found - {".".join(here)}


def _graph() -> dict:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def test_the_import_reader_sees_names_taken_from_a_package():
    """`from . import __version__` imports the package's __init__ (the back edge notebook.py once had)."""
    assert _imports(PACKAGE / "notebook.py", "from . import __version__, errors\n") == {"__init__", "errors"}
    assert _imports(PACKAGE / "experiments" / "sweep.py", "from .. import __version__\nfrom ..data import load_dataset\n"
                    "from . import rules\n") == {"__init__", "data", "experiments.rules"}


def test_no_module_imports_the_package_itself():
    """tlteach/__init__.py imports the modules to offer their verbs as tt.<name>; none imports it back (the version
    lives in the leaf tlteach/_version.py)."""
    back = sorted(m for m, targets in _graph().items() if "__init__" in targets)
    assert not back, f"modules that import tlteach/__init__.py: {back}"


def test_errors_imports_nothing_of_tlteach():
    assert _graph()["errors"] == set()


def lint_imports(package_parent: Path, tmp_path: Path) -> "subprocess.CompletedProcess":
    """import-linter's `lint-imports` with pyproject.toml's contracts, on the tlteach package found in
    `package_parent` (run in a folder of its own: no cache left in the repository)."""
    import os
    import subprocess
    import sys

    pytest.importorskip("importlinter", reason="import-linter is a [dev] dependency: make install")
    code = ("import sys; from importlinter.cli import lint_imports_command; "
            "sys.argv = ['lint-imports', *sys.argv[1:]]; lint_imports_command()")
    env = dict(os.environ, PYTHONPATH=str(package_parent), NO_COLOR="1")
    return subprocess.run([sys.executable, "-c", code, str(ROOT / "pyproject.toml"), "--no-cache"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def test_no_folder_imports_a_higher_one(tmp_path):
    """The contracts in pyproject.toml ([tool.importlinter]): data, models, training, experiments, figures, panels,
    exercises, each importing only the ones before it (directly or through another module); figures never import the
    experiments."""
    result = lint_imports(ROOT, tmp_path)
    assert result.returncode == 0 and "kept, 0 broken" in result.stdout, result.stdout[-3000:] + result.stderr


def test_the_layers_contract_fails_on_an_upward_import(tmp_path):
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "tlteach", ignore=lambda folder, names: [
        n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir() or n == "__pycache__"])
    (copy / "tlteach" / "data" / "upward.py").write_text("from ..figures import style  # a lower folder, a higher one\n")
    result = lint_imports(copy, tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout and "tlteach.data.upward" in result.stdout, \
        result.stdout[-3000:] + result.stderr


def test_no_import_circle():
    graph = _graph()
    # a package's __init__ imports its own modules to re-export them: follow module-to-module imports only
    edges = {m: {t for t in ts if not (t == m.rsplit(".", 1)[0])} for m, ts in graph.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in edges.get(node, ()):
            if nxt.endswith("__init__") or nxt not in edges:
                continue
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in edges:
        if node not in state:
            visit(node, [node])
    packages = {m for m in edges if (PACKAGE / Path(*m.split("."))).is_dir()}
    real = [c for c in cycles if not set(c) & packages]  # package __init__ re-exports are not circles
    assert not real, real


def test_foundation_modules_import_only_each_other():
    wrong = {m: ts for m, ts in _graph().items() if m in FOUNDATION and not ts <= FOUNDATION}
    assert not wrong, wrong


# ----------------------------------------------------------------------------- no shims
def test_no_module_shadows_a_short_name():
    """The lessons' short names (`tt.sweep` is tlteach.experiments.sweep) stay what they are after importing any
    module of the package: a top-level tlteach/sweep.py would replace `tt.sweep` the moment it was imported."""
    import importlib

    short = {n: m for n, m in vars(tt).items() if inspect.ismodule(m) and m.__name__.startswith("tlteach.")}
    assert short["sweep"].__name__ == "tlteach.experiments.sweep"
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        if name != "__init__" and not name.endswith("__main__"):
            importlib.import_module(f"tlteach.{name}")
    changed = {n: getattr(tt, n).__name__ for n, m in short.items() if getattr(tt, n) is not m}
    assert not changed, f"importing a module replaced tt.{', tt.'.join(changed)}: {changed}"


def _commands() -> dict:
    """{module: [files]} for every `python -m tlteach...` the README, the guides, the package, its catalogues and
    the tools tell a reader to run (not the lessons in notebooks/)."""
    texts = [ROOT / "README.md", ROOT / "README.ru.md", ROOT / "Makefile", *sorted((ROOT / "docs").rglob("*.md")),
             *sorted(PACKAGE.rglob("*.py")), *sorted(PACKAGE.rglob("*.po")), *sorted((ROOT / "tools").glob("*.py"))]
    found = {}
    for path in texts:
        for module in re.findall(r"python -m (tlteach[\w.]*)", path.read_text(encoding="utf-8")):
            found.setdefault(module.rstrip("."), []).append(path.relative_to(ROOT).as_posix())
    return found


def test_every_command_named_runs():
    """Each `python -m tlteach.X` named is a module of the package that runs as a command."""
    import importlib.util

    commands = _commands()
    assert "tlteach.experiments.sweep" in commands and "tlteach.bench" in commands
    wrong = {}
    for module, where in commands.items():
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            wrong[module] = f"no such module (named in {sorted(set(where))})"
        elif spec.submodule_search_locations is not None:  # a package runs through its __main__.py
            if importlib.util.find_spec(f"{module}.__main__") is None:
                wrong[module] = f"a package without __main__.py (named in {sorted(set(where))})"
        elif 'if __name__ == "__main__":' not in Path(spec.origin).read_text(encoding="utf-8"):
            wrong[module] = f"does nothing when run (named in {sorted(set(where))})"
    assert not wrong, wrong


def test_every_colour_is_named_once_in_the_figures_style():
    """A colour is a fact: it lives in tlteach/figures/style.py under a name, and every other module reads the name."""
    import re

    literal = re.compile(r"""(?<![\w&])#[0-9a-fA-F]{6}\b""")  # "#d62728", also inside HTML: style="color: #d62728"
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "tlteach").rglob("*.py"))
             if path.name != "style.py" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if literal.search(line)]
    assert found == [], "colour literals outside figures/style.py: " + ", ".join(found)
