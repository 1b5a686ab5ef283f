"""Weight normalization (Salimans & Kingma, 2016): learn a weight's length and direction apart,
``w = g * v / ||v||``, as PyTorch's ``torch.nn.utils.weight_norm`` does."""
import numpy as np

import autograd
from autograd import IndexingError, no_grad

from ..parameter import Parameter

__all__ = ["weight_norm", "remove_weight_norm"]


def _norm_except(v, dim):
    """The L2 norm of ``v`` over every axis but ``dim`` (kept, size 1), or over all of ``v``
    when ``dim`` is None. A Tensor gives a Tensor in the graph; an ndarray gives an ndarray."""
    axes = None if dim is None else tuple(i for i in range(np.ndim(v)) if i != dim)
    return autograd.sqrt((v * v).sum(axis=axes, keepdims=dim is not None))


class _WeightNorm:
    """The forward pre-hook that rebuilds ``module.<name>`` from the parameters ``<name>_g``
    and ``<name>_v`` before every forward, so gradients reach g and v (and a
    `functional_call` that substitutes them is honoured)."""

    def __init__(self, name, dim):
        self.name, self.dim = name, dim
        self.handle = None

    def compute(self, module):
        v = getattr(module, self.name + "_v")
        return getattr(module, self.name + "_g") * v / _norm_except(v, self.dim)

    def __call__(self, module, args):
        setattr(module, self.name, self.compute(module))


def _hook_of(module, name):
    """The weight-norm hook on ``module.<name>``, or None."""
    return next((hook for hook in module._forward_pre_hooks.values()
                 if isinstance(hook, _WeightNorm) and hook.name == name), None)


def weight_norm(module, name="weight", dim=0):
    """Reparametrize ``module.<name>`` as ``w = g * v / ||v||`` and return the module.

    The parameter ``<name>`` is replaced by two: ``<name>_g`` (the length; one entry per
    slice along ``dim``, other axes kept with size 1) and ``<name>_v`` (the direction), as
    in PyTorch, so state-dict keys match. The norm runs over every axis except ``dim``
    (``dim=0``: one length per output unit or output channel); ``dim=None`` uses one
    length for the whole tensor. ``w`` is recomputed before every forward. Right after
    wrapping, ``g = ||w||`` and ``v = w``, so the layer's output is unchanged.

    Unlike PyTorch, a negative ``dim`` counts from the last axis (numpy's meaning); PyTorch
    reads ``dim=-1`` as "the whole tensor", which is ``dim=None`` here.

    >>> layer = nn.utils.weight_norm(nn.Linear(3, 2))
    >>> [name for name, _ in layer.named_parameters()]
    ['bias', 'weight_g', 'weight_v']
    >>> layer.weight_g.shape
    (2, 1)
    """
    owner = f"weight_norm: {type(module).__name__}.{name}"
    if _hook_of(module, name) is not None:
        raise RuntimeError(f"{owner} is already weight-normalized; "
                           f"call remove_weight_norm(module, '{name}') first")
    params = dict(module.named_parameters(recurse=False))
    if params.get(name) is None:
        raise AttributeError(f"{owner}: {type(module).__name__} has no parameter '{name}' "
                             f"(its parameters: {', '.join(params) or 'none'})")
    weight = params[name].data
    if dim is not None:
        if not -weight.ndim <= dim < weight.ndim:
            raise IndexingError(f"{owner}: dim {dim} is out of range for a weight of shape "
                                f"{weight.shape} (valid: {-weight.ndim} to {weight.ndim - 1}, "
                                "or None for one norm over the whole tensor)")
        dim %= weight.ndim
    length = _norm_except(weight, dim)
    if np.any(length == 0):
        raise ValueError(f"{owner}: the weight has an all-zero slice along dim {dim}, whose "
                         "direction v / ||v|| is undefined; initialize the weight first")
    delattr(module, name)
    setattr(module, name + "_g", Parameter(length))
    setattr(module, name + "_v", Parameter(weight))
    hook = _WeightNorm(name, dim)
    hook(module, ())  # module.<name> is readable before the first forward too
    hook.handle = module.register_forward_pre_hook(hook)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo `weight_norm`: fold ``g * v / ||v||`` back into one parameter ``<name>``.

    >>> layer = nn.utils.remove_weight_norm(nn.utils.weight_norm(nn.Linear(3, 2)))
    >>> sorted(name for name, _ in layer.named_parameters())
    ['bias', 'weight']
    """
    hook = _hook_of(module, name)
    if hook is None:
        raise ValueError(f"remove_weight_norm: {type(module).__name__}.{name} is not "
                         f"weight-normalized (no weight_norm(module, '{name}') to undo)")
    with no_grad():
        weight = hook.compute(module).data
    hook.handle.remove()
    for attribute in (name, name + "_g", name + "_v"):
        delattr(module, attribute)
    setattr(module, name, Parameter(weight))
    return module
