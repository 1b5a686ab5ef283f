"""Loss layers: each holds its options and calls its `nn.functional` function.

Called as ``loss_fn(input, target)``. Class weights and ``pos_weight`` are buffers, as in
PyTorch (moved by ``double()``, not learned).
"""
from .. import functional as F
from ..functional.loss import _REDUCTIONS, _check_reduction, _legacy_reduction
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss",
           "BCELoss", "BCEWithLogitsLoss", "MultiMarginLoss", "KLDivLoss", "PoissonNLLLoss",
           "GaussianNLLLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
           "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "TripletMarginLoss"]


class _Loss(Module):
    """Holds ``reduction`` ('mean' | 'sum' | 'none'), checked when the layer is built; PyTorch's
    deprecated ``size_average``/``reduce`` flags, when given, decide it as in PyTorch."""

    _input_kind = "float"  # see Module._input_kind

    _reductions = _REDUCTIONS

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        name = type(self).__name__
        reduction = _legacy_reduction(name, size_average, reduce, reduction)
        _check_reduction(name, reduction, self._reductions)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with an optional ``weight`` buffer (per class, or per element for BCE)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
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
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss (`F.smooth_l1_loss`): `HuberLoss` divided by ``beta``.

    >>> nn.SmoothL1Loss()(autograd.tensor([3.0]), autograd.tensor([0.0]))
    Tensor(2.5)
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits (`F.cross_entropy`): integer class targets or class
    probabilities, per-class ``weight``, ``ignore_index``, ``label_smoothing``.

    >>> loss_fn = nn.CrossEntropyLoss()
    >>> loss_fn(autograd.tensor([[2.0, 0.0, 0.0]]), np.array([0])).round(decimals=4)
    Tensor(0.2395)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (`F.nll_loss`); after `nn.LogSoftmax`
    it equals `CrossEntropyLoss` on the logits.

    >>> log_probs = autograd.log(autograd.tensor([[0.25, 0.75]]))
    >>> nn.NLLLoss()(log_probs, np.array([0])).round(decimals=4)   # -log 0.25
    Tensor(1.3863)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities (`F.binary_cross_entropy`); ``weight``
    rescales each element's loss.

    >>> nn.BCELoss()(autograd.tensor([0.5]), autograd.tensor([1.0])).round(decimals=4)   # log 2
    Tensor(0.6931)
    """

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy of logits (`F.binary_cross_entropy_with_logits`), stable for
    logits of any magnitude; ``pos_weight`` weighs the positive term (e.g. per class).

    >>> nn.BCEWithLogitsLoss()(autograd.tensor([0.0]), autograd.tensor([1.0])).round(decimals=4)
    Tensor(0.6931)
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(weight, size_average, reduce, reduction)
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

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of log-probabilities (`F.kl_div`); use
    ``reduction='batchmean'`` for the mathematical KL.

    >>> nn.KLDivLoss(reduction="sum")(autograd.tensor([0.0]), autograd.tensor([1.0]))
    Tensor(0.)
    """

    _reductions = _REDUCTIONS + ("batchmean",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood (`F.poisson_nll_loss`).

    >>> nn.PoissonNLLLoss()(autograd.tensor([0.0]), autograd.tensor([2.0]))
    Tensor(1.)
    """

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood (`F.gaussian_nll_loss`), called as
    ``loss_fn(input, target, var)``.

    >>> nn.GaussianNLLLoss()(autograd.tensor([0.0]), autograd.tensor([1.0]), autograd.tensor([1.0]))
    Tensor(0.5)
    """

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """``max(0, -target (input1 - input2) + margin)`` (`F.margin_ranking_loss`).

    >>> nn.MarginRankingLoss()(autograd.tensor([1.0]), autograd.tensor([2.0]),
    ...                        autograd.tensor([1.0]))
    Tensor(1.)
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin,
                                     reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """``input`` for target 1, ``max(0, margin - input)`` for -1 (`F.hinge_embedding_loss`).

    >>> nn.HingeEmbeddingLoss()(autograd.tensor([0.3]), autograd.tensor([-1.0]))
    Tensor(0.7)
    """

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin,
                                      reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """``log(1 + exp(-target input))`` (`F.soft_margin_loss`).

    >>> nn.SoftMarginLoss()(autograd.tensor([0.0]), autograd.tensor([1.0])).round(decimals=4)
    Tensor(0.6931)
    """

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Per-class binary cross-entropy of logits averaged over the classes
    (`F.multilabel_soft_margin_loss`).

    >>> nn.MultiLabelSoftMarginLoss()(autograd.tensor([[0.0]]),
    ...                               autograd.tensor([[1.0]])).round(decimals=4)
    Tensor(0.6931)
    """

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight,
                                             reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """``1 - cos`` for target 1, ``max(0, cos - margin)`` for -1 (`F.cosine_embedding_loss`).

    >>> nn.CosineEmbeddingLoss()(autograd.tensor([[1.0, 0.0]]), autograd.tensor([[1.0, 0.0]]),
    ...                          autograd.tensor([1.0]))
    Tensor(0.)
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin,
                                       reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """``max(0, d(a, p) - d(a, n) + margin)`` (`F.triplet_margin_loss`).

    >>> loss_fn = nn.TripletMarginLoss(eps=0.0)
    >>> loss_fn(autograd.tensor([[0.0]]), autograd.tensor([[1.0]]), autograd.tensor([[3.0]]))
    Tensor(0.)
    """

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                     eps=self.eps, swap=self.swap, reduction=self.reduction)
