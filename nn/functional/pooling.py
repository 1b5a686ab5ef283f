"""Max and average pooling: a reduction over the same windows that convolution uses.

The windows are conv's `_im2col` view (N, C, kh, kw, Ho, Wo) of the padded input, whose reverse
rule scatters back with `_col2im`. The max and the sum over each window are primitives here
that fold a ufunc over the kh * kw kernel offsets, one whole-image numpy call per offset: numpy's
own reduction over axes (2, 3) of the strided view is 10-25x slower (with the core max rule
it was 60% of a small CNN's training step).
"""
import numpy as np

from autograd import broadcast_to, expand_dims, primitive

from .conv import _batched, _pair, _symmetric, _windows
from .linear import _check_operands

__all__ = ["max_pool2d", "avg_pool2d"]


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each ``kernel_size`` window of ``x`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size`` (windows side by side); ``padding`` adds -inf
    around the image (at most half the kernel, as in PyTorch, so every window holds a real
    pixel). Where several entries of a window tie for the max they share its gradient
    equally (the core max rule; PyTorch gives it all to one of them). PyTorch's
    ``ceil_mode`` and ``return_indices`` keep their positions but only their defaults work.

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.max_pool2d(x, 2)
    Tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    _refuse("max_pool2d", ceil_mode=ceil_mode, return_indices=return_indices)
    windows, unbatched = _pool_windows("max_pool2d", x, kernel_size, stride, padding, dilation,
                                       fill=-np.inf)
    out = _window_max(windows)
    return out[0] if unbatched else out


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each ``kernel_size`` window of ``x`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size``; ``padding`` adds zeros (at most half the
    kernel). With ``count_include_pad=True`` (PyTorch's default) those zeros count in the
    mean; with False each window is averaged over its real pixels only. PyTorch's
    ``ceil_mode`` and ``divisor_override`` keep their positions but only their defaults work.

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.avg_pool2d(x, 2)
    Tensor([[[[ 2.5,  4.5],
              [10.5, 12.5]]]])
    """
    _refuse("avg_pool2d", ceil_mode=ceil_mode, divisor_override=divisor_override)
    windows, unbatched = _pool_windows("avg_pool2d", x, kernel_size, stride, padding, 1, fill=0)
    if count_include_pad:
        counts = windows.shape[2] * windows.shape[3]
    else:  # each window's count of real pixels: the same windows over an image of ones
        real = np.ones(np.shape(x)[-2:], dtype=windows.dtype)[None, None]
        counts = _window_sum(_pool_windows("avg_pool2d", real, kernel_size, stride, padding, 1,
                                           fill=0)[0])
    out = _window_sum(windows) / counts
    return out[0] if unbatched else out


def _refuse(fn, **options):
    """PyTorch's options that are not implemented: accepted at their default only, so
    positional PyTorch calls line up and a non-default value fails loudly, not silently."""
    for name, value in options.items():
        if value not in (False, None):
            raise NotImplementedError(f"{fn}: {name}={value!r} is not supported; pooling here "
                                      f"rounds output sizes down and returns the values only")


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


# ---------------------------------------------------------------- reductions over windows
def _fold_offsets(ufunc, windows, dtype=None):
    """``ufunc`` folded over the kernel offsets of ``windows`` (N, C, kh, kw, Ho, Wo): the
    (N, C, Ho, Wo) result of one whole-image call per offset."""
    out = windows[:, :, 0, 0].astype(dtype or windows.dtype)
    for i, j in list(np.ndindex(*windows.shape[2:4]))[1:]:
        ufunc(out, windows[:, :, i, j], out=out)
    return out


def _per_window(g):
    """(N, C, Ho, Wo) as (N, C, 1, 1, Ho, Wo): one value per window, for all its entries."""
    return expand_dims(g, (2, 3))


def _max_share(ans, windows):
    """1/k on each of the k entries of a window that equal its max ``ans``, 0 elsewhere: the
    max rule's split of the gradient, a constant of the rule (as in the core max)."""
    windows, ans = np.asarray(windows), np.asarray(ans)
    hits = np.empty(windows.shape, dtype=bool)
    for i, j in np.ndindex(*windows.shape[2:4]):
        np.equal(windows[:, :, i, j], ans, out=hits[:, :, i, j])
    return hits * _per_window(1 / _fold_offsets(np.add, hits, dtype=ans.dtype))


@primitive(vjp=lambda g, ans, windows: _per_window(g) * _max_share(ans, windows),
           jvp=lambda t, ans, windows: _window_sum(t * _max_share(ans, windows)))
def _window_max(windows):
    """The max of each window of (N, C, kh, kw, Ho, Wo); tied maxima share the gradient."""
    return _fold_offsets(np.maximum, windows)


@primitive(vjp=lambda g, ans, windows: broadcast_to(_per_window(g), windows.shape),
           jvp=lambda t, ans, windows: _window_sum(t))
def _window_sum(windows):
    """The sum of each window of (N, C, kh, kw, Ho, Wo)."""
    return _fold_offsets(np.add, windows)
