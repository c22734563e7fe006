"""Seeds: the one place that says which seed a lesson runs with, and seeds every random number generator.

    >>> base_seed()         # 0, or 3 with TLTEACH_SEED=3 (a teacher can show another seed; tt.repeats.seeds(3): 3, 4, 5)
    >>> seed_everything(0)  # Python, NumPy and PyTorch: a re-run gives the same numbers
"""
from __future__ import annotations

import os
import random

import numpy as np
import torch

from .errors import TLTeachError
from .i18n import tr


def base_seed() -> int:
    """The lesson's seed: TLTEACH_SEED when set (a teacher can show the course on another seed), else 0."""
    value = os.environ.get("TLTEACH_SEED", "").strip()
    if not value:
        return 0
    try:
        return int(value)
    except ValueError:
        raise TLTeachError(tr("TLTEACH_SEED must be a whole number, got {value!r}.", value=value)) from None


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch so a re-run gives the same numbers."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
