"""Fully connected layer, and the two shape-only layers: Identity and Flatten."""
import math

import numpy as np

from autograd import ShapeError, get_default_dtype, reshape

from .. import functional as F
from .. import init
from ..functional._checks import _check_size
from ..parameter import Parameter
from .module import Module

__all__ = ["Linear", "Identity", "Flatten"]


class _WeightedLayer(Module):
    """Base of the layers that take weighted sums (Linear, Conv2d): registers ``weight`` of
    ``weight_shape`` (out, in, *kernel) and ``bias`` (out,) or None, in ``dtype`` (default:
    ``autograd.get_default_dtype()``), initialized as PyTorch initializes them."""

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, weight_shape, bias, dtype):
        super().__init__()
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.empty(weight_shape, dtype=dtype))
        self.register_parameter("bias", Parameter(np.empty(weight_shape[0], dtype=dtype))
                                if bias else None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh parameters from the default initialization (`init.default_uniform_`)."""
        init.default_uniform_(self.weight, self.bias)


class Linear(_WeightedLayer):
    """``y = x @ weight.T + bias``: weight (out_features, in_features), bias (out_features,).

    Initialized as in PyTorch (`nn.init.default_uniform_`): weight and bias from
    U(-1/sqrt(in_features), 1/sqrt(in_features)). Parameters are created in ``dtype``
    (default: ``autograd.get_default_dtype()``).

    >>> layer = nn.Linear(3, 2)
    >>> layer(autograd.randn(5, 3)).shape
    (5, 2)
    """

    def __init__(self, in_features, out_features, bias=True, *, dtype=None):
        _check_size("Linear", "in_features", in_features)
        _check_size("Linear", "out_features", out_features)
        super().__init__((out_features, in_features), bias, dtype)
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Identity(Module):
    """Returns its input unchanged (any extra arguments are ignored, as in PyTorch): a
    placeholder, e.g. to remove a layer from a model without changing its structure.

    >>> nn.Identity()(x) is x
    True
    """

    _input_kind = None  # returns anything unchanged, as PyTorch's

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Flatten(Module):
    """Merges axes ``start_dim`` to ``end_dim`` (inclusive; negative counts from the end)
    into one: (N, C, H, W) -> (N, C * H * W) by default, between conv and linear layers.

    >>> nn.Flatten()(autograd.zeros(2, 3, 4, 5)).shape
    (2, 60)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        shape = np.shape(x)
        start, end = (d + len(shape) if d < 0 else d for d in (self.start_dim, self.end_dim))
        if not 0 <= start <= end < max(len(shape), 1):
            raise ShapeError(f"Flatten: start_dim={self.start_dim}, end_dim={self.end_dim} do "
                             f"not name a range of axes of an input of shape {shape}")
        return reshape(x, shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
