"""The graph: how an op is recorded (`primitive`, `apply`, `Node`) and how gradients flow
back through it (`backward`, `run_backward`).

A rule is written once with differentiable ops. In a plain backward the engine calls it on
raw ndarrays (ops given no Tensor just run numpy: the fast path); with ``create_graph=True``
it calls it on Tensors, so the gradient is itself recorded and can be differentiated again.
"""
import functools
import weakref

import numpy as np

from .errors import (AnomalyError, BackwardError, GraphFreedError, IndexingError, ShapeError,
                     UnusedInputError)
from .grad_mode import _forward_mode, set_grad_enabled, state
from .tensor import Tensor


class Op:
    """One primitive: a numpy ``forward`` beside its reverse rules (``vjp``, one per input) and
    forward rules (``jvp``, one per input). A rule gets the incoming gradient (or tangent),
    the op's result ``ans``, the inputs and the op's keyword parameters, and returns the
    contribution for its input. Broadcasting is undone by the engine, not by the rules.
    """

    __slots__ = ("name", "forward", "vjps", "jvps", "variadic")

    def __init__(self, name, forward, vjp=None, jvp=None, variadic=False):
        self.name = name
        self.forward = forward
        self.variadic = variadic  # one rule for any number of inputs, told which by argnum=
        if not variadic:
            vjp = vjp if vjp is None or isinstance(vjp, tuple) else (vjp,)
            jvp = jvp if jvp is None or isinstance(jvp, tuple) else (jvp,)
        self.vjps, self.jvps = vjp, jvp

    def pullback(self, g, ans, args, params, wanted):
        """The gradient for each input flagged in ``wanted`` (None for the others)."""
        if self.variadic:
            return [self.vjps(g, ans, *args, argnum=i, **params) if w else None
                    for i, w in enumerate(wanted)]
        return [rule(g, ans, *args, **params) if w else None
                for rule, w in zip(self.vjps, wanted)]

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

    def release(self, node):
        """Free what the node saved for backward (a custom Function also clears its ctx)."""

    def __repr__(self):
        return f"<op {self.name}>"


def primitive(vjp=None, jvp=None, variadic=False):
    """Turn a numpy function into a differentiable op, its rules declared beside it.

    Positional arguments are the op's inputs (Tensors or arrays); keyword arguments are
    static parameters (axis, shape...). Given no Tensor, the op runs plain numpy and returns
    an ndarray — this is what backward rules see on the fast path. Without rules the op is
    not differentiable (comparisons, argmax): its result never requires grad.

    >>> @primitive(vjp=lambda g, ans, x: g * ans, jvp=lambda t, ans, x: t * ans)
    ... def exp(x):
    ...     return np.exp(x)
    """

    def wrap(forward):
        op = Op(forward.__name__.strip("_"), forward, vjp, jvp, variadic)

        @functools.wraps(forward)
        def call(*args, **params):
            for a in args:
                if isinstance(a, Tensor):
                    return apply(op, args, params)
            return forward(*args, **params)

        call.op = op
        return call

    return wrap


def apply(op, args, params):
    """Run ``op`` on Tensors: compute the value, record a Node when a gradient may be needed,
    and push tangents under forward mode."""
    raw = [a.data if isinstance(a, Tensor) else a for a in args]
    try:
        out = op.forward(*raw, **params)
    except (ValueError, IndexError, TypeError) as err:
        raise _op_error(op.name, raw, err) from err
    return record(op, args, raw, out, params)


def record(op, args, raw, out, params, result=None):
    """Wrap ``out`` (the value of ``op`` on ``args``) as a Tensor, with a Node when an input
    requires grad and grad mode is on. ``result``: an existing Tensor to use as the wrapper."""
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    node = None
    if state.grad_enabled and op.vjps is not None:
        edges = [(a._node or a) if isinstance(a, Tensor) and a._requires_grad else None
                 for a in args]
        for e in edges:
            if e is not None:
                node = Node(op, edges, raw, out, params)
                break
    if result is None:
        result = Tensor._make(out, node)
    else:
        result.data, result._node, result._requires_grad = out, node, node is not None
    if state.forward_ad:
        _push_tangent(op, args, result, params)
    if state.anomaly:
        _check_finite(op.name, out, "forward")
    return result


def _push_tangent(op, args, result, params):
    tangents = [a._tangent if isinstance(a, Tensor) else None for a in args]
    if all(t is None for t in tangents) or op.vjps is None:
        return
    with _forward_mode(False):  # the tangent's own ops carry no tangent
        t = op.pushforward(tangents, result, args, params)
    if t is not None and t.shape != result.shape:
        t = ops.broadcast_to(t, shape=result.shape)
    result._tangent = t


def _op_error(name, raw, err):
    shapes = " and ".join(str(np.shape(a)) for a in raw if isinstance(a, np.ndarray))
    msg = str(err).removeprefix(f"{name}: ")  # numpy's matmul already starts "matmul: "
    detail = f"{name}: {msg} (input shapes {shapes})" if shapes else f"{name}: {msg}"
    if isinstance(err, IndexError):
        return IndexingError(detail)
    if isinstance(err, TypeError):
        return TypeError(detail)
    return ShapeError(detail)


def _check_finite(name, value, phase):
    if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
        bad = "NaN" if np.isnan(value).any() else "inf"
        raise AnomalyError(f"{name} produced {bad} in its {phase} pass "
                           f"(result shape {value.shape})")


class Node:
    """The record of one op application: which op, the graph vertices its inputs came from
    (``edges``: a Node, a leaf Tensor, or None for inputs that need no gradient), and the
    arrays its rules need (inputs and result), freed after backward."""

    __slots__ = ("op", "edges", "args", "ans", "params", "hooks", "retained", "grad", "meta")

    def __init__(self, op, edges, args, ans, params):
        self.op = op
        self.edges = edges
        self.args = args
        self.ans = ans
        self.params = params
        self.hooks = None  # gradient hooks registered on the tensor this node produced
        self.retained = None  # that tensor, when it asked to retain_grad()
        self.grad = None  # the gradient of a 0-d result from backward(), kept for drawing
        self.meta = None  # (shape, dtype, value if 0-d) once the saved arrays are freed

    @property
    def name(self):
        return self.op.name

    @property
    def next_functions(self):
        """The vertices this node's inputs came from (Node, leaf Tensor, or None)."""
        return tuple(self.edges)

    @property
    def freed(self):
        return self.args is None

    @property
    def shape(self):
        return self.ans.shape if self.meta is None else self.meta[0]

    @property
    def value(self):
        """The op's result while saved (its value alone after release, if 0-d)."""
        return self.ans if self.meta is None else self.meta[2]

    def retain(self, tensor):
        self.retained = weakref.ref(tensor)

    def input(self, i):
        """Input ``i`` as a Tensor connected to the graph, for rules whose own ops are
        recorded (``create_graph=True``); constants stay constants."""
        arg, edge = self.args[i], self.edges[i]
        if edge is None:
            return Tensor._make(arg) if isinstance(arg, np.ndarray) else arg
        if isinstance(edge, Tensor):
            return edge
        return Tensor._make(arg, edge)

    def pullback(self, g, wanted, create_graph):
        """Gradients for the inputs flagged in ``wanted``, reduced to each input's shape."""
        if create_graph:
            args = [self.input(i) for i in range(len(self.args))]
            ans = Tensor._make(self.ans, self)
        else:
            args, ans = self.args, self.ans
        grads = self.op.pullback(g, ans, args, self.params, wanted)
        for i, gi in enumerate(grads):
            if gi is None:
                continue
            if create_graph and not isinstance(gi, Tensor):
                gi = Tensor._make(np.asarray(gi))
            x = self.args[i]
            if gi.shape != x.shape:
                gi = ops.sum_to(gi, shape=x.shape)
            if gi.dtype != x.dtype:
                gi = ops.astype(gi, x.dtype)
            if state.anomaly:
                _check_finite(self.name, np.asarray(_data(gi)), "backward")
            grads[i] = gi
        return grads

    def release(self):
        ans = self.ans
        self.meta = (ans.shape, ans.dtype, ans if ans.ndim == 0 else None)
        self.op.release(self)
        self.args = self.ans = self.params = None

    def __repr__(self):
        return f"<{self.name}>"


def _data(x):
    return x.data if isinstance(x, Tensor) else x


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
            g = np.ones_like(out.data)
        else:
            g_data = g.data if isinstance(g, Tensor) else np.asarray(g, dtype=out.dtype)
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


def run_backward(roots, root_grads, retain_graph, create_graph, targets=None):
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
    with set_grad_enabled(create_graph):
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
            if v.hooks is not None:
                g = _run_hooks(v.hooks, g, create_graph)
            if targets is None:
                if v.retained is not None and v.retained() is not None:
                    _accumulate(v.retained(), g, create_graph)
                if g.ndim == 0:  # for drawing; accumulates like a leaf's
                    v.grad = g if v.grad is None else v.grad + g
            elif v in targets:
                captured[v] = g
            edges = v.edges
            wanted = [e in deps for e in edges]  # None is never in deps
            for e, ge in zip(edges, v.pullback(g, wanted, create_graph)):
                if ge is None:
                    continue
                pending[e] = pending[e] + ge if e in pending else ge
                deps[e] -= 1
                if deps[e] == 0:
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
    return gt if create_graph else gt.data


def _accumulate(leaf, g, create_graph):
    if create_graph:
        leaf.grad = g if leaf.grad is None else leaf.grad + g
    elif leaf.grad is None:
        leaf.grad = Tensor._make(np.array(g, dtype=leaf.dtype))  # an owned, writable copy
    else:  # in place, as PyTorch, unless the old gradient is in a graph or not ours to write
        old = leaf.grad.data
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


from . import ops  # noqa: E402  (the ops are built on this module)
