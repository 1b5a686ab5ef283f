"""Dropout and the weight penalties: the regularizers of the course notes.

``p`` is the probability of DROPPING a unit, as in PyTorch. The course notes (CS231n style)
write ``p`` for the probability of KEEPING one: their ``p_keep`` is our ``1 - p``.
"""
import numpy as np

import autograd
from autograd import ShapeError, Tensor
from autograd.extend import generator

from ._checks import _accepts_array_likes, _check_floating, _check_fraction

__all__ = ["dropout", "dropout2d", "dropout3d", "l1_penalty", "l2_penalty", "elastic_net_penalty"]


def _check_p(owner, p):
    _check_fraction(owner, "p", p, "the probability of DROPPING a unit; for the course notes' "
                    "keep probability p_keep, pass p = 1 - p_keep")


def _dropout(name, x, p, training, mask_shape):
    """Inverted dropout with one mask entry per element of ``mask_shape`` (broadcast over x)."""
    _check_p(name, p)
    _check_floating(name, x)
    if not training or p == 0:
        return x
    # each unit survives with probability 1 - p; drawn in x's precision, as PyTorch does
    # (float32 draws and mask: 1.8x faster than float64 ones converted)
    dtype = np.dtype(x.dtype)
    draws = generator().random(mask_shape, dtype=np.float64 if dtype == np.float64 else
                               np.float32)
    scale = 1 / (1 - p) if p < 1 else 0  # keeps the mean; p == 1 keeps nothing to scale
    return x * ((draws >= p) * dtype.type(scale))


@_accepts_array_likes
def dropout(x, p=0.5, training=True):
    """Inverted dropout: zero each element with probability ``p`` and scale the survivors
    by ``1 / (1 - p)``, so the expected output equals ``x`` and eval mode needs no rescaling.

    **p is the probability of DROPPING** (PyTorch's convention). The course notes' ``p`` is
    the probability of keeping: their ``p_keep = 0.8`` is ``dropout(x, p=0.2)`` here.
    The identity when ``training`` is False or ``p == 0``; zeros when ``p == 1``. The mask
    comes from ``autograd.default_generator`` (repeatable with ``autograd.manual_seed``)
    and has ``x``'s dtype; the gradient is that same mask.

    >>> autograd.manual_seed(5)
    >>> F.dropout(autograd.ones(6), p=0.5)      # survivors become 1 / (1 - 0.5) = 2
    Tensor([2., 2., 0., 2., 0., 2.])
    """
    return _dropout("dropout", x, p, training, x.shape)


@_accepts_array_likes
def dropout2d(x, p=0.5, training=True):
    """Channel dropout: zero whole channels of an ``(N, C, H, W)`` or ``(C, H, W)`` input
    with probability ``p`` each, scaling the kept channels by ``1 / (1 - p)``.

    Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels
    barely regularizes a conv net; dropping whole maps does. ``p`` is the probability of
    DROPPING, as in `dropout` (the course notes' keep probability is ``1 - p``).

    >>> autograd.manual_seed(2)
    >>> F.dropout2d(autograd.ones((2, 3, 4, 4)), p=0.5)[0, :, 0, 0]   # channels: all 0 or all 2
    Tensor([2., 0., 0.])
    """
    if x.ndim not in (3, 4):
        raise ShapeError(f"dropout2d: expected an (N, C, H, W) or (C, H, W) input, got shape "
                         f"{tuple(x.shape)}; use dropout for other shapes")
    return _dropout("dropout2d", x, p, training, x.shape[:-2] + (1, 1))


@_accepts_array_likes
def dropout3d(x, p=0.5, training=True):
    """Channel dropout of volumes: zero whole channels of an ``(N, C, D, H, W)`` or
    ``(C, D, H, W)`` input with probability ``p`` each, scaling the kept channels by
    ``1 / (1 - p)``; as `dropout2d`, one dimension deeper. ``p`` is the probability of DROPPING.

    >>> autograd.manual_seed(2)
    >>> F.dropout3d(autograd.ones((2, 3, 2, 2, 2)), p=0.5)[0, :, 0, 0, 0]   # 0 or 2 per channel
    Tensor([2., 0., 0.])
    """
    if x.ndim not in (4, 5):
        raise ShapeError(f"dropout3d: expected an (N, C, D, H, W) or (C, D, H, W) input, got "
                         f"shape {tuple(x.shape)}; use dropout2d for images, dropout otherwise")
    return _dropout("dropout3d", x, p, training, x.shape[:-3] + (1, 1, 1))


def _penalty(name, params, term):
    """Sum ``term(w)`` over the tensors ``params`` (a Tensor, an iterable, parameters())."""
    params = [params] if isinstance(params, (Tensor, np.ndarray)) else list(params)
    for w in params:
        if not isinstance(w, (Tensor, np.ndarray)):
            raise TypeError(f"{name}: expected tensors such as model.parameters(), got a "
                            f"{type(w).__name__}; pass parameters(), not named_parameters()")
    if not params:
        return autograd.zeros(())
    return sum((term(w) for w in params[1:]), term(params[0]))


def _l1(w):
    return autograd.abs(w).sum()


def _l2(w):
    return (w * w).sum()


def l1_penalty(params):
    """The L1 penalty ``sum |w|`` over every element of every tensor in ``params`` (a model's
    ``parameters()``, a list of tensors, or one tensor). Add ``lam * l1_penalty(...)`` to a
    loss to push weights to exactly zero (sparse weights). Its gradient is ``sign(w)``
    (0 at 0).

    >>> F.l1_penalty([autograd.tensor([1.0, -2.0]), autograd.tensor([[3.0]])])
    Tensor(6.)
    """
    return _penalty("l1_penalty", params, _l1)


def l2_penalty(params):
    """The L2 penalty ``sum w**2`` over every tensor in ``params``: no factor 1/2, as in the
    course notes' ``R(W) = sum_k sum_l W_kl**2``, so its gradient is ``2 w``. An optimizer's
    ``weight_decay=wd`` (which adds ``wd * w`` to the gradient) equals adding
    ``wd / 2 * l2_penalty(params)`` to the loss.

    >>> F.l2_penalty([autograd.tensor([1.0, -2.0]), autograd.tensor([[3.0]])])
    Tensor(14.)
    """
    return _penalty("l2_penalty", params, _l2)


def elastic_net_penalty(params, l1_ratio=0.5):
    """The elastic-net penalty ``l1_ratio * sum |w| + (1 - l1_ratio) * sum w**2`` (scikit-learn's
    mixing parameter; ``1`` is pure L1, ``0`` pure L2; the L2 part has no factor 1/2, as in
    `l2_penalty`). The course notes write ``R(W) = sum beta W**2 + |W|``: that is
    ``(1 + beta) * elastic_net_penalty(params, l1_ratio=1 / (1 + beta))``.

    >>> F.elastic_net_penalty([autograd.tensor([1.0, -2.0])], l1_ratio=0.25)   # .25*3 + .75*5
    Tensor(4.5)
    """
    _check_fraction("elastic_net_penalty", "l1_ratio", l1_ratio, "1 = pure L1, 0 = pure L2")
    return _penalty("elastic_net_penalty", params,
                    lambda w: l1_ratio * _l1(w) + (1 - l1_ratio) * _l2(w))
