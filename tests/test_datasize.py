"""The data-size experiment (lesson 01) and the train-then-settle recipe it uses."""
import pytest
import torch

import tlteach as tt
from tlteach.experiments.datasize import data_size_experiment
from tlteach.training.train import fit_settled
from tlteach.figures import plot_data_curve


def quick_recipe(train, val, seed=0):
    """A two-epoch stand-in for tt.recipes.from_scratch (same signature), so the tests run fast."""
    model = tt.SmallCNN(len(train.classes), width=8, seed=seed)
    return model, fit_settled(model, train, val, epochs=2, settle_epochs=1, seed=seed)


def test_fit_settled_joins_both_phases(tiny_ds):
    history = fit_settled(tt.SmallCNN(3, width=8), tiny_ds, tiny_ds, epochs=3, settle_epochs=1, live=False)
    assert history["epoch"] == [1, 2, 3]
    assert history["seconds"] == sorted(history["seconds"])
    assert all(row["val_acc"] is not None for row in history.rows)


def test_fit_settled_without_settling_is_plain_fit(tiny_ds):
    torch.manual_seed(0)
    a = tt.SmallCNN(3, width=8)
    b = tt.SmallCNN(3, width=8)
    b.load_state_dict(a.state_dict())
    h1 = fit_settled(a, tiny_ds, epochs=2, settle_epochs=0)
    h2 = tt.fit(b, tiny_ds, epochs=2, batch_size=16, live=False)
    assert h1["train_loss"] == h2["train_loss"]


def test_fit_settled_rejects_bad_settle_epochs(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="settle_epochs"):
        fit_settled(tt.SmallCNN(3, width=8), tiny_ds, epochs=2, settle_epochs=3)


def test_experiment_one_row_per_run_and_determinism(tiny_ds, capsys):
    table = data_size_experiment(tiny_ds, tiny_ds, per_class=(4, 2), seeds=[0, 1], recipe=quick_recipe)
    assert table["per_class"] == [2, 2, 4, 4] and table["seed"] == [0, 1, 0, 1]
    assert table["images"] == [6, 6, 12, 12]
    assert set(table.columns) == {"per_class", "seed", "images", "train_acc", "val_acc", "gap", "seconds"}
    for row in table:
        assert row["gap"] == pytest.approx(row["train_acc"] - row["val_acc"])
        assert row["val_acc"] == pytest.approx(table.histories[(row["per_class"], row["seed"])].final()["val_acc"])
    assert sorted(table.histories) == [(2, 0), (2, 1), (4, 0), (4, 1)] and len(table.histories[(4, 1)]) == 2
    assert table.chance == pytest.approx(1 / 3)
    out = capsys.readouterr().out
    assert "2 per class" in out and "n=2" in out
    again = data_size_experiment(tiny_ds, tiny_ds, per_class=(2, 4), seeds=[0, 1], recipe=quick_recipe, live=False)
    assert again["val_acc"] == table["val_acc"] and again["train_acc"] == table["train_acc"]
    assert capsys.readouterr().out == ""


def test_each_seed_draws_its_own_subset(tiny_ds):
    seen = []

    def recording(train, val, seed=0):
        seen.append((seed, train.files if train.files is not None else train.index.tolist()))
        return quick_recipe(train, val, seed)

    data_size_experiment(tiny_ds, tiny_ds, per_class=(2,), seeds=[0, 1, 2], recipe=recording, live=False)
    assert [s for s, _ in seen] == [0, 1, 2]
    assert len({str(picked) for _, picked in seen}) > 1


def test_seeds_default_to_the_lessons_seeds(tiny_ds, monkeypatch):
    monkeypatch.setenv("TLTEACH_SEED", "5")
    table = data_size_experiment(tiny_ds, tiny_ds, per_class=(2,), recipe=quick_recipe, live=False)
    assert table["seed"] == [5, 6, 7]


def test_default_recipe_is_the_scratch_recipe(tiny_ds):
    table = data_size_experiment(tiny_ds, tiny_ds, per_class=(2,), seeds=[3], live=False)
    photos = tt.small_subset(tiny_ds, 2, seed=3)
    model, history = tt.recipes.from_scratch(photos, tiny_ds, seed=3)
    assert table["val_acc"] == [pytest.approx(history.final()["val_acc"])]
    assert len(table.histories[(2, 3)]) == tt.recipes.SCRATCH["epochs"]


@pytest.mark.parametrize("per_class", [(), (0, 2), (2.5,), ("5",), True])
def test_experiment_rejects_bad_sizes(tiny_ds, per_class):
    with pytest.raises(tt.errors.TLTeachError, match="per_class"):
        data_size_experiment(tiny_ds, tiny_ds, per_class=per_class, recipe=quick_recipe)


@pytest.mark.parametrize("seeds", [[], ["0"], [True]])
def test_experiment_rejects_bad_seeds(tiny_ds, seeds):
    with pytest.raises(tt.errors.TLTeachError, match="seeds"):
        data_size_experiment(tiny_ds, tiny_ds, per_class=(2,), seeds=seeds, recipe=quick_recipe)


def test_experiment_needs_a_recipe_function(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="recipe"):
        data_size_experiment(tiny_ds, tiny_ds, per_class=(2,), recipe=tt.SmallCNN(3))


def test_experiment_too_many_per_class(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="per_class <= 4"):
        data_size_experiment(tiny_ds, tiny_ds, per_class=(5,), seeds=[0], recipe=quick_recipe, live=False)


def test_plot_data_curve(tiny_ds):
    runs = [(5, 0.3), (5, 0.34), (10, 0.4), (10, 0.44), (30, 0.6), (30, 0.64)]
    table = tt.table.Table([{"per_class": n, "seed": i % 2, "images": 3 * n, "train_acc": 1.0, "val_acc": v,
                             "gap": 1 - v, "seconds": 1.0} for i, (n, v) in enumerate(runs)])
    table.chance = 0.1
    fig = plot_data_curve(table)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "10", "30"]
    assert "images per class" in ax.get_xlabel()
    texts = [t.get_text() for t in ax.texts]
    assert "32 %" in texts and "62 %" in texts and any("10 %" in t for t in texts)  # the means
    dots = [c for c in ax.collections if c.get_offsets().shape[0] == len(runs)]
    assert len(dots) == 2  # every run as a dot: training and validation
    assert sorted(dots[1].get_offsets()[:, 1].round(2).tolist()) == sorted(v for _, v in runs)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("mean ± sd" in t for t in legend) and any("2 per size" in t for t in legend)


def test_plot_data_curve_single_run_per_size():
    table = tt.table.Table([{"per_class": n, "train_acc": 1.0, "val_acc": v} for n, v in ((5, 0.3), (10, 0.4))])
    fig = plot_data_curve(table)
    assert "30 %" in [t.get_text() for t in fig.axes[0].texts]


def test_plot_data_curve_bad_input():
    with pytest.raises(tt.errors.TLTeachError, match="data_size_experiment"):
        plot_data_curve(tt.table.Table([{"a": 1}]))
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        plot_data_curve(tt.table.Table([], columns=["per_class", "train_acc", "val_acc"]))
