"""freeze_sweep on the fair recipe: one tidy row per run over seeds, pick and report halves, ties reported;
the shipped table loads and a sample of it regenerates; plot_sweep shows mean ± sd and ties."""
import pytest
import torch

import tlteach as tt
from tlteach import sweep, viz


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models on one thread: no waiting for a second thread on a busy machine (and the shipped table's setting)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_net(seed=0):
    torch.manual_seed(seed)
    return tt.SmallCNN(3, width=8)  # groups block1 ... block4, head


def tiny_recipe(net):
    """The course's fine-tuning recipe, one epoch, starting from `net`'s weights."""
    return tt.recipes.FINE_TUNING.but(epochs=1, backbone=net)


@pytest.fixture
def tiny_tasks(tiny_ds):
    return {"tiny": (tiny_ds, tiny_ds)}


def test_one_row_per_run(tiny_tasks):
    base = small_net()
    before = {k: v.clone() for k, v in base.state_dict().items()}
    table = sweep.freeze_sweep(tiny_tasks, per_class={"tiny": [2, 4]}, depths=(4, 0), seeds=[0, 1],
                               recipe=tt.recipes.FINE_TUNING.but(epochs=1, backbone=base), live=False)
    assert table.columns == list(sweep.COLUMNS) and len(table) == 8
    assert table["frozen_groups"] == [0] * 4 + [4] * 4                 # depths sorted
    assert table["per_class"][:4] == [2, 2, 4, 4] and table["seed"][:4] == [0, 1, 0, 1]
    assert table["frozen_up_to"][0] == "nothing" and table["frozen_up_to"][-1] == "block4"
    assert set(table["body_lr"]) == {tt.recipes.FINE_TUNING.body_lr}
    for column in ("pick_acc", "report_acc"):  # whole images of a half (6 of the 12 images each)
        assert all(round(6 * a, 6) == int(round(6 * a)) for a in table[column])
    assert all(s > 0 for s in table["seconds"])
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())  # every run started from a copy


def test_body_lr_axis_and_same_seed_same_numbers(tiny_tasks):
    kwargs = dict(per_class=3, depths=[0], seeds=[0], live=False)
    a = sweep.freeze_sweep(tiny_tasks, body_lrs=[3e-4, 3e-6], recipe=tiny_recipe(small_net()), **kwargs)
    b = sweep.freeze_sweep(tiny_tasks, body_lrs=[3e-4, 3e-6], recipe=tiny_recipe(small_net()), **kwargs)
    assert a["body_lr"] == [3e-4, 3e-6] and a["pick_acc"] == b["pick_acc"] and a["report_acc"] == b["report_acc"]


def test_report_accuracy_from_cache_matches_evaluate(tiny_ds):
    model = tt.freeze(small_net(), up_to=2)
    tt.fit(model, tiny_ds, epochs=2, batch_size=4, lr=1e-2, live=False)
    assert sweep.accuracy(model, tiny_ds, batch_size=5) == pytest.approx(tt.evaluate(model, tiny_ds)["accuracy"])


@pytest.mark.parametrize("kwargs,words", [(dict(depths=(0, 5)), "between 0"), (dict(depths=()), "between 0"),
                                          (dict(depths=("block2",)), "numbers of frozen groups"),
                                          (dict(per_class=9), "from 1 to 4"), (dict(per_class={"x": 2}), "no entry"),
                                          (dict(seeds=[]), "seeds"), (dict(body_lrs=[0]), "body_lrs")])
def test_bad_arguments(tiny_tasks, kwargs, words):
    kwargs = {"per_class": 2, "depths": [0], **kwargs}
    with pytest.raises(tt.errors.TLTeachError, match=words):
        sweep.freeze_sweep(tiny_tasks, recipe=tiny_recipe(small_net()), live=False, **kwargs)


def test_bad_tasks(tiny_ds):
    with pytest.raises(tt.errors.TLTeachError, match="at least one"):
        sweep.freeze_sweep({}, 2, recipe=tiny_recipe(small_net()), live=False)
    with pytest.raises(tt.errors.TLTeachError, match="pair of tlteach datasets"):
        sweep.freeze_sweep([tiny_ds], 2, recipe=tiny_recipe(small_net()), live=False)
    other = tt.data.ImageDataset(tiny_ds.images, tiny_ds.labels, ["x", "y", "z"], name="other")
    with pytest.raises(tt.errors.TLTeachError, match="different classes"):
        sweep.freeze_sweep([(tiny_ds, other)], 2, recipe=tiny_recipe(small_net()), live=False)


def fake_table():
    """animals 5: depth 7 wins beyond noise; xray 100: 0 and 7 within noise of each other, 8 clearly worse."""
    rows = []
    cells = {("animals", 5): {0: [0.70, 0.72, 0.71], 7: [0.88, 0.89, 0.90], 8: [0.80, 0.81, 0.79]},
             ("xray", 100): {0: [0.84, 0.80, 0.82], 7: [0.83, 0.81, 0.82], 8: [0.70, 0.71, 0.72]}}
    for (task, n), by_depth in cells.items():
        for k, accs in by_depth.items():
            for seed, acc in enumerate(accs):
                rows.append({"task": task, "per_class": n, "frozen_groups": k,
                             "frozen_up_to": {0: "nothing", 7: "stage6", 8: "stage7"}[k], "body_lr": 3e-5,
                             "seed": seed, "pick_acc": acc, "report_acc": acc - 0.01, "seconds": 10.0 / (k + 1)})
    return tt.table.Table(rows, sweep.COLUMNS)


def test_best_depths_reports_ties():
    best = sweep.best_depths(fake_table())
    assert best["animals", 5] == {"picked": 7, "tied": [7], "report": pytest.approx([0.87, 0.88, 0.89])}
    assert best["xray", 100]["tied"] == [0, 7]                           # a tie, not a silent choice


def test_plot_sweep_shows_spread_and_ties():
    fig = viz.plot_sweep(fake_table())
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:3] == ["71 ± 1", "89 ± 1", "80 ± 1"]
    ties = [t.get_text() for t in ax.child_axes[0].get_yticklabels()]
    assert ties == ["", "tie:\n0, 7"]                 # the xray row: a tie, said in words at the row's end
    solid = [p for p in ax.patches if p.get_linewidth() > 3]
    assert len(solid) == 1 and len(ax.patches) == 3   # animals' winner outlined; xray's two tied cells dashed
    assert "3 runs" in ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["animals\n5 per class", "xray\n100 per class"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0\nnothing", "7\nup to stage6", "8\nup to stage7"]
    times = viz.plot_sweep(fake_table(), "seconds")
    assert [t.get_text() for t in times.axes[0].texts][:3] == ["10 s", "1.2 s", "1.1 s"]
    assert not times.axes[0].patches
    with pytest.raises(tt.errors.TLTeachError, match="pick_acc"):
        viz.plot_sweep(fake_table(), "loss")
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        viz.plot_sweep(tt.table.Table([], sweep.COLUMNS))


def test_shipped_table_is_complete():
    table = sweep.load_results()
    plan = sweep.full_plan()
    assert len(table) == len(plan)
    assert [(r["task"], r["per_class"], r["frozen_groups"], r["body_lr"], r["seed"]) for r in table] == \
        [(t, n, k, pytest.approx(b), s) for t, n, k, b, s in plan]


@pytest.mark.slow
def test_shipped_table_regenerates():
    """Two runs of the shipped table, recomputed here on one thread: the same accuracies (within one image)."""
    shipped = {(r["task"], r["per_class"], r["frozen_groups"], r["seed"]): r for r in sweep.load_results()
               if r["body_lr"] == pytest.approx(3e-5)}
    sample = [run for run in sweep.full_plan() if run[:3] in [("xray", 10, 8), ("xray", 10, 7)]
              and run[2] - 7 == run[4] and run[3] == pytest.approx(3e-5)]        # depth 7 seed 0, depth 8 seed 1
    assert len(sample) == 2
    rows = sweep.run_plan(sample)  # one thread (the fixture), as the shipped table
    for row in rows:
        ship = shipped[row["task"], row["per_class"], row["frozen_groups"], row["seed"]]
        for column in ("pick_acc", "report_acc"):
            assert abs(row[column] - ship[column]) <= 1 / 50 + 1e-9, (row, ship)  # 50 X-rays in each half


def test_run_plan_gives_torch_its_thread_count_back(monkeypatch):
    monkeypatch.setattr(sweep, "one_run", lambda *args, **kwargs: {"pick_acc": 0.5, "report_acc": 0.5, "seconds": 1.0})
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        sweep.run_plan([("tiny", 2, 0, 3e-5, 0)], tasks={"tiny": (None, None)}, threads=1)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
