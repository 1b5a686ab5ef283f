# Gradient clipping as everyday training loops write it: clip_grad_norm_ (its returned total
# norm logged) between backward() and step(), clip_grad_value_, on a small tanh network fed
# inputs large enough for the clipping to act.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(21)
inputs = torch.from_numpy(rng.normal(scale=4.0, size=(32, 5)).astype(np.float32))
targets = torch.from_numpy(rng.normal(size=(32, 2)).astype(np.float32))


def make_model():
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 2))
    source = np.random.default_rng(22)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(source.normal(scale=0.8, size=tuple(p.shape))))
    return model


model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
criterion = nn.MSELoss()
norm_losses, total_norms, clipped_norms = [], [], []
for step in range(20):
    optimizer.zero_grad()
    loss = criterion(model(inputs), targets)
    loss.backward()
    total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    total_norms.append(total_norm.item())
    clipped_norms.append(torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item())
    optimizer.step()
    norm_losses.append(loss.item())

model = make_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
value_losses, largest = [], []
for step in range(20):
    optimizer.zero_grad()
    loss = criterion(model(inputs), targets)
    loss.backward()
    nn.utils.clip_grad_value_(model.parameters(), clip_value=0.1)
    largest.append(max(p.grad.abs().max().item() for p in model.parameters()))
    optimizer.step()
    value_losses.append(loss.item())

inf_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type=float("inf"))
