# PyTorch's "What is torch.nn really?" tutorial on the digits: logistic regression written
# from scratch (hand-made log_softmax and nll, updates under torch.no_grad, grad.zero_()),
# then refactored step by step: F.cross_entropy, an nn.Module with nn.Parameter, nn.Linear,
# optim.SGD, TensorDataset and DataLoader, and a validation loss.
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

from autograd.utils.data.digits import load_digits

images, labels = load_digits()
x_train, y_train, x_valid, y_valid = map(
    torch.tensor, ((images[:1400].reshape(-1, 64) / 16.0).astype(np.float32), labels[:1400],
                   (images[1400:].reshape(-1, 64) / 16.0).astype(np.float32), labels[1400:]))
n, c = x_train.shape
start = np.random.default_rng(7).standard_normal((64, 10)).astype(np.float32)

weights = torch.from_numpy(start.copy()) / math.sqrt(64)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


bs = 64
lr = 0.5
epochs = 2
scratch_losses = []
for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()
        scratch_losses.append(loss.item())
scratch_accuracy = accuracy(model(x_valid), y_valid).item()

loss_func = F.cross_entropy


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.from_numpy(start.copy()) / math.sqrt(64))
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, xb):
        return xb @ self.weights + self.bias


model = Mnist_Logistic()
module_losses = []
for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        xb, yb = x_train[i * bs:i * bs + bs], y_train[i * bs:i * bs + bs]
        loss = loss_func(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= p.grad * lr
            model.zero_grad()
        module_losses.append(loss.item())


class Mnist_Linear(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(64, 10)
        with torch.no_grad():
            self.lin.weight.copy_(torch.from_numpy(start.T.copy()) / math.sqrt(64))
            self.lin.bias.zero_()

    def forward(self, xb):
        return self.lin(xb)


def get_model():
    model = Mnist_Linear()
    return model, optim.SGD(model.parameters(), lr=lr)


def get_data(train_ds, valid_ds, bs):
    return (DataLoader(train_ds, batch_size=bs, shuffle=False),
            DataLoader(valid_ds, batch_size=bs * 2))


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    history = []
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss = loss_func(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()

        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
        history.append((valid_loss / len(valid_dl)).item())
    return history


train_dl, valid_dl = get_data(TensorDataset(x_train, y_train), TensorDataset(x_valid, y_valid),
                              bs)
model, opt = get_model()
valid_losses = fit(epochs, model, loss_func, opt, train_dl, valid_dl)
