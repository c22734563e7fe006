"""Interactive panels for the lessons (core ipywidgets only: they work in JupyterLab and Colab).

    >>> tt.FreezePanel(model)                       # slide to freeze more or fewer layer groups
    >>> tt.FilterExplorer(tt.load_backbone(), val)  # a filter, and what it responds to in an image

Each panel changes or reads the real model, and each has a plain function that draws
the same thing as a static figure (`tt.trainable_summary`, `tt.show_filter_response`).
"""
from __future__ import annotations

import copy
import html
import io
import time

import ipywidgets as widgets
import torch
from torch import nn

from ..errors import TLTeachError
from ..models.freezing import freeze, frozen_prefix, group_status
from ..i18n import N_, class_name, number, percent, tr
from ..models.inspection import conv_response, random_copy, spatial_conv_layers
from ..models.groups import count_parameters, layer_groups
from ..figures import FROZEN_COLOR, PARTLY_COLOR, TRAINABLE_COLOR, show_filter_response
from ..figures.style import WRONG_COLOR
from ..data.datasets import small_subset
from ..experiments import recipes
from ..experiments.recipes import PLAN, TUNING
from ..experiments.repeats import mean_sd, paired
from ..experiments.runner import Run, run_experiment
from ..experiments.step_size import setting_name
from ..experiments.sweep import CAREFUL, PLAN as PLAN_KEY
from ..training.inference import accuracy, dataset_scores

BIG = "font-size: 1.25em"


def _short_count(n: int) -> str:
    return tr("{n}M", n=number(n / 1e6, 1)) if n >= 1e6 else (tr("{n}k", n=number(n / 1e3)) if n >= 1e3 else str(n))


def freeze_bar_html(model: nn.Module) -> str:
    """HTML for a bar with one box per layer group, input on the left: blue frozen, orange trainable."""
    boxes = []
    for name, group in layer_groups(model).items():
        status = group_status(group)
        color = {"frozen": FROZEN_COLOR, "trainable": TRAINABLE_COLOR}.get(status, PARTLY_COLOR)
        text = "white" if status != "trainable" else "black"
        params = count_parameters(group)
        boxes.append(
            f'<div class="tlteach-group tlteach-{status.replace(" ", "-")}" title="{name}: {number(params)} {tr("parameters")}, {tr(status)}" '
            f'style="flex: 1; background: {color}; color: {text}; padding: 6px 2px; text-align: center; '
            f'border-right: 2px solid white; line-height: 1.25">'
            f'<b>{html.escape(tr(name))}</b><br><span style="font-size: 0.85em">{_short_count(params)}</span></div>'
        )
    legend = (f'<span style="color: {FROZEN_COLOR}">&#9632;</span> {tr("frozen")} &nbsp; '
              f'<span style="color: {TRAINABLE_COLOR}">&#9632;</span> {tr("trainable")} &nbsp; '
              f'<span style="color: #666">{tr("input")} &#8594; {tr("output")}</span>')
    return (f'<div style="{BIG}"><div style="display: flex; width: 100%; border-radius: 4px; overflow: hidden">'
            f'{"".join(boxes)}</div><div style="margin-top: 4px; font-size: 0.85em">{legend}</div></div>')


def trainable_text(model: nn.Module) -> str:
    """"Trainable: 12,810 of 3,383,818 parameters (0.4 %)"."""
    total, trainable = count_parameters(model), count_parameters(model, trainable_only=True)
    share = percent(trainable / max(total, 1))
    shown = round(100 * trainable / max(total, 1), 1)
    if 0 < trainable < total and shown in (0.0, 100.0):  # never round "some" to "none" or "all"
        share = f"< {number(0.1, 1)} %" if shown == 0.0 else f"> {number(99.9, 1)} %"
    return f"{tr('Trainable')}: {number(trainable)} {tr('of')} {number(total)} {tr('parameters')} ({share})"


class FreezePanel(widgets.VBox):
    """Freeze the layer groups of a model up to a point, and see how many parameters still learn.
    Lesson 04 (and lesson 00).

    Moving the slider calls `tt.freeze(model, up_to=k)` on the model itself (k groups frozen
    from the input; 0 = nothing frozen). With `train` and `val`, a button trains one run frozen as
    the slider says, starting from the model's weights with a new head, by the recipe the menu
    picks: the course's careful recipe (`tt.recipes.TUNING`: the head first, then the body slowly)
    or the lesson plan's algorithm (`tt.recipes.PLAN`: head and body together, at one of its body
    learning rates). Each click is one more seed of that recipe and depth; with `per_class`, seed k
    draws its own `per_class` photos of each class from `train`, the same photos for every recipe
    and depth, so every choice is compared seed by seed with the first one trained
    (`tt.repeats.paired`: mean difference, 95 % interval, ahead on k of n seeds, verdict).

    >>> panel = tt.FreezePanel(model, train, val, per_class=5)
    >>> panel            # the last line of a cell shows it; panel.slider.value = 3 works too
    """

    def __init__(self, model: nn.Module, train=None, val=None, recipe=None, per_class=None):
        self.model = model
        self.train_data, self.val_data, self.per_class = train, val, per_class
        start = copy.deepcopy(model)  # every run starts from the model's weights as they are now
        choices = [(recipe.strategy, recipe)] if recipe is not None else (
            [(setting_name(CAREFUL, TUNING.body_lr), TUNING)]
            + [(setting_name(PLAN_KEY, lr), PLAN.but(body_lr=lr)) for lr in PLAN.body_lrs])
        self.choices = [(name, chosen.but(backbone=start)) for name, chosen in choices]
        self.groups = list(layer_groups(model))  # raises a clear TLTeachError for unknown models
        self.finished = []  # every run the button trained, in order (tt.runner.Run: recipe, frozen, seed, accuracies)
        options = [(tr("nothing frozen"), 0)] + [(name, i + 1) for i, name in enumerate(self.groups)]
        self.slider = widgets.SelectionSlider(
            options=options, value=frozen_prefix(model), description=tr("Freeze up to"),
            continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="95%"))
        self.count_text = widgets.HTML()
        self.count_text.add_class("tlteach-count")
        self.bar = widgets.HTML(layout=widgets.Layout(width="95%"))
        self.bar.add_class("tlteach-bar")
        title = widgets.HTML(f'<div style="{BIG}"><b>{tr("Which layer groups learn?")}</b> '
                             f'{tr("{model}, {n} groups", model=type(model).__name__, n=len(self.groups))}</div>')
        children = [title, self.slider, self.count_text, self.bar]
        self.result_text = widgets.HTML()
        self.runs_table = widgets.HTML()
        self.train_button = self.recipe_menu = None
        if train is not None:
            self.recipe_menu = widgets.Dropdown(options=[(name, i) for i, (name, _) in enumerate(self.choices)],
                                                value=0, description=tr("Recipe"), layout=widgets.Layout(width="95%"),
                                                style={"description_width": "initial"})
            self.train_button = widgets.Button(description=tr("Train one run"), button_style="warning",
                                               icon="play", layout=widgets.Layout(width="180px"))
            self.train_button.on_click(lambda _button: self.train_one_run())
            if len(self.choices) > 1:
                children.append(self.recipe_menu)
            children += [widgets.HBox([self.train_button, self.result_text]), self.runs_table]
        super().__init__(children)
        self.add_class("tlteach-freeze-panel")
        self.slider.observe(self._on_slider, names="value")
        self.refresh()

    def _on_slider(self, change) -> None:
        freeze(self.model, up_to=int(change["new"]))
        self.refresh()

    def refresh(self) -> None:
        """Redraw the count and the bar from the model (after changing it outside the panel)."""
        self.count_text.value = f'<div style="{BIG}"><b>{trainable_text(self.model)}</b></div>'
        self.bar.value = freeze_bar_html(self.model)

    @property
    def runs(self) -> dict:
        """The finished runs by choice: {(recipe, frozen groups): [(validation accuracy, training accuracy), ...]},
        one per seed, in the order the choices were first trained."""
        grouped = {}
        for run in self.finished:
            grouped.setdefault((run.row["recipe"], run.row["frozen"]), []).append((run.row["val_acc"],
                                                                                    run.row["train_acc"]))
        return grouped

    def photos(self, seed: int):
        """The training photos of seed `seed`: its own draw of `per_class` per class, or all of `train`."""

        return self.train_data if self.per_class is None else small_subset(self.train_data, self.per_class, seed=seed)

    def _arm_name(self, arm) -> str:
        choice, frozen = arm
        return tr("{recipe}, {k} frozen", recipe=self.choices[choice][0], k=frozen)

    def train_one_run(self):
        """What the button does: one run of the chosen recipe, frozen as the slider says, with its next seed.

        Returns the run's (validation accuracy, training accuracy).
        """

        frozen = min(int(self.slider.value), len(self.groups) - 1)  # the head always learns
        arm = (self.recipe_menu.value if self.recipe_menu is not None else 0, frozen)
        seed = len(self.runs.get(arm, []))
        if self.train_button is not None:
            self.train_button.disabled = True
        self.result_text.value = f'<span style="{BIG}">{tr("training (seed {seed})...", seed=seed)}</span>'

        def train_one(setting, seed):
            photos, start = self.photos(seed), time.perf_counter()
            model, _ = recipes.tune(photos, None, seed=seed, frozen=setting["frozen"],
                                    recipe=self.choices[setting["recipe"]][1])
            val_acc, train_acc = (accuracy(dataset_scores(model, ds), ds.labels) for ds in (self.val_data, photos))
            return Run(dict(setting, seed=seed, val_acc=val_acc, train_acc=train_acc,
                            seconds=time.perf_counter() - start))

        try:  # the course's one runner: one setting, one seed (the Stop button keeps nothing half-trained)
            finished = run_experiment([{"recipe": arm[0], "frozen": frozen}], [seed], train_one,
                                      describe=lambda setting: self._arm_name(arm))
        except TLTeachError as err:
            self.result_text.value = f'<span style="color: {WRONG_COLOR}">{html.escape(str(err))}</span>'
            return None
        finally:
            if self.train_button is not None:
                self.train_button.disabled = False
        if not finished:
            return None
        self.finished += finished
        row = finished[0].row
        measured = (row["val_acc"], row["train_acc"])
        self.result_text.value = (f'<span style="{BIG}">' + tr(
            "{k} frozen, seed {seed}: validation <b>{val} %</b>, training {train} % ({t} s)", k=frozen, seed=seed,
            val=number(100 * measured[0], 1), train=number(100 * measured[1], 1),
            t=number(row["seconds"], 1)) + "</span>")
        self.runs_table.value = self._table_html()
        return measured

    def _table_html(self) -> str:
        """Per recipe and depth: validation accuracy (mean, n), and its paired difference from the first one trained.

        Seed k of every choice trains on the same photos with the same new head, so the choices are compared seed by
        seed (`tt.repeats.paired`, on the seeds both have): the mean difference, its 95 % interval and k of n.
        """

        runs = self.runs
        reference = next(iter(runs))
        head = (f"<tr><th>{tr('recipe and frozen groups')}</th><th>{tr('validation accuracy')}</th><th>n</th>"
                f"<th>{tr('minus the first row, seed by seed')}</th></tr>")
        rows = []
        for arm, measured in runs.items():
            values = [v for v, _ in measured]
            shared = min(len(values), len(runs[reference]))
            if arm == reference:
                difference = ""
            elif shared < 2:
                difference = tr("train one more seed of each to compare")
            else:
                difference = html.escape(str(paired(values[:shared], [v for v, _ in runs[reference]][:shared])))
            rows.append(f"<tr><td>{html.escape(self._arm_name(arm))}</td><td>{number(100 * mean_sd(values)[0], 1)} %"
                        f"</td><td>{len(values)}</td><td>{difference}</td></tr>")
        return f'<table style="{BIG};border-collapse:separate;border-spacing:14px 4px">{head}{"".join(rows)}</table>'


def _image_list(images, limit: int = 20) -> tuple:
    """(list of images, dropdown labels): a dataset gives one image per class first, then more."""
    if hasattr(images, "images") and hasattr(images, "labels"):
        per_class = [torch.nonzero(images.labels == c).flatten().tolist() for c in range(len(images.classes))]
        order = ([idx[0] for idx in per_class if idx] + [idx[1] for idx in per_class if len(idx) > 1])[:limit]
        return ([images.images[i] for i in order],
                [f"{k}: {class_name(images.classes[int(images.labels[i])])}" for k, i in enumerate(order)])
    if isinstance(images, torch.Tensor) and images.ndim == 3:
        images = [images]
    images = list(images)[:limit]
    if not images:
        raise TLTeachError(tr("FilterExplorer needs at least one image, e.g. FilterExplorer(model, val)."))
    return images, [tr("image {k}", k=k) for k in range(len(images))]


class FilterExplorer(widgets.VBox):
    """Pick a convolution layer, one of its filters and an image: see the filter and its response.
    Lesson 02.

    A toggle swaps the model's weights for random ones: pretrained filters show colour and
    edge patterns, random ones are noise.

    >>> explorer = tt.FilterExplorer(tt.load_backbone(), val)
    >>> explorer.channel.value = 5      # or move the slider
    """

    def __init__(self, model: nn.Module, images, dpi: int = 80):
        self.model = model
        self.dpi = dpi
        self.images, labels = _image_list(images)
        self.convs = spatial_conv_layers(model)
        if not self.convs:
            raise TLTeachError(tr("{kind} has no convolution layer to explore.", kind=type(model).__name__))
        self._random_model = None
        self._cache = {}
        first = next(iter(self.convs))
        self.layer = widgets.Dropdown(options=[(self._layer_label(n, c), n) for n, c in self.convs.items()],
                                      value=first, description=tr("Layer"), layout=widgets.Layout(width="420px"))
        self.channel = widgets.IntSlider(value=0, min=0, max=self.convs[first].out_channels - 1,
                                         description=tr("Filter"), continuous_update=False,
                                         layout=widgets.Layout(width="420px"))
        self.image_choice = widgets.Dropdown(options=list(zip(labels, range(len(labels)))), value=0,
                                             description=tr("Image"))
        given = N_("pretrained") if getattr(model, "pretrained", False) else N_("this model")
        self.weights = widgets.ToggleButtons(options=[(tr(given), given), (tr("random init"), N_("random init"))],
                                             value=given, style={"button_width": "110px"})
        self.image = widgets.Image(format="png")
        self.image.add_class("tlteach-filter-image")
        controls = widgets.VBox([widgets.HBox([self.layer, self.image_choice]), widgets.HBox([self.channel, self.weights])])
        super().__init__([controls, self.image])
        self.add_class("tlteach-filter-explorer")
        self._updating = False
        for control in (self.layer, self.channel, self.image_choice, self.weights):
            control.observe(self._on_change, names="value")
        self.redraw()

    @staticmethod
    def _layer_label(name: str, conv: nn.Conv2d) -> str:
        k = "x".join(str(s) for s in conv.kernel_size)
        kind = "RGB" if conv.in_channels == 3 else (tr("depthwise") if conv.groups == conv.in_channels
                                                   else tr("{n} in", n=conv.in_channels))
        return tr("{name} ({count} filters, {k}, {kind})", name=name, count=conv.out_channels, k=k, kind=kind)

    def current_model(self) -> nn.Module:
        """The model drawn now: the given one, or its randomly initialised copy."""
        if self.weights.value != "random init":
            return self.model
        if self._random_model is None:
            self._random_model = random_copy(self.model)
        return self._random_model

    def _on_change(self, change) -> None:
        if self._updating:
            return
        if change["owner"] is self.layer:
            self._updating = True
            try:  # a layer with fewer filters: keep the slider in range
                self.channel.max = self.convs[self.layer.value].out_channels - 1
            finally:
                self._updating = False
        self.redraw()

    def redraw(self) -> None:
        """Draw the figure for the current choices into the panel's image."""
        model, layer, index = self.current_model(), self.layer.value, self.image_choice.value
        key = (self.weights.value, layer, index)
        if key not in self._cache:  # the response of all filters: moving the slider only redraws
            self._cache = {key: conv_response(model, self.images[index], layer)}
        fig = show_filter_response(model, self.images[index], layer, self.channel.value, response=self._cache[key],
                                   title=tr("{layer}: filter {channel} ({weights})", layer=layer,
                                           channel=self.channel.value, weights=tr(self.weights.value)))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=self.dpi)
        self.image.value = buffer.getvalue()
