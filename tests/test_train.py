"""fit / History / evaluate / predict / feature caching: correct, seeded, interruptible."""
import pytest
import torch

import tlteach as tt
from tlteach.training import train as train_module


def small_model(num_classes=3, seed=0):
    torch.manual_seed(seed)
    return tt.SmallCNN(num_classes, width=8)


def test_history_contents(tiny_ds):
    history = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=3, batch_size=4, live=False)
    assert len(history) == 3 and history["epoch"] == [1, 2, 3]
    row = history.final()
    assert set(row) == set(tt.train.History.columns)
    assert 0 <= row["train_acc"] <= 1 and 0 <= row["val_acc"] <= 1
    assert history["seconds"] == sorted(history["seconds"])
    assert history.best()["val_acc"] == max(history["val_acc"])
    assert history.best("val_loss")["val_loss"] == min(history["val_loss"])
    assert "train_acc" in str(history) and "<table>" in history._repr_html_()


def test_fit_learns_a_tiny_set(tiny_ds):
    history = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=30, lr=1e-2, batch_size=12, live=False)
    assert history.final()["train_acc"] == 1.0


def test_same_seed_same_numbers(tiny_ds):
    a = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=2, batch_size=4, seed=3, live=False)
    b = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=2, batch_size=4, seed=3, live=False)
    c = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=2, batch_size=4, seed=4, live=False)
    assert a["train_loss"] == b["train_loss"] and a["val_acc"] == b["val_acc"]
    assert a["train_loss"] != c["train_loss"]


def test_only_trainable_parameters_change(tiny_ds):
    model = small_model()
    tt.freeze(model, up_to="block2")
    frozen = {n: p.clone() for n, p in model.named_parameters() if not p.requires_grad}
    bn = model.block1[1]
    stats = bn.running_mean.clone()
    tt.fit(model, tiny_ds, None, epochs=2, batch_size=4, live=False)
    for name, p in model.named_parameters():
        if name in frozen:
            assert torch.equal(frozen[name], p), name
    assert torch.equal(stats, bn.running_mean)
    assert not torch.equal(model.head.fc.weight, small_model().head.fc.weight)


def test_the_three_batchnorm_policies(tiny_ds):
    """"relearnt" (the default): frozen groups keep their statistics, learning groups relearn theirs; "kept": every
    BatchNorm keeps its statistics and weights; "drift": the frozen groups' statistics move too."""
    moved = {}
    for batchnorm in tt.freezing.BATCHNORM:
        model = small_model()
        tt.freeze(model, up_to="block2")  # block1, block2 frozen; block3 learns
        before = {name: model.get_submodule(name)[1].running_mean.clone() for name in ("block1", "block3")}
        bn_weight = model.block3[1].weight.clone()
        tt.fit(model, tiny_ds, None, epochs=1, batch_size=4, live=False, batchnorm=batchnorm)
        moved[batchnorm] = {name: not torch.equal(stats, model.get_submodule(name)[1].running_mean)
                            for name, stats in before.items()}
        moved[batchnorm]["block3 weight"] = not torch.equal(bn_weight, model.block3[1].weight)
    assert moved == {"relearnt": {"block1": False, "block3": True, "block3 weight": True},
                     "kept": {"block1": False, "block3": False, "block3 weight": False},
                     "drift": {"block1": True, "block3": True, "block3 weight": True}}
    with pytest.raises(tt.errors.TLTeachError, match="batchnorm must be one of"):
        tt.fit(small_model(), tiny_ds, None, epochs=1, live=False, batchnorm=False)


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_frozen_prefix_cache_gives_same_results(animals_train, animals_val):
    train, val = tt.small_subset(animals_train, 3), tt.small_subset(animals_val, 2)
    runs = []
    for cache in (True, False):
        model = tt.replace_head(tt.load_backbone(), 10)
        tt.freeze(model, up_to="stage6")
        runs.append(tt.fit(model, train, val, epochs=2, batch_size=10, live=False, cache=cache))
    cached, plain = runs
    assert cached.cached_groups == 7 and plain.cached_groups == 0
    # the same numbers up to float rounding: the cached path sums in another order, which can move a loss by
    # 1e-4 and, for an image at the edge, flip one answer (one image of the 20 is 0.05; of the 30, 0.033)
    for column in ("train_loss", "val_loss"):
        assert cached[column] == pytest.approx(plain[column], abs=1e-3), column
    for column, images in (("val_acc", len(val)), ("train_acc", len(train))):
        assert cached[column] == pytest.approx(plain[column], abs=1 / images + 1e-9), column


def test_no_cache_with_augmentation_or_drifting_bn(tiny_ds):
    model = small_model()
    tt.freeze(model, up_to="block3")
    assert tt.freezing.cacheable_groups(model, tiny_ds) == 3
    assert tt.freezing.cacheable_groups(model, tiny_ds, batchnorm="drift") == 0
    tiny_ds.augment = True
    assert tt.freezing.cacheable_groups(model, tiny_ds) == 0


def test_the_body_learns_at_its_own_rate(tiny_ds):
    model = small_model()
    opt = tt.optimizer.make_optimizer(model, 1e-3, body_lr=1e-5)
    groups = {g["name"]: g for g in opt.param_groups}
    assert {name: g["lr"] for name, g in groups.items()} == {"body": 1e-5, "head": 1e-3}
    head = {id(p) for p in tt.models.get_head(model).parameters()}
    assert {id(p) for p in groups["head"]["params"]} == head and not head & {id(p) for p in groups["body"]["params"]}
    tt.freeze(model)  # only the head trains: no body group at all
    assert [g["name"] for g in tt.optimizer.make_optimizer(model, 1e-3, body_lr=1e-5).param_groups] == ["head"]
    tt.unfreeze(model)
    assert [g["name"] for g in tt.optimizer.make_optimizer(model, 1e-3).param_groups] == ["all"]
    tt.fit(model, tiny_ds, None, epochs=1, body_lr=1e-4, live=False)


def test_keyboard_interrupt_keeps_history_and_a_usable_model(tiny_ds, monkeypatch, capsys):
    model = small_model()
    calls = {"n": 0}
    original = tt.models.forward_groups

    def interrupt_in_epoch_3(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2 * 3 + 2:  # epochs 1-2 (3 training batches each; validation runs in inference), then 2 in
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(train_module, "forward_groups", interrupt_in_epoch_3)
    history = tt.fit(model, tiny_ds, tiny_ds, epochs=5, batch_size=4, live=False)
    assert len(history) == 2 and history.stopped == "interrupted"
    assert "Stopped during epoch 3" in capsys.readouterr().out
    monkeypatch.undo()
    after = tt.evaluate(model, tiny_ds)  # weights of the end of epoch 2, still usable
    assert after["accuracy"] == pytest.approx(history.final()["val_acc"])


def test_nan_loss_says_lower_the_learning_rate(tiny_ds):
    model = small_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(tt.errors.TLTeachError, match="too high") as err:
        tt.fit(model, tiny_ds, None, epochs=3, lr=1e30, batch_size=4, live=False)
    assert all(torch.isfinite(v.float()).all() for v in model.state_dict().values())
    assert err.value.history is not None
    if len(err.value.history) == 0:  # NaN in epoch 1: back to the weights before training
        assert torch.equal(before["head.fc.weight"], model.state_dict()["head.fc.weight"])


def test_fit_argument_errors(tiny_ds):
    model = small_model(num_classes=5)
    with pytest.raises(tt.errors.TLTeachError, match="5 outputs.*3 classes"):
        tt.fit(model, tiny_ds, epochs=1, live=False)
    model = small_model()
    assert len(tt.fit(model, tiny_ds, epochs=0, live=False)) == 0
    with pytest.raises(tt.errors.TLTeachError, match="epochs"):
        tt.fit(model, tiny_ds, epochs=-1)
    with pytest.raises(tt.errors.TLTeachError, match="learning rate"):
        tt.fit(model, tiny_ds, lr=0)
    tt.freeze(model, up_to=5)
    with pytest.raises(tt.errors.TLTeachError, match="nothing to train"):
        tt.fit(model, tiny_ds, epochs=1)


def test_batch_larger_than_dataset(tiny_ds):
    history = tt.fit(small_model(), tiny_ds, tiny_ds, epochs=1, batch_size=1000, live=False)
    assert len(history) == 1


def test_evaluate_and_predict(pretrained, animals_val):
    result = tt.evaluate(tt.replace_head(tt.SmallCNN(10), 10), animals_val)
    assert set(result) >= {"accuracy", "loss", "per_class"} and len(result["per_class"]) == 10
    table = tt.predict(pretrained, animals_val.images[:2], k=3)
    assert len(table) == 6 and table["rank"] == [1, 2, 3, 1, 2, 3]
    assert table["probability"][0] >= table["probability"][1]
    from PIL import Image

    pil = Image.fromarray(animals_val.images[0].permute(1, 2, 0).numpy())  # the same 64 px photo, as PIL
    assert tt.predict(pretrained, pil, k=1, size=64)["class"][0] == table["class"][0]


def test_extract_features_cached_and_invalidated(animals_val):
    model = tt.replace_head(tt.load_backbone(), 10)
    features, labels = tt.extract_features(model, animals_val)
    assert features.shape == (276, 1280) and torch.equal(labels, animals_val.labels)
    again, _ = tt.extract_features(model, animals_val)
    assert torch.equal(again, features)  # same weights, same images: the shared cache answers
    with torch.no_grad():
        model.stem[0].weight.mul_(0.5)  # changed weights: new features
    changed, _ = tt.extract_features(model, animals_val)
    assert changed is not features and not torch.allclose(changed, features)


@pytest.mark.slow  # features of 576 photos at the lessons' 128 px through EfficientNet-Lite0
def test_fit_head_reaches_high_accuracy_and_installs():
    animals_train, animals_val = tt.load_dataset("animals", "train"), tt.load_dataset("animals", "val")
    model = tt.replace_head(tt.load_backbone(), animals_train.classes)
    tt.freeze(model)
    train_f, val_f = tt.extract_features(model, animals_train), tt.extract_features(model, animals_val)
    head, history = tt.fit_head(train_f, val_f, model=model)
    assert history.final()["val_acc"] > 0.9  # the linear probe of DESIGN §7 (128 px)
    assert tt.evaluate(model, animals_val)["accuracy"] == pytest.approx(history.final()["val_acc"], abs=1e-6)
    assert model.classes == animals_train.classes


def test_live_curves_are_one_figure_updated_each_epoch_then_closed(tiny_ds, monkeypatch):
    """In Jupyter, tt.fit shows its curves once and updates them in place; the drawing is tlteach.figures' own."""
    import IPython.display
    import matplotlib.pyplot as plt

    shown = []

    class Handle:
        def update(self, figure):
            shown.append(("update", figure))

    def display(figure, display_id=False):
        shown.append(("display", figure))
        return Handle()

    monkeypatch.setattr(tt.training.progress, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", display)
    open_before = set(plt.get_fignums())
    tt.fit(small_model(), tiny_ds, tiny_ds, epochs=3, live=True)
    assert [kind for kind, _ in shown] == ["display", "update", "update"]
    assert len({id(figure) for _, figure in shown}) == 1 and set(plt.get_fignums()) == open_before
    assert "matplotlib" not in open(tt.training.progress.__file__, encoding="utf-8").read().split('"""', 2)[2]
