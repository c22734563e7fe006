"""Lesson 04: the right answers pass, wrong answers get a hint that does not give the answer away."""
import ast
from pathlib import Path

import pytest

import tlteach as tt
from tlteach.exercises import EXERCISES
from tlteach.exercises.lesson04 import trainable_after_freezing

CHOICES = {"04.train_mode": "b", "04.rule": "b"}


@pytest.mark.parametrize("name,right", CHOICES.items())
def test_choice_exercises(name, right):
    assert tt.check(name, right).correct
    assert tt.check(name, f" {right.upper()} ").correct
    for wrong in "abc":
        if wrong != right:
            feedback = tt.check(name, wrong)
            assert not feedback.correct
            assert feedback.message == EXERCISES[name].hints[wrong]
            assert f"({right})" not in feedback.message
    assert not tt.check(name, "d").correct


@pytest.mark.parametrize("name", sorted(n for n in EXERCISES if n.startswith("04.")))
def test_placeholder_asks_for_an_answer(name):
    feedback = tt.check(name, ...)
    assert not feedback.correct and "Replace ..." in feedback.message


def test_trainable_count_is_what_the_model_says():
    model = tt.replace_head(tt.load_backbone(pretrained=False), 10)
    tt.freeze(model, up_to="stage6")
    target = tt.count_parameters(model, trainable_only=True)
    assert trainable_after_freezing() == target
    assert f"{target:,}" in EXERCISES["04.trainable_count"].right
    for answer in (target, float(target), str(target), f"{target:,}"):
        assert tt.check("04.trainable_count", answer).correct, answer


def test_trainable_count_common_mistakes_get_their_own_hint():
    model = tt.replace_head(tt.load_backbone(pretrained=False), 10)
    tt.freeze(model, up_to="stage6")
    groups = tt.models.layer_groups(model)
    target = tt.count_parameters(model, trainable_only=True)
    mistakes = {
        tt.count_parameters(groups["head"]): "head alone",
        tt.count_parameters(groups["stage7"]): "stage7 alone",
        tt.count_parameters(model): "every parameter",
        tt.count_parameters(model) - target: "how many are frozen",
    }
    for answer, words in mistakes.items():
        feedback = tt.check("04.trainable_count", answer)
        assert not feedback.correct and words in feedback.message
        assert f"{target:,}" not in feedback.message and str(target) not in feedback.message
    generic = tt.check("04.trainable_count", 5)
    assert not generic.correct and generic.message == EXERCISES["04.trainable_count"].hint
    for nonsense in ("lots", float("nan"), None):
        assert not tt.check("04.trainable_count", nonsense).correct


def test_predict_first_compares_every_row_with_the_shipped_table():
    contrasts = tt.rules.contrasts(tt.sweep.load_results())
    rows = {f"{row['task']} {row['per_class']}": row for row in contrasts}
    shown = {"higher": "tune", "lower": "freeze"}
    truth = {key: shown.get(row["verdict"], "tie") for key, row in rows.items()}
    assert not tt.check("04.predict", truth).correct  # without the table: say what to pass
    right = tt.check("04.predict", truth, contrasts)
    assert right.correct and f"{len(rows)} of {len(rows)} predictions match" in right.message
    flipped = dict(truth, **{"animals 5": "tie" if truth["animals 5"] != "tie" else "tune"})
    feedback = tt.check("04.predict", flipped, contrasts)
    assert feedback.correct and f"{len(rows) - 1} of {len(rows)}" in feedback.message
    assert "'animals 5': you said" in feedback.message                     # the mismatch is explained
    missing = tt.check("04.predict", {"animals 5": "tune"}, contrasts)
    assert not missing.correct and "'xray 100'" in missing.message
    assert not tt.check("04.predict", "tune", contrasts).correct


def test_lesson_04_asks_for_every_row_of_the_table():
    """The notebook's prediction dict names exactly the rows the check compares (a missing row cannot be filled)."""
    source = (Path(__file__).resolve().parent.parent / "notebooks" / "04_freezing.py").read_text(encoding="utf-8")
    cell = source.split('id="check-predict"')[1].split("# %%")[0]
    keys = [key.value for key in ast.parse(cell).body[0].value.keys]
    table_rows = [f"{row['task']} {row['per_class']}" for row in tt.rules.contrasts(tt.sweep.load_results())]
    assert keys == table_rows
