"""Every optimizer against its update rule written out from the paper or the course notes.

Each rule below is plain numpy, one parameter at a time, in the form the source states it
(the notes' velocity for momentum, Kingma & Ba's bias-corrected moments, ...). Over 100 steps
on an ill-conditioned quadratic and on a logistic regression, in float64, the optimizer's
trajectory must equal the rule's within 1e-10 — and torch.optim's within 1e-6 when torch is
installed.
"""
import numpy as np
import pytest

import optim
from optim_problems import PROBLEMS, parameters, train

STEPS = 100


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
# (optimizer, its arguments (all of them: the rule takes the same ones), rule, in torch?)
CASES = [
    ("SGD", dict(lr=0.02, momentum=0, weight_decay=0), sgd_notes, True),
    ("SGD", dict(lr=0.02, momentum=0.9, weight_decay=0.1), sgd_notes, True),
    ("SGD", dict(lr=0.02, momentum=0.8, dampening=0.3), sgd_dampened, True),
    ("SGD", dict(lr=0.02, momentum=0.9, weight_decay=0.1, nesterov=True), nesterov_notes, True),
    ("Adagrad", dict(lr=0.5, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                     eps=1e-10), adagrad, True),
    ("Adagrad", dict(lr=0.5, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.2,
                     eps=1e-10), adagrad, True),
    ("Adadelta", dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0), adadelta, True),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1), adadelta, True),
    ("RMSprop", dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                     centered=False), rmsprop, True),
    ("RMSprop", dict(lr=0.005, alpha=0.9, eps=1e-8, weight_decay=0.1, momentum=0.9,
                     centered=True), rmsprop, True),
    ("Adam", dict(lr=0.05, **ADAM, weight_decay=0, amsgrad=False), adam, True),
    ("Adam", dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=True), adam, True),
    ("AdamW", dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=False), adamw, True),
    ("AdamW", dict(lr=0.05, **ADAM, weight_decay=0.1, amsgrad=True), adamw, True),
    ("NAdam", dict(lr=0.05, **ADAM, weight_decay=0, momentum_decay=4e-3), nadam, True),
    ("NAdam", dict(lr=0.05, **ADAM, weight_decay=0.1, momentum_decay=1e-2), nadam, True),
    ("LARS", dict(lr=0.1, momentum=0.9, weight_decay=0, trust_coefficient=0.02), lars, False),
    ("LARS", dict(lr=0.2, momentum=0.5, weight_decay=0.1, trust_coefficient=0.02), lars, False),
    ("LAMB", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-6, weight_decay=0), lamb, False),
    ("LAMB", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), lamb, False),
]
IDS = [f"{name}-{i}" for i, (name, *_) in enumerate(CASES)]


def run_rule(rule, kwargs, problem):
    params, states = [a.copy() for a in problem.start], [{} for _ in problem.start]
    for t in range(1, STEPS + 1):
        params = [rule(w, g, s, t, **kwargs)
                  for w, g, s in zip(params, problem.grads(params), states)]
    return params


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
@pytest.mark.parametrize("name, kwargs, rule, in_torch", CASES, ids=IDS)
def test_trajectory_equals_the_published_rule(name, kwargs, rule, in_torch, problem):
    params = parameters(problem)
    train(getattr(optim, name)(params, **kwargs), params, problem.loss, STEPS)
    expected = run_rule(rule, kwargs, problem)
    for p, want, start in zip(params, expected, problem.start):
        assert not np.allclose(want, start, atol=1e-3)  # the run really moved
        np.testing.assert_allclose(p.data, want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
@pytest.mark.parametrize("name, kwargs, rule, in_torch",  # LARS and LAMB are not in torch.optim
                         [pytest.param(*case, id=i) for case, i in zip(CASES, IDS) if case[3]])
def test_trajectory_equals_torch(name, kwargs, rule, in_torch, problem):
    torch = pytest.importorskip("torch")
    params = parameters(problem)
    train(getattr(optim, name)(params, **kwargs), params, problem.loss, STEPS)
    theirs = [torch.tensor(a, requires_grad=True) for a in problem.start]
    train(getattr(torch.optim, name)(theirs, **kwargs), theirs, problem.torch_loss, STEPS)
    for p, t in zip(params, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", sorted({name for name, *_, in_torch in CASES if in_torch}))
def test_defaults_match_torch(name):
    torch = pytest.importorskip("torch")
    ours = getattr(optim, name)(parameters(PROBLEMS[0])).defaults
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)]).defaults
    assert {k: v for k, v in theirs.items() if k in ours} == {
        k: v for k, v in ours.items() if k in theirs}
    assert set(ours) - set(theirs) <= {"decoupled_weight_decay"}
