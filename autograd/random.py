"""The library's one random generator: `manual_seed` makes every random op repeatable."""
import numpy as np

from .creation import _make, _size
from .engine import inplace_update
from .errors import DtypeError
from .grad_mode import state
from .ops import where
from .registry import registered
from .tensor import Tensor, above, get_default_dtype

# The library's generator (a numpy.random.Generator; PyTorch's torch.default_generator):
# every random op of autograd, nn and autograd.utils.data draws from it. It stays one object:
# manual_seed, seed and set_rng_state reseed it in place, so code outside the library (a
# custom layer, a transform) that draws from it repeats with them too.
default_generator = np.random.default_rng()


def _reseed(bits):
    """Draw from the bit generator ``bits`` from now on, in the same Generator object (numpy
    keeps a Generator's state in its bit generator; re-initializing swaps it)."""
    np.random.Generator.__init__(default_generator, bits)


def manual_seed(seed):
    """Seed the generator behind every random op of autograd, nn and optim:
    `autograd.default_generator`, a `numpy.random.Generator` that stays the same object.

    >>> rng = autograd.default_generator
    >>> autograd.manual_seed(0); a = rng.random()
    >>> autograd.manual_seed(0); a == rng.random()
    True
    """
    _reseed(np.random.PCG64(seed))


def generator():
    """`default_generator`, after vmap's randomness check: the library's random ops draw
    through this function (`autograd.extend.generator`)."""
    if state.vmap_levels or state.vmap_loops:  # vmap(randomness='error') refuses them
        from .func._batching import _randomness_check
        _randomness_check()
    return default_generator


above.generator = generator


def get_rng_state():
    """The state of the library's generator as plain data (a dict of str, int and arrays),
    which `autograd.save` stores; `set_rng_state` puts it back (PyTorch's names).

    >>> state = autograd.get_rng_state()
    >>> a = autograd.rand(3); autograd.set_rng_state(state); b = autograd.rand(3)  # a == b
    """
    return default_generator.bit_generator.state


def set_rng_state(state):
    """Restore the generator to a state from `get_rng_state`, so the same random numbers follow.

    >>> autograd.set_rng_state(checkpoint["rng"])
    """
    name = state.get("bit_generator") if isinstance(state, dict) else None
    kind = getattr(np.random, name, None) if isinstance(name, str) else None
    if not (isinstance(kind, type) and issubclass(kind, np.random.BitGenerator)):
        raise ValueError("set_rng_state: expected a state from autograd.get_rng_state() (a dict "
                         f"whose 'bit_generator' names a numpy bit generator), got {state!r:.100}")
    bits = kind()
    try:
        bits.state = state  # numpy checks the rest of the state's layout
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"set_rng_state: the {name} state is malformed ({type(error).__name__}: "
                         f"{error}); pass a state from autograd.get_rng_state()") from error
    _reseed(bits)


def _float_dtype(fn, dtype):
    """``dtype`` (default: the default float dtype); a DtypeError unless it is floating, as
    PyTorch refuses ``rand(3, dtype=int64)``."""
    dtype = np.dtype(dtype or get_default_dtype())
    if dtype.kind != "f":
        raise DtypeError(f"{fn}: samples real numbers, so dtype must be floating, got {dtype}; "
                         "use randint(low, high, size) for integers")
    return dtype


def randn(*shape, size=None, requires_grad=False, dtype=None, device=None):
    """Standard normal samples: ``randn(2, 3)``, ``randn((2, 3))`` or ``randn(size=(2, 3))``."""
    dtype = _float_dtype("randn", dtype)
    data = generator().standard_normal(_size(shape, "randn", size)).astype(dtype)
    return _make(data, requires_grad, device)


def rand(*shape, size=None, requires_grad=False, dtype=None, device=None):
    """Uniform samples in [0, 1): ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``."""
    dtype = _float_dtype("rand", dtype)
    data = generator().random(_size(shape, "rand", size)).astype(dtype)
    return _make(data, requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, dtype=None, device=None, requires_grad=False):
    """Normal samples with the given ``mean`` and ``std`` (PyTorch's ``normal``): tensors
    (one sample per entry, broadcast together), or numbers with a ``size``.

    >>> autograd.normal(autograd.zeros(3), 1.0).shape, autograd.normal(2.0, 0.5, (2, 2)).shape
    ((3,), (2, 2))
    """
    tensors = [a for a in (mean, std) if isinstance(a, Tensor)]
    if size is None and not tensors:
        raise TypeError("normal: give a size for number mean and std, e.g. "
                        "normal(0.0, 1.0, size=(2, 3)), or pass a tensor mean or std")
    if size is not None and tensors:
        raise TypeError("normal: size= goes with number mean and std; with a tensor mean or "
                        "std the result takes its shape")
    mean_, std_ = (np.asarray(a._data if isinstance(a, Tensor) else a) for a in (mean, std))
    if np.any(std_ < 0):
        raise ValueError(f"normal: std must be non-negative, got {std!r:.60}")
    shape = _size((size,), "normal") if size is not None else np.broadcast_shapes(
        mean_.shape, std_.shape)
    dtype = dtype or (tensors[0].dtype if tensors else get_default_dtype())
    data = mean_ + std_ * generator().standard_normal(shape)
    data = data.astype(_float_dtype("normal", dtype))
    return _make(data, requires_grad, device)


def seed():
    """Seed the generator from the operating system's entropy (a fresh, unrepeatable run)."""
    manual_seed(None)


def randn_like(t, dtype=None, requires_grad=False, device=None):
    """Standard normal samples with the shape (and, by default, the dtype) of ``t``."""
    return randn(np.shape(t), dtype=dtype or _dtype_of(t), requires_grad=requires_grad,
                 device=device)


def rand_like(t, dtype=None, requires_grad=False, device=None):
    """Uniform samples in [0, 1) with the shape (and, by default, the dtype) of ``t``."""
    return rand(np.shape(t), dtype=dtype or _dtype_of(t), requires_grad=requires_grad,
                device=device)


def _dtype_of(t):
    """t's dtype, not read from its values (a tensor inside vmap has none to read)."""
    return t.dtype if isinstance(t, Tensor) else np.asarray(t).dtype


def randint(low=0, high=None, size=None, *, dtype=None, device=None, requires_grad=False):
    """Integers uniform in [low, high), int64 as in PyTorch: ``randint(0, 10, (3,))``,
    ``randint(10, (3,))`` (from 0), ``randint(high=10, size=(3,))``.

    >>> autograd.randint(10, (2, 2)).shape
    (2, 2)
    """
    if isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint: give high (and a size), e.g. randint(10, (3,)) or "
                        "randint(0, 10, size=(3,))")
    if size is None:
        raise TypeError(f"randint: give a size, e.g. randint({low}, {high}, (3,))")
    data = generator().integers(low, high, size=_size((size,), "randint"))
    return _make(data.astype(dtype or np.int64), requires_grad, device)


def randperm(n, *, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0 .. n-1 (int64)."""
    data = generator().permutation(int(n))
    return _make(data.astype(dtype or np.int64), requires_grad, device)


def _fill_random(x, name, sample):
    """x's entries replaced by ``sample(shape)`` (float64 samples), in place and counted."""
    values = sample(x.shape).astype(x.dtype)  # in a graph: x's place, with no gradient to x
    return inplace_update(x, name, (), lambda: where(np.ones(x.shape, bool), values, x),
                          lambda d: np.copyto(d, values))


@registered("none", method=True)
def normal_(x, mean=0.0, std=1.0):
    """x filled with normal samples of ``mean`` and ``std``, in place (PyTorch's ``normal_``).

    >>> autograd.zeros(3).normal_(0.0, 0.01).shape
    (3,)
    """
    _float_dtype("normal_", x.dtype)
    return _fill_random(x, "normal_",
                        lambda shape: mean + std * generator().standard_normal(shape))


@registered("none", method=True)
def uniform_(x, from_=0.0, to=1.0):
    """x filled with uniform samples in [from_, to), in place (PyTorch's ``uniform_``)."""
    _float_dtype("uniform_", x.dtype)
    return _fill_random(x, "uniform_", lambda shape: generator().uniform(from_, to, shape))
