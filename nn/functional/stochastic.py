"""Stochastic regularizers beyond dropout: stochastic depth (torchvision's semantics) and the
vanilla, non-inverted dropout the decks teach first."""
from autograd import ShapeError
from autograd.extend import generator

from ._checks import _accepts_array_likes, _check_floating, _check_fraction
from .dropout import _check_p

__all__ = ["stochastic_depth", "vanilla_dropout"]


@_accepts_array_likes
def stochastic_depth(input, p, mode, training=True):
    """Stochastic depth (Huang et al. 2016), torchvision's ``stochastic_depth``: drop the
    residual branch ``input`` with probability ``p`` and scale what survives by
    ``1 / (1 - p)``. ``mode="row"`` draws one decision per sample (axis 0), ``"batch"`` one
    for the whole batch. The identity when ``training`` is False or ``p == 0``; zeros when
    ``p == 1``. Use it on a residual branch: ``x + stochastic_depth(branch(x), p, "row")``.

    >>> autograd.manual_seed(0)
    >>> F.stochastic_depth(autograd.ones(4, 2), p=0.5, mode="row")   # rows: all 0 or all 2
    Tensor([[0., 0.],
            [2., 2.],
            [2., 2.],
            [2., 2.]])
    """
    _check_fraction("stochastic_depth", "p", p, "the probability of dropping the branch")
    if mode not in ("batch", "row"):
        raise ValueError(f"stochastic_depth: mode must be 'batch' or 'row', got {mode!r}")
    _check_floating("stochastic_depth", input)
    if mode == "row" and input.ndim == 0:
        raise ShapeError(f"stochastic_depth: mode 'row' needs a batch axis (axis 0), got shape "
                         f"{tuple(input.shape)}; use mode='batch'")
    if not training or p == 0:
        return input
    shape = (input.shape[0],) + (1,) * (input.ndim - 1) if mode == "row" else (1,) * input.ndim
    keep = generator().random(shape) < 1 - p
    return input * (keep / (1 - p) if p < 1 else keep * 0.0).astype(input.dtype)


@_accepts_array_likes
def vanilla_dropout(x, p=0.5, training=True):
    """Dropout as the decks first teach it (non-inverted): while training, zero each element
    with probability ``p`` and leave the survivors as they are; at test time
    (``training=False``) multiply everything by the KEEP probability ``1 - p``, so test outputs
    equal the training expectation. `dropout` (inverted) is what to use in practice: it moves
    the scaling into training and leaves test time alone. ``p`` is the probability of DROPPING.

    >>> autograd.manual_seed(0)
    >>> F.vanilla_dropout(autograd.ones(6), p=0.5)                 # survivors stay 1
    Tensor([1., 0., 0., 0., 1., 1.])
    >>> F.vanilla_dropout(autograd.ones(2), p=0.25, training=False)  # test: times keep = 0.75
    Tensor([0.75, 0.75])
    """
    _check_p("vanilla_dropout", p)
    _check_floating("vanilla_dropout", x)
    if not training:
        return x * (1 - p)
    return x * (generator().random(x.shape) >= p).astype(x.dtype)
