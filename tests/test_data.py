"""Bundled datasets, subsets and bring-your-own folders: deterministic and forgiving."""
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import tlteach as tt

ROOT = Path(__file__).resolve().parent.parent


def _counts(name: str, split: str) -> dict:
    return {cls: len(files) for cls, files in tt.data.datasets.bundled_files(name, split).items()}


def test_bundled_counts():
    """Counted from the folders (load_dataset decodes exactly these files: test_loading_decodes_the_listed_files)."""
    train, val = _counts("animals", "train"), _counts("animals", "val")
    assert len(train) == 10 and set(train.values()) == {30} and sum(val.values()) == 276 and list(val) == list(train)
    assert list(_counts("xray", "train")) == ["normal", "pneumonia"]
    extra_train, extra_val = _counts("animals_extra", "train"), _counts("animals_extra", "val")
    assert len(extra_train) == 9 and sum(extra_train.values()) + sum(extra_val.values()) == 663
    assert set(extra_val.values()) == {tt.data.datasets.BUNDLED["animals_extra"].val_per_class}
    assert not set(extra_train) & set(train)


@pytest.mark.parametrize("name", tt.data.datasets.DATASETS)
def test_each_registry_entry_matches_its_folders_and_readme(name):
    """A dataset is its images plus one entry: its class count is the folders', and data/README.md names it."""
    entry = tt.data.datasets.BUNDLED[name]
    for split in ("train", "val"):
        counts = _counts(name, split)
        assert len(counts) == entry.classes and all(counts.values()), (name, split)
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"**{name}" in readme or f" {name}**" in readme or f", {name}**" in readme, name
    assert entry.source.split(" (")[0].split(",")[0] in readme  # the source's name, as the README cites it


def test_loading_decodes_the_listed_files(animals_train):
    """The fixture's 300 images (64 px) are the listed files, in order, 30 of each class; an X-ray decodes to
    three equal channels."""
    listed = tt.data.datasets.bundled_files("animals", "train")
    assert list(animals_train.files) == [str(f) for files in listed.values() for f in files]
    assert animals_train.classes == list(listed) and set(animals_train.counts().values()) == {30}
    assert animals_train.images.dtype == torch.uint8 and animals_train.images.shape[1:] == (3, 64, 64)
    xray = tt.data.datasets.bundled_files("xray", "train")["normal"][0]
    image = tt.load_image(xray, size=64)
    assert image.shape == (3, 64, 64) and torch.equal(image[0], image[1]) and torch.equal(image[1], image[2])


def test_item_is_float_image_and_label(animals_train):
    image, label = animals_train[0]
    assert image.dtype == torch.float32 and 0 <= image.min() and image.max() <= 1
    assert isinstance(label, int)


def test_small_subset_deterministic(animals_train):
    a = tt.small_subset(animals_train, per_class=5, seed=0)
    b = tt.small_subset(animals_train, per_class=5, seed=0)
    c = tt.small_subset(animals_train, per_class=5, seed=1)
    assert torch.equal(a.images, b.images) and a.files == b.files
    assert a.files != c.files
    assert set(a.counts().values()) == {5}


def test_small_subset_too_many(animals_train):
    with pytest.raises(tt.errors.TLTeachError, match="only 30"):
        tt.small_subset(animals_train, per_class=31)
    with pytest.raises(tt.errors.TLTeachError, match="per_class"):
        tt.small_subset(animals_train, per_class=0)


def test_train_val_split_is_stratified(animals_train):
    train, val = tt.data.train_val_split(animals_train, 0.2)
    assert len(train) + len(val) == 300
    assert set(val.counts().values()) == {6}


def test_unknown_dataset_and_split():
    with pytest.raises(tt.errors.TLTeachError, match="animals"):
        tt.load_dataset("cats")
    with pytest.raises(tt.errors.TLTeachError, match="split"):
        tt.load_dataset("animals", "test")


def save(path, img, **kw):
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, **kw)


@pytest.fixture
def messy_folder(tmp_path):
    root = tmp_path / "pets"
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 255, (40, 60, 3), dtype=np.uint8))
    save(root / "кошка" / "фото.jpg", rgb)                                  # Cyrillic names
    save(root / "кошка" / "gray.png", rgb.convert("L"))
    save(root / "кошка" / "rgba.png", rgb.convert("RGBA"))
    save(root / "кошка" / "palette.gif", rgb.convert("P"))
    save(root / "dog" / "cmyk.jpg", rgb.convert("CMYK"))
    save(root / "dog" / "tiny.png", rgb.resize((4, 4)))
    save(root / "dog" / "deep.png", Image.fromarray((rng.integers(0, 65535, (30, 30))).astype(np.uint16)))
    (root / "dog" / "notes.jpg").write_text("this is not an image")
    (root / "dog" / "cut.jpg").write_bytes((root / "кошка" / "фото.jpg").read_bytes()[:200])
    (root / "dog" / ".DS_Store").write_bytes(b"\0\0")
    return root


def test_image_folder_handles_every_mode(messy_folder):
    with pytest.warns(UserWarning, match="Skipped 2 file") as record:
        ds = tt.load_image_folder(messy_folder, size=32)
    assert "notes.jpg" in str(record[0].message) and "cut.jpg" in str(record[0].message)
    assert ds.classes == ["dog", "кошка"]
    assert ds.counts() == {"dog": 3, "кошка": 4}
    assert ds.images.shape == (7, 3, 32, 32)


def test_exif_rotation_is_applied(tmp_path):
    img = Image.new("RGB", (60, 30), "red")
    img.paste((0, 0, 255), (0, 0, 30, 30))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    save(tmp_path / "f" / "a" / "x.jpg", img, exif=exif)
    save(tmp_path / "f" / "b" / "y.jpg", img)
    ds = tt.load_image_folder(tmp_path / "f", size=16)
    rotated = ds.images[0].float()
    # displayed upright, the blue half is on top: the top row is blue, the bottom row red
    assert rotated[2, 0].mean() > 150 and rotated[0, -1].mean() > 150


def test_huge_image_is_fast_and_correct(tmp_path):
    big = Image.new("RGB", (6000, 4000), (10, 200, 30))
    save(tmp_path / "f" / "a" / "big.jpg", big, quality=50)
    save(tmp_path / "f" / "b" / "small.jpg", Image.new("RGB", (50, 50)))
    ds = tt.load_image_folder(tmp_path / "f", size=64)
    assert ds.images.shape == (2, 3, 64, 64)
    assert abs(int(ds.images[0, 1].float().mean()) - 200) < 10


def test_folder_errors(tmp_path):
    with pytest.raises(tt.errors.TLTeachError, match="does not exist"):
        tt.load_image_folder(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(tt.errors.TLTeachError, match="no sub-folders"):
        tt.load_image_folder(tmp_path / "empty")
    save(tmp_path / "one" / "cat" / "a.png", Image.new("RGB", (8, 8)))
    with pytest.raises(tt.errors.TLTeachError, match="Only one class"):
        tt.load_image_folder(tmp_path / "one")
    (tmp_path / "one" / "dog").mkdir()
    with pytest.raises(tt.errors.TLTeachError, match="empty"):
        tt.load_image_folder(tmp_path / "one")
    (tmp_path / "one" / "dog" / "bad.jpg").write_text("nope")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(tt.errors.TLTeachError, match="no readable image"):
            tt.load_image_folder(tmp_path / "one")


def test_load_image(tmp_path):
    save(tmp_path / "a.png", Image.new("L", (20, 10), 128))
    x = tt.load_image(tmp_path / "a.png", size=16)
    assert x.shape == (3, 16, 16) and x.dtype == torch.uint8
    (tmp_path / "b.jpg").write_text("text")
    with pytest.raises(tt.errors.TLTeachError, match="not a readable image"):
        tt.load_image(tmp_path / "b.jpg")


# ----------------------------------------------------------------------------- where the bundled data is
def test_data_dir_is_the_clones_data_folder(monkeypatch):
    """Run from the repository (or an editable install): the top-level data/, next to tlteach/."""
    from pathlib import Path

    from tlteach.data import data_dir

    monkeypatch.delenv("TLTEACH_DATA", raising=False)
    root = Path(tt.__file__).resolve().parent.parent
    assert data_dir() == root / "data" and (data_dir() / "README.md").is_file()
    assert {"animals", "animals_extra", "xray"} <= {p.name for p in data_dir().iterdir()}


def test_data_dir_prefers_the_installed_copy_then_the_variable(monkeypatch, tmp_path):
    """Installed from a wheel, the images sit inside the package (tlteach/datasets); TLTEACH_DATA wins over both."""
    from tlteach.data import datasets as data

    monkeypatch.delenv("TLTEACH_DATA", raising=False)
    package = tmp_path / "site-packages" / "tlteach"
    monkeypatch.setattr(data, "__file__", str(package / "data" / "datasets.py"))
    (package / "datasets").mkdir(parents=True)  # a stray folder without the licences is not the data
    assert data.data_dir() == tmp_path / "site-packages" / "data"
    (package / "datasets" / "README.md").write_text("licences")
    assert data.data_dir() == package / "datasets"
    monkeypatch.setenv("TLTEACH_DATA", str(tmp_path / "elsewhere"))
    assert data.data_dir() == tmp_path / "elsewhere"


def test_own_photos_folder_is_not_a_bundled_dataset():
    with pytest.raises(tt.errors.TLTeachError, match="Unknown dataset"):
        tt.load_dataset("own")
