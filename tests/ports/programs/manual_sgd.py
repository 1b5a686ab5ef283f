# The oldest PyTorch update idioms, still in the 60-minute blitz, micrograd-style code and many
# repositories: parameters changed through .data (f.data.sub_(f.grad.data * lr),
# p.data -= lr * p.grad, p.data.zero_()) outside the graph, p.grad.zero_() between steps, and
# a variable read through .data for a loop condition.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(9)
inputs = torch.from_numpy(rng.normal(size=(40, 3)).astype(np.float32))
targets = torch.from_numpy(rng.normal(size=(40, 1)).astype(np.float32))

net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, tuple(p.shape))))

criterion = nn.MSELoss()
learning_rate = 0.1
blitz_losses = []
for step in range(15):
    net.zero_grad()
    loss = criterion(net(inputs), targets)
    loss.backward()
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    blitz_losses.append(loss.item())

micrograd_losses = []
for step in range(15):
    loss = criterion(net(inputs), targets)
    for p in net.parameters():
        if p.grad is not None:
            p.grad.zero_()
    loss.backward()
    for p in net.parameters():
        p.data -= learning_rate * p.grad
    micrograd_losses.append(loss.item())

net[2].bias.data.zero_()
zeroed_bias = net[2].bias.tolist()
x = torch.tensor([0.5, -1.0], requires_grad=True)
y = x * 2
while y.data.norm() < 50:
    y = y * 2
doublings = y.data.tolist()
