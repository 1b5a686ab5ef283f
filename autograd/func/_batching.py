"""vmap's machinery: batched tensors, levels, and running the ops' batching rules.

Inside ``vmap(f)`` the inputs are `Batched` tensors: a tensor whose shape is the per-sample
("logical") shape, wrapping the real ("physical") tensor whose axis 0 is the batch. When an op
meets a batched input, the engine (`engine.apply`) hands it here (`dispatch`): the op's
batching rule runs the op once on the physical tensors, shifting its axes past the batch
axis, and the result is wrapped again. The physical ops are ordinary recorded ops, so
backward (and `grad` of a function that calls vmap, or `grad` inside vmap) runs on the
physical graph with no rules of its own.

Each op declares its rule where it is declared (``batch=`` on its decorator; the rules that
ops share are in `autograd.batching`), or gets its kind's default (elementwise ops
broadcast). Ops without a rule run once per sample (`_loop`) with a warning naming the op.
Nested vmaps are levels: a batched tensor of an inner vmap wraps one of the outer. In-place
ops come here too (`inplace`, the engine's `inplace_hook`): a batched target is written
physically, once; a batched value written into a tensor not batched at its level is refused.
"""
import contextlib
import os
import threading
import warnings

import numpy as np

from .. import batching, engine, ops
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
        engine.batch_hook, engine.inplace_hook = dispatch, inplace
    return level


def pop_level():
    state.vmap_levels = state.vmap_levels[:-1]
    with _lock:
        _running[0] -= 1
        if not _running[0]:
            engine.batch_hook = engine.inplace_hook = None


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


def inplace(target, name, others, compute):
    """An in-place op under vmap (the engine's hook, from `engine.inplace_update`): its
    result, ``compute()``, and the physical tensors to write, (target, others, result). A
    result batched at a level where target is not is refused: every sample would write its
    own value into the one tensor. So is an op that cannot be batched (its out-of-place form
    reads a batched value) whose target is not batched at every level: vmap's fallback, the
    function once per sample, would change that tensor once per sample."""
    own = levels_of(target)
    try:
        result = compute()
    except BatchingError as err:
        missing = [level for level, _, _ in state.vmap_levels if level not in own]
        if missing:
            raise RuntimeError(_inplace_refused(name, target, missing[0]) + " (the op reads "
                               "the batched values in Python: it cannot be batched, and "
                               "running the function once per sample would repeat the "
                               "change)") from err
        raise
    result = result if isinstance(result, Tensor) else Tensor(np.asarray(result))
    engine._check_fits(name, result, target)  # as a sample sees them
    missing = [level for level in levels_of(result) if level not in own]
    if missing:
        raise RuntimeError(_inplace_refused(name, target, missing[0]))
    if state.vmap_writes is not None:  # (see `repeated_writes`)
        state.vmap_writes.append((name, own, physical(target)))
    return physical(target), [physical(a) for a in others], physical(align(result, own))


def repeated_writes(writes, level, inputs):
    """The names of the in-place ops among ``writes`` (those of a vmap at ``level`` so far)
    that running its function again, once per sample, would repeat: on a tensor not batched
    at that level (from outside the function), or on the memory of one of its ``inputs``."""
    arrays = [physical(x)._data for x in inputs if isinstance(x, Tensor)]
    return [name for name, own, target in writes if level not in own or any(
        np.may_share_memory(target._data, a) for a in arrays)]


def _inplace_refused(name, target, level):
    return (f"vmap: {name}(self, *extra_args) is not possible because there exists a Tensor "
            "`other` in extra_args that has more elements than `self`. This happened due to "
            "`other` being vmapped over but `self` not being vmapped over at level "
            f"{level}: every sample would write into the same tensor of shape "
            f"{tuple(target.shape)}. Please try to use out-of-place operators instead of "
            f"{name} (y = x + other rather than x.add_(other); x.index_put(...) or "
            "autograd.where rather than x[i] = v), or batch `self` too: pass it to the "
            "vmapped function as a mapped input")


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
    """The op's batching rule: its own (``batch=`` where it is declared), or its kind's
    default (`batching.elementwise` for an elementwise op); None: it runs once per sample."""
    rule = getattr(op, "batch", None)  # (a custom Function's op has none)
    if rule is None and isinstance(op, ElementwiseOp):
        rule = batching.elementwise
    return rule


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


@contextlib.contextmanager
def looping(randomness):
    """vmap's fallback runs its function once per sample: random ops keep obeying
    ``randomness`` there (`_randomness_check`)."""
    state.vmap_loops = state.vmap_loops + (randomness,)
    try:
        yield
    finally:
        state.vmap_loops = state.vmap_loops[:-1]


def _randomness_check():
    """Called by `random.generator` inside vmap: randomness='error' refuses random ops."""
    for randomness in [r for _, _, r in state.vmap_levels] + list(state.vmap_loops):
        if randomness == "error":
            raise RuntimeError(
                "vmap: called random operation while in randomness error mode. Please either "
                "use the 'same' or 'different' randomness flags on vmap or perform the "
                "randomness operation out of vmap")
