"""Set-up for a lesson notebook: seeds, readable figures, one line about the machine.

    >>> tt.notebook_setup()
    tlteach 0.1.0 · PyTorch 2.14.1 · CPU, 2 threads · seed 0
"""
from __future__ import annotations

import os
import random

import numpy as np
import torch

# Figures are shown on projectors: large fonts, thick lines.
FIGURE_STYLE = {
    "figure.dpi": 90,
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "lines.linewidth": 2.2,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch so a re-run gives the same numbers."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def notebook_setup(seed: int = 0, quiet: bool = False, language: str = "en") -> None:
    """Seed everything, style the figures for a projector, choose the language, print what runs the lesson.

    Every lesson's first cell calls it. The environment variable TLTEACH_SEED, when set, replaces
    `seed` (and moves every experiment's seeds, `tt.repeats.seeds()`): a teacher can show the
    whole course on another seed. Lesson 01.

    >>> tt.notebook_setup(seed=0, language="ru")
    """
    import matplotlib

    from . import __version__
    from .i18n import set_language

    from .repeats import base_seed

    set_language(language)
    seed = base_seed() if os.environ.get("TLTEACH_SEED", "").strip() else seed
    seed_everything(seed)
    matplotlib.rcParams.update(FIGURE_STYLE)
    os.environ.setdefault("TQDM_MININTERVAL", "0.5")
    device = "GPU available (tlteach uses the CPU)" if torch.cuda.is_available() else "CPU"
    line = f"tlteach {__version__} · PyTorch {torch.__version__} · {device}, {torch.get_num_threads()} threads · seed {seed}"
    if not quiet:
        print(line)
