"""`LARS` and `LAMB`: layer-wise trust ratios for large-batch training (You et al.)."""
import numpy as np

import autograd

from .adam import check_adam_like, moment_state, update_moments
from .optimizer import Optimizer, active, average, descend, l2_decay, safe_sqrt

__all__ = ["LARS", "LAMB"]


def _norm(x):
    return safe_sqrt(autograd.sum(x * x))


class LARS(Optimizer):
    """Layer-wise Adaptive Rate Scaling (You, Gitman & Ginsburg 2017, Algorithm 1), each
    parameter tensor being a layer: with ``β = weight_decay`` and ``η = trust_coefficient``,

    ``λ = η ‖w‖ / (‖∇L‖ + β ‖w‖)`` (the trust ratio; 1 where ‖w‖ or ‖∇L‖ is 0, as in
    NVIDIA's LARC, so zero-initialized biases still move),
    ``v ← momentum · v + lr · λ · (∇L + β w)``, ``w ← w − v``.

    Not in PyTorch. The velocity carries ``lr`` as in the paper (SGD's buffer does not).

    >>> opt = optim.LARS(model.parameters(), lr=1.0, momentum=0.9, weight_decay=5e-4)
    """

    elementwise = False  # the trust ratio reads the norms of the whole tensor

    def __init__(self, params, lr=1.0, momentum=0.9, weight_decay=0, trust_coefficient=1e-3,
                 *, differentiable=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay,
                                      trust_coefficient=trust_coefficient,
                                      differentiable=differentiable))

    def _check(self, group):
        self._check_at_least_zero(group, "lr", "momentum", "weight_decay", "trust_coefficient")

    def _init_state(self, p, group):
        return {"momentum_buffer": np.zeros(p.shape, p.dtype)}

    def _update(self, p, grad, state, group):
        decay = group["weight_decay"]
        w_norm, g_norm = _norm(p), _norm(grad)
        trust = (group["trust_coefficient"] * w_norm / (g_norm + decay * w_norm)
                 if w_norm > 0 and g_norm > 0 else 1)
        if active(decay):
            grad = grad + decay * p
        velocity = average(state, "momentum_buffer", group["momentum"], grad,
                           group["lr"] * trust)
        return descend(p, 1, velocity)


class LAMB(Optimizer):
    """Layer-wise Adaptive Moments for Batch training (You et al. 2019): Adam's direction,
    scaled per parameter tensor by a trust ratio. With m, v as in Adam (bias-corrected
    m̂, v̂) and ``λ = weight_decay``:

    ``u = m̂ / (√v̂ + eps) + λ w``, ``r = ‖w‖ / ‖u‖`` (1 where either norm is 0, at most 10),
    ``w ← w − lr · r · u``.

    Not in PyTorch. The course notes' slide writes ``√(v̂ + eps)``; we follow the paper's
    (and Adam's) ``√v̂ + eps``.

    >>> opt = optim.LAMB(model.parameters(), lr=1e-3, weight_decay=0.01)
    """

    elementwise = False  # the trust ratio reads the norms of the whole tensor

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-6, weight_decay=0, *,
                 differentiable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps,
                                      weight_decay=weight_decay, differentiable=differentiable))

    def _check(self, group):
        check_adam_like(self, group)

    def _init_state(self, p, group):
        return moment_state(p)

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        m, v = update_moments(state, grad, group["betas"])
        step = state["step"]
        direction = (m / (1 - beta1 ** step)) / (safe_sqrt(v / (1 - beta2 ** step))
                                                 + group["eps"])
        direction = l2_decay(direction, p, group)
        w_norm, u_norm = _norm(p), _norm(direction)
        trust = autograd.minimum(w_norm / u_norm, 10) if w_norm > 0 and u_norm > 0 else 1
        return descend(p, group["lr"] * trust, direction)
