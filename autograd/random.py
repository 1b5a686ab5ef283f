"""The library's one random generator: `manual_seed` makes every random op repeatable."""
import numpy as np

from .creation import _make
from .tensor import get_default_dtype

_generator = np.random.default_rng()


def manual_seed(seed):
    """Seed the generator behind every random op of autograd, nn and optim."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator():
    """The current `numpy.random.Generator` (replaced by each `manual_seed`)."""
    return _generator


def _shape(shape):
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def randn(*shape, requires_grad=False, dtype=None, device=None):
    """Standard normal samples: ``randn(2, 3)`` or ``randn((2, 3))``."""
    data = _generator.standard_normal(_shape(shape)).astype(dtype or get_default_dtype())
    return _make(data, requires_grad, device)


def rand(*shape, requires_grad=False, dtype=None, device=None):
    """Uniform samples in [0, 1): ``rand(2, 3)`` or ``rand((2, 3))``."""
    data = _generator.random(_shape(shape)).astype(dtype or get_default_dtype())
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
