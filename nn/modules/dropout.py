"""Dropout layers: `Dropout`, `Dropout2d` (whole channels) and `DropConnect` (weights).

``p`` is the probability of DROPPING, as in PyTorch; the course notes' ``p`` is the
probability of keeping (``p_keep = 1 - p``). All are the identity in eval mode. Dropout and
Dropout2d accept PyTorch's ``inplace`` flag and compute out of place (the input is
unchanged).
"""
from .. import functional as F
from ..functional.dropout import _check_p
from .activation import _InPlaceIgnored
from .linear import Linear

__all__ = ["Dropout", "Dropout2d", "Dropout3d", "DropConnect"]


class _DropoutNd(_InPlaceIgnored):
    """What every dropout layer shares: a checked drop probability ``p`` and its repr."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__(inplace)
        _check_p(type(self).__name__, p)
        self.p = p

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout (`F.dropout`): while training, zero each element with probability
    ``p`` and scale the rest by ``1 / (1 - p)``; in eval mode, the identity.

    **p is the probability of DROPPING** (PyTorch's convention). The course notes' ``p`` is the
    probability of KEEPING a unit: their ``p = 0.8`` is ``nn.Dropout(p=0.2)`` here.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> drop = nn.Dropout(p=0.25)      # drops a quarter of the units, scales the rest by 4/3
    >>> drop(autograd.ones(4, 8)).shape
    (4, 8)
    >>> drop.eval()(autograd.ones(2))   # eval: unchanged
    Tensor([1., 1.])
    """

    def forward(self, x):
        return F.dropout(x, self.p, self.training)


class Dropout2d(_DropoutNd):
    """Channel dropout (`F.dropout2d`) for ``(N, C, H, W)`` or ``(C, H, W)`` inputs: while
    training, zero each whole channel with probability ``p`` and scale the kept ones by
    ``1 / (1 - p)``; in eval mode, the identity. ``p`` is the probability of DROPPING.
    ``inplace`` is accepted; the result is computed out of place (the input is unchanged).

    >>> nn.Dropout2d(p=0.5)(autograd.ones((8, 16, 5, 5))).shape
    (8, 16, 5, 5)
    """

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training)


class Dropout3d(_DropoutNd):
    """Channel dropout (`F.dropout3d`) for ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs:
    while training, zero each whole channel with probability ``p`` and scale the kept ones by
    ``1 / (1 - p)``; in eval mode, the identity. ``p`` is the probability of DROPPING.

    >>> nn.Dropout3d(p=0.5)(autograd.ones((2, 4, 3, 5, 5))).shape
    (2, 4, 3, 5, 5)
    """

    def forward(self, x):
        return F.dropout3d(x, self.p, self.training)


class DropConnect(_DropoutNd):
    """DropConnect (Wan et al., 2013) around an `nn.Linear`: while training, each forward
    drops every WEIGHT (not activation) with probability ``p`` and scales the kept weights by
    ``1 / (1 - p)``, so ``y = x @ (mask * W / (1 - p)).T + b``; the bias is kept. In eval
    mode it is the plain linear layer. One mask is drawn per forward and shared by the
    batch (the paper draws one per example, at batch-size times the cost).

    The wrapped layer is the sub-module ``linear``: its state-dict keys are
    ``linear.weight`` and ``linear.bias``.

    >>> layer = nn.DropConnect(nn.Linear(3, 2), p=0.5)
    >>> layer(autograd.ones(4, 3)).shape
    (4, 2)
    """

    def __init__(self, linear, p=0.5):
        if not isinstance(linear, Linear):
            raise TypeError(f"DropConnect: expected an nn.Linear to wrap, got "
                            f"{type(linear).__name__}; e.g. nn.DropConnect(nn.Linear(4, 2))")
        super().__init__(p)
        self.linear = linear

    def forward(self, x):
        weight = F.dropout(self.linear.weight, self.p, self.training)
        return F.linear(x, weight, self.linear.bias)

    def extra_repr(self):
        return f"p={self.p}"  # no inplace flag: it drops weights, not its input
