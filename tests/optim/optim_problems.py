"""Fixed smooth losses for the optimizer tests, and a loop that trains on them.

Each problem gives its starting parameters, its loss written with autograd ops (what the
optimizers train on), the same loss in torch (the optional oracle) and its gradient in numpy
(what the update rules written out in the tests use).
"""
from typing import Callable, NamedTuple

import numpy as np

import autograd


class Problem(NamedTuple):
    name: str
    start: list            # the initial parameter arrays (float64)
    loss: Callable         # list of autograd Tensors -> 0-d Tensor
    torch_loss: Callable   # list of torch tensors -> 0-d torch tensor
    grads: Callable        # list of arrays -> list of gradient arrays


_rng = np.random.default_rng(7)

# 1/2 wᵀHw − cᵀw with H's eigenvalues 0.5 ... 50 in a random basis: condition number 100
_Q, _ = np.linalg.qr(_rng.standard_normal((4, 4)))
_H = _Q @ np.diag([0.5, 2.0, 10.0, 50.0]) @ _Q.T
_C = _rng.standard_normal(4)

QUADRATIC = Problem(
    "quadratic",
    start=[_rng.standard_normal(4)],
    loss=lambda ps: 0.5 * (ps[0] @ (_H @ ps[0])) - _C @ ps[0],
    torch_loss=lambda ps: 0.5 * (ps[0] @ (_torch(_H) @ ps[0])) - _torch(_C) @ ps[0],
    grads=lambda ps: [_H @ ps[0] - _C])

# logistic regression: weight (3, 1) and a bias (1,) starting at 0, mean log-loss over 16 points
_X = _rng.standard_normal((16, 3))
_Y = (_X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3 * _rng.standard_normal((16, 1)) > 0) * 1.0


def _logistic_loss(ps):
    z = _X @ ps[0] + ps[1]
    softplus = autograd.log1p(autograd.exp(-autograd.abs(z))) + autograd.maximum(z, 0)
    return (softplus - _Y * z).mean()


def _logistic_grads(ps):
    dz = (1 / (1 + np.exp(-(_X @ ps[0] + ps[1]))) - _Y) / len(_Y)
    return [_X.T @ dz, dz.sum(axis=0)]


def _torch_logistic_loss(ps):
    import torch.nn.functional as F
    return F.binary_cross_entropy_with_logits(_torch(_X) @ ps[0] + ps[1], _torch(_Y))


LOGISTIC = Problem("logistic", start=[0.5 * _rng.standard_normal((3, 1)), np.zeros(1)],
                   loss=_logistic_loss, torch_loss=_torch_logistic_loss, grads=_logistic_grads)

PROBLEMS = [QUADRATIC, LOGISTIC]


def _torch(array):
    import torch
    return torch.from_numpy(array)


def train(optimizer, params, loss, steps):
    """``steps`` plain training steps of ``optimizer`` on ``loss(params)``."""
    for _ in range(steps):
        optimizer.zero_grad()
        loss(params).backward()
        optimizer.step()


def parameters(problem, dtype="float64"):
    """Fresh leaf tensors holding the problem's starting point."""
    return [autograd.tensor(a, dtype=dtype, requires_grad=True) for a in problem.start]
