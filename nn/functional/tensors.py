"""PyTorch's functional helpers on whole tensors: `pad` in PyTorch's order, `one_hot`."""
import numpy as np

import autograd
from autograd import ShapeError, Tensor

from ._checks import _accepts_array_likes

__all__ = ["pad", "one_hot"]


@_accepts_array_likes
def pad(input, pad, mode="constant", value=0.0):
    """``input`` padded with ``value``; ``pad`` lists (before, after) pairs from the *last*
    axis backwards, as PyTorch: ``(1, 1)`` pads the last axis, ``(1, 1, 2, 2)`` the last two.
    Differentiable (`autograd.pad` takes numpy's per-axis order).

    >>> F.pad(autograd.ones(2, 2), (1, 0)).tolist()
    [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    """
    pad = [int(p) for p in pad]
    if len(pad) % 2 or len(pad) // 2 > input.ndim or min(pad, default=0) < 0:
        raise ShapeError(f"pad: pad {tuple(pad)} must be non-negative (before, after) pairs, "
                         f"at most one per axis of the input of shape {input.shape}")
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return autograd.pad(input, widths, mode=mode, constant_values=value)


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
