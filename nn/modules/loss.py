"""Loss layers: each holds its options and calls its `nn.functional` function.

Called as ``loss_fn(input, target)``. Class weights and ``pos_weight`` are buffers, as in
PyTorch (moved by ``double()``, not learned).
"""
from .. import functional as F
from ..functional.loss import _check_reduction
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
           "BCEWithLogitsLoss", "MultiMarginLoss"]


class _Loss(Module):
    """Holds ``reduction`` ('mean' | 'sum' | 'none'), checked when the layer is built."""

    def __init__(self, reduction="mean"):
        super().__init__()
        _check_reduction(type(self).__name__, reduction)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with an optional ``weight`` buffer (per class, or per element for BCE)."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Mean squared error (`F.mse_loss`).

    >>> nn.MSELoss()(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 4.0]))
    Tensor(2.5)
    """

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error (`F.l1_loss`).

    >>> nn.L1Loss(reduction="sum")(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 4.0]))
    Tensor(3.)
    """

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss (`F.huber_loss`): quadratic for errors below ``delta``, linear beyond.

    >>> nn.HuberLoss(delta=2.0)(autograd.tensor([3.0]), autograd.tensor([0.0]))  # 2 (3 - 1)
    Tensor(4.)
    """

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits (`F.cross_entropy`): integer class targets or class
    probabilities, per-class ``weight``, ``ignore_index``, ``label_smoothing``.

    >>> loss_fn = nn.CrossEntropyLoss()
    >>> loss_fn(autograd.tensor([[2.0, 0.0, 0.0]]), np.array([0]))
    Tensor(0.23954484)
    """

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (`F.nll_loss`); after `nn.LogSoftmax`
    it equals `CrossEntropyLoss` on the logits.

    >>> log_probs = autograd.log(autograd.tensor([[0.25, 0.75]]))
    >>> nn.NLLLoss()(log_probs, np.array([0]))   # -log 0.25
    Tensor(1.3862944)
    """

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities (`F.binary_cross_entropy`); ``weight``
    rescales each element's loss.

    >>> nn.BCELoss()(autograd.tensor([0.5]), autograd.tensor([1.0]))   # log 2
    Tensor(0.6931472)
    """

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy of logits (`F.binary_cross_entropy_with_logits`), stable for
    logits of any magnitude; ``pos_weight`` weighs the positive term (e.g. per class).

    >>> nn.BCEWithLogitsLoss()(autograd.tensor([0.0]), autograd.tensor([1.0]))   # log 2
    Tensor(0.6931472)
    """

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class MultiMarginLoss(_WeightedLoss):
    """Multiclass hinge (SVM) loss (`F.multi_margin_loss`): the course notes' SVM loss
    divided by the number of classes.

    >>> nn.MultiMarginLoss()(autograd.tensor([[3.2, 5.1, -1.7]]), np.array([0]))  # 2.9 / 3
    Tensor(0.96666664)
    """

    def __init__(self, p=1, margin=1.0, weight=None, reduction="mean"):
        super().__init__(weight, reduction)
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)
