"""The size of the body's steps: the lesson plan's algorithm beside the course's careful recipe. Lessons 04 and 00.

    >>> table = tt.sweep.load_results()
    >>> tt.step_size.summary(table, "animals", 5)       # accuracy per setting (recipe, body lr) and depth
    >>> tt.step_size.report(table)                      # per row: what freezing does at each step size
    >>> tt.step_size.report_rule(table)                 # "less data -> freeze more", setting by setting

The lesson plan's algorithm (`tt.recipes.PLAN`) trains a new, random head and the groups that are not frozen
together from the first step. Its only knob here beside the depth is the learning rate of the body:

- 1e-3, one learning rate for the whole network (as the plan's code has it): every group that learns takes large
  steps, driven by a random head's meaningless errors, and forgets what ImageNet taught it;
- 3e-4: the body moves, but slowly enough to keep most of what it knew;
- 1e-4: small steps; the body hardly leaves ImageNet's weights.

The careful recipe (`tt.recipes.TUNING`: the head learns alone first, then the body at 1e-4) is the fourth
setting. Three depths are compared in every setting, each paired by seed (the same photos, the same head's start):
everything learns (0 frozen), `stem`…`stage4` frozen (5), only the head learns (8: feature extraction).
"""
from __future__ import annotations

from ..errors import TLTeachError
from ..i18n import N_, number, rate, shown, tr, trn
from ..table import Table
from . import recipes
from .repeats import conclusion, mean_sd, paired
from ..verdicts import HIGHER
from .rules import (EVERYTHING, FEATURE_EXTRACTION as HEAD_ONLY, HOLDS, OPPOSITE, SIMILARITY, check_rules, row_name,
                    rule_line, runs, verdict_words)
from .sweep import CAREFUL, PLAN, TASKS

DEPTHS = (EVERYTHING, "5", HEAD_ONLY)  # everything learns, stem ... stage4 frozen, only the head learns (0, 5, 8)
DEPTH_NAMES = {EVERYTHING: N_("everything learns"), "5": N_("stem…stage4 frozen"),
               HEAD_ONLY: N_("only the head learns")}


def settings() -> list:
    """(recipe, body lr) of every setting, from the largest steps to the careful recipe."""
    return [(PLAN, lr) for lr in recipes.PLAN.body_lrs] + [(CAREFUL, recipes.TUNING.body_lr)]


def setting_name(recipe: str, body_lr: float, short: bool = False) -> str:
    """'the plan's algorithm, body lr 3e-4' / 'the careful recipe (head first), body lr 1e-4' (`short`: 'plan' or
    'careful' and the lr, two lines for a figure's axis; `tt.viz.plot_step_sizes` says what the words mean)."""
    if short:
        return (tr("plan\nbody lr {lr}", lr=rate(body_lr)) if recipe == PLAN else
                tr("careful\nbody lr {lr}", lr=rate(body_lr)))
    if recipe == PLAN:
        return tr("the plan's algorithm, body lr {lr}", lr=rate(body_lr))
    return tr("the careful recipe (head first), body lr {lr}", lr=rate(body_lr))


def cells(table, task: str, per_class: int) -> dict:
    """{(recipe, body lr): {depth: accuracies per seed}} for one row of the table.

    A setting is there when the table has both ends (everything learning, only the head) for it; the middle depth
    joins it where it ran. Settings the table lacks so far are left out (`python -m tlteach.experiments.sweep
    --regenerate` goes on computing them)."""
    out = {}
    for recipe, lr in settings():
        found = {depth: runs(table, task, per_class, depth, body_lr=lr, recipe=recipe) for depth in DEPTHS}
        if found[EVERYTHING] and found[HEAD_ONLY]:
            out[recipe, lr] = {depth: values for depth, values in found.items() if values}
    return out


def rows_with_plan(table) -> list:
    """The rows (task, per_class) for which the table has the plan's algorithm in some setting, in the table's order."""
    keys = dict.fromkeys((row["task"], row["per_class"]) for row in table if row["recipe"] == PLAN)
    return [key for key in keys if any(recipe == PLAN for recipe, _ in cells(table, *key))]


def summary(table, task: str, per_class: int) -> Table:
    """One row per setting: the mean accuracy of each depth, and tuning everything against only the head."""
    found = cells(table, task, per_class)
    if not found:
        raise TLTeachError(tr("The table has no runs of the plan's algorithm for {row}: run `python -m "
                              "tlteach.experiments.sweep --regenerate` to add them.", row=row_name(task, per_class)))
    rows = []
    for (recipe, lr), by_depth in found.items():  # (settings without the middle depth show "—" there)
        row = {tr("setting"): setting_name(recipe, lr)}
        row.update({tr(DEPTH_NAMES[d]): f"{number(100 * mean_sd(by_depth[d])[0], 1)} %" if d in by_depth else "—"
                    for d in DEPTHS})
        row[tr("everything vs only the head")] = paired(by_depth[EVERYTHING], by_depth[HEAD_ONLY]).words()
        rows.append(row)
    return Table(rows, list(rows[0]), title=tr("{row}: accuracy on all validation images, mean of {n} seeds",
                                                row=row_name(task, per_class), n=len(by_depth[EVERYTHING])))


def tuning_gain(table, task: str, per_class: int, recipe: str, body_lr: float) -> list:
    """Per seed: accuracy with everything learning minus accuracy with only the head learning (the same photos)."""
    return _gain(cells(table, task, per_class)[recipe, body_lr])


def _gain(by_depth: dict) -> list:
    return [a - b for a, b in zip(by_depth[EVERYTHING], by_depth[HEAD_ONLY])]


def figure_rows(table, rows=None) -> dict:
    """{row name: {setting name: {depth: accuracies per seed}}}: what `tt.viz.plot_step_sizes` draws."""
    return {row_name(*key): {setting_name(*setting, short=True): v for setting, v in cells(table, *key).items()}
            for key in rows or rows_with_plan(table)}


def depth_names() -> dict:
    """{depth: its name in the lesson's language}, everything learning first."""
    return {depth: tr(DEPTH_NAMES[depth]) for depth in DEPTHS}


def report(table, rows=None) -> None:
    """For each row one `Conclusion:` line: what freezing does at each step size (everything against only the head)."""
    for key in rows or rows_with_plan(table):
        found = cells(table, *key)
        said = "; ".join(f"{setting_name(*setting)}: {verdict_words(paired(v[EVERYTHING], v[HEAD_ONLY]))}"
                         for setting, v in found.items())
        conclusion("{row}, everything learning against only the head: {said}.", row=row_name(*key), said=said)


def rule_rows(table, task: str = "animals") -> list:
    """The data sizes of `task` with the plan's algorithm, smallest first: the rows "less data -> freeze more" reads."""
    return sorted(n for t, n in rows_with_plan(table) if t == task)


def size_rows(table, task: str = "animals") -> list:
    """[(task, per_class)] of every data size of `task` with the plan's algorithm: lesson 04's data-size figure."""
    return [(task, n) for n in rule_rows(table, task)]


def similarity_rows(table) -> list:
    """[(task, per_class)]: the fewest photos of each task with the plan's algorithm, from the most to the least like
    ImageNet's photos (animals, sketch, security camera, X-rays): lesson 04's similarity figure."""
    have = rows_with_plan(table)
    return [(task, min(n for t, n in have if t == task)) for task in SIMILARITY if any(t == task for t, _ in have)]


def report_rule(table, task: str = "animals") -> None:
    """"Less data -> freeze more", setting by setting: is the gain of tuning everything smaller with the fewest photos
    than with the most? Different photos on the two sides, so the comparison is unpaired."""
    sizes = rule_rows(table, task)
    if len(sizes) < 2:
        raise TLTeachError(tr("The table has the plan's algorithm for fewer than two data sizes of {task}: run `python "
                              "-m tlteach.experiments.sweep --regenerate` to add them.", task=shown(task)))
    few, many = sizes[0], sizes[-1]
    held = []
    for setting in settings():  # the data-size comparison of `check_rules`, as each setting's runs give it
        try:
            compared = [r for r in check_rules(table, *setting) if r["compares"] == (task, few, task, many)]
        except TLTeachError:  # no pair of rows with this setting
            continue
        if not compared:
            continue
        difference = compared[0]["difference"]
        print(tr("{setting}: gain of tuning everything with {many} per class minus with {few} per class: {words}",
                 setting=setting_name(*setting), many=many, few=few, words=difference.words()))
        if difference.verdict == HIGHER:
            held.append(setting_name(*setting))
    if held:
        conclusion("less data → freeze more holds for {task} ({few} against {many} per class) with {settings}; "
                   "in the other settings this table cannot show it.", task=shown(task), few=few, many=many,
                   settings="; ".join(held))
    else:
        conclusion("less data → freeze more does not show for {task} ({few} against {many} per class) in any "
                   "setting of this table.", task=shown(task), few=few, many=many)


FLOOR = 0.05  # "about guessing": a mean accuracy less than 5 points above chance


def at_floor(table, task: str, per_class: int, recipe: str, body_lr: float) -> bool:
    """Whether everything learning falls to about guessing on this row in this setting (`FLOOR` above chance)."""
    values = runs(table, task, per_class, EVERYTHING, body_lr=body_lr, recipe=recipe)
    return bool(values) and mean_sd(values)[0] < 1 / TASKS[task].classes + FLOOR


def rules_by_setting(table) -> Table:
    """Each of the plan's two rules of thumb under each setting (recipe and body lr): of the comparisons of rows that
    test it (`tt.rules.check_rules` with that setting's runs), in how many it holds, shows the opposite, or cannot
    tell (a difference smaller than the lessons care about counts with "cannot tell" here: it does not hold).

    A comparison whose two rows both fall to about guessing when everything learns (`at_floor`) is not counted but
    set apart (`floor`): its gain of tuning is then guessing minus the frozen body, the frozen body's accuracy with the
    sign turned, so a task the frozen body knew less well "gains" more. It would measure that floor, not the rule."""
    out = []
    for setting in settings():
        try:
            checked = check_rules(table, *setting)
        except TLTeachError:  # the table has no pair of rows with this setting yet
            continue
        for rule in dict.fromkeys(checked["rule"]):
            compared = [r for r in checked if r["rule"] == rule]
            floor = [all(at_floor(table, *row, *setting) for row in (r["compares"][:2], r["compares"][2:]))
                     for r in compared]
            verdicts = [r["verdict"] for r, down in zip(compared, floor) if not down]
            out.append({"setting": setting_name(*setting), "rule": tr(rule), "holds": verdicts.count(HOLDS),
                        "opposite": verdicts.count(OPPOSITE), "comparisons": len(verdicts), "floor": sum(floor),
                        "_key": (setting, rule), "_checked": list(zip(compared, floor))})
    return Table(out, ["setting", "rule", "holds", "opposite", "comparisons", "floor"],
                 title=tr("The plan's rules of thumb, setting by setting (comparisons where each holds)"))


def report_rules(table) -> None:
    """Setting by setting, each comparison of the two rules with its interval (`tt.rules.rule_line`); then the counts
    of `rules_by_setting`, and per rule one `Conclusion:` line: the settings where it holds somewhere."""
    found = rules_by_setting(table)
    for setting in dict.fromkeys(row["setting"] for row in found):
        print(f"{setting}:")
        for row in [r for r in found if r["setting"] == setting]:
            for compared, down in row["_checked"]:
                print("  " + rule_line(compared) + (tr(" (set apart: both rows at guessing)") if down else ""))
    for row in found:
        floor = "" if not row["floor"] else trn(
            " (and {n} comparison set apart: both its rows fall to about guessing when everything learns, a floor, not "
            "the rule)", " (and {n} comparisons set apart: both their rows fall to about guessing when everything "
            "learns, a floor, not the rule)", row["floor"], n=row["floor"])
        print(tr("{setting}: {rule}: holds in {holds}, the opposite in {opposite}, of {n}", setting=row["setting"],
                 rule=row["rule"], holds=row["holds"], opposite=row["opposite"], n=row["comparisons"]) + floor)
    for rule in dict.fromkeys(row["_key"][1] for row in found):
        rows = [row for row in found if row["_key"][1] == rule]
        held = [tr("{setting} ({k} of {n})", setting=row["setting"], k=row["holds"], n=row["comparisons"])
                for row in rows if row["holds"]]
        opposite = [tr("{setting} ({k} of {n})", setting=row["setting"], k=row["opposite"], n=row["comparisons"])
                    for row in rows if row["opposite"]]
        against = tr(" The opposite shows with {settings}.", settings="; ".join(opposite)) if opposite else ""
        if held:
            conclusion("{rule} holds with {settings}; with the other settings no comparison shows it.{against}",
                       rule=tr(rule), settings="; ".join(held), against=against)
        else:
            conclusion("{rule} shows in no comparison of this table, in any setting.{against}", rule=tr(rule),
                       against=against)


def time_ratio(table, task: str, per_class: int, recipe: str = CAREFUL, body_lr=None) -> float:
    """How many times longer a run takes when everything learns than when only the head learns (mean seconds)."""
    body_lr = recipes.TUNING.body_lr if body_lr is None else body_lr
    slow, fast = (mean_sd(runs(table, task, per_class, d, "seconds", body_lr=body_lr, recipe=recipe))[0]
                  for d in (EVERYTHING, HEAD_ONLY))
    return slow / fast


def three_bars(table, task: str = "animals", per_class: int = 5) -> dict:
    """Lesson 00's opening figure: {name: accuracies per seed} for the body frozen, everything learning with small
    steps (the careful recipe) and everything learning as the plan's algorithm does (one learning rate, 1e-3)."""
    lr = recipes.TUNING.body_lr
    return {tr("body frozen (only the head learns)"): runs(table, task, per_class, HEAD_ONLY, body_lr=lr),
            tr("everything learns, small steps (body lr {lr})", lr=rate(lr)):
                runs(table, task, per_class, EVERYTHING, body_lr=lr),
            tr("everything learns, the plan's algorithm (one lr {lr})", lr=rate(recipes.PLAN.body_lrs[0])):
                runs(table, task, per_class, EVERYTHING, body_lr=recipes.PLAN.body_lrs[0], recipe=PLAN)}


__all__ = ["DEPTHS", "DEPTH_NAMES", "cells", "depth_names", "figure_rows", "report", "report_rule", "report_rules",
           "rows_with_plan", "rule_rows", "rules_by_setting", "similarity_rows", "size_rows", "setting_name", "settings",
           "summary", "three_bars", "time_ratio", "tuning_gain"]
