"""Gradient clipping: rescale or clamp the gradients of parameters before an optimizer step."""
import numpy as np

import autograd
from autograd import AnomalyError, Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters):
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Rescale the gradients so that their total norm (of all of them together, as one
    vector) is at most ``max_norm``: if ‖g‖ > max_norm then g ← g · max_norm / (‖g‖ + 1e-6)
    (the course notes' rule; PyTorch's epsilon keeps the division safe). Returns the total
    norm before clipping, as a 0-d Tensor.

    ``norm_type``: any p > 0, or ``inf`` (the largest absolute entry). Parameters without a
    gradient are skipped. A gradient made with ``create_graph=True`` stays differentiable
    (the scale factor is a constant). ``error_if_nonfinite=True`` raises `AnomalyError` when
    the norm is NaN or inf instead of scaling every gradient to NaN.

    >>> loss.backward()
    >>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    >>> opt.step()
    """
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0 (or inf), got {norm_type}")
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm}")
    params = _with_grads(parameters)
    if not params:
        return Tensor(np.zeros((), autograd.get_default_dtype()))
    norms = [np.linalg.norm(p.grad.data.ravel(), norm_type) for p in params]
    total = np.linalg.norm(np.array(norms), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise AnomalyError(f"clip_grad_norm_: the total {norm_type}-norm of the gradients is "
                           f"{total}, so they cannot be clipped; find where they became NaN or "
                           "inf (autograd.detect_anomaly()), or pass error_if_nonfinite=False")
    scale = max_norm / (float(total) + 1e-6)
    if not scale >= 1:  # NaN too: a NaN norm makes NaN gradients, as in PyTorch
        for p in params:
            p.grad = p.grad * scale
    return Tensor(total)


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry to [-clip_value, clip_value], in place of the gradients.
    Parameters without a gradient are skipped.

    >>> loss.backward()
    >>> nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
    """
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for p in _with_grads(parameters):
        p.grad = autograd.clip(p.grad, -clip_value, clip_value)
