"""Tensors made from a shape: zeros, ones, full, arange, eye (float dtype by default)."""
import numpy as np

from .tensor import Tensor, get_default_dtype


def _make(data, requires_grad):
    return Tensor(data, requires_grad=requires_grad)


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return full(shape[0] if len(shape) == 1 else shape, 0, dtype, requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return full(shape[0] if len(shape) == 1 else shape, 1, dtype, requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor of ``shape`` filled with ``fill_value`` (default float dtype)."""
    return _make(np.full(shape, fill_value, dtype=dtype or get_default_dtype()), requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    """Zeros with the shape (and, by default, the dtype) of ``t``."""
    return _make(np.zeros(np.shape(t), dtype=dtype or np.asarray(t).dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    """Ones with the shape (and, by default, the dtype) of ``t``."""
    return _make(np.ones(np.shape(t), dtype=dtype or np.asarray(t).dtype), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values in [start, stop), as numpy's arange (ints stay int64)."""
    data = np.arange(start, stop, step)
    if dtype is None and data.dtype.kind == "f":
        dtype = get_default_dtype()
    return _make(data if dtype is None else data.astype(dtype), requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    """The identity matrix (n x m)."""
    return _make(np.eye(n, m, dtype=dtype or get_default_dtype()), requires_grad)
