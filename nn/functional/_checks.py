"""Input checks and conversions shared by the functional layers (private: no public names).

The activations, norms, dropouts and losses take a Tensor or anything `autograd.tensor`
accepts (an ndarray, a list): `_accepts_array_likes` converts the input as `autograd.tensor`
does (Python floats become the default float dtype), so they return Tensors.
"""
import functools
import numbers

import numpy as np

from autograd import AutogradError, DtypeError, ShapeError, Tensor

__all__ = []


def _as_tensor(x):
    """x itself if it is a Tensor, else x converted as `autograd.tensor` converts it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _accepts_array_likes(function):
    """``function`` with its input (the first argument) passed through `_as_tensor`."""
    @functools.wraps(function)
    def call(x, *args, **kwargs):
        return function(_as_tensor(x), *args, **kwargs)
    return call


def _check_floating(fn, x):
    """The dtype of ``x``; a DtypeError naming ``fn`` unless it is floating-point."""
    dtype = x.dtype if isinstance(x, Tensor) else np.asarray(x).dtype  # (vmap: no values)
    if dtype.kind != "f":
        raise DtypeError(f"{fn}: expected a floating-point input, got dtype {dtype}; convert "
                         f"it first, e.g. x.astype('float32')")
    return dtype


def _float_input(fn, x, dtype=None):
    """``x`` as a floating-point Tensor for the layer or function ``fn``: an array-like is
    converted as `autograd.tensor` converts it (a list of Python floats becomes the default
    float dtype); integers, and a float dtype other than ``dtype`` (the parameters'), raise a
    DtypeError naming ``fn``, as does anything `autograd.tensor` refuses (a ragged list)."""
    if not isinstance(x, Tensor):
        try:
            x = Tensor(x)
        except AutogradError as error:
            raise type(error)(f"{fn}: the input is not a tensor ({error})") from None
    _check_dtype(fn, _check_floating(fn, x), dtype)
    return x


def _check_dtype(fn, dtype, params):
    """A DtypeError naming ``fn`` unless the input's ``dtype`` is the parameters' (None: no
    parameters): numpy would silently upcast float32 @ float64, PyTorch refuses."""
    if params is not None and dtype != params:
        raise DtypeError(f"{fn}: the input is {dtype} but the parameters are {params}; use "
                         f"one dtype for both, e.g. x.astype('{params}') or model.double()")


def _check_size(owner, name, value):
    """A ShapeError naming ``owner`` unless the argument ``name`` is a non-negative int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ShapeError(f"{owner}: {name} must be a non-negative int (a number of features "
                         f"or channels), got {value!r}")


def _check_fraction(owner, name, value, meaning):
    """Raise a ValueError naming ``owner`` unless the argument ``name`` is a number in
    [0, 1]; ``meaning`` says what it is."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{owner}: {name} must be in [0, 1] ({meaning}), got {value!r}")
