"""Custom ops written by the user, as in PyTorch: subclass `Function`, define static
``forward(ctx, *inputs)`` and ``backward(ctx, *grad_outputs)``, call ``MyOp.apply(...)``."""
import functools

import numpy as np

from .engine import Op, record
from .errors import BackwardError, GraphFreedError, ShapeError
from .grad_mode import no_grad, state
from .tensor import Tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: ``save_for_backward(*tensors)`` then
    ``saved_tensors``; ``needs_input_grad[i]`` tells whether input i needs a gradient.
    Other attributes may be set freely (``ctx.alpha = alpha``)."""

    def __init__(self, name, needs_input_grad):
        self._name = name
        self._saved = ()
        self._live_nodes = 0  # nodes (one per output) that still need the saved tensors
        self._non_differentiable = ()
        self.needs_input_grad = needs_input_grad

    def save_for_backward(self, *tensors):
        self._saved = tensors

    def mark_non_differentiable(self, *outputs):
        """Outputs of forward that get no gradient (indices, masks): they never require
        grad, and backward receives zeros for them."""
        self._non_differentiable = outputs

    @property
    def saved_tensors(self):
        if self._saved is None:
            raise GraphFreedError(
                f"{self._name}: saved tensors were freed by an earlier backward; pass "
                "retain_graph=True to the first backward to use them again")
        return self._saved


class _FunctionOp(Op):
    """Adapts a Function subclass to the engine's Op interface (one per subclass)."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        super().__init__(fn.__name__, None)
        self.differentiable = True  # its rules are the Function's backward and jvp
        self.fn = fn

    def pullback(self, g, ans, args, params, wanted):
        ctx, k, shapes = params["ctx"], params["output"], params["shapes"]
        plain = not isinstance(g, Tensor)  # a plain backward: hand back arrays
        g = Tensor._make(np.asarray(g)) if plain else g
        # one node per output; backward is linear in the output gradients, so each node
        # calls it with its own gradient and zeros for the other outputs
        outs = [g if i == k else Tensor._make(np.zeros(shape, g.dtype))
                for i, shape in enumerate(shapes)]
        grads = self.fn.backward(ctx, *outs)
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) > len(args) and all(gi is None for gi in grads[len(args):]):
            grads = grads[:len(args)]  # PyTorch accepts extra trailing Nones
        if len(grads) != len(args):
            raise BackwardError(f"{self.name}.backward returned {len(grads)} gradient(s) but "
                                f"forward took {len(args)} input(s); return one per input "
                                "(None for inputs that need none; extra ones must be None)")
        out = []
        for i, (gi, want) in enumerate(zip(grads, wanted)):
            if not want or gi is None:
                out.append(None)
                continue
            gi = gi if isinstance(gi, Tensor) else Tensor._make(np.asarray(gi))
            shape = np.shape(args[i])
            try:  # the input's shape must broadcast to the gradient's (then it is summed back)
                fits = np.broadcast_shapes(gi.shape, shape) == gi.shape
            except ValueError:
                fits = False
            if not fits:
                raise ShapeError(f"{self.name}.backward returned a gradient of shape {gi.shape} "
                                 f"for input {i} of shape {shape}")
            out.append(gi._data if plain else gi)
        return out

    def pushforward(self, tangents, ans, args, params):
        jvp = getattr(self.fn, "jvp", None)
        if jvp is None:
            raise BackwardError(f"jvp: {self.name} has no forward-mode rule; define a static "
                                "method jvp(ctx, *input_tangents) returning the output tangent")
        tangents = [Tensor(np.zeros_like(a._data)) if t is None and isinstance(a, Tensor) else t
                    for t, a in zip(tangents, args)]
        out = jvp(params["ctx"], *tangents)
        return out[params["output"]] if isinstance(out, tuple) else out

    def release(self, node):
        ctx = node.params["ctx"]
        ctx._live_nodes -= 1
        if ctx._live_nodes <= 0:
            ctx._saved = None


class Function:
    """Base class of custom differentiable ops.

    >>> class Cube(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         x, = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> x = autograd.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).backward(autograd.ones(1))
    >>> x.grad
    Tensor([12.])

    ``forward`` runs without recording (like under ``no_grad``) and returns one tensor or
    array, or a tuple of them (then ``backward`` gets one gradient per output; zeros for an
    output that was not used or was marked with ``ctx.mark_non_differentiable``).
    ``backward`` returns one gradient per input of forward (None where
    ``ctx.needs_input_grad`` is False); written with autograd ops, it is itself
    differentiable, so ``gradgradcheck`` and ``create_graph=True`` work through it (unless
    decorated with `once_differentiable`). An optional static ``jvp(ctx, *tangents)`` gives
    the forward-mode rule.
    """

    _op = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._op = _FunctionOp(cls)

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a Function subclass must define forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, *grads)")

    @classmethod
    def apply(cls, *args):
        if cls._op is None:
            raise TypeError("call apply on a subclass of Function, not on Function itself")
        ctx = FunctionCtx(cls.__name__, tuple(isinstance(a, Tensor) and a.requires_grad
                                              for a in args))
        with no_grad():
            out = cls.forward(ctx, *args)
        raw = [a._data if isinstance(a, Tensor) else a for a in args]
        if not isinstance(out, tuple):
            return cls._wrap(out, 0, (np.shape(out),), ctx, args, raw)
        shapes = tuple(np.shape(o) for o in out)
        return tuple(cls._wrap(o, k, shapes, ctx, args, raw) for k, o in enumerate(out))

    @classmethod
    def _wrap(cls, out, k, shapes, ctx, args, raw):
        """Output ``k`` of forward as a Tensor with its own node (shared ctx)."""
        reuse = out if isinstance(out, Tensor) and out._node is None and \
            all(out is not a for a in args) else None  # a tensor ctx may have saved
        value = out._data if isinstance(out, Tensor) else out
        if any(out is o for o in ctx._non_differentiable):
            result = reuse if reuse is not None else Tensor._make(np.asarray(value))
            result._node, result._requires_grad = None, False
            return result
        result = record(cls._op, args, raw, value,
                        {"ctx": ctx, "output": k, "shapes": shapes}, result=reuse)
        if result._node is not None:
            ctx._live_nodes += 1
        return result


def once_differentiable(backward):
    """Decorate a `Function`'s backward written with numpy (or anything not recorded): it
    runs without recording, and differentiating it again (``create_graph=True``,
    ``gradgradcheck``) raises a clear error instead of giving a wrong second derivative.

    >>> class Clip01(autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return np.clip(x.numpy(), 0, 1)
    ...     @staticmethod
    ...     @autograd.once_differentiable
    ...     def backward(ctx, g):
    ...         x, = ctx.saved_tensors
    ...         return g.numpy() * ((x.numpy() >= 0) & (x.numpy() <= 1))
    """

    @functools.wraps(backward)
    def run(ctx, *grads):
        if state.grad_enabled:
            raise BackwardError(
                f"{ctx._name}.backward is marked @once_differentiable: it cannot be "
                "differentiated again (create_graph=True / gradgradcheck). Write it with "
                "autograd ops and drop the decorator to get higher derivatives")
        return backward(ctx, *grads)

    return run
