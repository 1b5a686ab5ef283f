# Linear regression from scratch, as in the Dive into Deep Learning book: synthetic data
# y = Xw + b + noise, a data_iter that shuffles with Python's random, a model, squared loss
# and minibatch SGD written by hand (updates under torch.no_grad, then grad.zero_()), and the
# concise version with nn.Sequential, nn.MSELoss and optim.SGD.
import random

import numpy as np
import torch
from torch import nn
from torch.utils import data


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    rng = np.random.default_rng(42)
    X = torch.from_numpy(rng.normal(0, 1, (num_examples, len(w))).astype(np.float32))
    y = torch.matmul(X, w) + b
    y += torch.from_numpy(rng.normal(0, 0.01, tuple(y.shape)).astype(np.float32))
    return X, y.reshape((-1, 1))


true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
first_example = (features[0].tolist(), labels[0].item())


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    # the examples are read at random, in no particular order
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


w = torch.tensor([[0.01], [-0.005]], requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


random.seed(0)
lr, num_epochs, batch_size = 0.03, 3, 10
net, loss = linreg, squared_loss
epoch_losses = []
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)  # noqa: E741 (the book's name)
        # l has shape (batch_size, 1): sum it to a scalar for the gradient
        l.sum().backward()
        sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        epoch_losses.append(float(train_l.mean()))
w_error = (true_w - w.reshape(true_w.shape)).tolist()
b_error = true_b - b.item()

# the concise implementation
dataset = data.TensorDataset(features, labels)
data_loader = data.DataLoader(dataset, batch_size, shuffle=False)
net = nn.Sequential(nn.Linear(2, 1))
with torch.no_grad():
    net[0].weight.copy_(torch.tensor([[0.01, -0.005]]))
    net[0].bias.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
concise_losses = []
for epoch in range(num_epochs):
    for X, y in data_loader:
        l = loss(net(X), y)  # noqa: E741
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)  # noqa: E741
    concise_losses.append(l.item())
concise_w, concise_b = net[0].weight.detach().reshape(-1).tolist(), net[0].bias.item()
