"""The data-size experiment (lesson 01) and the train-then-settle recipe it uses."""
import pytest
import torch

import tlteach as tt
from tlteach.datasize import data_size_experiment, fit_settled
from tlteach.viz import plot_data_curve


def small_cnn(classes=3):
    return lambda: tt.SmallCNN(classes, width=8)


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


def test_experiment_table_and_determinism(tiny_ds, capsys):
    table = data_size_experiment(small_cnn(), tiny_ds, tiny_ds, per_class=(4, 2), epochs=2, settle_epochs=1)
    assert table["per_class"] == [2, 4] and table["images"] == [6, 12]
    assert set(table.columns) == {"per_class", "images", "train_acc", "val_acc", "gap", "seconds"}
    for row in table:
        assert row["gap"] == pytest.approx(row["train_acc"] - row["val_acc"])
    assert sorted(table.histories) == [2, 4] and len(table.histories[4]) == 2
    assert table.chance == pytest.approx(1 / 3)
    assert "2 per class" in capsys.readouterr().out
    again = data_size_experiment(small_cnn(), tiny_ds, tiny_ds, per_class=(2, 4), epochs=2, settle_epochs=1,
                                 live=False)
    assert again["val_acc"] == table["val_acc"] and again["train_acc"] == table["train_acc"]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("per_class", [(), (0, 2), (2.5,), ("5",), True])
def test_experiment_rejects_bad_sizes(tiny_ds, per_class):
    with pytest.raises(tt.errors.TLTeachError, match="per_class"):
        data_size_experiment(small_cnn(), tiny_ds, tiny_ds, per_class=per_class, epochs=1)


def test_experiment_needs_a_model_factory(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="model_fn"):
        data_size_experiment(tt.SmallCNN(3), tiny_ds, tiny_ds, per_class=(2,), epochs=1)


def test_experiment_too_many_per_class(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="per_class <= 4"):
        data_size_experiment(small_cnn(), tiny_ds, tiny_ds, per_class=(5,), epochs=1, live=False)


def test_plot_data_curve(tiny_ds):
    table = tt.table.Table([{"per_class": n, "images": 3 * n, "train_acc": 1.0, "val_acc": v, "gap": 1 - v, "seconds": 1.0}
                      for n, v in ((5, 0.3), (10, 0.4), (30, 0.6))])
    table.chance = 0.1
    fig = plot_data_curve(table)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "10", "30"]
    assert "images per class" in ax.get_xlabel()
    texts = [t.get_text() for t in ax.texts]
    assert "30 %" in texts and "60 %" in texts and any("10 %" in t for t in texts)


def test_plot_data_curve_bad_input():
    with pytest.raises(tt.errors.TLTeachError, match="data_size_experiment"):
        plot_data_curve(tt.table.Table([{"a": 1}]))
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        plot_data_curve(tt.table.Table([], columns=["per_class", "train_acc", "val_acc"]))
