"""Lessons 03 and 05: the right answers pass, wrong answers get a hint that does not give the answer away."""
import pytest

import tlteach as tt
from tlteach.exercises import EXERCISES

CHOICES = {"03.chance": ("b", "abcd"), "03.why_it_works": ("b", "abc"), "05.small_lr": ("b", "abc"),
           "05.batchnorm": ("a", "abc"), "05.which_strategy": ("b", "abc")}


@pytest.mark.parametrize("name,right,options", [(n, r, o) for n, (r, o) in CHOICES.items()])
def test_choice_exercises(name, right, options):
    assert tt.check(name, right).correct
    assert tt.check(name, f" {right.upper()} ").correct  # case and spaces do not matter
    for wrong in options:
        if wrong != right:
            feedback = tt.check(name, wrong)
            assert not feedback.correct
            assert feedback.message == EXERCISES[name].hints[wrong]  # a hint for this very mistake
            assert EXERCISES[name].right not in feedback.message
    assert not tt.check(name, "z").correct
    assert tt.check(name, "z").message == EXERCISES[name].hint


@pytest.mark.parametrize("name", sorted(n for n in EXERCISES if n[:3] in ("03.", "05.")))
def test_placeholder_asks_for_an_answer(name):
    feedback = tt.check(name, ...)
    assert not feedback.correct and "Replace ..." in feedback.message


def test_head_parameters_is_derived_from_the_model():
    model = tt.replace_head(tt.architectures.EfficientNetLite0(), 10)  # the architecture of lesson 3 (weights do not matter)
    target = tt.count_parameters(tt.models.get_head(model))
    assert target == 12_810
    assert tt.check("03.head_parameters", target).correct
    assert tt.check("03.head_parameters", float(target)).correct
    assert tt.check("03.head_parameters", "12810").correct
    assert not tt.check("03.head_parameters", target + 1).correct
    assert "bias" in tt.check("03.head_parameters", 1280 * 10).message  # forgot the biases
    assert "1000" in tt.check("03.head_parameters", 1280 * 1000 + 1000).message  # the old ImageNet head
    assert "number" in tt.check("03.head_parameters", "a lot").message


def test_numbers_quoted_in_the_questions():
    assert tt.count_parameters(tt.SmallCNN(10)) == 98_970  # 03.why_it_works compares it with the head
    assert "98,970" in EXERCISES["03.why_it_works"].question


def test_which_strategy_feedback_agrees_with_the_table():
    """05.which_strategy's answer and hints quote lesson 04's table: they must stay true of it (issue 27)."""
    from tlteach.experiments import rules

    table = tt.sweep.load_results()
    for per_class in (5, 30):
        seconds = {c: tt.repeats.mean_sd(rules.runs(table, "animals", per_class, c, "seconds"))[0]
                   for c in ("0", "6", "8")}
        accuracy = {c: rules.runs(table, "animals", per_class, c) for c in ("0", "6", "8", "scratch")}
        assert seconds["8"] < 2  # "the head trains in a second"
        assert seconds["0"] > 24 * seconds["8"]  # "dozens of times as long"
        assert tt.repeats.paired(accuracy["0"], accuracy["8"]).verdict != tt.verdicts.HIGHER  # "did not beat it"
        assert tt.repeats.paired(accuracy["8"], accuracy["scratch"]).verdict == tt.verdicts.HIGHER  # "did well"
    assert "dozens of times" in EXERCISES["05.which_strategy"].hints["c"]
