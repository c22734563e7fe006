"""The own-photos panel (tlteach/own_photos.py): every bad upload is a one-line message, never an exception;
good photos train a head on the frozen body and a new photo gets top-3 bars."""
import io
import re
from pathlib import Path

import ipywidgets
import pytest
from PIL import Image

from tlteach.panels import own_photos as op
from tlteach.errors import TLTeachError
from tlteach.i18n import set_language

ANIMALS = Path(__file__).resolve().parent.parent / "data" / "animals"


def photos(cls: str, n: int, split: str = "train") -> list:
    return [(p.name, p.read_bytes()) for p in sorted((ANIMALS / split / cls).glob("*.jpg"))[:n]]


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_both_fileupload_formats_are_read():
    v8 = ({"name": "a.jpg", "type": "image/jpeg", "size": 3, "content": memoryview(b"abc")},)
    v7 = {"a.jpg": {"metadata": {"name": "a.jpg", "type": "image/jpeg", "size": 3}, "content": b"abc"}}
    assert op.uploaded_files(v8) == op.uploaded_files(v7) == [("a.jpg", b"abc")]
    assert op.uploaded_files(()) == op.uploaded_files({}) == []


@pytest.mark.parametrize("name, data, says", [
    ("notes.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "not a photo"),
    ("broken.jpg", photos("leopard", 1)[0][1][:2000], "damaged"),
    ("noise.jpg", bytes(range(256)) * 8, "not a photo"),
    ("empty.png", b"", "not a photo"),
    ("huge.png", png(10_000, 5_000, mode="1"), "too many pixels (10000 x 5000)"),
    ("giant.jpg", b"\xff\xd8" + b"\0" * (op.MAX_BYTES + 1), "too large"),
])
def test_a_bad_file_is_one_line_and_left_out(name, data, says):
    with pytest.raises(TLTeachError, match=re.escape(says)) as err:
        op.read_photo(name, data)
    assert "\n" not in str(err.value) and str(err.value).startswith(name)
    panel = op.OwnPhotos()
    assert panel.add_photos(0, photos("leopard", 2) + [(name, data)]) == 2
    assert panel.notes[0] == [str(err.value)]
    assert says.split(" (")[0] in panel.thumbs[0].value and "2 photos" in panel.thumbs[0].value


def test_an_upload_through_the_widget(monkeypatch):
    """The installed ipywidgets' own FileUpload value format reaches the panel."""
    panel = op.OwnPhotos()
    files = photos("emu", 3)
    if int(ipywidgets.__version__.split(".")[0]) >= 8:
        value = tuple({"name": n, "type": "image/jpeg", "size": len(d), "content": memoryview(d),
                       "last_modified": 0} for n, d in files)
    else:
        value = {n: {"metadata": {"name": n, "type": "image/jpeg", "size": len(d)}, "content": d} for n, d in files}
    panel._on_upload(1, value)
    assert len(panel.photos[1]) == 3 and panel.thumbs[1].value.count("<img") == 3


def test_empty_class_and_one_photo_are_left_out_without_training():
    panel = op.OwnPhotos(classes=3)
    panel.names[0].value, panel.names[1].value = "cats", "dogs"
    panel.add_photos(1, photos("emu", 1))
    assert panel.train() is None and panel.model is None
    text = panel.status.value
    assert "cats: no photos yet" in text and "dogs: only one photo" in text and "class 3: no photos yet" in text
    assert "Need at least 2 classes" in text
    assert panel.classify(*photos("emu", 1)[0]) is None and "Train first" in panel.result.value


@pytest.mark.slow  # several seconds: make test runs it, make unit (the fast path) does not
def test_train_and_classify_top3():
    panel = op.OwnPhotos(classes=4)
    for i, cls in enumerate(["leopard", "dolphin", "flamingo"]):
        panel.names[i].value = cls
        panel.add_photos(i, photos(cls, 4))
    panel.add_photos(3, photos("emu", 1))  # one photo: left out, the other three train
    history = panel.train()
    assert history is not None and panel.classes == ["leopard", "dolphin", "flamingo"]
    assert "class 4: only one photo" in panel.status.value and "Trained on 12 photos of 3 classes" in panel.status.value
    ranked = panel.classify(*photos("flamingo", 1, split="val")[0])
    assert [c for c, _ in ranked][0] == "flamingo" and len(ranked) == 3
    assert abs(sum(p for _, p in ranked) - 1) < 1e-4
    assert panel.result.value.count("tlteach-bar-row") == 3
    assert panel.classify("x.pdf", b"%PDF-1.4") is None and "not a photo" in panel.result.value


def test_duplicate_names_and_russian():
    set_language("ru")
    panel = op.OwnPhotos(classes=2)
    panel.names[0].value = panel.names[1].value = "кот"
    panel.add_photos(0, photos("leopard", 2))
    panel.add_photos(1, photos("emu", 2) + [("a.pdf", b"%PDF")])
    assert panel.train() is None
    assert "кот" in panel.status.value and "Need" not in panel.status.value
    assert "a.pdf" in panel.notes[1][0] and "photo" not in panel.notes[1][0]
