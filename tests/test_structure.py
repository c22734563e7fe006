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


def test_no_isinstance_chains_on_model_families():
    """Model knowledge lives in families.py: no other module asks which torchvision class a model is."""
    for path in (ROOT / "tlteach").glob("*.py"):
        if path.name == "families.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in ast.walk(tree)}
        assert not names & {"ResNet", "MobileNetV3", "GroupedNet"} or path.name == "architectures.py", path.name


# ----------------------------------------------------------------------------- folders by concern, no circles
PACKAGE = ROOT / "tlteach"
# Each folder may import the ones before it, never those after (the foundation modules import none of them).
LAYERS = ["foundation", "data", "models", "training", "experiments", "text", "figures", "panels", "exercises", "top"]
FOUNDATION = {"errors", "i18n", "table", "validate", "seeds"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def _imports(path: Path) -> set:
    """The tlteach modules `path` imports, at the top or inside a function (relative imports resolved)."""
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    if here == ["__init__"]:
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            target = base + (node.module.split(".") if node.module else [])
            names = [target + [a.name] for a in node.names] if not node.module else [target]
            for name in names:
                dotted = ".".join(name)
                if (PACKAGE / Path(*name)).with_suffix(".py").exists() or (PACKAGE / Path(*name) / "__init__.py").exists():
                    found.add(dotted)
                elif node.module:
                    found.add(".".join(target))
    return found - {".".join(here)}


def _layer(module: str) -> str:
    first = module.split(".")[0]
    if first in FOUNDATION:
        return "foundation"
    return first if first in LAYERS else "top"


def _graph() -> dict:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def test_errors_imports_nothing_of_tlteach():
    assert _graph()["errors"] == set()


def test_no_folder_imports_a_higher_one():
    wrong = [(module, target) for module, targets in _graph().items() for target in targets
             if module.split(".")[0] not in ("__init__",) and _layer(module) != "top"
             and LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))]
    assert not wrong, wrong


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
