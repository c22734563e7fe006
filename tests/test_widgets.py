"""The panels of tlteach.widgets, driven by setting their controls' values as a student's clicks would."""

import html

import pytest
import torch
from torch import nn

import tlteach as tt
from tlteach.panels.widgets import FilterExplorer, FreezePanel, freeze_bar_html, trainable_text


def small_cnn():
    return tt.SmallCNN(10)


def lite0():
    return tt.replace_head(tt.load_backbone("efficientnet_lite0", pretrained=False), 10)


def resnet18():
    return tt.load_backbone("resnet18", pretrained=False)


def mobilenet():
    return tt.load_backbone("mobilenet_v3_small", pretrained=False)


def group_flags(model) -> list:
    """Per group: True trainable, False frozen."""
    out = []
    for group in tt.models.layer_groups(model).values():
        flags = {p.requires_grad for p in group.parameters()}
        assert len(flags) == 1, "a group is partly frozen"
        out.append(flags.pop())
    return out


@pytest.mark.parametrize("make", [small_cnn, lite0, resnet18, mobilenet])
def test_freeze_panel_slider_freezes_the_model(make):
    model = make()
    panel = FreezePanel(model)
    groups = tt.models.group_names(model)
    assert panel.slider.value == 0 and all(group_flags(model))
    assert [label for label, _ in panel.slider.options] == ["nothing frozen"] + groups
    for k in [2, len(groups), 1, 0, len(groups) - 1]:  # forwards, to the end, and back again
        panel.slider.value = k
        assert group_flags(model) == [i >= k for i in range(len(groups))]
        total, trainable = tt.count_parameters(model), tt.count_parameters(model, trainable_only=True)
        assert f"Trainable: {trainable:,} of {total:,} parameters" in panel.count_text.value
        assert panel.bar.value.count("tlteach-frozen") == k
        assert panel.bar.value.count("tlteach-trainable") == len(groups) - k
    assert panel.bar.value.index(f"<b>{groups[0]}</b>") < panel.bar.value.index("<b>head</b>")  # depth order


def test_freeze_panel_text_for_lite0_feature_extraction():
    model = tt.freeze(lite0())  # everything but the head frozen before the panel is made
    panel = FreezePanel(model)
    assert panel.slider.value == len(tt.models.group_names(model)) - 1  # the panel shows the model's state
    assert "Trainable: 12,810 of 3,383,818 parameters (0.4 %)" in panel.count_text.value


def test_freeze_panel_shows_partly_frozen_and_refreshes():
    model = small_cnn()
    panel = FreezePanel(model)
    model.block2[0].weight.requires_grad_(False)  # changed outside the panel
    panel.refresh()
    assert "tlteach-partly-frozen" in panel.bar.value
    assert panel.slider.value == 0


def test_trainable_text_never_rounds_some_to_all():
    model = nn.Sequential(nn.Linear(1000, 1000), nn.Linear(1, 1))
    model[1].weight.requires_grad_(False)
    assert trainable_text(model).endswith("(> 99.9 %)")
    tt.i18n.set_language("ru")  # Russian writes 99,9 %: the guard reads the number, not its text
    try:
        assert trainable_text(model).endswith("(> 99,9 %)")
        model[1].weight.requires_grad_(True)
        model[0].requires_grad_(False)  # 2 of 1,001,002 learn
        assert trainable_text(model).endswith("(< 0,1 %)")
    finally:
        tt.i18n.set_language("en")
    assert "frozen" in freeze_bar_html(small_cnn()) and "input &#8594; output" in freeze_bar_html(small_cnn())


def test_freeze_panel_speaks_russian():
    tt.i18n.set_language("ru")
    try:
        panel = FreezePanel(small_cnn())
        assert "Обучается: 98\u00a0970 из 98\u00a0970 параметров" in panel.count_text.value
        assert panel.slider.description == "Заморозить до" and "заморожено" in panel.bar.value
    finally:
        tt.i18n.set_language("en")


def test_freeze_panel_rejects_unknown_models():
    with pytest.raises(tt.errors.TLTeachError, match="does not know"):
        FreezePanel(nn.Sequential(nn.Linear(2, 2)))


def test_train_button_runs_the_course_recipe_one_seed_per_click(monkeypatch, tiny_ds):
    calls = []
    real_tune = tt.recipes.tune

    def spy(train, val=None, seed=0, frozen=0, recipe=None):
        calls.append({"frozen": frozen, "seed": seed, "steps": recipe.steps})
        return real_tune(train, val, seed=seed, frozen=frozen, recipe=recipe)

    monkeypatch.setattr(tt.recipes, "tune", spy)
    model = tt.SmallCNN(3)
    panel = FreezePanel(model, tiny_ds, tiny_ds, recipe=tt.recipes.TUNING.but(steps=2, head_steps=1))
    panel.slider.value = 2
    panel.train_button.click()
    assert " ± " not in panel.runs_table.value   # one run has no spread: no "± 0.0 (n=1)"
    panel.train_button.click()
    assert calls == [{"frozen": 2, "seed": 0, "steps": 2}, {"frozen": 2, "seed": 1, "steps": 2}]
    assert "2 frozen, seed 1: validation <b>" in panel.result_text.value
    assert "<td>2</td>" in panel.runs_table.value and "interval" not in panel.runs_table.value  # nothing to compare
    panel.slider.value = 1
    panel.train_button.click()
    assert "train one more seed of each" in panel.runs_table.value and "minus the first row" in panel.runs_table.value
    panel.train_button.click()   # seeds 0 and 1 at both depths: paired seed by seed
    found = tt.repeats.paired([v for v, _ in panel.runs[0, 1]], [v for v, _ in panel.runs[0, 2]])
    assert html.escape(str(found)) in panel.runs_table.value and "of 2 seeds" in panel.runs_table.value
    assert "training minus validation" not in panel.runs_table.value   # a column that carried no information
    assert not panel.train_button.disabled and len(panel.runs[0, 2]) == 2


def test_recipe_menu_and_a_new_draw_of_photos_per_seed(tiny_ds, monkeypatch):
    """Without a recipe the menu offers the careful recipe and the plan's algorithm at each of its body learning
    rates; with per_class, seed k of every choice trains on the same k-th draw of photos."""
    calls = []
    real_tune = tt.recipes.tune

    def spy(train, val=None, seed=0, frozen=0, recipe=None):
        calls.append({"photos": train.index.tolist(), "head_steps": recipe.head_steps, "body_lr": recipe.body_lr})
        return real_tune(train, val, seed=seed, frozen=frozen, recipe=recipe.but(steps=2, head_steps=min(
            recipe.head_steps, 1)))

    monkeypatch.setattr(tt.recipes, "tune", spy)
    panel = FreezePanel(tt.SmallCNN(3), tiny_ds, tiny_ds, per_class=2)
    names = [name for name, _ in panel.recipe_menu.options]
    assert len(names) == 1 + len(tt.recipes.PLAN.body_lrs) and panel.recipe_menu in panel.children
    assert [recipe.head_steps > 0 for _, recipe in panel.choices] == [True] + [False] * len(tt.recipes.PLAN.body_lrs)
    panel.slider.value = 2
    panel.train_button.click()
    panel.train_button.click()
    panel.recipe_menu.value = 1
    panel.train_button.click()
    panel.train_button.click()
    assert [c["photos"] for c in calls[:2]] == [c["photos"] for c in calls[2:]]   # paired: the same draws
    assert calls[0]["photos"] != calls[1]["photos"]                                # a new draw per seed
    assert calls[2]["head_steps"] == 0 and calls[2]["body_lr"] == tt.recipes.PLAN.body_lrs[0]
    assert html.escape(names[1]) in panel.runs_table.value and "of 2 seeds" in panel.runs_table.value


def test_no_train_button_without_data():
    assert FreezePanel(tt.SmallCNN(3)).train_button is None


def test_train_button_leaves_the_panels_model_alone(tiny_ds):
    model = tt.freeze(tt.SmallCNN(3), up_to="block2")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    panel = FreezePanel(model, tiny_ds, tiny_ds, recipe=tt.recipes.TUNING.but(steps=2, head_steps=1))
    val_acc, train_acc = panel.train_one_run()
    assert 0 <= val_acc <= 1 and 0 <= train_acc <= 1 and "seed 0" in panel.result_text.value
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # each run trains a copy


@pytest.fixture(scope="module")
def lite0_explorer(pretrained, animals_val):
    return pretrained, FilterExplorer(pretrained, animals_val)  # the explorer only reads the model


def test_filter_explorer_redraws_on_every_control(lite0_explorer):
    model, explorer = lite0_explorer
    stem_weights = model.stem[0].weight.detach().clone()
    assert explorer.layer.value == "stem.0" and explorer.weights.value == "pretrained"
    assert explorer.image.value[:4] == b"\x89PNG"
    seen = [explorer.image.value]
    explorer.channel.value = 5
    seen.append(explorer.image.value)
    explorer.image_choice.value = 3
    seen.append(explorer.image.value)
    explorer.weights.value = "random init"
    seen.append(explorer.image.value)
    assert len(set(seen)) == 4  # every change gives a new picture
    assert torch.equal(model.stem[0].weight, stem_weights)  # the random copy left the real model alone
    explorer.weights.value = "pretrained"
    explorer.image_choice.value = 0
    explorer.channel.value = 0
    assert explorer.image.value == seen[0]  # deterministic: back to the start, same picture


def test_filter_explorer_layer_change_keeps_channel_in_range(lite0_explorer):
    _, explorer = lite0_explorer
    names = list(explorer.convs)
    assert "stem.0" in names and all(explorer.convs[n].kernel_size != (1, 1) for n in names)
    explorer.layer.value = "stage2.0.depthwise.0"
    assert explorer.channel.max == 95
    explorer.channel.value = 90
    before = explorer.image.value
    explorer.layer.value = "stem.0"  # 32 filters: the slider is clamped, the picture redrawn
    assert explorer.channel.value == 31 and explorer.image.value != before


@pytest.mark.parametrize("make", [small_cnn, resnet18])
def test_filter_explorer_other_models(make, animals_val):
    explorer = FilterExplorer(make(), [animals_val.images[0], animals_val.images[1]])
    assert explorer.weights.value == "this model"  # not "pretrained": SmallCNN and random ResNet are not
    assert explorer.channel.max == (15 if make is small_cnn else 63)
    first = explorer.image.value
    explorer.channel.value = 1
    assert explorer.image.value != first


def test_filter_explorer_random_init_is_seeded(animals_val):
    model = tt.SmallCNN(10)
    pictures = []
    for _ in range(2):
        explorer = FilterExplorer(model, animals_val.images[0])
        explorer.weights.value = "random init"
        pictures.append(explorer.image.value)
    assert pictures[0] == pictures[1]  # the same random filters every time


def test_filter_explorer_needs_images():
    with pytest.raises(tt.errors.TLTeachError, match="at least one image"):
        FilterExplorer(tt.SmallCNN(3), [])
