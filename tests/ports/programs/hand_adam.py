# Adam written by hand, as in many repositories and in torch.optim's own single-tensor code:
# exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1), exp_avg_sq.mul_(beta2).addcmul_(grad, grad,
# value=1 - beta2), denom = (exp_avg_sq.sqrt() / sqrt(bias_correction2)).add_(eps),
# p.addcdiv_(exp_avg, denom, value=-step_size); beside torch.optim.Adam from the same start.
# Then next tokens sampled from a softmax, as a language model's generation loop does.
import math

import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(5)
inputs = torch.from_numpy(rng.normal(size=(64, 4)))
targets = torch.from_numpy(rng.normal(size=(64, 1)))
start = [rng.uniform(-0.5, 0.5, shape) for shape in ((8, 4), (8,), (1, 8), (1,))]


def model():
    net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).double()
    with torch.no_grad():
        for p, w in zip(net.parameters(), start):
            p.copy_(torch.from_numpy(w))
    return net


lr, beta1, beta2, eps, steps = 0.01, 0.9, 0.999, 1e-8, 25
net = model()
state = [(torch.zeros_like(p), torch.zeros_like(p)) for p in net.parameters()]
hand_losses = []
for step in range(1, steps + 1):
    loss = ((net(inputs) - targets) ** 2).mean()
    net.zero_grad()
    loss.backward()
    hand_losses.append(loss.item())
    with torch.no_grad():
        for p, (exp_avg, exp_avg_sq) in zip(net.parameters(), state):
            grad = p.grad
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            step_size = lr / (1 - beta1 ** step)
            denom = (exp_avg_sq.sqrt() / math.sqrt(1 - beta2 ** step)).add_(eps)
            p.addcdiv_(exp_avg, denom, value=-step_size)
hand_weights = [p.detach().clone() for p in net.parameters()]

net = model()
optimizer = torch.optim.Adam(net.parameters(), lr=lr, betas=(beta1, beta2), eps=eps)
library_losses = []
for step in range(steps):
    loss = ((net(inputs) - targets) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    library_losses.append(loss.item())
    optimizer.step()
library_weights = [p.detach().clone() for p in net.parameters()]

torch.manual_seed(0)
logits = torch.tensor([2.0, 0.5, -1.0, 0.0])
tokens = torch.multinomial(logits.softmax(-1).repeat(4000, 1), num_samples=1).squeeze(1)
frequencies = [(tokens == k).double().mean().item() for k in range(4)]
expected = logits.softmax(-1).tolist()
