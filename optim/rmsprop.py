"""`RMSprop`: gradients divided by a running root-mean-square of their recent values."""
import numpy as np

from .optimizer import Optimizer, active, average, descend, l2_decay, safe_sqrt

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e) with PyTorch's update rule: with
    ``g = grad + weight_decay · p``,

    ``r ← α r + (1 − α) g²``; ``centered=True`` also tracks ``ḡ ← α ḡ + (1 − α) g`` and
    uses the variance ``r − ḡ²`` in place of ``r``; then ``d = √r + eps`` and
    ``p ← p − lr · g / d``, or with momentum μ: ``b ← μ b + g / d``, ``p ← p − lr · b``.

    ``alpha`` is the course notes' ρ and ``eps`` their δ (added after the square root).

    >>> opt = optim.RMSprop(model.parameters(), lr=1e-3, centered=True)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, differentiable=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      differentiable=differentiable))

    def _check(self, group):
        self._check_at_least_zero(group, "lr", "eps", "weight_decay", "momentum")
        self._check_below_one(group, "alpha", group["alpha"])

    def _init_state(self, p, group):
        state = {"step": 0, "square_avg": np.zeros(p.shape, p.dtype)}
        if active(group["momentum"]):
            state["momentum_buffer"] = np.zeros(p.shape, p.dtype)
        if group["centered"]:
            state["grad_avg"] = np.zeros(p.shape, p.dtype)
        return state

    def _update(self, p, grad, state, group):
        alpha = group["alpha"]
        state["step"] += 1
        grad = l2_decay(grad, p, group)
        mean_square = average(state, "square_avg", alpha, grad * grad, 1 - alpha)
        if group["centered"]:
            grad_avg = average(state, "grad_avg", alpha, grad, 1 - alpha)
            mean_square = mean_square - grad_avg * grad_avg
        step = grad / (safe_sqrt(mean_square) + group["eps"])
        if active(group["momentum"]):
            step = average(state, "momentum_buffer", group["momentum"], step)
        return descend(p, group["lr"], step)
