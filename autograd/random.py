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
