"""Pooling in 1, 2 and 3 dimensions: max, average, Lp, their adaptive forms, and max unpooling.

Max and average pooling reduce over the same windows that convolution uses: conv's strided
view (N, C, *kernel, *out) of the padded input. The sum over each window folds a ufunc over
the kernel offsets, one whole-image numpy call per offset: numpy's own reduction over the
kernel axes of the strided view is 10-25x slower (with the core max rule it was 60% of a
small CNN's training step). The max folds one spatial axis at a time (exact, and 1.5-2x
faster for 2x2 windows).

Average pooling sums conv's `_im2col` windows, whose reverse rule scatters back with
`_col2im`. Max pooling is one op on the padded image, whose gradient is written straight into
an image-sized array, offset by offset, where each window attains its max (ties share): no
window-sized float array is built (one bool per window entry marks the maxima), and where
windows do not overlap each pixel is assigned once instead of added to.

``ceil_mode`` windows that run past the end are padded there too (-inf for the max; for the
mean, a divisor that counts only the input and its given padding, as PyTorch). Adaptive
average pooling is one averaging matrix per axis; adaptive max pooling gathers each axis's
windows (their sizes differ by at most one) padded with -inf to the longest.
"""
import math

import numpy as np

from autograd import (ShapeError, broadcast_to, expand_dims, matmul, pad, permute, relu,
                      reshape, sign, swapaxes, tensor)
from autograd.extend import primitive, raw, registered

from . import _batching
from .conv import _batched, _offsets, _padded, _tuple, _window_view, _windows
from .linear import _check_operands

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
           "max_unpool1d", "max_unpool2d", "max_unpool3d", "lp_pool1d", "lp_pool2d", "lp_pool3d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d"]


# ---------------------------------------------------------------- max pooling
@registered("general", namespace="nn.functional")
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each window of ``input`` (N, C, L) or (C, L); see `max_pool2d`.

    >>> F.max_pool1d(autograd.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
    [[[3.0, 2.0]]]
    """
    return _max_pool_nd("max_pool1d", 1, input, kernel_size, stride, padding, dilation,
                        ceil_mode, return_indices)


@registered("general", namespace="nn.functional")
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each ``kernel_size`` window of ``input`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size`` (windows side by side); ``padding`` adds -inf
    around the image (at most half the kernel, as in PyTorch, so every window holds a real
    pixel); ``dilation`` spaces a window's entries. With ``ceil_mode`` the output size rounds
    up: a last, partial window is kept if it starts inside the input or its left padding.
    ``return_indices=True`` also returns where each max is, as PyTorch: flat int64 positions
    within each (unpadded) input plane, the first of tied entries (`max_unpool2d` takes them).
    Where several entries of a window tie for the max they share its gradient equally (the
    core max rule; PyTorch gives it all to the one its index names).

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.max_pool2d(x, 2)
    Tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    return _max_pool_nd("max_pool2d", 2, input, kernel_size, stride, padding, dilation,
                        ceil_mode, return_indices)


@registered("general", namespace="nn.functional")
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each window of ``input`` (N, C, D, H, W) or (C, D, H, W); see
    `max_pool2d`.

    >>> F.max_pool3d(autograd.ones(1, 2, 4, 4, 4), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _max_pool_nd("max_pool3d", 3, input, kernel_size, stride, padding, dilation,
                        ceil_mode, return_indices)


def _max_pool_nd(fn, dims, x, kernel_size, stride, padding, dilation, ceil_mode,
                 return_indices):
    x, unbatched, geometry, pads = _pool_input(fn, dims, x, kernel_size, stride, padding,
                                               dilation, ceil_mode)
    padded = _padded(x, fn, geometry["kernel_size"], pads, geometry["dilation"], -np.inf)
    out = _max_pool(padded, **geometry)
    if not return_indices:
        return out[0] if unbatched else out
    indices = tensor(_argmax_positions(raw(padded), np.shape(x)[2:], pads, **geometry))
    return (out[0], indices[0]) if unbatched else (out, indices)


def _argmax_positions(padded, shape, pads, kernel_size, stride, dilation):
    """For each window of ``padded``: the flat position, within an unpadded plane of
    ``shape``, of its max (the first in the window's row-major order among ties)."""
    windows = _window_view(padded, kernel_size, stride, dilation)
    offsets = list(np.ndindex(*kernel_size))
    best = windows[_offsets(kernel_size)[0]].copy()
    which = np.zeros(best.shape, dtype=np.int64)  # the offset of each window's max
    for k, index in enumerate(_offsets(kernel_size)[1:], start=1):
        values = windows[index]
        better = values > best
        np.copyto(best, values, where=better)
        which[better] = k
    position = np.zeros(best.shape, dtype=np.int64)
    for axis, size in enumerate(shape):  # row-major flattening of each window's coordinate
        out = np.arange(best.shape[2 + axis]).reshape((-1,) + (1,) * (len(shape) - 1 - axis))
        offset = np.array([o[axis] for o in offsets])[which]
        position = position * size + out * stride[axis] + offset * dilation[axis] - \
            pads[axis][0]
    return position


# ---------------------------------------------------------------- average and Lp pooling
@registered("general", namespace="nn.functional")
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """The mean of each window of ``input`` (N, C, L) or (C, L); see `avg_pool2d`.

    >>> F.avg_pool1d(autograd.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
    [[[2.0, 1.0]]]
    """
    return _avg_pool_nd("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode,
                        count_include_pad, None)


@registered("general", namespace="nn.functional")
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each ``kernel_size`` window of ``input`` (N, C, H, W) or (C, H, W).

    ``stride`` defaults to ``kernel_size``; ``padding`` adds zeros (at most half the
    kernel). With ``count_include_pad=True`` (PyTorch's default) those zeros count in the
    mean; with False each window is averaged over its real pixels only. ``ceil_mode`` rounds
    the output size up as in `max_pool2d` (the part of a last window past the padding never
    counts). ``divisor_override`` divides every window's sum by that number instead.

    >>> x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    >>> F.avg_pool2d(x, 2)
    Tensor([[[[ 2.5,  4.5],
              [10.5, 12.5]]]])
    """
    return _avg_pool_nd("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode,
                        count_include_pad, divisor_override)


@registered("general", namespace="nn.functional")
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window of ``input`` (N, C, D, H, W) or (C, D, H, W); see
    `avg_pool2d`.

    >>> F.avg_pool3d(autograd.ones(1, 2, 4, 4, 4), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _avg_pool_nd("avg_pool3d", 3, input, kernel_size, stride, padding, ceil_mode,
                        count_include_pad, divisor_override)


def _avg_pool_nd(fn, dims, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                 divisor_override):
    x, unbatched, geometry, pads = _pool_input(fn, dims, x, kernel_size, stride, padding, 1,
                                               ceil_mode)
    sums = _window_sum(_windows(x, fn, padding=pads, **geometry))
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(divisor_override, int) or \
                divisor_override == 0:
            raise ValueError(f"{fn}: divisor_override must be a nonzero int, got "
                             f"{divisor_override!r}")
        counts = divisor_override
    else:  # each window's count: the same windows over a mask of what counts
        size = np.shape(x)[2:]
        mask = np.zeros(tuple(s + a + b for s, (a, b) in zip(size, pads)), dtype=sums.dtype)
        given = tuple(slice(0, s + 2 * a) if count_include_pad else slice(a, a + s)
                      for s, (a, _) in zip(size, pads))
        mask[given] = 1
        counts = _fold_offsets(np.add, _window_view(mask[None, None], **geometry))
    out = sums / counts
    return out[0] if unbatched else out


@registered("general", namespace="nn.functional")
def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The p-norm (``norm_type``) of each window of ``input`` (N, C, L) or (C, L); see
    `lp_pool2d`.

    >>> F.lp_pool1d(autograd.tensor([[[3.0, 4.0]]]), 2, 2).tolist()
    [[[5.0]]]
    """
    return _lp_pool_nd("lp_pool1d", 1, input, norm_type, kernel_size, stride, ceil_mode)


@registered("general", namespace="nn.functional")
def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``(sum of x ** norm_type over each window) ** (1 / norm_type)`` of ``input``
    (N, C, H, W) or (C, H, W), computed as PyTorch does (from the mean of ``x ** p``; a
    negative window sum gives 0). No padding.

    >>> F.lp_pool2d(autograd.ones(1, 1, 2, 2), 1, 2).tolist()
    [[[[4.0]]]]
    """
    return _lp_pool_nd("lp_pool2d", 2, input, norm_type, kernel_size, stride, ceil_mode)


@registered("general", namespace="nn.functional")
def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """The p-norm of each window of ``input`` (N, C, D, H, W) or (C, D, H, W); see
    `lp_pool2d`.

    >>> F.lp_pool3d(autograd.ones(1, 1, 2, 2, 2), 2, 2).shape
    (1, 1, 1, 1, 1)
    """
    return _lp_pool_nd("lp_pool3d", 3, input, norm_type, kernel_size, stride, ceil_mode)


def _lp_pool_nd(fn, dims, x, norm_type, kernel_size, stride, ceil_mode):
    kernel = _tuple(kernel_size, dims, "kernel_size", fn)
    means = _avg_pool_nd(fn, dims, x ** norm_type, kernel, stride, 0, ceil_mode, True, None)
    return (sign(means) * relu(abs(means)) * math.prod(kernel)) ** (1.0 / norm_type)


# ---------------------------------------------------------------- unpooling
@registered("general", namespace="nn.functional")
def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of `max_pool1d` on its maxima; see `max_unpool2d`.

    >>> x, i = F.max_pool1d(autograd.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2, return_indices=True)
    >>> F.max_unpool1d(x, i, 2).tolist()
    [[[0.0, 3.0, 2.0, 0.0]]]
    """
    return _max_unpool_nd("max_unpool1d", 1, input, indices, kernel_size, stride, padding,
                          output_size)


@registered("general", namespace="nn.functional")
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Zeros of the pooled-from size with each value of ``input`` (N, C, H, W) or (C, H, W)
    put at its flat position ``indices`` (from ``max_pool2d(..., return_indices=True)``)
    within its plane. The size is ``(H - 1) * stride - 2 * padding + kernel_size`` per axis,
    or ``output_size`` (the last two entries; within ``stride`` of that). Where two values
    share an index one of them is kept (PyTorch leaves it unspecified); the gradient of each
    input is the output gradient at its index.

    >>> x, i = F.max_pool2d(autograd.arange(4.0).reshape(1, 1, 2, 2), 2, return_indices=True)
    >>> F.max_unpool2d(x, i, 2).tolist()
    [[[[0.0, 0.0], [0.0, 3.0]]]]
    """
    return _max_unpool_nd("max_unpool2d", 2, input, indices, kernel_size, stride, padding,
                          output_size)


@registered("general", namespace="nn.functional")
def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of `max_pool3d` on its maxima; see `max_unpool2d`.

    >>> x, i = F.max_pool3d(autograd.ones(1, 1, 2, 2, 2), 2, return_indices=True)
    >>> F.max_unpool3d(x, i, 2).shape
    (1, 1, 2, 2, 2)
    """
    return _max_unpool_nd("max_unpool3d", 3, input, indices, kernel_size, stride, padding,
                          output_size)


def _max_unpool_nd(fn, dims, x, indices, kernel_size, stride, padding, output_size):
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x)
    index = np.asarray(raw(indices))
    if index.dtype.kind not in "iu" or index.shape != np.shape(x)[unbatched:]:
        raise ShapeError(f"{fn}: indices must be integers of the input's shape "
                         f"{np.shape(x)[unbatched:]}, got {index.dtype} of shape {index.shape}")
    kernel = _tuple(kernel_size, dims, "kernel_size", fn)
    stride = _tuple(kernel if stride is None else stride, dims, "stride", fn)
    padding = _tuple(padding, dims, "padding", fn, minimum=0)
    size_in = np.shape(x)[2:]
    default = tuple((i - 1) * s - 2 * p + k
                    for i, s, p, k in zip(size_in, stride, padding, kernel))
    size = default
    if output_size is not None:
        size = tuple(int(s) for s in output_size)[-dims:]
        if len(tuple(output_size)) not in (dims, dims + 2) or any(
                not d - s < o < d + s for o, d, s in zip(size, default, stride)):
            raise ShapeError(f"{fn}: output_size {tuple(output_size)} must give {dims} sizes "
                             f"each within stride {stride} of the default {default}")
    n, channels = np.shape(x)[:2]
    plane = math.prod(size)
    index = index.reshape(n, channels, math.prod(size_in))
    if index.size and (index.min() < 0 or index.max() >= plane):
        raise ShapeError(f"{fn}: indices must lie in [0, {plane}) (an output plane of size "
                         f"{size}), got values in [{index.min()}, {index.max()}]")
    flat = (index + plane * np.arange(n * channels).reshape(n, channels, 1)).ravel()
    out = reshape(_unpool(reshape(x, (-1,)), index=flat, size=n * channels * plane),
                  (n, channels) + size)
    return out[0] if unbatched else out


@primitive(vjp=lambda g, ans, x, index, size: g[index],
           jvp=lambda t, ans, x, index, size: _unpool(t, index=index, size=size))
def _unpool(x, index, size):
    """Zeros of length ``size`` with x (1-D) put at ``index`` (of a repeated index, one
    value stays)."""
    x = np.asarray(x)
    out = np.zeros(size, dtype=x.dtype)
    out[index] = x
    return out


# ---------------------------------------------------------------- adaptive pooling
@registered("general", namespace="nn.functional")
def adaptive_avg_pool1d(input, output_size):
    """Average pooling of ``input`` (N, C, L) or (C, L) into ``output_size`` windows; see
    `adaptive_avg_pool2d`.

    >>> F.adaptive_avg_pool1d(autograd.tensor([[[1.0, 2.0, 3.0]]]), 2).tolist()
    [[[1.5, 2.5]]]
    """
    return _adaptive_avg_pool_nd("adaptive_avg_pool1d", 1, input, output_size)


@registered("general", namespace="nn.functional")
def adaptive_avg_pool2d(input, output_size):
    """Average pooling of ``input`` (N, C, H, W) or (C, H, W) to the spatial size
    ``output_size`` (an int, a pair; None keeps that axis): output entry i along an axis of
    length L averages entries ``floor(i * L / out)`` to ``ceil((i + 1) * L / out)``
    (exclusive), as PyTorch. ``output_size=1`` is global average pooling.

    >>> F.adaptive_avg_pool2d(autograd.arange(16.0).reshape(1, 1, 4, 4), 1).tolist()
    [[[[7.5]]]]
    """
    return _adaptive_avg_pool_nd("adaptive_avg_pool2d", 2, input, output_size)


@registered("general", namespace="nn.functional")
def adaptive_avg_pool3d(input, output_size):
    """Average pooling of ``input`` (N, C, D, H, W) or (C, D, H, W) to ``output_size``;
    see `adaptive_avg_pool2d`.

    >>> F.adaptive_avg_pool3d(autograd.ones(1, 2, 5, 4, 3), (2, 2, None)).shape
    (1, 2, 2, 2, 3)
    """
    return _adaptive_avg_pool_nd("adaptive_avg_pool3d", 3, input, output_size)


def _adaptive_avg_pool_nd(fn, dims, x, output_size):
    """One averaging matrix per axis: the mean over each window is separable."""
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x)
    dtype = raw(x).dtype
    for axis, (size, out) in enumerate(zip(np.shape(x)[2:], _output_size(fn, dims, x,
                                                                         output_size))):
        average = np.zeros((size, out), dtype=dtype)
        for i, (start, end) in enumerate(_adaptive_windows(size, out)):
            average[start:end, i] = 1 / (end - start)
        x = swapaxes(matmul(swapaxes(x, 2 + axis, -1), tensor(average)), 2 + axis, -1)
    return x[0] if unbatched else x


@registered("general", namespace="nn.functional")
def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling of ``input`` (N, C, L) or (C, L) into ``output_size`` windows; see
    `adaptive_max_pool2d`.

    >>> F.adaptive_max_pool1d(autograd.tensor([[[1.0, 2.0, 3.0]]]), 2).tolist()
    [[[2.0, 3.0]]]
    """
    return _adaptive_max_pool_nd("adaptive_max_pool1d", 1, input, output_size, return_indices)


@registered("general", namespace="nn.functional")
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling of ``input`` (N, C, H, W) or (C, H, W) to the spatial size
    ``output_size``, over the windows of `adaptive_avg_pool2d`; ``return_indices`` as in
    `max_pool2d`. Tied maxima share the gradient.

    >>> F.adaptive_max_pool2d(autograd.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    return _adaptive_max_pool_nd("adaptive_max_pool2d", 2, input, output_size, return_indices)


@registered("general", namespace="nn.functional")
def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max pooling of ``input`` (N, C, D, H, W) or (C, D, H, W) to ``output_size``; see
    `adaptive_max_pool2d`.

    >>> F.adaptive_max_pool3d(autograd.ones(1, 2, 5, 4, 3), 2).shape
    (1, 2, 2, 2, 2)
    """
    return _adaptive_max_pool_nd("adaptive_max_pool3d", 3, input, output_size, return_indices)


def _adaptive_max_pool_nd(fn, dims, x, output_size, return_indices):
    """Each axis's windows gathered as (out, longest) from the axis padded with one -inf
    (where a window is shorter), then the max over the gathered window axes."""
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x)
    shape = np.shape(x)[2:]
    gathers = []
    for size, out in zip(shape, _output_size(fn, dims, x, output_size)):
        windows = _adaptive_windows(size, out)
        longest = max(end - start for start, end in windows)
        # entries past a window's end take the -inf appended at index ``size``
        gather = np.array([[start + k if start + k < end else size for k in range(longest)]
                           for start, end in windows])
        gathers.append(gather)
    x = pad(x, ((0, 0), (0, 0)) + ((0, 1),) * dims, constant_values=-np.inf)
    for axis, gather in enumerate(gathers):  # axis 2 + 2 * axis becomes (out, longest)
        x = x[(slice(None),) * (2 + 2 * axis) + (gather,)]
    outs = tuple(g.shape[0] for g in gathers)
    x = permute(x, (0, 1) + tuple(range(2, 2 + 2 * dims, 2)) + tuple(range(3, 3 + 2 * dims, 2)))
    x = reshape(x, np.shape(x)[:2 + dims] + (math.prod(g.shape[1] for g in gathers),))
    out = x.max(dim=-1).values
    if return_indices:
        which = np.unravel_index(np.argmax(raw(x), axis=-1), tuple(g.shape[1] for g in gathers))
        position = np.zeros(np.shape(out), dtype=np.int64)
        for axis, (gather, k) in enumerate(zip(gathers, which)):
            rows = np.arange(outs[axis]).reshape((-1,) + (1,) * (dims - 1 - axis))
            position = position * shape[axis] + gather[rows, k]
        indices = tensor(position)
        return (out[0], indices[0]) if unbatched else (out, indices)
    return out[0] if unbatched else out


def _adaptive_windows(size, out):
    """PyTorch's adaptive windows of an axis of ``size``: (floor(i * size / out),
    ceil((i + 1) * size / out)) for i < out."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _output_size(fn, dims, x, output_size):
    """``output_size`` (an int, or ``dims`` ints or Nones) as ``dims`` ints."""
    sizes = (output_size,) * dims if isinstance(output_size, (int, np.integer)) else \
        tuple(output_size) if isinstance(output_size, (tuple, list)) else None
    if sizes is None or len(sizes) != dims or not all(
            s is None or isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1
            for s in sizes):
        raise ValueError(f"{fn}: output_size must be an int >= 1 or {dims} of them (None keeps "
                         f"an axis), got {output_size!r}")
    return tuple(int(size if s is None else s) for s, size in zip(sizes, np.shape(x)[2:]))


# ---------------------------------------------------------------- geometry
def _pool_input(fn, dims, x, kernel_size, stride, padding, dilation, ceil_mode):
    """``x`` as (N, C, *spatial), whether it came unbatched, the windows' geometry
    (kernel_size, stride, dilation as tuples) and the padding as (before, after) per axis:
    ``padding`` on both sides, plus what ``ceil_mode``'s last windows need at the end."""
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x)
    kernel = _tuple(kernel_size, dims, "kernel_size", fn)
    stride = _tuple(kernel if stride is None or stride == [] else stride, dims, "stride", fn)
    padding = _tuple(padding, dims, "padding", fn, minimum=0)
    dilation = _tuple(dilation, dims, "dilation", fn)
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    half = tuple(s // 2 for s in span)
    if any(p > h for p, h in zip(padding, half)):
        raise ValueError(f"{fn}: padding {padding} is more than half the kernel "
                         f"(at most {half} here); a window could then hold only padding")
    pads = []
    for size, k, s, p in zip(np.shape(x)[2:], span, stride, padding):
        room = size + 2 * p - k
        if room < 0:
            raise ShapeError(f"{fn}: the kernel spans {span} pixels (kernel_size {kernel}, "
                             f"dilation {dilation}) but the padded input is only "
                             f"{tuple(n + 2 * q for n, q in zip(np.shape(x)[2:], padding))}; "
                             "use a smaller kernel or more padding")
        out = -(-room // s) + 1 if ceil_mode else room // s + 1
        if ceil_mode and (out - 1) * s >= size + p:  # the last window would start past the end
            out -= 1
        pads.append((p, p + max(0, (out - 1) * s + k - size - 2 * p)))
    return x, unbatched, dict(kernel_size=kernel, stride=stride, dilation=dilation), tuple(pads)


# ---------------------------------------------------------------- reductions over windows
def _fold_offsets(ufunc, windows, dtype=None):
    """``ufunc`` folded over the kernel offsets of ``windows`` (N, C, *kernel, *out): the
    (N, C, *out) result of one whole-image call per offset."""
    offsets = _offsets(windows.shape[2:2 + (windows.ndim - 2) // 2])
    out = windows[offsets[0]].astype(dtype or windows.dtype)
    for offset in offsets[1:]:
        ufunc(out, windows[offset], out=out)
    return out


def _hits(x, top, geometry):
    """For each kernel offset, in np.ndindex order: where x's entries at that offset of
    every window attain their window's max ``top`` (bools, N, C, *out)."""
    windows = _window_view(x, **geometry)
    return [windows[offset] == top for offset in _offsets(geometry["kernel_size"])]


def _tie_count(hits, dtype):
    """k for a window whose max is attained by k of its entries (N, C, *out): the max rule
    splits the gradient by it (as the core max, PyTorch's amax)."""
    count = hits[0].astype(dtype)
    for hit in hits[1:]:
        count += hit
    return count


def _offset_views(image, geometry, writeable=False):
    """``image``'s pixels at each kernel offset of every window, in np.ndindex order."""
    windows = _window_view(image, writeable=writeable, **geometry)
    return [windows[offset] for offset in _offsets(geometry["kernel_size"])]


# Max pooling's rules are two linear maps of the gradient (tangent), each the other's adjoint
# (so each is the other's reverse rule and its own forward rule); x and its window maxima
# ``top`` are constants to them, as the max's selection is piecewise constant in x.
@primitive(vjp=lambda g, ans, y, **params: _gather_max(g, **params),
           jvp=lambda t, ans, y, **params: _route_max(t, **params), batch=_batching.max_routing)
def _route_max(y, x, top, kernel_size, stride, dilation):
    """An image like ``x`` holding each value of y (N, C, *out) where its window of x
    attains the max ``top``, split among ties; overlapping windows add up."""
    if all(d == 1 and s == k and o * s == size for k, s, d, o, size in
           zip(kernel_size, stride, dilation, top.shape[2:], x.shape[2:])):
        return _route_tiles(y, x, top, kernel_size)
    geometry = dict(kernel_size=kernel_size, stride=stride, dilation=dilation)
    hits = _hits(x, top, geometry)
    shared = np.reciprocal(_tie_count(hits, top.dtype))  # times y, bitwise as the core max
    shared *= y
    span = [d * (k - 1) + 1 for k, d in zip(kernel_size, dilation)]
    apart = all(s >= k for s, k in zip(stride, span))  # no pixel is in two windows
    image = np.zeros(x.shape, dtype=shared.dtype)
    term = None if apart else np.empty_like(shared)
    # (multiply by the bool mask: numpy's where= masked writes measured 5-7x slower)
    for hit, pixels in zip(hits, _offset_views(image, geometry, writeable=True)):
        if apart:  # each pixel is written once: assign
            np.multiply(shared, hit, out=pixels)
        else:  # one offset's pixels are distinct, so += loses no overlap
            pixels += np.multiply(shared, hit, out=term)
    return image


def _route_tiles(y, x, top, kernel_size):
    """`_route_max` where the windows tile x exactly (stride = kernel, no dilation): x as
    (N, C, o1, k1, ..., o_d * k_d), each line of the last axis whole, against top and the
    shares repeated k_d times along it. The per-offset views' inner loops step over k_d
    pixels; these run along whole lines (measured 1.2-1.3x faster for 2x2 windows)."""
    outs, last = top.shape[2:], kernel_size[-1]
    shape = x.shape[:2] + sum(zip(outs[:-1], kernel_size[:-1]), ()) + x.shape[-1:]
    lines = tuple(range(3, 2 * len(outs), 2))  # the kernel axes but the last
    hit = x.reshape(shape) == np.expand_dims(_repeat_last(top, last), lines)
    count = None  # entries at each max: over the kernel's leading axes, then along lines
    for offset in np.ndindex(*kernel_size[:-1]):
        part = hit[(slice(None),) * 2 + sum(((slice(None), i) for i in offset), ())]
        count = part.astype(top.dtype) if count is None else np.add(count, part, out=count)
    count = count.reshape(top.shape + (last,))
    shared = count[..., 0].copy()
    for j in range(1, last):
        shared += count[..., j]
    shared = np.reciprocal(shared, out=shared)  # times y, bitwise as the core max
    shared *= y
    image = np.empty(x.shape, dtype=shared.dtype)
    np.multiply(hit, np.expand_dims(_repeat_last(shared, last), lines),
                out=image.reshape(shape))
    return image


def _repeat_last(a, k):
    """``a`` with each entry repeated k times along its last axis (k strided copies: 3-5x
    faster than np.repeat here)."""
    out = np.empty(a.shape + (k,), a.dtype)
    for j in range(k):
        out[..., j] = a
    return out.reshape(a.shape[:-1] + (a.shape[-1] * k,))


@primitive(vjp=lambda g, ans, image, **params: _route_max(g, **params),
           jvp=lambda t, ans, image, **params: _gather_max(t, **params),
           batch=_batching.max_routing)
def _gather_max(image, x, top, kernel_size, stride, dilation):
    """For each window: ``image``'s entries where the window of x attains the max ``top``,
    averaged over ties (the max's tangent when image is x's tangent)."""
    geometry = dict(kernel_size=kernel_size, stride=stride, dilation=dilation)
    hits = _hits(x, top, geometry)
    share = np.reciprocal(_tie_count(hits, top.dtype))
    out = None
    for hit, values in zip(hits, _offset_views(image, geometry)):
        term = values * (share * hit)
        out = term if out is None else np.add(out, term, out=out)
    return out


def _max_rule(linear):
    """max pooling's reverse (`_route_max`) or forward (`_gather_max`) rule."""
    return lambda s, ans, x, **geometry: linear(s, x=raw(x), top=raw(ans), **geometry)


@primitive(vjp=_max_rule(_route_max), jvp=_max_rule(_gather_max), batch=_batching.merge)
def _max_pool(x, kernel_size, stride, dilation):
    """The max of each window of the (padded) image x (N, C, *spatial): (N, C, *out), one
    spatial axis at a time (the max over a box is the max over its rows of the max along
    them: k1 + k2 whole-image calls rather than k1 * k2, on smaller arrays after the first
    axis). Tied maxima share the gradient."""
    x = np.asarray(x)
    for axis, (k, s, d) in enumerate(zip(kernel_size, stride, dilation), start=2):
        out = (x.shape[axis] - d * (k - 1) - 1) // s + 1
        views = [x[(slice(None),) * axis + (slice(b * d, b * d + (out - 1) * s + 1, s),)]
                 for b in range(k)]
        x = np.maximum(views[0], views[1]) if k > 1 else views[0].copy()
        for view in views[2:]:
            np.maximum(x, view, out=x)
    return x


@primitive(vjp=lambda g, ans, windows: broadcast_to(
               expand_dims(g, tuple(range(2, 2 + (len(windows.shape) - 2) // 2))), windows.shape),
           jvp=lambda t, ans, windows: _window_sum(t), batch=_batching.merge)
def _window_sum(windows):
    """The sum of each window of (N, C, *kernel, *out)."""
    return _fold_offsets(np.add, windows)
