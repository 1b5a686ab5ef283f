"""Indexing ops, as PyTorch's: scatter and index families, selection by index or mask,
diagonals, sliding windows, repeats, rolls, grids and the integer helpers (``nonzero``,
``bincount``, ``unique``, ``searchsorted``...).

Nearly every differentiable op here is linear in its tensors and is written with the two
linear primitives of `ops`: `_getitem` (pick entries; its transpose adds the gradient back,
repeated indices accumulating) and `_scatter_add`/`_index_put` (put entries; their
transposes pick). So each op's forward-mode rule is the op itself and no rule is written
twice. Index tensors are checked (integer dtype, rank, range: an error names the op, the
shapes and the valid range, where PyTorch raises too) and copied, so changing an index
tensor in place after the call cannot change a gradient.
"""
import builtins
import warnings

import numpy as np

from . import batching
from .engine import inplace_update, linear
from .errors import DtypeError, IndexingError, ShapeError
from .ops import (_broadcast_to, _getitem, _index_put, _max, _min, _prod, _raw, _scatter_add,
                  getitem, masked_fill, reshape, sum, where)
from .registry import registered
from .tensor import Tensor


# ------------------------------------------------------------------ helpers
def _dim(name, dim, ndim):
    """``dim`` as a non-negative axis (a 0-d tensor counts as having one axis, as PyTorch)."""
    n = builtins.max(ndim, 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool) or not -n <= dim < n:
        raise IndexingError(f"{name}: dim {dim!r} is out of range for a tensor with {ndim} "
                            f"dimensions (valid: {-n} to {n - 1})")
    return int(dim) % n


def _indices(idx):
    """An index array as an int64 Tensor (not differentiable)."""
    return Tensor._make(np.asarray(idx, dtype=np.int64))


def _grid(shape, axis, idx):
    """The numpy index picking ``x[..., idx[i, j], ...]`` along ``axis`` for every position
    of ``idx`` (PyTorch's gather/scatter addressing)."""
    grids = np.indices(np.shape(idx), sparse=True)
    return tuple(idx if d == axis else grids[d] for d in range(np.ndim(idx)))


def _pick(x, idx, axis):
    """x's entries at ``idx`` along ``axis`` (linear in x; the gradient goes back to the
    picked entries, repeated picks adding up)."""
    return _getitem(x, index=_grid(np.shape(x), axis, idx))


def _index(name, index, size=None, dim=None, negative=False, shape=None):
    """``index`` as a new int64 array (a copy: later changes to the index tensor cannot
    reach a gradient), refused unless integer and, given ``size`` (of ``dim`` of a tensor
    of ``shape``), within range; negative indices (where allowed) counted from the end."""
    raw = np.asarray(_raw(index))
    if raw.dtype.kind not in "iu":
        raise DtypeError(f"{name}: the index must hold integers (int64 or int32), got dtype "
                         f"{raw.dtype}; convert it with .long()")
    idx = raw.astype(np.int64)  # a copy
    lo = -size if negative else 0
    if size is not None and idx.size and (idx.min() < lo or idx.max() >= size):
        bad = idx[(idx < lo) | (idx >= size)].flat[0]
        where = "" if shape is None else f"tensor shape {tuple(shape)}; "
        raise IndexingError(f"{name}: index {bad} is out of range for dim {dim} of size {size} "
                            f"({where}valid: {lo} to {size - 1})")
    return idx % size if negative and size else idx


def _vector_index(name, index, x, axis, negative=False):
    """A 1-D (or 0-d) index along ``axis`` of x, checked, as a 1-D array."""
    if np.ndim(_raw(index)) > 1:
        raise IndexingError(f"{name}: the index must be 1-D (a vector), got shape "
                            f"{np.shape(_raw(index))}")
    size = np.shape(x)[axis] if np.ndim(x) else 1
    return _index(name, index, size, axis, negative, np.shape(x)).reshape(-1)


def _along(axis, idx):
    return (slice(None),) * axis + (idx,)


def _scalar_like(value, x):
    """A Python number as a constant of x's dtype; a Tensor as it is (differentiable)."""
    return value if isinstance(value, Tensor) else np.asarray(_raw(value),
                                                              dtype=np.result_type(_raw(x)))


def _as_1d(x):
    return reshape(x, (1,)) if np.ndim(x) == 0 else x


# ------------------------------------------------------------------ scatter family
def _scatter_args(name, x, dim, index, src=None):
    """(the numpy index of each entry of ``index``, src cut to index's shape), with
    PyTorch's checks: index of x's rank, no larger than x (except along dim) or src."""
    shape, ndim = np.shape(x), np.ndim(x)
    axis = _dim(name, dim, ndim)
    raw = np.asarray(_raw(index))
    if raw.ndim != ndim:
        raise IndexingError(f"{name}: the index must have as many dimensions as the tensor "
                            f"(shape {shape}), got index shape {raw.shape}")
    src_shape = None if src is None else np.shape(src)
    if ndim and (builtins.any(i > n for d, (i, n) in enumerate(zip(raw.shape, shape))
                              if d != axis) or src_shape is not None and (
            len(src_shape) != ndim or builtins.any(i > n for i, n in zip(raw.shape, src_shape)))):
        raise IndexingError(f"{name}: index shape {raw.shape} must be no larger than the "
                            f"tensor's {shape} except along dim {axis}, and no larger than "
                            f"src's {src_shape}")
    idx = _index(name, raw, shape[axis] if ndim else 1, axis, shape=shape)
    if src is not None and np.shape(src) != idx.shape:
        src = getitem(src, tuple(slice(0, n) for n in idx.shape))
    return _grid(shape, axis, idx), src


@registered("linear", method=True)
def scatter(x, dim, index, src=None, *, value=None, reduce=None):
    """x with ``src``'s entries (or the number ``value``) written at ``index`` along ``dim``
    (PyTorch's ``scatter``): for dim 0, out[index[i][j]][j] = src[i][j]. Where an index
    repeats, which write wins is unspecified (as PyTorch); every src entry gets the
    gradient at its target, x where nothing is written. ``reduce='add'``/``'multiply'``:
    `scatter_reduce` with sum/prod.

    >>> autograd.zeros(3).scatter(0, autograd.tensor([2, 0]), autograd.tensor([5.0, 7.0]))
    Tensor([7., 0., 5.])
    """
    if src is not None and not isinstance(src, (Tensor, np.ndarray)):
        src, value = None, src  # scatter(x, dim, index, 1.5): the value form
    if (src is None) == (value is None):
        raise TypeError("scatter: pass exactly one of src (a tensor) and value (a number)")
    if reduce is not None:
        reduces = {"add": "sum", "multiply": "prod"}
        if reduce not in reduces:
            raise ValueError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r}")
        if src is None:
            src = np.full(np.shape(_raw(index)), value, dtype=np.result_type(_raw(x)))
        return scatter_reduce(x, dim, index, src, reduces[reduce])
    at, src = _scatter_args("scatter", x, dim, index, src)
    return _index_put(x, _scalar_like(value, x) if src is None else src, index=at)


@registered("linear", method=True)
def scatter_add(x, dim, index, src):
    """x with ``src``'s entries added at ``index`` along ``dim`` (repeated indices add up).

    >>> autograd.zeros(3).scatter_add(0, autograd.tensor([2, 2, 0]), autograd.ones(3))
    Tensor([1., 0., 2.])
    """
    at, src = _scatter_args("scatter_add", x, dim, index, src)
    return x + _scatter_add(src, index=at, shape=np.shape(x))


_REDUCES = ("sum", "prod", "mean", "amax", "amin")


@registered(method=True)
def scatter_reduce(x, dim, index, src, reduce, *, include_self=True):
    """x with ``src``'s entries combined at ``index`` along ``dim`` by ``reduce`` ('sum',
    'prod', 'mean', 'amax', 'amin'), x's own entry included unless ``include_self=False``
    (entries nothing is scattered to keep x's value). Gradients as PyTorch's: tied maxima
    or minima share equally, prod's is exact at zeros. prod, amax and amin gather the
    entries of each target into a padded row: memory the number of targets times the most
    entries one receives.

    >>> x = autograd.tensor([1.0, 1.0])
    >>> x.scatter_reduce(0, autograd.tensor([0, 0, 1]), autograd.tensor([4.0, 2.0, 0.5]),
    ...                  "amax").tolist()
    [4.0, 1.0]
    """
    if reduce not in _REDUCES:
        raise ValueError(f"scatter_reduce: reduce must be one of {_REDUCES}, got {reduce!r}")
    shape = np.shape(x)
    at, src = _scatter_args("scatter_reduce", x, dim, index, src)
    hits = np.zeros(shape, dtype=np.int64)
    np.add.at(hits, at, 1)
    keep = hits == 0 if not include_self else np.ones(shape, dtype=bool)  # x's entries used
    if reduce in ("sum", "mean"):
        total = where(keep, x, 0) + _scatter_add(src, index=at, shape=shape)
        if reduce == "sum":
            return total
        count = (hits + keep).astype(np.result_type(_raw(x)))
        return total / count if count.dtype.kind == "f" else Tensor._make(
            np.floor_divide(_raw(total), count))
    # each target's entries in one row (x's first, if kept), the rest padded: then reduce
    flat = np.ravel_multi_index(tuple(np.broadcast_to(w, np.shape(_raw(src))) for w in at),
                                shape).reshape(-1)
    targets, row = np.unique(flat, return_inverse=True)
    order = np.argsort(flat, kind="stable")
    slot = np.empty_like(flat)
    slot[order] = np.arange(flat.size) - np.searchsorted(flat[order], flat[order]) + 1
    rows = (targets.size, int(hits.max(initial=0)) + 1)
    filled = np.zeros(rows, dtype=bool)
    filled[row, slot] = True
    filled[:, 0] = keep.reshape(-1)[targets]
    x_flat = reshape(x, (-1,))
    entries = _scatter_add(reshape(src, (-1,)), index=(row, slot), shape=rows) + _scatter_add(
        _getitem(x_flat, index=targets), index=(np.arange(rows[0]), 0), shape=rows)
    kind = np.result_type(_raw(x))
    low, high = (-np.inf, np.inf) if kind.kind == "f" else (np.iinfo(kind).min, np.iinfo(
        kind).max) if kind.kind in "iu" else (False, True)
    pad = np.asarray({"prod": 1, "amax": low, "amin": high}[reduce], dtype=kind)
    reduced = {"prod": _prod, "amax": _max, "amin": _min}[reduce](
        where(filled, entries, pad), axis=-1, keepdims=False)
    if reduced.dtype != kind:
        reduced = reduced.astype(kind)
    return reshape(_index_put(x_flat, reduced, index=targets), shape)


# ------------------------------------------------------------------ index family
@registered("linear", method=True)
def index_select(x, dim, index):
    """The slices of x at ``index`` (a vector) along ``dim``; repeated indices repeat the
    slice and add up its gradient.

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).index_select(0, autograd.tensor([1, 1]))
    Tensor([[3., 4.],
            [3., 4.]])
    """
    axis = _dim("index_select", dim, np.ndim(x))
    idx = _vector_index("index_select", index, x, axis)
    return _getitem(_as_1d(x), index=_along(axis, idx))


def _index_source(name, x, axis, idx, source):
    """Check that ``source`` has x's shape with len(index) entries along ``axis``."""
    want = tuple(len(idx) if d == axis else n for d, n in enumerate(np.shape(_as_1d(x))))
    if np.shape(_as_1d(source)) != want:
        raise ShapeError(f"{name}: source has shape {np.shape(source)}; with {len(idx)} "
                         f"indices along dim {axis} of a tensor of shape {np.shape(x)} it must "
                         f"have shape {want}")


@registered("linear", method=True)
def index_add(x, dim, index, source, *, alpha=1):
    """x with ``alpha * source``'s slices added at ``index`` along ``dim`` (repeated indices
    add up).

    >>> autograd.zeros(3).index_add(0, autograd.tensor([0, 0, 2]), autograd.ones(3))
    Tensor([2., 0., 1.])
    """
    axis = _dim("index_add", dim, np.ndim(x))
    idx = _vector_index("index_add", index, x, axis)
    _index_source("index_add", x, axis, idx, source)
    source = source if alpha == 1 else source * alpha
    added = _scatter_add(_as_1d(source), index=_along(axis, idx), shape=np.shape(_as_1d(x)))
    return x + reshape(added, np.shape(x))


@registered("linear", method=True)
def index_copy(x, dim, index, source):
    """x with its slices at ``index`` along ``dim`` replaced by ``source``'s (where an index
    repeats, which slice wins is unspecified, as PyTorch).

    >>> autograd.zeros(3).index_copy(0, autograd.tensor([2]), autograd.tensor([5.0]))
    Tensor([0., 0., 5.])
    """
    axis = _dim("index_copy", dim, np.ndim(x))
    idx = _vector_index("index_copy", index, x, axis)
    _index_source("index_copy", x, axis, idx, source)
    out = _index_put(_as_1d(x), _as_1d(source), index=_along(axis, idx))
    return reshape(out, np.shape(x))


@registered("linear", method=True)
def index_fill(x, dim, index, value):
    """x with its slices at ``index`` along ``dim`` set to ``value`` (a number, or a 0-d
    tensor, which then gets the gradient of every filled entry once).

    >>> autograd.zeros(3).index_fill(0, autograd.tensor([0, 2]), 1.0)
    Tensor([1., 0., 1.])
    """
    axis = _dim("index_fill", dim, np.ndim(x))
    idx = np.unique(_vector_index("index_fill", index, x, axis, negative=True))  # once each
    if np.ndim(_raw(value)):
        raise ShapeError(f"index_fill: value must be a number or a 0-d tensor, got shape "
                         f"{np.shape(_raw(value))}")
    out = _index_put(_as_1d(x), _scalar_like(value, x), index=_along(axis, idx))
    return reshape(out, np.shape(x))


@registered("linear", method=True)
def take_along_dim(x, indices, dim=None):
    """x's entries picked by ``indices`` along ``dim``, x and indices broadcast against each
    other elsewhere (PyTorch's ``take_along_dim``; numpy's ``take_along_axis``); without a
    dim, from the flattened x.

    >>> x = autograd.tensor([[10.0, 30.0, 20.0]])
    >>> x.take_along_dim(x.argsort(dim=1), dim=1).tolist()
    [[10.0, 20.0, 30.0]]
    """
    if dim is None:
        return take_along_dim(reshape(x, (-1,)), reshape(_indices(
            _index("take_along_dim", indices)), (-1,)), 0)
    shape, ndim = np.shape(x), np.ndim(x)
    axis = _dim("take_along_dim", dim, ndim)
    raw = np.asarray(_raw(indices))
    if raw.ndim != ndim:
        raise IndexingError(f"take_along_dim: indices must have as many dimensions as the "
                            f"tensor (shape {shape}), got shape {raw.shape}")
    idx = _index("take_along_dim", raw, shape[axis] if ndim else 1, axis, True, shape)
    try:
        out = np.broadcast_shapes(tuple(1 if d == axis else n for d, n in enumerate(shape)),
                                  tuple(1 if d == axis else n for d, n in enumerate(idx.shape)))
    except ValueError:
        raise ShapeError(f"take_along_dim: the tensor's shape {shape} and the indices' "
                         f"{idx.shape} do not broadcast outside dim {axis}") from None
    full = out[:axis] + idx.shape[axis:axis + 1] + out[axis + 1:]
    idx = np.broadcast_to(idx, full)
    index = tuple(idx if d == axis else
                  np.zeros(1, np.int64).reshape((1,) * ndim) if n == 1 else
                  np.arange(n).reshape((-1,) + (1,) * (ndim - d - 1))
                  for d, n in enumerate(shape))
    return _getitem(x, index=index) if ndim else _getitem(_as_1d(x), index=idx)


@registered("linear", method=True)
def take(x, index):
    """Entries of the flattened x at ``index`` (negative counts from the end); the result
    has index's shape.

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).take(autograd.tensor([[0, -1]]))
    Tensor([[1., 4.]])
    """
    n = int(np.size(_raw(x)))
    return _getitem(reshape(x, (-1,)), index=_index("take", index, n, 0, True, (n,)))


def _mask(name, mask):
    raw = np.asarray(_raw(mask))
    if raw.dtype != bool:
        raise DtypeError(f"{name}: the mask must be a boolean tensor, got dtype {raw.dtype}; "
                         "compare first (e.g. x > 0)")
    return raw.copy()


def _broadcast(name, x, mask):
    try:
        return np.broadcast_shapes(np.shape(x), np.shape(mask))
    except ValueError:
        raise ShapeError(f"{name}: the mask's shape {np.shape(mask)} does not broadcast with "
                         f"the tensor's {np.shape(x)}") from None


@registered("linear", method=True)
def masked_select(x, mask):
    """The entries of x where ``mask`` is true (the two broadcast), as a 1-D tensor.

    >>> x = autograd.tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> x.masked_select(x > 0)
    Tensor([1., 4.])
    """
    mask = _mask("masked_select", mask)
    shape = _broadcast("masked_select", x, mask)
    return _getitem(_broadcast_to(x, shape=shape), index=np.broadcast_to(mask, shape))


@registered("linear", method=True)
def masked_scatter(x, mask, source):
    """x with the entries where ``mask`` is true replaced, in order, by the first entries
    of ``source`` (needs at least as many entries as the mask's true ones).

    >>> autograd.zeros(3).masked_scatter(autograd.tensor([True, False, True]),
    ...                                  autograd.tensor([5.0, 6.0, 7.0]))
    Tensor([5., 0., 6.])
    """
    mask = _mask("masked_scatter", mask)
    shape = _broadcast("masked_scatter", x, mask)
    mask = np.broadcast_to(mask, shape)
    k, n = int(mask.sum()), int(np.size(_raw(source)))
    if n < k:
        raise ShapeError(f"masked_scatter: the mask has {k} true entries but source (shape "
                         f"{np.shape(source)}) has only {n}")
    return _index_put(_broadcast_to(x, shape=shape), getitem(reshape(source, (-1,)),
                                                             slice(0, k)), index=mask)


# ------------------------------------------------------------------ in place
def _in_place(name, op, doc):
    """The in-place form of ``op(x, *args)``: x's memory changed, its version counted."""

    def update(x, *args, **kwargs):
        others = tuple(a for a in args + tuple(kwargs.values()) if isinstance(a, Tensor))
        return inplace_update(x, name, others, lambda: op(x, *args, **kwargs))

    update.__name__ = update.__qualname__ = name
    update.__doc__ = doc
    return registered("inplace", method=True)(update)


scatter_ = _in_place("scatter_", scatter, "`scatter`, in place.")
scatter_add_ = _in_place("scatter_add_", scatter_add, "`scatter_add`, in place.")
scatter_reduce_ = _in_place("scatter_reduce_", scatter_reduce, "`scatter_reduce`, in place.")
index_add_ = _in_place("index_add_", index_add, "`index_add`, in place.")
index_copy_ = _in_place("index_copy_", index_copy, "`index_copy`, in place.")
index_fill_ = _in_place("index_fill_", index_fill, "`index_fill`, in place.")
masked_fill_ = _in_place("masked_fill_", masked_fill, """`masked_fill`, in place.

    >>> x = autograd.zeros(3)
    >>> x.masked_fill_(autograd.tensor([True, False, True]), 1.0)
    Tensor([1., 0., 1.])
    """)
masked_scatter_ = _in_place("masked_scatter_", masked_scatter, "`masked_scatter`, in place.")


# ------------------------------------------------------------------ diagonals
@linear(transpose=lambda g, ans, x, offset, dim1, dim2: _diagonal_scatter(
    g, offset=offset, dim1=dim1, dim2=dim2, shape=x.shape), view=True,
        batch=batching.diagonal)
def _diagonal(x, offset, dim1, dim2):
    return np.diagonal(x, offset, dim1, dim2)  # a read-only view


@linear(transpose=lambda g, ans, x, offset, dim1, dim2, shape: _diagonal(
    g, offset=offset, dim1=dim1, dim2=dim2), batch=batching.diagonal_scatter)
def _diagonal_scatter(x, offset, dim1, dim2, shape):
    """Zeros of ``shape`` with x's last axis on the ``offset``-th diagonal of the planes over
    ``dim1`` and ``dim2``: the transpose of `_diagonal`."""
    out = np.zeros(shape, dtype=np.result_type(x))
    planes = np.moveaxis(out, (dim1, dim2), (-2, -1))  # a writable view of out
    below, above = builtins.max(-offset, 0), builtins.max(offset, 0)
    i = np.arange(np.shape(x)[-1])
    planes[..., i + below, i + above] = x
    return out


def _two_dims(name, ndim, dim1, dim2):
    if ndim < 2:
        raise ShapeError(f"{name}: expects at least 2 dimensions, got {ndim}")
    d1, d2 = _dim(name, dim1, ndim), _dim(name, dim2, ndim)
    if d1 == d2:
        raise IndexingError(f"{name}: dim1 and dim2 are both {d1}; they must differ")
    return d1, d2


@registered("linear", method=True)
def diagonal(x, offset=0, dim1=0, dim2=1):
    """The ``offset``-th diagonal of the matrices over ``dim1`` and ``dim2`` (above the main
    one when positive), as a new last axis (PyTorch's ``diagonal``; a read-only view).

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).diagonal().tolist()
    [1.0, 4.0]
    """
    d1, d2 = _two_dims("diagonal", np.ndim(x), dim1, dim2)
    return _diagonal(x, offset=int(offset), dim1=d1, dim2=d2)


@registered("linear", method=True)
def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """Matrices with x's last axis on their ``offset``-th diagonal, over the new axes
    ``dim1`` and ``dim2`` (zeros elsewhere): the transpose of `diagonal`.

    >>> autograd.diag_embed(autograd.tensor([1.0, 2.0])).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    shape = np.shape(x)
    if not shape:
        raise ShapeError("diag_embed: expects at least 1 dimension, got a 0-d tensor")
    d1, d2 = _two_dims("diag_embed", len(shape) + 1, dim1, dim2)
    n = shape[-1] + builtins.abs(offset)
    rest = iter(shape[:-1])
    out = tuple(n if d in (d1, d2) else next(rest) for d in range(len(shape) + 1))
    return _diagonal_scatter(x, offset=int(offset), dim1=d1, dim2=d2, shape=out)


@registered("linear", method=True)
def trace(x):
    """The sum of the main diagonal of a matrix.

    >>> autograd.tensor([[1.0, 2.0], [3.0, 4.0]]).trace()
    Tensor(5.)
    """
    if np.ndim(x) != 2:
        raise ShapeError(f"trace: expects a matrix (2-D), got shape {np.shape(x)}")
    return sum(diagonal(x))


# ------------------------------------------------------------------ shapes
def _window_slices(shape, axis, size, step):
    count = (shape[axis] - size) // step + 1
    return [(slice(None),) * axis + (slice(k, k + step * (count - 1) + 1, step),)
            for k in range(size)]


@linear(transpose=lambda g, ans, x, axis, size, step: _fold(g, axis=axis, size=size,
                                                            step=step, shape=x.shape),
        view=True, batch=batching.axis)
def _unfold(x, axis, size, step):
    windows = np.lib.stride_tricks.sliding_window_view(x, size, axis=axis)
    return windows[(slice(None),) * axis + (slice(None, None, step),)]


@linear(transpose=lambda g, ans, x, axis, size, step, shape: _unfold(g, axis=axis, size=size,
                                                                     step=step))
def _fold(x, axis, size, step, shape):
    """The windows of `_unfold` added back into a tensor of ``shape`` (overlaps add up)."""
    out = np.zeros(shape, dtype=np.result_type(x))
    for k, part in enumerate(_window_slices(shape, axis, size, step)):
        out[part] += x[..., k]
    return out


@registered("linear", method=True)
def unfold(x, dimension, size, step):
    """Every window of ``size`` entries along ``dimension``, ``step`` apart, as a new last
    axis (PyTorch's ``Tensor.unfold``; a read-only strided view). The gradient of an entry
    sums over the windows that hold it.

    >>> autograd.arange(5.0).unfold(0, 2, 2).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """
    shape = np.shape(x)
    axis = _dim("unfold", dimension, len(shape))
    n = shape[axis] if shape else 1
    if not 0 <= size <= n:
        raise ShapeError(f"unfold: size {size} is larger than dimension {axis} (size {n}) of "
                         f"the tensor of shape {shape}" if size > n else
                         f"unfold: size must be >= 0, got {size}")
    if step <= 0:
        raise ShapeError(f"unfold: step must be > 0, got {step}")
    if not shape:
        return reshape(_unfold(_as_1d(x), axis=0, size=size, step=step), (size,))
    return _unfold(x, axis=axis, size=size, step=step)


@registered("linear", method=True)
def unflatten(x, dim, sizes):
    """x with axis ``dim`` split into axes of ``sizes`` (one may be -1).

    >>> autograd.zeros(2, 6).unflatten(1, (3, -1)).shape
    (2, 3, 2)
    """
    shape = np.shape(x)
    axis = _dim("unflatten", dim, len(shape))
    sizes = tuple(int(s) for s in sizes)
    known = int(np.prod([s for s in sizes if s != -1]))
    n = shape[axis] if shape else 1
    if sizes.count(-1) > 1 or (n != known if -1 not in sizes else known == 0 or n % known):
        raise ShapeError(f"unflatten: sizes {list(sizes)} do not multiply up to the size of "
                         f"dim {axis} ({n}) of the tensor of shape {shape}")
    return reshape(x, shape[:axis] + sizes + shape[axis + 1:])


@registered("linear", method=True)
def repeat_interleave(x, repeats=None, dim=None, *, output_size=None):
    """Each entry (or slice along ``dim``) of x repeated ``repeats`` times in place (an int,
    or one count per entry); without a dim, of the flattened x. Given only an integer
    tensor of counts, the indices repeated by them.

    >>> autograd.tensor([1.0, 2.0]).repeat_interleave(2).tolist()
    [1.0, 1.0, 2.0, 2.0]
    """
    if repeats is None:
        counts = _index("repeat_interleave", x).reshape(-1)
        return _indices(np.repeat(np.arange(counts.size), counts))
    if dim is None:
        x, axis = reshape(x, (-1,)), 0
    else:
        axis = _dim("repeat_interleave", dim, np.ndim(x))
        x = _as_1d(x)
    n = np.shape(x)[axis]
    counts = _index("repeat_interleave", repeats)
    if counts.ndim > 1 or counts.size not in (1, n) or (counts < 0).any():
        raise ShapeError(f"repeat_interleave: repeats must be one count or one per entry "
                         f"({n} along dim {axis}), non-negative; got shape {counts.shape}")
    order = np.repeat(np.arange(n), np.broadcast_to(counts.reshape(-1), (n,)))
    return _getitem(x, index=_along(axis, order))


@linear(transpose=lambda g, ans, x, shifts, axes: _roll(g, shifts=tuple(-s for s in shifts),
                                                         axes=axes),
        batch=batching.roll)
def _roll(x, shifts, axes):
    if axes is None:
        return np.roll(x, shifts[0])
    return np.roll(x, shifts, axes)


@registered("linear", method=True)
def roll(x, shifts, dims=None):
    """x's entries shifted by ``shifts`` along ``dims`` (ints or tuples), wrapping around;
    without dims, over the flattened x.

    >>> autograd.tensor([1.0, 2.0, 3.0]).roll(1).tolist()
    [3.0, 1.0, 2.0]
    """
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    if dims is None:
        if len(shifts) != 1:
            raise ShapeError(f"roll: without dims, shifts must be one number, got {shifts}")
        return _roll(x, shifts=(int(shifts[0]),), axes=None)
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if len(shifts) != len(dims):
        raise ShapeError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    axes = tuple(_dim("roll", d, np.ndim(x)) for d in dims)
    if np.ndim(x) == 0:
        return x * 1
    return _roll(x, shifts=tuple(int(s) for s in shifts), axes=axes)


@registered("linear")
def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D (or 0-d) tensors: with ``indexing='ij'`` (the default)
    output k varies along axis k; with ``'xy'`` the first two axes are swapped (numpy's
    default). Like PyTorch, warns when ``indexing`` is not given.

    >>> xs, ys = autograd.meshgrid(autograd.tensor([1, 2]), autograd.tensor([3, 4, 5]),
    ...                            indexing="ij")
    >>> xs.shape, ys.tolist()[0]
    ((2, 3), [3, 4, 5])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("meshgrid: pass indexing='ij' (the default, PyTorch's) or 'xy' "
                      "(numpy's); PyTorch will require it", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    for k, t in enumerate(tensors):
        if np.ndim(t) > 1:
            raise ShapeError(f"meshgrid: expects 0-d or 1-D tensors, got shape {np.shape(t)} "
                             f"for tensor {k}")
    sizes = [int(np.size(_raw(t))) for t in tensors]
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return tuple(_broadcast_to(reshape(t, tuple(-1 if d == a else 1 for d in range(len(sizes)))),
                               shape=tuple(sizes)) for t, a in zip(tensors, axes))


# ------------------------------------------------------------------ integer results
@registered("none", method=True)
def nonzero(x, *, as_tuple=False):
    """The indices of the nonzero entries: an int64 tensor of shape (count, x.ndim), or with
    ``as_tuple=True`` one index tensor per dimension (usable as ``x[...]``).

    >>> autograd.tensor([[0.0, 1.0], [2.0, 0.0]]).nonzero().tolist()
    [[0, 1], [1, 0]]
    """
    raw = np.asarray(_raw(x))
    if as_tuple:
        return tuple(_indices(i) for i in np.nonzero(raw.reshape(-1) if raw.ndim == 0
                                                     else raw))
    return _indices(np.argwhere(raw))


@registered("none", method=True)
def argwhere(x):
    """`nonzero` (its default form): the indices of the nonzero entries, one row each."""
    return nonzero(x)


@registered("none", method=True)
def bincount(x, weights=None, minlength=0):
    """How often each value 0, 1, ... occurs in the 1-D non-negative integer tensor x (at
    least ``minlength`` counts), or the sum of ``weights`` per value (not differentiable,
    as PyTorch).

    >>> autograd.tensor([0, 2, 2]).bincount().tolist()
    [1, 0, 2]
    """
    raw = np.asarray(_raw(x))
    if raw.ndim != 1 or raw.dtype.kind not in "iu" or (raw < 0).any():
        raise ShapeError(f"bincount: expects a 1-D tensor of non-negative integers, got shape "
                         f"{raw.shape}, dtype {raw.dtype}")
    if weights is None:
        return _indices(np.bincount(raw, minlength=minlength))
    w = np.asarray(_raw(weights))
    if w.shape != raw.shape:
        raise ShapeError(f"bincount: weights have shape {w.shape}, x has {raw.shape}; they "
                         "must match")
    out = np.bincount(raw, w, minlength=minlength)
    return Tensor._make(out.astype(w.dtype if w.dtype.kind == "f" else np.float64))


@registered("none", method=True)
def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values of x, sorted (of its slices along ``dim``, if given), and
    optionally where each entry went (``return_inverse``) and how many there were
    (``return_counts``).

    >>> values, counts = autograd.tensor([3, 1, 3]).unique(return_counts=True)
    >>> values.tolist(), counts.tolist()
    ([1, 3], [1, 2])
    """
    raw = np.asarray(_raw(x))
    axis = None if dim is None else _dim("unique", dim, raw.ndim)
    values, inverse, counts = np.unique(raw, return_inverse=True, return_counts=True,
                                        axis=axis)
    out = (Tensor._make(values),) + ((_indices(inverse.reshape(
        raw.shape if axis is None else -1)),) if return_inverse else ()) + (
        (_indices(counts),) if return_counts else ())
    return out[0] if len(out) == 1 else out


@registered("none", method=True)
def unique_consecutive(x, return_inverse=False, return_counts=False, dim=None):
    """x with each run of equal consecutive values (slices along ``dim``) kept once.

    >>> autograd.tensor([1, 1, 2, 1]).unique_consecutive().tolist()
    [1, 2, 1]
    """
    raw = np.asarray(_raw(x))
    axis = 0 if dim is None else _dim("unique_consecutive", dim, raw.ndim)
    rows = (raw.reshape(-1) if dim is None else np.moveaxis(raw, axis, 0)).reshape(
        (-1,) + ((1,) if dim is None else raw.shape[:axis] + raw.shape[axis + 1:]))
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (rows[1:] != rows[:-1]).reshape(len(rows) - 1, -1).any(1)
    starts = np.flatnonzero(new)
    values = raw.reshape(-1)[starts] if dim is None else np.take(raw, starts, axis)
    inverse = np.cumsum(new) - 1
    out = (Tensor._make(values),) + ((_indices(inverse.reshape(
        raw.shape if dim is None else -1)),) if return_inverse else ()) + (
        (_indices(np.diff(np.append(starts, len(rows)))),) if return_counts else ())
    return out[0] if len(out) == 1 else out


def _triangle_indices(rows_cols, dtype):
    out = np.stack(rows_cols).astype(np.int64)
    return Tensor._make(out if dtype is None else out.astype(np.dtype(dtype)))


@registered("none")
def tril_indices(row, col, offset=0, *, dtype=None):
    """The (row, column) indices of the lower triangle of a ``row`` x ``col`` matrix (from
    the ``offset``-th diagonal down), as a (2, N) tensor (int64 unless ``dtype``), row by
    row.

    >>> autograd.tril_indices(2, 2).tolist()
    [[0, 1, 1], [0, 0, 1]]
    """
    return _triangle_indices(np.tril_indices(row, offset, col), dtype)


@registered("none")
def triu_indices(row, col, offset=0, *, dtype=None):
    """The (row, column) indices of the upper triangle (from the ``offset``-th diagonal
    up), as `tril_indices`.

    >>> autograd.triu_indices(2, 2).tolist()
    [[0, 0, 1], [0, 1, 1]]
    """
    return _triangle_indices(np.triu_indices(row, offset, col), dtype)


@registered("none")
def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where ``values`` would be inserted into ``sorted_sequence`` (its last axis, row by row
    when it has more) to keep it sorted: before equal entries, or after them with
    ``right=True``/``side='right'``.

    >>> autograd.searchsorted(autograd.tensor([1, 3, 5]), autograd.tensor([3, 6])).tolist()
    [1, 3]
    """
    seq, vals = np.asarray(_raw(sorted_sequence)), np.asarray(_raw(values))
    side = side or ("right" if right else "left")
    if sorter is not None:
        seq = np.take_along_axis(seq, np.asarray(_raw(sorter)), -1)
    if seq.ndim <= 1:
        out = np.searchsorted(seq, vals, side=side)
    elif seq.shape[:-1] != vals.shape[:-1]:
        raise ShapeError(f"searchsorted: the leading dimensions of sorted_sequence "
                         f"{seq.shape} and values {vals.shape} must match")
    else:
        rows, found = seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1])
        out = np.stack([np.searchsorted(r, v, side=side) for r, v in zip(rows, found)])
        out = out.reshape(vals.shape)
    return Tensor._make(np.asarray(out, dtype=np.int32 if out_int32 else np.int64))


@registered("none")
def bucketize(x, boundaries, *, out_int32=False, right=False):
    """The bucket of each entry of x among the 1-D ascending ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (``right=True``: boundaries[i-1] <= x <
    boundaries[i]).

    >>> autograd.bucketize(autograd.tensor([3, 6]), autograd.tensor([1, 3, 5])).tolist()
    [1, 3]
    """
    if np.ndim(_raw(boundaries)) != 1:
        raise ShapeError(f"bucketize: boundaries must be 1-D, got shape "
                         f"{np.shape(_raw(boundaries))}")
    return searchsorted(boundaries, x, out_int32=out_int32, right=right)
