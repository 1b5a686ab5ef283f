"""The optimizer contract: one row per public optimizer, picked up from ``optim.__all__``.

A new optimizer gets one row in `OPTIMIZERS`: the hyperparameters that switch on its optional
state (``every``), its update rules written out from the paper in plain numpy with the
hyperparameters to run them with (``rules``), and torch.optim's class of the same rule, or
None. `test_optim_contract.py::test_every_public_optimizer_has_a_row` fails naming any
public `Optimizer` subclass without one. The rows drive, in tests/optim:

- test_update_rules.py: 100-step trajectories against each rule (and torch), torch's defaults;
- test_optim_contract.py: state_dict through `autograd.save`/`load`, parameter groups,
  parameters without a gradient;
- test_optimizer.py: resuming bit for bit, float32, the gradient left alone, the blocked
  elementwise step and its memory;
- test_differentiable.py: hypergradients of the learning rate, a dead unit, float32;
- test_resume.py: a run stopped and resumed with its scheduler and RNG.

A rule is ``rule(w, g, s, t, **hyperparameters)``: parameter, gradient, a state dict the rule
fills, the step number from 1; it returns the new parameter.
"""
from typing import NamedTuple, Optional

import numpy as np

import optim


class Row(NamedTuple):
    every: dict            # hyperparameters switching on all its optional state
    rules: list            # (hyperparameters, the reference rule they run): all its arguments
    torch: Optional[str]   # torch.optim's class with the same rule and defaults, or None


# ---------------------------------------------------------------- the rules, as published
def sgd_notes(w, g, s, t, lr, momentum, weight_decay):
    """The notes' momentum: v = αv − εg, θ = θ + v (plain SGD when α = 0)."""
    g = g + weight_decay * w
    s["v"] = momentum * s.get("v", 0) - lr * g
    return w + s["v"]


def sgd_dampened(w, g, s, t, lr, momentum, dampening):
    """PyTorch's documented buffer: b₁ = g, then b = μb + (1 − τ)g; θ = θ − lr·b."""
    s["b"] = g if t == 1 else momentum * s["b"] + (1 - dampening) * g
    return w - lr * s["b"]


def nesterov_notes(w, g, s, t, lr, momentum, weight_decay, nesterov):
    """Nesterov momentum as in Goodfellow et al., Alg. 8.3: the gradient is taken at the
    look-ahead point θ + αv, which is what the optimizer holds as its parameter (θ itself is
    kept here). This differs from deck D4 (Deck erratum X12), whose slide writes the interim
    point as θ + v, without the momentum α; PyTorch and the book use θ + αv."""
    g = g + weight_decay * w
    theta = s.get("theta", w)
    s["v"] = momentum * s.get("v", 0) - lr * g
    s["theta"] = theta + s["v"]
    return s["theta"] + momentum * s["v"]


def adagrad(w, g, s, t, lr, lr_decay, weight_decay, initial_accumulator_value, eps):
    """The notes' AdaGrad, r = r + g², θ = θ − ε/(δ + √r)·g, with PyTorch's lr decay."""
    g = g + weight_decay * w
    s["r"] = s.get("r", initial_accumulator_value) + g * g
    return w - lr / (1 + (t - 1) * lr_decay) / (eps + np.sqrt(s["r"])) * g


def adadelta(w, g, s, t, lr, rho, eps, weight_decay):
    """Zeiler (2012), Algorithm 1, with the step scaled by lr (PyTorch)."""
    g = g + weight_decay * w
    s["Eg2"] = rho * s.get("Eg2", 0) + (1 - rho) * g * g
    dx = -np.sqrt(s.get("Edx2", 0) + eps) / np.sqrt(s["Eg2"] + eps) * g
    s["Edx2"] = rho * s.get("Edx2", 0) + (1 - rho) * dx * dx
    return w + lr * dx


def rmsprop(w, g, s, t, lr, alpha, eps, weight_decay, momentum, centered):
    """The notes' RMSProp, r = ρr + (1 − ρ)g², θ = θ − ε/(δ + √r)·g; centered (Graves 2013)
    subtracts the squared mean gradient; momentum accumulates the scaled steps."""
    g = g + weight_decay * w
    s["r"] = alpha * s.get("r", 0) + (1 - alpha) * g * g
    s["mean"] = alpha * s.get("mean", 0) + (1 - alpha) * g
    r = s["r"] - s["mean"] ** 2 if centered else s["r"]
    s["b"] = momentum * s.get("b", 0) + g / (eps + np.sqrt(r))
    return w - lr * s["b"]


def adam(w, g, s, t, lr, betas, eps, weight_decay, amsgrad):
    """Kingma & Ba, Algorithm 1 (L2 weight decay in the gradient); AMSGrad keeps the
    running maximum of v and bias-corrects it as PyTorch does."""
    (b1, b2), g = betas, g + weight_decay * w
    s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
    s["vmax"] = np.maximum(s.get("vmax", 0), s["v"]) if amsgrad else s["v"]
    m_hat, v_hat = s["m"] / (1 - b1 ** t), s["vmax"] / (1 - b2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps)


def adamw(w, g, s, t, lr, betas, eps, weight_decay, amsgrad):
    """Loshchilov & Hutter, Algorithm 2: the decay λθ is added to Adam's step, not to g."""
    return adam(w, g, s, t, lr, betas, eps, 0, amsgrad) - lr * weight_decay * w


def nadam(w, g, s, t, lr, betas, eps, weight_decay, momentum_decay):
    """Dozat (2016) with the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)) (PyTorch's docs)."""
    (b1, b2), g = betas, g + weight_decay * w
    mu = [b1 * (1 - 0.5 * 0.96 ** (i * momentum_decay)) for i in range(1, t + 2)]
    s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    s["n"] = b2 * s.get("n", 0) + (1 - b2) * g * g
    m_hat = mu[t] * s["m"] / (1 - np.prod(mu)) + (1 - mu[t - 1]) * g / (1 - np.prod(mu[:t]))
    return w - lr * m_hat / (np.sqrt(s["n"] / (1 - b2 ** t)) + eps)


def lars(w, g, s, t, lr, momentum, weight_decay, trust_coefficient):
    """You, Gitman & Ginsburg (2017), Algorithm 1: local lr η‖w‖/(‖∇L‖ + β‖w‖) (1 where a
    norm is 0), v = m·v + γ·λ·(∇L + βw), w = w − v."""
    w_norm, g_norm = np.linalg.norm(w), np.linalg.norm(g)
    local = trust_coefficient * w_norm / (g_norm + weight_decay * w_norm) \
        if w_norm > 0 and g_norm > 0 else 1.0
    s["v"] = momentum * s.get("v", 0) + lr * local * (g + weight_decay * w)
    return w - s["v"]


def lamb(w, g, s, t, lr, betas, eps, weight_decay):
    """The notes' LAMB: r₁ = ‖w‖, r₂ = ‖m̂/(√v̂ + ε) + λw‖, r = r₁/r₂ (1 if either is 0,
    at most 10), w = w − r·η·(m̂/(√v̂ + ε) + λw)."""
    b1, b2 = betas
    s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
    u = s["m"] / (1 - b1 ** t) / (np.sqrt(s["v"] / (1 - b2 ** t)) + eps) + weight_decay * w
    r1, r2 = np.linalg.norm(w), np.linalg.norm(u)
    r = min(r1 / r2, 10.0) if r1 > 0 and r2 > 0 else 1.0
    return w - r * lr * u



ADAM = dict(betas=(0.9, 0.999), eps=1e-8)
OPTIMIZERS = {
    "SGD": Row(dict(lr=0.02, momentum=0.9, nesterov=True, weight_decay=0.01), [
        (dict(lr=0.02, momentum=0, weight_decay=0), sgd_notes),
        (dict(lr=0.02, momentum=0.9, weight_decay=0.1), sgd_notes),
        (dict(lr=0.02, momentum=0.8, dampening=0.3), sgd_dampened),
        (dict(lr=0.02, momentum=0.9, weight_decay=0.1, nesterov=True), nesterov_notes),
    ], "SGD"),
    "Adagrad": Row(dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1), [
        (dict(lr=0.5, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10),
         adagrad),
        (dict(lr=0.5, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.2,
              eps=1e-10), adagrad),
    ], "Adagrad"),
    "Adadelta": Row(dict(weight_decay=0.01), [
        (dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0), adadelta),
        (dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1), adadelta),
    ], "Adadelta"),
    "RMSprop": Row(dict(lr=0.01, momentum=0.9, centered=True), [
        (dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False),
         rmsprop),
        (dict(lr=0.005, alpha=0.9, eps=1e-8, weight_decay=0.1, momentum=0.9, centered=True),
         rmsprop),
    ], "RMSprop"),
    "Adam": Row(dict(lr=0.01, amsgrad=True, weight_decay=0.01), [
        (dict(lr=0.05, **ADAM, weight_decay=0, amsgrad=False), adam),
        (dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=True), adam),
    ], "Adam"),
    "AdamW": Row(dict(lr=0.01), [
        (dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=False), adamw),
        (dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=True), adamw),
    ], "AdamW"),
    "NAdam": Row(dict(lr=0.01, weight_decay=0.01), [
        (dict(lr=0.05, **ADAM, weight_decay=0, momentum_decay=4e-3), nadam),
        (dict(lr=0.05, **ADAM, weight_decay=0.1, momentum_decay=1e-2), nadam),
    ], "NAdam"),
    "LARS": Row(dict(lr=0.1, weight_decay=0.01, trust_coefficient=0.02), [
        (dict(lr=0.1, momentum=0.9, weight_decay=0, trust_coefficient=0.02), lars),
        (dict(lr=0.2, momentum=0.5, weight_decay=0.1, trust_coefficient=0.02), lars),
    ], None),
    "LAMB": Row(dict(lr=0.01, weight_decay=0.01), [
        (dict(lr=0.01, betas=(0.9, 0.999), eps=1e-6, weight_decay=0), lamb),
        (dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), lamb),
    ], None),
}


def make(name, params, **hyperparameters):
    """Optimizer ``name`` on ``params`` with its row's ``every`` hyperparameters, overridden
    by ``hyperparameters``."""
    return getattr(optim, name)(params, **{**OPTIMIZERS[name].every, **hyperparameters})
