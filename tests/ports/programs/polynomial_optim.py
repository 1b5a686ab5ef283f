# "Learning PyTorch with Examples", part 5: the nn model of part 4, trained by an optimizer
# (RMSprop) instead of the hand-written update.
import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
loss_fn = nn.MSELoss(reduction="sum")

rng = np.random.default_rng(1)  # the same starting weights on every engine
with torch.no_grad():
    for param in model.parameters():
        param.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, tuple(param.shape)).astype(np.float32)))

optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
losses = []
for _ in range(2000):
    loss = loss_fn(model(xx), y)
    losses.append(loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

linear_layer = model[0]
coefficients = [linear_layer.bias.item()] + linear_layer.weight.flatten().tolist()
