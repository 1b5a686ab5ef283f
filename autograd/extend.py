"""The extension API: how an op is declared, apart from the ops users call.

Everything in `autograd` (and the Tensor methods) is generated from the op registry; this
module is how to add to it. Declare an op with the decorator of its rule kind — only the
rules that kind cannot derive are written (CONTRIBUTING.md has the recipe):

- `elementwise` (one local derivative per input: reverse and forward rules follow),
- `linear` (its transpose: the forward rule is the op itself),
- `bilinear` (one reverse rule per operand),
- `primitive` (both rules, explicitly, one per input),
- `joint` (one reverse rule giving every input's gradient at once, for work they share),
- `registered` (a function built from other ops, or the argument handling around a private
  primitive), or `register` (the same, as a call).

Names given there (``method=``, ``operators=``, ``ufunc=``, ``aliases=``) become Tensor
methods, operators, numpy dispatch and ``autograd.<name>`` at once, for an op declared in
user code after ``import autograd`` as for a built-in one::

    from autograd.extend import elementwise

    @elementwise(lambda ans, x: 3 * x * x, saves="x", method=True)
    def cube(x):
        "x**3, elementwise."
        return x ** 3

    autograd.cube(x), x.cube()      # both run the op; gradcheck(autograd.cube, x) passes

An op runs under `autograd.func.vmap` through its batching rule, given with ``batch=`` on
its decorator: one of the shared rules of `batching` (``batch=batching.axis`` for an op with
an ``axis`` parameter, ``batching.elementwise`` for one that broadcasts; an `elementwise`
op has that one without asking), or the op's own ``rule(op, args, batched, params)`` built
with `batching`'s helpers (`batching.expand`, `batching.lift`, `batching.shift`).

`raw` gives the ndarray behind a Tensor, for a rule's constants (masks, signs) and forward
computations; `inplace_update` writes an in-place op through the version-counted path, and
`increment_version` counts a change made directly in a tensor's array (an optimizer's step).
`parallel(fn, items)` maps a forward's independent pieces (a convolution's blocks of samples)
over the library's threads (`autograd.set_num_threads`), in order, BLAS on one thread meanwhile.
"""
from . import batching
from .engine import (Op, _parse_saves, _publish, bilinear, elementwise, inplace_update, linear,
                     primitive)
from .errors import BackwardError
from .ops import _raw as raw
from .random import generator
from .registry import register, registered
from .tensor import version_counter
from .threads import parallel

__all__ = ["elementwise", "linear", "bilinear", "primitive", "joint", "registered", "register",
           "batching", "raw", "inplace_update", "increment_version", "generator",
           "parallel"]


def increment_version(tensor):
    """Count an in-place change made to ``tensor``'s array outside the library's ops (PyTorch's
    ``torch.autograd.graph.increment_version``): a tensor, or a list or tuple of them.

    Every in-place op of the library counts its own change; call this after writing into
    ``raw(tensor)`` yourself (an optimizer updating a parameter with numpy, under
    ``no_grad``), so that a graph which saved the old values refuses them at backward
    instead of using the new ones.

    >>> w = autograd.ones(3, requires_grad=True)
    >>> loss = (w * w).sum()             # saves w for its backward
    >>> raw(w)[...] -= 0.5               # a numpy update of w's memory
    >>> increment_version(w)
    >>> loss.backward()                  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    autograd.errors.InplaceError: ...
    """
    if isinstance(tensor, (list, tuple)):
        for t in tensor:
            version_counter(t)[0] += 1
    else:  # one tensor: an optimizer's step calls this per parameter, so no loop for it
        version_counter(tensor)[0] += 1


class _JointOp(Op):
    """An op whose one reverse rule returns all inputs' gradients and whose one forward rule
    takes all tangents (the rules of `joint`)."""

    __slots__ = ()

    def pullback(self, g, ans, args, params, wanted):
        return self.vjps[0](g, ans, *args, wanted=wanted, **params)

    def pushforward(self, tangents, ans, args, params):
        if self.jvps is None:
            raise BackwardError(f"jvp: {self.name} has no forward-mode rule")
        return self.jvps[0](tangents, ans, *args, **params)


def joint(vjp, jvp=None, saves=None, **names):
    """An op whose inputs' gradients share their work (a fused recurrence walks its steps
    backwards once for all of them): one reverse rule ``vjp(g, ans, *inputs, wanted,
    **params)`` returns a list with one gradient per input (None for an input whose flag in
    ``wanted`` is False), and one forward rule ``jvp(tangents, ans, *inputs, **params)``
    gets every input's tangent (None for zero) and returns the result's. The rules are
    written with registered ops, so they run on arrays in a plain backward and are recorded
    under ``create_graph=True``. ``saves`` (one spec for all inputs, e.g. ``'ans x'``) and
    ``names`` as for `primitive`.

    >>> def _grads(g, ans, x, y, *, wanted):
    ...     return [g * y if wanted[0] else None, g * x if wanted[1] else None]
    >>> @joint(_grads, jvp=lambda ts, ans, x, y: sum(t * o for t, o in zip(ts, (y, x))
    ...                                            if t is not None), saves="x y")
    ... def _times(x, y):            # a private name: not added to the registry
    ...     return x * y
    >>> x = autograd.tensor(3.0, requires_grad=True)
    >>> autograd.grad(_times(x, autograd.tensor(2.0)), x)
    (Tensor(2.),)
    """

    def wrap(forward):
        op = _JointOp(forward.__name__.lstrip("_"), forward, vjp, jvp, False,
                      _parse_saves(forward, saves, False))
        return _publish(op, forward, "general", names)

    return wrap
