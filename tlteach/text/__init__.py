"""Text: transfer learning with sentences (lesson 07), offline, with two pretrained encoders that ship as packages.

    >>> vectors = tt.text.embed(["I want my money back.", "Верните деньги."])      # one row per text
    >>> tt.text.zero_shot(emails, ["a refund request", "a complaint about quality", "a question about a product"])
    >>> head = tt.text.fit_head(texts, labels, classes)                             # feature extraction
    >>> tt.text.finetune(train, train_labels, test, test_labels, learns="top")      # a BERT, lower layers frozen
    >>> tt.text.show_tokens("Доставка быстрая", "minilm")

Modules: `encoders` (load_encoder, embed, show_tokens), `classify` (zero_shot, fit_head, accuracy), `finetune`
(MiniLM with its lower layers frozen, the recipe TEXT_TUNING), `experiments` (the lesson's runs over seeds),
(two settings are compared seed by seed with `tt.repeats.paired`).
"""
from . import classify, encoders, experiments, finetune as finetuning_module  # noqa: F401
from .classify import TextHead, accuracy, fit_head, nearest, per_class, project_2d, similarities, zero_shot  # noqa: F401
from .encoders import Encoder, TextPackageMissing, embed, load_encoder, show_tokens  # noqa: F401
from .experiments import crosslingual, crosslingual_lines, finetuning  # noqa: F401
from .finetune import LEARNS, TEXT_TUNING, finetune  # noqa: F401
