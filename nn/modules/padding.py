"""Padding layers (PyTorch's): each holds its ``padding`` as a (before, after) tuple per
padded axis, last axis first, and calls `F.pad`. An int pads every side by that much."""
from .. import functional as F
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


class _PadNd(Module):
    """A padding layer for ``_axes`` trailing axes in mode ``_mode``."""

    _input_kind = "float"  # see Module._input_kind

    _axes, _mode = 1, "constant"

    def __init__(self, padding):
        super().__init__()
        if isinstance(padding, int):
            padding = (padding,) * (2 * self._axes)
        padding = tuple(padding)
        if len(padding) != 2 * self._axes or not all(isinstance(p, int) for p in padding):
            raise ValueError(f"{type(self).__name__}: padding must be an int or "
                             f"{2 * self._axes} ints (before, after per padded axis, last "
                             f"axis first), got {padding!r}")
        self.padding = padding

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last axis with ``value``; negative padding crops.

    >>> nn.ConstantPad1d(1, 3.5)(autograd.zeros(1, 2)).tolist()
    [[3.5, 0.0, 0.0, 3.5]]
    """

    _axes = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 axes with ``value`` (padding: left, right, top, bottom).

    >>> nn.ConstantPad2d((1, 0, 0, 1), 2.0)(autograd.zeros(1, 1, 1)).tolist()
    [[[2.0, 0.0], [2.0, 2.0]]]
    """

    _axes = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 axes with ``value``.

    >>> nn.ConstantPad3d(1, 0.0)(autograd.zeros(1, 1, 1, 1)).shape
    (1, 3, 3, 3)
    """

    _axes = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pads the last axis with zeros.

    >>> nn.ZeroPad1d((1, 0))(autograd.ones(1, 2)).tolist()
    [[0.0, 1.0, 1.0]]
    """

    _axes = 1


class ZeroPad2d(_ZeroPadNd):
    """Pads the last 2 axes with zeros (padding: left, right, top, bottom).

    >>> nn.ZeroPad2d(1)(autograd.ones(1, 1, 1)).tolist()
    [[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]
    """

    _axes = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last 3 axes with zeros.

    >>> nn.ZeroPad3d((1, 0, 0, 0, 0, 0))(autograd.ones(1, 1, 1, 1)).shape
    (1, 1, 1, 2)
    """

    _axes = 3


class ReflectionPad1d(_PadNd):
    """Mirrors the last axis at its edges (without repeating them); input (C, W) or (N, C, W).

    >>> nn.ReflectionPad1d(2)(autograd.tensor([[0.0, 1.0, 2.0]])).tolist()
    [[2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0]]
    """

    _axes, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirrors the last 2 axes; input (C, H, W) or (N, C, H, W).

    >>> nn.ReflectionPad2d((1, 0, 0, 0))(autograd.tensor([[[0.0, 1.0]]])).tolist()
    [[[1.0, 0.0, 1.0]]]
    """

    _axes, _mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Mirrors the last 3 axes; input (C, D, H, W) or (N, C, D, H, W).

    >>> nn.ReflectionPad3d(1)(autograd.zeros(1, 2, 2, 2)).shape
    (1, 4, 4, 4)
    """

    _axes, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeats the edge values of the last axis; input (C, W) or (N, C, W).

    >>> nn.ReplicationPad1d((1, 2))(autograd.tensor([[0.0, 1.0]])).tolist()
    [[0.0, 0.0, 1.0, 1.0, 1.0]]
    """

    _axes, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeats the edges of the last 2 axes; input (C, H, W) or (N, C, H, W).

    >>> nn.ReplicationPad2d((0, 1, 0, 0))(autograd.tensor([[[0.0, 1.0]]])).tolist()
    [[[0.0, 1.0, 1.0]]]
    """

    _axes, _mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Repeats the edges of the last 3 axes; input (C, D, H, W) or (N, C, D, H, W).

    >>> nn.ReplicationPad3d(1)(autograd.zeros(1, 1, 1, 1)).shape
    (1, 3, 3, 3)
    """

    _axes, _mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Wraps the last axis around; input (C, W) or (N, C, W).

    >>> nn.CircularPad1d(1)(autograd.tensor([[0.0, 1.0, 2.0]])).tolist()
    [[2.0, 0.0, 1.0, 2.0, 0.0]]
    """

    _axes, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Wraps the last 2 axes around; input (C, H, W) or (N, C, H, W).

    >>> nn.CircularPad2d((1, 0, 0, 0))(autograd.tensor([[[0.0, 1.0]]])).tolist()
    [[[1.0, 0.0, 1.0]]]
    """

    _axes, _mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Wraps the last 3 axes around; input (C, D, H, W) or (N, C, D, H, W).

    >>> nn.CircularPad3d(1)(autograd.zeros(1, 2, 2, 2)).shape
    (1, 4, 4, 4)
    """

    _axes, _mode = 3, "circular"
