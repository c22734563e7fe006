"""Domain shift: the same photos as another camera would record them. Lesson 06.

    >>> camera = tt.domains.security_camera(val, seed=0)   # grey, 32 px, noisy: a security camera
    >>> sketch = tt.domains.sketch(val)                    # edges only, dark lines on white
    >>> tt.viz.show_domains(val, {"security camera": camera, "sketch": sketch})

Each function returns a new dataset with the same labels, classes and image size, so any model
and any recipe of the course takes it as it is. The transforms are deterministic: the same
images and seed give the same result (only the camera's noise is random).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .datasets import ImageDataset
from ..errors import TLTeachError
from ..i18n import N_, tr

SHIFTS = (N_("security camera"), N_("sketch"))
GREY = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)  # how a grey camera weighs red, green and blue


def _check(ds) -> None:
    if not isinstance(ds, ImageDataset):
        raise TLTeachError(tr("A domain shift needs a tlteach dataset, e.g. tt.load_dataset('animals', 'val')."))


def _like(ds: ImageDataset, images: torch.Tensor) -> ImageDataset:
    return ImageDataset((images.clamp(0, 1) * 255).round().to(torch.uint8), ds.labels.clone(), ds.classes,
                        name=ds.name, split=ds.split, per_class=ds.per_class)


def grey(images: torch.Tensor) -> torch.Tensor:
    """Floats N x 3 x H x W in [0, 1] -> the same in grey (three equal channels)."""
    return (images * GREY).sum(dim=1, keepdim=True).expand(-1, 3, -1, -1)


def security_camera(ds: ImageDataset, seed: int = 0, resolution: int = 32, noise: float = 0.08) -> ImageDataset:
    """Grey, only `resolution` x `resolution` pixels (enlarged back to the dataset's size) and noisy.

    `noise` is the standard deviation of the random brightness added to every pixel (0-1 scale),
    drawn with `seed`.
    """
    _check(ds)
    if not 4 <= int(resolution) <= ds.image_size[0]:
        raise TLTeachError(tr("resolution must be between 4 and {size} pixels, got {resolution}.",
                              size=ds.image_size[0], resolution=resolution))
    x = grey(ds.batch(slice(None)))
    small = F.interpolate(x, size=(int(resolution), int(resolution)), mode="area")
    x = F.interpolate(small, size=ds.image_size, mode="bilinear", align_corners=False)
    gen = torch.Generator().manual_seed(seed)
    x = x + noise * torch.randn(x.shape[0], 1, *x.shape[2:], generator=gen)
    return _like(ds, x.expand(-1, 3, -1, -1))


def sketch(ds: ImageDataset, strength: float = 1.5) -> ImageDataset:
    """Only the edges: dark lines where the brightness changes, white elsewhere, like a pencil sketch."""
    _check(ds)
    x = grey(ds.batch(slice(None)))[:, :1]
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]).view(1, 1, 3, 3)
    gx = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), sobel)
    gy = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), sobel.transpose(2, 3))
    edges = (gx.square() + gy.square()).sqrt()
    return _like(ds, (1 - strength * edges).expand(-1, 3, -1, -1))


def shift(ds: ImageDataset, name: str, seed: int = 0) -> ImageDataset:
    """The shift called `name` ("security camera" or "sketch") applied to `ds`."""
    if name == "security camera":
        return security_camera(ds, seed=seed)
    if name == "sketch":
        return sketch(ds)
    raise TLTeachError(tr("Unknown shift {name!r}. Choose one of: {shifts}.", name=name,
                          shifts=", ".join(map(repr, SHIFTS))))
