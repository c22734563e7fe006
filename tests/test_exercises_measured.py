"""The exercises where a student writes a line of code or reads a measured result (lessons 01-03): a right answer
passes, a wrong one gets a hint for that very mistake, in English and in Russian."""
import pytest

import tlteach as tt
from tlteach.exercises.lesson02 import _elephants


@pytest.fixture
def russian():
    tt.i18n.set_language("ru")
    yield
    tt.i18n.set_language("en")


def _table(gaps: dict, val: dict):
    """A data-size table as `tt.datasize.data_size_experiment` returns it: one row per (per_class, seed)."""
    return tt.table.Table([{"per_class": n, "seed": seed, "gap": gap, "val_acc": val[n][seed]}
                           for n, runs in gaps.items() for seed, gap in enumerate(runs)])


@pytest.fixture
def table():
    # mean gap 0.676 at 5 per class, 0.452 at 30: the answer is 22.4 points; validation rose 0.543 - 0.304 = 23.9
    return _table({5: [0.636, 0.660, 0.732], 10: [0.591, 0.590, 0.610], 30: [0.431, 0.467, 0.458]},
                  {5: [0.268, 0.300, 0.344], 10: [0.38, 0.41, 0.41], 30: [0.533, 0.531, 0.565]})


def test_read_gap_takes_the_answer_from_the_run(table):
    for right in (22.4, 22, 0.224, "22,4", "0.22"):
        assert tt.check("01.read_gap", right, table).correct, right
    other = _table({5: [0.5, 0.5, 0.5], 30: [0.4, 0.4, 0.4]}, {5: [0.3] * 3, 30: [0.35] * 3})
    assert tt.check("01.read_gap", 10, other).correct and not tt.check("01.read_gap", 22.4, other).correct


@pytest.mark.parametrize("wrong,says", [(-22.4, "sign"), (67.6, "at 5 photos per class alone"),
                                        (45.2, "at 30 photos per class alone"), (23.9, "validation accuracy rose"),
                                        (80, "second table"), ("lots", "number")])
def test_read_gap_explains_the_mistake(table, wrong, says):
    feedback = tt.check("01.read_gap", wrong, table)
    assert not feedback.correct and says in feedback.message
    assert "22.4" not in feedback.message and "22" not in feedback.message.replace("22.4", "")


def test_read_gap_needs_the_table():
    feedback = tt.check("01.read_gap", 22.4)
    assert not feedback.correct and "tt.check(\"01.read_gap\", answer, table)" in feedback.message


def test_elephant_classes_takes_the_list_a_search_gives():
    found = [c for c in tt.backbones.imagenet_classes() if "elephant" in c]
    assert found == _elephants() and len(found) >= 2
    assert tt.check("02.elephant_classes", found).correct
    assert tt.check("02.elephant_classes", tuple(reversed(found))).correct  # order does not matter


@pytest.mark.parametrize("wrong,says", [([], "capital"), ("tusker", "one name"), (5, "list of class names"),
                                        (["African elephant"], "missing"),
                                        (["African elephant", "Indian elephant", "tusker"], "no 'elephant'")])
def test_elephant_classes_explains_the_mistake(wrong, says):
    feedback = tt.check("02.elephant_classes", wrong)
    assert not feedback.correct and says in feedback.message


def _frozen_up_to(model, group):
    tt.unfreeze(model)
    if group:
        tt.freeze(model, up_to=group)
    return model


def test_freeze_up_to_reads_the_model(lite0):
    model = tt.replace_head(lite0, 10)
    assert tt.check("03.freeze_up_to", _frozen_up_to(model, "stage5")).correct
    tt.unfreeze(model)
    tt.unfreeze(tt.freeze(model), from_="stage6")  # another way to the same model
    assert tt.check("03.freeze_up_to", model).correct


@pytest.mark.parametrize("group,says", [(None, "Nothing is frozen"), ("stage6", "stage6 is frozen too"),
                                        ("stage4", "stage5 still trains"), ("stage7", "whole body")])
def test_freeze_up_to_explains_the_mistake(lite0, group, says):
    model = _frozen_up_to(tt.replace_head(lite0, 10), group)
    feedback = tt.check("03.freeze_up_to", model)
    assert not feedback.correct and says in feedback.message


def test_freeze_up_to_notices_a_frozen_head_and_a_wrong_argument(lite0):
    model = tt.replace_head(lite0, 10)
    for parameter in model.parameters():
        parameter.requires_grad = False
    assert "head is frozen" in tt.check("03.freeze_up_to", model).message
    assert "Pass the model" in tt.check("03.freeze_up_to", "stage5").message


def test_the_new_exercises_answer_in_russian(russian, table, lite0):
    assert "разрыв" in tt.check("01.read_gap", 67.6, table).message
    assert repr(tt.check("01.read_gap", 22.4, table)).startswith("✓ Верно: Именно это")
    assert "Список пуст" in tt.check("02.elephant_classes", []).message
    assert "Пока ничего не заморожено" in tt.check("03.freeze_up_to", tt.replace_head(lite0, 10)).message
