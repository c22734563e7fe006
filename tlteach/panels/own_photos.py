"""Your own photos: name 2-5 classes, upload a few photos of each, train a new head on the frozen
pretrained body in seconds, then classify a new photo. Lesson 03, "Try it on your own things".

    >>> panel = tt.own_photos.OwnPhotos()   # the last line of a cell shows it
    >>> panel

Core ipywidgets only (FileUpload), so it works in JupyterLab and in Colab (ipywidgets 7 and 8).
A file that is not a usable photo (a PDF, a damaged or a huge image), an empty class or a class with one
photo gets a one-line message and is left out; nothing a student uploads raises an error.
The same steps without the panel: `add_photos`, `train`, `classify` (what the buttons call).
"""
from __future__ import annotations

import base64
import html
import io
import time

import ipywidgets as widgets
import torch
from PIL import Image, UnidentifiedImageError

from ..errors import TLTeachError
from ..figures.style import TRAINABLE_COLOR, WRONG_COLOR
from ..i18n import number, percent, tr, trn
from ..training.inference import probabilities
from ..data.preprocess import prepare
from ..experiments.recipes import feature_extraction, pretrained_backbone
from ..data.datasets import ImageDataset

MIN_CLASSES, MAX_CLASSES = 2, 5
MIN_PHOTOS = 2  # per class: with one photo the head learns that photo, not the class
MAX_BYTES = 20 * 2**20  # a file larger than this is not a phone photo
MAX_PIXELS = 40_000_000  # 40 megapixels: larger images are refused before they are decoded
SIZE = 128  # the lessons' photo size
THUMB = 64
BIG = "font-size: 1.15em"
BAR_COLOR = TRAINABLE_COLOR  # the bars of a photo's top 3 (matplotlib's orange)


def uploaded_files(value) -> list:
    """[(file name, bytes)] from a FileUpload's value: ipywidgets 8 gives a tuple of dicts
    ({"name", "content", ...}), ipywidgets 7 a dict {name: {"metadata": {...}, "content": bytes}}."""
    if not value:
        return []
    if isinstance(value, dict):  # ipywidgets 7
        return [(str(name), bytes(item.get("content", b""))) for name, item in value.items()]
    return [(str(item.get("name", "?")), bytes(item.get("content", b""))) for item in value]


def read_photo(name: str, data: bytes, size: int = SIZE) -> torch.Tensor:
    """An uploaded file as a uint8 3 x size x size photo, or a TLTeachError saying in one line why not."""
    if len(data) > MAX_BYTES:
        raise TLTeachError(tr("{name}: too large ({mb} MB); use a photo under {limit} MB.", name=name,
                              mb=f"{len(data) / 2**20:.0f}", limit=MAX_BYTES // 2**20))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise TLTeachError(tr("{name}: too many pixels ({w} x {h}); use a smaller photo.", name=name,
                                      w=image.width, h=image.height))
            return prepare(image, size)
    except TLTeachError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise TLTeachError(tr("{name}: not a photo (use .jpg or .png).", name=name)) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise TLTeachError(tr("{name}: the file is damaged and cannot be read.", name=name)) from None


def _thumbnail(photo: torch.Tensor) -> str:
    image = Image.fromarray(photo.permute(1, 2, 0).numpy()).resize((THUMB, THUMB))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    data = base64.b64encode(buffer.getvalue()).decode()
    return (f'<img src="data:image/jpeg;base64,{data}" width="{THUMB}" height="{THUMB}" '
            f'style="margin: 2px; border-radius: 3px">')


def bars_html(ranked) -> str:
    """Horizontal bars for [(class name, probability)], most likely first."""
    rows = []
    for name, p in ranked:
        rows.append(
            f'<div class="tlteach-bar-row" style="display: flex; align-items: center; margin: 3px 0; {BIG}">'
            f'<div style="width: 9em; text-align: right; padding-right: 8px">{html.escape(name)}</div>'
            f'<div style="width: 260px; background: #eee; border-radius: 3px">'
            f'<div style="width: {max(1.0, 100 * p):.0f}%; background: {BAR_COLOR}; height: 1.1em; border-radius: 3px">'
            f'</div></div><div style="padding-left: 8px; width: 4em">{percent(p, 0)}</div></div>')
    return "".join(rows)


class OwnPhotos(widgets.VBox):
    """Teach the pretrained network your own classes from a few photos each. Lesson 03.

    Name 2-5 classes, upload a few photos per class (the file picker; in Colab too), press *Train*:
    only a new head learns, on the frozen body's features, in a few seconds. Then upload a new photo
    and see the three most likely classes.

    >>> panel = tt.own_photos.OwnPhotos()
    >>> panel                                    # shows it
    >>> panel.add_photos(0, [("cat1.jpg", open("cat1.jpg", "rb").read())])  # what an upload does
    """

    def __init__(self, classes: int = 3, model=None, size: int = SIZE):
        self.base = model  # None: the course's pretrained backbone, loaded on the first Train
        self.size = size
        self.model = None  # after train(): a frozen copy with the new head
        self.classes = []  # the class names the model was trained on
        self.photos = [[] for _ in range(MAX_CLASSES)]  # per class: [(file name, uint8 photo)]
        self.notes = [[] for _ in range(MAX_CLASSES)]  # per class: one line per file left out
        self.how_many = widgets.Dropdown(options=list(range(MIN_CLASSES, MAX_CLASSES + 1)),
                                         value=min(max(int(classes), MIN_CLASSES), MAX_CLASSES),
                                         description=tr("Classes"), layout=widgets.Layout(width="160px"))
        self.names, self.uploads, self.thumbs, self.rows = [], [], [], []
        for i in range(MAX_CLASSES):
            name = widgets.Text(placeholder=tr("class {i}", i=i + 1), layout=widgets.Layout(width="150px"))
            upload = widgets.FileUpload(accept="image/*", multiple=True, description=tr("Photos"),
                                        layout=widgets.Layout(width="130px"))
            upload.add_class(f"tlteach-upload-{i}")
            thumbs = widgets.HTML()
            thumbs.add_class("tlteach-thumbs")
            upload.observe(lambda change, i=i: self._on_upload(i, change["new"]), names="value")
            row = widgets.HBox([name, upload, thumbs])
            self.names.append(name)
            self.uploads.append(upload)
            self.thumbs.append(thumbs)
            self.rows.append(row)
        self.train_button = widgets.Button(description=tr("Train"), button_style="warning", icon="play",
                                           layout=widgets.Layout(width="140px"))
        self.train_button.add_class("tlteach-train")
        self.train_button.on_click(lambda _button: self.train())
        self.status = widgets.HTML()
        self.status.add_class("tlteach-status")
        self.test_upload = widgets.FileUpload(accept="image/*", multiple=False, description=tr("New photo"),
                                              layout=widgets.Layout(width="160px"))
        self.test_upload.add_class("tlteach-test-upload")
        self.test_upload.observe(self._on_test_upload, names="value")
        self.result = widgets.HTML()
        self.result.add_class("tlteach-prediction")
        title = widgets.HTML(f'<div style="{BIG}"><b>{tr("Your own photos")}</b>: '
                             f'{tr("name the classes, upload a few photos of each, then train the new head.")}</div>')
        super().__init__([title, self.how_many, *self.rows, widgets.HBox([self.train_button, self.status]),
                          widgets.HTML(f'<div style="{BIG}">{tr("Then: a photo the model has not seen")}</div>'),
                          widgets.HBox([self.test_upload, self.result])])
        self.add_class("tlteach-own-photos")
        self.how_many.observe(lambda _change: self._show_rows(), names="value")
        self._show_rows()

    # ------------------------------------------------------------------ the steps
    def class_name(self, i: int) -> str:
        return self.names[i].value.strip() or tr("class {i}", i=i + 1)

    def add_photos(self, i: int, files) -> int:
        """Read uploaded files [(name, bytes)] into class `i` (replacing its photos); returns how many are usable."""
        self.photos[i], self.notes[i] = [], []
        for name, data in files:
            try:
                self.photos[i].append((name, read_photo(name, data, self.size)))
            except TLTeachError as err:
                self.notes[i].append(str(err))
        self._show_thumbs(i)
        return len(self.photos[i])

    def training_set(self):
        """(photos N x 3 x S x S, labels, class names, messages): the classes with enough photos."""
        images, labels, names, messages = [], [], [], []
        for i in range(self.how_many.value):
            name, photos = self.class_name(i), self.photos[i]
            if not photos:
                messages.append(tr("{name}: no photos yet, left out.", name=name))
            elif len(photos) < MIN_PHOTOS:
                messages.append(tr("{name}: only one photo; add at least {n}, left out.", name=name, n=MIN_PHOTOS))
            elif name in names:
                messages.append(tr("Two classes are called {name}: rename one; the second is left out.", name=name))
            else:
                images += [photo for _, photo in photos]
                labels += [len(names)] * len(photos)
                names.append(name)
        return images, labels, names, messages

    def train(self):
        """What *Train* does: a new head on the frozen body's features of your photos. Returns the History or None."""

        images, labels, names, messages = self.training_set()
        if len(names) < MIN_CLASSES:
            messages.append(tr("Need at least {n} classes with {k} or more photos each to train.", n=MIN_CLASSES,
                               k=MIN_PHOTOS))
            self._say(messages, error=True)
            return None
        self.train_button.disabled = True
        self._say(messages + [tr("training the new head...")])
        try:
            start = time.perf_counter()
            base = pretrained_backbone(self.base if self.base is not None else "efficientnet_lite0")
            ds = ImageDataset(torch.stack(images), torch.tensor(labels), names, name="own photos", split="train")
            model, history = feature_extraction(ds, None, seed=0, backbone=base)  # the course's recipe
        except TLTeachError as err:
            self._say(messages + [str(err)], error=True)
            return None
        finally:
            self.train_button.disabled = False
        self.model, self.classes = model, names
        seconds = time.perf_counter() - start
        done = tr("Trained on {photos} of {classes} in {t} s: training accuracy {acc} %.",
                  photos=trn("{n} photo", "{n} photos", len(images)), classes=trn("{n} class", "{n} classes", len(names)),
                  t=number(seconds, 1), acc=number(100 * history.rows[-1]['train_acc']))
        self._say(messages + [done, tr("Now upload a new photo below.")])
        return history

    def classify(self, name: str, data: bytes, k: int = 3):
        """The top-k [(class, probability)] for an uploaded photo, shown as bars; None (and a message) if it cannot be read."""
        if self.model is None:
            self.result.value = self._line(tr("Train first, then upload a new photo."), error=True)
            return None
        try:
            photo = read_photo(name, data, self.size)
        except TLTeachError as err:
            self.result.value = self._line(str(err), error=True)
            return None
        probs = probabilities(self.model, photo.unsqueeze(0))[0]
        values, index = probs.topk(min(k, len(self.classes)))
        ranked = [(self.classes[int(c)], float(p)) for p, c in zip(values, index)]
        self.result.value = (f'<div style="{BIG}">{html.escape(name)}: <b>{html.escape(ranked[0][0])}</b></div>'
                             + bars_html(ranked))
        return ranked

    # ------------------------------------------------------------------ the page
    def _on_upload(self, i: int, value) -> None:
        self.add_photos(i, uploaded_files(value))

    def _on_test_upload(self, change) -> None:
        files = uploaded_files(change["new"])
        if files:
            self.classify(*files[-1])

    def _show_rows(self) -> None:
        for i, row in enumerate(self.rows):
            row.layout.display = "" if i < self.how_many.value else "none"

    def _show_thumbs(self, i: int) -> None:
        count = trn("{n} photo", "{n} photos", len(self.photos[i]))
        notes = "".join(f'<div style="color: {WRONG_COLOR}">{html.escape(note)}</div>' for note in self.notes[i])
        self.thumbs[i].value = (f'<div style="display: flex; align-items: center; flex-wrap: wrap">'
                                f'{"".join(_thumbnail(p) for _, p in self.photos[i][:12])}'
                                f'<span style="padding-left: 6px">{count}</span></div>{notes}')

    @staticmethod
    def _line(text: str, error: bool = False) -> str:
        color = WRONG_COLOR if error else "inherit"
        return f'<div style="color: {color}; {BIG}">{html.escape(text)}</div>'

    def _say(self, lines, error: bool = False) -> None:
        self.status.value = "".join(self._line(line, error and k == len(lines) - 1) for k, line in enumerate(lines))
