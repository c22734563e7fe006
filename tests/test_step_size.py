"""The plan's algorithm beside the careful recipe (tt.step_size, lesson 04): cells per setting and depth, the paired
comparison of everything learning against only the head, the data-size rule (unpaired), and the figures."""
import pytest

import tlteach as tt
from tlteach import sweep, viz
from tlteach.experiments import recipes, step_size

SEEDS = range(5)


def fake_table(gains):
    """Animals at 5 and 30 per class. `gains[(n, setting)]`: how much tuning everything beats only the head."""
    rows = []
    for n in (5, 30):
        for recipe, lr in step_size.settings():
            for depth, base in (("0", 0.0), ("5", 0.0), ("8", 0.0)):
                for seed in SEEDS:
                    acc = 0.85 + (gains[n, (recipe, lr)] if depth == "0" else 0.0) + 0.01 * (seed % 2) + 0.002 * (seed - 2)
                    if depth == "8":
                        acc = 0.85 + 0.01 * (seed % 2)
                    row = dict.fromkeys(sweep.COLUMNS, 0.0)
                    row.update(task="animals", per_class=n, recipe=recipe, frozen=depth, body_lr=lr, batchnorm="kept",
                               seed=seed, acc_a=acc, acc_b=acc, train_acc=1.0, seconds=40.0 if depth == "0" else 2.0,
                               device="cpu")
                    rows.append(row)
    return tt.table.Table(rows, sweep.COLUMNS)


PLAN_LRS = recipes.PLAN.body_lrs


@pytest.fixture
def table():
    gains = {}
    for n in (5, 30):
        gains[n, (sweep.PLAN, PLAN_LRS[0])] = -0.6                      # large steps: tuning everything collapses
        gains[n, (sweep.PLAN, PLAN_LRS[1])] = -0.06 if n == 5 else 0.03  # moderate: less data -> freeze more
        gains[n, (sweep.PLAN, PLAN_LRS[2])] = 0.0
        gains[n, (sweep.CAREFUL, recipes.TUNING.body_lr)] = 0.0
    return fake_table(gains)


def test_cells_and_rows(table):
    assert step_size.rows_with_plan(table) == [("animals", 5), ("animals", 30)]
    cells = step_size.cells(table, "animals", 5)
    assert list(cells) == step_size.settings() and all(len(v["0"]) == 5 for v in cells.values())
    assert step_size.tuning_gain(table, "animals", 5, sweep.PLAN, PLAN_LRS[0]) == pytest.approx([-0.6] * 5, abs=0.01)
    with pytest.raises(tt.errors.TLTeachError, match="regenerate"):
        step_size.summary(table, "xray", 10)


def test_report_says_where_freezing_wins_and_where_it_cannot_tell(table, capsys):
    step_size.report(table)
    out = capsys.readouterr().out
    assert out.count("Conclusion:") == 2
    assert "freezing the body is better" in out            # large steps
    assert "cannot tell" in out or "no difference larger than" in out   # small steps: no effect to find


def test_data_size_rule_holds_only_where_the_gains_differ(table, capsys):
    step_size.report_rule(table)
    out = capsys.readouterr().out
    conclusion = [line for line in out.splitlines() if line.startswith("Conclusion:")]
    assert len(conclusion) == 1 and "holds" in conclusion[0]
    assert step_size.setting_name(sweep.PLAN, PLAN_LRS[1]) in conclusion[0]
    assert step_size.setting_name(sweep.PLAN, PLAN_LRS[0]) not in conclusion[0]   # the same collapse at both sizes


def test_rule_needs_two_data_sizes(table):
    only_five = tt.table.Table([r for r in table if r["per_class"] == 5], sweep.COLUMNS)
    with pytest.raises(tt.errors.TLTeachError, match="two data sizes"):
        step_size.report_rule(only_five)


def test_time_ratio_and_three_bars(table):
    assert step_size.time_ratio(table, "animals", 5) == pytest.approx(20)
    bars = step_size.three_bars(table, "animals", 5)
    assert len(bars) == 3 and all(len(v) == 5 for v in bars.values())
    frozen, careful, plan = bars.values()
    assert max(plan) < min(frozen)                            # the plan at one large lr collapses here


def test_figures_draw_what_they_are_given(table):
    fig = viz.plot_step_sizes(step_size.figure_rows(table), step_size.depth_names(), chance=0.1)
    assert len(fig.axes) == 2
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == list(step_size.depth_names().values())
    bars = viz.plot_runs(step_size.three_bars(table), chance=0.1)
    assert len(bars.axes[0].patches) == 3
    with pytest.raises(tt.errors.TLTeachError):
        viz.plot_runs({})


def test_a_table_part_way_shows_what_it_has(table):
    """Regeneration is resumable: a setting without runs is left out, a missing middle depth leaves a gap."""
    lr_missing, lr_no_middle = PLAN_LRS[2], PLAN_LRS[1]
    part = tt.table.Table([r for r in table if not (r["recipe"] == sweep.PLAN and (
        r["body_lr"] == lr_missing or (r["body_lr"] == lr_no_middle and r["frozen"] == "5")))], sweep.COLUMNS)
    cells = step_size.cells(part, "animals", 5)
    assert (sweep.PLAN, lr_missing) not in cells and set(cells[sweep.PLAN, lr_no_middle]) == {"0", "8"}
    assert "—" in str(step_size.summary(part, "animals", 5))
    viz.plot_step_sizes(step_size.figure_rows(part), step_size.depth_names(), chance=0.1)


def test_both_rules_are_counted_setting_by_setting(table, capsys):
    """rules_by_setting reads each setting's own runs: the data-size rule holds only where the gains differ."""
    found = {(row["setting"], row["rule"]): row for row in step_size.rules_by_setting(table)}
    moderate = step_size.setting_name(sweep.PLAN, PLAN_LRS[1])
    assert found[moderate, "less data → freeze more"]["holds"] == 1
    assert all(row["holds"] == 0 for (setting, _), row in found.items() if setting != moderate)
    assert all(row["comparisons"] == 1 for row in found.values())  # animals 5 against 30: one comparison each
    step_size.report_rules(table)
    conclusion = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Conclusion:")]
    assert len(conclusion) == 1 and moderate in conclusion[0]


def test_rows_for_the_two_figures(table):
    assert step_size.size_rows(table) == [("animals", 5), ("animals", 30)]
    assert step_size.similarity_rows(table) == [("animals", 5)]  # the fewest photos of each task that has plan runs


def test_a_comparison_of_two_rows_at_guessing_is_set_apart():
    """Everything learning at about guessing on both rows: the 'gain' is the frozen body's accuracy turned round, so
    the comparison measures that floor, not the rule; it is set apart, not counted."""
    gains = {(n, setting): 0.0 for n in (5, 30) for setting in step_size.settings()}
    gains[5, (sweep.PLAN, PLAN_LRS[0])] = gains[30, (sweep.PLAN, PLAN_LRS[0])] = -0.75  # 85 % -> about 10 %
    table = fake_table(gains)
    assert step_size.at_floor(table, "animals", 5, sweep.PLAN, PLAN_LRS[0])
    assert not step_size.at_floor(table, "animals", 5, sweep.PLAN, PLAN_LRS[1])
    found = {row["setting"]: row for row in step_size.rules_by_setting(table)}
    large = found[step_size.setting_name(sweep.PLAN, PLAN_LRS[0])]
    assert (large["comparisons"], large["floor"]) == (0, 1)
