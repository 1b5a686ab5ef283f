"""`Adam`, `AdamW` and `NAdam`: momentum on the gradient, scaled by a running RMS of it."""
import numpy as np

import autograd

from .optimizer import Optimizer, active, average, descend, l2_decay, safe_sqrt, scale

__all__ = ["Adam", "AdamW", "NAdam"]


def moment_state(p):
    """The state of Adam-like rules before the first step."""
    return {"step": 0, "exp_avg": np.zeros(p.shape, p.dtype),
            "exp_avg_sq": np.zeros(p.shape, p.dtype)}


def update_moments(state, grad, betas):
    """Advance the step count and the running averages of ``grad`` and ``grad²``."""
    beta1, beta2 = betas
    state["step"] += 1
    m = average(state, "exp_avg", beta1, grad, 1 - beta1)
    v = average(state, "exp_avg_sq", beta2, grad * grad, 1 - beta2)
    return m, v


def apply_weight_decay(p, grad, group):
    """Weight decay as an L2 term in the gradient (``grad + λp``), or decoupled from it
    (``p ← p (1 − lr λ)``, Loshchilov & Hutter): returns the new ``(p, grad)``."""
    if not group["decoupled_weight_decay"]:
        return p, l2_decay(grad, p, group)
    decay = group["weight_decay"]
    return (scale(p, 1 - group["lr"] * decay) if active(decay) else p), grad


def check_adam_like(opt, group):
    """Refuse a negative lr, eps or weight_decay, and betas that are not a pair of numbers in
    [0, 1); store the betas as a tuple."""
    opt._check_at_least_zero(group, "lr", "eps", "weight_decay")
    betas, name = group["betas"], type(opt).__name__
    if not isinstance(betas, (tuple, list)):
        raise TypeError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
    if len(betas) != 2:
        raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {len(betas)} "
                         f"values {tuple(betas)}")
    for i, beta in enumerate(betas):
        opt._check_below_one(group, f"betas[{i}]", beta)
    group["betas"] = tuple(betas)


class Adam(Optimizer):
    """Adam (Kingma & Ba), bias-corrected, with PyTorch's update rule: with
    ``g = grad + weight_decay · p`` and step t,

    ``m ← β₁ m + (1 − β₁) g``, ``v ← β₂ v + (1 − β₂) g²``,
    ``p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)``.

    ``amsgrad=True`` divides by the running maximum of v instead (Reddi et al.);
    ``decoupled_weight_decay=True`` is AdamW. The course notes' ρ₁, ρ₂, δ are β₁, β₂, eps.

    >>> opt = optim.Adam(model.parameters(), lr=1e-3)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, decoupled_weight_decay=False, differentiable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      differentiable=differentiable))

    def _check(self, group):
        check_adam_like(self, group)

    def _init_state(self, p, group):
        state = moment_state(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros(p.shape, p.dtype)
        return state

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        p, grad = apply_weight_decay(p, grad, group)
        m, v = update_moments(state, grad, group["betas"])
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = v = autograd.maximum(state["max_exp_avg_sq"], v)
        step = state["step"]
        denom = safe_sqrt(v) / (1 - beta2 ** step) ** 0.5 + group["eps"]
        return descend(p, group["lr"] / (1 - beta1 ** step), m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): ``p ← p (1 − lr · λ)`` before
    the Adam step, instead of adding ``λ p`` to the gradient (so the decay is not rescaled
    by Adam's per-coordinate step sizes). Default ``weight_decay=1e-2``, as PyTorch.

    >>> opt = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, differentiable=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad,
                         decoupled_weight_decay=True, differentiable=differentiable)


class NAdam(Optimizer):
    """Adam with Nesterov momentum (Dozat 2016), with PyTorch's update rule and momentum
    schedule ``μₜ = β₁ (1 − ½ · 0.96^(t · momentum_decay))``: with m, v as in Adam,

    ``p ← p − lr (1 − μₜ) / (1 − Πᵢ≤ₜ μᵢ) · g / d − lr μₜ₊₁ / (1 − Πᵢ≤ₜ₊₁ μᵢ) · m / d``,
    ``d = √(v / (1 − β₂ᵗ)) + eps``.

    >>> opt = optim.NAdam(model.parameters())   # lr=2e-3, momentum_decay=4e-3
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, differentiable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps,
                                      weight_decay=weight_decay, momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      differentiable=differentiable))

    def _check(self, group):
        check_adam_like(self, group)
        self._check_at_least_zero(group, "momentum_decay")

    def _init_state(self, p, group):
        return {**moment_state(p), "mu_product": 1.0}

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        p, grad = apply_weight_decay(p, grad, group)
        m, v = update_moments(state, grad, group["betas"])
        step, lr = state["step"], group["lr"]
        mu, mu_next = (beta1 * (1 - 0.5 * 0.96 ** (t * group["momentum_decay"]))
                       for t in (step, step + 1))
        state["mu_product"] = mu_product = state["mu_product"] * mu
        denom = safe_sqrt(v / (1 - beta2 ** step)) + group["eps"]
        p = descend(p, lr * (1 - mu) / (1 - mu_product), grad / denom)
        return descend(p, lr * mu_next / (1 - mu_product * mu_next), m / denom)
