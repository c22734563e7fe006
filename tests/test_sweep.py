"""The freeze-depth experiment: one step-budget recipe whose only knob is what learns, one tidy row per run,
both validation halves, weight movement recorded; the rules read from the table; the shipped table."""
import math

import pytest
import torch

import tlteach as tt
from tlteach import sweep, viz
from tlteach.experiments import recipes, rules


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models on one thread (the shipped table's setting)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_net(seed=0):
    torch.manual_seed(seed)
    return tt.SmallCNN(3, width=8)  # groups block1 ... block4, head


def tiny_recipe(net, **changes):
    return recipes.TUNING.but(backbone=net, steps=6, head_steps=3, batch_size=4, **changes)


def test_step_budget_does_not_shrink_with_the_data():
    assert recipes.epochs_for(150, 50, 16) == 38     # 4 batches per epoch: 152 steps
    assert recipes.epochs_for(150, 300, 16) == 8     # 19 batches per epoch: 152 steps
    assert recipes.epochs_for(150, 10, 16) == 150    # one batch per epoch


def test_one_row_per_run_with_both_halves_and_movement(tiny_ds):
    base = small_net()
    before = {k: v.clone() for k, v in base.state_dict().items()}
    tuned = sweep.one_run("tiny", tiny_ds, tiny_ds, 3, 0, seed=0, recipe=tiny_recipe(base))
    frozen = sweep.one_run("tiny", tiny_ds, tiny_ds, 3, 4, seed=0, recipe=tiny_recipe(base))
    assert set(tuned) == set(sweep.COLUMNS)
    for column in ("acc_a", "acc_b"):                     # whole images of a half (6 of the 12 images each)
        assert round(6 * tuned[column], 6) == int(round(6 * tuned[column]))
    assert tuned["steps"] >= 6 and tuned["learns"] == "0" and tuned["body_lr"] == recipes.TUNING.body_lr
    assert tuned["moved_body"] > 0 and frozen["moved_body"] == 0.0   # the only difference: what learns
    assert math.isnan(tuned["moved_stem"])                           # (not an EfficientNet: no stem)
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())  # every run started from a copy
    again = sweep.one_run("tiny", tiny_ds, tiny_ds, 3, 0, seed=0, recipe=tiny_recipe(base))
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in tuned.items() if k != "seconds"}


def test_surgical_learn_only_moves_only_its_groups(tiny_ds):
    base = small_net()
    model, _ = recipes.tune(tiny_ds, None, seed=0, learns=["block2"], recipe=tiny_recipe(base))
    moved = tt.inspection.weight_change(model, base)
    assert moved["block1"] == moved["block3"] == moved["block4"] == 0.0 and moved["block2"] > 0
    with pytest.raises(tt.errors.TLTeachError, match="not layer groups"):
        recipes.tune(tiny_ds, None, seed=0, learns="middle", recipe=tiny_recipe(base))   # SmallCNN has no stage3
    with pytest.raises(tt.errors.TLTeachError, match="batchnorm"):
        recipes.tune(tiny_ds, None, seed=0, learns=0, recipe=tiny_recipe(base, batchnorm="drift"))


def test_scratch_line(tiny_ds):
    row = sweep.one_run("tiny", tiny_ds, tiny_ds, 2, "scratch", seed=0)
    assert row["learns"] == "scratch" and row["batchnorm"] == "learnt" and math.isnan(row["moved_body"])
    assert row["steps"] == recipes.FROM_SCRATCH.epochs  # 6 photos, batches of 16: one step per epoch


def fake_table():
    """animals 5: freezing wins; animals 30: tuning wins (less data -> freeze more holds);
    xray 10: tuning wins by far, but its seeds spread widely."""
    rows = []
    cells = {("animals", 5): {"0": [0.80, 0.82, 0.81], "8": [0.90, 0.91, 0.89], "middle": [0.86, 0.85, 0.87],
                              "scratch": [0.3, 0.3, 0.3]},
             ("animals", 30): {"0": [0.95, 0.96, 0.95], "8": [0.93, 0.93, 0.92]},
             ("xray", 10): {"0": [0.90, 0.60, 0.80], "8": [0.70, 0.72, 0.71]}}
    for (task, n), by in cells.items():
        for learns, accs in by.items():
            for seed, acc in enumerate(accs):
                row = {c: 0.0 for c in sweep.COLUMNS}
                row.update(task=task, per_class=n, learns=learns, seed=seed, batchnorm="kept", acc_a=acc + 0.01,
                           acc_b=acc - 0.01, train_acc=1.0, steps=150, moved_body=0.0 if learns == "8" else 3e-3,
                           body_lr=recipes.TUNING.body_lr, seconds=10.0)
                if learns == "scratch":
                    row.update(body_lr=1e-3, batchnorm="learnt", moved_body=math.nan)
                rows.append(row)
    for lr, acc in ((1e-5, 0.70), (1e-3, 0.2)):
        for seed in range(3):
            row = dict(rows[seed], body_lr=lr, acc_a=acc + 0.02 * seed, acc_b=acc)
            rows.append(row)
    return tt.table.Table(rows, sweep.COLUMNS)


def test_contrasts_and_rules():
    table = fake_table()
    c = {(r["task"], r["per_class"]): r for r in rules.contrasts(table)}
    assert c["animals", 5]["verdict"] == "lower" and c["animals", 30]["verdict"] == "higher"
    assert c["animals", 5]["gains"] == pytest.approx([-0.10, -0.09, -0.08])        # paired by seed
    assert c["xray", 10]["verdict"] == "within noise" and c["xray", 10]["detectable"] > 0.2
    checked = {(r["rule"], r["compares"]): r["verdict"] for r in rules.check_rules(table)}
    assert checked["less data → freeze more", ("animals", 5, "animals", 30)] == "holds"
    assert checked["less similar → freeze fewer", ("animals", 5, "xray", 10)] == "cannot tell"  # wide spread


def test_best_column_is_picked_on_one_half_and_reported_on_the_other():
    picks = rules.best_columns(fake_table(), "animals", 5)
    assert [(halves, best) for halves, best, _ in picks] == [(("a", "b"), "8"), (("b", "a"), "8")]
    assert picks[0][2] == pytest.approx([0.89, 0.90, 0.88]) and picks[1][2] == pytest.approx([0.91, 0.92, 0.90])
    lrs = rules.learning_rates(fake_table(), "animals", 5)
    assert sorted(lrs["runs"]) == [1e-5, 1e-4, 1e-3] and lrs["picked"]["a", "b"][0] == 1e-4


def test_plot_sweep_shows_spread_and_the_winner():
    fig = viz.plot_sweep(fake_table())
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:4] == ["81 ± 1", "90 ± 1", "86 ± 1", "30 ± 0"]
    assert len([p for p in ax.patches if p.get_linewidth() > 3]) == 2   # animals 5 and 30 win beyond noise
    assert "3 seeds" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "0 frozen:\nall learns"
    moved = viz.plot_sweep(fake_table(), "moved_body")
    assert "8 frozen:\nhead only" not in [t.get_text() for t in moved.axes[0].get_xticklabels()]
    viz.plot_learning_rates(fake_table())
    with pytest.raises(tt.errors.TLTeachError, match="accuracy"):
        viz.plot_sweep(fake_table(), "loss")
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        viz.plot_sweep(tt.table.Table([], sweep.COLUMNS))


# --------------------------------------------------------------------------- the shipped table
def test_shipped_table_is_complete():
    table = sweep.load_results()
    assert [sweep._key((r["task"], r["per_class"], r["learns"], r["body_lr"], r["batchnorm"], r["seed"]))
            for r in table] == [sweep._key(run) for run in sweep.full_plan()]


def test_shipped_fine_tuning_moves_the_body():
    """At the smallest data size of every task, a run where the whole body learns moves it by 1e-3 or more,
    and every group in it moves: the experiment cannot silently fall back to feature extraction."""
    table = sweep.load_results()
    for task in dict.fromkeys(table["task"]):
        smallest = min(r["per_class"] for r in table if r["task"] == task)
        tuned = [r for r in table if (r["task"], r["per_class"], r["learns"], r["body_lr"], r["batchnorm"]) ==
                 (task, smallest, "0", recipes.TUNING.body_lr, "kept")]
        assert tuned and all(r["moved_body"] >= 1e-3 for r in tuned), task
        assert all(r[f"moved_{g}"] >= 1e-4 for r in tuned for g in sweep.GROUPS), task
        frozen = [r for r in table if (r["task"], r["per_class"], r["learns"]) == (task, smallest, "8")]
        assert all(r["moved_body"] == 0.0 for r in frozen)
        assert all(r["steps"] >= recipes.TUNING.steps for r in tuned + frozen)


def test_plan_of_selects_a_live_slice():
    plan = sweep.plan_of("xray", 10, learns=[8, 7], seeds=[0, 1])
    assert [(run[2], run[5]) for run in plan] == [(7, 0), (7, 1), (8, 0), (8, 1)]


@pytest.mark.slow
def test_shipped_table_regenerates():
    """A sample of the shipped table, recomputed here on one thread: the same accuracies within an image per
    validation half (as lessons 04 and 05 check their live slice: another processor may round a float sum the other
    way)."""
    plan = sweep.plan_of("xray", 10, learns=[8, 7], seeds=[1])
    rows = sweep.run_rows(plan, say=None)
    table = sweep.load_results()
    assert all(sweep.same_as_shipped(rows, table, images=1)), rows


def test_same_as_shipped_allows_the_images_it_is_given():
    table = sweep.load_results()
    row = dict(next(r for r in table if r["task"] == "xray"))
    half = len(sweep.task_data("xray")[1]) // 2
    assert sweep.same_as_shipped([row], table) == [True]
    one_off = dict(row, acc_a=row["acc_a"] + 1 / half)
    assert sweep.same_as_shipped([one_off], table) == [False]
    assert sweep.same_as_shipped([one_off], table, images=1) == [True]
    assert sweep.same_as_shipped([dict(row, acc_b=row["acc_b"] - 2 / half)], table, images=1) == [False]


def test_run_rows_gives_torch_its_thread_count_back(monkeypatch):
    monkeypatch.setattr(sweep, "task_data", lambda task: (None, None))
    monkeypatch.setattr(sweep, "one_run", lambda *args, **kwargs: dict.fromkeys(sweep.COLUMNS, 0.5))
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        sweep.run_rows([("tiny", 2, 0, 1e-4, "kept", 0)], threads=1, say=None)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
