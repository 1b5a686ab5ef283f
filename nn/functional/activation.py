"""Activation functions, composed from core ops (so each is differentiable to any order).

All are safe for inputs of magnitude 1000: `where` evaluates the branch it discards too, so
every exponential gets a clipped argument. At 0 the gradients are PyTorch's: 0 for relu, the
negative-side slope for the leaky family and elu; at the kinks of the piecewise-linear ones
(hardtanh, hardsigmoid, hardswish, the shrinks) they are PyTorch's too.

The functions PyTorch gives an ``inplace`` flag accept it and ignore it: the result is always
a new tensor (the input stays intact for backward); use the returned value.
"""
import math
import warnings

import numpy as np

import autograd
from autograd import ShapeError
from autograd.extend import elementwise, generator, raw

from ._checks import _accepts_array_likes, _check_floating

__all__ = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "gelu",
           "silu", "softplus", "mish", "maxout", "softmax", "log_softmax", "softmin", "celu",
           "hardtanh", "relu6", "hardsigmoid", "hardswish", "softsign", "logsigmoid", "glu",
           "threshold", "tanhshrink", "softshrink", "hardshrink"]

# Klambauer et al. (2017): the fixed point that keeps activations at mean 0, variance 1
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_GELU_TANH_SCALE = math.sqrt(2 / math.pi)


sigmoid, tanh = map(_accepts_array_likes, (autograd.sigmoid, autograd.tanh))


@_accepts_array_likes
def relu(input, inplace=False):
    """max(x, 0), elementwise (gradient 0 at 0).

    >>> F.relu(autograd.tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """
    return autograd.relu(input)


def _positive(x):
    return np.asarray(raw(x)) > 0


# one op whose derivative reads x (as PyTorch's leaky_relu): a second derivative under
# create_graph=True is then zeros, not "does not require grad"
@elementwise((lambda ans, x, slope: autograd.where(_positive(x), 1, slope),
                       lambda ans, x, slope: autograd.where(_positive(x), 0, x)),
                      saves=("x slope", "x"))
def _leaky_relu(x, slope):
    """x where x > 0, slope * x elsewhere (slope a number, or an array broadcasting with x)."""
    return np.where(x > 0, x, slope * x)


@_accepts_array_likes
def leaky_relu(x, negative_slope=0.01, inplace=False):
    """x for x > 0, ``negative_slope * x`` otherwise.

    >>> F.leaky_relu(autograd.tensor([-2.0, 3.0]), 0.1)
    Tensor([-0.2,  3. ])
    """
    return _leaky_relu(x, float(negative_slope))


@_accepts_array_likes
def prelu(x, weight):
    """Leaky ReLU with a learned slope: ``weight`` holds one slope, or one per channel
    (axis 1 of ``x``, as in PyTorch; inputs of fewer than 2 dimensions have one channel).

    >>> F.prelu(autograd.tensor([[-2.0, 3.0]]), autograd.tensor([0.25]))
    Tensor([[-0.5,  3. ]])
    """
    slopes = np.size(weight)
    channels = np.shape(x)[1] if np.ndim(x) >= 2 else 1
    if np.ndim(weight) != 1 or slopes not in (1, channels):
        raise ShapeError(f"prelu: weight of shape {np.shape(weight)} does not fit input of "
                         f"shape {np.shape(x)}: expected shape (1,) or ({channels},), one "
                         "slope per channel (axis 1)")
    if slopes > 1:  # one slope per channel: broadcast along axis 1
        weight = autograd.reshape(weight, (slopes,) + (1,) * (np.ndim(x) - 2))
    return _leaky_relu(x, weight)


@_accepts_array_likes
def rrelu(x, lower=1 / 8, upper=1 / 3, training=False, inplace=False):
    """Randomized leaky ReLU (Xu et al. 2015): while training, each element with x <= 0 gets
    its own slope drawn uniformly from [lower, upper] (from `autograd.default_generator`, so
    `autograd.manual_seed` repeats it); in eval the mean slope (lower + upper) / 2.

    >>> F.rrelu(autograd.tensor([-3.0, 2.0]), 0.1, 0.3)   # eval: slope 0.2
    Tensor([-0.6,  2. ])
    """
    if not lower <= upper:
        raise ValueError(f"rrelu: lower={lower} is above upper={upper}; "
                         "the slope is drawn from [lower, upper]")
    if not training:
        return leaky_relu(x, (lower + upper) / 2)
    slopes = generator().uniform(lower, upper, size=np.shape(x))
    return _leaky_relu(x, slopes.astype(x.dtype, copy=False))


@_accepts_array_likes
def elu(x, alpha=1.0, inplace=False):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise (Clevert et al. 2015).

    >>> F.elu(autograd.tensor([-1.0, 0.0, 2.0])).round(decimals=4)
    Tensor([-0.6321,  0.    ,  2.    ])
    """
    return autograd.where(x > 0, x, float(alpha) * autograd.expm1(autograd.clip(x, None, 0)))


@_accepts_array_likes
def selu(x, inplace=False):
    """Self-normalizing ELU: ``scale * elu(x, alpha)`` with alpha ≈ 1.6733, scale ≈ 1.0507,
    the constants that keep activations near mean 0 and variance 1 (Klambauer et al. 2017).

    >>> F.selu(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 1.0507])
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


@_accepts_array_likes
def gelu(x, approximate="none"):
    """Gaussian error linear unit x·Φ(x), Φ the standard normal CDF (Hendrycks & Gimpel 2016):
    exactly ``0.5 x (1 + erf(x / sqrt 2))``, or with ``approximate='tanh'``
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))``, cheaper (no erf).

    >>> F.gelu(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 0.8413])
    """
    if approximate == "none":
        return 0.5 * x * (1 + autograd.erf(x / math.sqrt(2)))
    if approximate == "tanh":  # x * x * x: numpy's float32 x ** 3 is ~30x slower
        return 0.5 * x * (1 + autograd.tanh(_GELU_TANH_SCALE * (x + 0.044715 * x * x * x)))
    raise ValueError(f"gelu: approximate={approximate!r} is not supported; "
                     "use 'none' (exact, with erf) or 'tanh'")


@_accepts_array_likes
def silu(x, inplace=False):
    """x·sigmoid(x), also called Swish (Ramachandran et al. 2017).

    >>> F.silu(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 0.7311])
    """
    return x * sigmoid(x)


@_accepts_array_likes
def softplus(x, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta x)) / beta``, a smooth relu; where ``beta * x > threshold`` it is x
    itself (PyTorch's linear regime). A negative ``beta`` works as in PyTorch.

    >>> F.softplus(autograd.tensor([0.0, 30.0])).round(decimals=4)
    Tensor([ 0.6931, 30.    ])
    """
    if beta == 0:  # PyTorch returns inf
        raise ValueError(f"softplus: beta={beta} must be nonzero (the result is divided by it)")
    scaled = float(beta) * x
    return autograd.where(scaled > threshold, x, autograd.logaddexp(0, scaled) / float(beta))


@_accepts_array_likes
def mish(x, inplace=False):
    """x·tanh(softplus(x)) (Misra 2019).

    >>> F.mish(autograd.tensor([0.0, 1.0])).round(decimals=4)
    Tensor([0.    , 0.8651])
    """
    return x * autograd.tanh(autograd.logaddexp(0, x))


@_accepts_array_likes
def maxout(x, weight, bias=None):
    """Maxout (Goodfellow et al. 2013): the max over k linear pieces. ``weight`` has shape
    (out_features, pieces, in_features), ``bias`` (out_features, pieces); for x of shape
    (..., in_features) the result has shape (..., out_features).

    >>> w = autograd.tensor([[[1.0], [-1.0]]])          # one unit, pieces x and -x: |x|
    >>> F.maxout(autograd.tensor([[-3.0], [2.0]]), w)
    Tensor([[3.],
            [2.]])
    """
    if np.ndim(weight) != 3 or np.ndim(x) < 1 or np.shape(x)[-1] != np.shape(weight)[2]:
        raise ShapeError(f"maxout: input of shape {np.shape(x)} does not fit weight of shape "
                         f"{np.shape(weight)}: expected weight (out_features, pieces, "
                         "in_features) and input (..., in_features)")
    if bias is not None and np.shape(bias) != np.shape(weight)[:2]:
        raise ShapeError(f"maxout: bias of shape {np.shape(bias)} does not fit weight of shape "
                         f"{np.shape(weight)}: expected {np.shape(weight)[:2]}")
    out_features, pieces, in_features = np.shape(weight)
    flat = autograd.reshape(weight, (out_features * pieces, in_features))
    z = x @ autograd.transpose(flat)
    if bias is not None:
        z = z + autograd.reshape(bias, (-1,))
    z = autograd.reshape(z, np.shape(z)[:-1] + (out_features, pieces))
    return autograd.amax(z, -1)


def _softmax_dim(owner, ndim, dim, axis):
    """The axis of a softmax-like function: ``dim`` (or numpy's ``axis``); when neither is
    given, PyTorch's implicit (deprecated) choice, 0 for 0-, 1- and 3-d inputs, else 1."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{owner}: got axis={axis} and dim={dim}, two names for one "
                            "argument (dim is PyTorch's name for axis); pass one of them")
        return axis
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {owner} has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning, stacklevel=3)
        return 0 if ndim in (0, 1, 3) else 1
    return dim


def _softmax_input(x, dtype):
    return x if dtype is None else x.astype(dtype)


@_accepts_array_likes
def softmax(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim`` (or numpy's ``axis``); stable for logits of any
    magnitude. Without ``dim`` it takes PyTorch's implicit axis (0 for 0-, 1- and 3-d
    inputs, else 1) and warns, as PyTorch does. ``dtype`` converts the input first.

    >>> F.softmax(autograd.tensor([[0.0, 0.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    """
    dim = _softmax_dim("softmax", input.ndim, dim, axis)
    return autograd.softmax(_softmax_input(input, dtype), dim)


@_accepts_array_likes
def log_softmax(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """log(softmax(x)) along ``dim`` (or numpy's ``axis``), computed stably; the implicit
    axis and ``dtype`` as `softmax`.

    >>> F.log_softmax(autograd.tensor([[0.0, 0.0]]), dim=1).round(decimals=4)
    Tensor([[-0.6931, -0.6931]])
    """
    dim = _softmax_dim("log_softmax", input.ndim, dim, axis)
    return autograd.log_softmax(_softmax_input(input, dtype), dim)


@_accepts_array_likes
def softmin(input, dim=None, _stacklevel=3, dtype=None, *, axis=None):
    """softmax(-x) along ``dim``: weights that favour the smallest entries; the implicit
    axis and ``dtype`` as `softmax`.

    >>> F.softmin(autograd.tensor([0.0, 0.0]), dim=0)
    Tensor([0.5, 0.5])
    """
    _check_floating("softmin", input)
    dim = _softmax_dim("softmin", input.ndim, dim, axis)
    return autograd.softmax(-_softmax_input(input, dtype), dim)


@_accepts_array_likes
def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise (Barron 2017): an ELU whose
    derivative is continuous for every ``alpha``.

    >>> F.celu(autograd.tensor([-1.0, 2.0]), alpha=2.0).round(decimals=4)
    Tensor([-0.7869,  2.    ])
    """
    _check_floating("celu", input)
    alpha = float(alpha)
    if alpha == 0:
        raise ValueError("celu: alpha cannot be 0 (it divides the input); use alpha > 0")
    return autograd.where(input > 0, input,
                          alpha * autograd.expm1(autograd.clip(input / alpha, None, 0)))


def _scalar(value, x):
    """A bound or fill value in x's dtype: a Python float for float inputs (no upcast of
    float32), the integer dtype itself for integer inputs (PyTorch keeps it)."""
    return float(value) if x.dtype.kind == "f" else np.asarray(value).astype(x.dtype)


def _inside(x, low, high, below, above, middle):
    """``below`` where x <= low, ``above`` where x >= high, ``middle`` between: the gradient
    flows through ``middle`` only strictly inside (low, high), PyTorch's rule at the kinks."""
    return autograd.where(x <= low, below, autograd.where(x >= high, above, middle))


@_accepts_array_likes
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]; gradient 1 strictly inside, 0 elsewhere (PyTorch's).

    >>> F.hardtanh(autograd.tensor([-2.0, 0.5, 2.0]))
    Tensor([-1. ,  0.5,  1. ])
    """
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val={min_val} is above max_val={max_val}")
    return _inside(input, min_val, max_val, _scalar(min_val, input), _scalar(max_val, input),
                   input)


@_accepts_array_likes
def relu6(input, inplace=False):
    """min(max(x, 0), 6): ``hardtanh(x, 0, 6)``.

    >>> F.relu6(autograd.tensor([-1.0, 3.0, 9.0]))
    Tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0)


@_accepts_array_likes
def hardsigmoid(input, inplace=False):
    """A piecewise-linear sigmoid: 0 for x <= -3, 1 for x >= 3, ``x / 6 + 1/2`` between.

    >>> F.hardsigmoid(autograd.tensor([-4.0, 0.0, 4.0]))
    Tensor([0. , 0.5, 1. ])
    """
    _check_floating("hardsigmoid", input)
    return _inside(input, -3.0, 3.0, 0.0, 1.0, input / 6 + 0.5)


@_accepts_array_likes
def hardswish(input, inplace=False):
    """x·hardsigmoid(x) (Howard et al. 2019, MobileNetV3): 0 for x < -3, x for x > 3,
    ``x (x + 3) / 6`` between (with PyTorch's gradients at -3 and 3).

    >>> F.hardswish(autograd.tensor([-4.0, 1.0, 4.0]))
    Tensor([0.       , 0.6666667, 4.       ])
    """
    _check_floating("hardswish", input)
    return _inside(input, -3.0, 3.0, 0.0, input, input * (input + 3) / 6)


@_accepts_array_likes
def softsign(input):
    """x / (1 + |x|).

    >>> F.softsign(autograd.tensor([-1.0, 3.0]))
    Tensor([-0.5 ,  0.75])
    """
    return input / (1 + autograd.abs(input))


@_accepts_array_likes
def logsigmoid(input):
    """log(sigmoid(x)) = -softplus(-x), computed stably (no overflow for any x).

    >>> F.logsigmoid(autograd.tensor([0.0, -1000.0])).round(decimals=4)
    Tensor([-6.931e-01, -1.000e+03])
    """
    _check_floating("logsigmoid", input)
    return -autograd.logaddexp(0, -input)


@_accepts_array_likes
def glu(input, dim=-1):
    """Gated linear unit (Dauphin et al. 2017): the input split in halves a, b along ``dim``,
    then ``a * sigmoid(b)``.

    >>> F.glu(autograd.tensor([1.0, 2.0, 0.0, 0.0]))
    Tensor([0.5, 1. ])
    """
    _check_floating("glu", input)
    if input.ndim == 0:
        raise ShapeError("glu: does not support scalars because halving size must be even")
    size = input.shape[dim]
    if size % 2:
        raise ShapeError(f"glu: halving dimension must be even, but dimension {dim} of the "
                         f"input of shape {input.shape} is size {size}")
    before = (slice(None),) * (dim % input.ndim)
    a, b = input[before + (slice(None, size // 2),)], input[before + (slice(size // 2, None),)]
    return a * sigmoid(b)


@_accepts_array_likes
def threshold(input, threshold, value, inplace=False):
    """x where x > ``threshold``, else ``value``.

    >>> F.threshold(autograd.tensor([0.5, 2.0]), 1.0, -1.0)
    Tensor([-1.,  2.])
    """
    return autograd.where(input > threshold, input, _scalar(value, input))


@_accepts_array_likes
def tanhshrink(input):
    """x - tanh(x).

    >>> F.tanhshrink(autograd.tensor([0.0]))
    Tensor([0.])
    """
    return input - autograd.tanh(input)


def _check_lambd(owner, lambd):
    if not lambd >= 0:
        raise ValueError(f"{owner}: lambd={lambd} must be non-negative (the half-width of "
                         "the band set to 0)")
    return float(lambd)


@_accepts_array_likes
def softshrink(input, lambd=0.5):
    """x - lambd for x > lambd, x + lambd for x < -lambd, 0 between.

    >>> F.softshrink(autograd.tensor([-2.0, 0.2, 2.0]))
    Tensor([-1.5,  0. ,  1.5])
    """
    _check_floating("softshrink", input)
    lambd = _check_lambd("softshrink", lambd)
    return autograd.where(input > lambd, input - lambd,
                          autograd.where(input < -lambd, input + lambd, 0.0))


@_accepts_array_likes
def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, 0 elsewhere.

    >>> F.hardshrink(autograd.tensor([-2.0, 0.2, 2.0]))
    Tensor([-2.,  0.,  2.])
    """
    _check_floating("hardshrink", input)
    return autograd.where(autograd.abs(input) > lambd, input, 0.0)
