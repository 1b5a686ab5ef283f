# Learning-rate schedules as PyTorch's optim documentation uses them: scheduler.step() once an
# epoch after optimizer.step(), get_last_lr() and param_groups[0]["lr"] read along the way, a
# small regression trained under each schedule, and a scheduler's state_dict round trip.
import numpy as np
import torch
from torch import nn, optim
from torch.optim.lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR,
                                      MultiStepLR, StepLR)

rng = np.random.default_rng(11)
inputs = torch.from_numpy(rng.normal(size=(64, 3)).astype(np.float32))
targets = inputs @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
start = rng.uniform(-0.5, 0.5, (1, 3)).astype(np.float32)

SCHEDULES = {
    "step": lambda opt: StepLR(opt, step_size=3, gamma=0.5),
    "multistep": lambda opt: MultiStepLR(opt, milestones=[2, 5], gamma=0.1),
    "exponential": lambda opt: ExponentialLR(opt, gamma=0.8),
    "cosine": lambda opt: CosineAnnealingLR(opt, T_max=8, eta_min=0.001),
    "lambda": lambda opt: LambdaLR(opt, lr_lambda=lambda epoch: 0.95 ** epoch),
}
results = {}
for name, make in SCHEDULES.items():
    model = nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(start))
        model.bias.zero_()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = make(optimizer)
    lrs, losses = [], []
    for epoch in range(10):
        for batch in range(4):
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(inputs[batch * 16:(batch + 1) * 16]),
                                          targets[batch * 16:(batch + 1) * 16])
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
        scheduler.step()
        lrs.append((scheduler.get_last_lr()[0], optimizer.param_groups[0]["lr"]))
    results[name] = (lrs, losses)

# resuming: a scheduler rebuilt from its state_dict continues where the first one was
optimizer = optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
for _ in range(3):
    optimizer.step()
    scheduler.step()
saved = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
optimizer2 = optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
resumed = StepLR(optimizer2, step_size=2, gamma=0.5)
optimizer2.load_state_dict(saved["optimizer"])
resumed.load_state_dict(saved["scheduler"])
resumed_lrs = []
for _ in range(3):
    optimizer2.step()
    resumed.step()
    resumed_lrs.append(resumed.get_last_lr()[0])
last_epoch = saved["scheduler"]["last_epoch"]
