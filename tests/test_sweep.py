"""freeze_sweep: one tidy row per run, same numbers with and without caching, clear errors; plot_sweep."""
import pytest
import torch

import tlteach as tt
from tlteach import sweep, viz


def small_net(seed=0):
    torch.manual_seed(seed)
    return tt.SmallCNN(3, width=8)  # groups block1 ... block4, head


@pytest.fixture
def tasks(tiny_ds):
    return [(tiny_ds, tiny_ds), (tt.small_subset(tiny_ds, 2), tiny_ds)]


def test_one_row_per_run(tasks):
    base = small_net()
    before = {k: v.clone() for k, v in base.state_dict().items()}
    table = sweep.freeze_sweep(tasks, depths=(4, 0, 2), epochs=2, batch_size=4, backbone=base, live=False)
    assert len(table) == 6 and table.columns == list(sweep.COLUMNS)
    assert table["frozen_groups"] == [0, 2, 4, 0, 2, 4]          # sorted, task by task
    assert table["frozen_up_to"][:3] == ["nothing", "block2", "block4"]
    assert table["per_class"] == [4, 4, 4, 2, 2, 2] and table["train_images"][3] == 6
    assert table["task"] == ["tiny"] * 6
    assert all(0 <= a <= 1 for a in table["val_acc"]) and all(s > 0 for s in table["seconds"])
    trainable = table["trainable_parameters"][:3]
    assert trainable[0] == tt.count_parameters(base) and trainable == sorted(trainable, reverse=True)
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())  # every run started from a copy


def test_dict_names_the_rows(tiny_ds):
    table = sweep.freeze_sweep({"my task": (tiny_ds, tiny_ds)}, depths=[4], epochs=1, backbone=small_net(),
                               live=False)
    assert table["task"] == ["my task"]


def test_caching_changes_time_not_numbers(tasks):
    kwargs = dict(depths=(0, 1, 3, 4), epochs=3, batch_size=4, lr=3e-3, live=False)
    cached = sweep.freeze_sweep(tasks, backbone=small_net(), **kwargs)
    plain = sweep.freeze_sweep(tasks, backbone=small_net(), cache=False, **kwargs)
    assert cached["val_acc"] == pytest.approx(plain["val_acc"], abs=1e-6)


def test_validation_from_cached_activations_matches_evaluate(tiny_ds):
    base = small_net()
    frozen = sweep._frozen_outputs(base, tiny_ds, [0, 2, 4], batch_size=5)
    model = small_net()
    tt.freeze(model, up_to=2)
    tt.fit(model, tiny_ds, epochs=2, batch_size=4, lr=1e-2, live=False)
    for k in (0, 2):
        assert sweep._accuracy(model, tiny_ds, k, frozen[k] if k else None, batch_size=5) == \
            pytest.approx(tt.evaluate(model, tiny_ds)["accuracy"])


def test_same_seed_same_numbers(tasks):
    a = sweep.freeze_sweep(tasks[:1], depths=(0, 3), epochs=2, batch_size=4, backbone=small_net(), live=False)
    b = sweep.freeze_sweep(tasks[:1], depths=(0, 3), epochs=2, batch_size=4, backbone=small_net(), live=False)
    assert a["val_acc"] == b["val_acc"]


@pytest.mark.parametrize("depths,words", [((0, 5), "between 0"), ((-1,), "between 0"), ((), "between 0"),
                                          (("block2",), "numbers of frozen groups")])
def test_bad_depths(tiny_ds, depths, words):
    with pytest.raises(tt.errors.TLTeachError, match=words) as err:
        sweep.freeze_sweep([(tiny_ds, tiny_ds)], depths=depths, backbone=small_net(), live=False)
    assert "block1" in str(err.value)  # names the groups that may be frozen


def test_bad_tasks(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="at least one"):
        sweep.freeze_sweep([], backbone=small_net(), live=False)
    with pytest.raises(tt.errors.TLTeachError, match="pair of tlteach datasets"):
        sweep.freeze_sweep([tiny_ds], backbone=small_net(), live=False)
    other = tt.data.ImageDataset(tiny_ds.images, tiny_ds.labels, ["x", "y", "z"], name="other")
    with pytest.raises(tt.errors.TLTeachError, match="different classes"):
        sweep.freeze_sweep([(tiny_ds, other)], backbone=small_net(), live=False)


def fake_table():
    rows = []
    for task, n, accs in [("animals", 5, [0.70, 0.88, 0.80]), ("xray", 100, [0.84, 0.81, 0.80])]:
        for k, acc in zip((0, 7, 8), accs):
            rows.append({"task": task, "per_class": n, "train_images": 10 * n, "frozen_groups": k,
                         "frozen_up_to": ["nothing", "stage6", "stage7"][(0, 7, 8).index(k)],
                         "trainable_parameters": 1000 - k, "val_acc": acc, "seconds": 10.0 / (k + 1)})
    return tt.table.Table(rows, sweep.COLUMNS)


def test_best_depths():
    assert sweep.best_depths(fake_table()) == {("animals", 5): 7, ("xray", 100): 0}


def test_plot_sweep_heatmap():
    fig = viz.plot_sweep(fake_table())
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["70 %", "88 %", "80 %", "84 %", "81 %", "80 %"]
    assert len(ax.patches) == 2  # the best cell of each row is outlined
    assert [t.get_text() for t in ax.get_yticklabels()] == ["animals\n5 per class", "xray\n100 per class"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0\nnothing", "7\nup to stage6", "8\nup to stage7"]
    times = viz.plot_sweep(fake_table(), "seconds")
    assert [t.get_text() for t in times.axes[0].texts][:3] == ["10.0 s", "1.2 s", "1.1 s"]
    assert not times.axes[0].patches
    with pytest.raises(tt.errors.TLTeachError, match="val_acc"):
        viz.plot_sweep(fake_table(), "loss")
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        viz.plot_sweep(tt.table.Table([], sweep.COLUMNS))
