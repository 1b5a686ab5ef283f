"""`RMSprop`: gradients divided by a running root-mean-square of their recent values."""
import numpy as np

from .optimizer import Optimizer, active, l2_decay, safe_sqrt

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
        state["square_avg"] = mean_square = alpha * state["square_avg"] + (1 - alpha) * grad * grad
        if group["centered"]:
            state["grad_avg"] = grad_avg = alpha * state["grad_avg"] + (1 - alpha) * grad
            mean_square = mean_square - grad_avg * grad_avg
        step = grad / (safe_sqrt(mean_square) + group["eps"])
        if active(group["momentum"]):
            state["momentum_buffer"] = step = group["momentum"] * state["momentum_buffer"] + step
        return p - group["lr"] * step
