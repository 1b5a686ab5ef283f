# PyTorch's "Quickstart" tutorial (a FashionMNIST classifier) on the bundled 8x8 digits: a
# Dataset and DataLoader, a Module built from nn.Flatten and nn.Sequential, CrossEntropyLoss,
# SGD, and the tutorial's train and test loops with their progress lines.
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograd.utils.data.digits import load_digits

images, labels = load_digits()
pixels = torch.tensor(images / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
digits = torch.tensor(labels)
training_data = TensorDataset(pixels[:1500], digits[:1500])
test_data = TensorDataset(pixels[1500:], digits[1500:])
classes = [str(k) for k in range(10)]

batch_size = 64
train_dataloader = DataLoader(training_data, batch_size=batch_size)
test_dataloader = DataLoader(test_data, batch_size=batch_size)
for X, y in test_dataloader:
    first_batch = (list(X.shape), list(y.shape))
    break


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(8 * 8, 128),
            nn.ReLU(),
            nn.Linear(128, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()
# the same starting weights on every engine (drawn by numpy)
rng = np.random.default_rng(0)
with torch.no_grad():
    for name, param in model.named_parameters():
        param.copy_(torch.from_numpy(rng.uniform(-0.12, 0.12, tuple(param.shape))))
parameter_names = [name for name, _ in model.named_parameters()]

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
logged, test_losses, accuracies = [], [], []


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)

        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 8 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            logged.append((loss, current, size))


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    test_losses.append(test_loss)
    accuracies.append(correct)


epochs = 4
for t in range(epochs):
    train(train_dataloader, model, loss_fn, optimizer)
    test(test_dataloader, model, loss_fn)

model.eval()
x, y = test_data[0][0], test_data[0][1]
with torch.no_grad():
    pred = model(x.unsqueeze(0))
    predicted, actual = classes[pred[0].argmax(0)], classes[y]
