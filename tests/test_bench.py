"""The benchmark's pieces run and measure the same work."""
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

