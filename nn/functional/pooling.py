"""Max and average pooling: a reduction over the same windows that convolution uses.

The windows are conv's strided view (N, C, kh, kw, Ho, Wo) of the padded input. The max and
the sum over each window fold a ufunc over the kh * kw kernel offsets, one whole-image numpy
call per offset: numpy's own reduction over axes (2, 3) of the strided view is 10-25x slower
(with the core max rule it was 60% of a small CNN's training step).

Average pooling sums conv's `_im2col` windows, whose reverse rule scatters back with
`_col2im`. Max pooling is one op on the padded image, whose gradient is written straight into
an image-sized array, offset by offset, where each window attains its max (ties share): no
window-sized float array is built (one bool per window entry marks the maxima), and where
windows do not overlap each pixel is assigned once instead of added to.
"""
import numpy as np

from autograd import broadcast_to, expand_dims
from autograd.extend import primitive, raw, registered

from .conv import _batched, _padded, _pair, _symmetric, _window_view, _windows
from .linear import _check_operands

__all__ = ["max_pool2d", "avg_pool2d"]


@registered("general", namespace="nn.functional")
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
    x, unbatched, geometry = _pool_input("max_pool2d", x, kernel_size, stride, padding, dilation,
                                         fill=-np.inf)
    out = _max_pool(x, **geometry)
    return out[0] if unbatched else out


@registered("general", namespace="nn.functional")
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
    x, unbatched, geometry = _pool_input(fn, x, kernel_size, stride, padding, dilation, fill)
    return _windows(x, fn, padding=((0, 0), (0, 0)), fill=fill, **geometry), unbatched


def _pool_input(fn, x, kernel_size, stride, padding, dilation, fill):
    """``x`` as (N, C, H, W) padded with ``fill``, whether it came unbatched, and the
    windows' geometry (kernel_size, stride, dilation as pairs)."""
    x, unbatched = _batched(x, fn)
    _check_operands(fn, x)
    kernel_size = _pair(kernel_size, "kernel_size", fn)
    stride = _pair(kernel_size if stride is None else stride, "stride", fn)
    padding, dilation = _pair(padding, "padding", fn, minimum=0), _pair(dilation, "dilation", fn)
    half = tuple((d * (k - 1) + 1) // 2 for k, d in zip(kernel_size, dilation))
    if padding[0] > half[0] or padding[1] > half[1]:
        raise ValueError(f"{fn}: padding {padding} is more than half the kernel "
                         f"(at most {half} here); a window could then hold only padding")
    x = _padded(x, fn, kernel_size, _symmetric(padding), dilation, fill)
    return x, unbatched, dict(kernel_size=kernel_size, stride=stride, dilation=dilation)


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


def _hits(x, top, geometry):
    """For each kernel offset (i, j), in np.ndindex order: where x's entries at that offset
    of every window attain their window's max ``top`` (bools, N, C, Ho, Wo)."""
    windows = _window_view(x, **geometry)
    return [windows[:, :, i, j] == top for i, j in np.ndindex(*windows.shape[2:4])]


def _tie_share(hits, dtype):
    """1/k for a window whose max is attained by k of its entries (N, C, Ho, Wo): the max
    rule's split of the gradient (as in the core max, PyTorch's amax)."""
    share = np.zeros(hits[0].shape, dtype=dtype)
    for hit in hits:
        share += hit
    return np.reciprocal(share, out=share)


def _offset_views(image, geometry, writeable=False):
    """``image``'s pixels at each kernel offset of every window, in np.ndindex order."""
    windows = _window_view(image, writeable=writeable, **geometry)
    return [windows[:, :, i, j] for i, j in np.ndindex(*windows.shape[2:4])]


# Max pooling's rules are two linear maps of the gradient (tangent), each the other's adjoint
# (so each is the other's reverse rule and its own forward rule); x and its window maxima
# ``top`` are constants to them, as the max's selection is piecewise constant in x.
@primitive(vjp=lambda g, ans, y, **params: _gather_max(g, **params),
           jvp=lambda t, ans, y, **params: _route_max(t, **params))
def _route_max(y, x, top, kernel_size, stride, dilation):
    """An image like ``x`` holding each value of y (N, C, Ho, Wo) where its window of x
    attains the max ``top``, split among ties; overlapping windows add up."""
    geometry = dict(kernel_size=kernel_size, stride=stride, dilation=dilation)
    hits = _hits(x, top, geometry)
    shared = _tie_share(hits, top.dtype)
    shared *= y
    image = np.zeros(x.shape, dtype=shared.dtype)
    span = [d * (k - 1) + 1 for k, d in zip(kernel_size, dilation)]
    apart = stride[0] >= span[0] and stride[1] >= span[1]  # no pixel is in two windows
    term = None if apart else np.empty_like(shared)
    # (multiply by the bool mask: numpy's where= masked writes measured 5-7x slower)
    for hit, pixels in zip(hits, _offset_views(image, geometry, writeable=True)):
        if apart:  # each pixel is written once: assign
            np.multiply(shared, hit, out=pixels)
        else:  # one offset's pixels are distinct, so += loses no overlap
            pixels += np.multiply(shared, hit, out=term)
    return image


@primitive(vjp=lambda g, ans, image, **params: _route_max(g, **params),
           jvp=lambda t, ans, image, **params: _gather_max(t, **params))
def _gather_max(image, x, top, kernel_size, stride, dilation):
    """For each window: ``image``'s entries where the window of x attains the max ``top``,
    averaged over ties (the max's tangent when image is x's tangent)."""
    geometry = dict(kernel_size=kernel_size, stride=stride, dilation=dilation)
    hits = _hits(x, top, geometry)
    share = _tie_share(hits, top.dtype)
    out = None
    for hit, values in zip(hits, _offset_views(image, geometry)):
        term = values * (share * hit)
        out = term if out is None else np.add(out, term, out=out)
    return out


def _max_rule(linear):
    """max pooling's reverse (`_route_max`) or forward (`_gather_max`) rule."""
    return lambda s, ans, x, **geometry: linear(s, x=raw(x), top=raw(ans), **geometry)


@primitive(vjp=_max_rule(_route_max), jvp=_max_rule(_gather_max))
def _max_pool(x, kernel_size, stride, dilation):
    """The max of each window of the (padded) image x (N, C, H, W): (N, C, Ho, Wo). Tied
    maxima share the gradient."""
    return _fold_offsets(np.maximum, _window_view(x, kernel_size, stride, dilation))


@primitive(vjp=lambda g, ans, windows: broadcast_to(_per_window(g), windows.shape),
           jvp=lambda t, ans, windows: _window_sum(t))
def _window_sum(windows):
    """The sum of each window of (N, C, kh, kw, Ho, Wo)."""
    return _fold_offsets(np.add, windows)
