"""From a photo to the model's input: one path for files, PIL images, arrays and tensors.

Datasets, `tt.load_image` and `tt.predict` all call `prepare`, so the same photo always
becomes the same tensor: upright 8-bit RGB, the shorter side fitted to `size` with bicubic
resampling, centre-cropped to `size` x `size`. The model normalises it itself.

    >>> prepare("cat.jpg", 128).shape        # or a PIL image, an H x W x 3 array, a tensor
    torch.Size([3, 128, 128])
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps

from ..errors import TLTeachError
from ..i18n import tr


def to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL image (grayscale, 16-bit, palette, RGBA, CMYK, EXIF-rotated) as upright 8-bit RGB."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = arr.max() if arr.max() > 0 else 1.0
        img = Image.fromarray((arr / top * 255).round().astype(np.uint8), mode="L")
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
        return background
    return img.convert("RGB")


def _from_array(image) -> Image.Image:
    """A tensor or array (3 x H x W, H x W x 3 or H x W; uint8 0..255 or floats 0..1) as a PIL image."""
    x = image.detach().cpu() if isinstance(image, torch.Tensor) else torch.from_numpy(np.array(image))
    if x.ndim == 3 and x.shape[0] in (1, 3, 4) and x.shape[-1] not in (1, 3, 4):
        x = x.permute(1, 2, 0)  # channels first -> channels last
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim not in (2, 3) or (x.ndim == 3 and x.shape[-1] not in (3, 4)):
        raise TLTeachError(tr(
            "An image must have shape 3 x H x W, H x W x 3 or H x W, got {shape}.",
            shape=tuple(image.shape)))
    if x.dtype != torch.uint8:
        x = x.float()
        x = (x if x.max() > 1.5 else x * 255).round().clamp(0, 255).to(torch.uint8)  # floats in 0..1 or 0..255
    return Image.fromarray(x.contiguous().numpy())


def prepare(image, size: int) -> torch.Tensor:
    """Any single image (a file path, PIL image, array or tensor) -> uint8 tensor 3 x size x size.

    >>> prepare(Image.open("cat.jpg"), 128).dtype
    torch.uint8
    """
    if isinstance(image, (str, Path)):
        with Image.open(Path(image).expanduser()) as opened:
            return prepare(opened, size)
    if isinstance(image, Image.Image):
        if image.format == "JPEG":
            image.draft("RGB", (size * 2, size * 2))  # decode a huge JPEG at a smaller scale (no-op once loaded)
        image.load()
        rgb = to_rgb(image)
    elif isinstance(image, (torch.Tensor, np.ndarray)):
        rgb = to_rgb(_from_array(image))
    else:
        raise TLTeachError(tr(
            "Cannot read an image from a {kind}; give a file path, a PIL image, a numpy array or a tensor (e.g. "
            "tt.load_image(path)).",
            kind=type(image).__name__))
    if rgb.size != (size, size):
        rgb = ImageOps.fit(rgb, (size, size), method=Image.Resampling.BICUBIC)
    return torch.from_numpy(np.asarray(rgb).copy()).permute(2, 0, 1).contiguous()


def as_batch(images, size: int) -> torch.Tensor:
    """A dataset, a batch tensor or a list of images -> float N x 3 x size x size in [0, 1]."""
    if hasattr(images, "images") and hasattr(images, "labels"):  # a dataset
        images = images.images
    if isinstance(images, torch.Tensor) and images.ndim == 4 and images.shape[1:] == (3, size, size):
        return images.float() / 255 if images.dtype == torch.uint8 else images.float()
    if isinstance(images, torch.Tensor) and images.ndim == 4:
        images = list(images)
    if not isinstance(images, (list, tuple)):
        images = [images]
    if len(images) == 0:
        raise TLTeachError(tr("No images given."))
    return torch.stack([prepare(img, size) for img in images]).float() / 255


def own_size(image) -> int:
    """The shorter side of an image (a file path, PIL image, array or tensor)."""
    if isinstance(image, (str, Path)):
        with Image.open(Path(image).expanduser()) as opened:
            return min(opened.size)
    if isinstance(image, Image.Image):
        return min(image.size)
    shape = tuple(image.shape)
    return min(shape[-2:]) if len(shape) == 2 or shape[0] in (1, 3, 4) else min(shape[:2])


def as_float(image, size=None) -> torch.Tensor:
    """One image as floats 3 x S x S in [0, 1], at `size` or its own (square, centre) size."""
    return prepare(image, size or own_size(image)).float() / 255
