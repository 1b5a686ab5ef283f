"""`Tensor`: an ndarray that remembers the op that made it, so gradients can flow back.

The class holds data, graph links and a version counter only. Its op methods and operators
are not written here: the op registry binds them (`registry.install_methods`).

Arrays handed out (``.numpy()``, ``np.asarray(t)``) are read-only views, so no value a graph
saved can change unnoticed; changes go through the tensor's in-place ops (``t += 1``,
``t[i] = v``, ``t.copy_(src)``, and those of ``t.data``, a detached Tensor sharing memory and
version counter), which count the tensor's version.
"""
import copy

import numpy as np

from . import dtypes, registry
from .errors import BackwardError, DtypeError, ShapeError


class above:  # noqa: N801  (a namespace, read as ``above.backward``)
    """What Tensor's methods call in the modules above this one, which import this one: each
    of them puts its function here when it is imported (all are, by ``import autograd``), so
    that tensor.py imports none of them and the core has no import circle."""

    backward = None  # engine.backward: Tensor.backward
    full = None  # creation.full: Tensor.new_full
    generator = None  # random.generator: Tensor.normal_, uniform_ without a generator
    numpy_unsupported = None  # numpy_api.unsupported: a numpy function without a handler


NUMPY_HANDLERS = {}  # numpy function -> its handler (filled by `numpy_api`)
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
    Python ints int64, bools bool (as in PyTorch). Read-only arrays are copied (a tensor
    owns memory it can change in place); anything numpy cannot hold as numbers is refused."""
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        array = _checked(data, lambda: np.asarray(data, dtype=dtype))
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        array = _checked(data, lambda: np.asarray(data))
        if array.dtype.kind == "f":
            array = array.astype(_default_dtype, copy=False)
        elif array.dtype.kind in "iu":
            array = array.astype(np.int64, copy=False)
    if array.dtype.kind == "c":
        raise DtypeError(_complex_refused("tensor", array.dtype))
    if array.dtype.kind not in "biuf":
        raise DtypeError(f"tensor: cannot hold {type(data).__name__} data of dtype "
                         f"{array.dtype} ({_short(data)}); a tensor holds booleans, integers "
                         "or floats: pass numbers, lists of numbers or a numeric ndarray")
    if not array.flags.writeable:
        array = array.copy()
    return array


def _complex_refused(where, dtype):
    return (f"{where}: complex values (dtype {dtype}) are not supported: this engine's "
            "gradients are defined for real numbers only. Keep the real and imaginary parts "
            "as two real tensors (x.real, x.imag of the array)")


def _checked(data, convert):
    try:
        return convert()
    except (ValueError, TypeError) as err:
        raise DtypeError(f"tensor: cannot make a tensor from {_short(data)}: {err}. Pass "
                         "numbers, (equally long) nested lists of numbers or an ndarray") from None


def _short(data):
    text = repr(data)
    return text if len(text) < 60 else text[:57] + "..."


def version_counter(tensor):
    """The tensor's version counter (a one-item list shared with its views and detached
    copies), made on first use."""
    vc = tensor._vc
    if vc is None:
        vc = tensor._vc = [0]
    return vc


class Tensor:
    """An n-dimensional array (numpy-backed) that can record the graph of ops applied to it.

    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    Tensor([2., 4.])

    ``Tensor(ndarray)`` shares the array; `autograd.tensor` copies it.
    """

    # Every op makes a Tensor, so making one must be quick: the fields every tensor sets
    # (and the version counter, which every tensor a node saves gets) are slots; the rarely
    # set ones default to the class's None and, once set, live in the instance's __dict__
    # (made only then; it also lets users attach attributes, as PyTorch's tensors do).
    __slots__ = ("_data", "_requires_grad", "_node", "_vc", "__dict__", "__weakref__")
    _grad = None
    _hooks = None  # a leaf's gradient hooks (a non-leaf keeps them on its node)
    _tangent = None  # forward-mode tangents, {level: tangent}, only inside `jvp`
    _base = None  # the tensor this one is a view of
    _view = None  # the read-only view handed out by .numpy()
    __array_priority__ = 1000  # numpy defers to our reflected operators

    def __init__(self, data, requires_grad=False, dtype=None):
        self._data = _as_array(data, dtype)
        self._node = None  # the op that produced this tensor; None for leaves
        # version counter, shared with views and with the Tensor whose memory this one shares
        self._vc = version_counter(data) if isinstance(data, Tensor) and \
            self._data is data._data else None
        self._requires_grad = False
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _make(data, node=None):
        """Wrap an ndarray without checks: the engine's fast constructor."""
        t = _new_tensor(Tensor)
        t._data = data
        t._node = node
        t._vc = None
        t._requires_grad = node is not None
        return t

    # ----------------------------------------------------------------- data and versions
    @property
    def data(self):
        """The values as a detached Tensor sharing this tensor's memory (PyTorch's ``.data``):
        ``p.data.normal_()``, ``p.data -= lr * p.grad`` change ``p`` itself, outside the graph.
        Unlike PyTorch's, it shares the version counter too, so a graph that saved ``p``
        still refuses such a change at backward. Assigning ``t.data = array_or_tensor``
        replaces the values (and counts too). For a plain ndarray use ``t.numpy()``.

        >>> p = autograd.zeros(2, requires_grad=True)
        >>> p.data.fill_(3.0)
        Tensor([3., 3.])
        >>> p
        Tensor([3., 3.], requires_grad=True)
        """
        return self.detach()

    @data.setter
    def data(self, array):
        self._set_data(_as_array(array))
        self._bump_version()  # graphs that saved the old values refuse them now
        if isinstance(array, Tensor) and self._data is array._data:
            self._vc = version_counter(array)  # shares its memory: shares its counter too

    def _set_data(self, array):
        self._data = array
        self._view = None

    def _bump_version(self):
        version_counter(self)[0] += 1

    @property
    def _version(self):
        """How many times the tensor was changed in place (PyTorch's ``t._version``)."""
        return 0 if self._vc is None else self._vc[0]

    @property
    def grad(self):
        """The gradient accumulated by backward (a Tensor of this tensor's shape), or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"grad: expected a Tensor or None, got {type(value).__name__}; "
                                "wrap arrays with autograd.tensor(...)")
            if value.shape != self.shape:
                raise ShapeError(f"grad: the gradient has shape {value.shape} but the tensor "
                                 f"has shape {self.shape}; they must match")
            if value.dtype != self.dtype and self.dtype.kind == "f":
                raise DtypeError(f"grad: the gradient has dtype {value.dtype} but the tensor "
                                 f"has dtype {self.dtype}; convert it with .astype(...)")
        self._grad = value

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
        if flag and self._data.dtype.kind != "f":
            raise DtypeError(
                f"requires_grad: only floating-point tensors can require gradients, got "
                f"dtype {self._data.dtype}; create it with a float dtype, e.g. "
                "autograd.tensor(..., dtype='float32')")
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
        """The same data as a new leaf, outside the graph (shares memory and the version
        counter: an in-place change of either is seen by graphs that saved the other)."""
        t = Tensor._make(self._data)
        t._vc = version_counter(self)
        return t

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
            extras = self._node.extra()
            if extras.hooks is None:
                extras.hooks = []
            hooks = extras.hooks
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
        above.backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph,
                 inputs=inputs)

    # ----------------------------------------------------------------- array facts
    @property
    def shape(self):
        return self._data.shape

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def size(self):
        """The number of elements, as numpy's ``size``; also callable as PyTorch's
        ``size()`` (the shape) and ``size(dim)`` (one axis's length)."""
        return _Size(self._data.size, self._data.shape)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def item(self):
        """The value of a one-element tensor as a Python number."""
        return self._data.item()

    def numpy(self, force=False):
        """The values as a read-only ndarray view (shares memory; ``np.array(t)`` copies;
        PyTorch's ``force=True``: a writable copy)."""
        if force:
            return self._data.copy()
        view = self._view
        if view is None:
            view = self._data.view()
            view.flags.writeable = False
            self._view = view
        return view

    def tolist(self):
        return self._data.tolist()

    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self._data, dtype=dtype)
        return np.asarray(self.numpy(), dtype=dtype)

    def __bool__(self):
        return bool(self._data)

    def __float__(self):
        return float(self._one_value("float"))

    def __int__(self):
        return int(self._one_value("int"))

    def _one_value(self, what):
        """The value of a one-element tensor (any shape, as PyTorch's ``int(t)``)."""
        if self._data.size != 1:
            raise ShapeError(f"{what}() of a tensor of shape {self.shape} ({self._data.size} "
                             "elements): only a one-element tensor converts to a number")
        return self._data.item()

    def __index__(self):
        return self._data.__index__()

    def __format__(self, spec):
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        return format(str(self), spec)

    def __deepcopy__(self, memo):
        """A copy with its own memory; the cached read-only view is not copied (a copy of it
        would be an independent array, blind to in-place changes of the new tensor)."""
        new = _new_tensor(type(self))
        memo[id(self)] = new
        for name in ("_data", "_requires_grad", "_node", "_vc"):
            setattr(new, name, copy.deepcopy(getattr(self, name), memo))
        for name, value in self.__dict__.items():
            if name != "_view":
                new.__dict__[name] = copy.deepcopy(value, memo)
        return new

    __hash__ = object.__hash__  # == builds a boolean tensor, so hash by identity

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extras = []
        if self._data.dtype not in (_default_dtype, np.int64, np.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    # numpy on tensors (np.exp(t), ndarray * t, np.sum(t)) runs our differentiable ops
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        op = registry.UFUNCS.get(ufunc)
        if op is None or method != "__call__" or kwargs:
            name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
            why = (f"keyword arguments ({', '.join(kwargs)}) are not supported" if op and kwargs
                   else "autograd has no differentiable version of it")
            if "out" in kwargs:  # `a = t.numpy(); a -= lr * t.grad` lands here
                why += (": an array cannot be updated in place with a Tensor (`.numpy()` is a "
                        "read-only view anyway). Update the tensor itself: `t.data -= lr * "
                        "t.grad`, or `with autograd.no_grad(): t -= lr * t.grad`")
            raise TypeError(f"{name} on a Tensor: {why}. Use autograd's op (e.g. "
                            "autograd.exp(x), x.sum()), or pass x.numpy() to leave the graph")
        return op(*inputs)

    def __array_function__(self, func, types, args, kwargs):
        """numpy's functions on tensors (np.std(t), np.concatenate([t, u])): numpy's meaning,
        computed by our ops so the result stays in the graph; see `autograd.numpy_api`."""
        handler = NUMPY_HANDLERS.get(func)
        if handler is None:
            return above.numpy_unsupported(func, types)
        return handler(*args, **kwargs)

    def __pos__(self):
        return self

    @property
    def T(self):
        """The tensor with its axes reversed."""
        return self.transpose()

    def float(self):
        """A float32 copy (differentiable)."""
        return self.astype(np.float32)

    def half(self):
        """A float16 copy (differentiable; numpy computes in float16 where it can).

        >>> autograd.tensor([1.5]).half().dtype
        dtype('float16')
        """
        return self.astype(np.float16)

    def double(self):
        """A float64 copy (differentiable)."""
        return self.astype(np.float64)

    def long(self):
        """An int64 copy."""
        return self.astype(np.int64)

    def int(self):
        """An int32 copy."""
        return self.astype(np.int32)

    def bool(self):
        """A boolean copy."""
        return self.astype(np.bool_)

    def type_as(self, other):
        """A copy with ``other``'s dtype."""
        return self.astype(other.dtype)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """PyTorch's ``to``: ``x.to(autograd.float64)``, ``x.to(other)`` (its dtype),
        ``x.to("cpu")`` / ``x.to(device)`` (the CPU is the only device: a no-op)."""
        for arg in args:
            if isinstance(arg, dtypes.device) or isinstance(arg, str) and dtypes.is_device(arg):
                device = arg
            elif isinstance(arg, Tensor):
                dtype = arg.dtype
            else:
                dtype = arg
        if device is not None:
            dtypes.device(device)  # raises for anything but the CPU
        if dtype is not None and dtypes.as_dtype(dtype, "to") != self.dtype:
            return self.astype(dtype)
        return self.clone() if copy else self

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with samples of N(mean, std**2), in place (PyTorch's; from the library's
        generator, so `autograd.manual_seed` repeats them): ``p.data.normal_(0, 0.02)``."""
        return self.copy_(_generator(generator).normal(mean, std, self.shape))

    def uniform_(self, from_=0.0, to=1.0, *, generator=None):
        """Fill with samples of U(from_, to), in place (PyTorch's): ``p.data.uniform_(-a, a)``."""
        return self.copy_(_generator(generator).uniform(from_, to, self.shape))

    def cpu(self):
        """The tensor itself: it already lives on the CPU."""
        return self

    def cuda(self, *args, **kwargs):
        """Not available: raises `DeviceError` (this engine runs on the CPU)."""
        return self.to("cuda")

    @property
    def device(self):
        """Always the CPU."""
        return dtypes.device("cpu")

    def dim(self):
        """The number of dimensions (PyTorch's name for ``ndim``)."""
        return self._data.ndim

    def numel(self):
        """The number of elements (PyTorch's name for ``size``)."""
        return self._data.size

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        """A new leaf holding a copy of ``data``, in this tensor's dtype unless given.

        >>> autograd.zeros(1, dtype=autograd.float64).new_tensor([1, 2])
        Tensor([1., 2.], dtype=float64)
        """
        return tensor(data, requires_grad, dtype or self.dtype, device)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        """Zeros of ``size``, in this tensor's dtype unless given (PyTorch's ``new_zeros``).

        >>> autograd.tensor([1.0], dtype=autograd.float64).new_zeros(2).dtype
        dtype('float64')
        """
        return self.new_full(size, 0, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        """Ones of ``size``, in this tensor's dtype unless given."""
        return self.new_full(size, 1, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        """A tensor of ``size`` to be filled in (zeros here), in this tensor's dtype."""
        return self.new_full(size, 0, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        """``fill_value`` in a tensor of ``size`` (a tuple, or ints), in this tensor's dtype
        unless given."""
        if len(size) == 1 and isinstance(size[0], (tuple, list)):
            size = size[0]
        return above.full(tuple(size), fill_value, dtype=dtype or self.dtype, device=device,
                    requires_grad=requires_grad)

    def type(self, dtype=None):
        """The dtype's name (no argument), or a copy converted to ``dtype`` (PyTorch's
        ``x.type(torch.float64)``).

        >>> autograd.arange(2).type(autograd.float32)
        Tensor([0., 1.])
        """
        if dtype is None:
            return str(self.dtype)
        return self if np.dtype(dtype) == self.dtype else self.astype(dtype)

    def contiguous(self, memory_format=None):
        """The tensor itself (PyTorch's ``contiguous``: numpy copies where a layout needs it).

        >>> x = autograd.zeros(2, 3).t().contiguous().view(-1)
        """
        return self


def _generator(generator):
    """The numpy generator to draw from: the library's unless one is given."""
    return above.generator() if generator is None else generator


class _Size(int):
    """An element count that, called, answers PyTorch's ``size()`` / ``size(dim)``."""

    def __new__(cls, count, shape):
        self = super().__new__(cls, count)
        self.shape = shape
        return self

    def __call__(self, dim=None):
        if dim is None:
            return self.shape
        try:
            return self.shape[dim]
        except (IndexError, TypeError):
            raise IndexError(f"size: dimension {dim!r} is out of range for a tensor of shape "
                             f"{self.shape} (valid: {-len(self.shape)} to "
                             f"{len(self.shape) - 1})") from None


class _HookHandle:
    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


_new_tensor = object.__new__


def tensor(data, requires_grad=False, dtype=None, device=None):
    """A new leaf tensor holding a copy of ``data`` (see `Tensor` for the dtype rules);
    ``device`` takes only the CPU, as the factories.

    >>> w = autograd.tensor([[0.5, -1.0]], requires_grad=True)
    """
    if device is not None:
        dtypes.device(device)  # raises for anything but the CPU
    return Tensor(np.array(_as_array(data, dtype)), requires_grad=requires_grad)

