"""Resampling of images and volumes (PyTorch's `interpolate`) and `pixel_shuffle`.

`interpolate` works one spatial axis at a time: each output position reads ``K`` input
positions along that axis (1 for nearest, 2 for linear, 4 for bicubic, the pooling window for
area) with fixed weights, so the whole op is a gather followed by a weighted sum, linear in
the input, and its gradient is the scatter-add of the weighted gradient (the engine's rules
for indexing and products). The source positions and weights are computed exactly as
PyTorch's CPU kernels compute them (`aten/src/ATen/native/UpSample.h`): the same scale
(``1 / scale_factor`` when a scale factor is given and ``recompute_scale_factor`` is not True,
else ``input_size / output_size``), the same half-pixel offsets, float32 arithmetic for the
nearest modes, bicubic's A = -0.75 with the taps clamped to the border.
"""
import math
import numbers
import warnings

import numpy as np

import autograd
from autograd import DtypeError, ShapeError
from autograd.extend import registered

from ._checks import _as_tensor
from ._gather import _take_along

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle",
           "pixel_unshuffle"]

_LINEAR_MODES = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
_CUBIC_A = -0.75  # PyTorch's (and Keys 1981's) bicubic coefficient


# ============================================================ source positions per axis
def _scale32(n, m, scale):
    """PyTorch's `compute_scales_value<float>`: 1/scale_factor, or input/output size."""
    if scale is not None and scale > 0:
        return np.float32(1.0 / scale)
    return np.float32(n) / np.float32(m)


def _nearest(n, m, scale, exact, spatial):
    i = np.arange(m)
    if m == n and not exact and spatial == 2:  # PyTorch's 2-d kernel copies an unscaled axis
        return i[None], None
    s = _scale32(n, m, scale)
    src = np.float32(i + 0.5) * s if exact else i.astype(np.float32) * s
    return np.minimum(np.floor(src).astype(np.int64), n - 1)[None], None


def _source(n, m, align_corners, scale, cubic):
    """PyTorch's `area_pixel_compute_source_index` for every output position (float64)."""
    i = np.arange(m, dtype=np.float64)
    if align_corners:
        return i * ((n - 1) / (m - 1) if m > 1 else 0.0)
    ratio = 1.0 / scale if scale is not None and scale > 0 else n / m
    src = ratio * (i + 0.5) - 0.5
    return src if cubic else np.maximum(src, 0.0)


def _floor_and_lambda(src, n):
    """PyTorch's `guard_index_and_lambda`: the tap below ``src`` and the fraction past it."""
    index = np.minimum(np.floor(src).astype(np.int64), n - 1)
    return index, np.clip(src - index, 0.0, 1.0)


def _linear(n, m, align_corners, scale):
    if m == n:  # PyTorch copies when the size does not change, whatever the scale
        return np.arange(m)[None], np.ones((1, m))
    i0, lam = _floor_and_lambda(_source(n, m, align_corners, scale, cubic=False), n)
    i1 = i0 + (i0 < n - 1)
    return np.stack([i0, i1]), np.stack([1 - lam, lam])


def _cubic(n, m, align_corners, scale):
    i0, t = _floor_and_lambda(_source(n, m, align_corners, scale, cubic=True), n)
    a = _CUBIC_A

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    weights = np.stack([far(t + 1), near(t), near(1 - t), far(2 - t)])
    index = np.clip(i0[None] + np.arange(-1, 3)[:, None], 0, n - 1)  # the border repeats
    return index, weights


def _area(n, m):
    """Adaptive average pooling's windows [floor(i n / m), ceil((i + 1) n / m)), padded to
    the longest with weight 0."""
    i = np.arange(m)
    start, end = (i * n) // m, -((-(i + 1) * n) // m)
    taps = int((end - start).max(initial=1))
    index = start[None] + np.arange(taps)[:, None]
    inside = index < end[None]
    return np.where(inside, index, start[None]), np.where(inside, 1.0 / (end - start), 0.0)


def _taps(mode, n, m, align_corners, scale, spatial):
    if mode in ("nearest", "nearest-exact"):
        return _nearest(n, m, scale, mode == "nearest-exact", spatial)
    if mode == "area":
        return _area(n, m)
    if mode == "bicubic":
        return _cubic(n, m, align_corners, scale)
    return _linear(n, m, align_corners, scale)


def _resample_axis(x, axis, index, weights):
    """x gathered along ``axis`` at ``index`` (K, m), then summed over K with ``weights``."""
    taps, m = index.shape
    gathered = _take_along(x, index=index.reshape(-1), axis=axis)
    if weights is None:
        return gathered
    gathered = autograd.reshape(gathered, x.shape[:axis] + (taps, m) + x.shape[axis + 1:])
    w = weights.astype(x.dtype).reshape((taps, m) + (1,) * (x.ndim - axis - 1))
    return autograd.sum(gathered * autograd.tensor(w), axis)


# ============================================================ the public function
def _per_axis(owner, name, value, spatial, input_shape):
    if isinstance(value, (list, tuple)):
        if len(value) != spatial:
            raise ShapeError(f"{owner}: Input and output must have the same number of spatial "
                             f"dimensions, but got input with spatial dimensions of "
                             f"{list(input_shape[2:])} and output {name} of {tuple(value)}. "
                             "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                             f"output {name} in (o1, o2, ...,oK) format.")
        return list(value)
    return [value] * spatial


def _output_size(input, size, scale_factor, recompute_scale_factor):
    spatial = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("interpolate: only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("interpolate: recompute_scale_factor is not meaningful with an "
                             "explicit size.")
        sizes = _per_axis("interpolate", "size", size, spatial, input.shape)
        if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in sizes):
            raise TypeError(f"interpolate: size must be ints, got {size!r}")
        return [int(s) for s in sizes], [None] * spatial
    if scale_factor is None:
        raise ValueError("interpolate: either size or scale_factor should be defined")
    scales = [float(s) for s in _per_axis("interpolate", "scale_factor", scale_factor,
                                          spatial, input.shape)]
    sizes = [math.floor(n * s) for n, s in zip(input.shape[2:], scales)]
    return sizes, [None] * spatial if recompute_scale_factor else scales


@registered("linear", namespace="nn.functional")
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """``input`` (N, C, d1[, d2[, d3]]) resampled to ``size`` (an int or one per spatial
    axis) or by ``scale_factor``, as PyTorch's ``F.interpolate``: ``mode`` 'nearest',
    'nearest-exact', 'linear' (3-d input), 'bilinear' and 'bicubic' (4-d), 'trilinear'
    (5-d) or 'area' (adaptive average pooling). ``align_corners`` (the linear and cubic
    modes; default False) maps the corner pixels' centres onto each other. Differentiable
    (linear in the input) in every mode; ``antialias`` is not supported.

    >>> x = autograd.tensor([[[0.0, 1.0]]])
    >>> F.interpolate(x, scale_factor=2).tolist()
    [[[0.0, 0.0, 1.0, 1.0]]]
    >>> F.interpolate(x, size=4, mode="linear").tolist()
    [[[0.0, 0.25, 0.75, 1.0]]]
    """
    input = _as_tensor(input)
    if mode not in _MODES:
        raise NotImplementedError(f"interpolate: mode={mode!r} is not one of "
                                  f"{' | '.join(_MODES)}")
    if input.ndim not in (3, 4, 5):
        raise ShapeError(f"interpolate: only 3-d, 4-d and 5-d inputs (N, C, d1, ...) are "
                         f"supported, got an input of shape {input.shape}")
    if mode in _LINEAR_MODES and input.ndim != _LINEAR_MODES[mode] + 2:
        raise ShapeError(f"interpolate: {mode} mode needs a {_LINEAR_MODES[mode] + 2}-d input, "
                         f"got an input of shape {input.shape}")
    if align_corners is not None and mode not in _LINEAR_MODES:
        raise ValueError("interpolate: align_corners option can only be set with the "
                         "interpolating modes: linear | bilinear | bicubic | trilinear")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    if mode not in ("nearest", "nearest-exact") and input.dtype.kind != "f":
        raise DtypeError(f"interpolate: mode {mode!r} needs a floating-point input, got dtype "
                         f"{input.dtype}")
    sizes, scales = _output_size(input, size, scale_factor, recompute_scale_factor)
    if min(sizes) < (mode != "area") or min(input.shape[2:]) <= 0:
        raise ShapeError(f"interpolate: input and output sizes should be greater than 0, but "
                         f"got input of shape {input.shape} and output size {tuple(sizes)}")
    for axis, (n, m, scale) in enumerate(zip(input.shape[2:], sizes, scales), start=2):
        index, weights = _taps(mode, n, m, bool(align_corners), scale, len(sizes))
        input = _resample_axis(input, axis, index, weights)
    return input


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated spelling of `interpolate` (PyTorch warns the same way).

    >>> import warnings
    >>> with warnings.catch_warnings(action="ignore"):
    ...     F.upsample(autograd.tensor([[[1.0]]]), scale_factor=2).tolist()
    [[[1.0, 1.0]]]
    """
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate "
                  "instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(input, size, scale_factor, mode='nearest')``.

    >>> import warnings
    >>> with warnings.catch_warnings(action="ignore"):
    ...     F.upsample_nearest(autograd.zeros(1, 1, 2, 2), scale_factor=2).shape
    (1, 1, 4, 4)
    """
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use "
                  "nn.functional.interpolate instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(input, size, scale_factor, mode='bilinear',
    align_corners=True)``.

    >>> import warnings
    >>> with warnings.catch_warnings(action="ignore"):
    ...     F.upsample_bilinear(autograd.zeros(1, 1, 2, 2), size=3).shape
    (1, 1, 3, 3)
    """
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use "
                  "nn.functional.interpolate instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ============================================================ pixel shuffle
def _check_shuffle(owner, input, factor):
    if isinstance(factor, bool) or not isinstance(factor, numbers.Integral) or factor <= 0:
        raise ValueError(f"{owner}: the factor must be a positive int, got {factor!r}")
    if input.ndim < 3:
        raise ShapeError(f"{owner}: expects input to have at least 3 dimensions, but got "
                         f"input of shape {input.shape}")


def pixel_shuffle(input, upscale_factor):
    """(*, C r², H, W) -> (*, C, H r, W r): each group of r² channels becomes an r x r block
    of pixels (Shi et al. 2016), r = ``upscale_factor``.

    >>> F.pixel_shuffle(autograd.arange(4.0).reshape(1, 4, 1, 1), 2).tolist()
    [[[[0.0, 1.0], [2.0, 3.0]]]]
    """
    input = _as_tensor(input)
    _check_shuffle("pixel_shuffle", input, upscale_factor)
    r = int(upscale_factor)
    *batch, c, h, w = input.shape
    if c % (r * r):
        raise ShapeError(f"pixel_shuffle: expects its input's 'channel' dimension to be "
                         f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                         f"is not divisible by {r * r} (input of shape {input.shape})")
    k = len(batch)
    x = autograd.reshape(input, (*batch, c // (r * r), r, r, h, w))
    x = autograd.permute(x, (*range(k), k, k + 3, k + 1, k + 4, k + 2))
    return autograd.reshape(x, (*batch, c // (r * r), h * r, w * r))


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r², H, W), the inverse of `pixel_shuffle`.

    >>> F.pixel_unshuffle(autograd.arange(4.0).reshape(1, 1, 2, 2), 2).flatten().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    input = _as_tensor(input)
    _check_shuffle("pixel_unshuffle", input, downscale_factor)
    r = int(downscale_factor)
    *batch, c, h, w = input.shape
    for name, axis, size in (("height", -2, h), ("width", -1, w)):
        if size % r:
            raise ShapeError(f"pixel_unshuffle: expects {name} to be divisible by "
                             f"downscale_factor, but input.size({axis})={size} is not "
                             f"divisible by {r} (input of shape {input.shape})")
    k = len(batch)
    x = autograd.reshape(input, (*batch, c, h // r, r, w // r, r))
    x = autograd.permute(x, (*range(k), k, k + 2, k + 4, k + 1, k + 3))
    return autograd.reshape(x, (*batch, c * r * r, h // r, w // r))
