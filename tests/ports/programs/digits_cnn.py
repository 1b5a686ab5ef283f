# A small convolutional network on the 8x8 digits, written as PyTorch's MNIST example:
# TensorDataset + random_split + DataLoader, a Module with conv/pool/linear layers, log-softmax
# with nll_loss, Adam, the example's train and test loops, and a checkpoint saved and loaded.
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset, random_split

from autograd.utils.data.digits import load_digits  # numpy arrays, as scikit-learn's

torch.manual_seed(0)
device = torch.device("cpu")

images, labels = load_digits()
inputs = torch.from_numpy(images / 16.0).float().unsqueeze(1)  # (1797, 1, 8, 8) in [0, 1]
targets = torch.from_numpy(labels)
train_set, test_set = random_split(TensorDataset(inputs, targets), [1497, 300])
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
test_loader = DataLoader(test_set, batch_size=300)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * 4 * 4, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def train(model, device, train_loader, optimizer):
    model.train()
    total = 0.0
    for data, target in train_loader:
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        total += loss.item() * data.size(0)
    return total / len(train_loader.dataset)


def test(model, device, test_loader):
    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    return test_loss / len(test_loader.dataset), correct / len(test_loader.dataset)


model = Net().to(device)
optimizer = optim.Adam(model.parameters(), lr=0.01)
train_losses, test_losses, accuracies = [], [], []
for _ in range(3):
    train_losses.append(train(model, device, train_loader, optimizer))
    test_loss, accuracy = test(model, device, test_loader)
    test_losses.append(test_loss)
    accuracies.append(accuracy)
parameter_count = sum(p.numel() for p in model.parameters())

# a checkpoint: save, load into a fresh model and optimizer, and test again
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "digits_cnn.pt")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": 3}, path)
    checkpoint = torch.load(path)
restored = Net()
restored.load_state_dict(checkpoint["model"])
restored_optimizer = optim.Adam(restored.parameters(), lr=0.01)
restored_optimizer.load_state_dict(checkpoint["optimizer"])
restored_accuracy = test(restored, device, test_loader)[1]
restored_steps = checkpoint["optimizer"]["state"][0]["step"]
