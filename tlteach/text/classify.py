"""Classifying texts with a pretrained encoder: with no training (class descriptions) or with a head (lesson 07).

    >>> guesses = tt.text.zero_shot(emails, ["I want my money back.", "It broke.", "Does it fit?"])
    >>> head = tt.text.fit_head(english, english_labels, classes)       # a linear head on frozen vectors
    >>> tt.text.accuracy(head.predict(russian), russian_labels)

Zero-shot: each class is described by a sentence; a text goes to the class whose description's vector is
nearest to its own (the largest cosine similarity: the vectors have length 1, so it is their dot product).
A head: feature extraction as in lesson 05, `tt.fit_head` on the encoder's vectors, the encoder frozen.
"""
from __future__ import annotations

import numpy as np
import torch

from ..errors import TLTeachError
from ..i18n import tr, trn
from ..training.features import fit_head as _fit_linear
from ..validate import whole_number
from .encoders import DEFAULT, check_texts, embed, load_encoder

HEAD_EPOCHS, HEAD_LR = 100, 1e-1  # full-batch Adam on the vectors (length 1, so a large lr): a fraction of a second


def similarities(texts, descriptions, encoder=DEFAULT) -> np.ndarray:
    """Cosine similarity of every text (rows) to every description (columns)."""
    texts, descriptions = check_texts(texts), check_texts(descriptions, "descriptions")
    return embed(texts, encoder) @ embed(descriptions, encoder).T


def zero_shot(texts, descriptions, encoder=DEFAULT) -> np.ndarray:
    """For each text, the index of the nearest description (one description per class). Lesson 07.

    >>> tt.text.zero_shot(["Where is my refund?"], ["a refund request", "a complaint about quality"])
    array([0])
    """
    descriptions = check_texts(descriptions, "descriptions")
    if len(descriptions) < 2:
        raise TLTeachError(tr("Give at least two descriptions, one per class."))
    return similarities(texts, descriptions, encoder).argmax(1)


def nearest(text: str, descriptions, encoder=DEFAULT) -> tuple:
    """(index of the nearest description, the similarities to all of them) for one text (lesson 07's box)."""
    scores = similarities([text], descriptions, encoder)[0]
    return int(scores.argmax()), scores


def accuracy(predicted, labels) -> float:
    """The share of `predicted` that equal `labels`."""
    predicted, labels = np.asarray(predicted), np.asarray(labels)
    if predicted.shape != labels.shape or not len(labels):
        raise TLTeachError(trn("{n} prediction but {labels} labels: give one label per text.",
                               "{n} predictions but {labels} labels: give one label per text.",
                               len(predicted), labels=len(labels)))
    return float((predicted == labels).mean())


def per_class(texts, labels, k: int, seed: int = 0):
    """(texts, labels): `k` texts of each class, drawn at random with `seed` (another seed, other texts)."""
    k = whole_number(k, "k", minimum=1)
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    chosen = []
    for c in sorted(set(labels.tolist())):
        where = np.flatnonzero(labels == c)
        if k > len(where):
            raise TLTeachError(tr("Class {c} has only {n} texts; k must be at most {n}.", c=c, n=len(where)))
        chosen.extend(rng.choice(where, k, replace=False).tolist())
    chosen = sorted(chosen)
    return [texts[i] for i in chosen], labels[chosen].tolist()


class TextHead:
    """A linear head on a frozen encoder's vectors: `predict(texts)` -> class indices."""

    def __init__(self, encoder, layer: torch.nn.Linear, classes):
        self.encoder, self.layer, self.classes = load_encoder(encoder), layer, list(classes)

    def predict(self, texts) -> np.ndarray:
        with torch.no_grad():
            return self.layer(torch.from_numpy(self.encoder.encode(texts))).argmax(1).numpy()

    def __repr__(self) -> str:
        return tr("TextHead on {encoder!r}: {classes}", encoder=self.encoder.name,
                  classes=trn("{n} class", "{n} classes", len(self.classes)))


def fit_head(texts, labels, classes, encoder=DEFAULT, seed: int = 0, epochs: int = HEAD_EPOCHS,
             lr: float = HEAD_LR) -> TextHead:
    """Feature extraction for texts: a linear head trained on the frozen encoder's vectors. Lesson 07.

    >>> head = tt.text.fit_head(texts, labels, classes)
    >>> head.predict(["Отличный блендер!"])
    """
    texts = check_texts(texts)
    if len(texts) != len(labels):
        raise TLTeachError(trn("{n} text but {labels} labels: give one label per text.",
                               "{n} texts but {labels} labels: give one label per text.",
                               len(texts), labels=len(labels)))
    x = torch.from_numpy(embed(texts, encoder))
    y = torch.as_tensor(list(labels), dtype=torch.int64)
    layer, _ = _fit_linear((x, y), epochs=epochs, lr=lr, seed=seed, classes=classes)
    return TextHead(encoder, layer, classes)


def project_2d(vectors) -> np.ndarray:
    """The vectors projected to 2-D (PCA: the two directions in which they spread the most)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    centred = vectors - vectors.mean(0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    return centred @ directions[:2].T
