# "Learning PyTorch with Examples", part 6: the cubic as a custom nn.Module with four scalar
# Parameters, trained by SGD; its starting values loaded with load_state_dict.
import math

import numpy as np
import torch


class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return (f"y = {self.a.item():.4f} + {self.b.item():.4f} x + {self.c.item():.4f} x^2 "
                f"+ {self.d.item():.4f} x^3")


x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

torch.manual_seed(0)
model = Polynomial3()
names = [name for name, _ in model.named_parameters()]

# randn differs between engines: load the same start into both
start = np.random.default_rng(2).standard_normal(4).astype(np.float32)
model.load_state_dict({name: torch.tensor(v) for name, v in zip(names, start)})

criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
losses = []
for _ in range(2000):
    loss = criterion(model(x), y)
    losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

result = model.string()
coefficients = [model.a.item(), model.b.item(), model.c.item(), model.d.item()]
