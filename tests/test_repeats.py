"""Runs over seeds (tt.repeats), the shared cache that makes them cheap, and the fair recipes."""
import pytest
import torch

import tlteach as tt


def test_mean_sd_and_percent():
    mean, sd = tt.repeats.mean_sd([0.94, 0.95, 0.93])
    assert mean == pytest.approx(0.94) and sd == pytest.approx(0.01)
    assert tt.repeats.mean_sd([0.5]) == (0.5, 0.0)
    assert tt.repeats.percent([0.94, 0.95, 0.93]) == "94.0 ± 1.0 % (n=3)"
    with pytest.raises(tt.errors.TLTeachError):
        tt.repeats.mean_sd([])


def test_the_two_sd_rule():
    assert tt.repeats.compare([0.94, 0.95, 0.93], [0.60, 0.63, 0.58]) == "higher"
    assert tt.repeats.compare([0.60, 0.63, 0.58], [0.94, 0.95, 0.93]) == "lower"
    # 3 points apart, but runs scatter by 4: noise
    assert tt.repeats.compare([0.90, 0.86, 0.94], [0.87, 0.83, 0.91]) == "within noise"
    # no spread at all, half a point apart: below the one-point floor
    assert tt.repeats.compare([0.905, 0.905], [0.90, 0.90]) == "within noise"


def test_seeds_follow_tltEACH_SEED(monkeypatch):
    monkeypatch.delenv("TLTEACH_SEED", raising=False)
    assert tt.repeats.seeds(3) == [0, 1, 2]
    monkeypatch.setenv("TLTEACH_SEED", "7")
    assert tt.repeats.seeds(2) == [7, 8]
    monkeypatch.setenv("TLTEACH_SEED", "seven")
    with pytest.raises(tt.errors.TLTeachError, match="whole number"):
        tt.repeats.seeds()


def test_notebook_setup_takes_the_seed_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("TLTEACH_SEED", "5")
    tt.notebook_setup(seed=0)
    assert "seed 5" in capsys.readouterr().out
    a = torch.rand(3)
    tt.notebook.seed_everything(5)
    assert torch.equal(a, torch.rand(3))


def test_summarise_and_conclusion(capsys):
    rows = [{"strategy": s, "seed": i, "val_acc": v} for s, vs in (("a", [0.9, 0.92]), ("b", [0.5, 0.54]))
            for i, v in enumerate(vs)]
    summary = tt.repeats.summarise(rows, "strategy")
    assert summary["strategy"] == ["a", "b"] and summary["n"] == [2, 2]
    assert summary["mean"][1] == pytest.approx(0.52) and summary["lowest"][0] == 0.9
    assert tt.repeats.runs_of(rows, strategy="b") == [0.5, 0.54]
    tt.repeats.conclusion("pretrained features win")
    assert capsys.readouterr().out == "Conclusion: pretrained features win\n"
    tt.i18n.set_language("ru")
    try:
        tt.repeats.conclusion("предобученные признаки выигрывают")
    finally:
        tt.i18n.set_language("en")
    assert capsys.readouterr().out == "Вывод: предобученные признаки выигрывают\n"


def test_compare_strategies_over_seeds(tiny_ds):
    calls = []

    def strategy(seed):
        calls.append(seed)
        model = tt.SmallCNN(3, width=8, seed=seed)
        return model, tt.fit(model, tt.small_subset(tiny_ds, 2, seed=seed), tiny_ds, epochs=1, seed=seed, live=False)

    results = tt.experiments.compare_strategies({"a": strategy, "b": strategy}, seeds=[3, 4], live=False)
    assert calls == [3, 4, 3, 4] and results["seed"] == [3, 4, 3, 4]
    assert results["strategy"] == ["a", "a", "b", "b"]
    assert results.summary()["n"] == [2, 2]
    assert results.runs("a") == results.runs("b")  # the same seed gives the same run
    fig = tt.viz.plot_strategies(results)
    dots = [c for c in fig.axes[0].collections if c.get_offsets().shape[0] == 2]
    assert len(dots) == 2  # the runs of each strategy, as dots


# ----------------------------------------------------------------------------- the shared cache
def test_frozen_activations_are_shared_by_subsets_and_copies(tiny_ds):
    import copy

    model = tt.freeze(tt.SmallCNN(3, width=8, seed=0), up_to=2)
    subset = tt.small_subset(tiny_ds, 2, seed=1)
    assert subset.parent is tiny_ds and torch.equal(tiny_ds.images[subset.index], subset.images)
    direct = tt.freezing._compute(model, subset, 2, 64)
    shared = tt.freezing.frozen_activations(copy.deepcopy(model), subset, 2)
    assert torch.allclose(direct, shared, atol=1e-6)
    key_count = len(tt.freezing._SHARED)
    tt.freezing.frozen_activations(model, tt.small_subset(tiny_ds, 3, seed=2), 2)  # another subset: no new entry
    assert len(tt.freezing._SHARED) == key_count
    with torch.no_grad():
        model.block1[0].weight.add_(1.0)  # changed weights: computed anew
    changed = tt.freezing.frozen_activations(model, subset, 2)
    assert not torch.allclose(changed, shared)


def test_resized_subset_is_the_subset_of_the_resized_set(tiny_ds):
    small = tt.data.resized(tt.small_subset(tiny_ds, 2, seed=0), 16)
    whole = tt.data.resized(tiny_ds, 16)
    assert small.image_size == (16, 16) and torch.equal(whole.images[small.index], small.images)
    assert tt.data.resized(whole, 16) is whole


# ----------------------------------------------------------------------------- the recipes
@pytest.mark.slow
def test_fine_tuning_recipe_keeps_batchnorm_and_lowers_the_body_lr(monkeypatch, animals_train, animals_val):
    seen = {}
    real_fit = tt.train.fit

    def spy(model, train, val=None, **kwargs):
        seen.update(kwargs, frozen=tt.freezing.frozen_prefix(model),
                    bn_training=[bn.training for bn in tt.freezing.batchnorms(model)])
        return real_fit(model, train, val, **kwargs)

    monkeypatch.setattr(tt.recipes, "fit", spy)
    few = tt.small_subset(animals_train, 1, seed=0)
    model, history = tt.recipes.fine_tuning(few, animals_val, seed=0, unfreeze_from="stage7",
                                            recipe=tt.recipes.FINE_TUNING.but(steps=2, head_steps=1))
    assert seen["frozen"] == tt.models.group_names(model).index("stage7")
    assert seen["lr_groups"]["stage7"] == tt.recipes.FINE_TUNING.body_lr
    assert not any(seen["bn_training"])  # BatchNorm keeps ImageNet's statistics
    assert history.rows[-1]["val_acc"] is not None and len(history) == 1 + 2  # 10 photos: one batch per epoch
