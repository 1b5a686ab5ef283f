"""Sorting, selection and scans, as PyTorch's: ``sort``, ``argsort``, ``msort``, ``topk``,
``kthvalue``, ``median``, ``nanmedian``, ``mode``, ``cummax``, ``cummin``, ``cumprod``,
``logcumsumexp``.

The ops that select entries return `ValuesIndices` pairs (``.values``, ``.indices`` int64,
and tuple unpacking) where PyTorch does. Their values are the input's entries picked at the
indices (the linear `getitem` primitive), so the gradient goes to the picked entries and
forward mode comes for free. Orders are computed with a stable sort, NaN sorted as the
largest value (PyTorch's rule): among ties the earlier index comes first. PyTorch chooses
among ties deterministically only with ``stable=True``; we always give that order.
A 0-d tensor is treated as having one axis of size 1 (``dim`` 0 or -1), as PyTorch does.
"""
import numpy as np

from . import batching
from .engine import primitive
from .errors import DtypeError, IndexingError
from .indexing import _dim, _indices, _pick
from .ops import _extreme_jvp, _extreme_vjp, _flip, _raw, cumsum, exp, log, reshape, where
from .registry import registered
from .returns import ValuesIndices


# ------------------------------------------------------------------ helpers
def _order(x, axis, descending=False):
    """The indices that sort x along ``axis``, stably (ties keep their order), NaN last
    (first when descending), as PyTorch's ``sort(stable=True)``."""
    x = np.asarray(x)
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    flipped = np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)
    return x.shape[axis] - 1 - flipped


def _along(name, x, dim, run):
    """``run(x, axis)`` -> (values, indices) along ``dim``; a 0-d x as one of shape (1,),
    its results back to 0-d."""
    ndim = np.ndim(x)
    axis = _dim(name, dim, ndim)
    if ndim:
        return ValuesIndices(*run(x, axis))
    values, indices = run(reshape(x, (1,)), 0)
    return ValuesIndices(reshape(values, ()), reshape(indices, ()))


def _selection(name, x, dim, keepdim, choose):
    """The (values, indices) of one entry per slice along ``dim``: ``choose(raw, axis)``
    gives its index with the axis kept (size 1); the gradient goes to the chosen entry."""

    def run(x, axis):
        if np.shape(x)[axis] == 0:
            raise IndexingError(f"{name}: dim {dim} has size 0 (shape {np.shape(x)}); there "
                                "is no entry to choose")
        idx = np.asarray(choose(np.asarray(_raw(x)), axis), dtype=np.int64)
        values = _pick(x, idx, axis)
        if keepdim:
            return values, _indices(idx)
        return (reshape(values, idx.shape[:axis] + idx.shape[axis + 1:]),
                _indices(np.squeeze(idx, axis)))

    return _along(name, x, dim, run)


# ------------------------------------------------------------------ sorting
@registered(method=True)
def sort(x, dim=-1, descending=False, stable=False):
    """x sorted along ``dim``, as ``(values, indices)`` (PyTorch's ``sort``); NaN counts as
    the largest value. Ties keep their order (``stable``); PyTorch leaves their order
    unspecified unless ``stable=True``. The gradient goes back to where each value came from.

    >>> values, indices = autograd.tensor([2.0, 1.0, 2.0, 0.0]).sort(descending=True)
    >>> values.tolist(), indices.tolist()
    ([2.0, 2.0, 1.0, 0.0], [0, 2, 1, 3])
    """

    def run(x, axis):
        idx = _order(_raw(x), axis, descending)
        return _pick(x, idx, axis), _indices(idx)

    return _along("sort", x, dim, run)


@registered("none", method=True)
def argsort(x, dim=-1, descending=False, stable=False):
    """The indices that sort x along ``dim`` (int64; ties in their original order).

    >>> autograd.tensor([3.0, 1.0, 2.0]).argsort().tolist()
    [1, 2, 0]
    """
    return sort(x, dim, descending, stable).indices


@registered(method=True)
def msort(x):
    """x sorted along its first dimension (PyTorch's ``msort``: ``sort(x, 0).values``).

    >>> autograd.tensor([[3.0, 1.0], [0.0, 2.0]]).msort().tolist()
    [[0.0, 1.0], [3.0, 2.0]]
    """
    return sort(x, 0).values


@registered(method=True)
def topk(x, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (``largest=False``: smallest) entries along ``dim`` and their
    indices, largest first (always sorted; among ties the earlier index first).

    >>> autograd.tensor([1.0, 5.0, 3.0]).topk(2).indices.tolist()
    [1, 2]
    """

    def run(x, axis):
        n = np.shape(x)[axis]
        if not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
            raise IndexingError(f"topk: k = {k!r} is out of range for dim {dim} of size {n} "
                                f"(shape {np.shape(x)}; valid: 0 to {n})")
        idx = np.take(_order(_raw(x), axis, largest), np.arange(k), axis)
        return _pick(x, idx, axis), _indices(idx)

    return _along("topk", x, dim, run)


@registered(method=True)
def kthvalue(x, k, dim=-1, keepdim=False):
    """The ``k``-th smallest entry (k from 1) along ``dim`` and its index (among ties the
    earliest; PyTorch's choice among ties is unspecified).

    >>> autograd.tensor([3.0, 1.0, 2.0]).kthvalue(2)
    ValuesIndices(values=Tensor(2.), indices=Tensor(2))
    """

    def choose(raw, axis):
        n = raw.shape[axis]
        if not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
            raise IndexingError(f"kthvalue: k = {k!r} is out of range for dim {dim} of size "
                                f"{n} (shape {raw.shape}; valid: 1 to {n})")
        return np.take(_order(raw, axis), [k - 1], axis)

    return _selection("kthvalue", x, dim, keepdim, choose)


# ------------------------------------------------------------------ medians and mode
def _lower_median(x, skip_nan):
    """The lower median of a flat array: NaN if it holds a NaN (unless ``skip_nan``) or
    nothing (but NaN)."""
    x = np.sort(np.ravel(x))
    n = np.count_nonzero(~np.isnan(x)) if x.dtype.kind == "f" else x.size
    if n == 0 or (n < x.size and not skip_nan):
        return np.array(np.nan, dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    return x[(n - 1) // 2]


# without a dim the gradient is shared equally by the entries equal to the median, as max's
@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp, saves="x ans")
def _median(x, axis, keepdims):
    return _lower_median(x, skip_nan=False)


@primitive(vjp=_extreme_vjp, jvp=_extreme_jvp, saves="x ans")
def _nanmedian(x, axis, keepdims):
    return _lower_median(x, skip_nan=True)


def _median_index(skip_nan):
    def choose(raw, axis):
        order = _order(raw, axis)
        n = raw.shape[axis]
        nan = np.isnan(raw) if raw.dtype.kind == "f" else np.zeros(raw.shape, dtype=bool)
        valid = np.sum(~nan, axis, keepdims=True)
        # the lower median of the non-NaN entries; with a NaN (median): the first NaN
        at = np.where(valid == n, (n - 1) // 2,
                      np.maximum(valid - 1, 0) // 2 if skip_nan else valid)
        return np.take_along_axis(order, at, axis)

    return choose


@registered(method=True)
def median(x, dim=None, keepdim=False):
    """The lower median (of an even count, the smaller middle value; NaN if there is a NaN):
    of all entries as a 0-d tensor (its gradient shared by the entries equal to it), or
    along ``dim`` as ``(values, indices)`` (the gradient to the chosen entry).

    >>> autograd.tensor([4.0, 1.0, 3.0, 2.0]).median()
    Tensor(2.)
    >>> autograd.tensor([[4.0, 1.0, 3.0]]).median(1).indices.tolist()
    [2]
    """
    if dim is None:
        return _median(reshape(x, (-1,)), axis=None, keepdims=False)
    return _selection("median", x, dim, keepdim, _median_index(skip_nan=False))


@registered(method=True)
def nanmedian(x, dim=None, keepdim=False):
    """`median` ignoring NaN (NaN only where every entry is NaN).

    >>> autograd.tensor([1.0, float("nan"), 3.0, 2.0]).nanmedian()
    Tensor(2.)
    """
    if dim is None:
        return _nanmedian(reshape(x, (-1,)), axis=None, keepdims=False)
    return _selection("nanmedian", x, dim, keepdim, _median_index(skip_nan=True))


def _mode_index(raw, axis):
    rows = np.moveaxis(raw, axis, -1)
    flat = rows.reshape(-1, rows.shape[-1])
    out = np.empty(len(flat), dtype=np.int64)
    for r, row in enumerate(flat):
        values, counts = np.unique(row, return_counts=True)
        out[r] = np.flatnonzero(row == values[np.argmax(counts)])[-1]
    return np.expand_dims(out.reshape(rows.shape[:-1]), axis)


@registered(method=True)
def mode(x, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and
    the index of its last occurrence, as PyTorch's ``mode`` (with NaN in a slice PyTorch's
    answer differs and is not documented).

    >>> autograd.tensor([2.0, 1.0, 2.0, 1.0, 3.0]).mode()
    ValuesIndices(values=Tensor(1.), indices=Tensor(3))
    """
    return _selection("mode", x, dim, keepdim, _mode_index)


# ------------------------------------------------------------------ scans
def _running(name, accumulate):
    def index(raw, axis):
        best = accumulate(raw, axis=axis)
        hit = (raw == best) | (np.isnan(raw) if raw.dtype.kind == "f" else False)
        steps = np.arange(raw.shape[axis]).reshape((-1,) + (1,) * (raw.ndim - axis - 1))
        # the latest position (ties and NaN included) that set the running value, as PyTorch
        return np.maximum.accumulate(np.where(hit, steps, 0), axis=axis)

    def run(x, axis):
        idx = index(np.asarray(_raw(x)), axis)
        return _pick(x, idx, axis), _indices(idx)

    return lambda x, dim: _along(name, x, dim, run)


_cummax = _running("cummax", np.maximum.accumulate)
_cummin = _running("cummin", np.minimum.accumulate)


@registered(method=True)
def cummax(x, dim):
    """Running maxima along ``dim`` and where each was attained (the latest index among
    ties; NaN propagates), as ``(values, indices)``; the gradient goes to that entry.

    >>> autograd.tensor([1.0, 3.0, 2.0, 3.0]).cummax(0).indices.tolist()
    [0, 1, 1, 3]
    """
    return _cummax(x, dim)


@registered(method=True)
def cummin(x, dim):
    """Running minima along ``dim`` and where each was attained (see `cummax`).

    >>> autograd.tensor([3.0, 1.0, 2.0]).cummin(0).values.tolist()
    [3.0, 1.0, 1.0]
    """
    return _cummin(x, dim)


def _reverse_cumsum(g, axis):
    return _flip(cumsum(_flip(g, axis=axis), axis), axis=axis)


@primitive(vjp=lambda g, ans, x, axis: _reverse_cumsum(g * ans, axis) / x,
           jvp=lambda t, ans, x, axis: ans * cumsum(t / x, axis), saves="x ans",
           batch=batching.axis)
def _cumprod(x, axis):
    return np.cumprod(x, axis=axis)


@registered("general", method=True)
def cumprod(x, dim, *, dtype=None):
    """Running products along ``dim``. Its derivatives of every order are exact where entries
    are 0: the first zero z of each slice is factored out (out = cumprod(x with z as 1) * z
    from z on), one pass per zero in a slice.

    >>> autograd.tensor([2.0, 0.0, 3.0]).cumprod(0).tolist()
    [2.0, 0.0, 0.0]
    """
    if dtype is not None:
        x = x.astype(dtype)
    if np.ndim(x) == 0:
        _dim("cumprod", dim, 0)
        return x * 1
    axis = _dim("cumprod", dim, np.ndim(x))
    raw = np.asarray(_raw(x))
    if raw.dtype.kind != "f" or not (raw == 0).any():
        return _cumprod(x, axis=axis)
    zero = raw == 0
    first = np.argmax(zero, axis, keepdims=True)  # each slice's first zero (0: none)
    steps = np.arange(zero.shape[axis]).reshape((-1,) + (1,) * (zero.ndim - axis - 1))
    has = zero.any(axis, keepdims=True)
    rest = cumprod(where((steps == first) & has, 1.0, x), axis)  # one zero fewer
    return rest * where((steps >= first) & has, _pick(x, first, axis), 1.0)


def _finite(ans):
    """ans with -inf (a prefix of -inf entries) as 0: every weight exp(x - ans) there is
    exp(-inf) = 0, not NaN."""
    return where(np.isfinite(_raw(ans)), ans, 0.0)


def _log_parts(v, combine):
    """combine(log of v's positive part) - combine(log of its negative part), each part's
    log -inf where it is 0: how a sum of exponentials weighted by v stays in log space."""
    out = None
    for sign in (1, -1):
        mask = _raw(v) * sign > 0
        part = combine(where(mask, log(where(mask, v * sign, 1.0)), -np.inf))
        out = part if out is None else out - part
    return out


def _logcumsumexp_vjp(g, ans, x, axis):
    # d ans[i] / d x[j] = exp(x[j] - ans[i]) for j <= i, summed from the end in log space
    a = _finite(ans)
    return _log_parts(g, lambda lg: exp(x + _flip(_logcumsumexp(_flip(lg - a, axis=axis),
                                                                axis=axis), axis=axis)))


def _logcumsumexp_jvp(t, ans, x, axis):
    a = _finite(ans)
    return _log_parts(t, lambda lt: exp(_logcumsumexp(lt + x, axis=axis) - a))


@primitive(vjp=_logcumsumexp_vjp, jvp=_logcumsumexp_jvp, saves="x ans", batch=batching.axis)
def _logcumsumexp(x, axis):
    return np.logaddexp.accumulate(x, axis=axis)


@registered("general", method=True)
def logcumsumexp(x, dim):
    """log(cumsum(exp(x))) along ``dim``, without overflow; its gradient stays in log space
    too. Where an input is -inf its gradient is 0 (PyTorch gives NaN there).

    >>> [round(v, 3) for v in autograd.tensor([1000.0, 1000.0]).logcumsumexp(0).tolist()]
    [1000.0, 1000.693]
    """
    if np.asarray(_raw(x)).dtype.kind != "f":
        raise DtypeError(f"logcumsumexp: expects a floating-point tensor, got "
                         f"{np.asarray(_raw(x)).dtype}; convert first, e.g. x.double()")
    if np.ndim(x) == 0:
        _dim("logcumsumexp", dim, 0)
        return x * 1
    return _logcumsumexp(x, axis=_dim("logcumsumexp", dim, np.ndim(x)))
