"""compare_strategies and the fine-tuning helpers (History.then, freeze_batchnorm), on tiny data."""
import matplotlib
import pytest
import torch
from torch import nn

import tlteach as tt
from tlteach.experiments import COLUMNS, Comparison
from tlteach.experiments.runner import Run


def scratch_strategy(train, val, epochs=2, width=4):
    def run():
        model = tt.SmallCNN(len(train.classes), width=width)
        return model, tt.fit(model, train, val, epochs=epochs, batch_size=4, live=False)
    return run


def test_compare_strategies_table(tiny_ds):
    results = tt.experiments.compare_strategies({"short": scratch_strategy(tiny_ds, tiny_ds, epochs=1),
                                     "long": scratch_strategy(tiny_ds, tiny_ds, epochs=3)}, live=False)
    assert isinstance(results, Comparison) and isinstance(results, tt.table.Table)
    assert results.columns == list(COLUMNS)
    assert results["strategy"] == ["short", "long"]  # one row per run, in the given order
    for row in results:
        history, model = results.histories[row["strategy"]], results.models[row["strategy"]]
        assert row["val_acc"] == history.final()["val_acc"]  # the last epoch, not the best one
        assert row["train_acc"] == history.final()["train_acc"]
        assert row["trainable_parameters"] == tt.count_parameters(model) > 0
        assert row["seconds"] > 0
    assert len(results.histories["long"]) == 3
    assert results.best in ("short", "long")


def test_every_strategy_starts_from_the_same_seed(tiny_ds):
    results = tt.experiments.compare_strategies({"first": scratch_strategy(tiny_ds, tiny_ds),
                                     "second": scratch_strategy(tiny_ds, tiny_ds)}, seed=3, live=False)
    first, second = (results.histories[n]["val_loss"] for n in ("first", "second"))
    assert first == second
    a, b = (results.models[n].state_dict() for n in ("first", "second"))
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_best_prefers_accuracy_then_speed():
    rows = [{"strategy": "slow", "val_acc": 0.9, "seconds": 9.0}, {"strategy": "fast", "val_acc": 0.9, "seconds": 1.0},
            {"strategy": "bad", "val_acc": 0.5, "seconds": 0.1}]
    assert Comparison([Run(row) for row in rows]).best == "fast"
    rows[0]["val_acc"] = 0.95
    assert Comparison([Run(row) for row in rows]).best == "slow"


def test_compare_prints_one_line_per_strategy(tiny_ds, capsys):
    tt.experiments.compare_strategies({"only": scratch_strategy(tiny_ds, tiny_ds, epochs=1)})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "only: training ..."
    assert lines[1].startswith("only: validation accuracy") and "trainable parameters" in lines[1]


@pytest.mark.parametrize("strategies,message", [
    ([], "dict"),
    ({}, "dict"),
    ({"a": 3}, "not a function"),
])
def test_bad_strategies(strategies, message):
    with pytest.raises(tt.errors.TLTeachError, match=message):
        tt.experiments.compare_strategies(strategies, live=False)


def test_strategy_must_return_model_and_history(tiny_ds):
    model = tt.SmallCNN(3, width=4)
    with pytest.raises(tt.errors.TLTeachError, match=r"must return \(model, history\)"):
        tt.experiments.compare_strategies({"oops": lambda: tt.fit(model, tiny_ds, tiny_ds, epochs=1, live=False)}, live=False)
    with pytest.raises(tt.errors.TLTeachError, match="without validation"):
        tt.experiments.compare_strategies({"no val": lambda: (model, tt.fit(model, tiny_ds, epochs=1, live=False))}, live=False)


def test_feature_extraction_strategy(tiny_ds):
    """A fit_head strategy, as in lesson 5: only the head's parameters count as trainable."""
    def feature_extraction():
        model = tt.replace_head(tt.SmallCNN(5, width=4), tiny_ds.classes)
        tt.freeze(model)
        features = tt.extract_features(model, tiny_ds)
        head, history = tt.fit_head(features, features, epochs=5, model=model)
        return model, history

    results = tt.experiments.compare_strategies({"features": feature_extraction}, live=False)
    assert results.rows[0]["trainable_parameters"] == 32 * 3 + 3  # width 4 -> 32 features, 3 classes


def _history(epochs, label, start_epoch=1, seconds_per_epoch=1.0):
    h = tt.train.History(label)
    h.rows = [{"epoch": e, "train_loss": 1.0 / e, "train_acc": 0.5, "val_loss": 1.0, "val_acc": 0.4 + e / 100,
               "seconds": seconds_per_epoch * e} for e in range(1, epochs + 1)]
    h.trainable_parameters = epochs
    return h


def test_then_numbers_epochs_and_seconds_after_the_first():
    head, finetune = _history(40, "head"), _history(5, "fine-tuning", seconds_per_epoch=2.0)
    joined = head.then(finetune)
    assert len(joined) == 45
    assert joined["epoch"] == list(range(1, 46))
    assert joined.rows[40]["seconds"] == 40.0 + 2.0 and joined.rows[-1]["seconds"] == 50.0
    assert joined.rows[-1]["val_acc"] == finetune.rows[-1]["val_acc"]
    assert joined.label == "fine-tuning" and joined.trainable_parameters == 5
    assert head["epoch"] == list(range(1, 41)) and finetune["epoch"] == [1, 2, 3, 4, 5]  # inputs unchanged
    assert tt.train.History().then(finetune, label="x")["epoch"] == [1, 2, 3, 4, 5]
    with pytest.raises(tt.errors.TLTeachError, match="History"):
        head.then([1, 2])


def test_freeze_batchnorm_keeps_statistics_while_convolutions_learn(tiny_ds):
    torch.manual_seed(0)
    model = tt.SmallCNN(3, width=4)
    tt.unfreeze(model)
    tt.freezing.freeze_batchnorm(model)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert bns and all(not p.requires_grad for bn in bns for p in bn.parameters())
    assert all(p.requires_grad for conv in convs for p in conv.parameters())
    stats = [bn.running_mean.clone() for bn in bns]
    weights = [conv.weight.detach().clone() for conv in convs]
    tt.fit(model, tiny_ds, epochs=2, batch_size=4, live=False)
    assert all(torch.equal(s, bn.running_mean) for s, bn in zip(stats, bns))  # statistics unchanged
    assert all(not torch.equal(w, conv.weight) for w, conv in zip(weights, convs))  # convolutions learned
    assert tt.trainable_summary(model).rows[0]["status"] == "partly frozen"
    with pytest.raises(tt.errors.TLTeachError, match="model"):
        tt.freezing.freeze_batchnorm("not a model")


def test_plots(tiny_ds):
    results = tt.experiments.compare_strategies({"one epoch": scratch_strategy(tiny_ds, tiny_ds, epochs=1),
                                     "three epochs": scratch_strategy(tiny_ds, tiny_ds, epochs=3)}, live=False)
    fig = tt.viz.plot_strategies(results)
    # both train the same network: no panel of equal parameter bars, the number is in the title
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 2
    assert "trainable parameters: " in fig._suptitle.get_text()
    top = max(fig.axes[0].get_yticklabels(), key=lambda t: t.get_position()[1])
    assert top.get_text() == "one epoch"  # the first strategy on top, as in the table
    curves = results.plot()
    legend = [t.get_text() for t in curves.axes[1].get_legend().get_texts()]
    assert legend[:2] == ["three epochs", "one epoch"]  # the longer run first, so the shorter one stays visible
    with pytest.raises(tt.errors.TLTeachError, match="compare_strategies"):
        tt.viz.plot_strategies([1, 2, 3])


def test_stop_button_keeps_the_strategies_that_finished(tiny_ds, capsys):
    def interrupted():
        raise KeyboardInterrupt

    def never():
        raise AssertionError("a stopped comparison runs nothing more")

    first = scratch_strategy(tiny_ds, tiny_ds, epochs=1)
    results = tt.experiments.compare_strategies({"first": first, "stopped": interrupted, "after": never}, live=False)
    assert results["strategy"] == ["first"]
    assert "Stopped during 'stopped'" in capsys.readouterr().out

    def fit_was_stopped():  # tt.fit catches the interrupt and returns the epochs that finished
        model, history = first()
        history.stopped = "interrupted"
        return model, history

    results = tt.experiments.compare_strategies({"first": first, "fit stopped": fit_was_stopped, "after": never}, live=False)
    assert results["strategy"] == ["first"]  # a run the Stop button cut short did not finish: not in the table
    assert set(results.histories) == {"first"}
    assert "Stopped during 'fit stopped'" in capsys.readouterr().out


def test_accuracy_on_measures_every_run_on_the_images_of_its_seed(tiny_ds):
    """Pick on validation data, report on other data: each run is evaluated on data(its seed)."""
    results = tt.experiments.compare_strategies({"s": lambda seed: scratch_strategy(tiny_ds, tiny_ds, epochs=1)()},
                                                seeds=[3, 5], live=False)
    asked = []

    def report(seed):
        asked.append(seed)
        return tiny_ds

    accuracies = results.accuracy_on("s", report)
    assert asked == [3, 5] and len(accuracies) == 2
    assert accuracies[0] == tt.evaluate(results.models["s"], tiny_ds)["accuracy"]  # the first run's model
    assert accuracies == pytest.approx(results.runs("s"))  # here the report data is the validation data
    with pytest.raises(tt.errors.TLTeachError, match="No run"):
        results.accuracy_on("other", report)
    with pytest.raises(tt.errors.TLTeachError, match="function"):
        results.accuracy_on("s", tiny_ds)
