"""Derivatives as functions: `grad`, `jvp` (forward mode), `vjp`, `jacobian`, `hessian`, `hvp`."""
import numpy as np

from . import ops
from .engine import _seed, _vertex, run_backward
from .errors import BackwardError, ShapeError, UnusedInputError
from .grad_mode import _forward_mode
from .tensor import Tensor


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) or not isinstance(x, (tuple, list)) else tuple(x)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned as a tuple (one per
    input) without touching any ``.grad``.

    ``grad_outputs`` weights each output (required for non-scalar outputs). With
    ``create_graph=True`` the result is differentiable, for second and higher derivatives.
    An input the outputs do not depend on raises, unless ``allow_unused=True`` (then None)
    or ``materialize_grads=True`` (then zeros). ``only_inputs`` is accepted and ignored, as
    in PyTorch (deprecated there); ``is_grads_batched=True`` is not supported.

    >>> x = autograd.tensor(2.0, requires_grad=True)
    >>> y = x ** 3
    >>> dx, = autograd.grad(y, x, create_graph=True)   # 3 x**2
    >>> d2x, = autograd.grad(dx, x)                    # 6 x
    >>> dx, d2x
    (Tensor(12., grad_fn=<mul>), Tensor(12.))
    """
    if is_grads_batched:
        raise NotImplementedError("grad: is_grads_batched=True is not supported; call grad "
                                  "once per row of the batched grad_outputs")
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    if materialize_grads and not allow_unused:
        raise ValueError("grad: materialize_grads=True needs allow_unused True or None (as "
                         "in PyTorch)")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ShapeError(f"grad: {len(outputs)} output(s) but {len(grad_outputs)} grad_outputs")
    for k, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise BackwardError(f"grad: input {k} does not require grad; create it with "
                                "requires_grad=True")
    if retain_graph is None:
        retain_graph = create_graph
    roots, seeds = _seed(outputs, grad_outputs, create_graph, "grad")
    captured = run_backward(roots, seeds, retain_graph, create_graph,
                            targets={_vertex(x) for x in inputs})
    result = []
    for k, x in enumerate(inputs):
        g = captured.get(_vertex(x))
        if g is None and not allow_unused:
            raise UnusedInputError(
                f"grad: input {k} (shape {x.shape}) is not used to compute the outputs; pass "
                "allow_unused=True to get None for it")
        if g is None and materialize_grads:
            g = np.zeros(x.shape, x.dtype)
        result.append(g if g is None or isinstance(g, Tensor) else Tensor._make(np.array(g)))
    return tuple(result)


def _prepare(inputs, create_graph):
    """Inputs to differentiate with respect to: kept in the caller's graph when
    ``create_graph`` (so results stay differentiable), otherwise fresh leaves."""
    return tuple(x if create_graph and isinstance(x, Tensor) and x.requires_grad
                 else Tensor(x).detach().requires_grad_() for x in inputs)


def _unpack(values, like):
    return values[0] if not isinstance(like, (tuple, list)) else tuple(values)


def _detached(outputs, create_graph):
    """The outputs returned beside a vjp/hvp: outside the graph unless ``create_graph`` (as
    ``torch.autograd.functional``), so they hold no freed graph."""
    if create_graph:
        return outputs
    return _unpack([o.detach() if isinstance(o, Tensor) else o for o in _as_tuple(outputs)],
                   outputs)


def jvp(fn, primals, tangents=None):
    """Forward mode: ``(fn(*primals), J @ tangents)``, pushed through each op's forward rule in
    one evaluation of ``fn`` (no backward pass). ``tangents`` match ``primals`` in number and
    shape; they may be omitted when every primal has one element.

    >>> out, tangent = autograd.jvp(lambda x: x.sin(), autograd.zeros(2), autograd.ones(2))
    >>> tangent                                 # cos(0) * 1
    Tensor([1., 1.])
    """
    primal_list = tuple(p if isinstance(p, Tensor) else Tensor(p) for p in _as_tuple(primals))
    if tangents is None:
        tangent_list = tuple(np.ones_like(p._data) if p.size == 1 else None for p in primal_list)
        if any(t is None for t in tangent_list):
            raise ShapeError("jvp: tangents are required unless every primal has one element")
    else:
        tangent_list = _as_tuple(tangents)
    if len(tangent_list) != len(primal_list):
        raise ShapeError(f"jvp: {len(primal_list)} primal(s) but {len(tangent_list)} tangent(s)")
    for k, (p, t) in enumerate(zip(primal_list, tangent_list)):
        if np.shape(t) != p.shape:
            raise ShapeError(f"jvp: tangent {k} has shape {np.shape(t)} but its primal has "
                             f"shape {p.shape}")
        if p._tangent is not None:
            raise BackwardError("jvp: nested forward mode (jvp inside jvp) is not supported")
    outputs = None
    try:
        for p, t in zip(primal_list, tangent_list):
            p._tangent = t if isinstance(t, Tensor) else Tensor(np.asarray(t, dtype=p.dtype))
        with _forward_mode():
            outputs = fn(*primal_list)
        # read before clearing: an output may be one of the primals
        result = [Tensor(np.zeros_like(out._data)) if out._tangent is None else out._tangent
                  for out in _as_tuple(outputs)]
    finally:
        for t in primal_list + (_as_tuple(outputs) if outputs is not None else ()):
            t._tangent = None
    return outputs, _unpack(result, outputs)


def vjp(fn, inputs, v=None, create_graph=False):
    """Reverse mode: ``(fn(*inputs), v @ J)``, as ``torch.autograd.functional.vjp``.
    ``v`` may be omitted for a scalar output."""
    xs = _prepare(_as_tuple(inputs), create_graph)
    outputs = fn(*xs)
    grads = grad(outputs, xs, None if v is None else v, create_graph=create_graph,
                 allow_unused=True)
    grads = [Tensor(np.zeros_like(x._data)) if g is None else g for g, x in zip(grads, xs)]
    return _detached(outputs, create_graph), _unpack(grads, inputs)


def jacobian(fn, inputs, create_graph=False):
    """The Jacobian of ``fn`` at ``inputs``: for an output of shape O and an input of shape I,
    a tensor of shape O + I (nested tuples for several outputs or inputs). One backward pass
    per output element."""
    xs = _prepare(_as_tuple(inputs), create_graph)
    outputs = fn(*xs)
    blocks = []
    for out in _as_tuple(outputs):
        rows = [[] for _ in xs]
        for k in range(out.size):
            seed = np.zeros(out.size, dtype=out.dtype)
            seed[k] = 1
            grads = grad(out, xs, seed.reshape(out.shape), retain_graph=True,
                         create_graph=create_graph, allow_unused=True)
            for row, g, x in zip(rows, grads, xs):
                row.append(Tensor(np.zeros_like(x._data)) if g is None else g)
        blocks.append(_unpack([ops.reshape(ops.stack(row), out.shape + x.shape) if row else
                               Tensor(np.zeros(out.shape + x.shape, dtype=x.dtype))
                               for row, x in zip(rows, xs)], inputs))
    return _unpack(blocks, outputs)


def hessian(fn, inputs, create_graph=False):
    """The Hessian of a scalar ``fn``: shape I + I for one input of shape I (nested tuples
    for several inputs). Built as the Jacobian of the gradient."""
    def gradient(*xs):
        return _unpack(grad(fn(*xs), xs, create_graph=True, allow_unused=True), inputs)

    return jacobian(gradient, inputs, create_graph=create_graph)


def hvp(fn, inputs, v, create_graph=False):
    """``(fn(*inputs), H @ v)`` for a scalar ``fn``, by differentiating the gradient's dot
    product with ``v`` (two backward passes, no Hessian built)."""
    xs = _prepare(_as_tuple(inputs), create_graph)
    output = fn(*xs)
    grads = grad(output, xs, create_graph=True)
    vs = [vi if isinstance(vi, Tensor) else Tensor(np.asarray(vi, dtype=g.dtype))
          for g, vi in zip(grads, _as_tuple(v))]
    inner = sum((g * vi).sum() for g, vi in zip(grads, vs))
    result = grad(inner, xs, create_graph=create_graph, allow_unused=True)
    result = [Tensor(np.zeros_like(x._data)) if r is None else r for r, x in zip(result, xs)]
    return _detached(output, create_graph), _unpack(result, inputs)
