"""PyTorch's functional helpers on whole tensors: `pad` (PyTorch's order, modes and
cropping), `one_hot`."""
import numpy as np

import autograd
from autograd import ShapeError, Tensor
from autograd.extend import registered

from ._checks import _accepts_array_likes
from ._gather import _take_along

__all__ = ["pad", "one_hot"]


_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_pairs(input, pad):
    """``pad`` (PyTorch's flat list, last axis first) as {axis: (before, after)}, checked."""
    if isinstance(pad, (int, np.integer)) or not all(
            isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad):
        raise TypeError(f"pad: pad must be a tuple of ints, (before, after) pairs from the "
                        f"last axis backwards, got {pad!r}")
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise ShapeError(f"pad: pad {tuple(pad)} must be (before, after) pairs: its length "
                         "must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise ShapeError(f"pad: pad {tuple(pad)} has {len(pad) // 2} (before, after) pairs but "
                         f"the input of shape {input.shape} has only {input.ndim} axes")
    return {input.ndim - 1 - i: (pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)}


def _crop(input, pairs):
    """``input`` with the negative pads cut off (PyTorch crops them); the positive pads left."""
    index, left = [slice(None)] * input.ndim, {}
    for axis, (before, after) in pairs.items():
        size = input.shape[axis]
        if size + before + after < 0:
            raise ShapeError(f"pad: pads ({before}, {after}) would cut more than the "
                             f"{size} elements of axis {axis} of the input of shape "
                             f"{input.shape}")
        index[axis] = slice(max(-before, 0), size - max(-after, 0))
        left[axis] = (max(before, 0), max(after, 0))
    return input[tuple(index)], left


def _source_index(mode, size, before, after, axis, shape):
    """For each position of the padded axis, the input position it copies (a gather)."""
    if mode == "reflect" and max(before, after) >= size:
        raise ShapeError(f"pad: reflect padding ({before}, {after}) must be less than the "
                         f"size {size} of axis {axis} of the input of shape {shape}")
    if mode == "circular" and max(before, after) > size:
        raise ShapeError(f"pad: circular padding ({before}, {after}) of axis {axis} (size "
                         f"{size}, input of shape {shape}) would wrap around more than once")
    i = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    if mode == "circular":
        return i % size
    return (size - 1) - np.abs((size - 1) - np.abs(i))  # reflect about 0 and size - 1


@registered("linear", namespace="nn.functional")
@_accepts_array_likes
def pad(input, pad, mode="constant", value=None):
    """``input`` padded as PyTorch's ``F.pad``: ``pad`` lists (before, after) pairs from the
    *last* axis backwards (``(1, 1)`` pads the last axis, ``(1, 1, 2, 2)`` the last two);
    negative pads crop. ``mode``: 'constant' (fill with ``value``, default 0), 'reflect'
    (mirror without repeating the edge), 'replicate' (repeat the edge) or 'circular' (wrap
    around). The last three pad the last 1, 2 or 3 axes of a (batched) input with one or two
    more axes, as PyTorch. Differentiable in every mode: the non-constant ones are gathers,
    whose gradient adds up the copies (`autograd.pad` takes numpy's per-axis order).

    >>> F.pad(autograd.ones(2, 2), (1, 0)).tolist()
    [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    >>> F.pad(autograd.tensor([[0.0, 1.0, 2.0]]), (2, 1), mode="reflect").tolist()
    [[2.0, 1.0, 0.0, 1.0, 2.0, 1.0]]
    """
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode={mode!r} is not one of {', '.join(map(repr, _PAD_MODES))}")
    pairs = _pad_pairs(input, pad)
    if mode != "constant":
        _check_non_constant(input, mode, len(pairs), value)
    input, pairs = _crop(input, pairs)
    if mode == "constant":
        widths = [pairs.get(axis, (0, 0)) for axis in range(input.ndim)]
        if not any(before or after for before, after in widths):  # e.g. a 0-d input, pad=()
            return autograd.clone(input)
        return autograd.pad(input, widths, constant_values=0 if value is None else value)
    for axis, (before, after) in pairs.items():
        if before or after:
            index = _source_index(mode, input.shape[axis], before, after, axis, input.shape)
            input = _take_along(input, index=index, axis=axis)
    return input


def _check_non_constant(input, mode, axes, value):
    """PyTorch's limits on the modes that copy the input: no ``value``, 1 to 3 padded axes of
    an input with one or two more axes (channels, batch), none of them empty."""
    if value is not None:
        raise ValueError(f"pad: mode {mode!r} takes no value argument (got value={value}); "
                         "only mode='constant' fills with a value")
    if not 1 <= axes <= 3 or input.ndim not in (axes + 1, axes + 2):
        raise ShapeError(
            f"pad: mode {mode!r} pads the last 1, 2 or 3 axes of an input with one or two "
            "more (channels, batch): padding size 2 needs a 2-d or 3-d input, 4 a 3-d or 4-d, "
            f"6 a 4-d or 5-d; got padding size {2 * axes} for an input of shape {input.shape}")
    if 0 in input.shape[1 if input.ndim == axes + 2 else 0:]:
        raise ShapeError(f"pad: mode {mode!r} needs non-empty axes (a batch of 0 is fine), got "
                         f"an input of shape {input.shape}")


def one_hot(tensor, num_classes=-1):
    """Class indices as rows of 0s with a 1 at each index: an int64 tensor with a new last
    axis of ``num_classes`` (default: the largest index + 1). Not differentiable.

    >>> F.one_hot(autograd.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    labels = np.asarray(tensor.numpy() if isinstance(tensor, Tensor) else tensor)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected integer class indices, got dtype {labels.dtype}")
    n = int(labels.max()) + 1 if num_classes == -1 and labels.size else int(num_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= n):
        raise ValueError(f"one_hot: class indices must lie in [0, {n}) for num_classes={n}, "
                         f"got values from {labels.min()} to {labels.max()}")
    return Tensor((labels[..., None] == np.arange(max(n, 0))).astype(np.int64))
