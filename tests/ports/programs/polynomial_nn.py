# "Learning PyTorch with Examples", part 4: the cubic fit as a model of the nn package, a
# Linear layer on the features (x, x^2, x^3), trained by hand under no_grad.
import math

import numpy as np
import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# the features x^1, x^2, x^3 as the columns of a (2000, 3) tensor, by broadcasting
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),  # (2000, 1) -> (2000,), y's shape
)
loss_fn = torch.nn.MSELoss(reduction="sum")

# copy the same starting weights into every engine's layer
rng = np.random.default_rng(0)
with torch.no_grad():
    for param in model.parameters():
        param.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, tuple(param.shape)).astype(np.float32)))

learning_rate = 1e-6
losses = []
for _ in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
coefficients = [linear_layer.bias.item()] + [linear_layer.weight[:, i].item() for i in range(3)]
features = (xx.shape, xx.dtype == torch.float32)
