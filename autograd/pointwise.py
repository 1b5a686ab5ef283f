"""Pointwise math beyond the core arithmetic: remainders and rounded quotients, inverse and
hyperbolic trigonometry, logarithms in other bases, rounding, interpolation, closeness,
logical and bitwise ops. One registry entry each (see `ops` for the kinds), with PyTorch's
names, signatures, dtypes and gradients, and numpy's names as aliases where numpy means the
same thing.

Integer inputs of a floating op (``tan``, ``log2``...) give the default float dtype, as in
PyTorch. Rounding ops (``floor``, ``round``, ``floor_divide``...) are piecewise constant:
their gradient is 0, as PyTorch's.
"""
import math

import numpy as np

from . import batching, ops
from .engine import astype, elementwise, primitive
from .ops import _as_dtype, _floating, _in_place, _integer_quotient, _raw, where
from .registry import registered
from .tensor import Tensor


def _flat(ans, *inputs, **params):
    """The local derivative of a piecewise-constant op (rounding): 0."""
    return 0.0


def _keeping_integers(rounding, x):
    """``rounding`` on floats; integers and booleans are already whole and stay as they are
    (PyTorch's ``floor`` of an int64 tensor is int64)."""
    x = np.asarray(x)
    return rounding(x) if x.dtype.kind == "f" else x.copy()


# ============================================================ remainders and quotients
def _remainder_like(name, ufunc, x, y):
    _integer_quotient(name, x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ufunc(x, y)


# x - y * q with q = floor(x / y) (trunc for fmod), a constant almost everywhere
@elementwise((1, lambda ans, x, y: -np.floor(_raw(x) / _raw(y))), saves=("", "x y"),
             operators=("__mod__",), reflected=("__rmod__",), ufunc=np.remainder,
             aliases=("mod",), method=True)
def remainder(x, y):
    """The remainder of x / y with the sign of y (Python's ``%``, numpy's ``mod``, PyTorch's
    ``remainder``); an integer remainder by zero raises.

    >>> autograd.tensor([-3, 3]) % 2
    Tensor([1, 1])
    """
    return _remainder_like("remainder", np.remainder, x, y)


@elementwise((1, lambda ans, x, y: -np.trunc(_raw(x) / _raw(y))), saves=("", "x y"),
             ufunc=np.fmod, method=True)
def fmod(x, y):
    """The remainder of x / y with the sign of x (C's ``fmod``); an integer one by zero
    raises.

    >>> autograd.fmod(autograd.tensor([-3, 3]), 2)
    Tensor([-1,  1])
    """
    return _remainder_like("fmod", np.fmod, x, y)


@registered(operators=("__floordiv__",), reflected=("__rfloordiv__",), ufunc=np.floor_divide,
            method=True)
def floor_divide(x, y):
    """x / y rounded down (Python's ``//``; PyTorch 2's ``floor_divide`` floors too): integers
    stay integers; the gradient is 0.

    >>> autograd.tensor([-7, 7]) // 2
    Tensor([-4,  3])
    """
    return ops.div(x, y, rounding_mode="floor")


remainder_ = registered("inplace", method=True, operators=("__imod__",))(_in_place(
    "remainder_", remainder, np.remainder, "x %= other, in place."))
fmod_ = registered("inplace", method=True)(_in_place(
    "fmod_", fmod, np.fmod, "x <- fmod(x, other), in place."))
floor_divide_ = registered("inplace", method=True, operators=("__ifloordiv__",))(_in_place(
    "floor_divide_", floor_divide, np.floor_divide, "x //= other, in place."))


def _copysign_slope(ans, x, y):
    """+1 where x kept its sign, -1 where it flipped, 0 at x == 0 (PyTorch's ans / x)."""
    x, ans = _raw(x), _raw(ans)
    return _as_dtype((x != 0) * np.where(np.signbit(x) == np.signbit(ans), 1, -1), ans)


@elementwise((_copysign_slope, _flat), saves=("x ans", ""), ufunc=np.copysign, method=True)
def copysign(x, y):
    """|x| with the sign of y, elementwise (integers give the default float dtype).

    >>> autograd.copysign(autograd.tensor([1.0, 2.0]), -1.0)
    Tensor([-1., -2.])
    """
    return np.copysign(_floating(x), _floating(y))


# ============================================================ closeness (not differentiable)
@primitive(method=True, batch=batching.elementwise)
def isclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Where |x - y| <= atol + rtol * |y|, as a boolean tensor (PyTorch's and numpy's
    defaults; NaN equals NaN only with ``equal_nan=True``).

    >>> autograd.isclose(autograd.tensor([1.0, 1.1]), autograd.tensor([1.0, 1.0]))
    Tensor([ True, False])
    """
    return np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)


@registered("none", method=True)
def allclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every entry of x is close to y's (see `isclose`): one Python bool.

    >>> autograd.allclose(autograd.tensor([1.0, 2.0]), autograd.tensor([1.0, 2.0 + 1e-9]))
    True
    """
    return bool(np.all(_raw(isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))))


# ============================================================ trigonometric and hyperbolic
@elementwise(lambda ans, x: 1 + ans * ans, saves="ans", ufunc=np.tan, method=True)
def tan(x):
    """Tangent, elementwise (radians)."""
    return np.tan(_floating(x))


@elementwise(lambda ans, x: ops.rsqrt(1 - x * x), saves="x", ufunc=np.arcsin,
             aliases=("arcsin",), method=("asin", "arcsin"))
def asin(x):
    """Inverse sine, elementwise (numpy's ``arcsin``).

    >>> autograd.asin(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 1.5708])
    """
    return np.arcsin(_floating(x))


@elementwise(lambda ans, x: -ops.rsqrt(1 - x * x), saves="x", ufunc=np.arccos,
             aliases=("arccos",), method=("acos", "arccos"))
def acos(x):
    """Inverse cosine, elementwise (numpy's ``arccos``)."""
    return np.arccos(_floating(x))


@elementwise(lambda ans, x: 1 / (1 + x * x), saves="x", ufunc=np.arctan, aliases=("arctan",),
             method=("atan", "arctan"))
def atan(x):
    """Inverse tangent, elementwise (numpy's ``arctan``)."""
    return np.arctan(_floating(x))


# d atan2(y, x) = (x dy - y dx) / (x**2 + y**2)
@elementwise((lambda ans, y, x: x / (x * x + y * y), lambda ans, y, x: -y / (x * x + y * y)),
             saves="y x", ufunc=np.arctan2, aliases=("arctan2",), method=("atan2", "arctan2"))
def atan2(y, x):
    """The angle of the point (x, y), in (-pi, pi]: atan(y / x) in the right quadrant
    (PyTorch's ``atan2(input, other)``, numpy's ``arctan2``).

    >>> autograd.atan2(autograd.tensor([1.0]), autograd.tensor([-1.0])).round(decimals=4)
    Tensor([2.3562])
    """
    return np.arctan2(_floating(y), _floating(x))


@elementwise(lambda ans, x: cosh(x), saves="x", ufunc=np.sinh, method=True)
def sinh(x):
    """Hyperbolic sine, elementwise."""
    return np.sinh(_floating(x))


@elementwise(lambda ans, x: sinh(x), saves="x", ufunc=np.cosh, method=True)
def cosh(x):
    """Hyperbolic cosine, elementwise."""
    return np.cosh(_floating(x))


@elementwise(lambda ans, x: ops.rsqrt(x * x + 1), saves="x", ufunc=np.arcsinh,
             aliases=("arcsinh",), method=("asinh", "arcsinh"))
def asinh(x):
    """Inverse hyperbolic sine, elementwise (numpy's ``arcsinh``)."""
    return np.arcsinh(_floating(x))


# 1 / sqrt((x - 1)(x + 1)) rather than x**2 - 1: no cancellation near x = 1
@elementwise(lambda ans, x: ops.rsqrt((x - 1) * (x + 1)), saves="x", ufunc=np.arccosh,
             aliases=("arccosh",), method=("acosh", "arccosh"))
def acosh(x):
    """Inverse hyperbolic cosine, elementwise, for x >= 1 (numpy's ``arccosh``)."""
    return np.arccosh(_floating(x))


@elementwise(lambda ans, x: 1 / ((1 - x) * (1 + x)), saves="x", ufunc=np.arctanh,
             aliases=("arctanh",), method=("atanh", "arctanh"))
def atanh(x):
    """Inverse hyperbolic tangent, elementwise, for -1 < x < 1 (numpy's ``arctanh``)."""
    return np.arctanh(_floating(x))


# sinc' = (cos(pi x) - sinc(x)) / x, 0 at x = 0 (PyTorch's); from x alone, as PyTorch's, so
# that the result may change in place. Near 0 its Taylor series instead (to x**7, exact in
# float64 for |x| < 0.01): no cancellation, and its own derivatives are right at 0 (sinc''(0)
# = -pi**2/3, where a constant 0 there would give a silently wrong second derivative)
_SINC_SLOPE_SERIES = (-math.pi ** 2 / 3, math.pi ** 4 / 30, -math.pi ** 6 / 840,
                      math.pi ** 8 / 45360)


def _sinc_slope(ans, x):
    small = np.abs(_raw(x)) < 0.01
    if not np.any(small):
        return (ops.cos(math.pi * x) - sinc(x)) / x
    near, far = where(small, x, 0.0), where(small, 1.0, x)  # each branch sees finite values
    x2, (c1, c3, c5, c7) = near * near, _SINC_SLOPE_SERIES
    series = near * (c1 + x2 * (c3 + x2 * (c5 + x2 * c7)))
    return where(small, series, (ops.cos(math.pi * far) - sinc(far)) / far)


@elementwise(_sinc_slope, saves="x", method=True)
def sinc(x):
    """The normalized sinc, sin(pi x) / (pi x), and 1 at x = 0 (PyTorch's and numpy's).

    >>> autograd.sinc(autograd.tensor([0.0, 0.5])).round(decimals=4)
    Tensor([1.    , 0.6366])
    """
    return np.sinc(_floating(x))


@elementwise(lambda ans, x: math.pi / 180, saves="", ufunc=np.deg2rad, aliases=("radians",),
             method=True)
def deg2rad(x):
    """Degrees to radians, elementwise (numpy's ``radians`` too)."""
    return np.deg2rad(_floating(x))


@elementwise(lambda ans, x: 180 / math.pi, saves="", ufunc=np.rad2deg, aliases=("degrees",),
             method=True)
def rad2deg(x):
    """Radians to degrees, elementwise (numpy's ``degrees`` too)."""
    return np.rad2deg(_floating(x))


# ============================================================ exponentials and logarithms
@elementwise(lambda ans, x: ans * math.log(2), saves="ans", ufunc=np.exp2, method=True)
def exp2(x):
    """2 ** x, elementwise.

    >>> autograd.exp2(autograd.tensor([3]))
    Tensor([8.])
    """
    return np.exp2(_floating(x))


@elementwise(lambda ans, x: 1 / (x * math.log(2)), saves="x", ufunc=np.log2, method=True)
def log2(x):
    """Base-2 logarithm, elementwise."""
    return np.log2(_floating(x))


@elementwise(lambda ans, x: 1 / (x * math.log(10)), saves="x", ufunc=np.log10, method=True)
def log10(x):
    """Base-10 logarithm, elementwise."""
    return np.log10(_floating(x))


# 1 / (x (1 - x)) inside [eps, 1 - eps]; 0 outside (clamped), NaN outside [0, 1] without eps
def _logit_slope(ans, x, eps=None):
    lo, hi = (0.0, 1.0) if eps is None else (eps, 1 - eps)
    outside = (_raw(x) < lo) | (_raw(x) > hi)
    return where(outside, math.nan if eps is None else 0.0, 1 / (x * (1 - x)))


@elementwise(_logit_slope, saves="x", method=True)
def logit(x, eps=None):
    """log(x / (1 - x)), the inverse of sigmoid; with ``eps``, x is first clamped to
    [eps, 1 - eps] (PyTorch's ``logit``).

    >>> autograd.logit(autograd.tensor([0.5, 0.0]), eps=0.25).round(decimals=4)
    Tensor([ 0.    , -1.0986])
    """
    x = _floating(x)
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    with np.errstate(divide="ignore"):  # logit(0) = -inf, logit(1) = inf, as PyTorch
        return np.log(x / (1 - x))


# d/dx = log(y) where x != 0 (0 where x == 0, so x = 0 has no log(0) slope), d/dy = x / y
@elementwise((lambda ans, x, y: xlogy(_raw(x) != 0, y), lambda ans, x, y: x / y),
             saves="x y", method=True)
def xlogy(x, y):
    """x * log(y), and 0 where x == 0 (even where y == 0), NaN where y is NaN (PyTorch's).

    >>> autograd.xlogy(autograd.tensor([0.0, 2.0]), autograd.tensor([0.0, 1.0]))
    Tensor([0., 0.])
    """
    x, y = _floating(x), _floating(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y)).astype(
            np.result_type(x, y), copy=False)


@elementwise((lambda ans, x, y: x / ans, lambda ans, x, y: y / ans), saves="x y ans",
             ufunc=np.hypot, method=True)
def hypot(x, y):
    """sqrt(x**2 + y**2), elementwise, without overflow for large x or y.

    >>> autograd.hypot(autograd.tensor([3.0]), autograd.tensor([4.0]))
    Tensor([5.])
    """
    return np.hypot(_floating(x), _floating(y))


def _as_float64(v):
    if isinstance(v, Tensor):
        return v if v.dtype == np.float64 else astype(v, np.float64)
    return np.asarray(v, np.float64)


@registered(method=True)
def float_power(x, y):
    """x ** y computed in float64 whatever the inputs' dtypes (PyTorch's ``float_power``).

    >>> autograd.float_power(autograd.tensor([2]), 3)
    Tensor([8.], dtype=float64)
    """
    return ops.power(_as_float64(x), _as_float64(y))


# ============================================================ rounding (gradient 0)
@elementwise(_flat, saves="", ufunc=np.rint, method=True)
def round(x, decimals=0):
    """x rounded to ``decimals`` decimal places, halves to even (PyTorch's and numpy's:
    ``round(2.5) == 2``); negative ``decimals`` round to tens, hundreds...

    >>> autograd.round(autograd.tensor([0.5, 1.5, 2.5, 1.234]), decimals=0)
    Tensor([0., 2., 2., 1.])
    """
    x = np.asarray(x)
    return np.round(x, decimals) if x.dtype.kind != "b" else x.copy()  # ints: decimals < 0


@elementwise(_flat, saves="", ufunc=np.floor, method=True)
def floor(x):
    """The largest integer <= x, elementwise (integer tensors are returned as they are)."""
    return _keeping_integers(np.floor, x)


@elementwise(_flat, saves="", ufunc=np.ceil, method=True)
def ceil(x):
    """The smallest integer >= x, elementwise."""
    return _keeping_integers(np.ceil, x)


@elementwise(_flat, saves="", ufunc=np.trunc, aliases=("fix",), method=("trunc", "fix"))
def trunc(x):
    """x rounded toward zero, elementwise (numpy's and PyTorch's ``fix`` too).

    >>> autograd.tensor([-1.5, 1.5]).trunc()
    Tensor([-1.,  1.])
    """
    return _keeping_integers(np.trunc, x)


@elementwise(1, saves="", method=True)
def frac(x):
    """The fractional part x - trunc(x), with x's sign, for floating x.

    >>> autograd.frac(autograd.tensor([-1.5, 2.25]))
    Tensor([-0.5 ,  0.25])
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise TypeError(f"frac: expected a floating tensor, got dtype {x.dtype}")
    return x - np.trunc(x)


@elementwise(lambda ans, x, **bounds: np.isfinite(_raw(x)), saves="x", method=True)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """x with NaN replaced by ``nan``, +inf by ``posinf`` and -inf by ``neginf`` (default:
    the dtype's largest and smallest values); the gradient passes at the finite entries.

    >>> autograd.nan_to_num(autograd.tensor([float("nan"), 1.0]))
    Tensor([0., 1.])
    """
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ============================================================ interpolation and clamping
@elementwise((lambda ans, start, end, weight: 1 - weight,
              lambda ans, start, end, weight: weight,
              lambda ans, start, end, weight: end - start),
             saves=("weight", "weight", "start end"), method=True)
def lerp(start, end, weight):
    """start + weight * (end - start), elementwise; ``weight`` a number or a tensor
    (PyTorch's ``lerp``, computed from the nearer end as PyTorch does).

    >>> autograd.lerp(autograd.tensor([0.0, 10.0]), autograd.tensor([10.0, 20.0]), 0.25)
    Tensor([ 2.5, 12.5])
    """
    for name, v in (("start", start), ("end", end), ("weight", weight)):
        if isinstance(v, np.ndarray) and v.dtype.kind != "f":
            raise TypeError(f"lerp: expected floating start, end and weight, got {name} of "
                            f"dtype {v.dtype}; convert with .float() or .double()")
    diff = end - start
    return np.where(np.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


@registered(method=True)
def clamp_min(x, min):
    """x limited from below by ``min`` (PyTorch's ``clamp_min``; ``clamp(x, min=min)``)."""
    return ops.clip(x, min=min)


@registered(method=True)
def clamp_max(x, max):
    """x limited from above by ``max`` (PyTorch's ``clamp_max``; ``clamp(x, max=max)``)."""
    return ops.clip(x, max=max)


# ============================================================ logical (boolean results)
@primitive(ufunc=np.logical_and, method=True, batch=batching.elementwise)
def logical_and(x, y):
    """x and y as truth values (nonzero is true), elementwise; a boolean tensor."""
    return np.logical_and(x, y)


@primitive(ufunc=np.logical_or, method=True, batch=batching.elementwise)
def logical_or(x, y):
    """x or y as truth values, elementwise; a boolean tensor."""
    return np.logical_or(x, y)


@primitive(ufunc=np.logical_xor, method=True, batch=batching.elementwise)
def logical_xor(x, y):
    """Exactly one of x and y true, elementwise; a boolean tensor.

    >>> autograd.logical_xor(autograd.tensor([1, 0, 2]), autograd.tensor([0, 0, 3]))
    Tensor([ True, False, False])
    """
    return np.logical_xor(x, y)


@primitive(ufunc=np.logical_not, method=True, batch=batching.elementwise)
def logical_not(x):
    """Not x as a truth value (zero is false), elementwise; a boolean tensor."""
    return np.logical_not(x)


# ============================================================ bitwise (integers and booleans)
def _bits(name, *operands):
    """The operands, refused unless integer or boolean (PyTorch's rule)."""
    for v in operands:
        if np.result_type(v).kind not in "iub":
            raise TypeError(f"{name}: defined for integer and bool tensors, got dtype "
                            f"{np.result_type(v)}; use logical_and/or/xor/not for truth "
                            "values, or convert with .long() or .bool()")
    return operands


@primitive(operators=("__and__",), reflected=("__rand__",), ufunc=np.bitwise_and, method=True,
           batch=batching.elementwise)
def bitwise_and(x, y):
    """x & y bit by bit (integers) or elementwise and (booleans).

    >>> autograd.tensor([12, 10]) & autograd.tensor([10, 3])
    Tensor([8, 2])
    """
    return np.bitwise_and(*_bits("bitwise_and", x, y))


@primitive(operators=("__or__",), reflected=("__ror__",), ufunc=np.bitwise_or, method=True,
           batch=batching.elementwise)
def bitwise_or(x, y):
    """x | y bit by bit (integers) or elementwise or (booleans)."""
    return np.bitwise_or(*_bits("bitwise_or", x, y))


@primitive(operators=("__xor__",), reflected=("__rxor__",), ufunc=np.bitwise_xor, method=True,
           batch=batching.elementwise)
def bitwise_xor(x, y):
    """x ^ y bit by bit (integers) or elementwise exclusive or (booleans)."""
    return np.bitwise_xor(*_bits("bitwise_xor", x, y))


@primitive(operators=("__invert__",), ufunc=np.invert, aliases=("invert", "bitwise_invert"),
           method=True, batch=batching.elementwise)
def bitwise_not(x):
    """~x: every bit flipped (integers, ``~5 == -6``) or not (booleans).

    >>> ~autograd.tensor([True, False])
    Tensor([False,  True])
    """
    return np.invert(*_bits("bitwise_not", x))


@primitive(operators=("__lshift__",), reflected=("__rlshift__",), ufunc=np.left_shift,
           aliases=("left_shift",), method=True, batch=batching.elementwise)
def bitwise_left_shift(x, y):
    """x << y: x's bits shifted left by y (x * 2**y), integers."""
    return np.left_shift(*_bits("bitwise_left_shift", x, y))


@primitive(operators=("__rshift__",), reflected=("__rrshift__",), ufunc=np.right_shift,
           aliases=("right_shift",), method=True, batch=batching.elementwise)
def bitwise_right_shift(x, y):
    """x >> y: x's bits shifted right by y (floor(x / 2**y)), integers."""
    return np.right_shift(*_bits("bitwise_right_shift", x, y))
