"""Lesson 07's box: write a description per class, or a sentence, and see what the encoder makes of it.

    >>> box = tt.panels.describe.DescriptionBox(descriptions, classes, (emails, labels))
    >>> box.sentence.value = "The zip broke after one day."      # the nearest class appears at once

Core ipywidgets only. Its plain-function equivalents: `tt.text.nearest(sentence, descriptions)` and
`tt.text.zero_shot(texts, descriptions)` with `tt.text.accuracy`.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..errors import TLTeachError
from ..figures.style import WRONG_COLOR
from ..i18n import class_name, number, tr
from ..text.classify import accuracy, nearest, zero_shot
from ..text.encoders import DEFAULT

BIG = "font-size:1.15em"


class DescriptionBox(widgets.VBox):
    """One text field per class description, one for a sentence; shows the nearest class and the accuracy."""

    def __init__(self, descriptions, classes, test=None, encoder=DEFAULT,
                 sentence: str = "The handle came off after two days."):
        descriptions, classes = list(descriptions), list(classes)
        if len(descriptions) != len(classes):
            raise TLTeachError(tr("Give one description per class: {n} descriptions, {classes} classes.",
                                  n=len(descriptions), classes=len(classes)))
        self.classes, self.test, self.encoder = classes, test, encoder
        self.fields = [widgets.Text(value=d, description=class_name(c), continuous_update=False,
                                    style={"description_width": "160px"}, layout=widgets.Layout(width="720px"))
                       for d, c in zip(descriptions, classes)]
        self.sentence = widgets.Text(value=sentence, description=tr("a sentence"), continuous_update=False,
                                     style={"description_width": "160px"}, layout=widgets.Layout(width="720px"))
        self.result = widgets.HTML()
        self.score = widgets.HTML()
        for field in self.fields + [self.sentence]:
            field.observe(self._update, names="value")
        super().__init__([widgets.HTML(f'<div style="{BIG}"><b>{tr("Class descriptions")}</b></div>'), *self.fields,
                          self.score, self.sentence, self.result])
        self._update()

    @property
    def descriptions(self) -> list:
        return [f.value for f in self.fields]

    def _update(self, _change=None) -> None:
        try:
            index, scores = nearest(self.sentence.value, self.descriptions, self.encoder)
            if self.test is not None:
                acc = accuracy(zero_shot(self.test[0], self.descriptions, self.encoder), self.test[1])
                self.score.value = f'<div style="{BIG}">' + html.escape(tr(
                    "with these descriptions: {acc} % of the {n} test e-mails right", acc=number(100 * acc, 1),
                    n=len(self.test[1]))) + "</div>"
        except TLTeachError as err:
            self.result.value = f'<div style="{BIG};color:{WRONG_COLOR}">{html.escape(str(err))}</div>'
            return
        lines = [f"{'<b>' if i == index else ''}{html.escape(class_name(c))}: {number(s, 2)}{'</b>' if i == index else ''}"
                 for i, (c, s) in enumerate(zip(self.classes, scores))]
        self.result.value = (f'<div style="{BIG}">' + html.escape(tr("nearest class: {name}",
                                                                      name=class_name(self.classes[index])))
                             + "<br>" + html.escape(tr("cosine similarity to each description:")) + " "
                             + " · ".join(lines) + "</div>")
