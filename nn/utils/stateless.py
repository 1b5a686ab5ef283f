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

    With ``strict=True`` every parameter and buffer must be given.
    """
    args = args if isinstance(args, tuple) else (args,)
    slots = {}
    for prefix, owner in module.named_modules():
        for registry in ("_parameters", "_buffers"):
            for name in getattr(owner, registry):
                slots[f"{prefix}.{name}" if prefix else name] = (getattr(owner, registry), name)
    unknown = [k for k in parameters_and_buffers if k not in slots]
    if unknown:
        raise ValueError(f"functional_call: {type(module).__name__} has no parameter or buffer "
                        f"named {', '.join(map(repr, unknown))}; its names are "
                        f"{', '.join(slots) or '(none)'}")
    if strict:
        missing = [k for k in slots if k not in parameters_and_buffers]
        if missing:
            raise ValueError(f"functional_call(strict=True): missing {', '.join(missing)}")
    originals = {}
    try:
        for key, value in parameters_and_buffers.items():
            registry, name = slots[key]
            originals[key] = registry[name]
            registry[name] = value if isinstance(value, Tensor) or value is None else Tensor(value)
        return module(*args, **(kwargs or {}))
    finally:
        for key, value in originals.items():
            registry, name = slots[key]
            registry[name] = value
