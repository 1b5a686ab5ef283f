"""The library's one random generator: `manual_seed` makes every random op repeatable."""
import numpy as np

from .tensor import Tensor, get_default_dtype

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


def randn(*shape, requires_grad=False, dtype=None):
    """Standard normal samples: ``randn(2, 3)`` or ``randn((2, 3))``."""
    data = _generator.standard_normal(_shape(shape)).astype(dtype or get_default_dtype())
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, requires_grad=False, dtype=None):
    """Uniform samples in [0, 1): ``rand(2, 3)`` or ``rand((2, 3))``."""
    data = _generator.random(_shape(shape)).astype(dtype or get_default_dtype())
    return Tensor(data, requires_grad=requires_grad)


def seed():
    """Seed the generator from the operating system's entropy (a fresh, unrepeatable run)."""
    manual_seed(None)


def randn_like(t, dtype=None, requires_grad=False):
    """Standard normal samples with the shape (and, by default, the dtype) of ``t``."""
    return randn(np.shape(t), dtype=dtype or np.asarray(t).dtype, requires_grad=requires_grad)


def rand_like(t, dtype=None, requires_grad=False):
    """Uniform samples in [0, 1) with the shape (and, by default, the dtype) of ``t``."""
    return rand(np.shape(t), dtype=dtype or np.asarray(t).dtype, requires_grad=requires_grad)


def randint(low, high=None, size=(), *, dtype=None):
    """Integers uniform in [low, high) (``randint(high, size)`` counts from 0), int64 as in
    PyTorch: ``randint(0, 10, (3,))``."""
    if high is None:
        low, high = 0, low
    return Tensor(_generator.integers(low, high, size=tuple(size)).astype(dtype or np.int64))


def randperm(n, *, dtype=None):
    """A random permutation of 0 .. n-1 (int64)."""
    return Tensor(_generator.permutation(int(n)).astype(dtype or np.int64))
