"""The networks tlteach builds itself: EfficientNet-Lite0 and a small CNN.

Both take a batch of images as floats in [0, 1] (shape N x 3 x H x W) and
normalise them inside, so nobody pastes ImageNet constants into a notebook.
Both are a chain of named layer groups (stem, stage1, ..., head) that
`tt.freeze` can freeze by name.

Example:
    >>> net = SmallCNN(num_classes=10)
    >>> net(torch.rand(2, 3, 64, 64)).shape
    torch.Size([2, 10])
"""
from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn
from ..validate import check_num_classes

# The statistics of ImageNet photos (per RGB channel), used by every backbone here.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class Normalize(nn.Module):
    """(image - mean) / std per channel; the constants travel with the model."""

    def __init__(self, mean=IMAGENET_MEAN, std=IMAGENET_STD):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def extra_repr(self) -> str:
        mean = ", ".join(f"{v:.3f}" for v in self.mean.flatten().tolist())
        std = ", ".join(f"{v:.3f}" for v in self.std.flatten().tolist())
        return f"mean=({mean}), std=({std})"


class GroupedNet(nn.Module):
    """A network that is `normalize` followed by named layer groups, in order."""

    group_names: tuple = ()

    def layer_groups(self) -> "OrderedDict[str, nn.Module]":
        return OrderedDict((name, getattr(self, name)) for name in self.group_names)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.normalize(x)
        for name in self.group_names:
            x = getattr(self, name)(x)
        return x


def conv_bn(in_ch: int, out_ch: int, kernel: int, stride: int = 1, groups: int = 1, relu: bool = True) -> nn.Sequential:
    """Convolution -> BatchNorm -> ReLU6 (the building brick of EfficientNet-Lite)."""
    layers = [
        nn.Conv2d(in_ch, out_ch, kernel, stride, padding=kernel // 2, groups=groups, bias=False),
        nn.BatchNorm2d(out_ch, eps=1e-3),
    ]
    if relu:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class MBConv(nn.Module):
    """Inverted residual block: expand (1x1) -> depthwise (kxk) -> project (1x1), plus a skip."""

    def __init__(self, in_ch: int, out_ch: int, expand: int, kernel: int, stride: int):
        super().__init__()
        hidden = in_ch * expand
        self.expand = conv_bn(in_ch, hidden, 1) if expand != 1 else nn.Identity()
        self.depthwise = conv_bn(hidden, hidden, kernel, stride, groups=hidden)
        self.project = conv_bn(hidden, out_ch, 1, relu=False)
        self.skip = stride == 1 and in_ch == out_ch

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.project(self.depthwise(self.expand(x)))
        return x + out if self.skip else out


# (number of blocks, expansion, kernel size, first stride, output channels) for each stage.
LITE0_STAGES = [
    (1, 1, 3, 1, 16),
    (2, 6, 3, 2, 24),
    (2, 6, 5, 2, 40),
    (3, 6, 3, 2, 80),
    (3, 6, 5, 1, 112),
    (4, 6, 5, 2, 192),
    (1, 6, 3, 1, 320),
]


class EfficientNetLite0(GroupedNet):
    """EfficientNet-Lite0 (Tan & Le, 2019), written out so that a student can read it.

    Groups: stem, stage1 ... stage7 (the last one ends with the 1x1 convolution to
    1280 features), head (average pool -> dropout -> fc). 4.7 M parameters.

    Example:
        >>> net = EfficientNetLite0(num_classes=1000)
        >>> [name for name in net.group_names][:3]
        ['stem', 'stage1', 'stage2']
    """

    group_names = ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7", "head")
    num_features = 1280

    def __init__(self, num_classes: int = 1000, dropout: float = 0.2):
        super().__init__()
        self.normalize = Normalize()
        self.stem = conv_bn(3, 32, 3, stride=2)
        in_ch = 32
        for i, (repeats, expand, kernel, stride, out_ch) in enumerate(LITE0_STAGES, start=1):
            blocks = []
            for j in range(repeats):
                blocks.append(MBConv(in_ch, out_ch, expand, kernel, stride if j == 0 else 1))
                in_ch = out_ch
            if i == len(LITE0_STAGES):
                blocks.append(conv_bn(in_ch, self.num_features, 1))  # "conv_head": 320 -> 1280
            setattr(self, f"stage{i}", nn.Sequential(*blocks))
        self.head = nn.Sequential(
            OrderedDict(
                pool=nn.AdaptiveAvgPool2d(1),
                flatten=nn.Flatten(1),
                dropout=nn.Dropout(dropout),
                fc=nn.Linear(self.num_features, num_classes),
            )
        )
        self.to(memory_format=torch.channels_last)  # 1.7-2.6x faster convolutions on a CPU (bench.py)


class SmallCNN(GroupedNet):
    """A small network to train from scratch: four conv blocks and a linear head. Lesson 01.

    Each block is conv 3x3 -> BatchNorm -> ReLU -> max-pool (halves the size), so a
    64 x 64 image becomes 4 x 4 after block4. About 0.1 M parameters at width=16 (16 filters in
    block1, doubling in each block): big enough to memorise 100 photos, small enough to train in seconds.
    `seed` fixes the random starting weights (the same network every run).

    Example:
        >>> net = SmallCNN(num_classes=10, seed=0)
        >>> sum(p.numel() for p in net.parameters())
        98970
    """

    group_names = ("block1", "block2", "block3", "block4", "head")

    def __init__(self, num_classes: int = 10, width: int = 16, dropout: float = 0.0, seed=None):
        super().__init__()

        num_classes = check_num_classes(num_classes)
        with torch.random.fork_rng(devices=[], enabled=seed is not None):
            if seed is not None:
                torch.manual_seed(seed)
            self._build(num_classes, width, dropout)
        self.to(memory_format=torch.channels_last)  # faster convolutions on a CPU

    def _build(self, num_classes: int, width: int, dropout: float) -> None:
        self.normalize = Normalize()
        channels = [3, width, 2 * width, 4 * width, 8 * width]
        for i in range(1, 5):
            block = nn.Sequential(
                nn.Conv2d(channels[i - 1], channels[i], 3, padding=1, bias=False),
                nn.BatchNorm2d(channels[i]),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            )
            setattr(self, f"block{i}", block)
        self.head = nn.Sequential(
            OrderedDict(
                pool=nn.AdaptiveAvgPool2d(1),
                flatten=nn.Flatten(1),
                dropout=nn.Dropout(dropout),
                fc=nn.Linear(channels[-1], num_classes),
            )
        )
