"""Stochastic depth and vanilla (non-inverted) dropout as layers."""
from .. import functional as F
from ..functional._checks import _check_fraction
from .dropout import _DropoutNd
from .module import Module

__all__ = ["StochasticDepth", "VanillaDropout"]


class StochasticDepth(Module):
    """torchvision's ``StochasticDepth(p, mode)`` (`F.stochastic_depth`): while training, drop
    its input (a residual branch's output) with probability ``p``, per sample
    (``mode="row"``) or for the whole batch (``"batch"``), scaling survivors by
    ``1 / (1 - p)``; in eval mode, the identity.

    >>> drop_path = nn.StochasticDepth(0.2, "row")
    >>> x = autograd.randn(8, 4)
    >>> (x + drop_path(x)).shape                      # a residual block: x + branch(x)
    (8, 4)
    >>> bool((drop_path.eval()(x) == x).all())
    True
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, p, mode):
        super().__init__()
        _check_fraction("StochasticDepth", "p", p, "the probability of dropping the branch")
        if mode not in ("batch", "row"):
            raise ValueError(f"StochasticDepth: mode must be 'batch' or 'row', got {mode!r}")
        self.p, self.mode = p, mode

    def forward(self, input):
        return F.stochastic_depth(input, self.p, self.mode, self.training)

    def extra_repr(self):
        return f"p={self.p}, mode={self.mode}"


class VanillaDropout(_DropoutNd):
    """Non-inverted dropout (`F.vanilla_dropout`), for teaching: training zeros each element
    with probability ``p`` without rescaling; eval mode multiplies by the keep probability
    ``1 - p``. `Dropout` (inverted) is the one to train with. ``inplace`` is accepted and
    ignored.

    >>> drop = nn.VanillaDropout(p=0.2)
    >>> drop.eval()(autograd.ones(2))    # test time: times the KEEP probability 0.8
    Tensor([0.8, 0.8])
    """

    def forward(self, x):
        return F.vanilla_dropout(x, self.p, self.training)
