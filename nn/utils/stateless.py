"""`functional_call`: run a module with other tensors in place of its parameters."""
from autograd import Tensor

__all__ = ["functional_call"]


def functional_call(module, parameters_and_buffers, args=(), kwargs=None, strict=False):
    """``module(*args, **kwargs)`` computed with the tensors of ``parameters_and_buffers``
    (a dict keyed by the names of `named_parameters()` / `named_buffers()`) in place of
    the module's own, which are put back afterwards. ``args`` is a tuple of inputs or a
    single input, as in PyTorch's ``torch.func.functional_call``.

    The substitutes may be any tensors, including ones computed in a graph — so a loss can
    be differentiated with respect to parameters that are themselves functions of
    something else (unrolled optimizer steps, meta-learning, gradient checks of a model):

    >>> params = {name: p.detach().requires_grad_() for name, p in model.named_parameters()}
    >>> loss = F.mse_loss(nn.utils.functional_call(model, params, x), y)

    A parameter shared by several layers (tied weights) is replaced everywhere it is used,
    whichever of its names is given. With ``strict=True`` every name must be given.
    """
    args = args if isinstance(args, tuple) else (args,)
    slots = {}  # every name of every parameter and buffer: a shared one has several
    for prefix, owner in module.named_modules(remove_duplicate=False):
        for registry in (owner._parameters, owner._buffers):
            for name in registry:
                slots[f"{prefix}.{name}" if prefix else name] = (registry, name)
    unknown = [k for k in parameters_and_buffers if k not in slots]
    if unknown:
        raise ValueError(f"functional_call: {type(module).__name__} has no parameter or buffer "
                         f"named {', '.join(map(repr, unknown))}; its names are "
                         f"{', '.join(slots) or '(none)'}")
    if strict:
        missing = [k for k in slots if k not in parameters_and_buffers]
        if missing:
            raise ValueError(f"functional_call(strict=True): missing {', '.join(missing)}")
    substitutes = {}  # id of an original tensor -> its substitute, so tied weights stay tied
    for key, value in parameters_and_buffers.items():
        registry, name = slots[key]
        substitute = value if isinstance(value, Tensor) or value is None else Tensor(value)
        substitutes[id(registry[name])] = substitute
    originals = []
    try:
        for registry, name in slots.values():
            original = registry[name]
            if original is not None and id(original) in substitutes:
                originals.append((registry, name, original))
                registry[name] = substitutes[id(original)]
        return module(*args, **(kwargs or {}))
    finally:
        for registry, name, original in originals:
            registry[name] = original
