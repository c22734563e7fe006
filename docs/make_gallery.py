"""Draw every figure of tlteach.viz on real data and save it to docs/img/<function>.png.

    .venv/bin/python docs/make_gallery.py        # about 20 s on a 2-core CPU

Look at the PNGs after a change to viz.py: they are what a class sees on the projector.
"""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tlteach as tt  # noqa: E402
from tlteach import viz  # noqa: E402

OUT = ROOT / "docs" / "img"


def save(fig, name: str) -> None:
    fig.savefig(OUT / f"{name}.png", dpi=80)
    print(f"docs/img/{name}.png")


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

    (train_x, train_y), (val_x, val_y) = tt.extract_features(backbone, train), tt.extract_features(backbone, val)
    save(viz.plot_embedding(val_x, val_y, val.classes), "plot_embedding")
    few = torch.cat([torch.nonzero(train_y == c).flatten()[:5] for c in range(len(train.classes))])
    model = tt.replace_head(tt.load_backbone(), train.classes)  # the course's feature extraction: tt.fit_head
    _, all_photos = tt.fit_head((train_x, train_y), (val_x, val_y), epochs=30, model=model)  # installs the head
    _, five = tt.fit_head((train_x[few], train_y[few]), (val_x, val_y), epochs=30, classes=train.classes)
    save(viz.plot_history(all_photos, five, labels=["30 per class", "5 per class"]), "plot_history")

    save(viz.plot_confusion(model, val), "plot_confusion")
    save(viz.show_predictions(model, val, k=3), "show_predictions")


if __name__ == "__main__":
    main()
