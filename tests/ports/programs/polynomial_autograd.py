# "Learning PyTorch with Examples", part 2: the same cubic fit, the gradients from autograd
# and the update written out under no_grad.
import math

import numpy as np
import torch

dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

start = np.random.default_rng(0).standard_normal(4)  # the same start on every engine
a, b, c, d = (torch.tensor(v, device=device, dtype=dtype, requires_grad=True) for v in start)

learning_rate = 1e-6
losses = []
for _ in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())

    loss.backward()  # fills a.grad, b.grad, c.grad, d.grad

    # change the leaves themselves; no graph is recorded for the update
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

coefficients = [a.item(), b.item(), c.item(), d.item()]
