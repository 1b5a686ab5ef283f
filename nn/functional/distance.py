"""Norms and distances between vectors along an axis (PyTorch's `normalize`,
`cosine_similarity`, `pairwise_distance`), composed from `autograd.norm` (whose slope at the
zero vector is 0, as PyTorch's)."""
import numpy as np

import autograd
from autograd import ShapeError

from ._checks import _as_tensor, _check_floating

__all__ = ["normalize", "cosine_similarity", "pairwise_distance"]


def _check_dim(owner, shape, dim):
    ndim = max(len(shape), 1)
    if not -ndim <= dim < ndim:
        raise ShapeError(f"{owner}: dim={dim} is out of range for inputs of shape {shape} "
                         f"(expected -{ndim} to {ndim - 1})")


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input / max(norm_p(input along dim), eps)``: unit vectors along ``dim``; a vector
    shorter than ``eps`` is divided by ``eps`` (so zeros stay zeros).

    >>> F.normalize(autograd.tensor([[3.0, 4.0]]))
    Tensor([[0.6, 0.8]])
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; use the returned tensor")
    input = _as_tensor(input)
    _check_floating("normalize", input)
    _check_dim("normalize", input.shape, dim)
    norm = autograd.norm(input, p, dim=dim % max(input.ndim, 1) if input.ndim else None,
                         keepdim=True)
    return input / autograd.clip(norm, min=eps)


def _pair(owner, x1, x2):
    x1, x2 = _as_tensor(x1), _as_tensor(x2)
    for x in (x1, x2):
        _check_floating(owner, x)
    try:
        shape = np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ShapeError(f"{owner}: inputs of shapes {x1.shape} and {x2.shape} do not "
                         "broadcast together") from None
    return x1, x2, shape


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim`` (they broadcast), each norm
    floored at ``eps``: ``sum(x1/|x1| * x2/|x2|)``.

    >>> F.cosine_similarity(autograd.tensor([[1.0, 0.0]]),
    ...                     autograd.tensor([[1.0, 1.0]])).round(decimals=4)
    Tensor([0.7071])
    """
    x1, x2, shape = _pair("cosine_similarity", x1, x2)
    _check_dim("cosine_similarity", shape, dim)
    dim = dim if shape else None  # 0-d inputs: one 1-element vector each, as PyTorch

    def unit(x):  # broadcast first: a broadcast axis along dim lengthens the vector
        x = autograd.broadcast_to(x, shape)
        return x / autograd.clip(autograd.norm(x, 2, dim=dim, keepdim=True), min=eps)
    return autograd.sum(unit(x1) * unit(x2), dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm distance ``norm_p(x1 - x2 + eps)`` along the last axis (x1, x2 broadcast).

    >>> F.pairwise_distance(autograd.tensor([[0.0, 0.0]]), autograd.tensor([[3.0, 4.0]]),
    ...                     eps=0.0)
    Tensor([5.])
    """
    x1, x2, shape = _pair("pairwise_distance", x1, x2)
    if not shape:
        return autograd.abs(x1 - x2 + eps)
    return autograd.norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim)
