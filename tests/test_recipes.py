"""Every field of a Recipe does something (issue 29): a field that nothing reads (as `weight_decay` was) fails here,
and `batch_size=None` (every image in one batch) works.

Each training field is changed on its own, the recipe function that reads it is run twice from the same seed on a
tiny set with a tiny network, and the trained weights must differ. The two fields that do not train (the strategy's
name and the sweep's grid of body learning rates) are checked where they are used.
"""
import dataclasses

import pytest
import torch

import tlteach as tt
from tlteach.experiments import recipes, sweep


from conftest import small_net  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")


NET = small_net()
TINY_TUNING = recipes.TUNING.but(backbone=NET, steps=6, head_steps=3, batch_size=4)
TINY_SCRATCH = recipes.FROM_SCRATCH.but(epochs=3, settle_epochs=1, batch_size=4, image_size=32)

# field -> (recipe function, the tiny recipe it starts from, another value of the field)
TRAINING_FIELDS = {
    "lr": ("tune", TINY_TUNING, 1e-2),
    "batch_size": ("tune", TINY_TUNING, 6),
    "weight_decay": ("from_scratch", TINY_SCRATCH, 0.5),
    "body_lr": ("tune", TINY_TUNING, 1e-2),
    "head_steps": ("tune", TINY_TUNING, 6),
    "steps": ("tune", TINY_TUNING, 12),
    "batchnorm": ("tune", TINY_TUNING, "relearnt"),
    "image_size": ("tune", TINY_TUNING, 16),
    "backbone": ("tune", TINY_TUNING, small_net(seed=1)),
    "frozen": ("fine_tuning", TINY_TUNING.but(frozen="block4"), "block2"),
    "epochs": ("from_scratch", TINY_SCRATCH, 4),
    "settle_epochs": ("from_scratch", TINY_SCRATCH, 2),
}
DESCRIBING_FIELDS = {"strategy", "body_lrs"}  # tested below: test_the_strategy_names_the_history, ..._body_lrs_...


def run(function: str, recipe, data) -> torch.nn.Module:
    model, _ = getattr(recipes, function)(data, None, seed=0, recipe=recipe)
    return model


def weights(model) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items() if v.is_floating_point()}


def test_every_field_is_tested():
    """A new Recipe field needs an entry above: what it changes, or where it is used."""
    assert {f.name for f in dataclasses.fields(recipes.Recipe)} == set(TRAINING_FIELDS) | DESCRIBING_FIELDS


@pytest.mark.parametrize("field", sorted(TRAINING_FIELDS))
def test_changing_a_field_changes_the_training(field, tiny_ds):
    function, recipe, other = TRAINING_FIELDS[field]
    assert getattr(recipe, field) != other
    base, changed = weights(run(function, recipe, tiny_ds)), weights(run(function, recipe.but(**{field: other}), tiny_ds))
    assert base.keys() != changed.keys() or any(not torch.equal(base[k], changed[k]) for k in base), \
        f"Recipe.{field} = {other!r} trained the same weights as {getattr(recipe, field)!r}: nothing reads it"


@pytest.mark.parametrize("function, recipe", [("tune", TINY_TUNING), ("from_scratch", TINY_SCRATCH)])
def test_batch_size_none_is_every_image_in_one_batch(function, recipe, tiny_ds):
    whole = weights(run(function, recipe.but(batch_size=None), tiny_ds))
    assert all(torch.equal(v, w) for v, w in zip(whole.values(),
                                                 weights(run(function, recipe.but(batch_size=len(tiny_ds)), tiny_ds)).values()))
    assert recipes.epochs_for(6, len(tiny_ds), None) == 6  # one step per epoch


def test_weight_decay_reaches_the_optimiser(tiny_ds, monkeypatch):
    seen = []
    real = tt.training.train.make_optimizer

    def spy(model, lr, optimizer, body_lr, weight_decay):
        seen.append(weight_decay)
        return real(model, lr, optimizer, body_lr, weight_decay)

    monkeypatch.setattr(tt.training.train, "make_optimizer", spy)
    run("from_scratch", TINY_SCRATCH.but(weight_decay=1e-4), tiny_ds)
    assert seen == [1e-4] * 2  # the two phases of fit_settled
    seen.clear()
    run("tune", TINY_TUNING.but(weight_decay=1e-4), tiny_ds)
    assert seen == [1e-4] * 2  # the head alone, then the head with what learns


def test_the_strategy_names_the_history(tiny_ds):
    for function, recipe in (("from_scratch", TINY_SCRATCH), ("feature_extraction", TINY_TUNING),
                             ("fine_tuning", TINY_TUNING)):
        _, history = getattr(recipes, function)(tiny_ds, None, seed=0, recipe=recipe.but(strategy="mine"))
        assert history.label == "mine", function
    assert recipes.FEATURE_EXTRACTION.strategy == "feature extraction" and recipes.FINE_TUNING.strategy == "fine-tuning"


def test_the_body_lrs_are_the_sweeps_grid():
    """Lesson 04 prints TUNING.body_lrs as the rates tried: the shipped table runs every one of them where the whole
    body learns, on the rows the grid names."""
    for task, n in sweep.FULL["lr_rows"]:
        ran = {run[4] for run in sweep.full_plan() if run[:4] == (task, n, sweep.CAREFUL, 0)}
        assert ran == set(recipes.TUNING.body_lrs), (task, n)
