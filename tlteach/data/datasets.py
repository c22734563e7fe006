"""Images in memory: the bundled datasets, small subsets, and your own folders.

    >>> train = tt.load_dataset("animals", split="train", size=128)
    >>> train
    ImageDataset 'animals' (train): 300 images, 128x128 px, 10 classes
    >>> few = tt.small_subset(train, per_class=5)

A dataset holds every image decoded once, as a uint8 tensor `images`
(N x 3 x H x W), with `labels` (int64) and `classes` (names). Indexing it gives
(image as floats in [0, 1], label), as torchvision datasets do.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
from PIL import Image, UnidentifiedImageError

from ..errors import TLTeachError
from ..validate import whole_number
from ..i18n import N_, dataset_name, tr, trn
from .preprocess import prepare

SPLITS = (N_("train"), N_("val"))  # the two parts of every bundled dataset


@dataclass(frozen=True)
class Bundled:
    """One bundled image dataset, as data: read by `load_dataset`, the sweep's tasks and the packaging test.

    Adding a dataset: its images in data/<name>/ (one folder per class, under train/ and val/ unless
    `val_per_class` says otherwise), one entry in `BUNDLED`, its source in data/README.md.

    - `classes`: how many classes it has (a test compares the folders);
    - `val_per_class`: 0 when train/ and val/ are folders on disk; n when there is no split on disk and the last n
      images of each class (in name order) are "val";
    - `source`: its source and licence in one line (data/README.md has them in full).
    """
    name: str
    classes: int
    source: str
    val_per_class: int = 0


BUNDLED = {dataset.name: dataset for dataset in (
    Bundled("animals", 10, "Caltech 101 (Fei-Fei et al., CaltechDATA), CC BY 4.0: 10 wild animals, the target task"),
    Bundled("animals_extra", 9, "Caltech 101 (Fei-Fei et al., CaltechDATA), CC BY 4.0: 9 other animals, for "
            "pretraining in miniature", val_per_class=15),
    Bundled("xray", 2, "PneumoniaMNIST, MedMNIST v2 (Yang et al., 2023), CC BY 4.0: chest X-rays, normal vs "
            "pneumonia"),
)}
DATASETS = tuple(BUNDLED)


class ImageDataset(torch.utils.data.Dataset):
    """Decoded images in memory. `ds[i]` is (float image in [0, 1], label)."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, classes, name: str = "", split: str = "",
                 files=None, per_class=None):
        if images.dtype != torch.uint8 or images.ndim != 4 or images.shape[1] != 3:
            raise TLTeachError(tr(
                "images must be a uint8 tensor N x 3 x H x W, got {dtype} {shape}.",
                dtype=images.dtype, shape=tuple(images.shape)))
        if len(images) != len(labels):
            raise TLTeachError(trn(
                "{n} image but {labels} labels.",
                "{n} images but {labels} labels.",
                len(images), labels=len(labels)))
        self.images = images
        self.labels = labels.to(torch.int64)
        self.classes = list(classes)
        self.name = name
        self.split = split
        self.files = list(files) if files is not None else None
        self.augment = False  # when True, tt.fit flips images at random (left-right) while training
        self.parent, self.index = None, None  # a subset: the dataset it was drawn from, and which images
        self.per_class = per_class  # small_subset: how many images of each class were drawn
        self.resized_copies: dict = {}  # a cache: {size: this dataset at that size} (resized)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i].float().div_(255), int(self.labels[i])

    def batch(self, index) -> torch.Tensor:
        """Images number `index` (a tensor or list of positions) as floats in [0, 1]."""
        return self.images[index].float().div_(255)

    @property
    def image_size(self) -> tuple:
        return tuple(self.images.shape[2:])

    def counts(self) -> dict:
        """How many images each class has."""
        counts = torch.bincount(self.labels, minlength=len(self.classes)).tolist()
        return dict(zip(self.classes, counts))

    def title(self, split: bool = True) -> str:
        """The dataset's name as a student reads it: "animals, 10 per class (train)" / "животные, 10 на класс (обучение)"."""
        name = dataset_name(self.name.split(",")[0])
        per_class = self.per_class
        if per_class:
            name += ", " + tr("{n} per class", n=per_class)
        return f"{name} ({tr(self.split)})" if self.split and split else name

    def __repr__(self) -> str:
        h, w = self.image_size
        split = f" ({tr(self.split)})" if self.split else ""
        return tr("ImageDataset {title}: {images}, {h}x{w} px, {classes}", title=repr(self.title(split=False)) + split,
                  images=trn("{n} image", "{n} images", len(self)), h=h, w=w,
                  classes=trn("{n} class", "{n} classes", len(self.classes)))


# ----------------------------------------------------------------------------- decoding
def decode_image(path, size: int) -> torch.Tensor:
    """Open an image file and return it as uint8 3 x size x size (the one path in preprocess.py)."""
    return prepare(path, size)


def _check_size(size) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or not 16 <= size <= 1024:
        raise TLTeachError(tr("size must be a whole number of pixels between 16 and 1024, got {size!r}.", size=size))
    return size


def _read_class_folders(folders: dict, size: int, name: str, split: str) -> ImageDataset:
    """folders: {class name: [files]} -> ImageDataset. Unreadable files are skipped with one warning."""
    images, labels, files, skipped = [], [], [], []
    classes = list(folders)
    for label, cls in enumerate(classes):
        before = len(images)
        for path in folders[cls]:
            try:
                images.append(decode_image(path, size))
            except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                skipped.append(str(path))
                continue
            labels.append(label)
            files.append(str(path))
        if len(images) == before:
            raise TLTeachError(tr(
                "Class {cls!r} has no readable image. Put at least one .jpg or .png in its folder.",
                cls=cls))
    if skipped:
        shown = ", ".join(Path(s).name for s in skipped[:10]) + (" ..." if len(skipped) > 10 else "")
        warnings.warn(f"Skipped {len(skipped)} file(s) that are not readable images: {shown}", stacklevel=3)
    return ImageDataset(torch.stack(images), torch.tensor(labels), classes, name=name, split=split, files=files)


def _image_files(folder: Path) -> list:
    """Files in a class folder that could be images (hidden files like .DS_Store are ignored)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


# ----------------------------------------------------------------------------- bundled sets
def data_dir() -> Path:
    """Folder holding the bundled datasets: the repository's top-level data/ folder.

    A wheel or a plain `pip install .` carries it inside the package, as tlteach/datasets; a clone
    (run from the repository or installed with `pip install -e .`) reads data/ next to tlteach/.
    Set the environment variable TLTEACH_DATA to use another folder.
    """
    if os.environ.get("TLTEACH_DATA"):
        return Path(os.environ["TLTEACH_DATA"])
    package = Path(__file__).resolve().parent.parent  # tlteach/ (this file is tlteach/data/datasets.py)
    installed = package / "datasets"  # its README.md (the licences) always travels with the images
    return installed if (installed / "README.md").is_file() else package.parent / "data"


def load_dataset(name: str, split: str = "train", size: int = 128) -> ImageDataset:
    """A bundled dataset, decoded into memory (the first call takes a second or two). Lesson 01.

    Names: "animals" (10 wild animals, the target task), "animals_extra" (9 other
    animals, for pretraining in miniature), "xray" (chest X-rays: normal vs pneumonia).

    >>> val = tt.load_dataset("animals", split="val")
    """
    if name not in DATASETS:
        raise TLTeachError(tr(
            "Unknown dataset {name!r}. Choose one of: {names}.",
            name=name, names=", ".join(DATASETS)))
    if split not in SPLITS:
        raise TLTeachError(tr("split must be 'train' or 'val', got {split!r}.", split=split))
    images, labels, classes, files = _load_bundled(name, split, _check_size(size))
    return ImageDataset(images, labels, classes, name=name, split=split, files=files)


def bundled_files(name: str, split: str) -> dict:
    """{class name: [image files]} of a bundled dataset's split, read from the folders (nothing is decoded)."""
    root = data_dir() / name
    if not root.is_dir():
        raise TLTeachError(tr(
            "The bundled data is missing: {root} does not exist. Reinstall tlteach (its datasets/ folder comes with "
            "it) or set TLTEACH_DATA to a folder holding {name}/.",
            root=root, name=name))
    last = BUNDLED[name].val_per_class
    if last:  # no split on disk: the last images of each class are "val"
        folders = {}
        for d in sorted(p for p in root.iterdir() if p.is_dir()):
            files = _image_files(d)
            folders[d.name] = files[:-last] if split == "train" else files[-last:]
        return folders
    return {d.name: _image_files(d) for d in sorted(p for p in (root / split).iterdir() if p.is_dir())}


@lru_cache(maxsize=16)
def _load_bundled(name: str, split: str, size: int):
    ds = _read_class_folders(bundled_files(name, split), size, name, split)
    ds.images.requires_grad_(False)
    return ds.images, ds.labels, tuple(ds.classes), tuple(ds.files)


# ----------------------------------------------------------------------------- your own images
def load_image_folder(path, size: int = 128) -> ImageDataset:
    """Your own images: one sub-folder per class, named after the class. Lesson 05.

        my_pets/
            cat/  img1.jpg img2.png ...
            dog/  ...

    Grayscale, RGBA, palette, CMYK, 16-bit and EXIF-rotated images are converted;
    files that are not readable images are skipped with one warning.

    >>> pets = tt.load_image_folder("my_pets")

    In a clone, data/own/ is the place for a class's folders (git ignores it; data/README.md);
    from a lesson notebook, which runs in notebooks/:

    >>> pets = tt.load_image_folder("../data/own/my_pets")
    """
    root = Path(path).expanduser()
    if not root.exists():
        raise TLTeachError(tr(
            "Folder {root!r} does not exist. Check the path (it is relative to {cwd}).",
            root=str(root), cwd=os.getcwd()))
    if not root.is_dir():
        raise TLTeachError(tr(
            "{root!r} is a file; give the folder that holds one sub-folder per class.",
            root=str(root)))
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not class_dirs:
        raise TLTeachError(tr(
            "{root!r} has no sub-folders. Make one folder per class, e.g. {name}/cat/ and {name}/dog/, and put the "
            "images inside.",
            root=str(root), name=root.name))
    empty = [d.name for d in class_dirs if not _image_files(d)]
    if empty:
        raise TLTeachError(tr(
            "Class folder(s) {names} are empty. Add images or remove the folder.",
            names=", ".join(empty)))
    if len(class_dirs) < 2:
        raise TLTeachError(tr(
            "Only one class ({name!r}) in {root!r}: a classifier needs at least two. Add another sub-folder with "
            "images of a second class.",
            name=class_dirs[0].name, root=str(root)))
    folders = {d.name: _image_files(d) for d in class_dirs}
    return _read_class_folders(folders, _check_size(size), root.name, "")


def load_image(path, size: int = 128) -> torch.Tensor:
    """One image file as uint8 3 x size x size, ready for `tt.predict`. Lesson 02.

    >>> photo = tt.load_image("my_cat.jpg")
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise TLTeachError(tr("No image file at {path!r}.", path=str(path)))
    try:
        return decode_image(path, _check_size(size))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise TLTeachError(tr(
            "{name} is not a readable image ({error}).", name=path.name, error=type(err).__name__)) from None


# ----------------------------------------------------------------------------- subsets
def _subset(ds: ImageDataset, index: torch.Tensor, name: str, split=None, per_class=None) -> ImageDataset:
    files = [ds.files[i] for i in index.tolist()] if ds.files is not None else None
    out = ImageDataset(ds.images[index], ds.labels[index], ds.classes, name=name,
                       split=ds.split if split is None else split, files=files, per_class=per_class)
    out.augment = ds.augment
    # where the images come from: what is computed for the whole set (frozen activations) is shared
    out.parent = ds.parent if ds.parent is not None else ds
    out.index = ds.index[index] if ds.index is not None else index
    return out


def resized(ds: ImageDataset, size: int) -> ImageDataset:
    """The same photos at another size (from the files when known, so nothing is resized twice).

    >>> train64 = resized(train, 64)
    """
    size = _check_size(size)
    if ds.image_size == (size, size):
        return ds
    if ds.parent is not None:  # a subset: the same images of the resized whole set
        return _subset(resized(ds.parent, size), ds.index, ds.name, ds.split, ds.per_class)
    done = ds.resized_copies
    if size not in done:
        readable = ds.files is not None and all(Path(f).is_file() for f in ds.files)
        sources = ds.files if readable else list(ds.images)
        out = ImageDataset(torch.stack([prepare(s, size) for s in sources]), ds.labels, ds.classes, name=ds.name,
                           split=ds.split, files=ds.files)
        out.augment = ds.augment
        done[size] = out
    return done[size]


def small_subset(ds: ImageDataset, per_class: int, seed: int = 0) -> ImageDataset:
    """`per_class` images of every class, picked at random (the same ones for the same seed). Lesson 01.

    Asking for more images than a class has is an error (it would silently give
    unbalanced classes).

    >>> tt.small_subset(train, per_class=10).counts()["rhino"]
    10
    """
    whole_number(per_class, "per_class", minimum=1)
    counts = ds.counts()
    fewest = min(counts, key=counts.get)
    if per_class > counts[fewest]:
        raise TLTeachError(trn(
            "Asked for {n} image per class, but {fewest!r} has only {most}. Use per_class <= {most}.",
            "Asked for {n} images per class, but {fewest!r} has only {most}. Use per_class <= {most}.",
            per_class, fewest=fewest, most=counts[fewest]))
    gen = torch.Generator().manual_seed(seed)
    picked = []
    for label in range(len(ds.classes)):
        where = torch.nonzero(ds.labels == label).flatten()
        picked.append(where[torch.randperm(len(where), generator=gen)[:per_class]].sort().values)
    return _subset(ds, torch.cat(picked), f"{ds.name}, {per_class} per class", per_class=per_class)


def train_val_split(ds: ImageDataset, val_fraction: float = 0.2, seed: int = 0):
    """Split a dataset into (train, val), keeping each class's share (stratified).

    >>> train, val = tt.train_val_split(tt.load_image_folder("my_pets"))
    """
    if not 0 < val_fraction < 1:
        raise TLTeachError(tr(
            "val_fraction must be between 0 and 1, e.g. 0.2; got {val_fraction!r}.",
            val_fraction=val_fraction))
    gen = torch.Generator().manual_seed(seed)
    train_idx, val_idx = [], []
    for label in range(len(ds.classes)):
        where = torch.nonzero(ds.labels == label).flatten()
        where = where[torch.randperm(len(where), generator=gen)]
        n_val = int(round(len(where) * val_fraction))
        if len(where) >= 2:
            n_val = min(max(n_val, 1), len(where) - 1)
        val_idx.append(where[:n_val])
        train_idx.append(where[n_val:])
    train_idx, val_idx = torch.cat(train_idx).sort().values, torch.cat(val_idx).sort().values
    return _subset(ds, train_idx, ds.name, "train"), _subset(ds, val_idx, ds.name, "val")
