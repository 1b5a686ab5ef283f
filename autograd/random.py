"""The library's one random generator: `manual_seed` makes every random op repeatable."""
import numpy as np

from .creation import _make, _size
from .tensor import get_default_dtype

_generator = np.random.default_rng()


def manual_seed(seed):
    """Seed the generator behind every random op of autograd, nn and optim."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator():
    """The current `numpy.random.Generator` (replaced by each `manual_seed` and `set_rng_state`)."""
    return _generator


def get_rng_state():
    """The state of the library's generator as plain data (a dict of str, int and arrays),
    which `autograd.save` stores; `set_rng_state` puts it back (PyTorch's names).

    >>> state = autograd.get_rng_state()
    >>> a = autograd.rand(3); autograd.set_rng_state(state); b = autograd.rand(3)  # a == b
    """
    return _generator.bit_generator.state


def set_rng_state(state):
    """Restore the generator to a state from `get_rng_state`, so the same random numbers follow.

    >>> autograd.set_rng_state(checkpoint["rng"])
    """
    name = state.get("bit_generator") if isinstance(state, dict) else None
    kind = getattr(np.random, name, None) if isinstance(name, str) else None
    if not (isinstance(kind, type) and issubclass(kind, np.random.BitGenerator)):
        raise ValueError("set_rng_state: expected a state from autograd.get_rng_state() (a dict "
                         f"whose 'bit_generator' names a numpy bit generator), got {state!r:.100}")
    global _generator
    bits = kind()
    try:
        bits.state = state  # numpy checks the rest of the state's layout
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"set_rng_state: the {name} state is malformed ({type(error).__name__}: "
                         f"{error}); pass a state from autograd.get_rng_state()") from error
    _generator = np.random.Generator(bits)


def randn(*shape, requires_grad=False, dtype=None, device=None):
    """Standard normal samples: ``randn(2, 3)`` or ``randn((2, 3))``."""
    data = _generator.standard_normal(_size(shape, "randn")).astype(dtype or get_default_dtype())
    return _make(data, requires_grad, device)


def rand(*shape, requires_grad=False, dtype=None, device=None):
    """Uniform samples in [0, 1): ``rand(2, 3)`` or ``rand((2, 3))``."""
    data = _generator.random(_size(shape, "rand")).astype(dtype or get_default_dtype())
    return _make(data, requires_grad, device)


def seed():
    """Seed the generator from the operating system's entropy (a fresh, unrepeatable run)."""
    manual_seed(None)


def randn_like(t, dtype=None, requires_grad=False, device=None):
    """Standard normal samples with the shape (and, by default, the dtype) of ``t``."""
    return randn(np.shape(t), dtype=dtype or np.asarray(t).dtype, requires_grad=requires_grad,
                 device=device)


def rand_like(t, dtype=None, requires_grad=False, device=None):
    """Uniform samples in [0, 1) with the shape (and, by default, the dtype) of ``t``."""
    return rand(np.shape(t), dtype=dtype or np.asarray(t).dtype, requires_grad=requires_grad,
                device=device)


def randint(low, high=None, size=(), *, dtype=None, device=None, requires_grad=False):
    """Integers uniform in [low, high) (``randint(high, size)`` counts from 0), int64 as in
    PyTorch: ``randint(0, 10, (3,))``, ``randint(10, (3,))``.

    >>> autograd.randint(10, (2, 2)).shape
    (2, 2)
    """
    if high is None or isinstance(high, (tuple, list)):  # randint(high) / randint(high, size)
        low, high, size = 0, low, size if high is None else high
    data = _generator.integers(low, high, size=tuple(size)).astype(dtype or np.int64)
    return _make(data, requires_grad, device)


def randperm(n, *, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0 .. n-1 (int64)."""
    return _make(_generator.permutation(int(n)).astype(dtype or np.int64), requires_grad, device)
