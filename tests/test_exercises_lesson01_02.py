"""Lessons 01 and 02: the right answers pass, wrong answers get a hint that does not give the answer away."""
import pytest

import tlteach as tt
from tlteach.exercises import EXERCISES

CHOICES = {"01.memorised": "b", "01.overfit_more": "a", "02.not_in_imagenet": "c", "02.first_filters": "a",
           "02.rare_tumour": "b", "02.real_difference": "b"}


@pytest.mark.parametrize("name,right", CHOICES.items())
def test_choice_exercises(name, right):
    assert tt.check(name, right).correct
    assert tt.check(name, f" {right.upper()} ").correct  # case and spaces do not matter
    for wrong in "abc":
        if wrong != right:
            feedback = tt.check(name, wrong)
            assert not feedback.correct
            assert feedback.message == EXERCISES[name].hints[wrong]  # a hint for this very mistake
            assert f"({right})" not in feedback.message
    assert not tt.check(name, "d").correct


@pytest.mark.parametrize("name", sorted(n for n in EXERCISES if n[:3] in ("01.", "02.")))
def test_placeholder_asks_for_an_answer(name):
    feedback = tt.check(name, ...)
    assert not feedback.correct and "Replace ..." in feedback.message


def test_params_per_image_is_derived_from_the_model():
    model = tt.SmallCNN(10)
    few = 10 * 10
    target = tt.count_parameters(model) / few
    assert tt.check("01.params_per_image", target).correct
    assert tt.check("01.params_per_image", round(target)).correct
    assert not tt.check("01.params_per_image", tt.count_parameters(model)).correct
    assert not tt.check("01.params_per_image", few).correct
    assert "number" in tt.check("01.params_per_image", "lots").message


def test_imagenet_facts_behind_02_not_in_imagenet():
    classes = [c.lower() for c in tt.backbones.imagenet_classes()]
    assert "leopard" in classes and "flamingo" in classes
    assert not any("rhino" in c and "beetle" not in c for c in classes)


def test_params_per_image_exercise_matches_the_real_network():
    from tlteach.exercises.lesson01 import SMALLCNN_PARAMETERS

    assert tt.count_parameters(tt.SmallCNN(10)) == SMALLCNN_PARAMETERS


def test_real_difference_follows_the_course_rule():
    # the numbers in the question: A minus B seed by seed +5, -1, +4, +2 points; mean +2.5, interval -1.7 to +6.7
    found = tt.repeats.paired([0.55, 0.49, 0.54, 0.52], [0.50] * 4)
    assert (found.mean, found.ahead, found.seeds_needed) == (pytest.approx(0.025), 3, 7)
    assert "+2.5 percentage points (95 % interval -1.7 to +6.7), ahead on 3 of 4 seeds" in str(found)
    assert found.verdict == "cannot tell" and tt.check("02.real_difference", "b").correct
    from tlteach.exercises import EXERCISES as ALL

    assert "-1.7 to +6.7" in ALL["02.real_difference"].question and "about 7 seeds" in ALL["02.real_difference"].right
    assert tt.check("02.real_difference", "b").correct
