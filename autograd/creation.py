"""Tensors made from a shape or a range: zeros, ones, full, empty, arange, linspace, eye, and
from existing data: as_tensor, from_numpy. Shapes come as one tuple or as separate ints
(``zeros(2, 3)`` or ``zeros((2, 3))``); PyTorch's ``dtype=``, ``device=`` and
``requires_grad=`` keywords work everywhere. Floats get the default float dtype."""
import operator

import numpy as np

from .dtypes import device as _device
from .errors import ShapeError
from .tensor import Tensor, _as_array, above, get_default_dtype


def _make(data, requires_grad, device):
    if device is not None:
        _device(device)  # the CPU only
    return Tensor(data, requires_grad=requires_grad)


def _size(shape, caller, size=None):
    """A shape from ``(2, 3)``, ``2, 3`` or PyTorch's ``size=(2, 3)`` keyword; a clear error
    for negative or non-int sizes."""
    if size is not None:
        if shape:
            raise TypeError(f"{caller}: give the size once, as ints or as size=, not both")
        shape = (size,)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        shape = tuple(operator.index(n) for n in shape)  # 2.5 is not a size
        ok = all(n >= 0 for n in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ShapeError(f"{caller}: the size must be non-negative ints, got {shape!r}; e.g. "
                         f"{caller}(2, 3) or {caller}((2, 3))")
    return shape


def _fill_dtype(value, dtype):
    """PyTorch's rule: a bool fill gives bool, an int fill int64, a float the default."""
    if dtype is not None:
        return np.dtype(dtype)
    return _as_array(value).dtype


def zeros(*shape, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``."""
    return _make(np.zeros(_size(shape, "zeros", size), dtype or get_default_dtype()),
                 requires_grad,
                 device)


def ones(*shape, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return _make(np.ones(_size(shape, "ones", size), dtype or get_default_dtype()),
                 requires_grad,
                 device)


def empty(*shape, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor to be filled in (zeros here: never uninitialized memory)."""
    return _make(np.zeros(_size(shape, "empty", size), dtype or get_default_dtype()),
                 requires_grad,
                 device)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor of ``size`` filled with ``fill_value``; its dtype follows the value as in
    PyTorch (float: the default float dtype, int: int64, bool: bool) unless given.

    >>> autograd.full((2, 2), 0.5)
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    """
    return _make(np.full(_size((size,), "full"), fill_value, _fill_dtype(fill_value, dtype)),
                 requires_grad, device)


above.full = full


def _like(t, dtype):
    return np.shape(t), dtype or np.asarray(t).dtype


def zeros_like(t, dtype=None, device=None, requires_grad=False):
    """Zeros with the shape (and, by default, the dtype) of ``t``."""
    return _make(np.zeros(*_like(t, dtype)), requires_grad, device)


def ones_like(t, dtype=None, device=None, requires_grad=False):
    """Ones with the shape (and, by default, the dtype) of ``t``."""
    return _make(np.ones(*_like(t, dtype)), requires_grad, device)


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    """``fill_value`` with the shape (and, by default, the dtype) of ``t``, as PyTorch's
    ``full_like(input, fill_value)``.

    >>> autograd.full_like(autograd.tensor([1, 2]), 7)
    Tensor([7, 7])
    """
    shape, dtype = _like(t, dtype)
    return _make(np.full(shape, fill_value, dtype), requires_grad, device)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, stop=None):
    """Evenly spaced values in [start, end), as numpy's arange and PyTorch's (ints stay
    int64, floats get the default float dtype).

    >>> autograd.arange(3)
    Tensor([0, 1, 2])
    """
    if step == 0:
        raise ValueError(f"arange: step must be nonzero, got arange({start}, {end}, {step})")
    data = np.arange(start, end if stop is None else stop, step)
    if dtype is None:
        dtype = get_default_dtype() if data.dtype.kind == "f" else np.int64
    return _make(data.astype(dtype), requires_grad, device)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included; an integer
    ``dtype`` truncates them toward zero, as PyTorch's (numpy's rounds down).

    >>> autograd.linspace(0, 1, 5)
    Tensor([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    dtype = np.dtype(dtype or get_default_dtype())
    data = np.linspace(start, end, int(steps), dtype=np.float64 if dtype.kind in "iu" else dtype)
    return _make(data.astype(dtype, copy=False), requires_grad, device)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    """The identity matrix (n x m)."""
    return _make(np.eye(n, m, dtype=dtype or get_default_dtype()), requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with an ndarray of the right dtype (PyTorch's
    ``as_tensor``)."""
    if isinstance(data, Tensor) and (dtype is None or np.dtype(dtype) == data.dtype):
        return data
    return _make(_as_array(data, dtype), False, device)


def from_numpy(array):
    """A tensor sharing ``array``'s memory and dtype (PyTorch's ``from_numpy``): changes to
    the array show in the tensor. ``autograd.tensor`` copies instead.

    >>> t = autograd.from_numpy(np.arange(3.0))
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected an ndarray, got {type(array).__name__}; use "
                        "autograd.tensor(...) for lists and numbers")
    return Tensor(array)
