"""Weight normalization (Salimans & Kingma, 2016): learn a weight's length and direction apart,
``w = g * v / ||v||``, with the names of PyTorch's ``torch.nn.utils.weight_norm``.

``module.<name>`` becomes a computed attribute, as in PyTorch's parametrizations: the module
is given a subclass of its class (same name) in which ``<name>`` is a `_WeightNorm`
descriptor. So every read of ``module.<name>`` is ``g * v / ||v||`` of the current ``g`` and
``v``: in the module's forward, in a layer that reads it (`DropConnect`), inside
`functional_call`, after ``.double()``; there is no stored copy to go stale.
"""
import functools

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
    """The class attribute that makes ``module.<name>`` read as ``<name>_g * <name>_v /
    ||<name>_v||``, from the parameters the module holds now (or a `functional_call`'s
    substitutes), so gradients reach g and v."""

    def __init__(self, name, dim):
        self.name, self.dim = name, dim

    def __get__(self, module, owner=None):
        if module is None:
            return self
        v = getattr(module, self.name + "_v")
        return getattr(module, self.name + "_g") * v / _norm_except(v, self.dim)

    def __set__(self, module, value):
        raise AttributeError(f"{type(module).__name__}.{self.name} is weight-normalized: it is "
                             f"computed from {self.name}_g and {self.name}_v; set those, or "
                             f"call remove_weight_norm(module, '{self.name}') first")


def _normalized(module):
    """{name: dim} of the module's weight-normalized attributes."""
    return {name: attribute.dim for name, attribute in vars(type(module)).items()
            if isinstance(attribute, _WeightNorm)}


@functools.lru_cache(maxsize=None)
def _class_with(base, normalized):
    """The subclass of ``base`` whose attributes ``normalized`` ((name, dim) pairs) are
    weight-normalized; one per combination, named as ``base`` so reprs are unchanged."""
    namespace = {name: _WeightNorm(name, dim) for name, dim in normalized}
    namespace.update(__module__=base.__module__, __qualname__=base.__qualname__,
                     __doc__=base.__doc__, __reduce_ex__=_reduce_ex, _weight_norm_base=base)
    return type(base.__name__, (base,), namespace)


def _set_normalized(module, normalized):
    """Give ``module`` the class in which exactly ``normalized`` ({name: dim}) are computed."""
    base = vars(type(module)).get("_weight_norm_base", type(module))
    module.__class__ = _class_with(base, frozenset(normalized.items())) if normalized else base


def _reduce_ex(module, protocol):
    """Pickle and deepcopy a weight-normalized module by its base class and names, since
    its generated class cannot be looked up by name."""
    return _rebuild, (type(module)._weight_norm_base, frozenset(_normalized(module).items())), \
        vars(module)


def _rebuild(base, normalized):
    return object.__new__(_class_with(base, normalized))


def weight_norm(module, name="weight", dim=0):
    """Reparametrize ``module.<name>`` as ``w = g * v / ||v||`` and return the module.

    The parameter ``<name>`` is replaced by two: ``<name>_g`` (the length; one entry per
    slice along ``dim``, other axes kept with size 1) and ``<name>_v`` (the direction), as
    in PyTorch, so state-dict keys match. The norm runs over every axis except ``dim``
    (``dim=0``: one length per output unit or output channel); ``dim=None`` uses one
    length for the whole tensor. ``module.<name>`` is computed from g and v each time it
    is read, so it always reflects their current values. Right after wrapping,
    ``g = ||w||`` and ``v = w``, so the layer's output is unchanged.

    Unlike PyTorch, a negative ``dim`` counts from the last axis (numpy's meaning); PyTorch
    reads ``dim=-1`` as "the whole tensor", which is ``dim=None`` here.

    >>> layer = nn.utils.weight_norm(nn.Linear(3, 2))
    >>> [name for name, _ in layer.named_parameters()]
    ['bias', 'weight_g', 'weight_v']
    >>> layer.weight_g.shape
    (2, 1)
    """
    owner = f"weight_norm: {type(module).__name__}.{name}"
    normalized = _normalized(module)
    if name in normalized:
        raise RuntimeError(f"{owner} is already weight-normalized; "
                           f"call remove_weight_norm(module, '{name}') first")
    params = dict(module.named_parameters(recurse=False))
    if params.get(name) is None:
        raise AttributeError(f"{owner}: {type(module).__name__} has no parameter '{name}' "
                             f"(its parameters: {', '.join(params) or 'none'})")
    weight = params[name].numpy()
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
    _set_normalized(module, {**normalized, name: dim})
    return module


def remove_weight_norm(module, name="weight"):
    """Undo `weight_norm`: fold ``g * v / ||v||`` back into one parameter ``<name>``.

    >>> layer = nn.utils.remove_weight_norm(nn.utils.weight_norm(nn.Linear(3, 2)))
    >>> sorted(name for name, _ in layer.named_parameters())
    ['bias', 'weight']
    """
    normalized = _normalized(module)
    if name not in normalized:
        raise ValueError(f"remove_weight_norm: {type(module).__name__}.{name} is not "
                         f"weight-normalized (no weight_norm(module, '{name}') to undo)")
    with no_grad():
        weight = getattr(module, name).numpy()
    del normalized[name]
    _set_normalized(module, normalized)
    delattr(module, name + "_g")
    delattr(module, name + "_v")
    setattr(module, name, Parameter(weight))
    return module
