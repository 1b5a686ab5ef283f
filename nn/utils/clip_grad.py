"""Gradient clipping: rescale or clamp the gradients of parameters before an optimizer step."""
import functools
import math
import numbers

import numpy as np

import autograd
from autograd import AnomalyError, Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters, caller):
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"{caller}: parameters must be Tensors, got {type(p).__name__}; "
                            "pass model.parameters()")
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Rescale the gradients so that their total norm (of all of them together, as one
    vector) is at most ``max_norm``: if ‖g‖ > max_norm then g ← g · max_norm / (‖g‖ + 1e-6)
    (the course notes' rule; PyTorch's epsilon keeps the division safe). Returns the total
    norm before clipping, as a 0-d Tensor.

    ``norm_type``: any p > 0, or ``inf`` (the largest absolute entry). Parameters without a
    gradient are skipped. Gradients made with ``create_graph=True`` (in a graph) are clipped
    with autograd ops, so the clipped gradients and the returned norm are differentiable
    functions of them, through the norm too (hypergradients through clipping); other
    gradients take a plain numpy path. ``error_if_nonfinite=True`` raises `AnomalyError`
    when the norm is NaN or inf instead of scaling every gradient to NaN.

    >>> loss.backward()
    >>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    >>> opt.step()
    """
    norm_type = _norm_type(norm_type)
    _check_number("clip_grad_norm_", "max_norm", max_norm)
    params = _with_grads(parameters, "clip_grad_norm_")
    if not params:
        return Tensor(np.zeros((), autograd.get_default_dtype()))
    grads = [p.grad for p in params]
    in_graph = any(g.requires_grad for g in grads)
    total = _norm_in_graph(grads, norm_type) if in_graph else _norm_in_numpy(grads, norm_type)
    if error_if_nonfinite and not np.isfinite(total.item()):
        raise AnomalyError(f"clip_grad_norm_: the total {norm_type}-norm of the gradients is "
                           f"{total.item()}, so they cannot be clipped; find where they became "
                           "NaN or inf (autograd.detect_anomaly()), or pass "
                           "error_if_nonfinite=False")
    scale = max_norm / (total + 1e-6) if in_graph else max_norm / (total.item() + 1e-6)
    if not np.asarray(scale) >= 1:  # NaN too: a NaN norm makes NaN gradients, as in PyTorch
        for p in params:
            p.grad = p.grad * scale
    return total


def _norm_type(norm_type):
    try:
        norm_type = float(norm_type)
    except (TypeError, ValueError):
        raise ValueError(f"clip_grad_norm_: norm_type must be a number > 0 or inf, got "
                         f"{norm_type!r}") from None
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0 (or inf), got {norm_type}")
    return norm_type


def _check_number(where, name, value):
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {type(value).__name__} "
                        f"{value!r}")
    if not value >= 0:
        raise ValueError(f"{where}: {name} must be >= 0, got {value}")


def _norm_in_numpy(grads, norm_type):
    norms = [np.linalg.norm(g.numpy().ravel(), norm_type) for g in grads]
    return Tensor(np.linalg.norm(np.array(norms), norm_type))


def _norm_in_graph(grads, norm_type):
    """The total norm written with autograd ops. Zero entries are masked out of |g|^p: its
    derivative there is 0 (for p < 1, p·|g|^(p−1)·sign(g) would be inf · 0 = NaN)."""
    magnitudes = [autograd.abs(g) for g in grads]
    if norm_type == math.inf:
        return functools.reduce(autograd.maximum, [autograd.max(a) for a in magnitudes])
    total = 0
    for a in magnitudes:
        zero = a.numpy() == 0
        power = autograd.where(zero, 0, autograd.where(zero, 1, a) ** norm_type)
        total = total + autograd.sum(power)
    return total ** (1 / norm_type)


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry to [-clip_value, clip_value], in place of the gradients.
    Parameters without a gradient are skipped.

    >>> loss.backward()
    >>> nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
    """
    _check_number("clip_grad_value_", "clip_value", clip_value)
    for p in _with_grads(parameters, "clip_grad_value_"):
        p.grad = autograd.clip(p.grad, -clip_value, clip_value)
