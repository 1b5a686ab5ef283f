"""Fractional max pooling (Graham, 2014), PyTorch's ``fractional_max_pool2d``: max pooling
whose output size is any fraction of the input's, with pseudo-random window positions."""
import numpy as np

import autograd
from autograd import ShapeError
from autograd.extend import generator

from ._checks import _accepts_array_likes, _check_floating
from .conv import _tuple

__all__ = ["fractional_max_pool2d"]


def _intervals(samples, size, out, pool):
    """PyTorch's window starts: for sample u and alpha = (size - pool) / (out - 1), window i
    starts at int((i + u) alpha) - int(u alpha); the last one at size - pool. ``samples``
    (N, C) -> starts (N, C, out), computed in the samples' dtype as PyTorch does."""
    starts = np.full(samples.shape + (out,), size - pool, dtype=np.int64)
    if out > 1:
        alpha = samples.dtype.type(size - pool) / samples.dtype.type(out - 1)
        i = np.arange(out - 1, dtype=samples.dtype)
        starts[..., :-1] = ((i + samples[..., None]) * alpha).astype(np.int64) \
            - (samples[..., None] * alpha).astype(np.int64)
    return starts


@_accepts_array_likes
def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """Fractional max pooling of an (N, C, H, W) or (C, H, W) input: ``kernel_size``
    windows placed at pseudo-random, increasing positions so that the output has
    ``output_size`` (or ``output_ratio`` times the input's size, rounded down), with one
    random draw per sample and channel. ``_random_samples`` (N, C, 2) in [0, 1), the width's
    then the height's, fixes the draw (PyTorch's). ``return_indices``: also the flat index
    (h * W + w) of each maximum. The gradient flows to each window's (first) maximum.

    >>> x = autograd.arange(25.0).reshape(1, 1, 5, 5)
    >>> F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=autograd.zeros(1, 1, 2))
    Tensor([[[[ 6.,  7.,  9.],
              [11., 12., 14.],
              [21., 22., 24.]]]])
    """
    name = "fractional_max_pool2d"
    kh, kw = _tuple(kernel_size, 2, "kernel_size", name)
    if np.ndim(input) not in (3, 4):
        raise ShapeError(f"{name}: expected a 4-D input (N, C, H, W) or an unbatched 3-D one "
                         f"(C, H, W), got shape {np.shape(input)}")
    _check_floating(name, input)
    x = input if input.ndim == 4 else input.unsqueeze(0)
    n, c, h, w = x.shape
    if (output_size is None) == (output_ratio is None):
        raise ValueError(f"{name}: give output_size or output_ratio (exactly one of them)")
    if output_size is None:
        ratio = (output_ratio, output_ratio) if np.ndim(output_ratio) == 0 else output_ratio
        if len(ratio) != 2 or not all(0 < r < 1 for r in ratio):
            raise ValueError(f"{name}: output_ratio must be in (0, 1), or a pair of such, "
                             f"got {output_ratio!r}")
        oh, ow = int(h * ratio[0]), int(w * ratio[1])
    else:
        oh, ow = _tuple(output_size, 2, "output_size", name)
    if oh + kh - 1 > h or ow + kw - 1 > w:
        raise ValueError(f"{name}: an output of {oh}x{ow} with {kh}x{kw} windows needs an input "
                         f"of at least {oh + kh - 1}x{ow + kw - 1}, got {h}x{w}")
    dtype = np.dtype(x.dtype)
    if _random_samples is None:
        samples = generator().random((n, c, 2)).astype(dtype)
    else:
        samples = np.asarray(getattr(_random_samples, "numpy", lambda: _random_samples)(),
                             dtype=dtype)
        if samples.shape != (n, c, 2):
            raise ShapeError(f"{name}: _random_samples must have shape {(n, c, 2)}, got "
                             f"{samples.shape}")
    rows = _intervals(samples[..., 1], h, oh, kh)[..., None] + np.arange(kh)   # (n, c, oh, kh)
    cols = _intervals(samples[..., 0], w, ow, kw)[..., None] + np.arange(kw)   # (n, c, ow, kw)
    window = (rows[:, :, :, None, :, None] * w + cols[:, :, None, :, None, :]).reshape(
        n, c, oh, ow, kh * kw)
    values = np.take_along_axis(x.numpy().reshape(n, c, 1, 1, h * w), window, axis=-1)
    first_max = values.argmax(axis=-1)[..., None]            # NaN counts as the maximum
    indices = np.take_along_axis(window, first_max, axis=-1)[..., 0]
    flat = autograd.tensor(indices.reshape(n, c, oh * ow))
    out = autograd.gather(x.reshape(n, c, h * w), 2, flat).reshape(n, c, oh, ow)
    index_tensor = autograd.tensor(indices)
    if input.ndim == 3:
        out, index_tensor = out.squeeze(0), index_tensor.squeeze(0)
    return (out, index_tensor) if return_indices else out
