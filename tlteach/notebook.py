"""Set-up for a lesson notebook: seeds, readable figures, one line about the machine.

    >>> tt.notebook_setup()
    tlteach 0.1.0 · PyTorch 2.14.1 · CPU, 2 threads · seed 0
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import torch

from .errors import TLTeachError
from .seeds import base_seed, seed_everything

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


def _cgroup_cpus(root: str = "/sys/fs/cgroup"):
    """CPUs the container's quota allows (a float), or None without a quota.

    cgroup v2: `cpu.max` holds "quota period" ("max period": no quota); cgroup v1:
    `cpu/cpu.cfs_quota_us` (-1: no quota) and `cpu/cpu.cfs_period_us`.
    """
    base = Path(root)
    try:
        quota, period = (base / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    for folder in (base / "cpu", base / "cpu,cpuacct", base):
        try:
            quota = int((folder / "cpu.cfs_quota_us").read_text())
            period = int((folder / "cpu.cfs_period_us").read_text())
        except (OSError, ValueError):
            continue
        return None if quota <= 0 or period <= 0 else quota / period
    return None


def available_cpus(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """The CPUs this process may actually use: its CPU affinity and the container's CPU quota, at least 1.

    A JupyterHub server gives each student's container a share of the machine (a quota of 2 CPUs on a
    32-core machine): torch's default, one thread per core, would then run many times slower.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus(cgroup_root)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))  # a quota of 1.5 CPUs: 2 threads still help
    return max(1, cpus)


def choose_threads(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """torch's thread count for a lesson: TLTEACH_THREADS when a teacher sets it, else `available_cpus()`."""
    wanted = os.environ.get("TLTEACH_THREADS", "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            from .i18n import tr  # here, not at the top: tlteach.i18n imports tlteach.errors

            raise TLTeachError(tr("TLTEACH_THREADS must be a whole number >= 1, got {value!r}.", value=wanted))
        return int(wanted)
    return available_cpus(cgroup_root)


def notebook_setup(seed: int = 0, quiet: bool = False, language: str = "en") -> None:
    """Seed everything, style the figures for a projector, choose the language, print what runs the lesson.

    Every lesson's first cell calls it. The environment variable TLTEACH_SEED, when set, replaces
    `seed` (and moves every experiment's seeds, `tt.repeats.seeds()`): a teacher can show the
    whole course on another seed. Lesson 01.

    torch gets one thread per CPU this kernel may use (its affinity and the container's CPU quota,
    see `available_cpus`); a teacher running a shared server can set TLTEACH_THREADS (1 is fair when
    many students share few cores).

    >>> tt.notebook_setup(seed=0, language="ru")
    """
    import matplotlib

    from ._version import __version__
    from .i18n import set_language, tr, trn


    set_language(language)
    seed = base_seed() if os.environ.get("TLTEACH_SEED", "").strip() else seed
    seed_everything(seed)
    matplotlib.rcParams.update(FIGURE_STYLE)
    os.environ.setdefault("TQDM_MININTERVAL", "0.5")
    torch.set_num_threads(choose_threads())  # the CPUs this kernel may use, or TLTEACH_THREADS
    device = tr("GPU available (tlteach uses the CPU)") if torch.cuda.is_available() else "CPU"
    threads = trn("{n} thread", "{n} threads", torch.get_num_threads())
    line = f"tlteach {__version__} · PyTorch {torch.__version__} · {device}, {threads} · {tr('seed {seed}', seed=seed)}"
    if not quiet:
        print(line)
