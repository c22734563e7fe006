import matplotlib

matplotlib.use("Agg")

import pytest
import torch

import tlteach as tt


@pytest.fixture(scope="session")
def pretrained():
    """The real ImageNet-pretrained EfficientNet-Lite0 (loaded once; tests must not change it)."""
    return tt.load_backbone("efficientnet_lite0")


@pytest.fixture
def lite0():
    """A fresh pretrained EfficientNet-Lite0 each test may change."""
    return tt.load_backbone("efficientnet_lite0")


@pytest.fixture(scope="session")
def animals_train():
    return tt.load_dataset("animals", "train", size=64)


@pytest.fixture(scope="session")
def animals_val():
    return tt.load_dataset("animals", "val", size=64)


@pytest.fixture
def tiny_ds():
    """12 random 32x32 images, 3 classes: for fast training tests."""
    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (12, 3, 32, 32), dtype=torch.uint8, generator=g)
    labels = torch.arange(12) % 3
    return tt.data.ImageDataset(images, labels, ["a", "b", "c"], name="tiny")


@pytest.fixture
def one_thread():
    """Tiny models on one CPU thread (the shipped table's setting), the thread count given back afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_net(seed=0):
    """A tiny SmallCNN (3 classes, width 8) as a stand-in backbone: groups block1 ... block4, head."""
    torch.manual_seed(seed)
    return tt.SmallCNN(3, width=8)
