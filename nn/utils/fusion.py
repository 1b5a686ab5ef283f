"""`fuse_batchnorm`: fold an eval-mode batch norm into the Linear or Conv2d before it."""
import copy

import numpy as np

from autograd import ShapeError, no_grad

from ..functional.normalization import _frozen_affine
from ..modules.conv import Conv2d
from ..modules.linear import Linear
from ..modules.normalization import BatchNorm1d, BatchNorm2d
from ..parameter import Parameter
from .weight_norm import _normalized, remove_weight_norm

__all__ = ["fuse_batchnorm"]

# the batch norm that follows each foldable layer: the one normalizing its output axis 1
_BATCH_NORM_AFTER = {Linear: BatchNorm1d, Conv2d: BatchNorm2d}


def fuse_batchnorm(layer, bn):
    """One layer computing ``bn(layer(x))``, for a `Linear` followed by a `BatchNorm1d` (on
    (N, features) inputs) or a `Conv2d` followed by a `BatchNorm2d`, the batch norm in eval
    mode: at test time batch norm is a fixed per-channel affine map ``y * scale + shift``
    (scale = weight / sqrt(running_var + eps), shift = bias - running_mean * scale), so it
    folds into the layer's weight (each output channel's row or kernel times its scale) and
    bias (``bias * scale + shift``; a layer without bias gets one). Returns a new layer of
    the same type with plain ``weight`` and ``bias`` parameters (a weight-normalized layer
    is folded from its current weight); the two given are unchanged.

    >>> conv, bn = nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8)
    >>> fused = nn.utils.fuse_batchnorm(conv, bn.eval())
    >>> # fused(x) == bn(conv(x)) up to rounding, at the cost of the convolution alone
    """
    expected = next((norm for kind, norm in _BATCH_NORM_AFTER.items()
                     if isinstance(layer, kind)), None)
    if expected is None:
        raise TypeError(f"fuse_batchnorm: layer must be an nn.Linear or nn.Conv2d, got "
                        f"{type(layer).__name__}")
    if not isinstance(bn, expected):
        raise TypeError(f"fuse_batchnorm: bn after a {type(layer).__name__} must be an "
                        f"nn.{expected.__name__} (the batch norm of its output channels), got "
                        f"{type(bn).__name__}; Linear folds with BatchNorm1d, Conv2d with "
                        "BatchNorm2d")
    if bn.training:
        raise ValueError("fuse_batchnorm: bn is in training mode, where it normalizes with each "
                         "batch's own statistics, so it cannot be folded; call bn.eval() first")
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError("fuse_batchnorm: bn has no running statistics "
                         "(track_running_stats=False), so even in eval mode it uses each "
                         "batch's own; only a batch norm with running statistics can be folded")
    weight = layer.weight.numpy()
    if bn.num_features != weight.shape[0]:
        raise ShapeError(f"fuse_batchnorm: {type(layer).__name__} has {weight.shape[0]} "
                         f"output features (weight shape {weight.shape}) but bn normalizes "
                         f"num_features={bn.num_features}; they must be equal")
    with no_grad():
        scale, shift = (t.numpy() for t in _frozen_affine(bn.running_mean, bn.running_var,
                                                        bn.weight, bn.bias, bn.eps))
    bias = 0 if layer.bias is None else layer.bias.numpy()
    fused = copy.deepcopy(layer)  # keeps every setting (stride, groups, ...) of the layer
    for name in _normalized(fused):  # fold weight norm away: the fused weight is plain
        remove_weight_norm(fused, name)
    fused.weight = Parameter(
        (weight * scale.reshape((-1,) + (1,) * (weight.ndim - 1))).astype(weight.dtype))
    fused.bias = Parameter(np.asarray(bias * scale + shift, dtype=weight.dtype))
    return fused
