"""Every op of the engine, one declarative entry each (see `engine` for the kinds).

- ``@elementwise(d, saves=...)``: the op's local derivative ``d(ans, *inputs)`` per input;
  the reverse rule ``g * d`` and the forward rule ``t * d`` both come from it.
- ``@linear(transpose)``: the forward rule is the op itself; the reverse rule its transpose,
  itself written with registered ops.
- ``@bilinear(vjp)``: one reverse rule per operand; the forward rule is f(tx, y) + f(x, ty).
- ``@primitive(vjp, jvp, saves)``: explicit rules, for the rest.
- ``@registered(...)``: a public function built from other ops (a composite, or the
  argument handling around a private primitive), registered for its names.

``saves`` names what the rules read (inputs by name, and ``ans``, the result); a node keeps
only that. Rules never undo broadcasting: the engine sums each gradient back to its input's
shape. Ties in max/min/maximum/minimum share the gradient equally (PyTorch's rule), and NaN
propagates through them as in PyTorch.
"""
import builtins
import math

import numpy as np

from . import _special, batching
from .engine import (_broadcast_to, _sum_to, astype, bilinear, elementwise, inplace_update,
                     linear, param_array, primitive)
from .errors import DtypeError, IndexingError, ShapeError
from .registry import registered
from .returns import ValuesIndices
from .tensor import Tensor, get_default_dtype

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:  # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple


def _raw(x):
    """The ndarray behind x: for masks and weights that are constants of a rule."""
    return x._data if isinstance(x, Tensor) else x


def _axes(axis, ndim):
    """``axis`` (None, int, negative, tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    try:
        return tuple(sorted(normalize_axis_tuple(axes, ndim)))
    except (ValueError, IndexError, TypeError):
        if ndim == 0 and builtins.all(a in (0, -1) for a in axes):
            return ()  # PyTorch's rule: a 0-d tensor answers to dim 0 and -1 (nothing to do)
        raise IndexingError(f"axis {axis} is out of range for a tensor with {ndim} dimensions "
                            f"(valid: {-ndim} to {ndim - 1}, no repeats)") from None


def _dims(x, dim, keepdim, axis, keepdims):
    """PyTorch's ``dim``/``keepdim`` or numpy's ``axis``/``keepdims`` (the same meaning),
    whichever was given; dims as a list mean a tuple, and a 0-d x's dim 0 or -1 means all
    of it (PyTorch's rule)."""
    if axis is not None:
        dim = axis
    if dim is not None:
        if type(dim) is list:
            dim = tuple(dim)
        if _ndim(x) == 0:
            _axes(dim, 0)  # checks it is 0 or -1
            dim = None
    return dim, (keepdim if keepdims is None else keepdims)


def _ndim(x):
    """np.ndim without numpy's function dispatch for the common Tensor and ndarray."""
    return x.ndim if isinstance(x, (Tensor, np.ndarray)) else np.ndim(x)


def _shape(x):
    """np.shape without numpy's function dispatch for the common Tensor and ndarray."""
    return x.shape if isinstance(x, (Tensor, np.ndarray)) else np.shape(x)


def _cast(x, dtype):
    """x converted to ``dtype`` first (PyTorch's ``sum(dtype=)``...), in the graph."""
    return x if dtype is None else astype(x, dtype)


def _unreduce(g, shape, axis, keepdims):
    """Broadcast a reduction's gradient ``g`` back over the input ``shape``."""
    if not keepdims:
        axes = _axes(axis, len(shape))
        g = reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return _broadcast_to(g, shape=shape)


def _count(shape, axis):
    return int(np.prod([shape[i] for i in _axes(axis, len(shape))], dtype=np.int64))


def _as_dtype(values, like):
    return np.asarray(values, dtype=like.dtype)  # (not raw(like): vmap's tensors have none)


def _floating(x):
    """x as an ndarray of a floating dtype: integers and booleans become the default float
    dtype (PyTorch's ``exp(arange(3))`` is float32, numpy's float64). A Python number stays
    one, so that it does not change a tensor's dtype."""
    if type(x) is np.ndarray and x.dtype.kind == "f":  # the common case, first
        return x
    if isinstance(x, (int, float)):
        return float(x)
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(get_default_dtype())


# ============================================================ elementwise, two inputs
@elementwise((1, 1), saves="", operators=("__add__",), reflected=("__radd__",), ufunc=np.add,
             method=True)
def add(x, y):
    """x + y, elementwise with broadcasting."""
    return np.add(x, y)


@elementwise((1, -1), saves="", operators=("__sub__",), reflected=("__rsub__",),
             ufunc=np.subtract, aliases=("subtract",), method=True)
def sub(x, y):
    """x - y, elementwise with broadcasting."""
    return np.subtract(x, y)


@bilinear(vjp=(lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x),
          operators=("__mul__",), reflected=("__rmul__",), ufunc=np.multiply,
          aliases=("multiply",), method=True, batch=batching.elementwise)
def mul(x, y):
    """x * y, elementwise with broadcasting."""
    return np.multiply(x, y)


# a rounded quotient (rounding_mode 'trunc' or 'floor') is piecewise constant: slope 0
@elementwise((lambda ans, x, y, rounding_mode=None: 1 / y if rounding_mode is None else 0 * y,
              lambda ans, x, y, rounding_mode=None: -ans / y if rounding_mode is None
              else 0 * y), saves=("y", "ans y"),
             operators=("__truediv__",), reflected=("__rtruediv__",), ufunc=np.true_divide,
             aliases=("divide", "true_divide"), method=True)
def div(x, y, rounding_mode=None):
    """x / y, elementwise with broadcasting; integers divide into the default float dtype
    (PyTorch's ``arange(4) / 2`` is float32), not numpy's float64. PyTorch's
    ``rounding_mode='trunc'`` rounds the quotient toward zero, ``'floor'`` down (both keep
    integer dtypes; their gradient is 0).

    >>> autograd.div(autograd.tensor([-7, 7]), 2, rounding_mode="trunc")
    Tensor([-3,  3])
    """
    if rounding_mode is not None:
        return _rounded_quotient(x, y, rounding_mode)
    out = np.true_divide(x, y)
    if out.dtype.char == "d" and _integral(x) and _integral(y):  # checked only for float64
        return out.astype(get_default_dtype(), copy=False)
    return out


def _rounded_quotient(x, y, mode):
    """x / y rounded toward zero ('trunc') or down ('floor'); an integer division by zero
    raises, as PyTorch's."""
    if mode not in ("trunc", "floor"):
        raise TypeError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {mode!r}")
    if _integer_quotient("div", x, y):
        q = np.floor_divide(x, y)
        return q if mode == "floor" else q + ((q < 0) & (q * y != x))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(x, y) if mode == "floor" else np.trunc(x / y)


def _integer_quotient(name, x, y):
    """Whether x / y (arrays or numbers) is an integer division; one by zero raises, as
    PyTorch's."""
    if np.result_type(x, y).kind not in "iub":
        return False
    if not np.all(y):
        raise ZeroDivisionError(f"{name}: integer division by zero (shapes {np.shape(x)} and "
                                f"{np.shape(y)}); divide floats to get inf or nan instead")
    return True


def _integral(v):
    """Whether v (an ndarray or a number) holds integers or booleans."""
    return v.dtype.kind in "iub" if isinstance(v, (np.ndarray, np.generic)) else not isinstance(
        v, float)


def _log_base(x, y):
    """log(x) where it matters for d(x**y)/dy: 0 where x == 0 and y >= 0 (0**y is flat in y
    there); at x == 0 and y < 0 log(0) = -inf, so the slope is -inf, as PyTorch's."""
    flat = (_raw(x) == 0) & (_raw(y) >= 0)
    with np.errstate(divide="ignore"):  # log(0) = -inf where y < 0: the slope intended
        return log(where(flat, 1, x)) if np.any(flat) else log(x)


def _power_slope(ans, x, y):
    """d(x**y)/dx = y * x**(y - 1), taken as 0 where y == 0 (x**0 is constant, also at
    x == 0 or ±inf where the formula gives NaN; PyTorch's rule)."""
    zero = _raw(y) == 0
    if np.any(zero):  # 1 ** 1 where y == 0: y * 1 = 0 there, with no inf * 0 computed
        return y * where(zero, 1, x) ** where(zero, 1, y - 1)
    return y * x ** (y - 1)


# each input's share of log(e**x + e**y) is its softmax weight, sigmoid(x - y): smooth, and
# 1 or 0 where one input is infinite (e**(x - ans) would be NaN at x = ans = inf)
@elementwise((lambda ans, x, y: sigmoid(x - y), lambda ans, x, y: sigmoid(y - x)),
             saves="x y", ufunc=np.logaddexp, method=True)
def logaddexp(x, y):
    """log(e**x + e**y), elementwise with broadcasting, without overflow; softplus is
    ``logaddexp(0, x)``. The gradient at x = inf (y finite) is 1, as PyTorch's.

    >>> autograd.logaddexp(0, autograd.tensor([-1000.0, 1000.0]))   # softplus, no overflow
    Tensor([   0., 1000.])
    """
    return np.logaddexp(x, y)


@elementwise((_power_slope, lambda ans, x, y: ans * _log_base(x, y)), saves=("x y", "ans x y"),
             operators=("__pow__",), reflected=("__rpow__",), ufunc=np.power, method="pow",
             aliases=("pow",))
def power(x, y):
    """x ** y, elementwise with broadcasting (either may be a tensor); PyTorch's ``pow``."""
    return np.power(x, y)


def _share(x, y, loses):
    """maximum/minimum's share of the gradient for x (PyTorch's rule): half on ties, none
    where x ``loses`` against y, all elsewhere (so a NaN passes the gradient on)."""
    xr, yr = _raw(x), _raw(y)
    return np.where(xr == yr, 0.5, 1.0) * ~loses(xr, yr)


# maximum/minimum select one input per element: the derivative is that input's share
@elementwise((lambda ans, x, y: _as_dtype(_share(x, y, np.less), ans),
              lambda ans, x, y: _as_dtype(_share(y, x, np.less), ans)),
             saves="x y ans", ufunc=np.maximum, method=True)
def maximum(x, y):
    """The larger of x and y, elementwise; on ties each gets half the gradient."""
    return np.maximum(x, y)


@elementwise((lambda ans, x, y: _as_dtype(_share(x, y, np.greater), ans),
              lambda ans, x, y: _as_dtype(_share(y, x, np.greater), ans)),
             saves="x y ans", ufunc=np.minimum, method=True)
def minimum(x, y):
    """The smaller of x and y, elementwise; on ties each gets half the gradient."""
    return np.minimum(x, y)


@linear(transpose=(lambda g, ans, x, y, condition: where(condition, g, 0),
                   lambda g, ans, x, y, condition: where(condition, 0, g)),
        batch=batching.where)
def _where(x, y, condition):
    return np.where(condition, x, y)


_NO_VALUE = object()


@registered("linear")
def where(condition, x=_NO_VALUE, y=_NO_VALUE):
    """x where ``condition`` holds, else y; differentiable in x and y. Given a tensor
    condition and plain numbers, a Tensor (PyTorch's dtype: the default float, or int64);
    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.

    >>> autograd.where(autograd.tensor([True, False]), 4, 2)
    Tensor([4, 2])
    """
    if x is _NO_VALUE and y is _NO_VALUE:
        return tuple(Tensor(i.astype(np.int64)) for i in np.nonzero(_raw(condition)))
    if x is _NO_VALUE or y is _NO_VALUE:
        raise TypeError("where: give both x and y, or neither (where(condition) is "
                        "nonzero(condition, as_tuple=True))")
    in_graph = isinstance(x, Tensor) or isinstance(y, Tensor)
    # a Tensor condition of a recorded op is version-checked like a saved tensor
    out = _where(x, y, condition=condition if in_graph else _raw(condition))
    if isinstance(condition, Tensor) and not isinstance(out, Tensor):
        out = Tensor(out if _integral(x) or _integral(y) or out.dtype.kind != "f"
                     else out.astype(get_default_dtype()))
    return out


# ============================================================ elementwise, one input
@elementwise(-1, saves="", operators=("__neg__",), ufunc=np.negative, aliases=("negative",),
             method=True)
def neg(x):
    """-x."""
    return np.negative(x)


@elementwise(lambda ans, x: np.zeros(x.shape, x.dtype), saves="", method=("sign", "sgn"),
             ufunc=np.sign, aliases=("sgn",))
def sign(x):
    """-1, 0 or 1 by the sign of x; its gradient is 0 (PyTorch's: flat almost everywhere)."""
    return np.sign(x)


@elementwise(lambda ans, x: np.sign(_raw(x)), saves="x", operators=("__abs__",),
             ufunc=np.absolute, aliases=("absolute",), method=True)
def abs(x):
    """|x|, elementwise; its gradient at 0 is 0."""
    return np.abs(x)


@elementwise(lambda ans, x: ans, saves="ans", ufunc=np.exp, method=True)
def exp(x):
    """e ** x, elementwise."""
    return np.exp(_floating(x))


@elementwise(lambda ans, x: 1 / x, saves="x", ufunc=np.log, method=True)
def log(x):
    """Natural logarithm, elementwise."""
    return np.log(_floating(x))


@elementwise(lambda ans, x: ans + 1, saves="ans", ufunc=np.expm1, method=True)
def expm1(x):
    """e ** x - 1, accurate for small x (no cancellation near 0).

    >>> autograd.expm1(autograd.tensor([1e-10]))
    Tensor([1.e-10])
    """
    return np.expm1(_floating(x))


@elementwise(lambda ans, x: 1 / (1 + x), saves="x", ufunc=np.log1p, method=True)
def log1p(x):
    """log(1 + x), accurate for small x."""
    return np.log1p(_floating(x))


@elementwise(lambda ans, x: 0.5 / ans, saves="ans", ufunc=np.sqrt, method=True)
def sqrt(x):
    """Square root, elementwise."""
    return np.sqrt(_floating(x))


@elementwise(lambda ans, x: 2 * x, saves="x", ufunc=np.square, method=True)
def square(x):
    """x * x, elementwise.

    >>> autograd.tensor([-3.0, 0.5]).square()
    Tensor([9.  , 0.25])
    """
    return np.square(x)


@elementwise(lambda ans, x: -(ans * ans), saves="ans", ufunc=np.reciprocal, method=True)
def reciprocal(x):
    """1 / x, elementwise (integers divide into the default float dtype, as PyTorch).

    >>> autograd.tensor([2.0, -4.0]).reciprocal()
    Tensor([ 0.5 , -0.25])
    """
    return np.reciprocal(_floating(x))


@elementwise(lambda ans, x: -0.5 * ans * ans * ans, saves="ans", method=True)
def rsqrt(x):
    """1 / sqrt(x), elementwise (PyTorch's ``rsqrt``).

    >>> autograd.tensor([4.0]).rsqrt()
    Tensor([0.5])
    """
    return 1 / np.sqrt(_floating(x))


@elementwise(lambda ans, x: cos(x), saves="x", ufunc=np.sin, method=True)
def sin(x):
    """Sine, elementwise (radians)."""
    return np.sin(_floating(x))


@elementwise(lambda ans, x: -sin(x), saves="x", ufunc=np.cos, method=True)
def cos(x):
    """Cosine, elementwise (radians)."""
    return np.cos(_floating(x))


# (1 + ans)(1 - ans) rather than 1 - ans**2: no cancellation where tanh is near ±1
@elementwise(lambda ans, x: (1 + ans) * (1 - ans), saves="ans", ufunc=np.tanh, method=True)
def tanh(x):
    """Hyperbolic tangent, elementwise.

    >>> autograd.tanh(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 0.7616])
    """
    return np.tanh(_floating(x))


@elementwise(lambda ans, x: 2 / math.sqrt(math.pi) * exp(-(x * x)), saves="x", method=True)
def erf(x):
    """The error function 2/sqrt(pi) * integral of exp(-t**2) from 0 to x, elementwise
    (exact GELU needs it): vectorized numpy, within 1 ulp of libm's; float32 stays float32.

    >>> autograd.erf(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 0.8427])
    """
    return _special.erf(_floating(x))


@elementwise(lambda ans, x: ans * (1 - ans), saves="ans", method=True)
def sigmoid(x):
    """1 / (1 + e**-x), elementwise, without overflow for large |x|.

    >>> autograd.sigmoid(autograd.tensor([-1000.0, 0.0, 1000.0]))
    Tensor([0. , 0.5, 1. ])
    """
    x = _floating(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(e.dtype, copy=False)


@elementwise(lambda ans, x: _raw(x) > 0, saves="x", method=True)
def relu(x):
    """max(x, 0), elementwise; its gradient at 0 is 0 (NaN stays NaN, as in PyTorch).

    >>> autograd.relu(autograd.tensor([-2.0, 0.0, 3.0]))
    Tensor([0., 0., 3.])
    """
    return np.maximum(x, 0)


def _inside(ans, x, lo, hi):
    x = _raw(x)
    return (x >= (-np.inf if lo is None else _raw(lo))) & (x <= (np.inf if hi is None else
                                                             _raw(hi)))


def _below(ans, x, lo, hi):  # min's share: where x < min < max (PyTorch's rule)
    lo = _raw(lo)
    return (_raw(x) < lo) & (True if hi is None else lo < _raw(hi))


def _above(ans, x, lo, hi):  # max's: where x > max, or everywhere max < min (the result is max)
    hi = _raw(hi)
    return (_raw(x) > hi) | (False if lo is None else hi < _raw(lo))


@elementwise((_inside, _below, _above), saves="x lo hi")
def _clip(x, lo, hi):
    return np.clip(x, lo, hi) if lo is not None or hi is not None else np.array(x, copy=True)


@registered("elementwise", method=("clip", "clamp"), aliases=("clamp",))
def clip(x, a_min=None, a_max=None, *, min=None, max=None):
    """x limited to [a_min, a_max] (either may be None; PyTorch's ``clamp(min=, max=)``
    too; where min > max the result is max). Tensor bounds are inputs with gradients. The
    gradient passes to x where min <= x <= max, bounds included, to min where x < min < max
    and to max where x > max or max < min (PyTorch's rule).

    >>> autograd.tensor([-2.0, 0.5, 3.0]).clamp(min=0, max=1)
    Tensor([0. , 0.5, 1. ])
    """
    lo = a_min if min is None else min
    hi = a_max if max is None else max
    _one_bound_at_least("clamp", lo, hi)
    return _clip(x, lo, hi)


def _one_bound_at_least(name, lo, hi):
    if lo is None and hi is None:
        raise TypeError(f"{name}: give min, max or both (PyTorch refuses neither); "
                        "x.clone() is x unchanged")


def _half_inverse_or_zero(ans, x):
    """0.5 / ans, and 0 where ans == 0 (differentiable: higher derivatives stay finite)."""
    zero = _raw(ans) == 0
    return where(zero, 0, 0.5 / where(zero, 1, ans)) if np.any(zero) else 0.5 / ans


@elementwise(_half_inverse_or_zero, saves="ans")
def _sqrt_flat_at_zero(x):
    """sqrt with slope 0 at 0 (std's: its gradient at zero spread is 0, as PyTorch's)."""
    return np.sqrt(_floating(x))


# ============================================================ comparisons (not differentiable)
@primitive(operators=("__lt__",), ufunc=np.less, method="lt", aliases=("lt",),
           batch=batching.elementwise)
def less(x, y):
    """x < y as a boolean tensor."""
    return np.less(x, y)


@primitive(operators=("__le__",), ufunc=np.less_equal, method="le", aliases=("le",),
           batch=batching.elementwise)
def less_equal(x, y):
    """x <= y as a boolean tensor."""
    return np.less_equal(x, y)


@primitive(operators=("__gt__",), ufunc=np.greater, method="gt", aliases=("gt",),
           batch=batching.elementwise)
def greater(x, y):
    """x > y as a boolean tensor."""
    return np.greater(x, y)


@primitive(operators=("__ge__",), ufunc=np.greater_equal, method="ge", aliases=("ge",),
           batch=batching.elementwise)
def greater_equal(x, y):
    """x >= y as a boolean tensor."""
    return np.greater_equal(x, y)


@primitive(operators=("__eq__",), ufunc=np.equal, method=True, batch=batching.elementwise)
def eq(x, y):
    """x == y as a boolean tensor (elementwise; `equal` compares whole tensors)."""
    return np.equal(x, y)


@registered("none", method=True)
def equal(x, y):
    """Whether x and y have the same shape and entries, as one Python bool (PyTorch's
    ``equal``; elementwise comparison is `eq` or ``==``, as numpy's ``np.equal``).

    >>> autograd.equal(autograd.tensor([1.0, 2.0]), autograd.tensor([1.0, 2.0]))
    True
    """
    return bool(np.array_equal(_raw(x), _raw(y)))


@primitive(operators=("__ne__",), ufunc=np.not_equal, method="ne", aliases=("ne",),
           batch=batching.elementwise)
def not_equal(x, y):
    """x != y as a boolean tensor."""
    return np.not_equal(x, y)


@primitive(method=True, ufunc=np.isnan, batch=batching.elementwise)
def isnan(x):
    """Where x is NaN, as a boolean tensor.

    >>> autograd.tensor([1.0, float("nan")]).isnan()
    Tensor([False,  True])
    """
    return np.isnan(x)


@primitive(method=True, ufunc=np.isinf, batch=batching.elementwise)
def isinf(x):
    """Where x is +inf or -inf, as a boolean tensor.

    >>> autograd.isinf(autograd.tensor([1.0, -float("inf")]))
    Tensor([False,  True])
    """
    return np.isinf(x)


@primitive(method=True, ufunc=np.isfinite, batch=batching.elementwise)
def isfinite(x):
    """Where x is neither NaN nor infinite, as a boolean tensor.

    >>> autograd.tensor([1.0, float("nan"), float("inf")]).isfinite()
    Tensor([ True, False, False])
    """
    return np.isfinite(x)


# ============================================================ reductions
@linear(transpose=lambda g, ans, x, axis, keepdims: _unreduce(g, x.shape, axis, keepdims),
        batch=batching.axis)
def _sum(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


@registered("linear", method=True)
def sum(x, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Sum over ``dim`` (None: all; int, negative, tuple or list), as PyTorch's (numpy's
    ``axis=``/``keepdims=`` mean the same); ``dtype``: convert x to it first.

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=1)
    Tensor([3., 7.])
    """
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    if dtype is not None:
        x = astype(x, dtype)
    return _sum(x, axis=dim, keepdims=keepdim)


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
           sum(t * _prod_partials(ans, x, axis, keepdims), axis, keepdims),
           saves="x ans", batch=batching.axis)
def _prod(x, axis, keepdims):
    return np.prod(x, axis=axis, keepdims=keepdims)


@registered("general", method=True)
def prod(x, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Product over ``dim`` (or ``axis``); its gradient is exact where entries are zero;
    ``dtype``: convert x to it first."""
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    return _prod(_cast(x, dtype), axis=dim, keepdims=keepdim)


def _extreme_share(ans, x, axis, keepdims):
    """1/k on each of the k entries that attain a max/min (or are NaN where it is NaN, as
    PyTorch), 0 elsewhere."""
    xr = _raw(x)
    best = _raw(_unreduce(_raw(ans), xr.shape, axis, keepdims))
    hits = (xr == best) | (np.isnan(xr) & np.isnan(best))
    return _as_dtype(hits / np.sum(hits, axis=_axes(axis, xr.ndim), keepdims=True), ans)


def _extreme_vjp(g, ans, x, axis, keepdims):
    return _unreduce(g, x.shape, axis, keepdims) * _extreme_share(ans, x, axis, keepdims)


def _extreme_jvp(t, ans, x, axis, keepdims):
    return sum(t * _extreme_share(ans, x, axis, keepdims), axis, keepdims)


@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp, saves="x ans", batch=batching.axis)
def _max(x, axis, keepdims):
    return np.max(x, axis=axis, keepdims=keepdims)


@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp, saves="x ans", batch=batching.axis)
def _min(x, axis, keepdims):
    return np.min(x, axis=axis, keepdims=keepdims)


MaxMin = ValuesIndices  # PyTorch's torch.return_types: one (values, indices) pair for all ops


def _extreme(name, reduce, pick, pairwise, x, dim, keepdim, axis, keepdims):
    """PyTorch's max/min: all entries' (values only), or ``(values, indices)`` along one
    dim (numpy's ``axis=`` means the same), or the elementwise form of two tensors."""
    if isinstance(dim, Tensor):  # torch.max(a, b)
        return pairwise(x, dim)
    given = dim if axis is None else axis
    if given is None:
        return reduce(x, axis=None, keepdims=False)
    if not isinstance(given, (int, np.integer)) or isinstance(given, bool):
        raise IndexingError(f"{name}: dim must be one int (it returns the indices along it), "
                            f"got {given!r}; for several dims use a{name}(x, dim={given!r})")
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    if dim is None:  # a 0-d x: nothing to pick
        return MaxMin(reduce(x, axis=None, keepdims=keepdim), pick(x, None, keepdim))
    if not -_ndim(x) <= dim < _ndim(x):
        raise IndexingError(f"{name}: axis {dim} is out of bounds for array of dimension "
                            f"{_ndim(x)} (input shapes {_shape(x)})")
    # the values are read at the returned indices, so that the whole gradient goes to
    # them, ties or not (PyTorch's rule here; amax/amin and max() share it among ties)
    indices = pick(x, dim, True)
    values = gather(x, dim, indices)
    if not keepdim:
        values, indices = squeeze(values, dim), squeeze(indices, dim)
    return MaxMin(values, indices)


@registered("general", method=True)
def max(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The largest entry (values only), or PyTorch's ``(values, indices)`` along ``dim``
    (numpy's ``axis=`` means the same here; numpy's values-only form is `amax`). Tied
    maxima share the gradient equally in ``max()``; along ``dim`` it all goes to the
    returned index (both PyTorch's rules). ``max(a, b)`` of two tensors is `maximum`.

    >>> values, indices = autograd.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1)
    >>> indices
    Tensor([1, 0])
    """
    return _extreme("max", _max, argmax, maximum, x, dim, keepdim, axis, keepdims)


@registered("general", method=True)
def min(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The smallest entry, or ``(values, indices)`` along ``dim`` (see `max`); values only
    over any dims is `amin`; ``min(a, b)`` is `minimum`."""
    return _extreme("min", _min, argmin, minimum, x, dim, keepdim, axis, keepdims)


def _all_if_empty(dim):
    return None if isinstance(dim, tuple) and not dim else dim  # PyTorch: dim=() means all


@registered("general", method=True)
def amax(x, dim=(), keepdim=False, *, axis=None, keepdims=None):
    """The largest entries over ``dim`` (an int, a tuple or list; all by default), values
    only (PyTorch's ``amax``, numpy's ``amax``/``max``); ties share the gradient equally.

    >>> autograd.tensor([[1.0, 5.0], [7.0, 2.0]]).amax(1)
    Tensor([5., 7.])
    """
    dim, keepdim = _dims(x, _all_if_empty(dim), keepdim, axis, keepdims)
    return _max(x, axis=dim, keepdims=keepdim)


@registered("general", method=True)
def amin(x, dim=(), keepdim=False, *, axis=None, keepdims=None):
    """The smallest entries over ``dim``, values only (see `amax`)."""
    dim, keepdim = _dims(x, _all_if_empty(dim), keepdim, axis, keepdims)
    return _min(x, axis=dim, keepdims=keepdim)


def _softmax_of(ans, x, axis, keepdims):
    """softmax(x) over ``axis``, shifted by the (constant) max: accurate for logits of any
    magnitude, where exp(x - ans) is not once the rounding of ``ans`` matters (|x| > 1e15)."""
    shift = np.max(_raw(x), axis=_axes(axis, _ndim(x)), keepdims=True, initial=-np.inf)
    e = exp(x - np.where(np.isfinite(shift), shift, 0))
    return e / sum(e, axis, keepdims=True)


@primitive(vjp=lambda g, ans, x, axis, keepdims:
           _unreduce(g, x.shape, axis, keepdims) * _softmax_of(ans, x, axis, keepdims),
           jvp=lambda t, ans, x, axis, keepdims:
           sum(t * _softmax_of(ans, x, axis, keepdims), axis, keepdims),
           saves="x", batch=batching.axis)
def _logsumexp(x, axis, keepdims):
    x = np.asarray(x)
    shift = np.max(x, axis=axis, keepdims=True, initial=-np.inf)  # -inf: an empty axis
    shift = np.where(np.isfinite(shift), shift, 0)  # rows of -inf stay -inf, not NaN
    with np.errstate(divide="ignore"):  # log(0) = -inf for a row of -inf, as intended
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=_axes(axis, x.ndim))


@registered("general", method=True)
def logsumexp(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """log(sum(exp(x))) over ``dim`` (or ``axis``), computed stably (shifted by the max)."""
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    return _logsumexp(x, axis=dim, keepdims=keepdim)


def _plain_reduction(name, reduce, doc, batch):
    """A reduction that is not differentiable (its result is indices or booleans), taking
    numpy's ``axis``/``keepdims`` and PyTorch's ``dim``/``keepdim``; ``batch`` its batching
    rule."""

    def forward(x, axis, keepdims):
        return reduce(x, axis=axis, keepdims=keepdims)

    forward.__name__ = f"_{name}"
    op = primitive(batch=batch)(forward)

    def reduction(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
        return op(x, axis=dim, keepdims=keepdim)

    reduction.__name__ = reduction.__qualname__ = name
    reduction.__doc__ = doc
    return registered("none", method=True)(reduction)


argmax = _plain_reduction("argmax", np.argmax, """Index of the maximum (flat index when axis
    is None); not differentiable.

    >>> autograd.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1)
    Tensor([1, 0])
    """, batching.argreduction)
argmin = _plain_reduction("argmin", np.argmin, """Index of the minimum (flat index when axis
    is None); not differentiable.

    >>> autograd.tensor([[1.0, 5.0], [7.0, 2.0]]).argmin(axis=0)
    Tensor([0, 1])
    """, batching.argreduction)
all = _plain_reduction("all", np.all, """Whether every entry (over ``axis`` or ``dim``) is
    true, as a boolean tensor.

    >>> (autograd.tensor([1.0, 2.0]) > 0).all().item()
    True
    """, batching.axis)
any = _plain_reduction("any", np.any, """Whether some entry (over ``axis`` or ``dim``) is
    true, as a boolean tensor.

    >>> (autograd.tensor([[1.0, -2.0], [3.0, 4.0]]) < 0).any(dim=1)
    Tensor([ True, False])
    """, batching.axis)


# ============================================================ linear algebra
def _matmul_vjp(argnum):
    """Gradient of a @ b for input ``argnum``. A 1-D operand is promoted to a matrix (a row
    for a, a column for b) and the result's missing axes restored, so one rule covers
    numpy's 1-D, 2-D and broadcast-batched cases."""

    def rule(g, ans, a, b):
        if b.ndim == 1:
            g = expand_dims(g, -1)
        if a.ndim == 1:
            g = expand_dims(g, -2)
        if argnum == 0:  # reads b only (a may be unsaved: its shape is known)
            b2 = reshape(b, (-1, 1)) if b.ndim == 1 else b
            grad, operand = g @ swapaxes(b2, -1, -2), a
            like = (1,) + a.shape if a.ndim == 1 else a.shape
        else:
            a2 = reshape(a, (1, -1)) if a.ndim == 1 else a
            # rows of one element (vmap's per-sample x @ W): an outer product, which a
            # broadcast product computes faster than a stack of matmuls over k=1
            grad = swapaxes(a2, -1, -2) * g if a2.shape[-2] == 1 and g.ndim > 2 else \
                swapaxes(a2, -1, -2) @ g
            operand = b
            like = b.shape + (1,) if b.ndim == 1 else b.shape
        if grad.shape != like:
            grad = _sum_to(grad, shape=like)
        return reshape(grad, operand.shape) if operand.ndim == 1 else grad

    return rule


@bilinear(vjp=(_matmul_vjp(0), _matmul_vjp(1)), operators=("__matmul__",),
          reflected=("__rmatmul__",), ufunc=np.matmul, method=True, batch=batching.matmul)
def matmul(a, b):
    """Matrix product with numpy's rules: 1-D operands are vectors, leading axes are
    batch axes and broadcast."""
    return np.matmul(a, b)


@registered("bilinear", method=True)
def dot(a, b):
    """The inner product of two 1-D tensors of the same length (PyTorch's ``dot``;
    ``np.dot`` on tensors keeps numpy's meaning, matmul for matrices).

    >>> autograd.tensor([1.0, 2.0]).dot(autograd.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    if _ndim(a) != 1 or _ndim(b) != 1 or _shape(a) != _shape(b):
        raise ShapeError(f"dot: shapes {_shape(a)} and {_shape(b)}: PyTorch's dot takes two "
                         "1-D tensors of the same length; use matmul (@) for matrices, mul "
                         "for a 0-d factor")
    return matmul(a, b)


@registered("bilinear", method=True)
def outer(a, b):
    """Outer product of the flattened a and b: shape (a.size, b.size)."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


# ============================================================ shape
def _shape_arg(shape):
    """A shape given as one tuple/list or as separate ints (numpy's and PyTorch's forms)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    if len(shape) == 1 and isinstance(shape[0], Tensor):
        return tuple(int(n) for n in shape[0]._data.reshape(-1))
    return tuple(shape)


@linear(transpose=lambda g, ans, x, shape: reshape(g, x.shape), view=True, batch=batching.reshape)
def _reshape(x, shape):
    return np.reshape(x, shape)


@registered("linear", method=("reshape", "view"), aliases=("view",))
def reshape(x, *shape):
    """x with a new shape of the same size (one entry may be -1): ``reshape(x, (2, 3))``,
    ``x.reshape(2, 3)``, or PyTorch's ``x.view(2, 3)`` (shares memory when numpy can).

    >>> autograd.arange(6.0).view(2, -1).shape
    (2, 3)
    """
    return _reshape(x, shape=_shape_arg(shape))


@linear(transpose=lambda g, ans, x, axes: _transpose(g, axes=None if axes is None else
                                                     tuple(np.argsort(axes))),
        view=True, batch=batching.transpose)
def _transpose(x, axes):
    return np.transpose(x, axes)


@registered("linear", method=True)
def transpose(x, *axes):
    """x with its axes permuted: reversed (no axes), in a given order (numpy's
    ``transpose(x, (1, 0, 2))`` or ``x.transpose(1, 0, 2)``), or two axes swapped when
    given exactly two (PyTorch's ``x.transpose(0, 1)``).

    >>> autograd.zeros(2, 3, 4).transpose(0, 2).shape
    (4, 3, 2)
    """
    if len(axes) == 2 and not isinstance(axes[0], (tuple, list)):
        return swapaxes(x, *axes)
    ndim = _ndim(x)
    axes = None if not axes or axes == (None,) else _shape_arg(axes)
    if axes is not None:
        if len(axes) != ndim:
            raise ShapeError(f"transpose: axes {axes} do not match a tensor of shape "
                             f"{_shape(x)}; give one axis per dimension, or two to swap")
        axes = _permutation("transpose", axes, ndim)
    return _transpose(x, axes=axes)


def _permutation(fn, axes, ndim):
    """``axes`` (one per dimension, negatives allowed) as non-negative ints; an error naming
    ``fn`` unless they are a permutation of the dimensions."""
    try:
        return tuple(int(a) for a in normalize_axis_tuple(axes, ndim))
    except (ValueError, IndexError, TypeError):
        raise IndexingError(f"{fn}: axes {axes} are not a permutation of the {ndim} dimensions "
                            f"(each of 0 to {ndim - 1}, or -{ndim} to -1, exactly once), e.g. "
                            f"{tuple(reversed(range(ndim)))}") from None


@registered("linear", method=True)
def permute(x, *dims):
    """x with its axes in the order ``dims`` (PyTorch's ``permute``; numpy's transpose)."""
    dims = _shape_arg(dims)
    if len(dims) != _ndim(x):
        raise ShapeError(f"permute: dims {dims} do not match a tensor of shape {_shape(x)}; "
                         "give one axis per dimension")
    return _transpose(x, axes=_permutation("permute", dims, _ndim(x)))


@registered("linear", method=True)
def swapaxes(x, axis1, axis2):
    """x with two axes exchanged."""
    axes = list(range(_ndim(x)))
    if not axes:  # a 0-d tensor answers to dims 0 and -1 (PyTorch's)
        return _transpose(x, axes=_axes((axis1, axis2), 0))
    a, b = _axes(axis1, len(axes))[0], _axes(axis2, len(axes))[0]
    axes[a], axes[b] = b, a
    return _transpose(x, axes=tuple(axes))


@registered("linear", name="t", method=True)
def _t(x):
    """The transpose of a matrix (PyTorch's ``t()``): a 0-d or 1-D tensor is returned as is.

    >>> autograd.zeros(2, 3).t().shape
    (3, 2)
    """
    if _ndim(x) > 2:
        raise ShapeError(f"t: expects a tensor of at most 2 dimensions, got shape "
                         f"{_shape(x)}; use transpose(dim0, dim1) or permute(...)")
    return transpose(x)


def _part(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop),)


def _concatenate_vjp(g, ans, *xs, axis, argnum):
    axis = _axes(axis, xs[argnum].ndim)[0]
    start = builtins.sum(x.shape[axis] for x in xs[:argnum])
    return getitem(g, _part(axis, start, start + xs[argnum].shape[axis]))


@linear(transpose=_concatenate_vjp, variadic=True, batch=batching.concatenate)
def _concatenate(*xs, axis):
    return np.concatenate(xs, axis=axis)


@registered("linear", aliases=("cat",))
def concatenate(tensors, axis=0, *, dim=None):
    """Join a sequence of tensors along an existing ``axis`` (PyTorch's ``cat(tensors,
    dim)``)."""
    return _concatenate(*tensors, axis=axis if dim is None else dim)


@registered("linear")
def stack(tensors, axis=0, *, dim=None):
    """Join a sequence of same-shape tensors along a new ``axis`` (or ``dim``)."""
    if not tensors:
        raise ShapeError("stack: needs at least one tensor")
    axis = _axes(axis if dim is None else dim, _ndim(tensors[0]) + 1)[0]
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def _pad_widths(pad_width, ndim):
    """numpy's spellings of pad_width (an int, one (before, after) pair, or one per axis) as
    an (ndim, 2) array."""
    widths = np.asarray(pad_width)
    if widths.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
    if widths.size and widths.min() < 0:
        raise ValueError(f"pad: pad_width must be non-negative, got {pad_width!r}")
    try:
        return np.broadcast_to(widths, (ndim, 2))
    except ValueError:
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit an input of {ndim} "
                         "dimensions; give an int, one (before, after) pair, or one pair "
                         "per axis") from None


def _unpadded(widths, shape):
    """The index of the unpadded values in a padded array."""
    return tuple(slice(before, before + n) for (before, _), n in zip(widths.tolist(), shape))


def _unpad(g, ans, x, pad_width):
    return getitem(g, _unpadded(_pad_widths(pad_width, x.ndim), x.shape))


@linear(transpose=_unpad, batch=batching.pad)
def _pad(x, pad_width):
    # zeros and one slice assignment: 15-30% faster than np.pad on (32, 16, 32, 32) images
    x = np.asarray(x)
    widths = _pad_widths(pad_width, x.ndim)
    out = np.zeros(tuple(n + sum(w) for n, w in zip(x.shape, widths.tolist())), x.dtype)
    out[_unpadded(widths, x.shape)] = x
    return out


@registered("linear")
def pad(x, pad_width, mode="constant", constant_values=0):
    """x padded with ``constant_values``; ``pad_width`` as numpy's (an int, (before, after),
    or one pair per axis). Only mode='constant' is supported."""
    if mode != "constant":
        raise ValueError(f"pad: mode {mode!r} is not supported; only 'constant'")
    out = _pad(x, pad_width=pad_width)  # linear; a nonzero border is a constant added to it
    if np.any(np.asarray(constant_values) != 0):
        zeros = np.broadcast_to(np.zeros((), np.result_type(_raw(x))), _shape(x))  # a view
        out = out + np.pad(zeros, pad_width, mode="constant", constant_values=constant_values)
    return out


def _is_basic(index):
    """True for indices that cannot repeat an element (ints, slices, None, ..., masks)."""
    parts = index if isinstance(index, tuple) else (index,)
    return builtins.all(isinstance(p, (int, np.integer, slice, type(None), type(Ellipsis)))
                        or (isinstance(p, np.ndarray) and p.dtype == bool) for p in parts)


@linear(transpose=lambda g, ans, x, index: _scatter_add(g, index=index, shape=x.shape),
        view=True, batch=batching.getitem)
def _getitem(x, index):
    return np.asarray(x)[index]


@linear(transpose=lambda g, ans, x, index, shape: _getitem(g, index=index),
        batch=batching.scatter_add)
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
        return index  # the engine keeps its array and checks its version
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


@registered("linear", operators=("__getitem__",))
def getitem(x, index):
    """x[index] with numpy's indexing: ints, slices (any step), None, ..., integer arrays
    (repeated indices accumulate their gradients) and boolean masks."""
    return _getitem(x, index=_plain_index(index))


@linear(transpose=(lambda g, ans, x, v, index: _index_put(g, 0, index=index),
                   lambda g, ans, x, v, index: _getitem(g, index=index)),
        batch=batching.index_put)
def _index_put(x, v, index):
    """x with the entries at ``index`` replaced by v (x's dtype kept)."""
    out = np.array(x, copy=True)
    out[index] = v
    return out


def _gather_index(x, dim, index):
    """The numpy index picking ``x[..., index[i, j], ...]`` along ``dim`` (PyTorch's gather)."""
    index = index if isinstance(index, Tensor) else np.asarray(index)  # version-checked
    if index.ndim != _ndim(x) and index.size:  # numpy would broadcast it: PyTorch refuses
        raise ShapeError(f"gather: index of shape {index.shape} for an input of shape "
                         f"{_shape(x)}: the index must have as many dimensions as the input "
                         f"({_ndim(x)}); e.g. unsqueeze it")
    dim = _axes(dim, _ndim(x))[0]
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if d == dim else grids[d] for d in range(index.ndim))


@registered("linear", method=True)
def gather(x, dim, index):
    """Entries of x picked along ``dim`` by ``index`` (PyTorch's ``gather``): out[i][j] =
    x[index[i][j]][j] for dim 0, x[i][index[i][j]] for dim 1.

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).gather(1, autograd.tensor([[1], [0]]))
    Tensor([[2.],
            [3.]])
    """
    return _getitem(x, index=_gather_index(x, dim, index))


@registered("linear", method=True)
def masked_fill(x, mask, value):
    """x with ``value`` where ``mask`` (boolean, as PyTorch's) is true (PyTorch's
    ``masked_fill``); the gradient passes where it is false."""
    dtype = mask.dtype if isinstance(mask, Tensor) else np.asarray(mask).dtype  # not values
    if dtype != bool:
        raise DtypeError(f"masked_fill: the mask must be boolean (PyTorch's rule), got dtype "
                         f"{dtype}; compare first, e.g. mask != 0")
    return where(mask, _as_dtype(_raw(value), x) if not isinstance(value, Tensor) else value, x)


@registered("linear", method=True)
def diag(x, diagonal=0, *, k=None):
    """A 1-D x laid on the ``diagonal``-th diagonal of a square matrix of zeros, or the
    ``diagonal``-th diagonal of a 2-D x as a vector (numpy's ``diag(v, k)``, PyTorch's
    ``diag(input, diagonal)``; above the main one when positive).

    >>> autograd.diag(autograd.tensor([1.0, 2.0])).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    diagonal = diagonal if k is None else k
    shape = _shape(x)
    below, above = builtins.max(-diagonal, 0), builtins.max(diagonal, 0)
    if len(shape) == 1:
        i = np.arange(shape[0])
        n = shape[0] + below + above
        return _scatter_add(x, index=(i + below, i + above), shape=(n, n))
    if len(shape) == 2:
        i = np.arange(builtins.max(builtins.min(shape[0] - below, shape[1] - above), 0))
        return _getitem(x, index=(i + below, i + above))
    raise ShapeError(f"diag: expected a 1-D or 2-D tensor, got shape {shape}")


@linear(transpose=lambda g, ans, x, axis: _flip(g, axis=axis), view=True, batch=batching.axis)
def _flip(x, axis):
    return np.flip(x, axis)


@registered("linear", method=True)
def flip(x, *dims, axis=None):
    """x with the order of entries reversed along ``dims`` (PyTorch's ``flip(0)`` or
    ``flip((0, 1))``) or numpy's ``axis`` (default: every axis).

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).flip(1).tolist()
    [[2.0, 1.0], [4.0, 3.0]]
    """
    if dims:
        axis = _shape_arg(dims)
    return _flip(x, axis=None if axis is None else _axes(axis, _ndim(x)))


@linear(transpose=lambda g, ans, x, axis: _flip(_cumsum(_flip(g, axis=axis), axis=axis),
                                                 axis=axis),
        batch=batching.axis)
def _cumsum(x, axis):
    return np.cumsum(x, axis=axis)


@registered("linear", method=True)
def cumsum(x, dim=None, *, dtype=None, axis=None):
    """Running sums along ``dim`` (or numpy's ``axis``); over the flattened x when neither
    is given, as numpy; ``dtype``: convert x to it first.

    >>> autograd.tensor([1.0, 2.0, 3.0]).cumsum(0).tolist()
    [1.0, 3.0, 6.0]
    """
    dim = dim if axis is None else axis
    x = _cast(x, dtype)
    if dim is None:
        return _cumsum(reshape(x, (-1,)), axis=0)
    if _ndim(x) == 0:  # PyTorch: a 0-d tensor's running sum along dim 0 or -1 is itself
        _axes(dim, 0)
        return clone(x)
    return _cumsum(x, axis=_axes(dim, _ndim(x))[0])


@linear(transpose=lambda g, ans, x, k: _tril(g, k=k), batch=batching.same)
def _tril(x, k):
    return np.tril(x, k)


@linear(transpose=lambda g, ans, x, k: _triu(g, k=k), batch=batching.same)
def _triu(x, k):
    return np.triu(x, k)


def _triangle(name, x, diagonal):
    if _ndim(x) < 2:
        raise ShapeError(f"{name}: expected a tensor of at least 2 dimensions (the last two a "
                         f"matrix), got shape {_shape(x)}")
    return int(diagonal)


@registered("linear", method=True)
def tril(x, diagonal=0, *, k=None):
    """x with the entries above the ``diagonal``-th diagonal set to 0 (numpy's ``k``), over
    the last two axes: a causal mask is ``tril(ones(n, n))``.

    >>> autograd.tril(autograd.ones(2, 2)).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    return _tril(x, k=_triangle("tril", x, diagonal if k is None else k))


@registered("linear", method=True)
def triu(x, diagonal=0, *, k=None):
    """x with the entries below the ``diagonal``-th diagonal set to 0 (numpy's ``k``), over
    the last two axes.

    >>> autograd.triu(autograd.ones(2, 2)).tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    """
    return _triu(x, k=_triangle("triu", x, diagonal if k is None else k))


# ============================================================ composites
def _per(total, n):
    """total / n for an int n; when n is 0 (the mean of nothing, the variance with
    correction >= n), total / 0 as PyTorch (inf, or NaN for 0 / 0) rather than a
    ZeroDivisionError."""
    return total / n if n > 0 else total * math.inf


def _floating_only(name, x, how):
    """PyTorch's mean, var and std refuse integer and boolean tensors (no float dtype to
    infer): so do we, saying ``how`` to get a float."""
    dtype = getattr(x, "dtype", None)  # not the values: under vmap they are a batch
    if dtype is not None and dtype.kind in "iub":
        raise DtypeError(f"{name}: input dtype {dtype} is not floating point (PyTorch "
                         f"infers no result dtype from it); {how}")


@registered(method=True)
def mean(x, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Mean over ``dim`` (or ``axis``); ``dtype``: convert x to it first. An integer or
    boolean x needs a floating ``dtype`` (PyTorch's rule).

    >>> autograd.tensor([1, 2]).mean(dtype=autograd.float32)
    Tensor(1.5)
    """
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    if dtype is not None:
        x = astype(x, dtype)
    _floating_only("mean", x, "pass a floating dtype (x.mean(dtype=autograd.float32)) or "
                   "convert first (x.float().mean())")
    return _per(sum(x, dim, keepdim), _count(_shape(x), dim))


def _correction(fn, dim, unbiased, correction, ddof):
    """(dim, correction) from PyTorch's ``correction=``/``unbiased=`` (``var(True)``: the
    old ``unbiased`` first) or numpy's ``ddof=``; PyTorch's default is 1 (unbiased)."""
    if dim is True or dim is False:  # torch.var(x, True): unbiased, over everything
        dim, unbiased = None, dim
    if (correction is not None) + (ddof is not None) + (unbiased is not None) > 1:
        raise TypeError(f"{fn}: give one of correction=, unbiased= and ddof= (they mean the "
                        "same: unbiased=True is correction=1, ddof is numpy's correction)")
    if unbiased is not None:
        return dim, int(unbiased)
    return dim, correction if correction is not None else 1 if ddof is None else ddof


@registered(method=True)
def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None, ddof=None):
    """Variance over ``dim``, divided by max(0, n - correction) as PyTorch's: ``correction=1``
    (unbiased) by default; ``unbiased=False`` or ``correction=0`` for the biased one (numpy's
    ``ddof=`` is the correction, and ``np.var(t)`` keeps numpy's ddof=0).

    >>> autograd.tensor([1.0, 2.0, 3.0]).var()
    Tensor(1.)
    """
    dim, correction = _correction("var", dim, unbiased, correction, ddof)
    dim, keepdim = _dims(x, dim, keepdim, axis, keepdims)
    _floating_only("var/std", x, "convert first (x.float().var())")
    centered = x - mean(x, dim, keepdim=True)
    return _per(sum(centered * centered, dim, keepdim), _count(_shape(x), dim) - correction)


@registered(method=True)
def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None, ddof=None):
    """Standard deviation: sqrt(var(x, dim, ...)), PyTorch's (``correction=1`` by default).
    Where all entries are equal (std = 0) its gradient is 0, as PyTorch's."""
    return _sqrt_flat_at_zero(var(x, dim, unbiased, keepdim, correction=correction, axis=axis,
                                  keepdims=keepdims, ddof=ddof))


@registered(method=True)
def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
             keepdims=None, ddof=None):
    """``(var(x, ...), mean(x, ...))`` over the same dims (PyTorch's ``var_mean``)."""
    return (var(x, dim, unbiased, keepdim, correction=correction, axis=axis,
                keepdims=keepdims, ddof=ddof),
            mean(x, _correction("var_mean", dim, unbiased, correction, ddof)[0], keepdim,
                 axis=axis, keepdims=keepdims))


@registered(method=True)
def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
             keepdims=None, ddof=None):
    """``(std(x, ...), mean(x, ...))`` over the same dims (PyTorch's ``std_mean``).

    >>> s, m = autograd.std_mean(autograd.tensor([1.0, 3.0]))
    >>> round(s.item(), 4), m.item()
    (1.4142, 2.0)
    """
    return (std(x, dim, unbiased, keepdim, correction=correction, axis=axis,
                keepdims=keepdims, ddof=ddof),
            mean(x, _correction("std_mean", dim, unbiased, correction, ddof)[0], keepdim,
                 axis=axis, keepdims=keepdims))


@registered(method=True)
def softmax(x, dim=-1, *, dtype=None, axis=None):
    """exp(x) / sum(exp(x)) along ``dim`` (or ``axis``); stable for logits of any magnitude;
    ``dtype``: convert x to it first.

    >>> autograd.softmax(autograd.tensor([1000.0, 1000.0]))
    Tensor([0.5, 0.5])
    """
    return exp(log_softmax(x, dim, dtype=dtype, axis=axis))


@registered(method=True)
def log_softmax(x, dim=-1, *, dtype=None, axis=None):
    """log(softmax(x)) along ``axis`` (or ``dim``), computed as z - logsumexp(z) with
    z = x - max(x), the max a constant: exact where x is near its max, so accurate for
    logits of any magnitude (x - logsumexp(x) alone loses log(n) once |x| > 1e16).

    >>> autograd.log_softmax(autograd.tensor([0.0, 0.0])).round(decimals=4)
    Tensor([-0.6931, -0.6931])
    """
    axis = _dims(x, dim if axis is None else axis, False, None, None)[0]
    x = _cast(x, dtype)
    if isinstance(x, Tensor) and type(x) is not Tensor:  # vmap's batched tensor: by its ops
        shift = _max(x.detach(), axis=_axes(axis, _ndim(x)), keepdims=True)
        z = x - where(isfinite(shift), shift, 0.0)
    else:
        shift = np.max(_raw(x), axis=_axes(axis, _ndim(x)), keepdims=True, initial=-np.inf)
        z = x - np.where(np.isfinite(shift), shift, 0)
    return z - logsumexp(z, axis, keepdims=True)


@registered("linear", method=True)
def expand_dims(x, axis):
    """x with new size-1 axes inserted at ``axis`` (an int or a tuple), as numpy."""
    axes = axis if isinstance(axis, tuple) else (axis,)
    ndim = _ndim(x) + len(axes)
    new = _axes(axes, ndim)
    dims = iter(_shape(x))
    return reshape(x, tuple(1 if i in new else next(dims) for i in range(ndim)))


@registered("linear", method=True)
def unsqueeze(x, dim):
    """x with a size-1 axis inserted at ``dim`` (PyTorch's name for `expand_dims`)."""
    return expand_dims(x, dim)


@registered("linear", method=True)
def squeeze(x, dim=None, *, axis=None):
    """x without size-1 axes: all of them, or those among ``dim`` (an int, tuple or list;
    numpy's ``axis=`` means the same), an axis of another size left alone as PyTorch's
    (numpy's ``np.squeeze(t, axis)`` raises there instead).

    >>> autograd.zeros(1, 3, 1).squeeze((0, 1)).shape
    (3, 1)
    """
    shape = _shape(x)
    dim = dim if axis is None else axis
    if dim is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = tuple(i for i in _axes(dim, len(shape)) if shape[i] == 1)
    return reshape(x, tuple(n for i, n in enumerate(shape) if i not in axes))


@registered("linear", method=True)
def flatten(x, start_dim=0, end_dim=-1):
    """x with axes ``start_dim`` to ``end_dim`` merged into one: all of them by default (a
    1-D tensor, as numpy's ``flatten()``), or PyTorch's ``flatten(x, 1)`` (keep the batch
    axis).

    >>> autograd.zeros(2, 3, 4).flatten(1).shape
    (2, 12)
    """
    shape = _shape(x)
    if not shape:
        return reshape(x, (1,))
    start, end = _axes(start_dim, len(shape))[0], _axes(end_dim, len(shape))[0]
    return reshape(x, shape[:start] + (-1,) + shape[end + 1:])


@registered("linear", method=True)
def expand(x, *sizes):
    """x broadcast to ``sizes`` without copying (PyTorch's ``expand``: -1 keeps an axis).

    >>> autograd.tensor([[1.0], [2.0]]).expand(2, 3).shape
    (2, 3)
    """
    sizes = _shape_arg(sizes)
    shape = (1,) * (len(sizes) - _ndim(x)) + _shape(x)
    return _broadcast_to(x, shape=tuple(n if s == -1 else s for s, n in zip(sizes, shape)))


@registered("linear", method=True)
def repeat(x, *repeats):
    """x tiled ``repeats`` times along each axis (PyTorch's ``repeat``, numpy's ``tile``).

    >>> autograd.tensor([1.0, 2.0]).repeat(2).tolist()
    [1.0, 2.0, 1.0, 2.0]
    """
    repeats = _shape_arg(repeats)
    shape = (1,) * (len(repeats) - _ndim(x)) + _shape(x)
    spread = tuple(d for n in shape for d in (1, n))
    tiled = _broadcast_to(reshape(x, spread), shape=tuple(d for r, n in zip(repeats, shape)
                                                          for d in (r, n)))
    return reshape(tiled, tuple(r * n for r, n in zip(repeats, shape)))


@registered("linear", method=True)
def split(x, split_size_or_sections, dim=0, *, axis=None):
    """x cut along ``dim`` (or ``axis``) as PyTorch's ``split``: into pieces of
    ``split_size_or_sections`` entries (an int: the last piece may be shorter) or of the
    sizes in a list. Returns a tuple of tensors. (numpy's ``np.split(t, 3)``, three equal
    sections, works on tensors too.)

    >>> [p.shape for p in autograd.zeros(5, 2).split(2)]
    [(2, 2), (2, 2), (1, 2)]
    """
    return tuple(_split_sizes(x, split_size_or_sections, dim if axis is None else axis))


def _pieces(x, axis, bounds):
    return [getitem(x, _part(axis, start, builtins.max(start, stop)))
            for start, stop in zip(bounds, bounds[1:])]


def _split_sizes(x, sizes, dim):
    """PyTorch's split: pieces of ``sizes`` (an int: that size, the last piece the rest)."""
    axis = _axes(dim, _ndim(x))[0]
    n = _shape(x)[axis]
    if isinstance(sizes, (int, np.integer)):
        if sizes <= 0:
            raise ShapeError(f"split: the piece size must be positive, got {sizes}")
        return _pieces(x, axis, list(range(0, n, int(sizes))) + [n])
    if builtins.sum(sizes) != n:
        raise ShapeError(f"split: sizes {list(sizes)} add up to {builtins.sum(sizes)}, but "
                         f"dim {axis} has size {n}; they must add up to it (a list is piece "
                         "sizes, as PyTorch's, not numpy's split points)")
    return _pieces(x, axis, np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist())


@registered("linear", method=True)
def chunk(x, chunks, dim=0):
    """x split along ``dim`` into ``chunks`` pieces of ceil(n / chunks) entries (PyTorch's
    ``chunk``: the last may be shorter, and there may be fewer pieces).

    >>> [p.tolist() for p in autograd.arange(5).chunk(2)]
    [[0, 1, 2], [3, 4]]
    """
    n = _shape(x)[_axes(dim, _ndim(x))[0]]
    if int(chunks) <= 0:
        raise ShapeError(f"chunk: chunks must be positive, got {chunks}")
    return tuple(_split_sizes(x, builtins.max(-(-n // int(chunks)), 1), dim))


@registered("linear", method=True)
def unbind(x, dim=0):
    """The slices of x along ``dim``, that axis removed, as a tuple (PyTorch's ``unbind``).

    >>> [t.tolist() for t in autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).unbind(1)]
    [[1.0, 3.0], [2.0, 4.0]]
    """
    axis = _axes(dim, _ndim(x))[0]
    return tuple(getitem(x, (slice(None),) * axis + (i,)) for i in range(_shape(x)[axis]))


@registered(method=True)
def norm(x, p=2, dim=None, keepdim=False):
    """The p-norm over ``dim`` (all entries by default): (sum |x|**p) ** (1/p); p=2 is the
    Euclidean norm, p=1 the sum of |x|, p=inf the largest |x|. Its gradient at the zero
    vector is 0 (PyTorch's); entries whose p-th powers would overflow or underflow (1e200)
    are scaled by the largest first, so the norm of ``[1e200]`` is 1e200 with gradient 1.

    >>> x = autograd.tensor([3e200, 4e200], dtype=autograd.float64)
    >>> round(x.norm().item() / 1e200, 6)     # not inf: 9e400 + 16e400 would overflow
    5.0
    """
    if p == 1:
        return sum(abs(x), dim, keepdim)
    if p == np.inf:
        return amax(abs(x), () if dim is None else dim, keepdim)
    dim, keepdim = _dims(x, dim, keepdim, None, None)
    with np.errstate(over="ignore", under="ignore"):  # checked next, and then rescaled
        total = sum(x * x, dim, keepdim) if p == 2 else sum(abs(x) ** p, dim, keepdim)
    scale = _norm_scale(x, p, dim) if p > 1 and _overflowed(_raw(total)) else None
    if scale is not None:  # norm is 1-homogeneous: scale * norm(x / scale), scale a constant
        out = norm(x / scale, p, dim, keepdim)
        return out * scale.reshape(_shape(out))
    if p == 2:  # slope 0 at the zero vector, as PyTorch's (sqrt's would be NaN there)
        return _sqrt_flat_at_zero(total)
    zero = _raw(total) == 0
    if np.any(zero):  # slope 0 there too (total ** (1/p - 1) would be inf)
        return where(zero, 0.0, where(zero, 1.0, total) ** (1 / p))
    return total ** (1 / p)


def _overflowed(total):
    """Whether a sum of p-th powers may have overflowed (inf) or lost its precision to
    underflow (0 included: all entries may have underflowed)."""
    if total.dtype.kind != "f" or total.size == 0:
        return False
    info = np.finfo(total.dtype)
    return not (total.min() > info.tiny / info.eps and total.max() < np.inf)


def _norm_scale(x, p, dim):
    """The largest |x| of each slice (keepdims), where the sum of p-th powers of that slice
    would overflow or lose its precision to underflow; 1 for the other slices; None when no
    slice needs it (zeros, infinities)."""
    xr = _raw(x)
    if xr.size == 0:  # empty slices: their norm is 0, nothing to rescale
        return None
    info, axes = np.finfo(xr.dtype), _axes(dim, xr.ndim)
    largest = np.max(np.abs(xr), axis=axes, keepdims=True)
    high = (float(info.max) / builtins.max(1, _count(xr.shape, dim))) ** (1 / p)
    low = (float(info.tiny) / float(info.eps)) ** (1 / p)
    rescale = np.isfinite(largest) & ((largest > high) | (largest < low) & (largest > 0))
    if not rescale.any():
        return None
    return np.where(rescale, largest, 1).astype(xr.dtype)


@linear(transpose=lambda g, ans, x: g, batch=batching.same)
def _copy(x):
    return np.array(x, copy=True)


@registered("linear", method=True)
def clone(x):
    """A copy of x with its own memory, still in the graph (its gradient passes through)."""
    return _copy(x)


@registered("linear", method=True)
def expand_as(x, other):
    """x broadcast to ``other``'s shape without copying (PyTorch's ``expand_as``)."""
    return _broadcast_to(x, shape=_shape(other))


@registered("none", method=True)
def is_floating_point(x):
    """Whether x has a floating-point dtype (PyTorch's ``is_floating_point``).

    >>> autograd.tensor([1.0]).is_floating_point(), autograd.tensor([1]).is_floating_point()
    (True, False)
    """
    return np.result_type(_raw(x)).kind == "f"


@registered("linear", method=True)
def view_as(x, other):
    """x reshaped to ``other``'s shape (PyTorch's ``view_as``)."""
    return reshape(x, _shape(other))


@registered("none")
def is_tensor(obj):
    """Whether ``obj`` is a Tensor (PyTorch's ``is_tensor``).

    >>> autograd.is_tensor(autograd.zeros(2)), autograd.is_tensor([0.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


@registered("none", name="numel")
def _numel(x):
    """The number of entries of x (PyTorch's ``numel``; numpy's ``size``).

    >>> autograd.numel(autograd.zeros(2, 3))
    6
    """
    return int(np.size(_raw(x)))


# ============================================================ in place (PyTorch's `op_`)
# Each changes the tensor's own memory and counts its version (see engine.inplace_update):
# the out-of-place op gives the value and the graph; with nothing to record, a numpy call
# writes straight into the array.
def _in_place(name, op, ufunc, doc, alpha=False):
    """The in-place form ``name`` of the two-input ``op``: x <- op(x, other) in x's memory,
    ``ufunc(x, other, out=x)`` when nothing is recorded. With ``alpha`` it takes PyTorch's
    keyword ``alpha``, which scales other (add_, sub_)."""

    def update(x, other):
        return inplace_update(x, name, (other,), lambda: op(x, other),
                              lambda d: ufunc(d, _raw(other), out=d, casting="same_kind"))

    def scaled(x, other, *, alpha=1):
        return update(x, other * alpha if isinstance(alpha, Tensor) or alpha != 1 else other)

    fn = scaled if alpha else update
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


add_ = registered("inplace", method=True, operators=("__iadd__",))(_in_place(
    "add_", add, np.add, """x += alpha * other, in place.

    >>> with autograd.no_grad():
    ...     w -= 0.1 * w.grad          # PyTorch's manual SGD step: updates w itself
    >>> w.requires_grad, w.grad_fn is None     # still the same leaf
    (True, True)
    """, alpha=True))
sub_ = registered("inplace", method=True, operators=("__isub__",))(_in_place(
    "sub_", sub, np.subtract, "x -= alpha * other, in place.", alpha=True))
mul_ = registered("inplace", method=True, operators=("__imul__",))(_in_place(
    "mul_", mul, np.multiply, "x *= other, in place."))
pow_ = registered("inplace", method=True, operators=("__ipow__",))(_in_place(
    "pow_", power, np.power, "x **= exponent, in place."))
_true_div_ = _in_place("div_", div, np.true_divide, None)


@registered("inplace", method=True, operators=("__itruediv__",))
def div_(x, other, *, rounding_mode=None):
    """x /= other, in place; ``rounding_mode`` 'trunc' or 'floor' rounds the quotient as
    `div`'s (an integer tensor stays integer)."""
    if rounding_mode is None:
        return _true_div_(x, other)
    return inplace_update(x, "div_", (other,),
                          lambda: div(x, other, rounding_mode=rounding_mode))


@registered("inplace", operators=("__imatmul__",))
def matmul_(x, other):
    """x @= other, in place (the result must keep x's shape)."""
    return inplace_update(x, "matmul_", (other,), lambda: matmul(x, other))


@registered("inplace", method=True)
def clamp_(x, min=None, max=None):
    """x limited to [min, max], in place."""
    _one_bound_at_least("clamp_", min, max)
    return inplace_update(x, "clamp_", (min, max), lambda: clip(x, min=min, max=max),
                          lambda d: np.clip(d, _raw(min), _raw(max), out=d))


@registered("inplace", method=True)
def copy_(x, src):
    """x's values replaced by ``src`` (broadcast to x's shape, converted to x's dtype), in
    place; the gradient flows to ``src``."""
    return inplace_update(x, "copy_", (src,), lambda: _index_put(x, src, index=Ellipsis),
                          lambda d: np.copyto(d, _raw(src), casting="unsafe"))


@registered("inplace", method=True)
def fill_(x, value):
    """Every entry of x set to ``value``, in place."""
    return copy_(x, value)


@registered("inplace", method=True)
def zero_(x):
    """Every entry of x set to 0, in place."""
    return copy_(x, 0)


@registered("inplace", operators=("__setitem__",))
def setitem(x, index, value):
    """``x[index] = value``, in place, with numpy's indexing; the gradient flows to
    ``value`` at ``index`` and to x elsewhere."""
    index = _plain_index(index)
    if not isinstance(value, Tensor) and np.asarray(value).dtype.kind not in "biuf":
        raise DtypeError(f"setitem: cannot store {value!r} in a tensor of dtype {x.dtype}; "
                         "assign numbers (or a real tensor or array of them)")
    inplace_update(x, "setitem", (value,), lambda: _index_put(x, value, index=index),
                   lambda d: d.__setitem__(param_array(index), _raw(value)))
