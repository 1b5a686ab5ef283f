"""Derivatives as functions, as ``torch.autograd.functional``: `grad`, `jvp` (forward mode),
`vjp`, `jacobian`, `hessian`, `hvp`, `vhp`. All but `grad` are `autograd.func`'s transforms
applied at a point: ``jacobian`` is `func.jacrev` (or `func.jacfwd`), ``hvp`` a jvp of the
gradient (forward over reverse), ``vhp`` a vjp of it."""
import numpy as np

from . import func as F
from .func._tree import tree_map
from .engine import _seed, _vertex, run_backward
from .errors import BackwardError, ShapeError, UnusedInputError
from .grad_mode import enable_grad
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
    """The inputs as tensors that require grad (as PyTorch: ``func`` may differentiate with
    respect to them), kept in the caller's graph when ``create_graph`` (so that the results
    stay differentiable)."""
    return tuple(x if create_graph and isinstance(x, Tensor) and x.requires_grad
                 else Tensor(x).detach().requires_grad_() for x in _as_tuple(inputs))


def _result(tree, create_graph):
    """Results outside the graph unless ``create_graph``."""
    return tree if create_graph else tree_map(
        lambda t: t.detach() if isinstance(t, Tensor) else t, tree)


def _argnums(inputs):
    """All the inputs, as the transforms' argnums: a tuple when ``inputs`` is one."""
    return tuple(range(len(inputs))) if isinstance(inputs, (tuple, list)) else 0


def _unpack(values, like):
    return values[0] if not isinstance(like, (tuple, list)) else tuple(values)


def _vectors(v, like, api, of, name):
    """``v`` (a tensor, array or tuple of them, one ``name`` per tensor of ``like``, the
    ``of``s) as Tensors of their shapes; None only when each of ``like`` has one element."""
    if v is None:
        if not all(x.numel() == 1 for x in like):
            raise ShapeError(f"{api}: {name}s are required unless every {of} has one element; "
                             f"pass v shaped as the {of}s")
        return tuple(Tensor(np.ones(x.shape, x.dtype)) for x in like)
    vs = _as_tuple(v)
    if len(vs) != len(like):
        raise ShapeError(f"{api}: {len(like)} {of}(s) but {len(vs)} {name}(s)")
    out = []
    for k, (vi, x) in enumerate(zip(vs, like)):
        vi = vi if isinstance(vi, Tensor) else Tensor(np.asarray(vi, dtype=x.dtype))
        if tuple(vi.shape) != tuple(x.shape):
            raise ShapeError(f"{api}: {name} {k} has shape {tuple(vi.shape)} but its {of} has "
                             f"shape {tuple(x.shape)}")
        out.append(vi)
    return tuple(out)


def _strict(fn, xs, api):
    """strict=True: refuse an output that does not depend on every input (as PyTorch), by
    one recorded evaluation of ``fn``."""
    ys = tuple(x.detach().requires_grad_() for x in xs)
    with enable_grad():
        outs = _as_tuple(fn(*ys))
    for i, out in enumerate(outs):
        if not (isinstance(out, Tensor) and out.requires_grad):
            raise RuntimeError(f"{api}: output {i} of the user-provided function does not "
                               "require gradients. The outputs must be computed in a "
                               "differentiable manner from the input when running in strict "
                               "mode.")
        for j, g in enumerate(grad(out.sum(), ys, retain_graph=True, allow_unused=True)):
            if g is None:
                raise RuntimeError(f"{api}: output {i} of the user-provided function is "
                                   f"independent of input {j}. This is not allowed in strict "
                                   "mode.")


def _strict_second(fn, xs, api):
    """strict=True for the second-order functions: refuse a gradient that does not depend on
    the inputs (a linear function)."""
    ys = tuple(x.detach().requires_grad_() for x in xs)
    with enable_grad():
        out = fn(*ys)
        grads = grad(out, ys, create_graph=True, allow_unused=True)
    for j, g in enumerate(grads):
        if g is None or not g.requires_grad:
            raise RuntimeError(f"{api}: while computing the hessian, found that the jacobian "
                               f"of the user-provided function with respect to input {j} is "
                               "independent of the input. This is not allowed in strict mode. "
                               "You should ensure that your function is twice differentiable "
                               "and that the jacobian depends on the inputs (this would be "
                               "violated by a linear function for example).")


def _detached(outputs, create_graph):
    """The outputs returned beside a vjp/hvp: outside the graph unless ``create_graph`` (as
    ``torch.autograd.functional``), so they hold no freed graph."""
    if create_graph:
        return outputs
    return _unpack([o.detach() if isinstance(o, Tensor) else o for o in _as_tuple(outputs)],
                   outputs)


def _scalar(fn, api):
    """fn, checked to return one element, as a 0-d tensor (what `func.grad` takes)."""
    def scalar(*xs):
        out = fn(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError(f"{api}: the Tensor returned by the function given to {api} "
                               f"should contain a single element, got "
                               f"{getattr(out, 'shape', type(out))}")
        return out.reshape(())
    return scalar


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """Forward mode: ``(func(*inputs), J @ v)``, pushed through each op's forward rule in one
    evaluation of ``func`` (`func.jvp`; no backward pass). ``v`` matches ``inputs`` in number
    and shape; it may be omitted when the input is one tensor of one element. The outputs
    are detached unless ``create_graph``.

    >>> out, tangent = autograd.jvp(lambda x: x.sin(), autograd.zeros(2), autograd.ones(2))
    >>> tangent                                 # cos(0) * 1
    Tensor([1., 1.])
    """
    xs = _prepare(inputs, create_graph)
    vs = _vectors(v, xs, "jvp", "primal", "tangent")
    if strict:
        _strict(func, xs, "jvp")
    out, tangent = F.jvp(func, xs, vs)
    return _detached(out, create_graph), _result(tangent, create_graph)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """Reverse mode: ``(func(*inputs), v @ J)``, as ``torch.autograd.functional.vjp``
    (`func.vjp`). ``v`` may be omitted for a one-element output."""
    xs = _prepare(inputs, create_graph)
    if strict:
        _strict(func, xs, "vjp")
    out, vjp_fn = F.vjp(func, *xs)
    outs = _as_tuple(out)
    vs = _vectors(v, outs, "vjp", "output", "cotangent")
    grads = vjp_fn(_unpack(vs, out))
    return _detached(out, create_graph), _result(_unpack(grads, inputs), create_graph)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``, as ``torch.autograd.functional.jacobian``: for
    an output of shape O and an input of shape I, a tensor of shape O + I (nested tuples
    for several outputs or inputs). ``strategy='reverse-mode'`` is `func.jacrev`: one
    backward pass per output element, or all of them in one batched pass (vmap) with
    ``vectorize=True``; ``'forward-mode'`` is `func.jacfwd` (needs ``vectorize=True``)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise ValueError('jacobian: Expected strategy to be either "forward-mode" or '
                         '"reverse-mode". Hint: If your function has more outputs than '
                         'inputs, "forward-mode" tends to be more performant. Otherwise, '
                         'prefer to use "reverse-mode".')
    if strict and vectorize:
        raise RuntimeError("jacobian: `strict=True` and `vectorized=True` are not supported "
                           "together. Please either set `strict=False` or `vectorize=False`.")
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError("jacobian: computing the Jacobian using forward-AD is only "
                                  "implemented for `vectorize=True`")
    xs = _prepare(inputs, create_graph)
    if strict:
        _strict(func, xs, "jacobian")
    if strategy == "forward-mode":
        jac = F.jacfwd(func, _argnums(inputs))(*xs)
    else:
        jac = F.jacrev(func, _argnums(inputs), chunk_size=None if vectorize else 1)(*xs)
    return _result(tuple(jac) if isinstance(jac, list) else jac, create_graph)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a one-element ``func``: shape I + I for one input of shape I (nested
    tuples for several inputs), as ``torch.autograd.functional.hessian``: the `jacobian`
    (``outer_jacobian_strategy``, ``vectorize``) of `func.jacrev` (the gradient)."""
    if outer_jacobian_strategy == "forward-mode" and not vectorize:
        raise NotImplementedError("hessian: computing the forward-over-reverse Hessian is only "
                                  "implemented for `vectorize=True`")
    xs = _prepare(inputs, create_graph)
    if strict:
        _strict_second(_scalar(func, "hessian"), xs, "hessian")
    gradient = F.jacrev(_scalar(func, "hessian"), _argnums(inputs))
    if outer_jacobian_strategy == "forward-mode":
        return _result(F.jacfwd(gradient, _argnums(inputs))(*xs), create_graph)
    return jacobian(gradient, xs if isinstance(inputs, (tuple, list)) else xs[0],
                    create_graph, vectorize=vectorize)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), H @ v)`` for a one-element ``func``, as
    ``torch.autograd.functional.hvp``, without building H: the forward-mode derivative of the
    gradient along v (`func.jvp` of `func.grad`: forward over reverse)."""
    xs = _prepare(inputs, create_graph)
    vs = _vectors(v, xs, "hvp", "input", "vector")
    if strict:
        _strict_second(_scalar(func, "hvp"), xs, "hvp")
    both = F.grad_and_value(_scalar(func, "hvp"), tuple(range(len(xs))))
    _, hv, value = F.jvp(both, xs, vs, has_aux=True)
    return _detached(value, create_graph), _result(_unpack(hv, inputs), create_graph)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(*inputs), v @ H)`` for a one-element ``func``, as
    ``torch.autograd.functional.vhp``: the vjp of the gradient (reverse over reverse). For a
    twice continuously differentiable ``func``, H is symmetric and this equals `hvp`."""
    xs = _prepare(inputs, create_graph)
    vs = _vectors(v, xs, "vhp", "input", "vector")
    if strict:
        _strict_second(_scalar(func, "vhp"), xs, "vhp")
    both = F.grad_and_value(_scalar(func, "vhp"), tuple(range(len(xs))))
    _, vjp_fn, value = F.vjp(both, *xs, has_aux=True)
    return _detached(value, create_graph), _result(_unpack(vjp_fn(vs), inputs), create_graph)
