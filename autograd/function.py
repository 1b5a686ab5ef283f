"""Custom ops written by the user, as in PyTorch: subclass `Function`, define static
``forward(ctx, *inputs)`` and ``backward(ctx, *grad_outputs)``, call ``MyOp.apply(...)``."""
import numpy as np

from .engine import Op, record
from .errors import BackwardError, GraphFreedError, ShapeError
from .grad_mode import no_grad
from .tensor import Tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: ``save_for_backward(*tensors)`` then
    ``saved_tensors``; ``needs_input_grad[i]`` tells whether input i needs a gradient.
    Other attributes may be set freely (``ctx.alpha = alpha``)."""

    def __init__(self, name, needs_input_grad):
        self._name = name
        self._saved = ()
        self.needs_input_grad = needs_input_grad

    def save_for_backward(self, *tensors):
        self._saved = tensors

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
        super().__init__(fn.__name__, None, vjp=(), jvp=())
        self.fn = fn

    def pullback(self, g, ans, args, params, wanted):
        ctx = params["ctx"]
        grads = self.fn.backward(ctx, g if isinstance(g, Tensor) else Tensor._make(np.asarray(g)))
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != len(args):
            raise BackwardError(f"{self.name}.backward returned {len(grads)} gradient(s) but "
                                f"forward took {len(args)} input(s); return one per input "
                                "(None for inputs that need none)")
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
            out.append(gi if isinstance(g, Tensor) else gi.data)
        return out

    def pushforward(self, tangents, ans, args, params):
        jvp = getattr(self.fn, "jvp", None)
        if jvp is None:
            raise BackwardError(f"jvp: {self.name} has no forward-mode rule; define a static "
                                "method jvp(ctx, *input_tangents) returning the output tangent")
        tangents = [t if t is not None or not isinstance(a, Tensor) else Tensor(np.zeros_like(a.data))
                    for t, a in zip(tangents, args)]
        return jvp(params["ctx"], *tangents)

    def release(self, node):
        node.params["ctx"]._saved = None


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
    >>> y = Cube.apply(x)

    ``forward`` runs without recording (like under ``no_grad``) and returns one tensor or
    array. ``backward`` returns one gradient per input of forward (None where
    ``ctx.needs_input_grad`` is False); written with autograd ops, it is itself
    differentiable, so ``gradgradcheck`` and ``create_graph=True`` work through it.
    An optional static ``jvp(ctx, *tangents)`` gives the forward-mode rule.
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
        if isinstance(out, tuple):
            raise TypeError(f"{cls.__name__}.forward returned a tuple; a Function returns one "
                            "tensor (split a multi-output op into several Functions)")
        reuse = out if isinstance(out, Tensor) and out._node is None and \
            all(out is not a for a in args) else None  # a tensor ctx may have saved
        raw = tuple(a.data if isinstance(a, Tensor) else a for a in args)
        return record(cls._op, args, raw, out.data if isinstance(out, Tensor) else out,
                      {"ctx": ctx}, result=reuse)
