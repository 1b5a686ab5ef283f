"""Weight constraints: `renorm` (PyTorch's max-norm rescaling of sub-tensors) and its in-place
form, the one-line max-norm constraint of the decks (D1, D5: "enforce an absolute upper bound
on the magnitude of every neuron's weight vector") applied after each optimizer step:

    with autograd.no_grad():
        layer.weight.renorm_(2, 0, 3.0)    # every unit's incoming weights: norm at most 3
"""
import numpy as np

from .engine import inplace_update
from .errors import IndexingError, ShapeError
from .ops import _ndim, clone, norm, where
from .registry import registered


def _check(p, dim, maxnorm, x):
    ndim = _ndim(x)
    if ndim < 2:
        raise ShapeError(f"renorm: input needs at least 2 dimensions (sub-tensors along dim "
                         f"are rescaled), got shape {np.shape(x)}")
    if not -ndim <= dim < ndim:
        raise IndexingError(f"renorm: dim {dim} is out of range for a {ndim}-d input "
                            f"(expected in [{-ndim}, {ndim - 1}])")
    if not p > 0:
        raise ValueError(f"renorm: p must be > 0 (non-positive norms are not supported), got {p}")
    if not maxnorm >= 0:
        raise ValueError(f"renorm: maxnorm must be >= 0, got {maxnorm}")
    return tuple(i for i in range(ndim) if i != dim % ndim)


@registered("general", method=True)
def renorm(input, p, dim, maxnorm):
    """Each sub-tensor ``input.select(dim, i)`` whose p-norm exceeds ``maxnorm`` scaled down
    to norm ``maxnorm`` (by ``maxnorm / (norm + 1e-7)``, as PyTorch); the others unchanged.
    The gradient flows through the norm too, as PyTorch's. For a Linear weight (out, in),
    ``dim=0`` bounds each unit's incoming weight vector: the max-norm constraint.

    >>> autograd.tensor([[3.0, 4.0], [0.1, 0.0]]).renorm(2, 0, 1.0).round(decimals=4)
    Tensor([[0.6, 0.8],
            [0.1, 0. ]])
    """
    others = _check(p, dim, maxnorm, input)
    norms = norm(input, p, others, keepdim=True)
    return input * where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)


@registered("inplace", method=True)
def renorm_(input, p, dim, maxnorm):
    """`renorm`, in place: after ``optimizer.step()``, under ``no_grad``, this is the max-norm
    constraint (``layer.weight.renorm_(2, 0, c)``).

    >>> w = autograd.tensor([[3.0, 4.0], [0.1, 0.0]])
    >>> w.renorm_(2, 0, 1.0).round(decimals=4)
    Tensor([[0.6, 0.8],
            [0.1, 0. ]])
    """
    _check(p, dim, maxnorm, input)
    # the rule reads a copy: the in-place write must not change what backward reads
    return inplace_update(input, "renorm_", (), lambda: renorm(clone(input), p, dim, maxnorm))
