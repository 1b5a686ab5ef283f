"""Max and average pooling: a reduction over the same windows that convolution uses."""
import numpy as np

import autograd

from .conv import _batched, _pair, _symmetric, _windows
from .linear import _check_operands

__all__ = ["max_pool2d", "avg_pool2d"]


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1):
    """The maximum of each ``kernel_size`` window of ``x`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size`` (windows side by side); ``padding`` adds -inf
    around the image (at most half the kernel, as in PyTorch, so every window holds a real
    pixel). Where several entries of a window tie for the max they share its gradient
    equally (the core max rule; PyTorch gives it all to one of them).

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.max_pool2d(x, 2)
    Tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    windows, unbatched = _pool_windows("max_pool2d", x, kernel_size, stride, padding, dilation,
                                       fill=-np.inf)
    out = autograd.max(windows, axis=(2, 3))
    return out[0] if unbatched else out


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    """The mean of each ``kernel_size`` window of ``x`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size``; ``padding`` adds zeros (at most half the
    kernel). With ``count_include_pad=True`` (PyTorch's default) those zeros count in the
    mean; with False each window is averaged over its real pixels only.

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.avg_pool2d(x, 2)
    Tensor([[[[ 2.5,  4.5],
              [10.5, 12.5]]]])
    """
    windows, unbatched = _pool_windows("avg_pool2d", x, kernel_size, stride, padding, 1, fill=0)
    if count_include_pad:
        out = autograd.mean(windows, axis=(2, 3))
    else:  # each window's count of real pixels: the same windows over an image of ones
        real = np.ones(np.shape(x)[-2:], dtype=windows.dtype)[None, None]
        counts, _ = _pool_windows("avg_pool2d", real, kernel_size, stride, padding, 1, fill=0)
        out = autograd.sum(windows, axis=(2, 3)) / counts.sum(axis=(2, 3))
    return out[0] if unbatched else out


def _pool_windows(fn, x, kernel_size, stride, padding, dilation, fill):
    """The windows of ``x`` padded with ``fill`` (N, C, kh, kw, Ho, Wo), and whether ``x``
    came unbatched."""
    x, unbatched = _batched(x, fn)
    _check_operands(fn, x)
    kernel_size = _pair(kernel_size, "kernel_size", fn)
    stride = _pair(kernel_size if stride is None else stride, "stride", fn)
    padding, dilation = _pair(padding, "padding", fn, minimum=0), _pair(dilation, "dilation", fn)
    half = tuple((d * (k - 1) + 1) // 2 for k, d in zip(kernel_size, dilation))
    if padding[0] > half[0] or padding[1] > half[1]:
        raise ValueError(f"{fn}: padding {padding} is more than half the kernel "
                         f"(at most {half} here); a window could then hold only padding")
    return _windows(x, fn, kernel_size, stride, _symmetric(padding), dilation, fill), unbatched
