"""Zero-shot classification: our classes from a pretrained network's ImageNet head, with no training. Lesson 06.

    >>> mapping = dict(tt.zeroshot.ANIMALS)                  # class -> the ImageNet classes that mean it
    >>> mapping["kangaroo"]
    ['wallaby']
    >>> tt.zeroshot.mapping_table(mapping)                   # the table a student reads and edits
    >>> result = tt.zeroshot.accuracy(tt.load_backbone(), val, mapping)
    >>> result["accuracy"], result["per_class"]["emu"]

Each of our classes gets the summed ImageNet probability of the ImageNet classes mapped to it;
the highest sum is the prediction. The network's own 1000-class head is used as it came from
ImageNet: nothing trains. It works only where ImageNet has the class or a close relative (an emu
is scored as "ostrich"); for chest X-rays there is nothing to map to, and a new head must learn.

The body's features are computed once per dataset and shared (`tt.extract_features`).
"""
from __future__ import annotations

import difflib

import torch
from torch import nn

from ..models.backbones import imagenet_classes
from ..errors import TLTeachError
from ..training.features import extract_features
from ..i18n import N_, class_name, class_names, percent, tr
from ..models.groups import get_head
from ..table import Table

# Our 10 animals and the ImageNet classes that mean them (or their closest relatives in ImageNet).
ANIMALS = {
    "butterfly": ["admiral", "ringlet", "monarch", "cabbage butterfly", "sulphur butterfly", "lycaenid"],
    "crocodile": ["African crocodile", "American alligator"],
    "dolphin": ["grey whale", "killer whale", "dugong"],
    "elephant": ["Indian elephant", "African elephant", "tusker"],
    "emu": ["ostrich"],
    "flamingo": ["flamingo"],
    "hedgehog": ["porcupine"],
    "kangaroo": ["wallaby"],
    "leopard": ["leopard", "cheetah", "jaguar", "snow leopard"],
    "rhino": ["hog", "warthog", "triceratops"],
}

# Our animals that ImageNet has a class for; it knows the others only through a relative (an emu is its "ostrich").
IN_IMAGENET = ("butterfly", "crocodile", "elephant", "flamingo", "leopard")


def report_top_guesses(guesses, classes) -> None:
    """Print which of our animals that ImageNet has the network's top guesses name (`guesses[i]` is its top guess
    for a photo of `classes[i]`), and which they miss, with what it said instead. Lessons 00 and 02.

    >>> tt.zeroshot.report_top_guesses([row["class"] for row in tt.predict(model, photos, k=1)], photos.classes)
    """
    said = dict(zip(classes, guesses))
    named = [c for c in IN_IMAGENET if said[c] in ANIMALS[c]]
    missed = [f"{class_name(c)} ({class_name(said[c])})" for c in IN_IMAGENET if c not in named]
    print(tr("ImageNet has {n} of our animals; in this run the top guess names {k} of them: {named}.",
             n=len(IN_IMAGENET), k=len(named), named=", ".join(class_names(named)) or "-"))
    print(tr("It misses {n}, although ImageNet has the animal: {missed}.", n=len(missed),
             missed=", ".join(missed) or "-"))


HEADERS = (N_("our class"), N_("ImageNet classes it is scored as"), N_("accuracy"))


def imagenet_index(name) -> int:
    """The output number of an ImageNet class given by name ("wallaby" -> 104) or number.

    An unknown name is an error that suggests the closest ImageNet names.
    """
    names = imagenet_classes()
    if isinstance(name, int) and not isinstance(name, bool):
        if 0 <= name < len(names):
            return name
        raise TLTeachError(tr("ImageNet class numbers go from 0 to 999, got {name}.", name=name))
    if not isinstance(name, str):
        raise TLTeachError(tr("An ImageNet class is a name like 'wallaby' or a number 0-999, got {name!r}.", name=name))
    lower = [n.lower() for n in names]
    if name.strip().lower() in lower:
        return lower.index(name.strip().lower())
    close = difflib.get_close_matches(name.strip().lower(), lower, n=3, cutoff=0.5)
    raise TLTeachError(tr("{name!r} is not an ImageNet class. Close ones: {close}.", name=name,
                          close=", ".join(repr(names[lower.index(c)]) for c in close) or "-"))


def _indices(mapping, classes) -> list:
    if not isinstance(mapping, dict) or not mapping:
        raise TLTeachError(tr("The mapping must be a dict {{our class: [ImageNet classes]}}, e.g. "
                              "tt.zeroshot.ANIMALS."))
    missing = [c for c in classes if not mapping.get(c)]
    if missing:
        raise TLTeachError(tr("The mapping has no ImageNet class for {missing}: add at least one to each class.",
                              missing=", ".join(map(repr, missing))))
    return [[imagenet_index(n) for n in ([mapping[c]] if isinstance(mapping[c], (str, int)) else mapping[c])]
            for c in classes]


def scores(model: nn.Module, ds, mapping: dict) -> torch.Tensor:
    """N x classes: for each image, the ImageNet probability summed over each class's mapped ImageNet classes."""
    head = get_head(model)
    if head.out_features != len(imagenet_classes()):
        raise TLTeachError(tr("Zero-shot needs the pretrained ImageNet head (1000 outputs); this model has {n}. "
                              "Use tt.load_backbone().", n=head.out_features))
    features, _ = extract_features(model, ds)
    with torch.no_grad():
        probs = head(features).softmax(dim=1)
    return torch.stack([probs[:, idx].sum(dim=1) for idx in _indices(mapping, ds.classes)], dim=1)


def predict(model: nn.Module, ds, mapping: dict) -> torch.Tensor:
    """The predicted class number of every image of `ds` (no training: the ImageNet head and the mapping)."""
    return scores(model, ds, mapping).argmax(dim=1)


def accuracy(model: nn.Module, ds, mapping: dict) -> dict:
    """{"accuracy": fraction right, "per_class": {class: fraction right}} of zero-shot predictions on `ds`."""
    right = predict(model, ds, mapping) == ds.labels
    per_class = {c: float(right[ds.labels == i].float().mean()) for i, c in enumerate(ds.classes)
                 if (ds.labels == i).any()}
    return {"accuracy": float(right.float().mean()), "per_class": per_class}


def mapping_table(mapping: dict, result: dict = None) -> Table:
    """The mapping as a table (one row per class); with `result` from `accuracy`, each class's accuracy too."""
    rows = []
    for c, names in mapping.items():
        names = [names] if isinstance(names, (str, int)) else list(names)
        row = {"our class": class_name(c),
               "ImageNet classes it is scored as": ", ".join(class_name(imagenet_classes()[imagenet_index(n)]) for n in names)}
        if result is not None:
            row["accuracy"] = percent(result['per_class'].get(c, float('nan')), 0)
        rows.append(row)
    return Table(rows, list(HEADERS[:3 if result is not None else 2]), title=tr("Zero-shot: our classes as ImageNet classes"))
