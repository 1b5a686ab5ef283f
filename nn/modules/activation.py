"""Activation layers: each holds its hyperparameters and calls its `nn.functional` function.

PReLU and Maxout learn parameters; RReLU draws random slopes while ``training``. The layers
PyTorch gives an ``inplace`` flag accept it (`_InPlaceIgnored`); Softmax, LogSoftmax and
Softmin take PyTorch's ``dim`` (default None: PyTorch's implicit axis) or numpy's ``axis``.
"""
import math

import autograd

from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU", "GELU",
           "SiLU", "Softplus", "Mish", "Maxout", "Softmax", "LogSoftmax", "Softmin", "Softsign",
           "LogSigmoid", "Tanhshrink", "Hardsigmoid", "Hardswish", "ReLU6", "CELU", "Hardtanh",
           "Threshold", "GLU", "Softshrink", "Hardshrink"]


class _InPlaceIgnored(Module):
    """Base of the layers that PyTorch gives an ``inplace`` flag (``nn.ReLU(inplace=True)``).
    The flag is accepted and kept, so PyTorch code runs unchanged, but these layers always
    return a new tensor (which also leaves the input intact for backward)."""

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


class Sigmoid(Module):
    """1 / (1 + exp(-x)), elementwise.

    >>> nn.Sigmoid()(autograd.tensor([0.0]))
    Tensor([0.5])
    """

    _input_kind = "float"  # see Module._input_kind

    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    >>> nn.Tanh()(autograd.tensor([0.0]))
    Tensor([0.])
    """

    _input_kind = "float"  # see Module._input_kind

    def forward(self, x):
        return F.tanh(x)


class ReLU(_InPlaceIgnored):
    """max(x, 0), elementwise (gradient 0 at 0).
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.ReLU()(autograd.tensor([-1.0, 2.0]))
    Tensor([0., 2.])
    """

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(_InPlaceIgnored):
    """x for x > 0, ``negative_slope * x`` otherwise.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.LeakyReLU(0.1)(autograd.tensor([-2.0, 3.0]))
    Tensor([-0.2,  3. ])
    """

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(inplace)
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """Leaky ReLU whose negative slope ``weight`` is learned: one slope shared by all
    elements (``num_parameters=1``) or one per channel (``num_parameters`` = the size of
    the input's axis 1), each starting at ``init``. As in PyTorch, don't put weight decay
    on this slope.

    >>> act = nn.PReLU()
    >>> act(autograd.tensor([-2.0, 3.0]))
    Tensor([-0.5,  3. ], grad_fn=<leaky_relu>)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        if num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters={num_parameters} must be at least 1 "
                             "(1 shared slope, or one per channel)")
        self.num_parameters = num_parameters
        self.weight = Parameter(autograd.full((num_parameters,), init))

    def forward(self, x):
        return F.prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(_InPlaceIgnored):
    """Randomized leaky ReLU: in training each element with x <= 0 gets a slope drawn
    uniformly from [lower, upper] (repeatable with `autograd.manual_seed`); in eval the
    slope is their mean (lower + upper) / 2.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.RReLU(0.1, 0.3).eval()(autograd.tensor([-3.0, 2.0]))
    Tensor([-0.6,  2. ])
    """

    def __init__(self, lower=1 / 8, upper=1 / 3, inplace=False):
        super().__init__(inplace)
        self.lower, self.upper = lower, upper

    def forward(self, x):
        return F.rrelu(x, self.lower, self.upper, self.training)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}"


class ELU(_InPlaceIgnored):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.ELU()(autograd.tensor([-1.0, 2.0])).round(decimals=4)
    Tensor([-0.6321,  2.    ])
    """

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class SELU(_InPlaceIgnored):
    """Self-normalizing ELU, ``1.0507 * elu(x, alpha=1.6733)``; pair it with
    ``kaiming_normal_(nonlinearity='linear')`` weights (as the paper's LeCun normal init).
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.SELU()(autograd.tensor([1.0])).round(decimals=4)
    Tensor([1.0507])
    """

    def forward(self, x):
        return F.selu(x)


class GELU(Module):
    """x·Φ(x), Φ the standard normal CDF: exact (``approximate='none'``, with erf) or its
    tanh approximation (``approximate='tanh'``).

    >>> nn.GELU()(autograd.tensor([1.0])).round(decimals=4)
    Tensor([0.8413])
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(_InPlaceIgnored):
    """x·sigmoid(x), also called Swish. ``inplace`` is accepted; the result is computed out
    of place (the input is unchanged).

    >>> nn.SiLU()(autograd.tensor([1.0])).round(decimals=4)
    Tensor([0.7311])
    """

    def forward(self, x):
        return F.silu(x)


class Softplus(Module):
    """``log(1 + exp(beta x)) / beta``, a smooth relu; x itself where ``beta x > threshold``.

    >>> nn.Softplus()(autograd.tensor([0.0])).round(decimals=4)
    Tensor([0.6931])
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Mish(_InPlaceIgnored):
    """x·tanh(softplus(x)). ``inplace`` is accepted; the result is computed out of place
    (the input is unchanged).

    >>> nn.Mish()(autograd.tensor([1.0])).round(decimals=4)
    Tensor([0.8651])
    """

    def forward(self, x):
        return F.mish(x)


class Maxout(Module):
    """The max over ``pieces`` linear functions of the input, for each of ``out_features``
    units (Goodfellow et al. 2013). ``weight`` has shape (out_features, pieces,
    in_features), ``bias`` (out_features, pieces); both start uniform in
    [-1/sqrt(in_features), 1/sqrt(in_features)], as PyTorch's `Linear`
    (`reset_parameters` draws them again).

    >>> layer = nn.Maxout(4, 3, pieces=2)
    >>> layer(autograd.randn(8, 4)).shape
    (8, 3)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, in_features, out_features, pieces):
        super().__init__()
        if min(in_features, out_features, pieces) < 1:
            raise ValueError(f"Maxout: in_features={in_features}, out_features={out_features} "
                             f"and pieces={pieces} must all be at least 1")
        self.in_features, self.out_features, self.pieces = in_features, out_features, pieces
        self.weight = Parameter(autograd.zeros((out_features, pieces, in_features)))
        self.bias = Parameter(autograd.zeros((out_features, pieces)))
        self.reset_parameters()

    def reset_parameters(self):
        """Draw weight and bias from U(-1/sqrt(in_features), 1/sqrt(in_features))."""
        bound = 1 / math.sqrt(self.in_features)
        init.uniform_(self.weight, -bound, bound)
        init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.maxout(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"pieces={self.pieces}")


class _AlongDim(Module):
    """A layer normalizing along one ``dim`` (or numpy's ``axis``); without either, PyTorch's
    implicit axis (see `F.softmax`)."""

    _input_kind = "float"  # see Module._input_kind
    _function = None

    def __init__(self, dim=None, *, axis=None):
        super().__init__()
        self.dim = dim if axis is None else axis
        if axis is not None and dim is not None:
            raise TypeError(f"{type(self).__name__}: got axis={axis} and dim={dim}, two names "
                            "for one argument (dim is PyTorch's name for axis); pass one")

    def forward(self, input):
        return type(self)._function(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """exp(x) / sum(exp(x)) along ``dim`` (or ``axis``); stable for any logits.

    >>> nn.Softmax(dim=1)(autograd.tensor([[0.0, 0.0]]))
    Tensor([[0.5, 0.5]])
    """

    _function = staticmethod(F.softmax)


class LogSoftmax(_AlongDim):
    """log(softmax(x)) along ``dim`` (or ``axis``), computed stably.

    >>> nn.LogSoftmax(dim=-1)(autograd.tensor([0.0, 0.0])).round(decimals=4)
    Tensor([-0.6931, -0.6931])
    """

    _function = staticmethod(F.log_softmax)


class Softmin(_AlongDim):
    """softmax(-x) along ``dim`` (or ``axis``).

    >>> nn.Softmin(dim=0)(autograd.tensor([0.0, 0.0]))
    Tensor([0.5, 0.5])
    """

    _function = staticmethod(F.softmin)


class _Elementwise(Module):
    """A layer applying one `nn.functional` function with no settings (``_function``)."""

    _input_kind = "float"  # see Module._input_kind
    _function = None

    def forward(self, input):
        return type(self)._function(input)


class Softsign(_Elementwise):
    """x / (1 + |x|).

    >>> nn.Softsign()(autograd.tensor([1.0]))
    Tensor([0.5])
    """

    _function = staticmethod(F.softsign)


class LogSigmoid(_Elementwise):
    """log(sigmoid(x)), computed stably.

    >>> nn.LogSigmoid()(autograd.tensor([0.0])).round(decimals=4)
    Tensor([-0.6931])
    """

    _function = staticmethod(F.logsigmoid)


class Tanhshrink(_Elementwise):
    """x - tanh(x).

    >>> nn.Tanhshrink()(autograd.tensor([0.0]))
    Tensor([0.])
    """

    _function = staticmethod(F.tanhshrink)


class Hardsigmoid(_InPlaceIgnored, _Elementwise):
    """0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.Hardsigmoid()(autograd.tensor([0.0]))
    Tensor([0.5])
    """

    _function = staticmethod(F.hardsigmoid)


class Hardswish(_InPlaceIgnored, _Elementwise):
    """x·hardsigmoid(x). ``inplace`` is accepted; the result is computed out of place (the
    input is unchanged).

    >>> nn.Hardswish()(autograd.tensor([4.0]))
    Tensor([4.])
    """

    _function = staticmethod(F.hardswish)


class ReLU6(_InPlaceIgnored, _Elementwise):
    """min(max(x, 0), 6). ``inplace`` is accepted; the result is computed out of place (the
    input is unchanged).

    >>> nn.ReLU6()(autograd.tensor([9.0]))
    Tensor([6.])
    """

    _function = staticmethod(F.relu6)


class CELU(_InPlaceIgnored):
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.CELU()(autograd.tensor([2.0]))
    Tensor([2.])
    """

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input):
        return F.celu(input, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Hardtanh(_InPlaceIgnored):
    """x clamped to [min_val, max_val]. ``inplace`` is accepted and ignored.

    >>> nn.Hardtanh()(autograd.tensor([-2.0, 2.0]))
    Tensor([-1.,  1.])
    """

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__(inplace)
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val={min_val} is above max_val={max_val}")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}"


class Threshold(_InPlaceIgnored):
    """x where x > ``threshold``, else ``value``. ``inplace`` is accepted and ignored.

    >>> nn.Threshold(1.0, 0.0)(autograd.tensor([0.5, 2.0]))
    Tensor([0., 2.])
    """

    def __init__(self, threshold, value, inplace=False):
        super().__init__(inplace)
        self.threshold, self.value = threshold, value

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}"


class GLU(Module):
    """Gated linear unit: halves a, b of the input along ``dim``, then a * sigmoid(b).

    >>> nn.GLU()(autograd.tensor([1.0, 0.0]))
    Tensor([0.5])
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class _Shrink(Module):
    _input_kind = "float"  # see Module._input_kind
    _function = None

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return type(self)._function(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Softshrink(_Shrink):
    """x - lambd above lambd, x + lambd below -lambd, 0 between.

    >>> nn.Softshrink()(autograd.tensor([2.0]))
    Tensor([1.5])
    """

    _function = staticmethod(F.softshrink)


class Hardshrink(_Shrink):
    """x where |x| > lambd, else 0.

    >>> nn.Hardshrink()(autograd.tensor([0.2, 2.0]))
    Tensor([0., 2.])
    """

    _function = staticmethod(F.hardshrink)
