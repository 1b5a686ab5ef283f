"""`Adadelta`: Adagrad's step with decaying averages and units matched (Zeiler 2012)."""
import numpy as np

from .optimizer import Optimizer, average, descend, l2_decay, safe_sqrt

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta with PyTorch's update rule: with ``g = grad + weight_decay · p``,

    ``E[g²] ← ρ E[g²] + (1 − ρ) g²``,
    ``Δ = √(E[Δ²] + eps) / √(E[g²] + eps) · g``,
    ``E[Δ²] ← ρ E[Δ²] + (1 − ρ) Δ²``, ``p ← p − lr · Δ``.

    The course notes' "Adagrad over a window": an exponentially weighted average replaces
    Adagrad's growing sum, and the ratio of root-mean-squares gives the step its units.

    >>> opt = optim.Adadelta(model.parameters())   # lr=1.0, rho=0.9, eps=1e-6
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, *,
                 differentiable=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      differentiable=differentiable))

    def _check(self, group):
        self._check_at_least_zero(group, "lr", "eps", "weight_decay")
        self._check_below_one(group, "rho", group["rho"])

    def _init_state(self, p, group):
        return {"step": 0, "square_avg": np.zeros(p.shape, p.dtype),
                "acc_delta": np.zeros(p.shape, p.dtype)}

    def _update(self, p, grad, state, group):
        rho, eps = group["rho"], group["eps"]
        state["step"] += 1
        grad = l2_decay(grad, p, group)
        square_avg = average(state, "square_avg", rho, grad * grad, 1 - rho)
        delta = safe_sqrt(state["acc_delta"] + eps) / safe_sqrt(square_avg + eps) * grad
        average(state, "acc_delta", rho, delta * delta, 1 - rho)
        return descend(p, group["lr"], delta)
