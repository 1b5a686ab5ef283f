"""Normalization layers: `BatchNorm1d`, `BatchNorm2d`, `InstanceNorm2d`, `LayerNorm`,
`GroupNorm`. Parameters, buffers and their state_dict names are PyTorch's."""
import numpy as np

import autograd
from autograd import ShapeError

from ..functional import normalization as functions
from ..functional._checks import _check_fraction
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm2d", "LayerNorm", "GroupNorm"]


def _check_channels(layer, x, expected, layout):
    if x.shape[1] != expected:
        raise ShapeError(f"{layer}: expected {expected} channels on axis 1 of an input "
                         f"{layout}, got an input of shape {x.shape}")


def _affine_parameters(layer, shape, affine, bias=True):
    """weight = ones and bias = zeros of ``shape`` (PyTorch's initialization), or None."""
    layer.register_parameter("weight", Parameter(autograd.ones(shape)) if affine else None)
    layer.register_parameter("bias", Parameter(autograd.zeros(shape)) if affine and bias else None)


class _RunningNorm(Module):
    """Batch and instance norm: per-channel affine parameters and, with
    ``track_running_stats``, the running mean and variance (updated in training, used in
    eval) and the count of batches seen. Subclasses name the function and input layouts."""

    _input_kind = "float"  # see Module._input_kind

    # the function behind the layer, called as (x, running_mean, running_var, weight, bias,
    # use_input_stats, momentum, eps), and the accepted inputs: ndim -> layout
    _function = None
    _layouts = {}
    # PyTorch's batch norm counts the batches it trains on (momentum=None averages over
    # them); its instance norm keeps the counter but never advances it
    _counts_batches = True

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True):
        super().__init__()
        name = type(self).__name__
        if int(num_features) != num_features or num_features < 1:
            raise ValueError(f"{name}: num_features must be a positive integer, "
                             f"got {num_features!r}")
        if eps < 0:
            raise ValueError(f"{name}: eps must be >= 0, got {eps}")
        if momentum is not None:
            _check_fraction(name, "momentum", momentum, "or None for a cumulative average")
        self.num_features, self.eps, self.momentum = int(num_features), eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _affine_parameters(self, self.num_features, affine)
        tracked = track_running_stats
        self.register_buffer("running_mean", autograd.zeros(self.num_features) if tracked else None)
        self.register_buffer("running_var", autograd.ones(self.num_features) if tracked else None)
        self.register_buffer("num_batches_tracked",
                             autograd.tensor(0, dtype="int64") if tracked else None)

    def forward(self, x):
        if np.ndim(x) not in self._layouts:
            raise ShapeError(f"{type(self).__name__}: expected an input of shape "
                             f"{' or '.join(self._layouts.values())}, got shape {np.shape(x)}")
        _check_channels(type(self).__name__, x, self.num_features, self._layouts[x.ndim])
        counting = self.training and self.track_running_stats and self._counts_batches
        momentum = self.momentum
        if momentum is None:  # cumulative average: batch k gets weight 1/k (no count: 0)
            momentum = 1 / (self.num_batches_tracked.item() + 1) if counting else 0.0
        out = self._function(x, self.running_mean, self.running_var, self.weight, self.bias,
                             self.training or not self.track_running_stats, momentum, self.eps)
        if counting:
            self.num_batches_tracked.add_(1)
        return out

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_RunningNorm):
    """Batch normalization over (N, C) or (N, C, L) inputs: each channel is standardized
    with the batch's mean and (biased) variance in training, with the running statistics in
    eval, then scaled by ``weight`` (init 1) and shifted by ``bias`` (init 0).

    Running statistics follow PyTorch: ``running = (1 - momentum) * running + momentum *
    batch_stat`` after each training batch, with the *unbiased* batch variance;
    ``momentum=None`` makes them a cumulative average. ``track_running_stats=False`` keeps
    no buffers and always uses batch statistics. Buffers: ``running_mean``, ``running_var``,
    ``num_batches_tracked``.

    >>> bn = nn.BatchNorm1d(3)
    >>> y = bn(autograd.randn(8, 3))       # each column of y: mean 0, variance ≈ 1
    >>> bn.eval()(autograd.randn(2, 3)).shape   # now (x - running_mean) / sqrt(running_var + eps)
    (2, 3)
    """

    _function = staticmethod(functions.batch_norm)
    _layouts = {2: "(N, C)", 3: "(N, C, L)"}


class BatchNorm2d(_RunningNorm):
    """Batch normalization of images (N, C, H, W), per channel over the batch and all
    positions ("spatial batch norm"); otherwise as `BatchNorm1d`.

    >>> bn = nn.BatchNorm2d(16)
    >>> bn(autograd.randn(4, 16, 8, 8)).shape
    (4, 16, 8, 8)
    """

    _function = staticmethod(functions.batch_norm)
    _layouts = {4: "(N, C, H, W)"}


class BatchNorm3d(_RunningNorm):
    """Batch normalization of volumes (N, C, D, H, W), per channel over the batch and all
    positions; otherwise as `BatchNorm1d`.

    >>> bn = nn.BatchNorm3d(4)
    >>> bn(autograd.randn(2, 4, 3, 5, 5)).shape
    (2, 4, 3, 5, 5)
    """

    _function = staticmethod(functions.batch_norm)
    _layouts = {5: "(N, C, D, H, W)"}


class InstanceNorm2d(_RunningNorm):
    """Instance normalization of images (N, C, H, W): each sample's channel is standardized
    over its own H x W positions; the same in training and eval unless
    ``track_running_stats=True``, when eval uses running statistics. No affine parameters by
    default (PyTorch's defaults).

    The running statistics follow PyTorch exactly: each training call blends the input's
    per-sample statistics, averaged over the samples, in with ``momentum`` (the variance
    unbiased), as `BatchNorm2d` does; but ``num_batches_tracked`` stays 0, so
    ``momentum=None`` (a cumulative average for batch norm) leaves them unchanged.

    >>> norm = nn.InstanceNorm2d(3)
    >>> norm(autograd.randn(2, 3, 4, 4)).shape
    (2, 3, 4, 4)
    """

    _function = staticmethod(functions.instance_norm)
    _layouts = {4: "(N, C, H, W)"}
    _counts_batches = False

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False):
        super().__init__(num_features, eps, momentum, affine, track_running_stats)


class LayerNorm(Module):
    """Layer normalization: each sample is standardized over its last dimensions
    (``normalized_shape``), then scaled and shifted elementwise by ``weight`` (init 1) and
    ``bias`` (init 0), both of shape ``normalized_shape``. The same in training and eval.

    >>> norm = nn.LayerNorm(4)
    >>> norm(autograd.tensor([[1.0, 2.0, 3.0, 4.0]])).numpy().round(3)
    array([[-1.342, -0.447,  0.447,  1.342]], dtype=float32)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True):
        super().__init__()
        shape = functions._as_shape(normalized_shape)
        if not shape or any(int(n) != n or n < 1 for n in shape):
            raise ValueError(f"LayerNorm: normalized_shape must be a positive integer or a "
                             f"non-empty tuple of them, got {normalized_shape!r}")
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias)

    def forward(self, x):
        return functions.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Group normalization of (N, C, *) inputs: the channels are split into ``num_groups``
    groups, each sample's group standardized over its channels and positions, then scaled
    and shifted per channel (``weight`` init 1, ``bias`` init 0). Independent of the batch
    size, and the same in training and eval.

    >>> norm = nn.GroupNorm(2, 4)
    >>> norm(autograd.randn(3, 4, 5, 5)).shape
    (3, 4, 5, 5)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True):
        super().__init__()
        if num_groups < 1 or num_channels < 1 or num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels={num_channels} must split into "
                             f"num_groups={num_groups} equal groups (both positive, "
                             "num_groups dividing num_channels)")
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        _affine_parameters(self, num_channels, affine)

    def forward(self, x):
        if np.ndim(x) >= 2:
            _check_channels("GroupNorm", x, self.num_channels, "(N, C, ...)")
        return functions.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
