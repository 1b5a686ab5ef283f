"""Loss functions (PyTorch's names, argument orders and ``reduction`` semantics).

Each loss computes one value per element or per sample, then `_reduce` applies ``reduction``:
'none' keeps them, 'sum' adds them, 'mean' divides the sum by their count, or, for class
targets, by the total weight of the non-ignored targets (PyTorch's weighted mean). Class
weights, BCE weights and ``pos_weight`` are constants; targets of MSE, L1, Huber, both BCEs
and probability targets of cross-entropy are differentiable.

Most losses are compositions of core ops. The two binary cross-entropies are fused rules:
BCE so that a saturated prediction (p = 0 for a positive target) still gets PyTorch's large,
finite gradient instead of the zero a floored log would give, and BCE-with-logits so that its
gradient ``(1 - t) sigmoid(x) - pos_weight t sigmoid(-x)`` (``sigmoid(x) - t``) keeps its
tiny values for logits of any magnitude, where a composition subtracts nearly equal numbers.
"""
import functools
import math
import warnings
from typing import Callable, NamedTuple

import numpy as np

from autograd import (DtypeError, IndexingError, ShapeError, Tensor, abs, clip, exp,
                      expand_dims, log, log_softmax, logaddexp, maximum, minimum, relu, sigmoid,
                      sqrt, sum, where)
from autograd.extend import batching, primitive, raw, registered

from ._checks import _as_tensor, _check_floating, _check_fraction

__all__ = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "cross_entropy", "nll_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "multi_margin_loss",
           "kl_div", "poisson_nll_loss", "gaussian_nll_loss", "margin_ranking_loss",
           "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "cosine_embedding_loss", "triplet_margin_loss"]

_REDUCTIONS = ("mean", "sum", "none")
_LOG_FLOOR = -100.0  # PyTorch's BCE floor: log(0) costs 100, never inf
_BCE_EPS = 1e-12  # PyTorch's floor for p(1 - p) in BCE's gradient


# ============================================================ argument checks
def _check_reduction(name, reduction, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(f"{name}: reduction={reduction!r} is not one of "
                         f"{', '.join(map(repr, allowed))}")


def _legacy_reduction(name, size_average, reduce, reduction):
    """``reduction``, or the one PyTorch's deprecated ``size_average``/``reduce`` flags mean
    when either is given (None counts as True): reduce=False -> 'none', else
    size_average=False -> 'sum', else 'mean'."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn(f"{name}: size_average and reduce args will be deprecated, please use "
                  "reduction= instead.", UserWarning, stacklevel=3)
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def _prepare(name, input, reduction):
    """``input`` as a floating Tensor, after checking ``reduction``."""
    _check_reduction(name, reduction)
    input = _as_tensor(input)
    _check_floating(name, input)
    return input


def _float_target(name, input, target):
    """A target of the input's shape and dtype (a non-Tensor target is converted to it)."""
    if isinstance(target, Tensor):
        if target.dtype != input.dtype:
            raise DtypeError(f"{name}: target has dtype {target.dtype} but input has "
                             f"{input.dtype}; convert one of them with .astype(...)")
    else:
        target = np.asarray(target, dtype=input.dtype)
    if target.shape != input.shape:
        raise ShapeError(f"{name}: input of shape {input.shape} and target of shape "
                         f"{target.shape} must have the same shape (reshape the target: "
                         "broadcasting them would silently compare the wrong elements)")
    return target


def _constant(name, what, value, input):
    """A weight (a constant of the loss; None stays None) as an array of the input's dtype
    that broadcasts to the input's shape."""
    if value is None:
        return None
    value = np.asarray(value, dtype=input.dtype)
    try:
        fits = np.broadcast_shapes(value.shape, input.shape) == input.shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"{name}: {what} of shape {value.shape} does not broadcast to the "
                         f"input's shape {input.shape}")
    return value


def _check_probabilities(name, what, values):
    data = np.asarray(values)
    if not np.all((data >= 0) & (data <= 1)):
        raise ValueError(f"{name}: every element of {what} must be a probability in [0, 1], "
                         f"got values from {np.min(data)} to {np.max(data)}; for logits use "
                         "binary_cross_entropy_with_logits")


def _class_axis(name, input):
    """The class axis: 0 for one unbatched sample (C,), else 1 as PyTorch's (N, C, d1, ...)."""
    if input.ndim == 0:
        raise ShapeError(f"{name}: input needs a class axis, shape (C,), (N, C) or "
                         f"(N, C, d1, ...), got a 0-d input")
    return 0 if input.ndim == 1 else 1


def _class_targets(name, input, target, axis, alternative=""):
    """``target`` as integer class indices (an array for an array or a list, else a Tensor)
    of the input's shape without the class ``axis``; their values are checked by an op
    (`_value_checks`), which reads them under vmap too."""
    expected = input.shape[:axis] + input.shape[axis + 1:]
    target = target if isinstance(target, Tensor) else np.asarray(target)
    if tuple(target.shape) != expected:
        raise ShapeError(f"{name}: input of shape {input.shape} (classes on axis {axis}) needs "
                         f"class-index targets of shape {expected}{alternative}, got target "
                         f"of shape {tuple(target.shape)}")
    if target.dtype.kind not in "iu":
        raise DtypeError(f"{name}: class-index targets must be integers, got dtype "
                         f"{target.dtype}; convert them with target.astype('int64'){alternative}")
    return target


class _Checks(NamedTuple):
    classes: Callable
    total: Callable


@functools.cache
def _value_checks(name):
    """The checks of class-index targets that read values, as ops named after the loss
    ``name`` (their errors begin with it): ``classes(target, classes, ignore_index)`` returns
    the targets, each ignored one (equal to ``ignore_index``) replaced by class 0, once each
    is a class; ``total(total_weight)`` returns a 'mean''s total weight once it is not 0.
    Being ops, they check a whole vmap batch at once (`batching.same`), where a check in
    Python could not read the values."""

    def classes(target, classes, ignore_index):
        outside = (target < 0) | (target >= classes)
        if ignore_index is None:
            kept = True
        else:
            kept = target != ignore_index
            outside &= kept
        if outside.any():
            also = "" if ignore_index is None else f", or ignore_index={ignore_index}"
            raise IndexingError(f"{name}: target class {target[outside][0]} is out of range: "
                                f"the input has {classes} classes, so targets must be 0 to "
                                f"{classes - 1}{also}")
        return np.where(kept, target, 0)

    def total(total_weight):
        if np.any(total_weight == 0):
            raise _nothing_to_average(name)
        return total_weight

    classes.__name__ = total.__name__ = f"_{name}"
    return _Checks(primitive(batch=batching.same)(classes),
                   primitive(view=True, batch=batching.same)(total))


@primitive(batch=batching.same)
def _target_weight(target, weight, ignore_index):
    """weight[y] at each class target y, 0 where y is ``ignore_index`` (an op, for the same
    reason as `_value_checks`)."""
    kept = target != ignore_index
    return np.where(kept, weight[np.where(kept, target, 0)], 0)


def _class_weight(name, weight, input, axis):
    """One weight per class, shape (C,), in the input's dtype (ones when None)."""
    classes = input.shape[axis]
    if weight is None:
        return np.ones(classes, dtype=input.dtype)
    weight = np.asarray(weight, dtype=input.dtype)
    if weight.shape != (classes,):
        raise ShapeError(f"{name}: weight must hold one value per class, shape ({classes},), "
                         f"got shape {weight.shape}")
    return weight


def _along_classes(weight, input, axis):
    """A (C,) weight shaped to broadcast along the input's class ``axis``."""
    return weight.reshape(weight.shape + (1,) * (input.ndim - axis - 1))


# ============================================================ shared pieces
def _reduce(name, losses, reduction, total_weight=None):
    """Apply ``reduction`` to per-element ``losses``. 'mean' divides their sum by
    ``total_weight`` (their count unless given), and refuses to divide by 0 (PyTorch's nan):
    a number is checked here, a tensor (class targets' weights) by an op (`_value_checks`)."""
    if reduction == "none":
        return losses
    total = sum(losses)
    if reduction == "sum":
        return total
    if isinstance(total_weight, Tensor):
        return total / _value_checks(name).total(total_weight)
    total_weight = losses.size if total_weight is None else float(total_weight)
    if total_weight == 0:
        raise _nothing_to_average(name)
    return total / total_weight


def _nothing_to_average(name):
    return ValueError(f"{name}: reduction='mean' has nothing to average (empty input, every "
                      "target equal to ignore_index, or class weights of 0): the result would "
                      "be nan; use reduction='sum' or skip this batch")


def _weighted(losses, weight):
    return losses if weight is None else losses * weight


def _weighted_reduce(name, losses, weight, reduction):
    """``reduction`` of ``losses`` times an elementwise ``weight`` (None: unweighted); 'mean'
    divides by the total weight, as PyTorch's regression losses do."""
    weight = _constant(name, "weight", weight, losses)
    if weight is None:
        return _reduce(name, losses, reduction)
    total = np.broadcast_to(weight, losses.shape).sum()
    return _reduce(name, losses * weight, reduction, total_weight=total)


def _take_class(x, classes, axis):
    """x's entry at each position's class: ``classes`` has x's shape without ``axis``."""
    index = list(np.indices(classes.shape, sparse=True))
    index.insert(axis, classes)
    return x[tuple(index)]


def _clamped_log(p):
    """log(p) floored at -100 (PyTorch's BCE convention); log never sees 0, so there is no
    warning, and no gradient flows where the floor holds."""
    live = np.asarray(p) > np.exp(_LOG_FLOOR)
    return where(live, log(where(live, p, 1)), _LOG_FLOOR)


# ============================================================ fused rules
def _bce_input_rule(s, ans, p, t):
    return s * (p - t) / maximum(p * (1 - p), _BCE_EPS)


def _bce_target_rule(s, ans, p, t):
    return s * (_clamped_log(1 - p) - _clamped_log(p))


# elementwise ops: the reverse and forward rules both scale by the same partial derivative
@primitive(vjp=(_bce_input_rule, _bce_target_rule), jvp=(_bce_input_rule, _bce_target_rule),
           batch=batching.elementwise)
def _binary_cross_entropy(p, t):
    return -(t * _clamped_log(p) + (1 - t) * _clamped_log(1 - p))


def _bce_logits_input_rule(s, ans, x, t, pos_weight):
    return s * ((1 - t) * sigmoid(x) - pos_weight * t * sigmoid(-x))


def _bce_logits_target_rule(s, ans, x, t, pos_weight):
    return s * (pos_weight * logaddexp(0, -x) - logaddexp(0, x))


@primitive(vjp=(_bce_logits_input_rule, _bce_logits_target_rule),
           jvp=(_bce_logits_input_rule, _bce_logits_target_rule), batch=batching.elementwise)
def _binary_cross_entropy_with_logits(x, t, pos_weight):
    # -(pos_weight t log sigmoid(x) + (1 - t) log sigmoid(-x)), as -log sigmoid(x) = softplus(-x)
    return (1 - t) * logaddexp(0, x) + pos_weight * t * logaddexp(0, -x)


# ============================================================ regression losses
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: (input - target)² per element, then ``reduction``; ``weight``
    (the input's shape) rescales each element's loss, and 'mean' then divides by the total
    weight (PyTorch's). ``size_average``/``reduce`` are PyTorch's deprecated flags.

    input and target must have the same shape (PyTorch only warns and broadcasts).

    >>> F.mse_loss(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 4.0]))
    Tensor(2.5)
    """
    reduction = _legacy_reduction("mse_loss", size_average, reduce, reduction)
    input = _prepare("mse_loss", input, reduction)
    diff = input - _float_target("mse_loss", input, target)
    return _weighted_reduce("mse_loss", diff * diff, weight, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: |input - target| per element (gradient 0 where they are equal);
    ``weight`` as in `mse_loss`.

    >>> F.l1_loss(autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 4.0]))
    Tensor(1.5)
    """
    reduction = _legacy_reduction("l1_loss", size_average, reduce, reduction)
    input = _prepare("l1_loss", input, reduction)
    losses = abs(input - _float_target("l1_loss", input, target))
    return _weighted_reduce("l1_loss", losses, weight, reduction)


def _huber(name, input, target, delta):
    """0.5 d² where d = |input - target| < delta, else delta (d - 0.5 delta), written as
    0.5 q² + delta (d - q) with q = min(d, delta): no branch squares an infinite d, so the
    gradient at ±inf is ±delta (PyTorch's), not the nan of inf * 0."""
    d = abs(input - _float_target(name, input, target))
    q = clip(d, None, delta)
    return 0.5 * q * q + delta * (d - q)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss: with d = |input - target|, 0.5 d² where d < delta, else
    delta (d - 0.5 delta): quadratic near the target, linear (robust to outliers) beyond.
    ``weight`` (the input's shape) rescales each element's loss ('mean' still divides by
    their count, as PyTorch's huber_loss; `mse_loss` and `l1_loss` divide by the total weight).

    >>> F.huber_loss(autograd.tensor([0.5, 3.0]), autograd.tensor([0.0, 0.0]))
    Tensor(1.3125)
    """
    input = _prepare("huber_loss", input, reduction)
    delta = float(delta)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    losses = _huber("huber_loss", input, target, delta)  # PyTorch's mean: by the count
    return _reduce("huber_loss", _weighted(losses, _constant("huber_loss", "weight", weight,
                                                             input)), reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1 loss: with d = |input - target|, 0.5 d² / beta where d < beta, else
    d - 0.5 beta (`huber_loss` divided by beta; beta = 0 gives `l1_loss`).

    >>> F.smooth_l1_loss(autograd.tensor([0.5, 3.0]), autograd.tensor([0.0, 0.0]), beta=2.0)
    Tensor(1.03125)
    """
    name = "smooth_l1_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    beta = float(beta)
    if beta < 0:
        raise ValueError(f"{name}: beta must be non-negative, got {beta}")
    if beta == 0:
        return _reduce(name, abs(input - _float_target(name, input, target)), reduction)
    return _reduce(name, _huber(name, input, target, beta) / beta, reduction)


# ============================================================ classification losses
def _class_target_loss(name, log_probs, target, axis, weight, ignore_index, reduction,
                       smoothing, alternative=""):
    """Negative log-likelihood of integer class targets, optionally label-smoothed: per
    position, (1 - smoothing) w[y] (-log p_y) + smoothing / C * sum_c w[c] (-log p_c), 0 where
    the target is ``ignore_index``; 'mean' divides by the sum of w[y] over the others."""
    classes = log_probs.shape[axis]
    target = _class_targets(name, log_probs, target, axis, alternative)
    weight = _class_weight(name, weight, log_probs, axis)
    # an ignored target's class is any valid one (0), its term weighted by 0
    safe_target = _value_checks(name).classes(target, classes=classes, ignore_index=ignore_index)
    target_weight = _target_weight(target, weight=weight, ignore_index=ignore_index)
    losses = -target_weight * _take_class(log_probs, safe_target, axis)
    if smoothing:
        kept = target != ignore_index
        spread = -sum(log_probs * _along_classes(weight, log_probs, axis), axis) * kept
        losses = (1 - smoothing) * losses + (smoothing / classes) * spread
    return _reduce(name, losses, reduction, total_weight=target_weight.sum())


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood: -weight[y] · input[y] for log-probabilities ``input`` of shape
    (C,), (N, C) or (N, C, d1, ...) (classes on axis 1) and integer targets of the input's shape
    without the class axis. Targets equal to ``ignore_index`` count 0; 'mean' is the weighted
    mean: divided by the sum of weight[y] over the other targets.

    >>> log_probs = autograd.log(autograd.tensor([[0.25, 0.75], [0.5, 0.5]]))
    >>> F.nll_loss(log_probs, np.array([1, 0])).round(decimals=4)   # -(log 0.75 + log 0.5) / 2
    Tensor(0.4904)
    """
    reduction = _legacy_reduction("nll_loss", size_average, reduce, reduction)
    input = _prepare("nll_loss", input, reduction)
    return _class_target_loss("nll_loss", input, target, _class_axis("nll_loss", input), weight,
                              ignore_index, reduction, 0.0)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits ``input`` (C,), (N, C) or (N, C, d1, ...), classes on axis 1:
    `nll_loss` of their log-softmax, computed stably for logits of any magnitude.

    ``target`` is either integer class indices (the input's shape without the class axis;
    ``weight`` per class and ``ignore_index`` as in `nll_loss`) or, when it has the input's
    shape, class probabilities (soft labels, e.g. for mixup): then the loss is
    -sum_c weight[c] target[c] log p_c, 'mean' averages over samples, and ``ignore_index``
    does not apply. ``label_smoothing`` ε in [0, 1] mixes the target with the uniform
    distribution: (1 - ε) target + ε / C, PyTorch's formula.

    >>> logits = autograd.tensor([[2.0, 0.0, 0.0]])
    >>> F.cross_entropy(logits, np.array([0])).round(decimals=4)    # -log(e² / (e² + 2))
    Tensor(0.2395)
    >>> F.cross_entropy(logits, autograd.tensor([[0.5, 0.5, 0.0]])).round(decimals=4)  # soft
    Tensor(1.2395)
    """
    name = "cross_entropy"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    _check_fraction(name, "label_smoothing", label_smoothing,
                    "the weight of the uniform distribution mixed into the target")
    label_smoothing = float(label_smoothing)  # a Python float: no upcast of float32 inputs
    axis = _class_axis(name, input)
    log_probs = log_softmax(input, axis)
    if np.shape(target) != input.shape:
        return _class_target_loss(name, log_probs, target, axis, weight, ignore_index, reduction,
                                  label_smoothing, f" (or probabilities of shape {input.shape})")
    target = _float_target(name, input, target)
    classes = input.shape[axis]
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    weight = _along_classes(_class_weight(name, weight, input, axis), input, axis)
    return _reduce(name, -sum(log_probs * target * weight, axis), reduction)


@registered("general", namespace="nn.functional")
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """Binary cross-entropy of probabilities: -(t log p + (1 - t) log(1 - p)) per element,
    each log floored at -100 as in PyTorch, so p = 0 or 1 costs at most 100, never inf.
    ``weight`` (broadcast to the input's shape) rescales each element's loss. For logits use
    `binary_cross_entropy_with_logits`, which stays accurate where sigmoid saturates.

    >>> F.binary_cross_entropy(autograd.tensor([0.8, 0.4]),
    ...                        autograd.tensor([1.0, 0.0])).round(decimals=4)
    Tensor(0.367)
    """
    name = "binary_cross_entropy"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = _float_target(name, input, target)
    _check_probabilities(name, "input", input)
    _check_probabilities(name, "target", target)
    losses = _binary_cross_entropy(input, target)
    return _reduce(name, _weighted(losses, _constant(name, "weight", weight, input)), reduction)


@registered("general", namespace="nn.functional")
def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of logits x with targets t in [0, 1]:
    -(pos_weight · t · log σ(x) + (1 - t) · log(1 - σ(x))) per element, computed without
    overflow for logits of any magnitude; its gradient σ(x) - t (pos_weight 1) is accurate
    even where it is tiny. ``pos_weight`` (e.g. one per class, broadcast along the last axis)
    weighs the positive term: > 1 favours recall. ``weight`` rescales each element's loss.

    >>> F.binary_cross_entropy_with_logits(autograd.tensor([1000.0, -1000.0]),
    ...                                    autograd.tensor([1.0, 0.0]))
    Tensor(0.)
    """
    name = "binary_cross_entropy_with_logits"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = _float_target(name, input, target)
    pos_weight = 1.0 if pos_weight is None else _constant(name, "pos_weight", pos_weight, input)
    losses = _binary_cross_entropy_with_logits(input, target, pos_weight=pos_weight)
    return _reduce(name, _weighted(losses, _constant(name, "weight", weight, input)), reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Multiclass hinge (SVM) loss of scores ``input`` (N, C) or (C,) with integer targets y:
    per sample, weight[y] · sum over j != y of max(0, margin - s_y + s_j) ** p, divided by C.

    The course notes' multiclass SVM loss of one example is
    L = sum over j != y of max(0, s_j - s_y + Δ): with p=1 and margin=Δ this function returns
    L / C per sample (PyTorch's normalization), so the notes' data loss (the mean of L over
    the batch) is ``C * F.multi_margin_loss(scores, y, margin=Δ)``. p=2 squares each hinge.

    >>> scores = autograd.tensor([[3.2, 5.1, -1.7]])   # L = 2.9 + 0 = 2.9 for class 0
    >>> F.multi_margin_loss(scores, np.array([0]))     # 2.9 / 3
    Tensor(0.96666664)
    """
    name = "multi_margin_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    if p not in (1, 2):
        raise ValueError(f"{name}: p must be 1 or 2, got {p!r}")
    if input.ndim not in (1, 2):
        raise ShapeError(f"{name}: input must have shape (N, C) or (C,), got {input.shape}")
    axis = input.ndim - 1
    classes = input.shape[axis]
    target = raw(_value_checks(name).classes(_class_targets(name, input, target, axis),
                                             classes=classes, ignore_index=None))
    hinge = relu(input - expand_dims(_take_class(input, target, axis), axis) + float(margin))
    if p == 2:
        hinge = hinge * hinge
    others = np.arange(classes) != np.expand_dims(target, -1)  # every class but the target's
    weight = _class_weight(name, weight, input, axis)[target]
    return _reduce(name, sum(where(others, hinge, 0), axis) * (weight / classes), reduction)


# ============================================================ divergences and likelihoods
def _operand(name, what, value, input):
    """A second operand of a loss (a target, a variance) as a Tensor of the input's dtype
    that broadcasts with it; it stays in the graph when it is a Tensor."""
    if isinstance(value, Tensor):
        if value.dtype != input.dtype:
            raise DtypeError(f"{name}: {what} has dtype {value.dtype} but input has "
                             f"{input.dtype}; convert one of them with .astype(...)")
    else:
        value = Tensor(np.asarray(value, dtype=input.dtype))
    try:
        np.broadcast_shapes(value.shape, input.shape)
    except ValueError:
        raise ShapeError(f"{name}: input of shape {input.shape} and {what} of shape "
                         f"{value.shape} do not broadcast together") from None
    return value


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence KL(target || p) of log-probabilities ``input``:
    ``target (log target - input)`` per element (0 where target = 0), or with
    ``log_target=True`` (targets given as logs) ``exp(target) (target - input)``.
    ``reduction='batchmean'`` divides the sum by the batch size (the mathematical KL);
    'mean' divides by the number of elements (PyTorch warns about it, as here).

    >>> log_p = autograd.log(autograd.tensor([[0.5, 0.5]]))
    >>> round(F.kl_div(log_p, autograd.tensor([[0.25, 0.75]]), reduction="batchmean").item(), 4)
    0.1308
    """
    name = "kl_div"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    _check_reduction(name, reduction, _REDUCTIONS + ("batchmean",))
    input = _prepare(name, input, "none")
    target = _float_target(name, input, target)
    if log_target:
        losses = exp(target) * (target - input)
    else:
        positive = np.asarray(target) > 0
        losses = where(positive, target * log(where(positive, target, 1)), 0) - target * input
    if reduction == "batchmean":
        total = _reduce(name, losses, "sum")
        return total / input.shape[0] if input.ndim else total
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", UserWarning, stacklevel=2)
    return _reduce(name, losses, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Negative log-likelihood of a Poisson ``target`` with rate exp(input)
    (``log_input=True``: ``exp(input) - target input``) or rate input
    (``input - target log(input + eps)``); ``full`` adds Stirling's approximation of
    log(target!) where target > 1.

    >>> F.poisson_nll_loss(autograd.tensor([0.0]), autograd.tensor([2.0]))
    Tensor(1.)
    """
    name = "poisson_nll_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = _float_target(name, input, target)
    if log_input:
        losses = exp(input) - target * input
    else:
        losses = input - target * log(input + eps)
    if full:
        big = np.asarray(target) > 1
        t = where(big, target, 1)
        losses = losses + where(big, t * log(t) - t + 0.5 * log(2 * math.pi * t), 0)
    return _reduce(name, losses, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log-likelihood of ``target`` under a normal distribution with mean ``input``
    and variance ``var``: ``0.5 (log var + (input - target)² / var)`` (+ 0.5 log 2π with
    ``full``). ``var`` has the input's shape, or lacks its last axis or has size 1 there
    (one variance per sample), or is a number; it is floored at ``eps`` for the value only
    (the gradient passes as if unfloored, as PyTorch's in-place clamp under no_grad).

    >>> F.gaussian_nll_loss(autograd.tensor([0.0]), autograd.tensor([1.0]), autograd.tensor([1.0]))
    Tensor(0.5)
    """
    name = "gaussian_nll_loss"
    input = _prepare(name, input, reduction)
    target = _float_target(name, input, target)
    if isinstance(var, (int, float)):
        var = Tensor(np.full(input.shape, var, dtype=input.dtype))
    var = _as_tensor(var)
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = expand_dims(var, -1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1:] == (1,)):
            raise ShapeError(f"{name}: var is of incorrect size: got shape {var.shape} for an "
                             f"input of shape {input.shape}; expected the input's shape, or it "
                             "without its last axis, or with 1 there")
    if np.any(np.asarray(var) < 0):
        raise ValueError(f"{name}: var has negative entry/entries")
    floored = np.maximum(np.asarray(var), eps)
    var = var + (floored - np.asarray(var)).astype(input.dtype)  # the value floored, the slope 1
    diff = input - target
    losses = 0.5 * (log(var) + diff * diff / var)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return _reduce(name, losses, reduction)


# ============================================================ margin losses
def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                        reduction="mean"):
    """``max(0, -target (input1 - input2) + margin)`` with targets ±1 (1: input1 should rank
    higher).

    >>> F.margin_ranking_loss(autograd.tensor([1.0]), autograd.tensor([2.0]),
    ...                       autograd.tensor([1.0]))
    Tensor(1.)
    """
    name = "margin_ranking_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input1 = _prepare(name, input1, reduction)
    input2, target = _operand(name, "input2", input2, input1), \
        _operand(name, "target", target, input1)
    if not input1.ndim == input2.ndim == target.ndim:
        raise ShapeError(f"{name}: all input tensors should have the same number of dimensions, "
                         f"got shapes {input1.shape}, {input2.shape}, {target.shape}")
    return _reduce(name, relu(-target * (input1 - input2) + float(margin)), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """``input`` where target = 1, ``max(0, margin - input)`` where target = -1 (for
    distances ``input`` between pairs that should be close or apart).

    >>> F.hinge_embedding_loss(autograd.tensor([0.3, 0.3]), autograd.tensor([1.0, -1.0]))
    Tensor(0.5)
    """
    name = "hinge_embedding_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = np.asarray(_float_target(name, input, target))  # only selects: no gradient
    apart = where(target != 1, relu(float(margin) - input), 0)
    return _reduce(name, apart + where(target != -1, input, 0), reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target input))`` per element, targets ±1 (a smooth hinge; not
    differentiable in the target).

    >>> F.soft_margin_loss(autograd.tensor([0.0]), autograd.tensor([1.0])).round(decimals=4)
    Tensor(0.6931)
    """
    name = "soft_margin_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = np.asarray(_float_target(name, input, target))  # a constant, as PyTorch's
    return _reduce(name, logaddexp(0, -target * input), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Binary cross-entropy of logits ``input`` (N, C) with 0/1 ``target``, averaged over
    the C classes of each sample, then ``reduction`` over samples; ``weight`` per class.

    >>> F.multilabel_soft_margin_loss(autograd.tensor([[0.0, 0.0]]),
    ...                               autograd.tensor([[1.0, 0.0]])).round(decimals=4)
    Tensor(0.6931)
    """
    name = "multilabel_soft_margin_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input = _prepare(name, input, reduction)
    target = _float_target(name, input, target)
    losses = target * logaddexp(0, -input) + (1 - target) * logaddexp(0, input)
    losses = _weighted(losses, _constant(name, "weight", weight, input))
    axis = input.ndim - 1
    return _reduce(name, sum(losses, axis) / input.shape[axis], reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                          reduction="mean"):
    """With c the cosine similarity of input1 and input2 along their last axis: ``1 - c``
    where target = 1, ``max(0, c - margin)`` where target = -1.

    >>> F.cosine_embedding_loss(autograd.tensor([[1.0, 0.0]]), autograd.tensor([[0.0, 1.0]]),
    ...                         autograd.tensor([1.0]))
    Tensor(1.)
    """
    name = "cosine_embedding_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    input1 = _prepare(name, input1, reduction)
    input2 = _operand(name, "input2", input2, input1)
    if input1.ndim not in (1, 2) or input1.shape != input2.shape:
        raise ShapeError(f"{name}: input1 and input2 must have one shape, (N, D) or (D,), got "
                         f"{input1.shape} and {input2.shape}")
    target = np.asarray(target)
    if target.shape != input1.shape[:-1]:
        raise ShapeError(f"{name}: target must have shape {input1.shape[:-1]} (one ±1 per "
                         f"pair), got {target.shape}")
    eps = 1e-12  # PyTorch's, added to each squared norm
    dot = sum(input1 * input2, -1)
    cos = dot / sqrt((sum(input1 * input1, -1) + eps) * (sum(input2 * input2, -1) + eps))
    losses = where(target == 1, 1 - cos, 0) + where(target == -1, relu(cos - float(margin)), 0)
    return _reduce(name, losses, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """``max(0, d(anchor, positive) - d(anchor, negative) + margin)``, d the p-norm
    `pairwise_distance`; ``swap`` uses the smaller of d(anchor, negative) and
    d(positive, negative) (Balntas et al. 2016).

    >>> F.triplet_margin_loss(autograd.tensor([[0.0]]), autograd.tensor([[1.0]]),
    ...                       autograd.tensor([[3.0]]), eps=0.0)
    Tensor(0.)
    """
    from .distance import pairwise_distance

    name = "triplet_margin_loss"
    reduction = _legacy_reduction(name, size_average, reduce, reduction)
    anchor = _prepare(name, anchor, reduction)
    positive = _operand(name, "positive", positive, anchor)
    negative = _operand(name, "negative", negative, anchor)
    if not anchor.ndim == positive.ndim == negative.ndim or anchor.ndim not in (1, 2):
        raise ShapeError(f"{name}: anchor, positive and negative must all be (N, D) or (D,), "
                         f"got {anchor.shape}, {positive.shape}, {negative.shape}")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(name, relu(float(margin) + d_pos - d_neg), reduction)
