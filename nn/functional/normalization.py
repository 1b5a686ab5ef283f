"""Normalization functions: batch, layer, group and instance norm.

All four standardize x over some axes, ``(x - mean) / sqrt(var + eps)`` with the biased
variance, then scale and shift. That standardization is one core rule, `_standardize`, whose
reverse rule is the closed-form batch-norm gradient; its statistics are computed once per
forward (`_standardized`) and reused by the running buffers and the backward. The norms
differ only in the axes they standardize over (and batch/instance norm in their running
statistics).
"""
import math

import numpy as np

from autograd import ShapeError, Tensor, no_grad, reshape, sqrt, var
from autograd import mean as mean_of
from autograd.extend import batching, primitive, raw, registered

from . import _batching
from ._checks import _accepts_array_likes, _check_floating, _check_fraction

__all__ = ["batch_norm", "layer_norm", "group_norm", "instance_norm"]


def _sum(a, axes, b=None):
    """The sum of a (of a * b, given b) over ``axes``, kept as size-1 axes, in float64. The
    trailing run of ``axes`` is merged into contiguous rows, each reduced in a's dtype by one
    dot product (with ones, or b: no temporary) or, for rows of over 4096 values, by pairwise
    summation, and only those row sums are added up over the other axes in float64: over
    (0, 2, 3) of (32, 16, 32, 32) float32 images 3-5x faster than ``np.sum`` with a float64
    accumulator, and as accurate for the statistics (measured: variances to 1e-7 relative,
    means of 1e4 + N(0, 1) to 2e-4)."""
    k = 0  # how many trailing axes are reduced
    while k < a.ndim and a.ndim - 1 - k in axes:
        k += 1
    if k == 0:
        return np.sum(a if b is None else a * b, axis=axes, keepdims=True, dtype=np.float64)
    lead = a.shape[:a.ndim - k]
    rows = (*lead, math.prod(a.shape[a.ndim - k:]))
    a, b = a.reshape(rows), None if b is None else b.reshape(rows)
    if rows[-1] <= 4096:  # a dot product sums in float32 lanes: fine for short rows only
        partial = a @ np.ones(rows[-1], a.dtype) if b is None else \
            (a[..., None, :] @ b[..., :, None])[..., 0, 0]  # np.vecdot from numpy 2.0 on
    else:
        partial = np.add.reduce(a if b is None else a * b, axis=-1)
    total = np.sum(partial, axis=tuple(ax for ax in axes if ax < len(lead)), keepdims=True,
                   dtype=np.float64)
    return total.reshape(total.shape + (1,) * k)


def _spread(v, shape):
    """v, broadcasting to ``shape``, as an array numpy combines with an array of ``shape``
    faster: when v varies along a middle axis only (a channel's statistic or weight over
    (N, C, H, W) images), copied along its trailing axes to (1, C, H, W). numpy then runs one
    contiguous loop per image instead of one per (image, channel) row, with a stride-0
    operand: measured 1.4-1.6x faster per operation on (32, 32, 16, 16) float32. A Tensor
    (a recorded rule) is left as it is."""
    if isinstance(v, Tensor):
        return v
    full = (1,) * (len(shape) - v.ndim) + v.shape
    j = len(shape)  # v broadcasts along shape[j:]
    while j and full[j - 1] == 1 != shape[j - 1]:
        j -= 1
    if j == len(shape) or math.prod(n for n, m in zip(shape[:j], full) if m == 1) < 8:
        return v  # a copy would be too large beside the saving
    return np.ascontiguousarray(np.broadcast_to(v.reshape(full), full[:j] + tuple(shape[j:])))


def _moments(data, axes):
    """Mean and biased variance of the ndarray ``data`` over ``axes`` (kept as size-1 axes),
    from per-group sums (`_sum`): in one pass, E[x^2] - E[x]^2, where that is as accurate as
    centering first, and in two passes otherwise. The difference cancels the digits of E[x^2]
    that E[x]^2 shares, so it keeps them only while every group's mean^2 is at most its
    variance (then its error is at most twice the two-pass one; float32 (32, 16, 32, 32):
    3e-8 relative at mean = std for both, 7e-7 against 2e-8 at mean = 3 std, and at
    1e4 + N(0, 1) no digit left: there the two-pass form keeps the variance to 1e-6)."""
    n = math.prod(data.shape[a] for a in axes)
    mean = _sum(data, axes) / n
    var = _sum(data, axes, data) / n - mean * mean
    if np.all(mean * mean <= var):  # False for NaN too
        return mean.astype(data.dtype), var.astype(data.dtype)
    mean = mean.astype(data.dtype)
    centered = data - _spread(mean, data.shape)
    return mean, (_sum(centered, axes, centered) / n).astype(data.dtype)


@primitive(batch=batching.axis)
def _statistics(x, axis):
    """x's mean and biased variance over ``axis`` (`_moments`; kept as size-1 axes), stacked
    on a new last axis. An op (not differentiable: `_standardize`'s rules treat them as the
    functions of x they are), so that under vmap they are computed for every sample at once."""
    return np.stack(_moments(x, axis), axis=-1)


def _standardized(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over ``axes`` (biased variance), and the `_statistics` it
    used: they are computed once, here, for the output, the running buffers and the backward
    alike."""
    stats = _statistics(x, axis=axes)
    return _standardize(x, stats, axes=axes, eps=eps), stats


def _standardize_rule(s, ans, x, stats, axes, eps):
    """The closed-form gradient (CS231n's simplified batch-norm backward), with
    y = ans = (x - mean) * inv_std over ``axes`` and n values per group:

        dx = (dy - mean(dy) - y * mean(dy * y)) * inv_std

    (the two per-group sums of dy and dy * y). Its Jacobian, (I - 1/n - y yᵀ/n) * inv_std,
    is symmetric, so the same formula is the forward rule (``s`` a tangent) as well as the
    reverse one (``s`` a gradient). A plain backward takes inv_std from the forward's
    statistics; a recorded one (create_graph, forward mode: x is then a Tensor) recomputes
    it from x with core ops, so that derivatives of this gradient see inv_std's dependence
    on x."""
    if isinstance(x, Tensor) or isinstance(s, Tensor):
        inv_std = 1 / sqrt(var(x, axes, keepdim=True, correction=0) + eps)
        return inv_std * (s - mean_of(s, axes, keepdims=True) -
                          ans * mean_of(s * ans, axes, keepdims=True))
    inv_std = _inverse_std(stats[..., 1], eps)
    n = ans.size // inv_std.size
    dtype = np.result_type(s, ans)
    out = ans * _spread((_sum(s, axes, ans) / n).astype(dtype), ans.shape)  # four passes
    np.subtract(s, out, out=out)                                            # over one buffer
    out -= _spread((_sum(s, axes) / n).astype(dtype), ans.shape)
    out *= _spread(inv_std, ans.shape)
    return out


def _inverse_std(var, eps):
    return 1 / np.sqrt(var + eps)


@primitive(vjp=(_standardize_rule, None), jvp=(_standardize_rule, None),
           batch=_batching.standardize)
def _standardize(x, stats, axes, eps):
    """(x - mean) * inv_std, where mean and inv_std = 1 / sqrt(var + eps) are x's own over
    ``axes`` (``stats``, from `_statistics`): one fused op whose rules treat them as the
    functions of x they are (its backward is a few reductions instead of a walk back through
    the ten or so ops of the composition: measured 1.7x faster forward+backward on (64, 256),
    2.5x on (32, 16, 8, 8)). Call it through `_standardized`, which computes them."""
    out = x - _spread(stats[..., 0], x.shape)
    out *= _spread(_inverse_std(stats[..., 1], eps), x.shape)
    return out


def _channel_shape(x):
    """The shape that broadcasts a per-channel vector over x: (1, C, 1, ..., 1)."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _affine(y, weight, bias, shape):
    """y * weight + bias, each (when given) reshaped to ``shape`` to broadcast."""
    if weight is not None and bias is not None:
        return _scale_shift(y, reshape(weight, shape), reshape(bias, shape))
    if weight is not None:
        return y * reshape(weight, shape)
    if bias is not None:
        return y + reshape(bias, shape)
    return y


def _sum_like(g, v, y=None):
    """g's (g * y's) sum over the axes that ``v`` broadcasts along, in v's shape and dtype:
    v's gradient in `_scale_shift`, by `_sum` (no full-size product on the plain path)."""
    if isinstance(g, Tensor) or isinstance(y, Tensor):  # recorded: the engine sums
        return g if y is None else g * y
    lead = g.ndim - v.ndim
    axes = tuple(i for i in range(g.ndim) if i < lead or v.shape[i - lead] == 1 < g.shape[i])
    return _sum(g, axes, y).reshape(v.shape).astype(v.dtype)


@primitive(vjp=(lambda g, ans, y, weight, bias: g * _spread(weight, g.shape),
                lambda g, ans, y, weight, bias: _sum_like(g, weight, y),
                lambda g, ans, y, weight, bias: _sum_like(g, bias)),
           jvp=(lambda t, ans, y, weight, bias: t * weight,
                lambda t, ans, y, weight, bias: y * t,
                lambda t, ans, y, weight, bias: t),
           saves=("weight", "y", ""), batch=batching.elementwise)
def _scale_shift(y, weight, bias):
    """y * weight + bias (broadcasting), the norms' affine step as one op: one buffer
    instead of two in the forward, and weight and bias gradients summed without a
    full-size product (measured on (32, 16, 32, 32) float32: 1.1 -> 0.7 ms fwd+bwd)."""
    out = np.multiply(y, _spread(weight, y.shape), dtype=np.result_type(y, weight, bias))
    out += _spread(bias, y.shape)
    return out


def _frozen_affine(running_mean, running_var, weight, bias, eps):
    """(scale, shift), per channel, such that eval-mode batch norm is x * scale + shift:
    scale = weight / sqrt(running_var + eps), shift = bias - running_mean * scale. This is
    the notes' "at test time batch norm is a linear operator" (and PyTorch's CPU eval path);
    `nn.utils.fuse_batchnorm` folds it into the preceding layer."""
    scale = 1 / sqrt(running_var + eps)
    if weight is not None:
        scale = scale * weight
    shift = -running_mean * scale
    return scale, shift if bias is None else shift + bias


@primitive(batch=_batching.running_statistic)
def _running_statistic(running, stats, index, factor, momentum, fn):
    """PyTorch's update of a running statistic, its new value: (1 - momentum) * running +
    momentum * the input's statistic ``index`` (of `_statistics`: 0 the mean, 1 the biased
    variance) times ``factor``, averaged over the samples for instance norm (over the
    leading axes of stats that running lacks; a running buffer with a vmap batch axis has a
    row per sample). An op, so that under vmap its rule sees whether the buffer is batched
    where the input is (``fn``, the norm, names it in the refusal)."""
    channels = running.shape[-1]
    new = stats[..., index].reshape(running.shape[:-1] + (-1, channels)).mean(-2) * factor
    return (1 - momentum) * running + momentum * new


def _blend(running, stats, index, factor, momentum, fn):
    """The running statistic changed in place to `_running_statistic`'s value, counted in the
    buffer's version (an eval-mode graph that saved it notices)."""
    value = _running_statistic(running, stats, index=index, factor=factor, momentum=momentum,
                               fn=fn)
    if isinstance(running, Tensor):
        with no_grad():
            running.copy_(value)
    else:
        running[...] = raw(value)


def _check_per_channel(fn, x, **vectors):
    """Each given per-channel vector (weight, running_mean...) must have one entry per
    channel of x (axis 1)."""
    for name, v in vectors.items():
        if v is not None and np.shape(v) != (x.shape[1],):
            raise ShapeError(f"{fn}: {name} has shape {np.shape(v)} but the input (shape "
                             f"{x.shape}) has {x.shape[1]} channels on axis 1; pass one value "
                             "per channel")


def _as_shape(normalized_shape):
    """layer norm's normalized_shape, given as an int or a sequence, as a tuple."""
    if isinstance(normalized_shape, (int, np.integer)):
        return (int(normalized_shape),)
    return tuple(normalized_shape)


def _check_ndim(fn, x, least, layout):
    if np.ndim(x) < least:
        raise ShapeError(f"{fn}: expected an input of at least {least} dimensions {layout}, "
                         f"got shape {np.shape(x)}")


def _normalize(fn, x, axes, running_mean, running_var, weight, bias, use_input_stats,
               momentum, eps, what):
    """The body of batch and instance norm, which differ only in ``axes``: standardize over
    them with this input's statistics, blending those into the running buffers when given
    (averaged over the samples for instance norm), or else apply the running statistics."""
    _check_floating(fn, x)
    _check_per_channel(fn, x, running_mean=running_mean, running_var=running_var,
                       weight=weight, bias=bias)
    shape = _channel_shape(x)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError(f"{fn}: running_mean and running_var are needed to normalize "
                             "without the input's own statistics; pass them, or use the "
                             "input's statistics (training=True / use_input_stats=True)")
        return _affine(x, *_frozen_affine(running_mean, running_var, weight, bias, eps), shape)
    if int(np.prod([x.shape[a] for a in axes])) < 2:  # var of one value: 0, unbiased: 0/0
        raise ShapeError(f"{fn}: expected more than 1 value per channel when training, got "
                         f"input of shape {x.shape}; {what}")
    if running_mean is not None or running_var is not None:
        _check_fraction(fn, "momentum", momentum, "the weight of this input's statistics in "
                        "the running ones; momentum=None, a cumulative average, needs the "
                        "count of batches seen, which only the BatchNorm layers keep")
    y, stats = _standardized(x, axes, eps)
    if running_mean is not None:
        _blend(running_mean, stats, 0, 1, momentum, fn)
    if running_var is not None:
        n = y.size // (stats.size // 2)  # values per statistic
        _blend(running_var, stats, 1, n / (n - 1), momentum, fn)
    return _affine(y, weight, bias, shape)


@registered("general", namespace="nn.functional")
@_accepts_array_likes
def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Batch normalization of x (N, C) or (N, C, *): per channel, over the batch and the
    positions, ``(x - mean) / sqrt(var + eps) * weight + bias``.

    training=True: uses this batch's mean and biased variance, and, when running_mean and
    running_var are given, updates them in place as PyTorch does:
    ``running = (1 - momentum) * running + momentum * batch_stat`` with the *unbiased* batch
    variance. Its backward is the closed-form batch-norm gradient (one fused rule).
    training=False: uses running_mean and running_var instead (the layer is then affine).

    >>> x = autograd.tensor([[1.0, 10.0], [3.0, 30.0]])
    >>> mu, v = autograd.zeros(2), autograd.ones(2)
    >>> F.batch_norm(x, mu, v, training=True).round(decimals=4)   # each column standardized
    Tensor([[-1., -1.],
            [ 1.,  1.]])
    >>> mu                                          # 0.9 * 0 + 0.1 * [2, 20], in place
    Tensor([0.2, 2. ])
    """
    _check_ndim("batch_norm", x, 2, "(N, C) or (N, C, ...)")
    return _normalize("batch_norm", x, (0,) + tuple(range(2, x.ndim)), running_mean,
                      running_var, weight, bias, training, momentum, eps,
                      "use a batch of more than one sample, or eval mode")


@registered("general", namespace="nn.functional")
@_accepts_array_likes
def instance_norm(x, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Instance normalization of x (N, C, *): each sample's channel is standardized over its
    own positions, then ``* weight + bias`` per channel.

    With running_mean/running_var given and use_input_stats=True they are updated in place
    (as batch norm's, each statistic averaged over the batch); use_input_stats=False
    normalizes with them instead, as batch norm in eval mode (PyTorch's semantics).

    >>> x = autograd.tensor([[[[0.0, 2.0]], [[1.0, 1.0]]]])   # (1, 2, 1, 2)
    >>> F.instance_norm(x).round(decimals=4)
    Tensor([[[[-1.,  1.]],
    <BLANKLINE>
             [[ 0.,  0.]]]])
    """
    _check_ndim("instance_norm", x, 3, "(N, C, ...)")
    return _normalize("instance_norm", x, tuple(range(2, x.ndim)), running_mean, running_var,
                      weight, bias, use_input_stats, momentum, eps,
                      "use inputs with more than one position (spatial element)")


@registered("general", namespace="nn.functional")
@_accepts_array_likes
def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalization: standardize each sample over its last ``len(normalized_shape)``
    axes, then ``* weight + bias`` (both of shape ``normalized_shape``, elementwise).

    >>> x = autograd.tensor([[1.0, 2.0, 3.0]])
    >>> F.layer_norm(x, 3).round(decimals=4)
    Tensor([[-1.2247,  0.    ,  1.2247]])
    """
    _check_floating("layer_norm", x)
    normalized_shape = _as_shape(normalized_shape)
    k = len(normalized_shape)
    if tuple(np.shape(x)[-k:]) != normalized_shape:
        raise ShapeError(f"layer_norm: the input's trailing shape must be normalized_shape "
                         f"{normalized_shape}, got an input of shape {np.shape(x)}")
    for name, v in (("weight", weight), ("bias", bias)):
        if v is not None and np.shape(v) != normalized_shape:
            raise ShapeError(f"layer_norm: {name} has shape {np.shape(v)}; it must be "
                             f"normalized_shape {normalized_shape}")
    axes = tuple(range(x.ndim - k, x.ndim))
    return _affine(_standardized(x, axes, eps)[0], weight, bias, normalized_shape)


@registered("general", namespace="nn.functional")
@_accepts_array_likes
def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalization of x (N, C, *): the C channels are split into ``num_groups``
    groups of consecutive channels, each sample's group standardized over its channels and
    positions, then ``* weight + bias`` per channel. num_groups=1 is layer norm over
    (C, *); num_groups=C is instance norm.

    >>> x = autograd.tensor([[0.0, 2.0, 5.0, 5.0]])   # (1, 4): two groups of two channels
    >>> F.group_norm(x, 2).round(decimals=4)
    Tensor([[-1.,  1.,  0.,  0.]])
    """
    _check_ndim("group_norm", x, 2, "(N, C) or (N, C, ...)")
    _check_floating("group_norm", x)
    if num_groups < 1 or x.shape[1] % num_groups:
        raise ShapeError(f"group_norm: the input's {x.shape[1]} channels (shape {x.shape}) "
                         f"cannot be split into num_groups={num_groups} equal groups; use a "
                         "num_groups that divides the channel count")
    _check_per_channel("group_norm", x, weight=weight, bias=bias)
    grouped = _standardized(reshape(x, (x.shape[0], num_groups, -1)), (2,), eps)[0]
    return _affine(reshape(grouped, x.shape), weight, bias, _channel_shape(x))
