"""A reverse-mode (and forward-mode) automatic differentiation engine on numpy.

The op functions below (``autograd.exp``, ``autograd.sum``...) and the Tensor methods and
operators come from the op registry (`registry`): each op is declared once, in `ops`.
"""
import sys
from importlib.metadata import PackageNotFoundError as _NotInstalled
from importlib.metadata import version as _version

try:
    __version__ = _version("backproplab")  # the distribution's name (pyproject.toml)
except _NotInstalled:  # imported from a checkout that was never installed
    __version__ = "0+unknown"

from . import ops  # noqa: F401,E402  (declares and registers every op)
from . import numpy_api  # noqa: F401,E402  (numpy's functions on Tensors: np.std(t)...)
from . import contraction, pointwise  # noqa: F401,E402  (more ops: einsum, mm...; tan, floor...)
from . import indexing, sorting  # noqa: F401,E402  (scatter, index_*...; sort, topk...)
from . import constraints  # noqa: F401,E402  (renorm, renorm_: max-norm constraints)
from . import inplace  # noqa: F401,E402  (sqrt_, addcmul_...: every in-place form; index_put...)
from .creation import (arange, as_tensor, empty, eye, from_numpy, full, full_like, linspace, ones,
                       ones_like, zeros, zeros_like)
from .dtypes import (DeviceError, bool, device, double, float, float16, float32, float64, half,  # noqa: A004
                     int, int8, int16, int32, int64, long, short, uint8)
from .engine import Node, Op
from .errors import (AnomalyError, AutogradError, BackwardError, DtypeError, GradcheckError,
                     GraphFreedError, IndexingError, InplaceError, ShapeError, UnusedInputError)
from .function import Function, FunctionCtx, once_differentiable
from .functional import grad, hessian, hvp, jacobian, jvp, vhp, vjp
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .random import (default_generator, get_rng_state, manual_seed, normal, rand, rand_like,
                     randint, randn, randn_like, randperm, seed, set_rng_state)
from .registry import install
from .serialization import CheckpointError, load, save
from .tensor import Tensor, get_default_dtype, set_default_dtype, tensor
from .threads import get_num_threads, set_num_threads
from .viz import draw_graph

# the names below, and every op's (added by `install`, with the Tensor methods and operators)
__all__ = sorted({
    "Tensor", "tensor", "Function", "FunctionCtx", "once_differentiable", "Node", "Op",
    "arange", "as_tensor", "empty", "eye", "from_numpy", "full", "full_like", "linspace", "ones",
    "ones_like", "zeros", "zeros_like", "default_generator", "manual_seed", "seed", "rand",
    "rand_like", "randint", "randn", "randn_like", "randperm", "normal",
    "grad", "hessian", "hvp", "jacobian", "jvp", "vhp", "vjp",
    "gradcheck", "gradgradcheck", "draw_graph", "detect_anomaly", "enable_grad",
    "is_grad_enabled", "no_grad", "set_grad_enabled", "get_default_dtype", "set_default_dtype",
    "device", "DeviceError", "AnomalyError", "AutogradError", "BackwardError", "DtypeError",
    "GradcheckError", "GraphFreedError", "IndexingError", "InplaceError", "ShapeError",
    "UnusedInputError", "save", "load", "CheckpointError", "get_rng_state", "set_rng_state",
    "float16", "half", "float32", "float", "float64", "double", "int8", "uint8", "int16", "short",
    "int32", "int", "int64", "long", "bool", "get_num_threads", "set_num_threads",
})
install(Tensor, sys.modules[__name__])

from . import extend  # noqa: E402
from . import backends, cuda  # noqa: E402  (torch.cuda.is_available() and the like)
from . import func  # noqa: E402,F401  (function transforms, as torch.func: grad, vmap...)


def __getattr__(name):
    """``autograd.nn`` and ``autograd.optim``: the top-level packages ``nn`` and ``optim``,
    imported on first access, so that ``from torch import nn, optim`` ports by the rename
    alone. This is the one place the core names them: the core never imports them itself
    (they sit above it), and this hook runs only when a user asks for one of the two.
    ``autograd.utils`` (data, progress bars: a layer above the core too, which imports
    ``autograd``) is imported on first access the same way, as torch.utils after
    ``import torch``."""
    if name in ("nn", "optim", "utils"):
        import importlib

        return importlib.import_module(name if name != "utils" else "autograd.utils")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
