"""Activation functions, composed from core ops (so each is differentiable to any order).

All are safe for inputs of magnitude 1000: `where` evaluates the branch it discards too, so
every exponential gets a clipped argument. At 0 the gradients are PyTorch's: 0 for relu, the
negative-side slope for the leaky family and elu.
"""
import math

import numpy as np

import autograd
from autograd.extend import elementwise
from autograd import ShapeError
from autograd.random import generator

from ._checks import _accepts_array_likes

__all__ = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "gelu",
           "silu", "softplus", "mish", "maxout", "softmax", "log_softmax"]

# Klambauer et al. (2017): the fixed point that keeps activations at mean 0, variance 1
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_GELU_TANH_SCALE = math.sqrt(2 / math.pi)


sigmoid, tanh, relu = map(_accepts_array_likes, (autograd.sigmoid, autograd.tanh, autograd.relu))


def _axis_or_dim(owner, axis, dim):
    """``axis``, or ``dim`` (PyTorch's name for it) when that is given instead."""
    if dim is None:
        return axis
    if axis != -1:
        raise TypeError(f"{owner}: got axis={axis} and dim={dim}, two names for one argument "
                        "(dim is PyTorch's name for axis); pass one of them")
    return dim


def _positive(x):
    return np.asarray(x._data if isinstance(x, autograd.Tensor) else x) > 0


# one op whose derivative reads x (as PyTorch's leaky_relu): a second derivative under
# create_graph=True is then zeros, not "does not require grad"
@elementwise((lambda ans, x, slope: autograd.where(_positive(x), 1, slope),
                       lambda ans, x, slope: autograd.where(_positive(x), 0, x)),
                      saves=("x slope", "x"))
def _leaky_relu(x, slope):
    """x where x > 0, slope * x elsewhere (slope a number, or an array broadcasting with x)."""
    return np.where(x > 0, x, slope * x)


@_accepts_array_likes
def leaky_relu(x, negative_slope=0.01):
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
def rrelu(x, lower=1 / 8, upper=1 / 3, training=False):
    """Randomized leaky ReLU (Xu et al. 2015): while training, each element with x <= 0 gets
    its own slope drawn uniformly from [lower, upper] (from `autograd.random.generator`, so
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
def elu(x, alpha=1.0):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise (Clevert et al. 2015).

    >>> F.elu(autograd.tensor([-1.0, 0.0, 2.0]))
    Tensor([-0.63212055,  0.        ,  2.        ])
    """
    return autograd.where(x > 0, x, float(alpha) * autograd.expm1(autograd.clip(x, None, 0)))


@_accepts_array_likes
def selu(x):
    """Self-normalizing ELU: ``scale * elu(x, alpha)`` with alpha ≈ 1.6733, scale ≈ 1.0507,
    the constants that keep activations near mean 0 and variance 1 (Klambauer et al. 2017).

    >>> F.selu(autograd.tensor([0.0, 1.0]))
    Tensor([0.      , 1.050701])
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


@_accepts_array_likes
def gelu(x, approximate="none"):
    """Gaussian error linear unit x·Φ(x), Φ the standard normal CDF (Hendrycks & Gimpel 2016):
    exactly ``0.5 x (1 + erf(x / sqrt 2))``, or with ``approximate='tanh'``
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))``, cheaper (no erf).

    >>> F.gelu(autograd.tensor([0.0, 1.0]))
    Tensor([0.       , 0.8413447])
    """
    if approximate == "none":
        return 0.5 * x * (1 + autograd.erf(x / math.sqrt(2)))
    if approximate == "tanh":  # x * x * x: numpy's float32 x ** 3 is ~30x slower
        return 0.5 * x * (1 + autograd.tanh(_GELU_TANH_SCALE * (x + 0.044715 * x * x * x)))
    raise ValueError(f"gelu: approximate={approximate!r} is not supported; "
                     "use 'none' (exact, with erf) or 'tanh'")


@_accepts_array_likes
def silu(x):
    """x·sigmoid(x), also called Swish (Ramachandran et al. 2017).

    >>> F.silu(autograd.tensor([0.0, 1.0]))
    Tensor([0.       , 0.7310586])
    """
    return x * sigmoid(x)


@_accepts_array_likes
def softplus(x, beta=1, threshold=20):
    """``log(1 + exp(beta x)) / beta``, a smooth relu; where ``beta * x > threshold`` it is x
    itself (PyTorch's linear regime).

    >>> F.softplus(autograd.tensor([0.0, 30.0]))
    Tensor([ 0.6931472, 30.       ])
    """
    if beta <= 0:
        raise ValueError(f"softplus: beta={beta} must be positive (it scales the input)")
    scaled = float(beta) * x
    return autograd.where(scaled > threshold, x, autograd.logaddexp(0, scaled) / float(beta))


@_accepts_array_likes
def mish(x):
    """x·tanh(softplus(x)) (Misra 2019).

    >>> F.mish(autograd.tensor([0.0, 1.0]))
    Tensor([0.       , 0.8650984])
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


@_accepts_array_likes
def softmax(x, axis=-1, *, dim=None):
    """exp(x) / sum(exp(x)) along ``axis`` (or ``dim``, PyTorch's name for it); stable for
    logits of any magnitude.

    >>> F.softmax(autograd.tensor([[0.0, 0.0]]), dim=1)
    Tensor([[0.5, 0.5]])
    """
    return autograd.softmax(x, _axis_or_dim("softmax", axis, dim))


@_accepts_array_likes
def log_softmax(x, axis=-1, *, dim=None):
    """log(softmax(x)) along ``axis`` (or ``dim``, PyTorch's name for it), computed stably.

    >>> F.log_softmax(autograd.tensor([[0.0, 0.0]]), dim=1)
    Tensor([[-0.6931472, -0.6931472]])
    """
    return autograd.log_softmax(x, _axis_or_dim("log_softmax", axis, dim))
