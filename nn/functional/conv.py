"""Convolution in 1, 2 and 3 dimensions, plain and transposed.

Three bilinear maps do all the work: the convolution `_conv(x, w)` of a padded input, its
input gradient `_conv_input_grad(g, w)` (which is also the transposed convolution's
forward) and its weight gradient `_conv_weight_grad(x, g)`. With T(x, w, g) = <conv(x, w), g>
each of them is T with one argument left open, so each one's reverse rules are the other two:
derivatives of any order close over them, and the forward rule is the bilinear
f(tx, y) + f(x, ty). All three are computed alike, for any stride, dilation and groups: per
block of samples (`_blocks`, about 512 KiB of columns; the blocks run on the library's
threads, `autograd.set_num_threads`), the block's windows laid out as columns (im2col, a
copy) and one batched matmul with the kernels or the output's gradient; the input gradient
adds its columns back where their windows lie (at stride 1 as contiguous runs of the
flattened image, elsewhere through the window view, `_add_windows`). A block's
columns are used while they sit in the cache: im2col of the whole batch at once, or one
matmul per kernel offset over the flat image (thin products, k² passes over memory), were
1.2-5x slower here.

The window extraction `_im2col` (over the last N axes of (batch, channels, *spatial)) and its
adjoint `_col2im` (scatter-add each window back where it came from: overlapping windows add
up) are primitives, each the other's reverse rule and its own forward rule; pooling reduces
over the same windows.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd import ShapeError, expand_dims, get_num_threads, pad, reshape
from autograd.extend import bilinear, parallel, primitive, registered

from . import _batching
from .linear import _check_bias, _check_operands

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold"]


@registered("general", namespace="nn.functional")
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) of ``input`` (N, C, L), or unbatched (C, L), with
    ``weight`` (out_channels, C / groups, k); see `conv2d` for the arguments.

    >>> F.conv1d(autograd.arange(5.0).reshape(1, 1, 5), autograd.ones(1, 1, 2)).tolist()
    [[[1.0, 3.0, 5.0, 7.0]]]
    """
    return _convolution("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


@registered("general", namespace="nn.functional")
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in every deep-learning library) of ``input``
    (N, C, H, W), or unbatched (C, H, W), with ``weight`` (out_channels, C / groups, kh, kw).

    ``stride``, ``padding`` (zeros) and ``dilation`` are ints or (height, width) pairs;
    ``padding`` may also be 'valid' (none) or 'same' (output as large as the input; stride 1;
    an odd total goes to the bottom/right, as in PyTorch). ``groups`` splits the channels
    into independent convolutions. The output is (N, out_channels, Ho, Wo) with
    ``Ho = (H + 2 * padding - dilation * (kh - 1) - 1) // stride + 1`` (and Wo alike).

    >>> x = autograd.arange(9.0).reshape(1, 1, 3, 3)
    >>> F.conv2d(x, autograd.ones(1, 1, 2, 2))          # the sum of each 2x2 window
    Tensor([[[[ 8., 12.],
              [20., 24.]]]])
    """
    return _convolution("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


@registered("general", namespace="nn.functional")
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution (cross-correlation) of ``input`` (N, C, D, H, W), or unbatched
    (C, D, H, W), with ``weight`` (out_channels, C / groups, kd, kh, kw); see `conv2d`.

    >>> F.conv3d(autograd.ones(1, 2, 3, 3, 3), autograd.ones(4, 2, 2, 2, 2)).shape
    (1, 4, 2, 2, 2)
    """
    return _convolution("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


@registered("general", namespace="nn.functional")
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """1-D transposed convolution of ``input`` (N, C, L) or (C, L) with ``weight``
    (C, out_channels / groups, k); see `conv_transpose2d`.

    >>> F.conv_transpose1d(autograd.ones(1, 1, 3), autograd.ones(1, 1, 2)).tolist()
    [[[1.0, 2.0, 2.0, 1.0]]]
    """
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


@registered("general", namespace="nn.functional")
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """2-D transposed convolution ("deconvolution") of ``input`` (N, C, H, W) or (C, H, W)
    with ``weight`` (C, out_channels / groups, kh, kw): the adjoint of `conv2d`'s map of its
    input, so it undoes conv2d's shapes. Each input pixel adds its weighted kernel into the
    output, ``stride`` apart, kernel entries ``dilation`` apart; ``padding`` crops that many
    rows/columns from each side, and ``output_padding`` (less than stride or dilation) adds
    rows/columns at the end (it picks among the input sizes that conv2d with this stride maps
    to one size). ``groups`` as in conv2d. The output is (N, out_channels, Ho, Wo) with
    ``Ho = (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1``.

    >>> F.conv_transpose2d(autograd.ones(1, 1, 2, 2), autograd.ones(1, 1, 2, 2), stride=2).shape
    (1, 1, 4, 4)
    """
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


@registered("general", namespace="nn.functional")
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """3-D transposed convolution of ``input`` (N, C, D, H, W) or (C, D, H, W) with
    ``weight`` (C, out_channels / groups, kd, kh, kw); see `conv_transpose2d`.

    >>> F.conv_transpose3d(autograd.ones(1, 2, 2, 2, 2), autograd.ones(2, 3, 2, 2, 2)).shape
    (1, 3, 3, 3, 3)
    """
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding,
                           output_padding, groups, dilation)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col: the sliding windows of ``input`` (N, C, H, W), zero-padded, as columns of
    shape (N, C * kh * kw, L) with L windows, in PyTorch's order (a channel's kh * kw entries
    together, windows row by row). ``conv2d`` is ``weight.reshape(out, -1) @ unfold(x)``.

    >>> F.unfold(autograd.ones(1, 2, 3, 3), kernel_size=2).shape
    (1, 8, 4)
    """
    x, unbatched = _batched(input, "unfold", 2)
    kernel_size = _tuple(kernel_size, 2, "kernel_size", "unfold")
    padding = _symmetric(_tuple(padding, 2, "padding", "unfold", minimum=0))
    cols = _windows(x, "unfold", kernel_size, _tuple(stride, 2, "stride", "unfold"), padding,
                    _tuple(dilation, 2, "dilation", "unfold"))
    n, channels, kh, kw, out_h, out_w = cols.shape
    cols = reshape(cols, (n, channels * kh * kw, out_h * out_w))
    return cols[0] if unbatched else cols


# ---------------------------------------------------------------- convolution in N dimensions
def _convolution(fn, dims, x, weight, bias, stride, padding, dilation, groups):
    """``fn`` (conv1d/2d/3d): the N-d convolution of the padded input (`_conv`)."""
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x, weight, bias)
    kernel_size = _kernel(fn, weight, dims, "(out_channels, in_channels / groups, *kernel)")
    n, channels = np.shape(x)[:2]
    out_channels, group_channels = np.shape(weight)[:2]
    _check_groups(fn, groups)
    if group_channels * groups != channels or out_channels % groups:
        raise ShapeError(f"{fn}: input with {channels} channels does not fit weight of shape "
                         f"{np.shape(weight)} with groups={groups}: need in_channels = "
                         f"weight.shape[1] * groups = {group_channels * groups}, and "
                         "out_channels (weight.shape[0]) divisible by groups")
    _check_bias(fn, weight, bias)
    stride = _tuple(stride, dims, "stride", fn)
    dilation = _tuple(dilation, dims, "dilation", fn)
    padding = _conv_padding(fn, padding, kernel_size, stride, dilation)
    x = _padded(x, fn, kernel_size, padding, dilation)
    out = _conv(x, weight, stride=stride, dilation=dilation, groups=groups)
    if bias is not None:
        out = out + reshape(bias, (out_channels,) + (1,) * dims)
    return out[0] if unbatched else out


def _conv_transpose(fn, dims, x, weight, bias, stride, padding, output_padding, groups,
                    dilation):
    """``fn`` (conv_transpose1d/2d/3d): the adjoint of the convolution with ``weight`` of its
    input (`_conv_input_grad`), into the padded output; the padding is then cropped."""
    x, unbatched = _batched(x, fn, dims)
    _check_operands(fn, x, weight, bias)
    kernel_size = _kernel(fn, weight, dims, "(in_channels, out_channels / groups, *kernel)")
    n, channels = np.shape(x)[:2]
    _check_groups(fn, groups)
    if np.shape(weight)[0] != channels or channels % groups:
        raise ShapeError(f"{fn}: input with {channels} channels does not fit weight of shape "
                         f"{np.shape(weight)} with groups={groups}: need in_channels = "
                         "weight.shape[0], divisible by groups")
    out_channels = np.shape(weight)[1] * groups
    if bias is not None and np.shape(bias) != (out_channels,):
        raise ShapeError(f"{fn}: bias of shape {np.shape(bias)} does not fit weight of shape "
                         f"{np.shape(weight)} with groups={groups}; expected ({out_channels},)")
    stride = _tuple(stride, dims, "stride", fn)
    dilation = _tuple(dilation, dims, "dilation", fn)
    padding = _tuple(padding, dims, "padding", fn, minimum=0)
    extra = _tuple(output_padding, dims, "output_padding", fn, minimum=0)
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        raise ValueError(f"{fn}: output_padding {extra} must be smaller than stride {stride} "
                         f"or dilation {dilation}")
    size_in = np.shape(x)[2:]
    full = tuple((i - 1) * s + d * (k - 1) + 1
                 for i, s, d, k in zip(size_in, stride, dilation, kernel_size))
    size_out = tuple(f + e - 2 * p for f, e, p in zip(full, extra, padding))
    if min(size_out) < 1:
        raise ShapeError(f"{fn}: input of spatial size {size_in} with kernel {kernel_size}, "
                         f"stride {stride}, dilation {dilation}, padding {padding} and "
                         f"output_padding {extra} gives the empty output size {size_out}; "
                         "use less padding")
    out = _conv_input_grad(x, weight, shape=(n, out_channels) + full, stride=stride,
                           dilation=dilation, groups=groups)
    if any(extra):
        out = pad(out, ((0, 0), (0, 0)) + tuple((0, e) for e in extra))
    out = out[(slice(None), slice(None)) + tuple(slice(p, p + s)
                                                 for p, s in zip(padding, size_out))]
    if bias is not None:
        out = out + reshape(bias, (out_channels,) + (1,) * dims)
    return out[0] if unbatched else out


def _kernel(fn, weight, dims, layout):
    """The kernel size of ``weight`` (a tuple of ``dims`` ints); a clear error if its rank is
    wrong."""
    if np.ndim(weight) != dims + 2:
        raise ShapeError(f"{fn}: weight must be {dims + 2}-D {layout}, got shape "
                         f"{np.shape(weight)}")
    return tuple(int(k) for k in np.shape(weight)[2:])


def _check_groups(fn, groups):
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{fn}: groups must be a positive int, got {groups!r}")


# ---------------------------------------------------------------- the three convolution maps
# With T(x, w, g) = <conv(x, w), g>, the convolution `_conv`, its input gradient
# `_conv_input_grad` and its weight gradient `_conv_weight_grad` are the three bilinear maps
# with <_conv(x, w), g> = <x, _conv_input_grad(g, w)> = <w, _conv_weight_grad(x, g)>: each
# one's reverse rules are the other two, so derivatives of any order close over them, and the
# forward rules are the bilinear f(tx, y) + f(x, ty). x is the padded input (N, C, *spatial),
# w (out, C / groups, *kernel), g (N, out, *windows). How each is computed is chosen by shape.
@bilinear(vjp=(lambda g, ans, x, w, **geometry: _conv_input_grad(g, w, shape=x.shape,
                                                                 **geometry),
               lambda g, ans, x, w, **geometry: _conv_weight_grad(x, g, kernel=w.shape[2:],
                                                                  **geometry)),
          batch=_batching.conv)
def _conv(x, w, stride, dilation, groups):
    """The convolution of the padded x with w: per block of samples (`_blocks`), x's window
    columns (N', groups, C / groups * K, windows) times the kernels (groups, out / groups,
    C / groups * K)."""
    x, w = np.asarray(x), np.asarray(w)
    n, out_channels, kernel = x.shape[0], w.shape[0], w.shape[2:]
    windows = _window_view(x, kernel, stride, dilation)
    size = windows.shape[2 + len(kernel):]
    kernels = w.reshape(groups, out_channels // groups, -1)
    out = np.empty((n, groups, out_channels // groups, math.prod(size)), np.result_type(x, w))
    parallel(lambda block: np.matmul(kernels, _columns(windows[block], groups), out=out[block]),
             _blocks(windows))
    return out.reshape((n, out_channels) + size)


@bilinear(vjp=(lambda h, ans, g, w, shape, **geometry: _conv(h, w, **geometry),
               lambda h, ans, g, w, shape, **geometry: _conv_weight_grad(
                   h, g, kernel=w.shape[2:], **geometry)), batch=_batching.conv_input_grad)
def _conv_input_grad(g, w, shape, stride, dilation, groups):
    """The gradient of ``_conv(x, w)`` for the padded x of ``shape``, given the output's
    gradient g (the transposed convolution of g): per block of samples, the kernels times g
    as window columns, each added back where its window lies. At stride 1 a kernel offset's
    pixels are the windows' corners shifted by one distance in the flattened image, so g
    placed at the corners (per block, in the cache) gives columns that add back as
    contiguous runs; other strides add through the window view (`_add_windows`)."""
    g, w = np.asarray(g), np.asarray(w)
    n, channels, kernel, out_channels = shape[0], shape[1], w.shape[2:], w.shape[0]
    if any(s != 1 for s in stride):
        kernels = w.reshape(groups, out_channels // groups, -1).swapaxes(1, 2)
        image = np.zeros(shape, np.result_type(g, w))
        windows = _window_view(image, kernel, stride, dilation, writeable=True)
        g = g.reshape(n, groups, out_channels // groups, math.prod(g.shape[2:]))

        def add_block(block):
            cols = np.matmul(kernels, g[block])
            _add_windows(windows[block], cols.reshape(windows[block].shape))

        parallel(add_block, _blocks(windows))
        return image
    spatial, plane = shape[2:], math.prod(shape[2:])
    steps = [d * math.prod(spatial[axis + 1:]) for axis, d in enumerate(dilation)]
    shifts = [int(np.dot(offset, steps)) for offset in np.ndindex(*kernel)]
    # the kernels' rows by (offset, channel), so that an offset's columns for all of a group's
    # channels are one run as long as the group's image: each adds back as one 1-D slice
    # (2-D slices cost 3-4x more per element here), the columns past its end being zero;
    # the first offset's shift is 0: its columns cover the whole image, which they set
    span = channels // groups * plane
    kernels = np.moveaxis(w.reshape(groups, out_channels // groups, channels // groups, -1),
                          3, 2).reshape(groups, out_channels // groups, -1).swapaxes(1, 2)
    image = np.empty(shape, np.result_type(g, w))
    flat = image.reshape(n, groups, span)
    at_corners = (slice(None), slice(None)) + tuple(slice(0, m) for m in g.shape[2:])

    def add_block(block):
        corners = np.zeros((len(flat[block]), out_channels) + tuple(spatial), image.dtype)
        corners[at_corners] = g[block]
        cols = np.matmul(kernels, corners.reshape(-1, groups, out_channels // groups, plane))
        cols = cols.reshape(-1, groups, len(shifts), span)
        flat[block] = cols[:, :, 0]
        for k, shift in enumerate(shifts[1:], start=1):
            flat[block, :, shift:] += cols[:, :, k, :span - shift]

    parallel(add_block, _blocks(flat, len(shifts)))
    return image


@bilinear(vjp=(lambda v, ans, x, g, kernel, **geometry: _conv_input_grad(
                   g, v, shape=x.shape, **geometry),
               lambda v, ans, x, g, kernel, **geometry: _conv(x, v, **geometry)),
          batch=_batching.conv_weight_grad)
def _conv_weight_grad(x, g, kernel, stride, dilation, groups):
    """The gradient of ``_conv(x, w)`` for w (out, C / groups, *kernel), given the output's
    gradient g: per block of samples, x's window columns times g, summed over the batch."""
    x, g = np.asarray(x), np.asarray(g)
    n, out_channels = g.shape[:2]
    windows = _window_view(x, tuple(kernel), stride, dilation)
    g = g.reshape(n, groups, out_channels // groups, math.prod(g.shape[2:])).swapaxes(2, 3)
    # per block, columns times g's transpose (measured 10-20% faster than g times columns);
    # the blocks' partial sums are added in their order, whatever the threads, a few per
    # thread at a time (a partial can be larger than its block's columns)
    grad = np.zeros((groups, x.shape[1] // groups * math.prod(kernel), out_channels // groups),
                    np.result_type(x, g))
    blocks, wave = _blocks(windows), 4 * get_num_threads()
    for start in range(0, len(blocks), wave):
        for partial in parallel(lambda block: np.matmul(_columns(windows[block], groups),
                                                        g[block]).sum(0),
                                blocks[start:start + wave]):
            grad += partial
    return grad.swapaxes(1, 2).reshape((out_channels, x.shape[1] // groups) + tuple(kernel))


_BLOCK_BYTES = 1 << 19


def _blocks(array, factor=1):
    """Slices of the batch (``array``'s first axis) whose columns, ``factor`` times the size
    of ``array``'s samples, take about 512 KiB: a block's columns are made and multiplied
    while they sit in the cache. im2col of the whole batch at once (copies of every window,
    k² times x's size) runs the matmuls from memory: 1.2-5x slower here."""
    n = array.shape[0]
    sample = math.prod(array.shape[1:]) * factor * array.itemsize
    step = max(1, _BLOCK_BYTES // max(1, sample))
    return [slice(i, i + step) for i in range(0, n, step)]


def _columns(windows, groups):
    """A (N', C, *kernel, *out) window view as columns (N', groups, C / groups * K, L): a
    copy."""
    n, channels = windows.shape[:2]
    dims = (windows.ndim - 2) // 2
    return np.ascontiguousarray(windows).reshape(
        n, groups, channels // groups * math.prod(windows.shape[2:2 + dims]),
        math.prod(windows.shape[2 + dims:]))


# ---------------------------------------------------------------- the window machinery
def _window_view(image, kernel_size, stride, dilation, writeable=False):
    """The windows of ``image`` (N, C, *spatial) as a strided view (N, C, *kernel, *out): no
    copy."""
    dims = len(kernel_size)
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))
    view = sliding_window_view(image, span, axis=tuple(range(2, 2 + dims)), writeable=writeable)
    view = view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)
                + tuple(slice(None, None, d) for d in dilation)]
    return view.transpose((0, 1) + tuple(range(2 + dims, 2 + 2 * dims))
                          + tuple(range(2, 2 + dims)))


def _offsets(kernel_size):
    """Index tuples selecting each kernel offset of a (N, C, *kernel, *out) window view."""
    return [(slice(None), slice(None)) + offset for offset in np.ndindex(*kernel_size)]


@primitive(vjp=lambda g, ans, x, kernel_size, stride, dilation:
           _col2im(g, shape=x.shape, kernel_size=kernel_size, stride=stride, dilation=dilation),
           jvp=lambda t, ans, x, kernel_size, stride, dilation:
           _im2col(t, kernel_size=kernel_size, stride=stride, dilation=dilation),
           batch=_batching.merge)
def _im2col(x, kernel_size, stride, dilation):
    """The windows of x (N, C, *spatial) as (N, C, *kernel, *out): a read-only view of x."""
    return _window_view(np.asarray(x), kernel_size, stride, dilation)


@primitive(vjp=lambda g, ans, cols, shape, kernel_size, stride, dilation:
           _im2col(g, kernel_size=kernel_size, stride=stride, dilation=dilation),
           jvp=lambda t, ans, cols, shape, kernel_size, stride, dilation:
           _col2im(t, shape=shape, kernel_size=kernel_size, stride=stride, dilation=dilation))
def _col2im(cols, shape, kernel_size, stride, dilation):
    """Zeros of ``shape`` (N, C, *spatial) with each window of ``cols`` added back in place."""
    cols = np.asarray(cols)
    image = np.zeros(shape, dtype=cols.dtype)
    _add_windows(_window_view(image, kernel_size, stride, dilation, writeable=True), cols)
    return image


def _add_windows(windows, cols):
    """Add ``cols`` (N, C, *kernel, *out) into the writeable window view ``windows`` of the
    same shape: one kernel offset at a time, whose pixels are distinct, so += cannot lose an
    overlap."""
    for offset in _offsets(windows.shape[2:2 + (windows.ndim - 2) // 2]):
        windows[offset] += cols[offset]


def _windows(x, fn, kernel_size, stride, padding, dilation, fill=0):
    """Every window of ``x`` (N, C, *spatial) padded by ``padding`` ((before, after) per
    spatial axis) with ``fill``, as (N, C, *kernel, *out); a clear error if none fits."""
    return _im2col(_padded(x, fn, kernel_size, padding, dilation, fill),
                   kernel_size=kernel_size, stride=stride, dilation=dilation)


def _padded(x, fn, kernel_size, padding, dilation, fill=0):
    """``x`` (N, C, *spatial) padded by ``padding`` ((before, after) per spatial axis) with
    ``fill``; a clear error if the kernel does not fit in it."""
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))
    padded = tuple(size + sum(p) for size, p in zip(np.shape(x)[2:], padding))
    if any(p < s for p, s in zip(padded, span)):
        raise ShapeError(f"{fn}: the kernel spans {span} pixels (kernel_size {kernel_size}, "
                         f"dilation {dilation}) but the padded input is only {padded}; use a "
                         "smaller kernel or dilation, or more padding")
    if any(any(p) for p in padding):
        x = pad(x, ((0, 0), (0, 0)) + tuple(padding), constant_values=fill)
    return x


def _batched(x, fn, dims=2):
    """``x`` as (N, C, *spatial) with ``dims`` spatial axes, and whether it came unbatched."""
    if np.ndim(x) == dims + 2:
        return x, False
    if np.ndim(x) == dims + 1:
        return expand_dims(x, 0), True
    names = {1: "L", 2: "H, W", 3: "D, H, W"}[dims]
    raise ShapeError(f"{fn}: expected a {dims + 2}-D input (N, C, {names}) or an unbatched "
                     f"{dims + 1}-D one (C, {names}), got shape {np.shape(x)}")


def _tuple(value, dims, name, fn, minimum=1):
    """An int or ``dims`` ints, each at least ``minimum``, as a tuple of ``dims`` ints."""
    values = (value,) * dims if isinstance(value, (int, np.integer)) else value
    if not (isinstance(values, (tuple, list)) and len(values) == dims and
            all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= minimum
                for v in values)):
        raise ValueError(f"{fn}: {name} must be an int >= {minimum} or {dims} of them, "
                         f"got {value!r}")
    return tuple(int(v) for v in values)


def _symmetric(padding):
    """Padding per spatial axis as (before, after) pairs."""
    return tuple((p, p) for p in padding)


def _conv_padding(fn, padding, kernel_size, stride, dilation):
    """A convolution's ``padding`` (int, tuple, 'valid' or 'same') as (before, after) pairs."""
    dims = len(kernel_size)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * dims
        if padding != "same":
            raise ValueError(f"{fn}: padding must be 'valid', 'same', an int or a tuple, "
                             f"got {padding!r}")
        if any(s != 1 for s in stride):
            raise ValueError(f"{fn}: padding='same' needs stride 1, got stride {stride}; "
                             "give the padding as numbers instead")
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return tuple((total // 2, total - total // 2) for total in totals)
    return _symmetric(_tuple(padding, dims, "padding", fn, minimum=0))


def _pad_mode(x, padding, mode, fn):
    """``x`` (N, C, *spatial) padded by ``padding`` ((before, after) per spatial axis) with
    PyTorch's 'reflect', 'replicate' or 'circular' rule: an index into x per axis, so the
    gradient adds the border's gradient back to the pixels it copies."""
    numpy_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    for axis, (before, after) in enumerate(padding, start=2):
        size = np.shape(x)[axis]
        limit = size - 1 if mode == "reflect" else size
        if max(before, after) > limit:
            raise ShapeError(f"{fn}: padding ({before}, {after}) with padding_mode={mode!r} "
                             f"needs at most {limit} on each side of an axis of size {size}")
        if before or after:
            index = np.pad(np.arange(size), (before, after), mode=numpy_mode)
            x = x[(slice(None),) * axis + (index,)]
    return x
