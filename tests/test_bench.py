"""The benchmark's pieces run and measure the same work."""
import pytest
import torch

import tlteach as tt
from tlteach import bench


def test_bare_loop_matches_fit_numerically(tiny_ds):
    torch.manual_seed(0)
    a, b = tt.SmallCNN(3, width=8), tt.SmallCNN(3, width=8)
    b.load_state_dict(a.state_dict())
    bench.bare_loop(a, tiny_ds, epochs=2, lr=1e-3, batch_size=4, seed=0)
    tt.fit(b, tiny_ds, None, epochs=2, lr=1e-3, batch_size=4, seed=0, live=False)
    for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
        assert torch.allclose(pa, pb, atol=1e-5), name  # same work: the comparison is fair



@pytest.mark.slow
def test_every_measurement_the_bench_prints_runs():
    """`make bench` calls these three; here each runs on a few images (the ratios themselves are not asserted)."""
    assert bench.fit_overhead(repeats=1, epochs=1) > -1
    speedup, cached, uncached = bench.sweep_speedup(depths=(7, 8), per_class=1, epochs=2, val_per_class=1)
    assert speedup > 0 and cached > 0 and uncached > 0
    assert bench.channels_last_speedup(n=8) > 0


def test_main_prints_every_ratio(monkeypatch, capsys):
    monkeypatch.setattr(bench, "fit_overhead", lambda repeats, epochs: 0.01)
    monkeypatch.setattr(bench, "sweep_speedup", lambda epochs: (4.0, 1.0, 4.0))
    monkeypatch.setattr(bench, "channels_last_speedup", lambda: 1.5)
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    assert "+1.0%" in out and "4.0x" in out and "1.5x" in out and "all targets met" in out
