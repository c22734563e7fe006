"""Draw every figure of tlteach.viz on real data and save it to docs/img/<function>.png.

    .venv/bin/python docs/make_gallery.py        # about 20 s on a 2-core CPU

Look at the PNGs after a change to viz.py: they are what a class sees on the projector.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tlteach as tt  # noqa: E402
from tlteach import viz  # noqa: E402

OUT = ROOT / "docs" / "img"


def save(fig, name: str) -> None:
    fig.savefig(OUT / f"{name}.png", dpi=80)
    print(f"docs/img/{name}.png")


def features(model, ds) -> torch.Tensor:
    """1280-d pooled features of every image (the backbone without its head)."""
    with torch.inference_mode():
        maps = tt.models.forward_groups(model.eval(), ds.batch(slice(None)), stop=len(tt.models.group_names(model)) - 1)
    return maps.mean((2, 3))


def head_history(train_x, train_y, val_x, val_y, num_classes: int, epochs: int = 8) -> list:
    """Train a linear head on cached features: real learning curves without waiting for tt.fit."""
    torch.manual_seed(0)
    head = torch.nn.Linear(train_x.shape[1], num_classes)
    opt = torch.optim.Adam(head.parameters(), lr=1e-3)
    rows = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        for idx in torch.randperm(len(train_x)).split(32):
            opt.zero_grad()
            F.cross_entropy(head(train_x[idx]), train_y[idx]).backward()
            opt.step()
        with torch.no_grad():
            tl, vl = head(train_x), head(val_x)
        rows.append({"epoch": epoch, "train_loss": float(F.cross_entropy(tl, train_y)),
                     "train_acc": float((tl.argmax(1) == train_y).float().mean()),
                     "val_loss": float(F.cross_entropy(vl, val_y)),
                     "val_acc": float((vl.argmax(1) == val_y).float().mean()),
                     "seconds": time.perf_counter() - start})
    return rows, head


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tt.notebook_setup(quiet=True)  # the lessons' figure style
    train = tt.load_dataset("animals", "train", size=128)
    val = tt.load_dataset("animals", "val", size=128)
    backbone = tt.load_backbone()

    save(viz.show_images(train, per_class=True), "show_images")
    save(viz.show_filters(backbone), "show_filters")
    save(viz.show_filters(backbone, layer="stage3", n=24), "show_filters_deeper")
    save(viz.show_feature_maps(backbone, val.images[0]), "show_feature_maps")
    save(viz.show_filter_response(backbone, val.images[0], layer="stem.0", channel=4), "show_filter_response")
    save(viz.show_predictions(backbone, [val.images[i] for i in (0, 120, 200)], k=3, size=128),
         "show_predictions_imagenet")

    train_x, val_x = features(backbone, train), features(backbone, val)
    save(viz.plot_embedding(val_x, val.labels, val.classes), "plot_embedding")
    few = torch.cat([torch.nonzero(train.labels == c).flatten()[:5] for c in range(len(train.classes))])
    rows_all, head = head_history(train_x, train.labels, val_x, val.labels, len(train.classes))
    rows_few, _ = head_history(train_x[few], train.labels[few], val_x, val.labels, len(train.classes))
    save(viz.plot_history(rows_all, rows_few, labels=["30 per class", "5 per class"]), "plot_history")

    model = tt.replace_head(tt.load_backbone(), train.classes)
    tt.models.get_head(model).load_state_dict(head.state_dict())  # the trained head on the real backbone
    save(viz.plot_confusion(model, val), "plot_confusion")
    save(viz.show_predictions(model, val, k=3), "show_predictions")


if __name__ == "__main__":
    main()
