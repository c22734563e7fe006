"""The freeze-depth experiment: one step-budget recipe whose only knob is what learns, one tidy row per run,
both validation halves, weight movement recorded; the rules read from the table; the shipped table."""
import math

import pytest
import torch

import tlteach as tt
from tlteach import sweep, viz
from tlteach.experiments import recipes, rules


from conftest import small_net  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")


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
    assert tuned["steps"] >= 6 and tuned["frozen"] == "0" and tuned["body_lr"] == recipes.TUNING.body_lr
    assert tuned["moved_body"] > 0 and frozen["moved_body"] == 0.0   # the only difference: what learns
    assert math.isnan(tuned["moved_stem"])                           # (not an EfficientNet: no stem)
    assert all(torch.equal(before[k], v) for k, v in base.state_dict().items())  # every run started from a copy
    again = sweep.one_run("tiny", tiny_ds, tiny_ds, 3, 0, seed=0, recipe=tiny_recipe(base))
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in tuned.items() if k != "seconds"}


def test_surgical_learn_only_moves_only_its_groups(tiny_ds):
    base = small_net()
    model, _ = recipes.tune(tiny_ds, None, seed=0, frozen="all but block2", recipe=tiny_recipe(base))
    moved = tt.inspection.weight_change(model, base)
    assert moved["block1"] == moved["block3"] == moved["block4"] == 0.0 and moved["block2"] > 0
    with pytest.raises(tt.errors.TLTeachError, match="not layer groups"):
        recipes.tune(tiny_ds, None, seed=0, frozen="all but middle", recipe=tiny_recipe(base))   # SmallCNN has no stage3
    with pytest.raises(tt.errors.TLTeachError, match="batchnorm"):
        recipes.tune(tiny_ds, None, seed=0, frozen=0, recipe=tiny_recipe(base, batchnorm="frozen"))


def test_a_run_line_names_every_batchnorm_policy():
    """Every value tt.fit and Recipe accept for batchnorm has its words in a run's line (no KeyError for "drift")."""
    row = dict(dict.fromkeys(sweep.COLUMNS, 0.5), task="animals", per_class=5, frozen="0", seed=0)
    lines = {bn: sweep.run_line(dict(row, batchnorm=bn)) for bn in tt.freezing.BATCHNORM}
    assert len(set(lines.values())) == len(tt.freezing.BATCHNORM) and "statistics drifting" in lines["drift"]


def test_scratch_line(tiny_ds):
    row = sweep.one_run("tiny", tiny_ds, tiny_ds, 2, "scratch", seed=0)
    assert row["frozen"] == "scratch" and row["batchnorm"] == "learnt" and math.isnan(row["moved_body"])
    assert row["steps"] == recipes.FROM_SCRATCH.epochs  # 6 photos, batches of 16: one step per epoch


def fake_table():
    """animals 5: freezing wins; animals 30: tuning wins (less data -> freeze more holds);
    xray 10: tuning wins by far, but its seeds spread widely."""
    rows = []
    cells = {("animals", 5): {"0": [0.80, 0.82, 0.81], "8": [0.90, 0.91, 0.89], "all but middle": [0.84, 0.85, 0.83],
                              "scratch": [0.3, 0.3, 0.3]},
             ("animals", 30): {"0": [0.95, 0.96, 0.95], "8": [0.93, 0.93, 0.92]},
             ("xray", 10): {"0": [0.90, 0.60, 0.80], "8": [0.70, 0.72, 0.71]}}
    for (task, n), by in cells.items():
        for frozen, accs in by.items():
            for seed, acc in enumerate(accs):
                row = {c: 0.0 for c in sweep.COLUMNS}
                row.update(task=task, per_class=n, recipe=sweep.CAREFUL, frozen=frozen, seed=seed, batchnorm="kept",
                           acc_a=acc + 0.01,
                           acc_b=acc - 0.01, train_acc=1.0, steps=150, moved_body=0.0 if frozen == "8" else 3e-3,
                           body_lr=recipes.TUNING.body_lr, seconds=10.0)
                if frozen == "scratch":
                    row.update(recipe=sweep.SCRATCH, body_lr=1e-3, batchnorm="learnt", moved_body=math.nan)
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
    assert c["animals", 5]["difference"].high < 0 and c["animals", 5]["difference"].behind == 3
    assert c["xray", 10]["verdict"] == "cannot tell" and c["xray", 10]["difference"].seeds_needed > 3  # wide spread
    checked = {(r["rule"], r["compares"]): r for r in rules.check_rules(table)}
    assert checked["less data → freeze more", ("animals", 5, "animals", 30)]["verdict"] == "holds"
    wide = checked["less similar → freeze fewer", ("animals", 5, "xray", 10)]
    assert wide["verdict"] == "cannot tell" and not wide["difference"].paired     # two rows: different photos


def test_best_column_is_picked_on_one_half_and_reported_on_the_other():
    picks = rules.best_columns(fake_table(), "animals", 5)
    assert [(halves, best) for halves, best, _ in picks] == [(("a", "b"), "8"), (("b", "a"), "8")]
    assert picks[0][2] == pytest.approx([0.89, 0.90, 0.88]) and picks[1][2] == pytest.approx([0.91, 0.92, 0.90])
    lrs = rules.learning_rates(fake_table(), "animals", 5)
    assert sorted(lrs["runs"]) == [1e-5, 1e-4, 1e-3] and lrs["picked"]["a", "b"][0] == 1e-4


def test_plot_sweep_shows_spread_and_the_winner():
    fig = viz.plot_sweep(rules.sweep_map(fake_table()))
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:4] == ["81 ± 1", "90 ± 1", "84 ± 1", "30 ± 0"]
    assert len([p for p in ax.patches if p.get_linewidth() > 3]) == 2   # animals 5 and 30: the best beats every cell
    assert len(ax.patches) == 2   # xray 10: the seeds cannot tell 0 from 8, so no cell of the row is marked
    assert rules.row_winners(fake_table())["xray", 10] == ("0", ["0", "8"])
    given = {**rules.sweep_map(fake_table()), "winners": {key: (best, [best]) for key, (best, _) in
                                                          rules.row_winners(fake_table()).items()}}
    drawn = viz.plot_sweep(given)
    assert len([p for p in drawn.axes[0].patches if p.get_linewidth() > 3]) == 3  # the figure draws what it is given
    assert "3 seeds" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "0 frozen:\nall learns"
    moved = viz.plot_sweep(rules.sweep_map(fake_table(), "moved_body"))
    assert "8 frozen:\nhead only" not in [t.get_text() for t in moved.axes[0].get_xticklabels()]
    viz.plot_learning_rates(rules.learning_rate_lines(fake_table()), tt.recipes.TUNING.lr)
    with pytest.raises(tt.errors.TLTeachError, match="accuracy"):
        rules.sweep_map(fake_table(), "loss")
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        rules.sweep_map(tt.table.Table([], sweep.COLUMNS))


# --------------------------------------------------------------------------- the shipped table
def test_shipped_contrasts_find_the_effects_paired_seeds_show():
    """Tuning everything vs freezing everything, paired by seed: the course's statistic on the shipped table finds the
    gains the old two-sd rule called noise (sketch, security camera), and says how sure each verdict is."""
    table = sweep.load_results()
    found = {(r["task"], r["per_class"]): r for r in rules.contrasts(table)}
    for (task, n), row in found.items():
        expected = tt.repeats.paired(rules.runs(table, task, n, "0"), rules.runs(table, task, n, "8"))
        assert row["difference"] == expected and row["verdict"] == expected.verdict
        assert row["difference"].n >= 5 and row["difference"].paired
    for row in ("sketch", 5), ("security camera", 5):
        assert found[row]["verdict"] == "higher" and found[row]["difference"].low > 0, row
    for rule in rules.check_rules(table):   # a rule's verdict is its unpaired interval's, in the rule's words
        assert rule["verdict"] == rules.RULE_VERDICTS[rule["difference"].verdict] and not rule["difference"].paired
    kept, relearnt = (rules.runs(table, "xray", 10, "0", batchnorm=b) for b in ("kept", "relearnt"))
    assert tt.repeats.paired(kept, relearnt).verdict == "higher"      # +11 points on 5 of 5 seeds


def test_shipped_table_holds_only_planned_runs_each_once():
    """Every run of the shipped table is one of the plan's (the table may be part-way: regeneration is resumable),
    none twice, and each cell it has is complete: every seed of the plan."""
    table = sweep.load_results()
    planned = {sweep._key(run) for run in sweep.full_plan()}
    keys = [sweep.row_key(r) for r in table]
    assert set(keys) <= planned and len(keys) == len(set(keys))
    cells = {}
    for key in keys:
        cells.setdefault(key[:6], set()).add(key[6])
    assert all(seeds == set(sweep.FULL["seeds"]) for seeds in cells.values()), cells


def test_regeneration_is_resumable(tmp_path, monkeypatch):
    """Runs already in the file are not computed again; new ones are appended; a full file is put in plan order."""
    done = []

    def fake_rows(plan, say=None, device="cpu", threads=1):
        done.extend(plan)
        return [dict(dict.fromkeys(sweep.COLUMNS, 0.5), task=t, per_class=n, recipe=r, frozen=str(frozen),
                     body_lr=lr, batchnorm=bn, seed=seed, steps=1, device=device)
                for t, n, r, frozen, lr, bn, seed in plan]

    monkeypatch.setattr(sweep, "run_rows", fake_rows)
    plan = sweep.plan_of("xray", 10, frozen=[8, 7])
    path = tmp_path / "sweep.csv"
    sweep.regenerate(plan=plan[5:], path=path)
    sweep.regenerate(plan=plan, path=path)
    assert sorted(done) == sorted(plan)                       # each run once, across the two calls
    assert [sweep.row_key(r) for r in sweep.load_results(path)] == [sweep._key(run) for run in plan]


def test_shipped_fine_tuning_moves_the_body():
    """At the smallest data size of every task, a run where the whole body learns moves it by 1e-3 or more,
    and every group in it moves: the experiment cannot silently fall back to feature extraction."""
    table = sweep.load_results()
    for task in dict.fromkeys(table["task"]):
        smallest = min(r["per_class"] for r in table if r["task"] == task)
        tuned = [r for r in table if (r["task"], r["per_class"], r["recipe"], r["frozen"], r["body_lr"],
                                      r["batchnorm"]) == (task, smallest, sweep.CAREFUL, "0", recipes.TUNING.body_lr,
                                                          "kept")]
        assert tuned and all(r["moved_body"] >= 1e-3 for r in tuned), task
        assert all(r[f"moved_{g}"] >= 1e-4 for r in tuned for g in sweep.GROUPS), task
        frozen = [r for r in table if (r["task"], r["per_class"], r["recipe"], r["frozen"]) ==
                  (task, smallest, sweep.CAREFUL, "8")]
        assert all(r["moved_body"] == 0.0 for r in frozen)
        assert all(r["steps"] >= recipes.TUNING.steps for r in tuned + frozen)


def test_plan_of_selects_a_live_slice():
    plan = sweep.plan_of("xray", 10, frozen=[8, 7], seeds=[0, 1])
    assert [(run[3], run[6]) for run in plan] == [(7, 0), (7, 1), (8, 0), (8, 1)]
    assert {run[2] for run in plan} == {sweep.CAREFUL}
    assert {run[4] for run in sweep.plan_of("animals", 5, frozen=0, recipe=sweep.PLAN)} == set(
        recipes.PLAN.body_lrs)


@pytest.mark.slow
def test_shipped_table_regenerates():
    """A sample of the shipped table, recomputed here on one thread: the same accuracies within an image per
    validation half (as lessons 04 and 05 check their live slice: another processor may round a float sum the other
    way)."""
    plan = sweep.plan_of("xray", 10, frozen=[8, 7], seeds=[1])
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
        sweep.run_rows([("tiny", 2, sweep.CAREFUL, 0, 1e-4, "kept", 0)], threads=1, say=None)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_run_rows_goes_through_the_runner_and_the_stop_button_keeps_finished_runs(monkeypatch, capsys):
    """A slice runs setting by setting with its seeds (the one runner); Stop keeps the runs that finished and ends it."""
    calls = []

    def fake_run(task, train, val, per_class, frozen, seed, **kwargs):
        calls.append((frozen, seed))
        if len(calls) == 4:
            raise KeyboardInterrupt  # the Stop button during the fourth run
        return dict(dict.fromkeys(sweep.COLUMNS, 0.5), task=task, per_class=per_class, frozen=str(frozen), seed=seed)

    monkeypatch.setattr(sweep, "task_data", lambda task: (None, None))
    monkeypatch.setattr(sweep, "one_run", fake_run)
    plan = sweep.plan_of("xray", 10, frozen=[8, 7], seeds=[0, 1]) + sweep.plan_of("xray", 10, frozen=0, seeds=[3])
    assert [(s["frozen"], seeds) for settings, seeds in sweep._settings_and_seeds(plan) for s in settings] == \
        [(7, [0, 1]), (8, [0, 1]), (0, [3])]
    rows = sweep.run_rows(plan, say=None)
    assert calls == [(7, 0), (7, 1), (8, 0), (8, 1)] and [(r["frozen"], r["seed"]) for r in rows] == \
        [("7", 0), ("7", 1), ("8", 0)]
    assert "Stopped during" in capsys.readouterr().out


def test_report_parts_names_the_rows_where_a_part_wins(capsys):
    table = tt.table.Table([r for r in fake_table() if r["frozen"] != "all but middle"], sweep.COLUMNS)
    rows = [dict(r) for r in table if r["frozen"] == "0"]
    for row in rows:  # "first" and "middle" columns: the middle part ahead by 5 points on animals 5, equal elsewhere
        for part, shift in (("all but first", 0.0), ("all but middle", 0.05 if (row["task"], row["per_class"]) == ("animals", 5)
                                              else 0.0)):
            extra = dict(row, frozen=part, acc_a=row["acc_a"] + shift + 0.001 * row["seed"],
                         acc_b=row["acc_b"] + shift - 0.001 * row["seed"])
            table.rows.append(extra)
    rules.report_parts(table)
    out = capsys.readouterr().out
    conclusion = [line for line in out.splitlines() if line.startswith("Conclusion:")]
    assert len(conclusion) == 1 and "beats the first on: animals, 5 per class;" in conclusion[0]
    assert "beats the middle on: no row" in conclusion[0]
