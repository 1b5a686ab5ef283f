"""Every op of the engine, in one table.

A *primitive* states its numpy forward and, beside it, its reverse rule (``vjp``: input
gradient from output gradient ``g``) and forward rule (``jvp``: output tangent from input
tangent ``t``), one rule per input. Rules are written with these same ops, so they run on raw
arrays in a plain backward and record a graph under ``create_graph=True`` (higher orders for
free). Rules never undo broadcasting: the engine sums each gradient back to its input's shape.

Everything below the primitives is a *composite*: built from primitives, so it needs no rule.
Ties in max/min/maximum/minimum share the gradient equally (PyTorch's amax/maximum rule).
"""
import builtins
import math

import numpy as np

from .engine import primitive
from .errors import IndexingError, ShapeError
from .tensor import Tensor

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:  # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple


def _raw(x):
    """The ndarray behind x: for masks and weights that are constants of a rule."""
    return x.data if isinstance(x, Tensor) else x


def _axes(axis, ndim):
    """``axis`` (None, int, negative, tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    try:
        return tuple(sorted(normalize_axis_tuple(axes, ndim)))
    except (ValueError, IndexError):
        raise IndexingError(f"axis {axis} is out of range for a tensor with {ndim} dimensions "
                            f"(valid: {-ndim} to {ndim - 1}, no repeats)") from None


def _unreduce(g, shape, axis, keepdims):
    """Broadcast a reduction's gradient ``g`` back over the input ``shape``."""
    if not keepdims:
        axes = _axes(axis, len(shape))
        g = reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return broadcast_to(g, shape)


def _count(shape, axis):
    return int(np.prod([shape[i] for i in _axes(axis, len(shape))], dtype=np.int64))


def _as_dtype(values, like):
    return np.asarray(values, dtype=_raw(like).dtype)


# ============================================================ elementwise primitives
@primitive(vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: g),
           jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: t))
def add(x, y):
    """x + y, elementwise with broadcasting."""
    return np.add(x, y)


@primitive(vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: -g),
           jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: -t))
def sub(x, y):
    """x - y, elementwise with broadcasting."""
    return np.subtract(x, y)


@primitive(vjp=(lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x),
           jvp=(lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t))
def mul(x, y):
    """x * y, elementwise with broadcasting."""
    return np.multiply(x, y)


@primitive(vjp=(lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * ans / y),
           jvp=(lambda t, ans, x, y: t / y, lambda t, ans, x, y: -t * ans / y))
def div(x, y):
    """x / y, elementwise with broadcasting."""
    return np.true_divide(x, y)


def _log_base(x):
    """log(x) where it matters for d(x**y)/dy; 0 where x == 0 (so 0**y has slope 0 in y)."""
    return log(where(_raw(x) == 0, 1, x))


# each input's share of log(e**x + e**y) is its softmax weight, e**(x - ans): smooth, finite
@primitive(vjp=(lambda g, ans, x, y: g * exp(x - ans), lambda g, ans, x, y: g * exp(y - ans)),
           jvp=(lambda t, ans, x, y: t * exp(x - ans), lambda t, ans, x, y: t * exp(y - ans)))
def logaddexp(x, y):
    """log(e**x + e**y), elementwise with broadcasting, without overflow; softplus is
    ``logaddexp(0, x)``.

    >>> autograd.logaddexp(0, autograd.tensor([-1000.0, 1000.0]))   # softplus, no overflow
    Tensor([   0., 1000.])
    """
    return np.logaddexp(x, y)


@primitive(vjp=(lambda g, ans, x, y: g * y * x ** (y - 1),
                lambda g, ans, x, y: g * ans * _log_base(x)),
           jvp=(lambda t, ans, x, y: t * y * x ** (y - 1),
                lambda t, ans, x, y: t * ans * _log_base(x)))
def power(x, y):
    """x ** y, elementwise with broadcasting (either may be a tensor)."""
    return np.power(x, y)


def _tie_weight(ans, x, y):
    """How much of maximum/minimum's gradient goes to x: 1 where x won, 1/2 on ties."""
    xr, yr, out = _raw(x), _raw(y), _raw(ans)
    return _as_dtype((xr == out) * np.where(xr == yr, 0.5, 1.0), out)


# maximum/minimum select one input per element, so both the reverse and the forward rule
# scale the incoming gradient or tangent by that input's share of the selection
_SELECT = (lambda s, ans, x, y: s * _tie_weight(ans, x, y),
           lambda s, ans, x, y: s * _tie_weight(ans, y, x))


@primitive(vjp=_SELECT, jvp=_SELECT)
def maximum(x, y):
    """The larger of x and y, elementwise; on ties each gets half the gradient."""
    return np.maximum(x, y)


@primitive(vjp=_SELECT, jvp=_SELECT)
def minimum(x, y):
    """The smaller of x and y, elementwise; on ties each gets half the gradient."""
    return np.minimum(x, y)


@primitive(vjp=(lambda g, ans, x, y, condition: where(condition, g, 0),
                lambda g, ans, x, y, condition: where(condition, 0, g)),
           jvp=(lambda t, ans, x, y, condition: where(condition, t, 0),
                lambda t, ans, x, y, condition: where(condition, 0, t)))
def _where(x, y, condition):
    return np.where(condition, x, y)


def where(condition, x, y):
    """x where ``condition`` holds, else y (numpy's argument order); differentiable in x, y."""
    return _where(x, y, condition=_raw(condition))


@primitive(vjp=lambda g, ans, x: -g, jvp=lambda t, ans, x: -t)
def neg(x):
    """-x."""
    return np.negative(x)


@primitive()
def sign(x):
    """-1, 0 or 1 by the sign of x (not differentiable: its derivative is 0 almost everywhere)."""
    return np.sign(x)


@primitive(vjp=lambda g, ans, x: g * np.sign(_raw(x)),
           jvp=lambda t, ans, x: t * np.sign(_raw(x)))
def abs(x):
    """|x|, elementwise; its gradient at 0 is 0."""
    return np.abs(x)


@primitive(vjp=lambda g, ans, x: g * ans, jvp=lambda t, ans, x: t * ans)
def exp(x):
    """e ** x, elementwise."""
    return np.exp(x)


@primitive(vjp=lambda g, ans, x: g / x, jvp=lambda t, ans, x: t / x)
def log(x):
    """Natural logarithm, elementwise."""
    return np.log(x)


@primitive(vjp=lambda g, ans, x: g * (ans + 1), jvp=lambda t, ans, x: t * (ans + 1))
def expm1(x):
    """e ** x - 1, accurate for small x (no cancellation near 0).

    >>> autograd.expm1(autograd.tensor([1e-10]))
    Tensor([1.e-10])
    """
    return np.expm1(x)


@primitive(vjp=lambda g, ans, x: g / (1 + x), jvp=lambda t, ans, x: t / (1 + x))
def log1p(x):
    """log(1 + x), accurate for small x."""
    return np.log1p(x)


@primitive(vjp=lambda g, ans, x: g / (2 * ans), jvp=lambda t, ans, x: t / (2 * ans))
def sqrt(x):
    """Square root, elementwise."""
    return np.sqrt(x)


@primitive(vjp=lambda g, ans, x: g * cos(x), jvp=lambda t, ans, x: t * cos(x))
def sin(x):
    """Sine, elementwise (radians)."""
    return np.sin(x)


@primitive(vjp=lambda g, ans, x: -g * sin(x), jvp=lambda t, ans, x: -t * sin(x))
def cos(x):
    """Cosine, elementwise (radians)."""
    return np.cos(x)


@primitive(vjp=lambda g, ans, x: g * (1 - ans * ans), jvp=lambda t, ans, x: t * (1 - ans * ans))
def tanh(x):
    """Hyperbolic tangent, elementwise.

    >>> autograd.tanh(autograd.tensor([0.0, 1.0]))
    Tensor([0.       , 0.7615942])
    """
    return np.tanh(x)


_libm_erf = np.frompyfunc(math.erf, 1, 1)  # numpy has no erf; libm's is accurate to float64


def _erf_slope(x):
    """d erf / dx = 2/sqrt(pi) * exp(-x**2) (a Python float factor: float32 stays float32)."""
    return 2 / math.sqrt(math.pi) * exp(-(x * x))


@primitive(vjp=lambda g, ans, x: g * _erf_slope(x), jvp=lambda t, ans, x: t * _erf_slope(x))
def erf(x):
    """The error function 2/sqrt(pi) * integral of exp(-t**2) from 0 to x, elementwise
    (exact GELU needs it). Runs math.erf per element: about 100 ns each."""
    x = np.asarray(x)
    return np.asarray(_libm_erf(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


@primitive(vjp=lambda g, ans, x: g * ans * (1 - ans), jvp=lambda t, ans, x: t * ans * (1 - ans))
def sigmoid(x):
    """1 / (1 + e**-x), elementwise, without overflow for large |x|.

    >>> autograd.sigmoid(autograd.tensor([-1000.0, 0.0, 1000.0]))
    Tensor([0. , 0.5, 1. ])
    """
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1 / (1 + e), e / (1 + e)).astype(e.dtype, copy=False)


@primitive(vjp=lambda g, ans, x: g * (_raw(x) > 0), jvp=lambda t, ans, x: t * (_raw(x) > 0))
def relu(x):
    """max(x, 0), elementwise; its gradient at 0 is 0.

    >>> autograd.relu(autograd.tensor([-2.0, 0.0, 3.0]))
    Tensor([0., 0., 3.])
    """
    return np.maximum(x, 0)


def _inside(x, lo, hi):
    x = _raw(x)
    return (x >= (-np.inf if lo is None else lo)) & (x <= (np.inf if hi is None else hi))


@primitive(vjp=lambda g, ans, x, lo, hi: g * _inside(x, lo, hi),
           jvp=lambda t, ans, x, lo, hi: t * _inside(x, lo, hi))
def _clip(x, lo, hi):
    return np.clip(x, lo, hi) if lo is not None or hi is not None else np.array(x, copy=True)


def clip(x, a_min=None, a_max=None):
    """x limited to [a_min, a_max] (either may be None); the gradient passes where
    a_min <= x <= a_max, bounds included (PyTorch's clamp rule)."""
    return _clip(x, lo=_raw(a_min), hi=_raw(a_max))


@primitive(vjp=lambda g, ans, x, dtype: astype(g, dtype=_raw(x).dtype),
           jvp=lambda t, ans, x, dtype: astype(t, dtype=dtype))
def _astype(x, dtype):
    return np.asarray(x).astype(dtype)


def astype(x, dtype):
    """x converted to ``dtype`` (differentiable between floating dtypes)."""
    return _astype(x, dtype=np.dtype(dtype))


# ============================================================ comparisons (not differentiable)
@primitive()
def less(x, y):
    """x < y as a boolean tensor."""
    return np.less(x, y)


@primitive()
def less_equal(x, y):
    """x <= y as a boolean tensor."""
    return np.less_equal(x, y)


@primitive()
def greater(x, y):
    """x > y as a boolean tensor."""
    return np.greater(x, y)


@primitive()
def greater_equal(x, y):
    """x >= y as a boolean tensor."""
    return np.greater_equal(x, y)


@primitive()
def equal(x, y):
    """x == y as a boolean tensor."""
    return np.equal(x, y)


@primitive()
def not_equal(x, y):
    """x != y as a boolean tensor."""
    return np.not_equal(x, y)


# ============================================================ reductions
@primitive(vjp=lambda g, ans, x, axis, keepdims: _unreduce(g, x.shape, axis, keepdims),
           jvp=lambda t, ans, x, axis, keepdims: sum(t, axis, keepdims))
def _sum(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (None: all; int, negative or tuple), as numpy."""
    return _sum(x, axis=axis, keepdims=keepdims)


def _prod_partials(ans, x, axis, keepdims):
    """d prod / d x for every element, exact where x has zeros, and so are its own derivatives
    (prod's higher derivatives) up to third order: prod / x at the non-zeros; at a zero, the
    product of the slice's non-zeros times that of its *other* zeros, the latter written as a
    polynomial of those zero entries (1, the other one, or the pair's product: with more than
    three zeros in a slice every derivative up to third order is 0)."""
    zeros = _raw(x) == 0
    whole = _unreduce(ans, x.shape, axis, keepdims)
    if not zeros.any():
        return whole / x
    safe = where(zeros, 1, x)
    nonzeros = _unreduce(_prod(safe, axis=axis, keepdims=True), x.shape, axis, True)
    count = np.sum(zeros, axis=_axes(axis, x.ndim), keepdims=True)
    z = where(zeros, x, 0)  # the zero entries, as variables
    s1 = _unreduce(sum(z, axis, keepdims=True), x.shape, axis, True) - z  # the others' sum
    s2 = _unreduce(sum(z * z, axis, keepdims=True), x.shape, axis, True) - z * z
    other_zeros = where(count == 1, 1, where(count == 2, s1, where(count == 3,
                                                                   (s1 * s1 - s2) / 2, 0)))
    return where(zeros, nonzeros * other_zeros, whole / safe)


@primitive(vjp=lambda g, ans, x, axis, keepdims:
           _unreduce(g, x.shape, axis, keepdims) * _prod_partials(ans, x, axis, keepdims),
           jvp=lambda t, ans, x, axis, keepdims:
           sum(t * _prod_partials(ans, x, axis, keepdims), axis, keepdims))
def _prod(x, axis, keepdims):
    return np.prod(x, axis=axis, keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    """Product over ``axis``; its gradient is exact where entries are zero."""
    return _prod(x, axis=axis, keepdims=keepdims)


def _extreme_share(ans, x, axis, keepdims):
    """1/k on each of the k entries that attain a max/min, 0 elsewhere."""
    xr = _raw(x)
    hits = xr == _raw(_unreduce(_raw(ans), xr.shape, axis, keepdims))
    return _as_dtype(hits / np.sum(hits, axis=_axes(axis, xr.ndim), keepdims=True), ans)


def _extreme_vjp(g, ans, x, axis, keepdims):
    return _unreduce(g, x.shape, axis, keepdims) * _extreme_share(ans, x, axis, keepdims)


def _extreme_jvp(t, ans, x, axis, keepdims):
    return sum(t * _extreme_share(ans, x, axis, keepdims), axis, keepdims)


@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp)
def _max(x, axis, keepdims):
    return np.max(x, axis=axis, keepdims=keepdims)


@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp)
def _min(x, axis, keepdims):
    return np.min(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    """Maximum over ``axis``; tied maxima share the gradient equally."""
    return _max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    """Minimum over ``axis``; tied minima share the gradient equally."""
    return _min(x, axis=axis, keepdims=keepdims)


def _softmax_of(ans, x, axis, keepdims):
    """softmax(x) over ``axis``, shifted by the (constant) max: accurate for logits of any
    magnitude, where exp(x - ans) is not once the rounding of ``ans`` matters (|x| > 1e15)."""
    shift = np.max(_raw(x), axis=_axes(axis, np.ndim(x)), keepdims=True)
    e = exp(x - np.where(np.isfinite(shift), shift, 0))
    return e / sum(e, axis, keepdims=True)


@primitive(vjp=lambda g, ans, x, axis, keepdims:
           _unreduce(g, x.shape, axis, keepdims) * _softmax_of(ans, x, axis, keepdims),
           jvp=lambda t, ans, x, axis, keepdims:
           sum(t * _softmax_of(ans, x, axis, keepdims), axis, keepdims))
def _logsumexp(x, axis, keepdims):
    x = np.asarray(x)
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)  # rows of -inf stay -inf, not NaN
    with np.errstate(divide="ignore"):  # log(0) = -inf for a row of -inf, as intended
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=_axes(axis, x.ndim))


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over ``axis``, computed stably (shifted by the max)."""
    return _logsumexp(x, axis=axis, keepdims=keepdims)


@primitive()
def _argmax(x, axis, keepdims):
    return np.argmax(x, axis=axis, keepdims=keepdims)


@primitive()
def _argmin(x, axis, keepdims):
    return np.argmin(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the maximum (flat index when axis is None); not differentiable."""
    return _argmax(x, axis=axis, keepdims=keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index of the minimum (flat index when axis is None); not differentiable."""
    return _argmin(x, axis=axis, keepdims=keepdims)


# ============================================================ linear algebra
def _matmul_vjp(argnum):
    """Gradient of a @ b for input ``argnum``. A 1-D operand is promoted to a matrix (a row
    for a, a column for b) and the result's missing axes restored, so one rule covers
    numpy's 1-D, 2-D and broadcast-batched cases."""

    def rule(g, ans, a, b):
        a2 = reshape(a, (1, -1)) if a.ndim == 1 else a
        b2 = reshape(b, (-1, 1)) if b.ndim == 1 else b
        if b.ndim == 1:
            g = expand_dims(g, -1)
        if a.ndim == 1:
            g = expand_dims(g, -2)
        if argnum == 0:
            grad, like, operand = g @ swapaxes(b2, -1, -2), a2, a
        else:
            grad, like, operand = swapaxes(a2, -1, -2) @ g, b2, b
        if grad.shape != like.shape:
            grad = sum_to(grad, shape=like.shape)
        return reshape(grad, operand.shape) if operand.ndim == 1 else grad

    return rule


@primitive(vjp=(_matmul_vjp(0), _matmul_vjp(1)),
           jvp=(lambda t, ans, a, b: t @ b, lambda t, ans, a, b: a @ t))
def matmul(a, b):
    """Matrix product with numpy's rules: 1-D operands are vectors, leading axes are
    batch axes and broadcast."""
    return np.matmul(a, b)


def dot(a, b):
    """numpy's dot for inputs of at most 2 dimensions (or a 0-d factor): matmul there."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return mul(a, b)
    if np.ndim(b) > 2 or np.ndim(a) > 2 and np.ndim(b) > 1:
        raise ShapeError(f"dot: shapes {np.shape(a)} and {np.shape(b)}: numpy's dot of arrays "
                         "with more than 2 dimensions is not supported; use matmul (batched "
                         "over leading axes) instead")
    return matmul(a, b)


def outer(a, b):
    """Outer product of the flattened a and b: shape (a.size, b.size)."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


# ============================================================ shape primitives
@primitive(vjp=lambda g, ans, x, shape: reshape(g, x.shape),
           jvp=lambda t, ans, x, shape: reshape(t, shape))
def _reshape(x, shape):
    return np.reshape(x, shape)


def reshape(x, shape):
    """x with a new shape of the same size (one entry may be -1)."""
    return _reshape(x, shape=shape)


@primitive(vjp=lambda g, ans, x, axes: transpose(g, None if axes is None else np.argsort(axes)),
           jvp=lambda t, ans, x, axes: transpose(t, axes))
def _transpose(x, axes):
    return np.transpose(x, axes)


def transpose(x, axes=None):
    """x with its axes permuted (reversed when ``axes`` is None)."""
    if axes is not None:
        if len(axes) != np.ndim(x):
            raise ShapeError(f"transpose: axes {axes} do not match a tensor of shape {np.shape(x)}")
        axes = tuple(int(a) for a in normalize_axis_tuple(tuple(axes), np.ndim(x)))
    return _transpose(x, axes=axes)


@primitive(vjp=lambda g, ans, x, shape: sum_to(g, shape=x.shape),
           jvp=lambda t, ans, x, shape: broadcast_to(t, shape=shape))
def broadcast_to(x, shape):
    """x repeated (without copying) to ``shape`` by numpy's broadcasting rules."""
    return np.broadcast_to(x, shape)


@primitive(vjp=lambda g, ans, x, shape: broadcast_to(g, shape=x.shape),
           jvp=lambda t, ans, x, shape: sum_to(t, shape=shape))
def sum_to(x, shape):
    """Sum x down to ``shape``: the reverse of broadcasting x from ``shape``."""
    shape = tuple(shape)
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    return np.sum(x, axis=axes).reshape(shape) if axes else np.reshape(x, shape)


def _part(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop),)


def _concatenate_vjp(g, ans, *xs, axis, argnum):
    axis = _axes(axis, ans.ndim)[0]
    start = builtins.sum(x.shape[axis] for x in xs[:argnum])
    return getitem(g, _part(axis, start, start + xs[argnum].shape[axis]))


def _concatenate_jvp(t, ans, *xs, axis, argnum):
    axis = _axes(axis, ans.ndim)[0]
    before = builtins.sum(x.shape[axis] for x in xs[:argnum])
    after = ans.shape[axis] - before - xs[argnum].shape[axis]
    widths = [(0, 0)] * ans.ndim
    widths[axis] = (before, after)
    return pad(t, widths)


@primitive(vjp=_concatenate_vjp, jvp=_concatenate_jvp, variadic=True)
def _concatenate(*xs, axis):
    return np.concatenate(xs, axis=axis)


def concatenate(tensors, axis=0):
    """Join a sequence of tensors along an existing ``axis``."""
    return _concatenate(*tensors, axis=axis)


def stack(tensors, axis=0):
    """Join a sequence of same-shape tensors along a new ``axis``."""
    if not tensors:
        raise ShapeError("stack: needs at least one tensor")
    axis = _axes(axis, np.ndim(tensors[0]) + 1)[0]
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def _pad_widths(pad_width, ndim):
    return np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (ndim, 2))


def _unpad(g, ans, x, pad_width, constant_values):
    widths = _pad_widths(pad_width, x.ndim)
    return getitem(g, tuple(slice(before, before + n) for (before, _), n in zip(widths, x.shape)))


@primitive(vjp=_unpad, jvp=lambda t, ans, x, pad_width, constant_values: pad(t, pad_width))
def _pad(x, pad_width, constant_values):
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


def pad(x, pad_width, mode="constant", constant_values=0):
    """x padded with ``constant_values``; ``pad_width`` as numpy's (an int, (before, after),
    or one pair per axis). Only mode='constant' is supported."""
    if mode != "constant":
        raise ValueError(f"pad: mode {mode!r} is not supported; only 'constant'")
    return _pad(x, pad_width=pad_width, constant_values=constant_values)


def _is_basic(index):
    """True for indices that cannot repeat an element (ints, slices, None, ..., masks)."""
    parts = index if isinstance(index, tuple) else (index,)
    return builtins.all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis)))
                        or (isinstance(p, np.ndarray) and p.dtype == bool) for p in parts)


@primitive(vjp=lambda g, ans, x, index: _scatter_add(g, index=index, shape=x.shape),
           jvp=lambda t, ans, x, index: getitem(t, index))
def _getitem(x, index):
    return np.asarray(x)[index]


@primitive(vjp=lambda g, ans, x, index, shape: getitem(g, index),
           jvp=lambda t, ans, x, index, shape: _scatter_add(t, index=index, shape=shape))
def _scatter_add(x, index, shape):
    """Zeros of ``shape`` with x added at ``index`` (repeated indices add up)."""
    out = np.zeros(shape, dtype=np.result_type(x))
    if _is_basic(index):
        out[index] = x
    else:
        np.add.at(out, index, x)
    return out


def _plain_index(index):
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def getitem(x, index):
    """x[index] with numpy's indexing: ints, slices (any step), None, ..., integer arrays
    (repeated indices accumulate their gradients) and boolean masks."""
    return _getitem(x, index=_plain_index(index))


# ============================================================ composites
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis``."""
    return sum(x, axis, keepdims) / _count(np.shape(x), axis)


def var(x, axis=None, ddof=0, keepdims=False):
    """Variance over ``axis``, divided by (n - ddof) as numpy (ddof=0: biased)."""
    centered = x - mean(x, axis, keepdims=True)
    return sum(centered * centered, axis, keepdims) / (_count(np.shape(x), axis) - ddof)


def std(x, axis=None, ddof=0, keepdims=False):
    """Standard deviation: sqrt(var(x, axis, ddof)). Its gradient is infinite where all
    entries are equal (std = 0)."""
    return sqrt(var(x, axis, ddof, keepdims))


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``; stable for logits of any magnitude.

    >>> autograd.softmax(autograd.tensor([1000.0, 1000.0]))
    Tensor([0.5, 0.5])
    """
    return exp(log_softmax(x, axis))


def log_softmax(x, axis=-1):
    """log(softmax(x)) along ``axis``, computed as z - logsumexp(z) with z = x - max(x), the
    max a constant: exact where x is near its max, so accurate for logits of any magnitude
    (x - logsumexp(x) alone loses log(n) once |x| > 1e16).

    >>> autograd.log_softmax(autograd.tensor([0.0, 0.0]))
    Tensor([-0.6931472, -0.6931472])
    """
    shift = np.max(_raw(x), axis=_axes(axis, np.ndim(x)), keepdims=True)
    z = x - np.where(np.isfinite(shift), shift, 0)
    return z - logsumexp(z, axis, keepdims=True)


def swapaxes(x, axis1, axis2):
    """x with two axes exchanged."""
    axes = list(range(np.ndim(x)))
    a, b = _axes(axis1, len(axes))[0], _axes(axis2, len(axes))[0]
    axes[a], axes[b] = b, a
    return transpose(x, tuple(axes))


def expand_dims(x, axis):
    """x with new size-1 axes inserted at ``axis`` (an int or a tuple), as numpy."""
    axes = axis if isinstance(axis, tuple) else (axis,)
    ndim = np.ndim(x) + len(axes)
    new = _axes(axes, ndim)
    dims = iter(np.shape(x))
    return reshape(x, tuple(1 if i in new else next(dims) for i in range(ndim)))


def squeeze(x, axis=None):
    """x without size-1 axes (all of them, or those in ``axis``)."""
    shape = np.shape(x)
    axes = tuple(i for i, n in enumerate(shape) if n == 1) if axis is None else \
        _axes(axis, len(shape))
    for i in axes:
        if shape[i] != 1:
            raise ShapeError(f"squeeze: axis {i} has size {shape[i]}, not 1 (shape {shape})")
    return reshape(x, tuple(n for i, n in enumerate(shape) if i not in axes))


def flatten(x):
    """x as a 1-D tensor."""
    return reshape(x, (-1,))


def split(x, indices_or_sections, axis=0):
    """Split x along ``axis`` as numpy: into N equal parts (an int N), or at the given
    indices (a sequence). Returns a list of tensors."""
    n = np.shape(x)[_axes(axis, np.ndim(x))[0]]
    axis = _axes(axis, np.ndim(x))[0]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0 or n % sections:
            raise ShapeError(f"split: axis {axis} of size {n} cannot be split into "
                             f"{sections} equal parts; pass split indices instead")
        bounds = [i * (n // sections) for i in range(sections + 1)]
    else:
        bounds = [0] + [builtins.min(builtins.max(int(i), 0), n) for i in indices_or_sections] + [n]
    return [getitem(x, _part(axis, start, builtins.max(start, stop)))
            for start, stop in zip(bounds, bounds[1:])]


# numpy's spellings of the same ops
subtract, multiply, divide, true_divide, negative, absolute = sub, mul, div, div, neg, abs
amax, amin = max, min
