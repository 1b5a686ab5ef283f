# "Learning PyTorch with Examples", part 1: fit y = sin(x) on [-pi, pi] with the cubic
# a + b x + c x^2 + d x^3, computing the gradients by hand (no autograd).
import math

import numpy as np
import torch

dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# the starting coefficients are drawn by numpy, so every engine starts from the same point
start = np.random.default_rng(0).standard_normal(4)
a, b, c, d = (torch.tensor(v, device=device, dtype=dtype) for v in start)

learning_rate = 1e-6
losses = []
for _ in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    loss = (y_pred - y).pow(2).sum().item()
    losses.append(loss)

    # the chain rule by hand: d loss / d y_pred, then each coefficient's share
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()

    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

result = f"y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3"
coefficients = [a.item(), b.item(), c.item(), d.item()]
