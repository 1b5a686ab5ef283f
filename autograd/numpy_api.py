"""numpy's own functions on Tensors: ``np.std(t)``, ``np.concatenate([t, u])``,
``np.linalg.norm(t)``... mean what numpy means and are computed by the registry's ops, so
the result is a Tensor that stays in the graph (DESIGN principle 10).

`Tensor.__array_function__` looks every numpy function called on a Tensor up in `HANDLERS`
(numpy function -> a function with numpy's signature) and calls it; a numpy function not in
the table goes to `unsupported`, which raises a TypeError naming it and saying what to call
instead: never a plain ndarray that silently leaves the graph. Functions whose results are
not values of the tensor (``np.shape``, ``np.allclose``, ``np.array_equal``...) run on the
arrays and return numpy's plain result. numpy's ufuncs (``np.exp(t)``) go through
``Tensor.__array_ufunc__`` and the registry's ``ufunc=`` names instead.

The same spelling may mean different things on the two sides, by design: ``t.std()`` is
PyTorch's (divides by n - 1) and ``np.std(t)`` numpy's (by n); ``t.split(2)`` cuts pieces
of 2 and ``np.split(t, 2)`` cuts 2 equal sections.

>>> t = autograd.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
>>> round(np.var(t).item(), 4), round(t.var().item(), 4)      # numpy's ddof=0, PyTorch's 1
(1.25, 1.6667)
>>> np.concatenate([t, t]).shape, np.concatenate([t, t]).requires_grad
((8,), True)

tensor.py owns the table and this module fills it (tensor.py imports none of the modules above
it); ``import autograd`` imports this module.
"""
import builtins
import operator

import numpy as np

from . import creation, engine, ops
from .errors import ShapeError
from .registry import names
from .tensor import NUMPY_HANDLERS, Tensor, above

# numpy function -> the function computing it with our ops (numpy's signature); tensor.py owns
# the table (`Tensor.__array_function__` reads it), this module fills it
HANDLERS = NUMPY_HANDLERS


def implements(*functions):
    """Register the decorated function as the handler of numpy's ``functions``."""

    def wrap(handler):
        for function in functions:
            HANDLERS[function] = handler
        return handler

    return wrap


def unsupported(func, types):
    """For a numpy function without a handler: a TypeError naming it and what to call instead
    (NotImplemented when another library's array type takes part: it may handle it)."""
    if not builtins.all(issubclass(t, (Tensor, np.ndarray)) for t in types):
        return NotImplemented
    raise TypeError(_unsupported(func))


above.numpy_unsupported = unsupported


def _name(func):
    module = getattr(func, "__module__", "numpy") or "numpy"
    prefix = "np" + module[len("numpy"):] if module.startswith("numpy") else module
    return f"{prefix.replace('._core', '').replace('.lib', '')}.{func.__name__}"


def _unsupported(func):
    name, short = _name(func), func.__name__
    ours = (f"autograd.{short}(...) (PyTorch's meaning) stays in the graph; "
            if short in names() else "")
    return (f"{name} on a Tensor is not differentiable here: {ours}call it on t.numpy() (or "
            f"t.detach().numpy()) to leave the graph, e.g. {name}(t.numpy())")


def _no(fn, **given):
    """A TypeError for numpy keywords we do not support (``out=``, ``where=``...)."""
    for key, value in given.items():
        if value is not None and value is not np._NoValue:
            raise TypeError(f"np.{fn} on a Tensor: the keyword {key}= is not supported (the "
                            f"result is a new Tensor in the graph); call np.{fn} without it")


def _arrays(value):
    """``value`` with every Tensor replaced by its array (in lists and tuples too)."""
    if isinstance(value, Tensor):
        return value.numpy()
    if isinstance(value, (list, tuple)):
        return type(value)(_arrays(v) for v in value)
    return value


# ------------------------------------------------------------------ plain results
# np.shape and np.ndim are called on tensors on hot paths (nn's argument checks): one C call
HANDLERS[np.shape] = operator.attrgetter("shape")
HANDLERS[np.ndim] = operator.attrgetter("ndim")


@implements(np.size)
def _size(a, axis=None):
    return a.numpy().size if axis is None else a.shape[axis]


_PLAIN = [np.allclose, np.isclose, np.array_equal, np.array_equiv,
          np.result_type, np.can_cast, np.min_scalar_type, np.may_share_memory,
          np.shares_memory, np.iscomplexobj, np.isrealobj, np.count_nonzero, np.array2string,
          np.array_repr, np.array_str, np.save, np.savez, np.savez_compressed, np.savetxt,
          np.tril_indices_from, np.triu_indices_from, np.diag_indices_from]


def _plain(func):
    def run(*args, **kwargs):
        return func(*_arrays(args), **{k: _arrays(v) for k, v in kwargs.items()})

    return run


for _func in _PLAIN:
    HANDLERS[_func] = _plain(_func)


# ------------------------------------------------------------------ reductions
@implements(np.sum)
def _sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    _no("sum", out=out, initial=initial, where=where)
    return ops.sum(a, axis, keepdims, dtype=dtype)


@implements(np.mean)
def _mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    _no("mean", out=out, where=where)
    return ops.mean(a, axis, keepdims, dtype=_float64_for_integers(a, dtype))


def _float64_for_integers(a, dtype):
    """numpy averages integers in float64 (PyTorch's mean, var and std refuse them)."""
    return np.float64 if dtype is None and ops._raw(a).dtype.kind in "iub" else dtype


@implements(np.prod)
def _prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    _no("prod", out=out, initial=initial, where=where)
    return ops.prod(a, axis, keepdims, dtype=dtype)


def _spread(name):
    """np.var / np.std: numpy's ddof=0 by default (PyTorch's methods use correction=1)."""

    def spread(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
               mean=None, correction=None):
        _no(name, out=out, where=where, mean=mean)
        return getattr(ops, name)(ops._cast(a, _float64_for_integers(a, dtype)), axis,
                                  keepdim=keepdims,
                                  correction=ddof if correction is None else correction)

    return spread


HANDLERS[np.var] = _spread("var")
HANDLERS[np.std] = _spread("std")


def _extreme(name):
    """np.max / np.amax / np.min / np.amin: the values (numpy's meaning)."""

    def extreme(a, axis=None, out=None, keepdims=False, initial=None, where=None):
        _no(name, out=out, initial=initial, where=where)
        return getattr(ops, name)(a, () if axis is None else axis, keepdims)

    return extreme


HANDLERS[np.max] = HANDLERS[np.amax] = _extreme("amax")
HANDLERS[np.min] = HANDLERS[np.amin] = _extreme("amin")


def _index_reduction(name):
    """np.argmax / np.argmin / np.all / np.any: not differentiable, as Tensors."""

    def reduction(a, axis=None, out=None, keepdims=False, *, where=None):
        _no(name, out=out, where=where)
        return getattr(ops, name)(a, axis, keepdims)

    return reduction


for _func in (np.argmax, np.argmin, np.all, np.any):
    HANDLERS[_func] = _index_reduction(_func.__name__)


@implements(np.cumsum)
def _cumsum(a, axis=None, dtype=None, out=None):
    _no("cumsum", out=out)
    return ops.cumsum(a, axis, dtype=dtype)


@implements(np.linalg.norm)
def _norm(x, ord=None, axis=None, keepdims=False):
    """numpy's vector norms (``ord`` None/2, 1, inf, -inf, 0 or any p over one axis or all
    entries) and the Frobenius norm of matrices."""
    axes = None if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    two_axes = axes is not None and len(axes) == 2 or axes is None and np.ndim(x) == 2
    if ord in (None, "fro") and (two_axes or ord is None):
        return ops.norm(x, 2, axes, keepdims)
    if two_axes or isinstance(ord, str):
        raise TypeError(f"np.linalg.norm on a Tensor: the matrix norm ord={ord!r} is not "
                        "differentiable here (the Frobenius norm and vector norms are); call "
                        "it on t.numpy() to leave the graph")
    if ord == -np.inf:
        return ops.amin(ops.abs(x), () if axes is None else axes, keepdims)
    if ord == 0:
        return ops.sum(ops.astype(x != 0, ops._raw(x).dtype), axes, keepdims)
    return ops.norm(x, ord, axes, keepdims)


# ------------------------------------------------------------------ elementwise and where
@implements(np.clip)
def _clip(a, a_min=None, a_max=None, out=None, *, min=None, max=None, **kwargs):
    _no("clip", out=out, **kwargs)
    lo, hi = (v if v is not np._NoValue else None for v in (a_min, a_max))
    # numpy allows neither bound (a copy), PyTorch's clamp does not
    return ops._clip(a, lo if min is None else min, hi if max is None else max)


@implements(np.where)
def _where(condition, *xy):
    return ops.where(condition, *xy)


@implements(np.nonzero)
def _nonzero(a):
    return ops.where(a)


# ------------------------------------------------------------------ joining and splitting
def _flat_if_none(arrays, axis):
    return ([ops.reshape(a, (-1,)) for a in arrays], 0) if axis is None else (arrays, axis)


@implements(np.concatenate)
def _concatenate(arrays, axis=0, out=None, *, dtype=None, casting=None):
    _no("concatenate", out=out, dtype=dtype, casting=casting)
    return ops.concatenate(*_flat_if_none(list(arrays), axis))


@implements(np.stack)
def _stack(arrays, axis=0, out=None, *, dtype=None, casting=None):
    _no("stack", out=out, dtype=dtype, casting=casting)
    return ops.stack(list(arrays), axis)


@implements(np.vstack)
def _vstack(tup, *, dtype=None, casting=None):
    _no("vstack", dtype=dtype, casting=casting)
    return ops.concatenate([ops.reshape(a, (1, -1)) if np.ndim(a) < 2 else a for a in tup], 0)


@implements(np.hstack)
def _hstack(tup, *, dtype=None, casting=None):
    _no("hstack", dtype=dtype, casting=casting)
    tup = [ops.reshape(a, (1,)) if np.ndim(a) == 0 else a for a in tup]
    return ops.concatenate(tup, 0 if np.ndim(tup[0]) == 1 else 1)


def _split_bounds(n, indices_or_sections, equal):
    """numpy's split points: N sections (equal ones for np.split) or the given indices."""
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if equal and n % sections:
            raise ValueError("array split does not result in an equal division")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        return np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
    return [0] + [builtins.min(builtins.max(int(i) if i >= 0 else n + int(i), 0), n)
                  for i in indices_or_sections] + [n]


def _splitter(equal):
    def split(ary, indices_or_sections, axis=0):
        axis = ops._axes(axis, np.ndim(ary))[0]
        bounds = _split_bounds(np.shape(ary)[axis], indices_or_sections, equal)
        return ops._pieces(ary, axis, bounds)

    return split


HANDLERS[np.split] = _splitter(equal=True)
HANDLERS[np.array_split] = _splitter(equal=False)


# ------------------------------------------------------------------ shape
@implements(np.reshape)
def _reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise TypeError("np.reshape on a Tensor: only order='C' is supported")
    return ops.reshape(a, shape if newshape is None else newshape)


@implements(np.ravel)
def _ravel(a, order="C"):
    return _reshape(a, (-1,), order)


@implements(np.transpose)
def _transpose(a, axes=None):
    return ops.transpose(a) if axes is None else ops.transpose(a, tuple(axes))


@implements(np.squeeze)
def _squeeze(a, axis=None):
    """numpy's squeeze: an axis that is not of size 1 is an error (PyTorch's leaves it)."""
    if axis is not None:
        for i in ops._axes(axis, np.ndim(a)):
            if np.shape(a)[i] != 1:
                raise ValueError("cannot select an axis to squeeze out which has size not "
                                 f"equal to one (axis {i} of shape {np.shape(a)})")
    return ops.squeeze(a, axis)


@implements(np.expand_dims)
def _expand_dims(a, axis):
    return ops.expand_dims(a, tuple(axis) if isinstance(axis, list) else axis)


@implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    return ops.swapaxes(a, axis1, axis2)


@implements(np.moveaxis)
def _moveaxis(a, source, destination):
    ndim = np.ndim(a)
    source, destination = (ops.normalize_axis_tuple(v, ndim) for v in (source, destination))
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have the same number of "
                         "elements")
    order = [i for i in range(ndim) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return ops.permute(a, order)


@implements(np.broadcast_to)
def _broadcast_to(array, shape, subok=False):
    return engine.broadcast_to(array, (shape,) if isinstance(shape, int) else shape)


@implements(np.flip)
def _flip(m, axis=None):
    return ops.flip(m, axis=axis)


@implements(np.tril)
def _tril(m, k=0):
    return ops.tril(m, k)


@implements(np.triu)
def _triu(m, k=0):
    return ops.triu(m, k)


@implements(np.diag)
def _diag(v, k=0):
    return ops.diag(v, k)


@implements(np.pad)
def _pad(array, pad_width, mode="constant", **kwargs):
    values = kwargs.pop("constant_values", 0)
    _no("pad", **kwargs)
    return ops.pad(array, pad_width, mode, constant_values=values)


@implements(np.take_along_axis)
def _take_along_axis(arr, indices, axis=-1):
    if axis is None:
        arr, axis = ops.reshape(arr, (-1,)), 0
    index = np.asarray(ops._raw(indices))
    axis = ops._axes(axis, np.ndim(arr))[0]
    shape = np.shape(arr)
    fancy = tuple(index if d == axis else np.arange(n).reshape(
        (1,) * d + (-1,) + (1,) * (len(shape) - d - 1)) for d, n in enumerate(shape))
    return ops.getitem(arr, fancy)


# ------------------------------------------------------------------ products
@implements(np.dot)
def _dot(a, b, out=None):
    """numpy's dot for inputs of at most 2 dimensions (or a 0-d factor): matmul there."""
    _no("dot", out=out)
    if ops._ndim(a) == 0 or ops._ndim(b) == 0:
        return ops.mul(a, b)
    if ops._ndim(b) > 2 or ops._ndim(a) > 2 and ops._ndim(b) > 1:
        raise ShapeError(f"np.dot on a Tensor: shapes {ops._shape(a)} and {ops._shape(b)}: "
                         "numpy's dot of arrays with more than 2 dimensions is not supported; "
                         "use matmul (batched over leading axes) instead")
    return ops.matmul(a, b)


@implements(np.outer)
def _outer(a, b, out=None):
    _no("outer", out=out)
    return ops.outer(a, b)


# ------------------------------------------------------------------ copies and new tensors
@implements(np.copy)
def _copy(a, order="K", subok=False):
    return ops.clone(a)


def _like(make):
    """np.zeros_like & co. on a Tensor: a new Tensor (no graph: its values do not depend on
    the input's)."""

    def like(a, *args, dtype=None, order="K", subok=True, shape=None, device=None):
        return make(np.shape(a) if shape is None else shape, *args,
                    dtype=dtype or ops._raw(a).dtype)

    return like


HANDLERS[np.zeros_like] = _like(creation.zeros)
HANDLERS[np.ones_like] = _like(creation.ones)
HANDLERS[np.empty_like] = _like(creation.empty)
HANDLERS[np.full_like] = _like(creation.full)
