"""Data: the bundled datasets and a student's own photos (`datasets`), the one path from a photo to the
model's input (`preprocess`), the controlled domain shifts of lesson 06 (`domains`), and the text sets of lesson 07 (`texts`).

`tt.data.<name>` is `tt.data.datasets.<name>`: load_dataset, small_subset, train_val_split, resized, ImageDataset ...
"""
from . import datasets, domains, preprocess, texts  # noqa: F401
from .datasets import (ImageDataset, data_dir, load_dataset, load_image, load_image_folder, resized,  # noqa: F401
                       small_subset, train_val_split)
from .texts import load_texts  # noqa: F401
