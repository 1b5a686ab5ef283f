"""vmap's machinery: batched tensors and the batching rules of the ops.

Inside ``vmap(f)`` the inputs are `Batched` tensors: a tensor whose shape is the per-sample
("logical") shape, wrapping the real ("physical") tensor whose axis 0 is the batch. When an op
meets a batched input, the engine (`engine.apply`) hands it here: the op's batching rule runs
the op once on the physical tensors, shifting its axes past the batch axis, and the result is
wrapped again. The physical ops are ordinary recorded ops, so backward (and `grad` of a
function that calls vmap, or `grad` inside vmap) runs on the physical graph with no rules of
its own.

A rule is ``rule(op, args, batched, params)``: ``args`` the inputs (physical ones where
``batched[i]``), ``params`` the op's keyword parameters; it returns the physical result (batch
on axis 0), or NotImplemented. An op declares its rule with ``batch=`` on its decorator
(`engine.primitive` and the others) or gets its kind's default (elementwise ops broadcast
after aligning ranks). Ops without a rule run once per sample (a loop) with a warning naming
the op. Nested vmaps are levels: a batched tensor of an inner vmap wraps one of the outer.
"""
import os
import threading
import warnings

import numpy as np

from .. import engine, ops
from ..engine import ElementwiseOp
from ..grad_mode import state
from ..tensor import Tensor, _Size


class BatchingError(RuntimeError):
    """vmap cannot batch this function (values of a batched tensor read in Python...)."""


class Batched(Tensor):
    """A tensor of one vmap level: ``value`` (whose axis 0 is this level's batch axis; it is a
    plain Tensor or a `Batched` of an outer level) seen without that axis."""

    def __init__(self, value, level):  # noqa: D107 (no Tensor.__init__: nothing to convert)
        self._node, self._vc, self._requires_grad = None, None, False
        self.value, self.level = value, level

    @property
    def _data(self):
        raise BatchingError(
            "vmap: the function reads the values of a batched tensor in Python (np.asarray, "
            ".item(), .numpy(), bool(), an ndarray taken from it), which vmap cannot batch. "
            "Compute with autograd's ops instead, or move that step out of vmap")

    @property
    def shape(self):
        return tuple(self.value.shape[1:])

    @property
    def ndim(self):
        return self.value.ndim - 1

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def size(self):
        shape = self.shape
        return _Size(int(np.prod(shape, dtype=np.int64)), shape)

    def numel(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def dim(self):
        return self.ndim

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    @property
    def requires_grad(self):
        return self.value.requires_grad

    def __array_function__(self, func, types, args, kwargs):
        """np.shape, np.ndim and np.size answer for the sample (the checks of many ops ask
        them); numpy's other functions run our ops, as on any Tensor."""
        if func in _SHAPE_QUERIES and len(args) == 1 and not kwargs:
            return _SHAPE_QUERIES[func](self)
        return super().__array_function__(func, types, args, kwargs)

    def detach(self):
        return Batched(self.value.detach(), self.level)

    def __repr__(self):
        return f"BatchedTensor(lvl={self.level}, bdim=0, value=\n{self.value!r})"


_SHAPE_QUERIES = {np.shape: lambda x: x.shape, np.ndim: lambda x: x.ndim,
                  np.size: lambda x: x.numel()}


# ------------------------------------------------------------------------- levels
_running = [0]  # vmaps running, in every thread: the engine's hook is set while any is
_lock = threading.Lock()


def push_level(size, randomness):
    level = len(state.vmap_levels) + 1
    state.vmap_levels = state.vmap_levels + ((level, size, randomness),)
    with _lock:
        _running[0] += 1
        engine.batch_hook = dispatch
    return level


def pop_level():
    state.vmap_levels = state.vmap_levels[:-1]
    with _lock:
        _running[0] -= 1
        if not _running[0]:
            engine.batch_hook = None


def level_size(level):
    return state.vmap_levels[level - 1][1]


def levels_of(x):
    """The vmap levels at which x is batched, outermost wrapper (innermost vmap) first."""
    out = []
    while type(x) is Batched:
        out.append(x.level)
        x = x.value
    return out


def physical(x):
    """The plain Tensor under every level of batching."""
    while type(x) is Batched:
        x = x.value
    return x


def rewrap(like, value):
    """``value`` (a physical tensor shaped as ``like``'s) batched at ``like``'s levels."""
    levels = levels_of(like)
    for level in reversed(levels):
        value = Batched(value, level)
    return value


def expand(x, level, size):
    """x batched at ``level`` too, its value repeated (a broadcast view) ``size`` times."""
    if type(x) is Batched and x.level > level:
        return Batched(expand(x.value, level, size), x.level)
    if type(x) is Batched and x.level == level:
        return x
    x = x if isinstance(x, Tensor) else Tensor(x)
    shape = tuple(x.shape)
    return Batched(engine._broadcast_to(ops._reshape(x, shape=(1,) + shape),
                                        shape=(size,) + shape), level)


def align(x, levels):
    """x batched at every level in ``levels`` (expanding it where it is not)."""
    for level in sorted(levels):
        if level not in levels_of(x):
            x = expand(x, level, level_size(level))
    return x


def move_to_front(x, dim):
    """x (a Tensor of any level) with axis ``dim`` moved to axis 0."""
    n = x.ndim
    dim = dim + n if dim < 0 else dim
    if dim == 0:
        return x
    return ops._transpose(x, axes=(dim,) + tuple(i for i in range(n) if i != dim))


def move_from_front(x, dim):
    n = x.ndim
    dim = dim + n if dim < 0 else dim
    if dim == 0:
        return x
    order = list(range(1, n))
    order.insert(dim, 0)
    return ops._transpose(x, axes=tuple(order))


# ------------------------------------------------------------------------- dispatch
def _batched_at(x, level):
    return type(x) is Batched and x.level == level


def _param_tensors(v):
    if isinstance(v, Tensor):
        return (v,)
    if type(v) is tuple:
        return tuple(p for p in v if isinstance(p, Tensor))
    return ()


def dispatch(op, args, params):
    """Run ``op`` on arguments some of which are batched (the engine's hook); NotImplemented
    when none is."""
    level = 0
    for a in args:
        if type(a) is Batched and a.level > level:
            level = a.level
    for v in params.values():
        for p in _param_tensors(v):
            if type(p) is Batched and p.level > level:
                level = p.level
    if not level:
        return NotImplemented
    batched = [_batched_at(a, level) for a in args]
    values = [a.value if b else a for a, b in zip(args, batched)]
    pbatched = {}
    for k, v in params.items():
        if _batched_at(v, level):
            params = {**params, k: v.value}
            pbatched[k] = True
        elif type(v) is tuple and any(_batched_at(p, level) for p in v):
            params = {**params, k: tuple(p.value if _batched_at(p, level) else p for p in v)}
            pbatched[k] = tuple(_batched_at(p, level) for p in v)
    rule = rule_for(op)
    out = NotImplemented
    if rule is not None and (not pbatched or getattr(rule, "batched_params", False)):
        out = rule(op, values, batched, dict(params, _pbatched=pbatched)
                   if pbatched else params)
    if out is NotImplemented:
        out = _loop(op, values, batched, params, pbatched, level_size(level))
    return Batched(out, level)


def _loop(op, values, batched, params, pbatched, size):
    """The fallback: the op once per sample, the results stacked."""
    warnings.warn(f"vmap: the op {op.name!r} has no batching rule for these arguments, so it "
                  f"runs once per sample ({size} times); declare one with batch= (see "
                  "CONTRIBUTING.md) to make it fast", stacklevel=4)
    results = []
    for b in range(size):
        args = [v[b] if f else v for v, f in zip(values, batched)]
        kw = {}
        for k, v in params.items():
            flag = pbatched.get(k)
            kw[k] = v[b] if flag is True else tuple(p[b] if f else p for p, f in zip(v, flag)) \
                if flag else v
        out = op.call(*args, **kw)
        results.append(out if isinstance(out, Tensor) else Tensor(out))
    return ops.stack(results)


def rule_for(op):
    rule = getattr(op, "batch", None)
    if rule is not None:
        return rule
    rule = RULES.get(op.name)
    if rule is None and isinstance(op, ElementwiseOp):
        rule = elementwise_rule
    return rule


# ------------------------------------------------------------------------- the rules
def _ndim(x, b):
    return (x.ndim - 1) if b else np.ndim(x)


def _lift(x, b, n):
    """A batched x of logical rank < n as (B, 1, ..., 1, *shape): ranks aligned for
    broadcasting with unbatched operands (numpy aligns from the right)."""
    if not b or x.ndim - 1 == n:
        return x
    return ops._reshape(x, shape=(x.shape[0],) + (1,) * (n - x.ndim + 1) + tuple(x.shape[1:]))


def elementwise_rule(op, args, batched, params):
    """Elementwise ops (and comparisons...): broadcast, batch axis first, ranks aligned."""
    n = max(_ndim(a, b) for a, b in zip(args, batched))
    return op.call(*[_lift(a, b, n) for a, b in zip(args, batched)], **params)


def _where_rule(op, args, batched, params):
    pb = params.pop("_pbatched", {})
    cond = params["condition"]
    cb = pb.get("condition") is True
    n = max([_ndim(a, b) for a, b in zip(args, batched)] + [_ndim(cond, cb)])
    if cb and not any(batched):  # the result takes the batch axis from the condition
        args = [expand_physical(a, cond.shape[0]) for a in args]
        batched = [True] * len(args)
    return op.call(*[_lift(a, b, n) for a, b in zip(args, batched)],
                   condition=_lift(cond, cb, n))


_where_rule.batched_params = True


def expand_physical(x, size):
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    return engine._broadcast_to(ops._reshape(x, shape=(1,) + tuple(x.shape)),
                                shape=(size,) + tuple(x.shape))


def _shift(axis, n):
    """Logical axes (None: all, negative ones counted from the end) as physical ones."""
    if axis is None:
        return tuple(range(1, n + 1))
    if isinstance(axis, (tuple, list)):
        return tuple(_shift(a, n)[0] for a in axis)
    return (axis + n + 1 if axis < 0 else axis + 1,)


def _unary(fn):
    """A rule for a one-input op (the other inputs, if any, unbatched)."""
    def rule(op, args, batched, params):
        if not batched[0] or any(batched[1:]):
            return NotImplemented
        return fn(op, args, args[0].ndim - 1, params)
    return rule


@_unary
def _reduction_rule(op, args, n, params):
    axis = _shift(params["axis"], n)
    return op.call(*args, **{**params, "axis": axis if isinstance(params["axis"], (tuple, list))
                             or params["axis"] is None else axis[0]})


@_unary
def _same_rule(op, args, n, params):
    return op.call(*args, **params)


@_unary
def _reshape_rule(op, args, n, params):
    return op.call(*args, shape=(args[0].shape[0],) + tuple(params["shape"]))


@_unary
def _broadcast_rule(op, args, n, params):
    shape = tuple(params["shape"])
    x = _lift(args[0], True, len(shape))
    return op.call(x, shape=(x.shape[0],) + shape)


@_unary
def _sum_to_rule(op, args, n, params):
    x, shape = args[0], tuple(params["shape"])
    lead = n - len(shape)
    if lead:
        x = ops._sum(x, axis=tuple(range(1, lead + 1)), keepdims=False)
    return op.call(x, shape=(x.shape[0],) + shape)


@_unary
def _transpose_rule(op, args, n, params):
    axes = params["axes"]
    axes = tuple(range(n - 1, -1, -1)) if axes is None else axes
    return op.call(args[0], axes=(0,) + tuple((a % n) + 1 for a in axes))


@_unary
def _pad_rule(op, args, n, params):
    widths = np.broadcast_to(np.asarray(params["pad_width"]), (n, 2))  # numpy's spellings
    return op.call(args[0], pad_width=((0, 0),) + tuple(map(tuple, widths.tolist())))


@_unary
def _arg_rule(op, args, n, params):
    """argmax/argmin: axis None means the flattened sample."""
    x = args[0]
    if params["axis"] is None:
        out = op.call(ops._reshape(x, shape=(x.shape[0], -1)), axis=1, keepdims=False)
        return ops._reshape(out, shape=(x.shape[0],) + (1,) * n) if params["keepdims"] else out
    return op.call(x, axis=_shift(params["axis"], n)[0], keepdims=params["keepdims"])


@_unary
def _roll_rule(op, args, n, params):
    x, axes = args[0], params["axes"]
    if axes is None:  # numpy's roll of the flattened sample
        flat = op.call(ops._reshape(x, shape=(x.shape[0], -1)), shifts=params["shifts"], axes=1)
        return ops._reshape(flat, shape=tuple(x.shape))
    return op.call(x, shifts=params["shifts"], axes=_shift(axes, n))


@_unary
def _axis_rule(op, args, n, params):
    """Ops with one ``axis`` (int) and other parameters that need no change (unfold)."""
    return op.call(*args, **{**params, "axis": _shift(params["axis"], n)[0]})


@_unary
def _diagonal_rule(op, args, n, params):
    return op.call(*args, **{**params, "dim1": _shift(params["dim1"], n)[0],
                             "dim2": _shift(params["dim2"], n)[0]})


@_unary
def _diagonal_scatter_rule(op, args, n, params):
    """(the adjoint of diagonal: ``shape`` is the result's)"""
    m = len(params["shape"])
    return op.call(*args, offset=params["offset"], dim1=_shift(params["dim1"], m)[0],
                   dim2=_shift(params["dim2"], m)[0],
                   shape=(args[0].shape[0],) + tuple(params["shape"]))


def _is_advanced(i):
    return isinstance(i, (np.ndarray, Tensor, list)) and not isinstance(i, (bool, np.bool_))


def _getitem_rule(op, args, batched, params):
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
    parts = tuple(_lift(p, True, rank) if f else p for p, f in zip(index, flags))
    if xb:
        arange = np.arange(size).reshape((size,) + (1,) * rank)
        parts = (arange,) + parts
    elif not isinstance(x, Tensor):
        x = Tensor(np.asarray(x))
    return op.call(x, index=parts)


_getitem_rule.batched_params = True


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


@_unary
def _scatter_add_rule(op, args, n, params):
    index = _behind_batch(params["index"])
    if index is None:
        return NotImplemented
    x = args[0]
    return op.call(x, index=index, shape=(x.shape[0],) + tuple(params["shape"]))


def _index_put_rule(op, args, batched, params):
    """x with v written at an (unbatched) index: both made batched, v's rank lifted to the
    indexed region's."""
    index = _behind_batch(params["index"])
    if index is None:
        return NotImplemented
    (x, v), (bx, bv) = args, batched
    size = (x if bx else v).shape[0]
    x = x if bx else expand_physical(x, size)
    region = np.broadcast_to(np.empty(()), tuple(x.shape[1:]))[params["index"]].ndim
    return op.call(x, _lift(v, bv, region), index=index)


def _concatenate_rule(op, args, batched, params):
    size = next(a.shape[0] for a, b in zip(args, batched) if b)
    args = [a if b else expand_physical(a, size) for a, b in zip(args, batched)]
    axis = params["axis"]
    n = args[0].ndim - 1
    return op.call(*args, axis=axis + n + 1 if axis < 0 else axis + 1)


def _matmul_rule(op, args, batched, params):
    """a @ b with either operand batched: vectors made matrices, ranks aligned."""
    (a, b), (ba, bb) = args, batched
    na, nb = _ndim(a, ba), _ndim(b, bb)
    if na == 0 or nb == 0:
        return NotImplemented
    if na == 1:
        a = _insert_axis(a, ba, -2)
    if nb == 1:
        b = _insert_axis(b, bb, -1)
    n = max(_ndim(a, ba), _ndim(b, bb))
    out = op.call(_lift(a, ba, n), _lift(b, bb, n))
    if na == 1 or nb == 1:
        shape = tuple(out.shape)
        drop = {len(shape) - 2} if na == 1 else set()
        drop |= {len(shape) - 1} if nb == 1 else set()
        out = ops._reshape(out, shape=tuple(s for i, s in enumerate(shape) if i not in drop))
    return out


def _insert_axis(x, b, where):
    if not isinstance(x, Tensor):
        return np.expand_dims(x, where)
    shape = list(x.shape)
    shape.insert(len(shape) + where + 1, 1)
    return ops._reshape(x, shape=tuple(shape))


def _linear_rule(op, args, batched, params):
    """nn's fused x @ W.T + b: x alone batched runs as is (leading axes are free); a batched
    weight or bias (per-sample gradients) becomes a batched matmul."""
    x, w, bias = args
    bx, bw, bb = batched
    if not bw and not bb:
        return op.call(x, w, bias) if bx else NotImplemented
    size = next(a.shape[0] for a, f in zip(args, batched) if f)
    x = x if bx else expand_physical(x, size)
    w = w if bw else expand_physical(w, size)
    lead = x.ndim - 2  # x's own leading axes
    x3 = ops._reshape(x, shape=(size, -1, x.shape[-1]))
    out = ops.matmul(x3, ops._transpose(w, axes=(0, 2, 1)))
    if bias is not None:
        out = out + (ops._reshape(bias, shape=(size, 1, bias.shape[-1])) if bb else bias)
    return ops._reshape(out, shape=(size,) + tuple(x.shape[1:1 + lead]) + (out.shape[-1],))


def _merge_rule(op, args, batched, params):
    """Ops whose input's axis 0 is already a free batch axis (im2col, max_pool): the vmap
    batch is merged into it and split off again."""
    if not batched[0] or any(batched[1:]):
        return NotImplemented
    x = args[0]
    size, n = x.shape[0], x.shape[1]
    out = op.call(ops._reshape(x, shape=(size * n,) + tuple(x.shape[2:])), *args[1:], **params)
    return ops._reshape(out, shape=(size, n) + tuple(out.shape[1:]))


def _fold(x, size):
    """(B, N, C, *s) -> (N, B * C, *s): B samples as B groups of channels."""
    x = ops._transpose(x, axes=(1, 0) + tuple(range(2, x.ndim)))
    return ops._reshape(x, shape=(x.shape[0], size * x.shape[2]) + tuple(x.shape[3:]))


def _unfold(y, size):
    """(N, B * C, *s) -> (B, N, C, *s): the inverse of `_fold`."""
    y = ops._reshape(y, shape=(y.shape[0], size, y.shape[1] // size) + tuple(y.shape[2:]))
    return ops._transpose(y, axes=(1, 0) + tuple(range(2, y.ndim)))


def _conv_rule(op, args, batched, params):
    """nn's convolution map (x, w): a batched input alone merges into the images; a batched
    weight (per-sample gradients) makes each sample a group of channels, groups × B."""
    (x, w), (bx, bw) = args, batched
    if not bw:
        return _merge_rule(op, args, batched, params)
    size = w.shape[0]
    x = x if bx else expand_physical(x, size)
    weights = ops._reshape(w, shape=(size * w.shape[1],) + tuple(w.shape[2:]))
    return _unfold(op.call(_fold(x, size), weights,
                           **{**params, "groups": params["groups"] * size}), size)


def _conv_input_grad_rule(op, args, batched, params):
    """The convolution's input gradient (g, w), batched as `_conv_rule`."""
    (g, w), (bg, bw) = args, batched
    shape = tuple(params["shape"])
    if not bw:
        size, n = g.shape[0], g.shape[1]
        out = op.call(ops._reshape(g, shape=(size * n,) + tuple(g.shape[2:])), w,
                      **{**params, "shape": (size * n,) + shape[1:]})
        return ops._reshape(out, shape=(size, n) + tuple(out.shape[1:]))
    size = w.shape[0]
    g = g if bg else expand_physical(g, size)
    weights = ops._reshape(w, shape=(size * w.shape[1],) + tuple(w.shape[2:]))
    return _unfold(op.call(_fold(g, size), weights,
                           **{**params, "shape": (shape[0], size * shape[1]) + shape[2:],
                              "groups": params["groups"] * size}), size)


def _conv_weight_grad_rule(op, args, batched, params):
    """The convolution's weight gradient (x, g): each sample a group of channels."""
    (x, g), (bx, bg) = args, batched
    size = (x if bx else g).shape[0]
    x = x if bx else expand_physical(x, size)
    g = g if bg else expand_physical(g, size)
    out = op.call(_fold(x, size), _fold(g, size),
                  **{**params, "groups": params["groups"] * size})
    return ops._reshape(out, shape=(size, out.shape[0] // size) + tuple(out.shape[1:]))


def _einsum_rule(op, args, batched, params):
    equation = params["equation"]
    if "->" not in equation:
        return NotImplemented
    inputs, output = equation.replace(" ", "").split("->")
    letter = next(c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA"
                  if c not in equation)
    terms = inputs.split(",")
    terms = [letter + t if b else t for t, b in zip(terms, batched)]
    return op.call(*args, equation=",".join(terms) + "->" + letter + output)


_einsum_rule.batched_params = False

RULES = {
    # comparisons, logical and bitwise ops, and a few fused elementwise ones (declared as
    # general primitives) broadcast like the elementwise kind
    **{name: elementwise_rule for name in (
        "eq", "not_equal", "less", "less_equal", "greater", "greater_equal", "isclose",
        "isnan", "isinf", "isfinite", "logical_and", "logical_or", "logical_xor",
        "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
        "bitwise_left_shift", "bitwise_right_shift", "mul", "zero_link",
        "binary_cross_entropy", "binary_cross_entropy_with_logits")},
    **{name: _reduction_rule for name in (
        "sum", "prod", "max", "min", "logsumexp", "cumsum",
        "cumprod", "logcumsumexp", "flip", "all", "any")},
    "argmax": _arg_rule, "argmin": _arg_rule, "roll": _roll_rule, "unfold": _axis_rule,
    "diagonal": _diagonal_rule, "diagonal_scatter": _diagonal_scatter_rule,
    "einsum_n": _einsum_rule,
    "astype": _same_rule, "copy": _same_rule, "tril": _same_rule, "triu": _same_rule,
    "reshape": _reshape_rule, "broadcast_to": _broadcast_rule, "sum_to": _sum_to_rule,
    "transpose": _transpose_rule, "pad": _pad_rule, "getitem": _getitem_rule,
    "concatenate": _concatenate_rule, "scatter_add": _scatter_add_rule,
    "index_put": _index_put_rule, "where": _where_rule, "matmul": _matmul_rule,
    "einsum1": _einsum_rule, "einsum2": _einsum_rule, "linear": _linear_rule,
    "im2col": _merge_rule, "max_pool": _merge_rule, "window_sum": _merge_rule,
    "conv": _conv_rule, "conv_input_grad": _conv_input_grad_rule,
    "conv_weight_grad": _conv_weight_grad_rule,
}


_OWN = (os.path.join("autograd", "tensor.py"), os.path.join("autograd", "func", ""))


def reading_op(tb):
    """The library op whose Python code read a batched tensor's values (the traceback of a
    `BatchingError`), or None when the user's code (or a Tensor method it called) did."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    names = []  # the library functions below the user's innermost frame, innermost first
    for code in reversed(frames):
        path = os.path.abspath(code.co_filename)
        if any(own in path for own in _OWN):
            continue
        if not path.startswith(_LIBRARY):
            break
        names.append(code.co_name)
    public = [n for n in names if not n.startswith("_") and n not in _WRAPPERS]
    return public[-1] if public else names[-1] if names else None


_WRAPPERS = {"call", "run", "wrapper", "dispatch"}  # the engine's and decorators' shims


_LIBRARY = tuple(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), name, "") for name in ("autograd", "nn", "optim"))


def _randomness_check():
    """Called by `random.generator` inside vmap: randomness='error' refuses random ops."""
    for _, _, randomness in state.vmap_levels:
        if randomness == "error":
            raise RuntimeError(
                "vmap: called random operation while in randomness error mode. Please either "
                "use the 'same' or 'different' randomness flags on vmap or perform the "
                "randomness operation out of vmap")
