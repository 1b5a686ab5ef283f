"""`Tensor`: an ndarray that remembers the op that made it, so gradients can flow back.

The class holds data and graph links only. Every op lives in `ops.py` (one entry per op:
forward, reverse rule, forward rule); the methods below just call them.
"""
import numpy as np

from . import grad_mode
from .errors import BackwardError, DtypeError

_default_dtype = np.dtype(np.float32)


def set_default_dtype(dtype):
    """Set the dtype that Python floats (and lists of them) become: float32 unless changed.

    >>> autograd.set_default_dtype("float64")   # e.g. before gradient checking
    """
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise DtypeError(f"set_default_dtype: expected a floating dtype, got {dtype}")
    _default_dtype = dtype


def get_default_dtype():
    """The dtype Python floats become (float32 unless `set_default_dtype` changed it)."""
    return _default_dtype


def _as_array(data, dtype=None):
    """numpy arrays keep their dtype; Python floats become the default float dtype,
    Python ints int64, bools bool (as in PyTorch)."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)):
        return np.asarray(data)
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return array.astype(_default_dtype, copy=False)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    return array


class Tensor:
    """An n-dimensional array (numpy-backed) that can record the graph of ops applied to it.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    Tensor([2., 4.])

    ``Tensor(ndarray)`` shares the array; `autograd.tensor` copies it.
    """

    __slots__ = ("data", "_requires_grad", "grad", "_node", "_hooks", "_tangent", "__weakref__")
    __array_priority__ = 1000  # numpy defers to our reflected operators

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _as_array(data, dtype)
        self.grad = None
        self._node = None  # the op that produced this tensor; None for leaves
        self._hooks = None  # a leaf's gradient hooks (a non-leaf keeps them on its node)
        self._tangent = None  # forward-mode tangent, only inside `jvp`
        self._requires_grad = False
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _make(data, node=None):
        """Wrap an ndarray without checks: the engine's fast constructor."""
        t = _new_tensor(Tensor)
        t.data = data
        t.grad = None
        t._node = node
        t._hooks = None
        t._tangent = None
        t._requires_grad = node is not None
        return t

    # ----------------------------------------------------------------- graph state
    @property
    def requires_grad(self):
        """Whether gradients flow to this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if self._node is not None and not flag:
            raise BackwardError(
                "requires_grad: cannot turn it off on a non-leaf tensor (made by "
                f"{self._node.name}); use .detach() to get a tensor outside the graph"
            )
        if flag and self.data.dtype.kind not in "fc":
            raise DtypeError(
                f"requires_grad: only floating-point tensors can require gradients, got "
                f"dtype {self.data.dtype}; create it with a float dtype, e.g. "
                f"autograd.tensor(..., dtype='float32')"
            )
        self._requires_grad = bool(flag)

    def requires_grad_(self, flag=True):
        """Set `requires_grad` in place and return self (PyTorch's spelling)."""
        self.requires_grad = flag
        return self

    @property
    def grad_fn(self):
        """The graph node of the op that made this tensor (None for leaves)."""
        return self._node

    @property
    def is_leaf(self):
        """True for tensors made by the user rather than by a recorded op."""
        return self._node is None

    def detach(self):
        """The same data as a new leaf, outside the graph (shares memory)."""
        return Tensor._make(self.data)

    def retain_grad(self):
        """Keep `.grad` on this non-leaf tensor after backward (leaves always keep it)."""
        if self._node is not None:
            self._node.retain(self)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a non-None return
        value replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        if not self._requires_grad:
            raise BackwardError("register_hook: the tensor does not require grad")
        if self._node is not None:
            hooks = self._node.hooks
            if hooks is None:
                hooks = self._node.hooks = []
        else:
            hooks = self._hooks
            if hooks is None:
                hooks = self._hooks = []
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's `.grad`.

        ``gradient`` is required unless self is a scalar (0-d or one element). Pass
        ``retain_graph=True`` to backpropagate through the same graph again, and
        ``create_graph=True`` to make the gradients themselves differentiable (then the
        graph is retained unless ``retain_graph=False``, as in PyTorch: the new graph of the
        gradients reuses it). ``inputs`` (a tensor or a list, leaves or not) limits both the
        walk and the accumulation to those tensors, as in PyTorch: the walk stops where they
        are, so nothing is spent on the graph behind them.
        """
        from .engine import backward

        backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph,
                 inputs=inputs)

    # ----------------------------------------------------------------- array facts
    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def item(self):
        """The value of a one-element tensor as a Python number."""
        return self.data.item()

    def numpy(self):
        """The underlying ndarray (shared, not copied)."""
        return self.data

    def tolist(self):
        return self.data.tolist()

    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self.data, dtype=dtype)
        return np.asarray(self.data, dtype=dtype)

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __index__(self):
        return self.data.__index__()

    __hash__ = object.__hash__  # == builds a boolean tensor, so hash by identity

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extras = []
        if self.data.dtype not in (_default_dtype, np.int64, np.bool_):
            extras.append(f"dtype={self.data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    def __setitem__(self, index, value):
        raise TypeError(
            "Tensor does not support item assignment: a value the graph may still need "
            "would change under it. Build a new tensor instead, e.g. autograd.where(mask, new, x) "
            "or autograd.concatenate(...)"
        )

    # numpy ufuncs on tensors (np.exp(t), ndarray * t) run our differentiable ops
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        op = _UFUNCS.get(ufunc)
        if op is None or method != "__call__" or kwargs:
            name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
            why = (f"keyword arguments ({', '.join(kwargs)}) are not supported" if op and kwargs
                   else "autograd has no differentiable version of it")
            raise TypeError(f"{name} on a Tensor: {why}. Use autograd's op (e.g. "
                            "autograd.exp(x), x.sum()), or pass x.numpy() to leave the graph")
        return op(*inputs)

    # ----------------------------------------------------------------- operators
    def __add__(self, other):
        return ops.add(self, other)

    def __radd__(self, other):
        return ops.add(other, self)

    def __sub__(self, other):
        return ops.sub(self, other)

    def __rsub__(self, other):
        return ops.sub(other, self)

    def __mul__(self, other):
        return ops.mul(self, other)

    def __rmul__(self, other):
        return ops.mul(other, self)

    def __truediv__(self, other):
        return ops.div(self, other)

    def __rtruediv__(self, other):
        return ops.div(other, self)

    def __pow__(self, other):
        return ops.power(self, other)

    def __rpow__(self, other):
        return ops.power(other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return ops.abs(self)

    def __lt__(self, other):
        return ops.less(self, other)

    def __le__(self, other):
        return ops.less_equal(self, other)

    def __gt__(self, other):
        return ops.greater(self, other)

    def __ge__(self, other):
        return ops.greater_equal(self, other)

    def __eq__(self, other):
        return ops.equal(self, other)

    def __ne__(self, other):
        return ops.not_equal(self, other)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # ----------------------------------------------------------------- methods (numpy names)
    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def log1p(self):
        return ops.log1p(self)

    def sqrt(self):
        return ops.sqrt(self)

    def sin(self):
        return ops.sin(self)

    def cos(self):
        return ops.cos(self)

    def tanh(self):
        return ops.tanh(self)

    def sigmoid(self):
        return ops.sigmoid(self)

    def relu(self):
        return ops.relu(self)

    def abs(self):
        return ops.abs(self)

    def clip(self, min=None, max=None):
        return ops.clip(self, min, max)

    def sum(self, axis=None, keepdims=False):
        return ops.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return ops.mean(self, axis, keepdims)

    def prod(self, axis=None, keepdims=False):
        return ops.prod(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return ops.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return ops.min(self, axis, keepdims)

    def var(self, axis=None, ddof=0, keepdims=False):
        return ops.var(self, axis, ddof, keepdims)

    def std(self, axis=None, ddof=0, keepdims=False):
        return ops.std(self, axis, ddof, keepdims)

    def logsumexp(self, axis=None, keepdims=False):
        return ops.logsumexp(self, axis, keepdims)

    def softmax(self, axis=-1):
        return ops.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return ops.log_softmax(self, axis)

    def argmax(self, axis=None, keepdims=False):
        return ops.argmax(self, axis, keepdims)

    def argmin(self, axis=None, keepdims=False):
        return ops.argmin(self, axis, keepdims)

    def dot(self, other):
        return ops.dot(self, other)

    def reshape(self, *shape):
        return ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        return ops.transpose(self, axes[0] if len(axes) == 1 else (axes or None))

    @property
    def T(self):
        return ops.transpose(self)

    def swapaxes(self, axis1, axis2):
        return ops.swapaxes(self, axis1, axis2)

    def squeeze(self, axis=None):
        return ops.squeeze(self, axis)

    def flatten(self):
        return ops.flatten(self)

    def astype(self, dtype):
        return ops.astype(self, dtype)

    def float(self):
        """A float32 copy (differentiable)."""
        return ops.astype(self, np.float32)

    def double(self):
        """A float64 copy (differentiable)."""
        return ops.astype(self, np.float64)


class _HookHandle:
    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


_new_tensor = object.__new__


def tensor(data, requires_grad=False, dtype=None):
    """A new leaf tensor holding a copy of ``data`` (see `Tensor` for the dtype rules).

    >>> w = autograd.tensor([[0.5, -1.0]], requires_grad=True)
    """
    return Tensor(np.array(_as_array(data, dtype)), requires_grad=requires_grad)


from . import ops  # noqa: E402  (ops needs Tensor defined first)

_UFUNCS = {
    np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul, np.true_divide: ops.div,
    np.power: ops.power, np.matmul: ops.matmul, np.negative: ops.neg, np.absolute: ops.abs,
    np.exp: ops.exp, np.log: ops.log, np.log1p: ops.log1p, np.sqrt: ops.sqrt, np.sin: ops.sin,
    np.cos: ops.cos, np.tanh: ops.tanh, np.maximum: ops.maximum, np.minimum: ops.minimum,
    np.less: ops.less, np.less_equal: ops.less_equal, np.greater: ops.greater,
    np.greater_equal: ops.greater_equal, np.equal: ops.equal, np.not_equal: ops.not_equal,
}
