"""`Adagrad`: per-coordinate learning rates from the sum of squared gradients (Duchi et al.)."""
import numpy as np

from .optimizer import Optimizer, average, descend, l2_decay, safe_sqrt

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad with PyTorch's update rule: with ``g = grad + weight_decay · p`` and step t,

    ``sum ← sum + g²``, ``p ← p − lr / (1 + (t − 1) · lr_decay) · g / (√sum + eps)``

    (the course notes' rule, with ``sum`` starting at ``initial_accumulator_value`` and eps
    the notes' δ). Progress slows as squared gradients pile up: see RMSprop and Adadelta.

    >>> opt = optim.Adagrad(model.parameters(), lr=0.01)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, differentiable=False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, differentiable=differentiable))

    def _check(self, group):
        self._check_at_least_zero(group, "lr", "lr_decay", "weight_decay",
                                  "initial_accumulator_value", "eps")

    def _init_state(self, p, group):
        initial = np.full(p.shape, group["initial_accumulator_value"], dtype=p.dtype)
        return {"step": 0, "sum": initial}

    def _update(self, p, grad, state, group):
        state["step"] += 1
        grad = l2_decay(grad, p, group)
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        total = average(state, "sum", 1, grad * grad)
        return descend(p, lr, grad / (safe_sqrt(total) + group["eps"]))
