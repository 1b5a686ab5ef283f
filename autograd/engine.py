"""The graph: how an op is declared (`elementwise`, `linear`, `bilinear`, `primitive`),
recorded (`apply`, `Node`), changed in place (`inplace_update`), and how gradients flow back
through it (`backward`, `run_backward`).

A rule is written once with differentiable ops. In a plain backward the engine calls it on
raw ndarrays (ops given no Tensor just run numpy: the fast path); with ``create_graph=True``
it calls it on Tensors, so the gradient is itself recorded and can be differentiated again.

Each op declares what its rules read (``saves``): a node keeps only those arrays, and the
version of each tensor it kept; backward refuses a value changed in place since.

What a `Node` keeps (one per op application that needs a gradient; freed by backward):

- ``op``: the `Op`: its rules and its ``saves`` declaration.
- ``edges``: one per input, where that input's gradient goes: the Node that made it, the leaf
  Tensor itself, or None (the input needs no gradient).
- ``args``: the inputs' raw values the rules read (ndarrays, Python scalars); an input they
  do not read (per ``saves``) is a stand-in that has its shape and dtype only: an `Unsaved`,
  or the input's own Node, which has both (a Node is an `Unsaved` for the value it made, so
  a chain of ops keeps no extra object per dropped input). A stand-in's values cannot be
  read (BackwardError): a rule that reads an undeclared value fails loudly.
- ``ans``: the result when the rules read it (also a 0-d result, for drawing), else None.
- ``params``: the op's keyword parameters (``_NO_PARAMS``, one shared empty dict, for most).
- ``versions``: None, or a `SavedVersions` tuple: for each tensor kept, its ``slot`` (the
  input's position, `ANS`, or the name of a tensor parameter: an index, a mask), its
  ``counter`` (the tensor's version counter, a one-item list shared with its views) and its
  ``version`` when kept, laid flat one after another; read them with `saved_versions`.
  Backward compares them first (`Node.check_versions`).
- ``extras``: None, or an `Extras` for the few nodes with hooks, retained grads or tangents.
- ``shape``, ``dtype``: the result's.

An `Op` holds the rules: ``differentiable`` (False: no reverse rule, as comparisons; its
result never requires grad), ``vjps``/``jvps`` (a `primitive`'s rules, a tuple with one per
input, or one ``argnum=``-taking rule when ``variadic``; None where the kind needs none:
`ElementwiseOp` keeps ``derivatives``, `LinearOp` and `BilinearOp` derive the forward rule
from the op itself, a Function's rules are its methods; ``jvps`` None on a primitive: no
forward-mode rule), and per pattern of inputs that need a gradient, a cached `Plan` of what
a node keeps (`NO_NODE` when none needs one).
"""
import functools
import inspect
import sys
import threading
import weakref
from typing import NamedTuple

import numpy as np

from . import batching, registry
from .registry import registered
from .errors import (AnomalyError, BackwardError, DtypeError, GraphFreedError, IndexingError,
                     InplaceError, ShapeError)
from .grad_mode import _forward_mode, set_grad_enabled, state
from .tensor import Tensor, _complex_refused, above, get_default_dtype, version_counter

ANS = "ans"  # in a ``saves`` declaration and a node's versions: the op's result


class Plan(NamedTuple):
    """What a node of an op keeps, for one pattern of inputs that need a gradient (cached in
    the op): the positions of the inputs it drops (a stand-in takes their place) and keeps,
    and whether it keeps the result."""

    drop: tuple
    keep: tuple
    keep_ans: bool


NO_NODE = Plan((), (), False)  # the plan when no input needs a gradient: record nothing

# A node's saved versions: (slot, counter, version, slot, counter, version, ...), flat. One
# tuple per node rather than one per tensor kept: each tuple is one more object for the garbage
# collector to track, and a tuple per triple measured 5-8% slower per op on the op chain.
SavedVersions = tuple


def saved_versions(versions):
    """A node's `SavedVersions` as (slot, counter, version) triples."""
    return zip(versions[0::3], versions[1::3], versions[2::3])


class Unsaved:
    """Stands in for an input or result a node did not keep: its shape and dtype only (what
    the engine needs to reduce a gradient to its input's shape). A `Node` is one too: it
    stands in for the value it produced, so a dropped input made by an op costs nothing."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape, self.dtype = shape, dtype

    @property
    def ndim(self):
        return len(self.shape)

    def __array__(self, *args, **kwargs):
        raise BackwardError("a rule read a value its op does not save; add it to the op's "
                            "saves= declaration")

    def __repr__(self):
        return f"<unsaved {self.shape} {self.dtype}>"


class Op:
    """One primitive: a numpy ``forward`` beside its reverse rules (``vjp``, one per input)
    and forward rules (``jvp``, one per input). A rule gets the incoming gradient (or
    tangent), the op's result ``ans``, the inputs and the op's keyword parameters, and
    returns the contribution for its input. Broadcasting is undone by the engine.

    ``saves`` says what the rules read: None (everything), or per input the positions of the
    inputs and/or ANS that input's rule reads. A node keeps the union over the inputs that
    need a gradient. ``view``: the result may share the input's memory (reshape, transpose,
    basic indexing), so it shares the input's version counter.
    """

    __slots__ = ("name", "forward", "vjps", "jvps", "differentiable", "variadic", "saves",
                 "view", "promote", "call", "_plans", "batch")

    def __init__(self, name, forward, vjp=None, jvp=None, variadic=False, saves=None,
                 view=False, promote=False):
        self.name = name
        self.forward = forward
        self.variadic = variadic  # one rule for any number of inputs, told which by argnum=
        if not variadic:
            vjp = vjp if vjp is None or isinstance(vjp, tuple) else (vjp,)
            jvp = jvp if jvp is None or isinstance(jvp, tuple) else (jvp,)
        self.vjps, self.jvps = vjp, jvp
        self.differentiable = vjp is not None  # subclasses with rules of their own set True
        self.saves, self.view, self.promote = saves, view, promote
        self.call = None
        self._plans = {}
        self.batch = None  # vmap's batching rule (`batching`); None: the kind's default

    def plan(self, wanted):
        """The `Plan` of a node for the inputs flagged in ``wanted`` (`NO_NODE`: none)."""
        plan = self._plans.get(wanted)
        if plan is None:
            n = len(wanted)
            if self.saves is None:
                keep = set(range(n)) | {ANS}
            else:
                keep = set()
                for i, w in enumerate(wanted):
                    if w:
                        keep |= self.saves[0] if self.variadic else self.saves[i]
            plan = Plan(tuple(i for i in range(n) if i not in keep),
                        tuple(i for i in range(n) if i in keep), ANS in keep)
            if True not in wanted:
                plan = NO_NODE
            self._plans[wanted] = plan
        return plan

    def pullback(self, g, ans, args, params, wanted):
        """The gradient for each input flagged in ``wanted`` (None for the others)."""
        if self.variadic:
            return [self.vjps(g, ans, *args, argnum=i, **params) if w else None
                    for i, w in enumerate(wanted)]
        grads = []  # a loop, not a comprehension: an op has one or two inputs
        for rule, w in zip(self.vjps, wanted):
            grads.append(rule(g, ans, *args, **params) if w else None)
        return grads

    def pushforward(self, tangents, ans, args, params):
        """The tangent of the result, given the inputs' tangents (None = zero)."""
        if self.jvps is None:
            raise BackwardError(f"jvp: {self.name} has no forward-mode rule")
        total = None
        for i, t in enumerate(tangents):
            if t is not None:
                term = self.jvps(t, ans, *args, argnum=i, **params) if self.variadic else \
                    self.jvps[i](t, ans, *args, **params)
                total = term if total is None else total + term
        return total

    release = None  # or a method(node) freeing what the op keeps outside the node (a ctx)

    def __repr__(self):
        return f"<op {self.name}>"


class LinearOp(Op):
    """A linear op: its forward-mode rule is the op itself applied to the tangents."""

    __slots__ = ()

    def pushforward(self, tangents, ans, args, params):
        if len(tangents) == 1:
            return self.call(tangents[0], **params)
        return self.call(*[np.zeros(np.shape(a), np.result_type(a)) if t is None else t
                           for t, a in zip(tangents, args)], **params)


class ElementwiseOp(Op):
    """An elementwise op: ``derivatives`` holds its local derivatives, one per input (a
    function of the result and the inputs, or the constant 1 or -1); the reverse rule is
    ``g * d`` and the forward rule ``t * d``."""

    __slots__ = ("derivatives",)

    def __init__(self, name, forward, derivatives, saves, promote):
        super().__init__(name, forward, saves=saves, promote=promote)
        self.derivatives = derivatives
        self.differentiable = True

    def pullback(self, g, ans, args, params, wanted):
        grads = []  # a loop, not a comprehension: an op has one or two inputs
        for d, w in zip(self.derivatives, wanted):
            grads.append(None if not w else g * d(ans, *args, **params) if type(d) is not int
                         else g if d == 1 else -g)
        return grads

    def pushforward(self, tangents, ans, args, params):
        total = None
        for d, t in zip(self.derivatives, tangents):
            if t is not None:
                term = t * d(ans, *args, **params) if type(d) is not int else \
                    t if d == 1 else -t
                total = term if total is None else total + term
        return total


class BilinearOp(Op):
    """A bilinear op f(x, y): its forward-mode rule is f(tx, y) + f(x, ty)."""

    __slots__ = ()

    def pushforward(self, tangents, ans, args, params):
        (tx, ty), (x, y) = tangents, args
        total = None if tx is None else self.call(tx, y, **params)
        if ty is not None:
            term = self.call(x, ty, **params)
            total = term if total is None else total + term
        return total


# ------------------------------------------------------------------------- declaring ops
def _parse_saves(forward, saves, variadic):
    """'x ans' (one spec for every input) or a tuple of specs, one per input, as positions."""
    if saves is None:
        return None
    names = [p.name for p in inspect.signature(forward).parameters.values()
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]

    def positions(spec):
        return frozenset(ANS if word == ANS else names.index(word) for word in spec.split())

    specs = saves if isinstance(saves, tuple) else (saves,) * (1 if variadic else len(names))
    return tuple(positions(s) for s in specs)


def _publish(op, forward, kind, names):
    """The function users call: plain numpy on arrays, a recorded op when given a Tensor.
    A public name (no leading underscore) is registered with its ``names``; ``batch=`` among
    them is the op's batching rule for vmap (see `autograd.batching`)."""
    op.batch = names.pop("batch", None)

    @functools.wraps(forward)
    def call(*args, **params):
        for a in args:
            if isinstance(a, Tensor):
                return apply(op, args, params)
        if params:
            params = _param_arrays(params)[0]
        return forward(*args, **params)

    call.op = op
    op.call = call
    if not forward.__name__.startswith("_"):
        registry.register(call, kind, **names)
    return call


def primitive(vjp=None, jvp=None, variadic=False, saves=None, view=False, promote=False,
              **names):
    """A general op: its numpy forward with explicit reverse (``vjp``) and forward (``jvp``)
    rules, one per input (or one ``argnum=``-taking rule when ``variadic``).

    Positional arguments are the op's inputs (Tensors or arrays); keyword arguments are
    static parameters (axis, shape...). Given no Tensor, the op runs plain numpy and returns
    an ndarray — this is what backward rules see on the fast path. Without rules the op is
    not differentiable (comparisons, argmax): its result never requires grad. ``saves``
    declares what the rules read (default: everything), ``names`` its public names (see
    `registry.register`) and, as ``batch=``, its batching rule for vmap (`batching`; every
    decorator takes it).

    >>> @primitive(vjp=lambda g, ans, x: g * ans, jvp=lambda t, ans, x: t * ans, saves="ans")
    ... def _exp(x):               # a private name: not added to the registry
    ...     return np.exp(x)
    >>> _exp(autograd.tensor([0.0], requires_grad=True))
    Tensor([1.], grad_fn=<exp>)
    """

    def wrap(forward):
        op = Op(forward.__name__.lstrip("_"), forward, vjp, jvp, variadic,
                _parse_saves(forward, saves, variadic), view, promote)
        return _publish(op, forward, "general" if vjp is not None else "none", names)

    return wrap


def elementwise(derivatives, saves=None, **names):
    """An elementwise op given its local derivative for each input, ``d(ans, *inputs)``
    (a function, or the constants 1 or -1): the reverse rule is ``g * d`` and the forward
    rule ``t * d``, both from the same ``d``. A single derivative for a one-input op.

    >>> @elementwise(lambda ans, x: ans, saves="ans")
    ... def _exp(x):               # a private name: not added to the registry
    ...     return np.exp(x)
    >>> _exp(autograd.tensor([0.0]))
    Tensor([1.])
    """
    derivatives = derivatives if isinstance(derivatives, tuple) else (derivatives,)

    def wrap(forward):
        op = ElementwiseOp(forward.__name__.lstrip("_"), forward, derivatives,
                           _parse_saves(forward, saves, False), promote=len(derivatives) > 1)
        return _publish(op, forward, "elementwise", names)

    return wrap


def linear(transpose, variadic=False, view=False, **names):
    """A linear op: its reverse rule is its ``transpose`` (itself written with registered
    ops; one per input, or one ``argnum=``-taking rule when ``variadic``), and its forward
    rule is the op itself. Its rules read nothing but shapes and parameters."""

    def wrap(forward):
        op = LinearOp(forward.__name__.lstrip("_"), forward, transpose, None, variadic,
                      _parse_saves(forward, "", variadic), view, promote=True)
        return _publish(op, forward, "linear", names)

    return wrap


def bilinear(vjp, **names):
    """A bilinear op f(x, y) given its two reverse rules; each reads only the other operand,
    and the forward rule is f(tx, y) + f(x, ty)."""

    def wrap(forward):
        op = BilinearOp(forward.__name__.lstrip("_"), forward, vjp, None, False,
                        (frozenset({1}), frozenset({0})), promote=True)
        return _publish(op, forward, "bilinear", names)

    return wrap


# ------------------------------------------------------------------------- recording
def _promote(raw):
    """PyTorch's promotion for two operands: a float tensor combined with an integer or
    boolean one keeps the float's dtype (numpy would make float32 * int64 float64), and a
    scalar (Python or numpy) never changes a tensor's dtype within its kind."""
    a, b = raw
    ta, tb = type(a), type(b)
    if ta is np.ndarray and tb is np.ndarray:
        if a.dtype != b.dtype:
            ka, kb = a.dtype.kind, b.dtype.kind
            if ka == "f" and kb in "iub":
                return [a, b.astype(a.dtype)]
            if kb == "f" and ka in "iub":
                return [a.astype(b.dtype), b]
        return raw
    if ta is np.ndarray:
        if tb is int or tb is float and a.dtype.kind == "f":  # the common cases: as they are
            return raw
        return _with_scalar(a, b, tb, raw, False)
    if tb is np.ndarray:
        if ta is int or ta is float and b.dtype.kind == "f":
            return raw
        return _with_scalar(b, a, ta, raw, True)
    return raw


def _with_scalar(array, number, kind, raw, swapped):
    """An array with a number: the number as a plain Python one, and an integer array with a
    float number becomes the default float dtype (PyTorch's ``arange(3) * 0.5`` is float32)."""
    if kind not in _EXACT_SCALARS:
        if not isinstance(number, _SCALARS):
            return raw
        number = number.item() if isinstance(number, np.generic) else _exact(number)
    elif kind is not float:
        return raw
    if type(number) is float and array.dtype.kind in "iub":
        array = array.astype(get_default_dtype())
    return [number, array] if swapped else [array, number]


_EXACT_SCALARS = (float, int, bool)
_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)
_NDARRAY = np.ndarray  # a module global: one lookup less on the hot path
_SCALARS = (float, int, np.generic)


def _exact(number):
    """A subclass of int or float (a tensor's ``size``) as the plain Python number."""
    return float(number) if isinstance(number, float) else int(number)


def _values(args):
    """The arrays behind ``args`` (other arguments as they are), as a new list; unrolled for
    one and two inputs (a comprehension costs a tenth of an op's whole overhead)."""
    if len(args) == 1:
        a = args[0]
        return [a._data if isinstance(a, Tensor) else a]
    if len(args) == 2:
        a, b = args
        return [a._data if isinstance(a, Tensor) else a, b._data if isinstance(b, Tensor) else b]
    return [a._data if isinstance(a, Tensor) else a for a in args]


def _edge(a):
    """The graph vertex an input's gradient goes to, or None when it needs none."""
    return (a._node or a) if isinstance(a, Tensor) and a._requires_grad else None


def apply(op, args, params):
    """Run ``op`` on Tensors: compute the value, record a Node when a gradient may be needed,
    and push tangents under forward mode."""
    if batch_hook is not None:  # a vmap is running: batched inputs?
        out = batch_hook(op, args, params)
        if out is not NotImplemented:
            return out
    raw = _values(args)
    tensor_params = None
    if params:
        params, tensor_params = _param_arrays(params)
    if op.promote and len(raw) == 2 and (type(raw[1]) not in _EXACT_SCALARS or type(
            raw[1]) is float and raw[0].dtype.kind != "f"):  # arange(3) * 0.5 is float32
        raw = _promote(raw)
    try:
        out = op.forward(*raw, **params)
    except (ValueError, IndexError, TypeError) as err:
        raise _op_error(op.name, raw, err) from err
    if type(out) is not _NDARRAY:
        out = np.asarray(out)
    dtype = out.dtype  # the two common dtypes first: identity is the quickest test
    if dtype is not _FLOAT32 and dtype is not _FLOAT64 and dtype.kind == "c":
        raise DtypeError(_complex_refused(op.name, dtype))
    if (out.base is not None or out is raw[0]) and not op.view:
        out = _unaliased(out, raw)
    result = Tensor._make(out)
    if state.grad_enabled and op.differentiable:
        result._node = _node_for(op, args, raw, out, params, result, tensor_params)
        result._requires_grad = result._node is not None
    if op.view and isinstance(args[0], Tensor) and np.may_share_memory(out, args[0]._data):
        result._vc = version_counter(args[0])
        base = args[0]._base
        result._base = args[0] if base is None else base
    if state.forward_ad:
        _push_tangent(op, args, result, params)
    return result


# parameter values that are never an index, mask or bound array (the common case: checked
# first, so that ops with parameters such as axis= or shape= pay almost nothing)
_PLAIN = frozenset({int, float, bool, type(None), str, slice, type(Ellipsis)})


def _param_arrays(params):
    """``params`` with each Tensor in them (an index, a mask, a bound; alone or inside an
    index tuple) replaced by its array, and what a node must do about them: None, or (those
    tensors by name, for their versions; whether a plain ndarray is among them, to copy)."""
    for v in params.values():
        kind = type(v)
        if kind in _PLAIN:
            continue
        if kind is tuple:
            for p in v:
                if type(p) not in _PLAIN:
                    return _split_params(params)
            continue
        if not isinstance(v, np.dtype):
            return _split_params(params)
    return params, None


def _split_params(params):
    tensors, arrays = {}, False
    for k, v in params.items():
        if isinstance(v, Tensor):
            tensors[k] = (v,)
        elif type(v) is np.ndarray:
            arrays = True
        elif type(v) is tuple:
            arrays = arrays or any(type(p) is np.ndarray for p in v)
            inside = tuple(p for p in v if isinstance(p, Tensor))
            if inside:
                tensors[k] = inside
    if not tensors and not arrays:
        return params, None
    if tensors:
        params = dict(params)
        for k in tensors:
            params[k] = param_array(params[k])
    return params, (tensors, arrays)


def param_array(v):
    """A parameter with its Tensors (alone or inside an index tuple) replaced by arrays."""
    if isinstance(v, Tensor):
        return v._data
    if type(v) is tuple:
        return tuple(p._data if isinstance(p, Tensor) else p for p in v)
    return v


def _owned(value):
    """A copy of a plain ndarray parameter (alone or in an index tuple) a node keeps, so that
    the caller changing it later cannot change the gradient."""
    if type(value) is np.ndarray:
        return value.copy()
    for v in value:  # a tuple: rebuilt only when it holds an array
        if type(v) is np.ndarray:
            return tuple(v.copy() if type(v) is np.ndarray else v for v in value)
    return value


def _unaliased(out, raw):
    """A result that is not declared a view must not share an input's memory (a no-op
    argument, ``sum_to(x, x.shape)``, may return the input itself): an in-place change of one
    would change the other unnoticed. Copy it then."""
    for a in raw:
        if type(a) is np.ndarray and (out is a or np.may_share_memory(out, a)):
            return out.copy()
    return out


def record(op, args, raw, out, params, result=None):
    """Wrap ``out`` (the value of ``op`` on ``args``, computed elsewhere: a custom Function)
    as a Tensor, with a Node when an input requires grad and grad mode is on. ``result``: an
    existing Tensor to use as the wrapper."""
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if result is None:
        result = Tensor._make(out)
    else:
        result._set_data(out)
    node = _node_for(op, args, raw, out, params, result) if state.grad_enabled else None
    result._node, result._requires_grad = node, node is not None
    if state.forward_ad:
        _push_tangent(op, args, result, params)
    return result


batch_hook = None  # set while a vmap runs (`autograd.func`): runs ops on batched tensors
inplace_hook = None  # and this one: checks and unwraps an in-place op's batched tensors
capture_hook = None  # set while gradcheck localizes: sees each node made, with its inputs
_ONE = (True,)
# Most ops take no parameters: their nodes share this empty dict (never changed: rules get
# **params copies) instead of each keeping its own, one object less per node for the
# garbage collector to visit (a read-only mapping would cost 0.2 µs per ** unpacking).
_NO_PARAMS = {}


def _node_for(op, args, raw, out, params, result, tensor_params=None):
    """The Node recording ``op``, or None when no input requires grad. It keeps what the
    op's rules read (``raw`` is the op's own list: unsaved entries are replaced in it) and
    the versions of the tensors it kept, the tensors among its parameters included
    (``tensor_params``, from `_param_arrays`: indices, masks, bounds). A plain ndarray
    operand or parameter it
    keeps is copied, as PyTorch makes a tensor of it: the caller may change that array
    afterwards."""
    if len(args) == 1:  # the common case, without building a key
        a = args[0]
        if not (isinstance(a, Tensor) and a._requires_grad):
            return None
        edges, wanted = [a._node or a], _ONE
    elif len(args) == 2:  # unrolled too (_edge inline)
        a, b = args
        ea = (a._node or a) if isinstance(a, Tensor) and a._requires_grad else None
        eb = (b._node or b) if isinstance(b, Tensor) and b._requires_grad else None
        edges, wanted = [ea, eb], (ea is not None, eb is not None)
    else:
        edges = [_edge(a) for a in args]
        wanted = tuple([e is not None for e in edges])
    plan = op._plans.get(wanted) or op.plan(wanted)
    if plan is NO_NODE:
        return None
    drop, keep, keep_ans = plan
    seen = list(raw) if capture_hook is not None else None  # every input, before dropping
    for i in drop:
        a = raw[i]
        if type(a) is np.ndarray:
            e = edges[i]
            raw[i] = e if type(e) is Node else Unsaved(a.shape, a.dtype)
    versions = ()  # a flat SavedVersions
    for i in keep:
        a = args[i]
        if isinstance(a, Tensor):
            vc = a._vc
            if vc is None:
                vc = a._vc = [0]
            versions += (i, vc, vc[0])
        elif type(a) is _NDARRAY and raw[i] is a:
            raw[i] = a.copy()
    if tensor_params is not None:
        tensors, arrays = tensor_params
        for name, kept in tensors.items():
            for t in kept:
                versions += (name, version_counter(t), t._version)
        if arrays:  # a plain index or mask: PyTorch makes a tensor of it, a copy
            for name, value in params.items():
                if type(value) is np.ndarray or type(value) is tuple:
                    params[name] = _owned(value)
    if keep_ans:
        vc = result._vc
        if vc is None:
            vc = result._vc = [0]
        versions += (ANS, vc, vc[0])
        ans = out
    else:
        ans = out if out.ndim == 0 else None  # a 0-d value is kept for drawing
    node = Node(op, edges, raw, ans, params or _NO_PARAMS, out.shape, out.dtype,
                versions or None)
    if seen is not None:
        capture_hook(node, seen)
    return node


def inplace_update(target, name, others, compute, write=None):
    """Change ``target`` in place to ``compute()`` (its out-of-place result): the value is
    written into target's memory (every alias sees it), target's version goes up, and when
    gradients are recorded target takes the result's place in the graph. ``others``: the
    op's other operands; ``write(array)``: a numpy update done directly in the array, used
    when nothing is recorded (no temporaries: an optimizer step).

    Under vmap the result may be batched: vmap's machinery (`inplace_hook`) computes it,
    refuses a result batched where target is not (every sample would write into the one
    tensor) and gives the physical tensors to write, the result's value repeated where
    target alone is batched."""
    if inplace_hook is not None:  # a vmap is running
        physical, others, result = inplace_hook(target, name, others, compute)
        _inplace_update(physical, name, others, lambda: result)
        return target
    return _inplace_update(target, name, others, compute, write)


def _inplace_update(target, name, others, compute, write=None):
    recording = state.grad_enabled and (target._requires_grad or any(
        isinstance(a, Tensor) and a._requires_grad for a in others))
    if recording:
        _check_inplace_allowed(target, name)
    data = target._data
    for a in others:  # numpy would drop the imaginary part with a mere warning
        if isinstance(a, complex) or type(a) is np.ndarray and a.dtype.kind == "c":
            raise DtypeError(_complex_refused(name, np.result_type(a)))
    if not data.flags.writeable:
        raise InplaceError(f"{name}: the tensor's memory is read-only (a broadcast view or an "
                           "array marked read-only); change a copy instead: y = x.clone()")
    if write is not None and not recording and not state.forward_ad:
        try:
            write(data)
        except (TypeError, ValueError) as err:
            raise _inplace_error(name, target, err) from err
        target._bump_version()
        return target
    result = compute()
    out = result._data if isinstance(result, Tensor) else np.asarray(result)
    _check_fits(name, out, data)
    node = result._node if isinstance(result, Tensor) else None
    if node is not None:
        _unalias(node, target)
    np.copyto(data, out, casting="unsafe")  # same_kind checked above
    target._bump_version()
    if node is not None:
        target._node, target._requires_grad = node, True
    if isinstance(result, Tensor) and result._tangent is not None:
        target._tangent = result._tangent
    return target


def _check_fits(name, result, target):
    """The result of an in-place op must have target's shape and a dtype it can store."""
    shape, dtype = tuple(result.shape), result.dtype
    if shape != tuple(target.shape):
        raise ShapeError(f"{name}: the result has shape {shape} but the tensor changed in "
                         f"place has shape {tuple(target.shape)}; an in-place op cannot "
                         "change the shape (use the out-of-place form, e.g. x = x + y)")
    if dtype != target.dtype and not np.can_cast(dtype, target.dtype, "same_kind"):
        raise DtypeError(f"{name}: the result has dtype {dtype}, which cannot be stored "
                         f"in place in a tensor of dtype {target.dtype}; convert first (e.g. "
                         f"x = x.astype('{dtype}')) or use the out-of-place form")


def _check_inplace_allowed(target, name):
    if target._requires_grad and target._node is None:
        raise InplaceError(
            f"{name}: a leaf tensor that requires grad (shape {target.shape}) cannot be "
            "changed in place while gradients are recorded: it would drop out of the graph. "
            "Update it under `with autograd.no_grad():` (as an optimizer step does), or "
            "change a copy: y = x.clone()")
    base = target._base
    if base is not None and (base._requires_grad or target._requires_grad):
        raise InplaceError(
            f"{name}: the tensor (shape {target.shape}) is a view of another tensor (shape "
            f"{base.shape}) that is part of a graph; changing it in place would change the "
            "other one behind the graph's back. Change a copy (.clone()) or the tensor it "
            "views")


def _unalias(node, target):
    """The node about to stand for ``target`` may have kept target's own array as an input:
    keep a copy instead, since target is about to be overwritten."""
    vc = target._vc
    for i, arg in enumerate(node.args):
        if arg is target._data:
            node.args[i] = arg.copy()
            if node.versions is not None:
                node.versions = SavedVersions(
                    field for slot, counter, version in saved_versions(node.versions)
                    if slot != i or counter is not vc
                    for field in (slot, counter, version)) or None


def _inplace_error(name, target, err):
    if isinstance(err, TypeError):
        return DtypeError(f"{name}: {err} (tensor dtype {target.dtype}); convert first or use "
                          "the out-of-place form")
    return ShapeError(f"{name}: {err} (tensor shape {target.shape}); an in-place op cannot "
                      "change the shape (use the out-of-place form, e.g. x = x + y)")


def tangent_at(a, level):
    """a's forward-mode tangent at ``level`` (None: zero)."""
    tangents = a._tangent if isinstance(a, Tensor) else None
    return tangents.get(level) if tangents else None


def _push_tangent(op, args, result, params):
    """The result's tangent at each forward level, outermost first: a level's rule runs with
    the levels outside it on, so that its tangent carries their tangents in turn (jvp of jvp:
    forward over forward) and its rule may read the result's outer tangents."""
    if not op.differentiable:
        return
    levels = state.forward_ad
    for i, level in enumerate(levels):
        tangents = [tangent_at(a, level) for a in args]
        if all(t is None for t in tangents):
            continue
        with _forward_mode(levels[:i]):
            t = op.pushforward(tangents, result, args, params)
            if t is not None and t.shape != result.shape:
                t = _broadcast_to(t, shape=result.shape)
        if t is not None:
            if result._tangent is None:
                result._tangent = {}
            result._tangent[level] = t
    if result._tangent and result._node is not None:  # backward inside jvp (jacfwd of jacrev)
        result._node.extra().tangent = result._tangent


def clear_tangent(t, level):
    """Drop t's tangent at ``level`` (its jvp is over)."""
    tangents = t._tangent
    if tangents:
        tangents.pop(level, None)
    if not tangents:
        t._tangent = None


def _op_error(name, raw, err):
    shapes = " and ".join(str(np.shape(a)) for a in raw if isinstance(a, np.ndarray))
    msg = str(err).removeprefix(f"{name}: ")  # numpy's matmul already starts "matmul: "
    detail = f"{name}: {msg} (input shapes {shapes})" if shapes else f"{name}: {msg}"
    if isinstance(err, IndexError):
        return IndexingError(detail)
    if isinstance(err, TypeError):
        return TypeError(detail)
    return ShapeError(detail)


class Extras:
    """What few nodes carry (apart, so that the others are smaller and quicker to make): the
    hooks registered on the node's result, that tensor when it asked to ``retain_grad()``,
    the gradient of a 0-d result, kept for drawing, and its forward-mode tangent (inside jvp)."""

    __slots__ = ("hooks", "retained", "grad", "tangent")

    def __init__(self):
        self.hooks = self.retained = self.grad = self.tangent = None


class _Name(str):
    """A node's name, callable as PyTorch's ``grad_fn.name()`` too."""

    __slots__ = ()

    def __call__(self):
        return str(self)


class AccumulateGrad:
    """PyTorch's vertex for a leaf in ``next_functions``: ``variable`` is the leaf whose
    ``.grad`` backward accumulates into."""

    __slots__ = ("variable",)
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "AccumulateGrad"

    def __eq__(self, other):
        return isinstance(other, AccumulateGrad) and other.variable is self.variable

    def __hash__(self):
        return id(self.variable)

    def __repr__(self):
        return "<AccumulateGrad>"


class Node(Unsaved):
    """The record of one op application: which op, the graph vertices its inputs came from
    (``edges``: a Node, a leaf Tensor, or None for inputs that need no gradient), and what
    its rules read (``args``, ``ans``; `Unsaved` stand-ins for the rest), freed after
    backward. ``versions``: (slot, version counter, version when saved) for every tensor it
    kept, flat (`SavedVersions`). ``ans`` is None when the rules do not read the result.
    (What each field holds: the module docstring.)"""

    __slots__ = ("op", "edges", "args", "ans", "params", "versions", "extras")

    def __init__(self, op, edges, args, ans, params, shape, dtype, versions=None):
        self.op = op
        self.edges = edges
        self.args = args
        self.ans = ans
        self.params = params
        self.shape, self.dtype = shape, dtype  # the result's
        self.versions = versions
        self.extras = None  # an `Extras` for the few nodes that need one

    @property
    def name(self):
        """The op's name: a string that is also callable, as PyTorch's ``grad_fn.name()``."""
        return _Name(self.op.name)

    @property
    def next_functions(self):
        """PyTorch's ``((node, output_index), ...)``, one pair per input: the Node that made
        it, an `AccumulateGrad` for a leaf that requires grad (its ``.variable`` is the
        leaf), or None for an input that needs no gradient. (``edges`` holds the vertices
        themselves: the Node or the leaf Tensor.)"""
        return tuple((None if e is None else e if isinstance(e, Node) else AccumulateGrad(e), 0)
                     for e in self.edges)

    @property
    def freed(self):
        return self.args is None

    @property
    def value(self):
        """The op's result while saved (always, if 0-d)."""
        return self.ans

    @property
    def hooks(self):
        """Gradient hooks registered on the tensor this node produced (None: none)."""
        return None if self.extras is None else self.extras.hooks

    @property
    def grad(self):
        """The gradient of a 0-d result from the last backward, kept for drawing."""
        return None if self.extras is None else self.extras.grad

    def extra(self):
        """This node's `Extras`, made on first use."""
        if self.extras is None:
            self.extras = Extras()
        return self.extras

    def retain(self, tensor):
        self.extra().retained = weakref.ref(tensor)

    def check_versions(self):
        """Raise if a tensor this node kept was changed in place after it was kept."""
        for i, vc, expected in saved_versions(self.versions):
            if vc[0] != expected:
                if i == ANS:
                    what = f"its result (shape {np.shape(self.ans)})"
                elif isinstance(i, str):
                    what = f"the tensor passed as its {i}= (an index, mask or bound)"
                else:
                    what = f"its input {i} (shape {np.shape(self.args[i])})"
                raise InplaceError(
                    f"backward: {self.name} saved {what} to compute "
                    f"its gradient, and that tensor was changed in place afterwards: it is at "
                    f"version {vc[0]}, {self.name} needs version {expected}. Use the "
                    "out-of-place form (x = x + 1 instead of x += 1, x = x * 0 instead of "
                    "zero_()), clone() the tensor before changing it, or change it after "
                    "backward (an optimizer step belongs after loss.backward())")

    def input(self, i):
        """Input ``i`` as a Tensor connected to the graph, for rules whose own ops are
        recorded (``create_graph=True``); constants and unsaved inputs stay as they are."""
        arg, edge = self.args[i], self.edges[i]
        if isinstance(arg, Unsaved):
            return arg
        if edge is None:
            return Tensor._make(arg) if isinstance(arg, np.ndarray) else arg
        if isinstance(edge, Tensor):
            return edge
        return _with_tangent(Tensor._make(arg, edge), edge)

    def pullback(self, g, wanted, create_graph, anomaly=False):
        """Gradients for the inputs flagged in ``wanted``, reduced to each input's shape
        (``anomaly``: check them for NaN)."""
        versions = self.versions
        # the first tensor's (counter, version) inline: most nodes keep one tensor
        if versions is not None and (versions[1][0] != versions[2] or len(versions) > 3):
            self.check_versions()  # raises if any saved tensor changed since
        if create_graph:
            args = [self.input(i) for i in range(len(self.args))]
            ans = None if self.ans is None else _with_tangent(Tensor._make(self.ans, self), self)
        else:
            args, ans = self.args, self.ans
        grads = self.op.pullback(g, ans, args, self.params, wanted)
        for i, gi in enumerate(grads):
            if gi is None:
                continue
            if create_graph:
                if not isinstance(gi, Tensor):
                    gi = Tensor._make(np.asarray(gi))
                if not gi._requires_grad and self._reads_graph(i):
                    gi = _zero_link(gi, args[i])
            x = self.args[i]
            if gi.shape != x.shape:
                gi = _sum_to(gi, shape=x.shape)
            if gi.dtype != x.dtype:
                gi = astype(gi, x.dtype)
            if anomaly:
                _check_gradient(f"the reverse rule of {self.name}", gi, i)
            grads[i] = gi
        return grads

    def _reads_graph(self, i):
        """Whether input i's rule reads a value that requires grad (the result, or an input
        that requires grad). A gradient computed from such values but not recorded (a mask
        such as relu's x > 0) has derivative zero there: PyTorch records it, and so do we
        (`_zero_link`), so that a second derivative is zeros rather than an error."""
        saves = self.op.saves
        if saves is None:  # reads everything
            return True
        reads = saves[0] if self.op.variadic else saves[i]
        return any(j == ANS or self.edges[j] is not None for j in reads)

    def release(self):
        if self.op.release is not None:
            self.op.release(self)
        if self.ans is not None and self.ans.ndim:
            self.ans = None
        self.args = self.params = self.versions = None

    def __repr__(self):
        return f"<{self.name}>"


def _with_tangent(t, node):
    """t (a value node made) with the forward-mode tangents node kept for it (inside jvp)."""
    if node.extras is not None and node.extras.tangent is not None:
        t._tangent = node.extras.tangent
    return t


def _check_gradient(producer, g, i=None):
    """Under `detect_anomaly`: refuse a NaN gradient, naming what produced it."""
    value = g._data if isinstance(g, Tensor) else np.asarray(g)
    if value.dtype.kind in "fc" and np.isnan(value).any():
        where = "" if i is None else f" for input {i}"
        raise AnomalyError(f"{producer} returned NaN{where} (gradient shape {value.shape}); "
                           "the NaN starts here")


# ------------------------------------------------------------------------- backward
def _vertex(t):
    return t._node if t._node is not None else t


def _seed(outputs, grad_outputs, create_graph, caller):
    """Check the outputs and their gradients; return (vertices, gradients)."""
    vertices, grads = [], []
    for k, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor) or not out.requires_grad:
            raise BackwardError(
                f"{caller}: output {k} does not require grad and has no grad_fn, so there is "
                "nothing to differentiate; create the inputs with requires_grad=True and do not "
                "compute it under no_grad()")
        if g is None:
            if out.size != 1:
                raise BackwardError(
                    f"{caller}: the output has shape {out.shape}; a gradient can be implied only "
                    f"for a scalar output. Pass gradient= an array of shape {out.shape} (e.g. "
                    "ones for the sum of the outputs), or reduce the output first (e.g. .sum())")
            g = np.ones_like(out._data)
        else:
            g_data = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=out.dtype)
            if g_data.shape != out.shape:
                raise ShapeError(f"{caller}: the gradient has shape {g_data.shape} but the output "
                                 f"has shape {out.shape}; they must match")
            if not (create_graph and isinstance(g, Tensor)):
                g = g_data
        if create_graph and not isinstance(g, Tensor):
            g = Tensor._make(g)
        vertices.append(_vertex(out))
        grads.append(g)
    return vertices, grads


def _plan(roots, targets):
    """Count, for every vertex the walk must visit, how many gradients it will receive.

    An iterative search (no recursion: graphs of millions of ops are fine). With ``targets``
    the walk is pruned to the vertices that lead to one of them.
    """
    deps = {}
    consumers = {} if targets is not None else None
    stack = list(dict.fromkeys(roots))
    seen = set(stack)
    freed = []  # an error only where the walk needs them (grad() may prune them away)
    while stack:
        v = stack.pop()
        if type(v) is not Node:
            continue
        if v.args is None:
            freed.append(v)
        for e in v.edges:
            if e is None:
                continue
            deps[e] = deps.get(e, 0) + 1
            if consumers is not None:
                consumers.setdefault(e, []).append(v)
            if e not in seen:
                seen.add(e)
                stack.append(e)
    if targets is None:
        _check_not_freed(freed, seen)
        return deps, seen
    needed = set()
    stack = [t for t in targets if t in seen]
    while stack:
        v = stack.pop()
        if v not in needed:
            needed.add(v)
            stack.extend(consumers.get(v, ()))
    deps = {v: sum(c in needed for c in consumers[v]) for v in needed if v in consumers}
    _check_not_freed(freed, needed)
    return deps, needed


def _check_not_freed(freed, needed):
    for v in freed:
        if v in needed:
            raise GraphFreedError(
                f"backward: the graph through {v.name} was already freed by an earlier backward; "
                "pass retain_graph=True to the first backward() or grad() call to go through "
                "the graph twice")


def run_backward(roots, root_grads, retain_graph, create_graph, targets=None, record=None):
    """Propagate ``root_grads`` from ``roots`` (graph vertices) through the graph.

    Without ``targets`` every leaf that requires grad accumulates into ``.grad``; with
    ``targets`` (vertices) nothing is accumulated and their gradients are returned as a dict.
    """
    deps, needed = _plan(roots, targets)
    pending = {}
    for v, g in zip(roots, root_grads):
        if v in needed:
            pending[v] = pending[v] + g if v in pending else g
    ready = [v for v in pending if deps.get(v, 0) == 0]
    captured = {}
    anomaly = state.anomaly
    with set_grad_enabled(create_graph if record is None else record):
        while ready:
            v = ready.pop()
            g = pending.pop(v)
            if type(v) is not Node:
                g = _run_hooks(v._hooks, g, create_graph)
                if targets is None:
                    _accumulate(v, g, create_graph)
                else:
                    captured[v] = g
                continue
            extras = v.extras
            if extras is not None and extras.hooks is not None:
                g = _run_hooks(extras.hooks, g, create_graph)
            if targets is None:
                if extras is not None and extras.retained is not None:
                    retained = extras.retained()
                    if retained is not None:
                        _accumulate(retained, g, create_graph)
                if g.ndim == 0:  # for drawing; accumulates like a leaf's
                    extras = v.extra()
                    extras.grad = g if extras.grad is None else extras.grad + g
            elif v in targets:
                captured[v] = g
            edges = v.edges  # None is never in deps; no comprehension for one or two inputs
            wanted = (edges[0] in deps,) if len(edges) == 1 else \
                (edges[0] in deps, edges[1] in deps) if len(edges) == 2 else \
                [e in deps for e in edges]
            for e, ge in zip(edges, v.pullback(g, wanted, create_graph, anomaly)):
                if ge is None:
                    continue
                pending[e] = pending[e] + ge if e in pending else ge
                left = deps[e] - 1
                deps[e] = left
                if left == 0:
                    ready.append(e)
            if not retain_graph:
                v.release()
    return captured


def _run_hooks(hooks, g, create_graph):
    if not hooks:
        return g
    gt = g if create_graph else Tensor._make(np.asarray(g))
    for hook in list(hooks):
        new = hook(gt)
        if new is not None:
            gt = new if isinstance(new, Tensor) else Tensor(new)
            if state.anomaly:
                _check_gradient(f"the hook {getattr(hook, '__qualname__', hook)!s}", gt)
    return gt if create_graph else gt._data


_accumulate_lock = threading.Lock()  # backward calls in several threads may share a leaf


def _accumulate(leaf, g, create_graph):
    with _accumulate_lock:
        if create_graph:
            leaf.grad = g if leaf.grad is None else leaf.grad + g
        elif leaf.grad is None:
            # adopt the array when nothing else holds it (PyTorch's rule; the references are
            # the caller's, this frame's and getrefcount's own), else keep an owned copy
            if type(g) is np.ndarray and g.base is None and g.flags.writeable \
                    and g.dtype == leaf.dtype and g.shape == leaf.shape \
                    and sys.getrefcount(g) <= 3:
                leaf.grad = Tensor._make(g)
            else:
                leaf.grad = Tensor._make(np.array(g, dtype=leaf.dtype))
        else:  # in place, as PyTorch, unless the old gradient is in a graph or not ours
            old = leaf.grad._data
            if leaf.grad._node is None and old.flags.writeable and old.shape == leaf.shape \
                    and old.dtype == leaf.dtype:
                np.add(old, g, out=old, casting="unsafe")  # keeps the dtype whatever g's is
            else:
                leaf.grad = Tensor._make(np.add(old, g, dtype=leaf.dtype, casting="unsafe"))


def backward(tensors, grad_tensors, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of ``tensors`` into the leaves' ``.grad``, or only into the
    ``.grad`` of ``inputs`` when given (see Tensor.backward)."""
    if retain_graph is None:
        retain_graph = create_graph
    roots, grads = _seed(tensors, grad_tensors, create_graph, "backward")
    if inputs is None:
        run_backward(roots, grads, retain_graph, create_graph)
        return
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    for k, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise BackwardError(f"backward: inputs[{k}] does not require grad; pass only "
                                "tensors that require grad as inputs=")
    captured = run_backward(roots, grads, retain_graph, create_graph,
                            targets={_vertex(x) for x in inputs})
    for x in inputs:
        if _vertex(x) in captured:
            _accumulate(x, captured[_vertex(x)], create_graph)


above.backward = backward


# ------------------------------------------------------------------------- broadcasting
# The engine undoes broadcasting and dtype changes itself (Node.pullback), with these ops.
@linear(transpose=lambda g, ans, x, shape: _sum_to(g, shape=x.shape), view=True,
        batch=batching.broadcast_to)
def _broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


@linear(transpose=lambda g, ans, x, shape: _broadcast_to(g, shape=x.shape), batch=batching.sum_to)
def _sum_to(x, shape):
    shape = tuple(shape)
    lead = np.ndim(x) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    return np.sum(x, axis=axes).reshape(shape) if axes else np.reshape(x, shape)


@linear(transpose=lambda g, ans, x, dtype: _astype(g, dtype=x.dtype), batch=batching.same)
def _astype(x, dtype):
    return np.asarray(x).astype(dtype)


@primitive(vjp=(lambda g, ans, g0, x: g, lambda g, ans, g0, x: np.zeros(x.shape, x.dtype)),
           jvp=(lambda t, ans, g0, x: t,
                lambda t, ans, g0, x: Tensor._make(np.zeros(x.shape, x.dtype))),
           saves="", batch=batching.elementwise)
def _zero_link(g, x):
    """g, recorded as depending on x with derivative zero (see `Node._reads_graph`)."""
    return g


@registered("linear")
def broadcast_to(x, shape):
    """x repeated (without copying) to ``shape`` by numpy's broadcasting rules."""
    return _broadcast_to(x, shape=tuple(shape))


@registered("linear")
def sum_to(x, shape):
    """Sum x down to ``shape``: the reverse of broadcasting x from ``shape``."""
    return _sum_to(x, shape=tuple(shape))


@registered("linear", method=True)
def astype(x, dtype):
    """x converted to ``dtype`` (differentiable between floating dtypes; accepts numpy's and
    autograd's dtype objects, e.g. ``autograd.float64``). An integer or boolean result never
    requires grad (PyTorch's rule: no gradient flows through it).

    >>> autograd.tensor([1.5], requires_grad=True).long().requires_grad
    False
    """
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc" and isinstance(x, Tensor):
        x = x.detach()
    return _astype(x, dtype=dtype)
