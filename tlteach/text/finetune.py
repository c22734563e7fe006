"""Fine-tuning a BERT (MiniLM) for a text task, with its lower layers frozen, in a budget of steps (lesson 07).

    >>> run = tt.text.finetune(train_texts, train_labels, test_texts, test_labels, learns="top", seed=0)
    >>> run["test_acc"], run["seconds"], run["drift"]

One recipe, `TEXT_TUNING` (a `tt.recipes.Recipe`, as every recipe of the course), whose only knob is what
learns, as lesson 04's `tune`:

- "head": only a new linear head on MiniLM's sentence vector (feature extraction: the vectors are computed once);
- "top": the head, then the top 2 of MiniLM's 6 layers with it (the lower 4 and the word pieces frozen);
- "all": the head, then the whole model.

The head learns alone for `head_steps` first (a random head would send large, meaningless gradients into the
model), then `steps` more with the layers that learn, at the body's learning rate `body_lr` (the head at `lr`).
`drift` measures what the training did to the model's sentence vectors: 1 − the mean cosine similarity of the
test texts' vectors after training to those before (0: unchanged).
"""
from __future__ import annotations

import copy
import time

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import TLTeachError
from ..experiments.recipes import Recipe
from ..i18n import N_, tr
from ..seeds import seed_everything
from .encoders import check_texts, load_encoder, minilm_vectors

LEARNS = {N_("head"): 0, N_("top"): 2, N_("all"): 6}  # what learns -> how many of MiniLM's 6 layers learn
TEXT_TUNING = Recipe(N_("fine-tuning"), epochs=0, steps=16, head_steps=8, lr=1e-1, batch_size=8, body_lr=1e-4,
                     body_lrs=(1e-4, 1e-2), backbone="minilm")


def _layers(model) -> list:
    return list(model.encoder.layer)


def _learning(model, learns: str) -> list:
    """Freeze everything, then let the top LEARNS[learns] layers learn; their parameters."""
    for p in model.parameters():
        p.requires_grad_(False)
    layers = _layers(model)
    n = LEARNS[learns]
    if learns == "all":
        chosen = list(model.parameters())
    else:
        chosen = [p for layer in layers[len(layers) - n:] for p in layer.parameters()] if n else []
    for p in chosen:
        p.requires_grad_(True)
    return chosen


def _unit(v: torch.Tensor) -> torch.Tensor:
    return F.normalize(v, dim=1)


def finetune(train_texts, train_labels, test_texts, test_labels, learns: str = "top", seed: int = 0,
             recipe: Recipe = TEXT_TUNING, encoder="minilm") -> dict:
    """Train MiniLM (a copy) with a new head; the test accuracy, the seconds it took and the drift. Lesson 07.

    >>> tt.text.finetune(train, train_labels, test, test_labels, learns="all", recipe=tt.text.TEXT_TUNING.but(body_lr=1e-2))
    """
    if learns not in LEARNS:
        raise TLTeachError(tr("learns must be one of {names}, got {learns!r}.", names=", ".join(LEARNS),
                              learns=learns))
    train_texts, test_texts = check_texts(train_texts), check_texts(test_texts)
    encoder = load_encoder(encoder)
    if encoder.name != "minilm":
        raise TLTeachError(tr("Fine-tuning needs encoder='minilm' (a PyTorch model); got {name!r}.",
                              name=encoder.name))
    labels = torch.as_tensor(list(train_labels), dtype=torch.int64)
    classes = int(max(max(train_labels), max(test_labels))) + 1
    before = torch.from_numpy(encoder.encode(test_texts))  # the frozen model's vectors (cached)
    start = time.perf_counter()
    seed_everything(seed)
    head = torch.nn.Linear(encoder.dim, classes)
    order = torch.Generator().manual_seed(seed)
    batch = recipe.batch_size or len(train_texts)
    model = encoder.model if learns == "head" else copy.deepcopy(encoder.model)
    body = _learning(model, learns) if learns != "head" else []
    frozen = torch.from_numpy(encoder.encode(train_texts))  # for the head's own steps: the frozen vectors
    optimiser = torch.optim.Adam([{"params": list(head.parameters()), "lr": recipe.lr}])
    for step in range(recipe.head_steps + recipe.steps):
        if step == recipe.head_steps and body:
            optimiser.add_param_group({"params": body, "lr": recipe.body_lr})
            model.train()
        index = torch.randint(len(train_texts), (batch,), generator=order)
        if step < recipe.head_steps or not body:
            vectors = frozen[index]
        else:
            vectors = _unit(minilm_vectors(model, encoder.tokenizer, [train_texts[i] for i in index], grad=True))
        loss = F.cross_entropy(head(vectors), labels[index])
        if not torch.isfinite(loss):
            raise TLTeachError(tr("The loss became {loss}: lr={lr} is too high. Try lr={smaller:g}.",
                                  loss=float(loss), lr=recipe.body_lr, smaller=recipe.body_lr / 10))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    with torch.no_grad():
        after = before if not body else torch.cat([_unit(minilm_vectors(model, encoder.tokenizer, test_texts[i:i + 64]))
                                                   for i in range(0, len(test_texts), 64)])
        predicted = head(after).argmax(1).numpy()
    seconds = time.perf_counter() - start
    drift = float(1 - (after * before).sum(1).mean())
    return {"learns": learns, "body_lr": recipe.body_lr if body else None, "seed": seed,
            "test_acc": float((predicted == np.asarray(test_labels)).mean()), "seconds": seconds,
            "drift": max(drift, 0.0), "trainable_parameters": sum(p.numel() for p in body) + sum(
                p.numel() for p in head.parameters())}
