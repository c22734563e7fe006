"""The figures of tlteach.viz: they draw on real data, with the titles and labels a class reads."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

import tlteach as tt
from tlteach import viz


def texts(fig) -> str:
    """Every piece of text in a figure (titles of subfigures included), joined."""
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text())


def image_axes(fig) -> list:
    return [ax for ax in fig.get_axes() if ax.images]


@pytest.fixture(scope="module")
def few_val(animals_val):
    return tt.small_subset(animals_val, per_class=3)


def test_show_images_grid_with_class_names(animals_train):
    fig = viz.show_images(animals_train, n=7, seed=1)
    axes = image_axes(fig)
    assert len(axes) == 7
    assert all(ax.get_title() in animals_train.classes for ax in axes)
    assert "7 of 300 images" in fig._suptitle.get_text()
    assert fig.number not in plt.get_fignums()  # returned, not left open in pyplot (no double display)
    again = viz.show_images(animals_train, n=7, seed=1)
    assert [ax.get_title() for ax in image_axes(again)] == [ax.get_title() for ax in axes]  # seeded


def test_show_images_per_class(animals_train):
    fig = viz.show_images(animals_train, per_class=True)
    assert sorted(ax.get_title() for ax in image_axes(fig)) == sorted(animals_train.classes)
    assert "one image per class" in fig._suptitle.get_text()


def test_show_images_rejects_bad_input(animals_train):
    with pytest.raises(tt.errors.TLTeachError, match="n must be"):
        viz.show_images(animals_train, n=0)
    with pytest.raises(tt.errors.TLTeachError, match="needs a dataset"):
        viz.show_images(torch.zeros(3, 3, 8, 8))


ROWS = [{"epoch": e, "train_loss": 2 / e, "train_acc": 0.2 * e, "val_loss": 2.5 / e, "val_acc": 0.15 * e,
         "seconds": 1.0} for e in (1, 2, 3)]


class FakeHistory:
    def __init__(self, rows, label):
        self.rows, self.label = rows, label


def test_plot_history_two_runs_train_dashed_val_solid():
    fig = viz.plot_history(FakeHistory(ROWS, "scratch"), ROWS[:2], labels=["scratch", "pretrained"])
    loss_ax, acc_ax = fig.get_axes()
    assert "Loss" in loss_ax.get_title() and "Accuracy" in acc_ax.get_title()
    assert loss_ax.get_xlabel() == acc_ax.get_xlabel() == "epoch"
    assert acc_ax.get_ylabel() == "accuracy" and acc_ax.get_ylim() == (0, 1.02)
    styles = [line.get_linestyle() for line in acc_ax.get_lines()]
    assert styles == ["--", "-", "--", "-"]
    assert acc_ax.get_lines()[0].get_color() != acc_ax.get_lines()[2].get_color()  # one colour per run
    legend = [t.get_text() for t in acc_ax.get_legend().get_texts()]
    assert legend == ["scratch", "pretrained", "training (during the epoch)", "validation"]


def test_plot_history_in_russian():
    tt.i18n.set_language("ru")
    try:
        loss_ax, acc_ax = viz.plot_history(ROWS).get_axes()
    finally:
        tt.i18n.set_language("en")
    assert loss_ax.get_title() == "Потери (чем ниже, тем лучше)" and acc_ax.get_xlabel() == "эпоха"


def test_plot_history_without_validation():
    rows = [dict(r, val_loss=None, val_acc=float("nan")) for r in ROWS]
    fig = viz.plot_history(rows)
    assert [line.get_linestyle() for line in fig.get_axes()[1].get_lines()] == ["--"]
    assert [t.get_text() for t in fig.get_axes()[1].get_legend().get_texts()] == ["training (during the epoch)"]


def test_plot_history_redraws_live_axes_in_place():
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2)
    try:
        for epoch in (1, 2, 3):
            out = viz.plot_history(ROWS[:epoch], axes=(loss_ax, acc_ax))
            assert out is fig
            assert len(acc_ax.get_lines()) == 2  # cleared before redrawing, not stacked
            assert len(acc_ax.get_lines()[0].get_xdata()) == epoch
        assert plt.fignum_exists(fig.number)  # the live figure stays open
        viz.plot_history([], axes=(loss_ax, acc_ax))  # before the first epoch: empty, no error
    finally:
        plt.close(fig)


def test_plot_history_rejects_bad_input():
    with pytest.raises(tt.errors.TLTeachError, match="History"):
        viz.plot_history(3)
    with pytest.raises(tt.errors.TLTeachError, match="one label per history"):
        viz.plot_history(ROWS, labels=["a", "b"])
    with pytest.raises(tt.errors.TLTeachError, match="pair"):
        viz.plot_history(ROWS, axes="nope")


def test_show_filters_first_layer_rgb(pretrained):
    fig = viz.show_filters(pretrained)
    axes = image_axes(fig)
    assert len(axes) == 32
    assert axes[0].images[0].get_array().shape == (3, 3, 3)  # 3x3 pixels, RGB
    title = fig._suptitle.get_text()
    assert "stem.0" in title and "32 of 32 filters" in title and "colour" in title
    patch = axes[5].images[0].get_array()
    assert patch.min() == pytest.approx(0) and patch.max() == pytest.approx(1)  # min-max per filter


def test_show_filters_resnet_conv_and_deeper_layers(pretrained):
    resnet = tt.load_backbone("resnet18", pretrained=False)
    fig = viz.show_filters(resnet, n=8)
    assert len(image_axes(fig)) == 8 and image_axes(fig)[0].images[0].get_array().shape == (7, 7, 3)
    deeper = viz.show_filters(pretrained, layer="stage3", n=12)  # a group: its first spatial conv
    assert "depthwise" in deeper._suptitle.get_text() and image_axes(deeper)[0].images[0].get_array().shape == (5, 5)
    mean = viz.show_filters(resnet.layer1[0].conv1, n=4)  # an nn.Conv2d directly, 64 inputs
    assert "mean over 64 input channels" in mean._suptitle.get_text()
    pointwise = viz.show_filters(pretrained, layer="stage3.0.expand.0", n=4)
    assert image_axes(pointwise)[0].images[0].get_array().shape == (5, 5)  # 24 inputs -> a 5x5 grid


def test_show_filters_errors(pretrained):
    with pytest.raises(tt.errors.TLTeachError, match="stem, stage1"):
        viz.show_filters(pretrained, layer="stage99")
    with pytest.raises(tt.errors.TLTeachError, match="no nn.Conv2d"):
        viz.show_filters(nn.Linear(3, 3))


def test_show_feature_maps_default_layers(pretrained, animals_val):
    fig = viz.show_feature_maps(pretrained, animals_val.images[0], n=4)
    text = texts(fig)
    for expected in ("stem: 32 channels, 32×32", "stage3: 40 channels, 8×8", "stage6: 192 channels, 2×2",
                     "input image"):
        assert expected in text
    assert len(image_axes(fig)) == 1 + 3 * 4


def test_show_feature_maps_small_cnn_float_image(animals_val):
    model = tt.SmallCNN(10)
    image = animals_val.images[1].float() / 255
    fig = viz.show_feature_maps(model, image, layers="block2", n=5)
    assert "block2: 32 channels, 16×16" in texts(fig)
    assert tt.inspection.default_feature_layers(model) == ["block1", "block2", "block3"]
    with pytest.raises(tt.errors.TLTeachError, match="block1, block2"):
        viz.show_feature_maps(model, image, layers=["stage3"])
    with pytest.raises(tt.errors.TLTeachError, match="earlier layer"):
        viz.show_feature_maps(model, image, layers=["head"])


def test_show_filter_response(pretrained, animals_val):
    fig = viz.show_filter_response(pretrained, animals_val.images[0], layer="stem.0", channel=3)
    assert len(image_axes(fig)) == 3
    assert "filter 3 of 32" in fig._suptitle.get_text()
    response = image_axes(fig)[2].images[0].get_array()
    assert response.shape == (32, 32)  # stride 2 on a 64 px image
    with pytest.raises(tt.errors.TLTeachError, match="0 ... 31"):
        viz.show_filter_response(pretrained, animals_val.images[0], channel=32)


def test_plot_confusion_counts_and_class_names(few_val):
    model = tt.SmallCNN(10)
    fig = viz.plot_confusion(model, few_val)
    ax = fig.get_axes()[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == few_val.classes
    assert [t.get_text() for t in ax.get_yticklabels()] == few_val.classes
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    counts = ax.images[0].get_array()
    assert counts.sum() == len(few_val) and counts.shape == (10, 10)
    accuracy = tt.evaluate(model, few_val)["accuracy"]
    assert ax.get_title().startswith(f"Accuracy {100 * accuracy:.1f} %")
    with pytest.raises(tt.errors.TLTeachError, match="replace_head"):
        viz.plot_confusion(tt.SmallCNN(3), few_val)


def test_show_predictions_on_a_dataset(few_val):
    model = tt.SmallCNN(10)
    fig = viz.show_predictions(model, few_val, k=3, n=2)
    axes = fig.get_axes()
    assert len(axes) == 4
    bars = axes[1]
    assert len(bars.patches) == 3
    assert all(t.get_text() in few_val.classes for t in bars.get_yticklabels())
    assert axes[0].get_title().startswith("true: ")


def test_show_predictions_imagenet_model_on_a_dataset(pretrained, few_val):
    fig = viz.show_predictions(pretrained, few_val, k=2, n=1)  # 1000 ImageNet classes, 10 true classes
    assert all(t.get_text() in pretrained.classes for t in fig.get_axes()[1].get_yticklabels())
    assert fig.get_axes()[0].get_title().startswith("true: ") and "green" not in fig._suptitle.get_text()


def test_show_predictions_imagenet_photos(pretrained, animals_val):
    fig = viz.show_predictions(pretrained, [animals_val.images[0], animals_val.images[40]], k=2)
    bars = fig.get_axes()[1]
    names = [t.get_text() for t in bars.get_yticklabels()]
    assert len(names) == 2 and all(n in pretrained.classes for n in names)
    many = viz.show_predictions(tt.SmallCNN(10), animals_val.images[:15], k=1)
    assert len(many.get_axes()) == 24 and "first 12 of 15" in many._suptitle.get_text()


def test_plot_embedding_pca():
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(60) % 3
    features = torch.randn(60, 20, generator=g) * 0.1
    features[:, 0] += labels * 5.0  # the classes differ along one direction
    fig = viz.plot_embedding(features, labels, ["a", "b", "c"])
    ax = fig.get_axes()[0]
    assert "PC 1 (" in ax.get_xlabel() and "% of variance" in ax.get_ylabel()
    explained = float(ax.get_xlabel().split("(")[1].split(" ")[0])
    assert explained > 90
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    points, ratio = tt.inspection.pca_2d(features.numpy())
    assert points.shape == (60, 2) and math.isclose(ratio[0], explained / 100, abs_tol=1e-3)
    again, _ = tt.inspection.pca_2d(features)
    assert np.allclose(points, again)  # same signs every time
    with pytest.raises(tt.errors.TLTeachError, match="one label per image"):
        viz.plot_embedding(features, labels[:5], ["a", "b", "c"])


# ----------------------------------------------------------------------------- the algorithm in four steps
def step_boxes(fig) -> dict:
    """{(row, group name): (face colour as hex, alpha, dashed?, second line of the box)} of plot_transfer_steps.

    Rows are counted from the top (0 = step 1); a box is found by the bold group name at its centre.
    """
    from matplotlib.colors import to_hex
    from matplotlib.patches import FancyBboxPatch

    ax = fig.get_axes()[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch) and p.get_height() > 0.5]
    rows = sorted({round(p.get_y(), 3) for p in boxes}, reverse=True)
    found = {}
    for p in boxes:
        x, y, w, h = p.get_x(), p.get_y(), p.get_width(), p.get_height()
        inside = [t for t in ax.texts if x < t.get_position()[0] < x + w and y < t.get_position()[1] < y + h]
        name = next(t.get_text() for t in inside if t.get_fontweight() == "bold")
        second = [t.get_text() for t in inside if t.get_fontweight() != "bold"]
        found[rows.index(round(y, 3)), name] = (to_hex(p.get_facecolor(), keep_alpha=False), p.get_alpha() or 1.0,
                                                p.get_linestyle() not in ("-", "solid"), second[0] if second else "")
    return found


def row_notes(fig) -> list:
    """The heading and the note at the left of each step, top to bottom."""
    ax = fig.get_axes()[0]
    left = sorted((t for t in ax.texts if t.get_position()[0] < 1), key=lambda t: -t.get_position()[1])
    return [t.get_text() for t in left]


def test_transfer_steps_follow_the_model(lite0):
    blue, orange = viz.FROZEN_COLOR, viz.TRAINABLE_COLOR
    names = tt.models.group_names(lite0)

    fig = viz.plot_transfer_steps(lite0)  # step 1 only: pretrained, ImageNet head, nothing frozen
    boxes, notes = step_boxes(fig), row_notes(fig)
    assert len(boxes) == 4 * len(names) == 36
    assert boxes[0, "stem"][0] == viz.PRETRAINED_COLOR and boxes[0, "head"][3] == "1000 classes"
    assert boxes[1, "head"][2] and "not yet" in notes[3]             # step 2 not done: dashed, with the call
    assert "nothing frozen" in notes[5] and all(boxes[2, n][0] == orange for n in names)
    assert "every group learns" in notes[7]
    plt.close(fig)

    tt.replace_head(lite0, 10)
    boxes = step_boxes(viz.plot_transfer_steps(lite0))
    assert boxes[1, "head"][3] == "10 classes" and not boxes[1, "head"][2]   # the new head, drawn solid
    assert boxes[0, "head"][3] == "1000 classes"                            # step 1 still shows where it came from

    tt.freeze(lite0)  # feature extraction
    fig = viz.plot_transfer_steps(lite0)
    boxes, notes = step_boxes(fig), row_notes(fig)
    assert [boxes[2, n][0] for n in names] == [blue] * 8 + [orange]
    assert [boxes[3, n][3] for n in names[:-1]] == ["fixed"] * 8 and boxes[3, "head"][3] == "13 k"
    assert all(boxes[3, n][1] < 1 for n in names[:-1]) and boxes[3, "head"][1] == 1.0
    assert "8 of 9 groups frozen" in notes[5] and notes[7].startswith("feature extraction")
    assert "12,810 of 3,383,818 parameters learn" in fig._suptitle.get_text()

    tt.unfreeze(lite0, from_="stage6")  # fine-tuning from stage6
    fig = viz.plot_transfer_steps(lite0)
    boxes, notes = step_boxes(fig), row_notes(fig)
    assert [boxes[2, n][0] for n in names] == [blue] * 6 + [orange] * 3
    assert [boxes[2, n][3] for n in names] == ["frozen"] * 6 + ["trainable"] * 3
    assert "6 of 9 groups frozen" in notes[5] and notes[7].startswith("fine-tuning from stage6")

    tt.unfreeze(lite0, 2)  # a group half frozen is grey, as in FreezePanel
    list(tt.models.layer_groups(lite0)["stage3"].parameters())[0].requires_grad_(False)
    boxes = step_boxes(viz.plot_transfer_steps(lite0))
    assert boxes[2, "stage3"][0] == viz.PARTLY_COLOR == tt.widgets.PARTLY_COLOR
    assert boxes[2, "stage3"][3] == "partly frozen"


def test_transfer_steps_of_a_network_trained_from_scratch():
    fig = viz.plot_transfer_steps(tt.SmallCNN(10))
    boxes, notes = step_boxes(fig), row_notes(fig)
    assert {name for _row, name in boxes} == {"block1", "block2", "block3", "block4", "head"}
    assert boxes[0, "block1"][0] == "#ffffff" and boxes[0, "block1"][2]   # no pretrained body: white, dashed
    assert "random weights" in notes[1]
    with pytest.raises(tt.errors.TLTeachError, match="does not know"):
        viz.plot_transfer_steps(nn.Sequential(nn.Linear(3, 3)))


def test_transfer_steps_in_russian(lite0):
    tt.replace_head(lite0, 10)
    tt.unfreeze(lite0, from_="stage6")
    tt.i18n.set_language("ru")
    try:
        fig = viz.plot_transfer_steps(lite0)
    finally:
        tt.i18n.set_language("en")
    text = texts(fig)
    for expected in ("1. Предобученное тело", "2. Новая «голова»", "3. Заморозка", "4. Дообучение", "заморожено",
                     "дообучение с stage6"):
        assert expected in text
