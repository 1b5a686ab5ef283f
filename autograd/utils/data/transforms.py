"""Augmentation of image batches (N, C, H, W), torchvision's names, random per sample.

Each transform draws from the library's generator (``autograd.manual_seed`` repeats it) and
returns what it was given: an array for an array, a Tensor for a Tensor, same dtype (integer
images come out of ColorJitter and MixUp as floats). They act
on data, so a Tensor that requires grad is refused rather than silently cut from its graph.
"""
import numbers

import numpy as np

import autograd
from autograd import ShapeError


def _rng():
    return autograd.default_generator


def _pair(name, arg, value):
    pair = (value, value) if isinstance(value, numbers.Integral) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, numbers.Integral) and v > 0 for v in pair):
        raise ValueError(f"{name}: {arg} must be a positive integer or a pair of them, "
                         f"got {value!r}")
    return tuple(int(v) for v in pair)


def _probability(name, p):
    if not isinstance(p, numbers.Real) or not 0 <= p <= 1:
        raise ValueError(f"{name}: p must be a probability in [0, 1], got {p!r}")
    return float(p)


def _unwrap(name, x):
    """The (N, C, H, W) array inside ``x``, and how to wrap a result like ``x``."""
    if isinstance(x, autograd.Tensor):
        if x.requires_grad:
            raise ValueError(f"{name}: augmentation acts on data; got a Tensor that requires "
                             f"grad (pass x.detach())")
        array, wrap = x.numpy(), autograd.Tensor
    else:
        array, wrap = np.asarray(x), np.asarray
    if array.ndim != 4:
        raise ShapeError(f"{name}: expects a batch of images (N, C, H, W), got shape "
                         f"{array.shape}; add the missing axes, e.g. x[:, None] for (N, H, W)")
    return array, wrap


class _Augmentation:
    """Checks and wraps the batch; subclasses define ``_apply(array, rng)``."""

    def __call__(self, x):
        array, wrap = _unwrap(type(self).__name__, x)
        return wrap(self._apply(array, _rng()))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class RandomCrop(_Augmentation):
    """Each image its own random ``size`` window of the image zero-padded by ``padding``.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> RandomCrop(2)(x).shape
    (1, 1, 2, 2)
    >>> RandomCrop(4, padding=1)(x).shape  # shifted by up to one pixel, zeros shifted in
    (1, 1, 4, 4)
    """

    def __init__(self, size, padding=0):
        self.size = _pair("RandomCrop", "size", size)
        if not isinstance(padding, numbers.Integral) or padding < 0:
            raise ValueError(f"RandomCrop: padding must be a non-negative integer, got {padding!r}")
        self.padding = int(padding)

    def _apply(self, x, rng):
        p, (h, w) = self.padding, self.size
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        (H, W), n = padded.shape[2:], len(x)
        if h > H or w > W:
            raise ValueError(f"RandomCrop: size {self.size} is larger than the padded image "
                             f"{(H, W)} (images {x.shape[2:]} with padding={p}); use a smaller "
                             f"size or more padding")
        windows = np.lib.stride_tricks.sliding_window_view(padded, (h, w), axis=(2, 3))
        top, left = rng.integers(0, H - h + 1, n), rng.integers(0, W - w + 1, n)
        return windows[np.arange(n), :, top, left]  # (N, C, h, w): one window per image


class RandomHorizontalFlip(_Augmentation):
    """Mirror each image left-right with probability ``p``.

    >>> x = np.array([[[[1.0, 2.0, 3.0]]]])
    >>> RandomHorizontalFlip(p=1.0)(x).tolist()
    [[[[3.0, 2.0, 1.0]]]]
    """

    def __init__(self, p=0.5):
        self.p = _probability("RandomHorizontalFlip", p)

    def _apply(self, x, rng):
        flip = rng.random(len(x)) < self.p
        return np.where(flip[:, None, None, None], x[..., ::-1], x)


def _factor_range(arg, value):
    if isinstance(value, numbers.Real):
        if value < 0:
            raise ValueError(f"ColorJitter: {arg} must be non-negative, got {value!r}")
        return max(0.0, 1.0 - value), 1.0 + value
    low, high = value
    if not 0 <= low <= high:
        raise ValueError(f"ColorJitter: {arg} as a range (low, high) needs 0 <= low <= high, "
                         f"got {value!r}")
    return float(low), float(high)


def _grayscale(x):
    """Luma of RGB images (ITU-R 601, as torchvision); one channel is its own gray."""
    if x.shape[1] == 3:
        return np.tensordot(np.array([0.299, 0.587, 0.114], x.dtype), x, axes=([0], [1]))[:, None]
    return x.mean(axis=1, keepdims=True)


class ColorJitter(_Augmentation):
    """Random brightness, contrast and saturation, a factor per image for each.

    A factor drawn from ``[1 - b, 1 + b]`` (or a ``(low, high)`` range) scales the image
    (brightness), blends it with its mean gray level (contrast) or with its own grayscale
    (saturation; no effect on one channel), as torchvision does, in that fixed order (not
    torchvision's random one) and
    without clipping to a pixel range (our images need not lie in [0, 1]).

    >>> autograd.manual_seed(0)
    >>> x = np.ones((2, 1, 2, 2))
    >>> ColorJitter(brightness=0.5)(x)[:, 0, 0, 0].round(3).tolist()
    [1.137, 0.77]
    """

    def __init__(self, brightness=0, contrast=0, saturation=0):
        self.brightness = _factor_range("brightness", brightness)
        self.contrast = _factor_range("contrast", contrast)
        self.saturation = _factor_range("saturation", saturation)

    def _apply(self, x, rng):
        if x.dtype.kind != "f":
            x = x.astype(autograd.get_default_dtype())

        def factors(low_high):
            return rng.uniform(*low_high, size=(len(x), 1, 1, 1)).astype(x.dtype)

        def blend(f, towards):
            return f * x + (1 - f) * towards

        if self.brightness != (1, 1):
            x = factors(self.brightness) * x
        if self.contrast != (1, 1):
            x = blend(factors(self.contrast), _grayscale(x).mean(axis=(1, 2, 3), keepdims=True))
        if self.saturation != (1, 1):
            x = blend(factors(self.saturation), _grayscale(x))
        return x


class Cutout(_Augmentation):
    """With probability ``p``, set one ``size`` x ``size`` square of each image to 0 (all
    channels). Its centre is uniform over the image; the square is clipped at the border
    (DeVries & Taylor, 2017).

    >>> autograd.manual_seed(0)
    >>> out = Cutout(2)(np.ones((1, 1, 4, 4)))
    >>> int((out == 0).sum())  # one 2x2 square (fewer pixels when clipped at the border)
    4
    """

    def __init__(self, size, p=1.0):
        self.size = _pair("Cutout", "size", size)
        self.p = _probability("Cutout", p)

    def _apply(self, x, rng):
        n, (H, W), (h, w) = len(x), x.shape[2:], self.size
        top = rng.integers(0, H, n) - h // 2
        left = rng.integers(0, W, n) - w // 2
        rows, cols = np.arange(H), np.arange(W)
        in_rows = (rows >= top[:, None]) & (rows < top[:, None] + h)
        in_cols = (cols >= left[:, None]) & (cols < left[:, None] + w)
        cut = in_rows[:, :, None] & in_cols[:, None, :] & (rng.random(n) < self.p)[:, None, None]
        return np.where(cut[:, None], np.zeros((), x.dtype), x)


class MixUp:
    """Blend each image with a partner from the same batch; the labels blend the same way.

    Called on ``(images, labels)`` with integer labels in ``[0, num_classes)``: one
    ``lam ~ Beta(alpha, alpha)`` per batch, partners a random permutation of the batch.
    Returns ``lam * x + (1 - lam) * x[perm]`` and the soft targets ``lam * onehot(y) +
    (1 - lam) * onehot(y[perm])`` (images' dtype), which ``nn.CrossEntropyLoss`` takes as
    class probabilities (Zhang et al., 2018). ``lam_`` and ``perm_`` keep the last draw.

    >>> autograd.manual_seed(0)
    >>> images, targets = MixUp(num_classes=3)(np.ones((2, 1, 2, 2)), np.array([0, 2]))
    >>> targets.sum(axis=1).tolist(), targets.shape
    ([1.0, 1.0], (2, 3))
    """

    def __init__(self, alpha=1.0, *, num_classes):
        if not isinstance(alpha, numbers.Real) or alpha <= 0:
            raise ValueError(f"MixUp: alpha must be positive, got {alpha!r}")
        if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral) \
                or num_classes < 1:
            raise ValueError(f"MixUp: num_classes must be a positive integer, got {num_classes!r}")
        self.alpha, self.num_classes = float(alpha), int(num_classes)

    def __call__(self, images, labels):
        x, wrap = _unwrap("MixUp", images)
        y = np.asarray(labels.numpy() if isinstance(labels, autograd.Tensor) else labels)
        if y.shape != (len(x),) or y.dtype.kind not in "iu":
            raise ValueError(f"MixUp: labels must be {len(x)} integer class indices (one per "
                             f"image), got shape {y.shape} and dtype {y.dtype}")
        if y.size and (y.min() < 0 or y.max() >= self.num_classes):
            bad = y[(y < 0) | (y >= self.num_classes)][0]
            raise ValueError(f"MixUp: labels must lie in [0, num_classes={self.num_classes}), "
                             f"got label {bad}; set num_classes to the number of classes")
        rng = _rng()
        self.lam_ = lam = float(rng.beta(self.alpha, self.alpha))
        self.perm_ = perm = rng.permutation(len(x))
        onehot = np.eye(self.num_classes, dtype=x.dtype if x.dtype.kind == "f" else None)[y]
        mixed = (lam * x + (1 - lam) * x[perm]).astype(onehot.dtype)
        return wrap(mixed), wrap(lam * onehot + (1 - lam) * onehot[perm])

    def __repr__(self):
        return f"MixUp(alpha={self.alpha!r}, num_classes={self.num_classes!r})"


class Compose:
    """Apply image transforms one after another.

    >>> flip_then_crop = Compose([RandomHorizontalFlip(p=1.0), RandomCrop(2, padding=0)])
    >>> flip_then_crop(np.zeros((3, 1, 2, 2))).shape
    (3, 1, 2, 2)
    """

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x

    def __repr__(self):
        return "Compose([" + ", ".join(map(repr, self.transforms)) + "])"
