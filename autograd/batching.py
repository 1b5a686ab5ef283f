"""The batching rules that ops share, for `autograd.func.vmap` (its machinery, the batched
tensors and the levels, is in `autograd.func._batching`).

Under vmap an op meets *physical* tensors: the real ones, whose axis 0 is the batch. An op's
batching rule runs it once on them, its axes shifted past the batch axis. A rule is
``rule(op, args, batched, params)``: ``args`` the op's inputs (physical ones where
``batched[i]``), ``params`` its keyword parameters; it returns the physical result (batch on
axis 0), or NotImplemented (then the op runs once per sample). An op declares its rule where
it is declared, with ``batch=`` on its decorator (``@linear(..., batch=batching.reshape)``);
an `elementwise` op without one gets `elementwise`. A rule that reads a batched tensor among
the parameters too (an index) sets ``rule.batched_params = True`` and finds which are in
``params["_pbatched"]``.

The op modules import this one, so it imports none of them: the rules call ops through
Tensor methods (``x.reshape``, ``x.permute``...) and ``op.call``, at run time.
"""
import numpy as np

from .tensor import Tensor

__all__ = ["elementwise", "axis", "argreduction", "same", "reshape", "broadcast_to", "sum_to",
           "transpose", "pad", "roll", "diagonal", "diagonal_scatter", "getitem",
           "scatter_add", "index_put", "concatenate", "where", "matmul", "einsum", "unary",
           "expand", "lift", "shift"]


# ------------------------------------------------------------------------- helpers
def _ndim(x, b):
    return (x.ndim - 1) if b else np.ndim(x)


def lift(x, b, n):
    """A batched (``b``) x of logical rank < n as (B, 1, ..., 1, *shape): ranks aligned for
    broadcasting with unbatched operands (numpy aligns from the right)."""
    if not b or x.ndim - 1 == n:
        return x
    return x.reshape((x.shape[0],) + (1,) * (n - x.ndim + 1) + tuple(x.shape[1:]))


def expand(x, size):
    """x (unbatched) repeated ``size`` times on a new axis 0, a broadcast view: a physical
    tensor that a rule can combine with batched ones."""
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    return x.reshape((1,) + tuple(x.shape)).expand((size,) + tuple(x.shape))


def shift(axis, n):
    """Logical axes of a sample of rank ``n`` (an int, a tuple, or None: all; negative ones
    counted from the end) as physical ones, a tuple."""
    if axis is None:
        return tuple(range(1, n + 1))
    if isinstance(axis, (tuple, list)):
        return tuple(shift(a, n)[0] for a in axis)
    return (axis + n + 1 if axis < 0 else axis + 1,)


def unary(fn):
    """A rule for a one-input op (its other inputs, if any, unbatched), from ``fn(op, args,
    n, params)`` where ``n`` is the sample's rank."""
    def rule(op, args, batched, params):
        if not batched[0] or any(batched[1:]):
            return NotImplemented
        return fn(op, args, args[0].ndim - 1, params)
    rule.__name__, rule.__doc__ = fn.__name__, fn.__doc__
    return rule


# ------------------------------------------------------------------------- the rules
def elementwise(op, args, batched, params):
    """Elementwise ops (and comparisons...): broadcast, batch axis first, ranks aligned. The
    default of the `elementwise` kind."""
    n = max(_ndim(a, b) for a, b in zip(args, batched))
    return op.call(*[lift(a, b, n) for a, b in zip(args, batched)], **params)


def where(op, args, batched, params):
    """where(condition, x, y), the condition (a parameter) batched or not."""
    pb = params.pop("_pbatched", {})
    cond = params["condition"]
    cb = pb.get("condition") is True
    n = max([_ndim(a, b) for a, b in zip(args, batched)] + [_ndim(cond, cb)])
    if cb and not any(batched):  # the result takes the batch axis from the condition
        args = [expand(a, cond.shape[0]) for a in args]
        batched = [True] * len(args)
    return op.call(*[lift(a, b, n) for a, b in zip(args, batched)],
                   condition=lift(cond, cb, n))


where.batched_params = True


@unary
def axis(op, args, n, params):
    """Ops with an ``axis`` parameter (int, tuple, or None: all) and others that need no
    change: reductions, cumulative ops, flip, unfold."""
    shifted = shift(params["axis"], n)
    return op.call(*args, **{**params, "axis": shifted if isinstance(
        params["axis"], (tuple, list)) or params["axis"] is None else shifted[0]})


@unary
def same(op, args, n, params):
    """Ops whose parameters need no change (astype, copy, tril...)."""
    return op.call(*args, **params)


@unary
def reshape(op, args, n, params):
    return op.call(*args, shape=(args[0].shape[0],) + tuple(params["shape"]))


@unary
def broadcast_to(op, args, n, params):
    shape = tuple(params["shape"])
    x = lift(args[0], True, len(shape))
    return op.call(x, shape=(x.shape[0],) + shape)


@unary
def sum_to(op, args, n, params):
    x, shape = args[0], tuple(params["shape"])
    lead = n - len(shape)
    if lead:
        x = x.sum(axis=tuple(range(1, lead + 1)))
    return op.call(x, shape=(x.shape[0],) + shape)


@unary
def transpose(op, args, n, params):
    axes = params["axes"]
    axes = tuple(range(n - 1, -1, -1)) if axes is None else axes
    return op.call(args[0], axes=(0,) + tuple((a % n) + 1 for a in axes))


@unary
def pad(op, args, n, params):
    widths = np.broadcast_to(np.asarray(params["pad_width"]), (n, 2))  # numpy's spellings
    return op.call(args[0], pad_width=((0, 0),) + tuple(map(tuple, widths.tolist())))


@unary
def argreduction(op, args, n, params):
    """argmax/argmin: axis None means the flattened sample."""
    x = args[0]
    if params["axis"] is None:
        out = op.call(x.reshape((x.shape[0], -1)), axis=1, keepdims=False)
        return out.reshape((x.shape[0],) + (1,) * n) if params["keepdims"] else out
    return op.call(x, axis=shift(params["axis"], n)[0], keepdims=params["keepdims"])


@unary
def roll(op, args, n, params):
    x, axes = args[0], params["axes"]
    if axes is None:  # numpy's roll of the flattened sample
        flat = op.call(x.reshape((x.shape[0], -1)), shifts=params["shifts"], axes=1)
        return flat.reshape(tuple(x.shape))
    return op.call(x, shifts=params["shifts"], axes=shift(axes, n))


@unary
def diagonal(op, args, n, params):
    return op.call(*args, **{**params, "dim1": shift(params["dim1"], n)[0],
                             "dim2": shift(params["dim2"], n)[0]})


@unary
def diagonal_scatter(op, args, n, params):
    """(the adjoint of diagonal: ``shape`` is the result's)"""
    m = len(params["shape"])
    return op.call(*args, offset=params["offset"], dim1=shift(params["dim1"], m)[0],
                   dim2=shift(params["dim2"], m)[0],
                   shape=(args[0].shape[0],) + tuple(params["shape"]))


def _is_advanced(i):
    return isinstance(i, (np.ndarray, Tensor, list)) and not isinstance(i, (bool, np.bool_))


def getitem(op, args, batched, params):
    """x[index]: the batch axis indexed by a full slice (x batched, index not), or by
    arange(B) beside batched index arrays; advanced indices must lead the index then."""
    pb = params.pop("_pbatched", {})
    index = params["index"]
    index = index if type(index) is tuple else (index,)
    flags = pb.get("index", False)
    flags = flags if type(flags) is tuple else (flags,) * len(index)
    x, xb = args[0], batched[0]
    if not any(flags):
        index = _behind_batch(index)
        return NotImplemented if index is None else op.call(x, index=index)
    lead = 0
    while lead < len(index) and (_is_advanced(index[lead]) or isinstance(
            index[lead], (int, np.integer))):
        lead += 1
    if any(not isinstance(i, slice) for i in index[lead:]) or Ellipsis in index[lead:]:
        return NotImplemented
    size = next(p.shape[0] for p, f in zip(index, flags) if f)
    rank = max(np.ndim(p) - (1 if f else 0) for p, f in zip(index[:lead], flags[:lead]))
    # arrays of the batched index as (B, 1.., shape): ranks aligned among the index arrays
    parts = tuple(lift(p, True, rank) if f else p for p, f in zip(index, flags))
    if xb:
        arange = np.arange(size).reshape((size,) + (1,) * rank)
        parts = (arange,) + parts
    elif not isinstance(x, Tensor):
        x = Tensor(np.asarray(x))
    return op.call(x, index=parts)


getitem.batched_params = True


def _behind_batch(index):
    """An unbatched index, shifted past the batch axis; None when numpy would then move the
    advanced indices' axes before the batch axis (advanced indices apart from each other)."""
    index = index if type(index) is tuple else (index,)
    advanced = [k for k, i in enumerate(index) if _is_advanced(i)]
    if advanced:  # beside an array, an int index is an advanced one too
        advanced = [k for k, i in enumerate(index) if _is_advanced(i) or
                    isinstance(i, (int, np.integer)) and not isinstance(i, bool)]
        if advanced[-1] - advanced[0] + 1 != len(advanced):
            return None
    return (slice(None),) + index


@unary
def scatter_add(op, args, n, params):
    """The adjoint of getitem (``shape`` is the result's), at an unbatched index; x (which
    may broadcast to the entries the index picks) lifted to their rank."""
    index = _behind_batch(params["index"])
    if index is None:
        return NotImplemented
    shape = tuple(params["shape"])
    x = lift(args[0], True, _picked_rank(shape, params["index"]))
    return op.call(x, index=index, shape=(x.shape[0],) + shape)


def _picked_rank(shape, index):
    """The rank of x[index] for an x of ``shape`` (no copy of x made)."""
    return np.broadcast_to(np.empty(()), shape)[index].ndim


def index_put(op, args, batched, params):
    """x with v written at an (unbatched) index: both made batched, v's rank lifted to the
    indexed region's."""
    index = _behind_batch(params["index"])
    if index is None:
        return NotImplemented
    (x, v), (bx, bv) = args, batched
    size = (x if bx else v).shape[0]
    x = x if bx else expand(x, size)
    return op.call(x, lift(v, bv, _picked_rank(tuple(x.shape[1:]), params["index"])),
                   index=index)


def concatenate(op, args, batched, params):
    size = next(a.shape[0] for a, b in zip(args, batched) if b)
    args = [a if b else expand(a, size) for a, b in zip(args, batched)]
    axis = params["axis"]
    n = args[0].ndim - 1
    return op.call(*args, axis=axis + n + 1 if axis < 0 else axis + 1)


def matmul(op, args, batched, params):
    """a @ b with either operand batched: vectors made matrices, ranks aligned."""
    (a, b), (ba, bb) = args, batched
    na, nb = _ndim(a, ba), _ndim(b, bb)
    if na == 0 or nb == 0:
        return NotImplemented
    if na == 1:
        a = _insert_axis(a, -2)
    if nb == 1:
        b = _insert_axis(b, -1)
    n = max(_ndim(a, ba), _ndim(b, bb))
    out = op.call(lift(a, ba, n), lift(b, bb, n))
    if na == 1 or nb == 1:
        shape = tuple(out.shape)
        drop = {len(shape) - 2} if na == 1 else set()
        drop |= {len(shape) - 1} if nb == 1 else set()
        out = out.reshape(tuple(s for i, s in enumerate(shape) if i not in drop))
    return out


def _insert_axis(x, at):
    if not isinstance(x, Tensor):
        return np.expand_dims(x, at)
    shape = list(x.shape)
    shape.insert(len(shape) + at + 1, 1)
    return x.reshape(tuple(shape))


def einsum(op, args, batched, params):
    """An einsum (any number of operands): a new letter for the batch axis."""
    equation = params["equation"]
    if "->" not in equation:
        return NotImplemented
    inputs, output = equation.replace(" ", "").split("->")
    letter = next(c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA"
                  if c not in equation)
    terms = inputs.split(",")
    terms = [letter + t if b else t for t, b in zip(terms, batched)]
    return op.call(*args, equation=",".join(terms) + "->" + letter + output)
