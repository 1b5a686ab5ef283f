# PyTorch's "Saving and Loading Models" recipe: a state_dict saved with torch.save and loaded
# with torch.load(PATH, weights_only=True) into a fresh model, model.eval() before
# inference, and a general checkpoint (epoch, model and optimizer state, loss) that resumes
# training exactly where it stopped.
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super(TheModelClass, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(4 * 3 * 3, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = x.view(-1, 4 * 3 * 3)
        return self.fc1(x)


rng = np.random.default_rng(4)
batch = torch.from_numpy(rng.normal(size=(8, 1, 8, 8)).astype(np.float32))
labels = torch.from_numpy(rng.integers(0, 10, 8))
model = TheModelClass()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.uniform(-0.3, 0.3, tuple(p.shape))))
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
state_keys = list(model.state_dict().keys())
optimizer_keys = sorted(optimizer.state_dict().keys())


def train_step(model, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(batch), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


losses = [train_step(model, optimizer) for _ in range(3)]
with tempfile.TemporaryDirectory() as folder:
    PATH = os.path.join(folder, "model.pt")
    torch.save(model.state_dict(), PATH)
    model2 = TheModelClass()
    model2.load_state_dict(torch.load(PATH, weights_only=True))
    model2.eval()
    same_outputs = bool((model2(batch) == model(batch)).all())

    CHECKPOINT = os.path.join(folder, "checkpoint.tar")
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "loss": losses[-1]},
               CHECKPOINT)
    checkpoint = torch.load(CHECKPOINT, weights_only=True)

resumed = TheModelClass()
resumed_optimizer = optim.SGD(resumed.parameters(), lr=0.01, momentum=0.9)
resumed.load_state_dict(checkpoint["model_state_dict"])
resumed_optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
epoch, last_loss = checkpoint["epoch"], checkpoint["loss"]
resumed.train()
continued = [train_step(model, optimizer) for _ in range(3)]
resumed_losses = [train_step(resumed, resumed_optimizer) for _ in range(3)]
