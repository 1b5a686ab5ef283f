"""2-D convolution as im2col: every window of the (padded) image laid out as a column, then
one batched matmul with the kernels.

The window extraction `_im2col` is a primitive. Its reverse rule is its adjoint, `_col2im`
(scatter-add each window back where it came from: overlapping windows add up), itself a
primitive whose reverse rule is `_im2col` again; both are linear, so each is also its own
forward rule. Derivatives of any order therefore flow through convolution and pooling (which
takes the max or mean over the same windows).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd import ShapeError, expand_dims, matmul, pad, reshape
from autograd.extend import primitive, registered

from .linear import _check_bias, _check_operands

__all__ = ["conv2d", "unfold"]


@registered("general", namespace="nn.functional")
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in every deep-learning library) of ``x``
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
    x, unbatched = _batched(x, "conv2d")
    _check_operands("conv2d", x, weight, bias)
    if np.ndim(weight) != 4:
        raise ShapeError(f"conv2d: weight must be 4-D (out_channels, in_channels / groups, kh, "
                         f"kw), got shape {np.shape(weight)}")
    n, channels = np.shape(x)[:2]
    out_channels, group_channels, kh, kw = np.shape(weight)
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"conv2d: groups must be a positive int, got {groups!r}")
    if group_channels * groups != channels or out_channels % groups:
        raise ShapeError(f"conv2d: input with {channels} channels does not fit weight of shape "
                         f"{np.shape(weight)} with groups={groups}: need in_channels = "
                         f"weight.shape[1] * groups = {group_channels * groups}, and "
                         "out_channels (weight.shape[0]) divisible by groups")
    _check_bias("conv2d", weight, bias)
    stride, dilation = _pair(stride, "stride", "conv2d"), _pair(dilation, "dilation", "conv2d")
    padding = _conv_padding("conv2d", padding, (kh, kw), stride, dilation)
    cols = _windows(x, "conv2d", (kh, kw), stride, padding, dilation)
    out_h, out_w = cols.shape[-2:]
    # (N, C, kh, kw, Ho, Wo) -> (N, groups, C/groups * kh * kw, Ho * Wo): one column per pixel
    cols = reshape(cols, (n, groups, group_channels * kh * kw, out_h * out_w))
    kernels = reshape(weight, (groups, out_channels // groups, group_channels * kh * kw))
    out = reshape(matmul(kernels, cols), (n, out_channels, out_h, out_w))
    if bias is not None:
        out = out + reshape(bias, (out_channels, 1, 1))
    return out[0] if unbatched else out


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """im2col: the sliding windows of ``x`` (N, C, H, W), zero-padded, as columns of shape
    (N, C * kh * kw, L) with L windows, in PyTorch's order (a channel's kh * kw entries
    together, windows row by row). ``conv2d`` is ``weight.reshape(out, -1) @ unfold(x)``.

    >>> F.unfold(autograd.ones(1, 2, 3, 3), kernel_size=2).shape
    (1, 8, 4)
    """
    x, unbatched = _batched(x, "unfold")
    kernel_size = _pair(kernel_size, "kernel_size", "unfold")
    padding = _symmetric(_pair(padding, "padding", "unfold", minimum=0))
    cols = _windows(x, "unfold", kernel_size, _pair(stride, "stride", "unfold"), padding,
                    _pair(dilation, "dilation", "unfold"))
    n, channels, kh, kw, out_h, out_w = cols.shape
    cols = reshape(cols, (n, channels * kh * kw, out_h * out_w))
    return cols[0] if unbatched else cols


# ---------------------------------------------------------------- the window machinery
def _window_view(image, kernel_size, stride, dilation, writeable=False):
    """The windows of ``image`` (N, C, H, W) as a strided view (N, C, kh, kw, Ho, Wo): no copy."""
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, stride, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    view = sliding_window_view(image, span, axis=(2, 3), writeable=writeable)
    return view[:, :, ::sh, ::sw, ::dh, ::dw].transpose(0, 1, 4, 5, 2, 3)


@primitive(vjp=lambda g, ans, x, kernel_size, stride, dilation:
           _col2im(g, shape=x.shape, kernel_size=kernel_size, stride=stride, dilation=dilation),
           jvp=lambda t, ans, x, kernel_size, stride, dilation:
           _im2col(t, kernel_size=kernel_size, stride=stride, dilation=dilation))
def _im2col(x, kernel_size, stride, dilation):
    """The windows of x (N, C, H, W) as (N, C, kh, kw, Ho, Wo): a read-only view of x."""
    return _window_view(np.asarray(x), kernel_size, stride, dilation)


@primitive(vjp=lambda g, ans, cols, shape, kernel_size, stride, dilation:
           _im2col(g, kernel_size=kernel_size, stride=stride, dilation=dilation),
           jvp=lambda t, ans, cols, shape, kernel_size, stride, dilation:
           _col2im(t, shape=shape, kernel_size=kernel_size, stride=stride, dilation=dilation))
def _col2im(cols, shape, kernel_size, stride, dilation):
    """Zeros of ``shape`` (N, C, H, W) with each window of ``cols`` added back in place."""
    cols = np.asarray(cols)
    image = np.zeros(shape, dtype=cols.dtype)
    windows = _window_view(image, kernel_size, stride, dilation, writeable=True)
    # one kernel offset at a time: its pixels are distinct, so += cannot lose an overlap
    for i, j in np.ndindex(*kernel_size):
        windows[:, :, i, j] += cols[:, :, i, j]
    return image


def _windows(x, fn, kernel_size, stride, padding, dilation, fill=0):
    """Every window of ``x`` (N, C, H, W) padded by ``padding`` ((top, bottom), (left,
    right)) with ``fill``, as (N, C, kh, kw, Ho, Wo); a clear error if none fits."""
    return _im2col(_padded(x, fn, kernel_size, padding, dilation, fill),
                   kernel_size=kernel_size, stride=stride, dilation=dilation)


def _padded(x, fn, kernel_size, padding, dilation, fill=0):
    """``x`` (N, C, H, W) padded by ``padding`` ((top, bottom), (left, right)) with ``fill``;
    a clear error if the kernel does not fit in it."""
    height, width = np.shape(x)[2:]
    (top, bottom), (left, right) = padding
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))
    padded = (height + top + bottom, width + left + right)
    if padded[0] < span[0] or padded[1] < span[1]:
        raise ShapeError(f"{fn}: the kernel spans {span} pixels (kernel_size {kernel_size}, "
                         f"dilation {dilation}) but the padded input is only {padded}; use a "
                         "smaller kernel or dilation, or more padding")
    if top or bottom or left or right:
        x = pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=fill)
    return x


def _batched(x, fn):
    """``x`` as (N, C, H, W), and whether it came unbatched as (C, H, W)."""
    if np.ndim(x) == 4:
        return x, False
    if np.ndim(x) == 3:
        return expand_dims(x, 0), True
    raise ShapeError(f"{fn}: expected a 4-D input (N, C, H, W) or an unbatched 3-D one "
                     f"(C, H, W), got shape {np.shape(x)}")


def _pair(value, name, fn, minimum=1):
    """An int or a pair of ints, each at least ``minimum``, as a (height, width) pair."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and
            all(isinstance(v, (int, np.integer)) and v >= minimum for v in pair)):
        raise ValueError(f"{fn}: {name} must be an int >= {minimum} or a pair of them, "
                         f"got {value!r}")
    return int(pair[0]), int(pair[1])


def _symmetric(padding):
    """(height, width) padding as ((top, bottom), (left, right))."""
    return (padding[0], padding[0]), (padding[1], padding[1])


def _conv_padding(fn, padding, kernel_size, stride, dilation):
    """A convolution's ``padding`` (int, pair, 'valid' or 'same') as ((top, bottom), (left,
    right))."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding != "same":
            raise ValueError(f"{fn}: padding must be 'valid', 'same', an int or a pair, "
                             f"got {padding!r}")
        if stride != (1, 1):
            raise ValueError(f"{fn}: padding='same' needs stride 1, got stride {stride}; "
                             "give the padding as numbers instead")
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return tuple((total // 2, total - total // 2) for total in totals)
    return _symmetric(_pair(padding, "padding", fn, minimum=0))
