"""`python -m tlteach.bench`: the performance ratios of DESIGN §7, measured in one run.

1. fit overhead: `tt.fit` against a bare PyTorch loop doing the same work (target <= 5 %).
2. frozen-prefix caching: a freeze-depth sweep with caching against the same sweep with
   full forward passes every epoch (target >= 3x faster).
3. channels_last: the memory layout tlteach uses for convolutions, against the default.

Ratios, not seconds: they travel between machines. Runs in about a minute on 2 cores.
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from .data import datasets as data

from .models import groups as models
from .models.freezing import freeze
from .models.architectures import SmallCNN
from .models.backbones import load_backbone
from .training.train import fit


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_loop(model, train, epochs: int, lr: float, batch_size: int, seed: int) -> None:
    """The plain PyTorch training loop that `fit` is compared with (same work, no extras)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(train), generator=gen)
        for i in range(0, len(train), batch_size):
            index = order[i:i + batch_size]
            x, y = train.images[index].float().div_(255), train.labels[index]
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()


def fit_overhead(repeats: int = 3, epochs: int = 3) -> float:
    """Median of (fit time / bare loop time) - 1 on SmallCNN, 300 images at 64 px."""
    train = data.load_dataset("animals", "train", size=64)
    ratios = []
    for r in range(repeats):
        torch.manual_seed(r)
        net_a, net_b = SmallCNN(10), SmallCNN(10)
        net_b.load_state_dict(net_a.state_dict())
        t_bare = _timed(lambda: bare_loop(net_a, train, epochs, 1e-3, 32, r))
        t_fit = _timed(lambda: fit(net_b, train, None, epochs=epochs, lr=1e-3, batch_size=32, seed=r, live=False))
        ratios.append(t_fit / t_bare - 1)
    return statistics.median(ratios)


def sweep_speedup(depths=(3, 5, 7, 8), per_class: int = 5, epochs: int = 2, val_per_class=None) -> tuple:
    """(speed-up, seconds cached, seconds uncached) of a freeze-depth sweep on EfficientNet-Lite0."""
    train = data.small_subset(data.load_dataset("animals", "train"), per_class)
    val = data.load_dataset("animals", "val")
    if val_per_class:
        val = data.small_subset(val, val_per_class)
    base = load_backbone()
    times = {}
    accuracy = {}
    for cache in (True, False):
        start = time.perf_counter()
        for k in depths:
            model = load_backbone(pretrained=False)
            model.load_state_dict(base.state_dict())
            models.replace_head(model, train.classes)
            freeze(model, up_to=k)
            history = fit(model, train, val, epochs=epochs, lr=1e-3, live=False, cache=cache)
            accuracy[(cache, k)] = history.final()["val_acc"]
        times[cache] = time.perf_counter() - start
    same = all(abs(accuracy[(True, k)] - accuracy[(False, k)]) < 1e-3 for k in depths)
    if not same:
        raise AssertionError(f"cached and uncached sweeps disagree: {accuracy}")
    return times[False] / times[True], times[True], times[False]


def channels_last_speedup(n: int = 128) -> float:
    """Feature extraction time with the default layout / with channels_last (EfficientNet-Lite0, 128 px)."""
    x = data.load_dataset("animals", "val").batch(slice(0, n))
    fast = load_backbone()
    slow = load_backbone().to(memory_format=torch.contiguous_format)

    def run(model):
        with torch.inference_mode():
            for i in range(0, n, 64):
                model(x[i:i + 64])

    run(fast), run(slow)  # warm-up
    return _timed(lambda: run(slow)) / _timed(lambda: run(fast))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke test)")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    print(f"tlteach bench · PyTorch {torch.__version__} · {torch.get_num_threads()} threads")
    overhead = fit_overhead(repeats=repeats, epochs=1 if args.quick else 3)
    print(f"fit overhead vs a bare PyTorch loop:        {overhead:+.1%}   (target <= +5%)")
    speedup, t_cached, t_plain = sweep_speedup(epochs=1 if args.quick else 2)
    print(f"freeze sweep, cached vs full forward passes: {speedup:.1f}x faster (target >= 3x)"
          f"   [{t_cached:.1f} s vs {t_plain:.1f} s]")
    print(f"channels_last vs default memory layout:      {channels_last_speedup():.1f}x faster")
    ok = overhead <= 0.05 and speedup >= 3
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
