# micrograd's demo (a 2-16-16-1 MLP separating two moons with a max-margin loss and L2
# regularization, full-batch SGD with a decaying step) written with torch.nn.
import numpy as np
import torch
from torch import nn

# two interleaving half circles with Gaussian noise (scikit-learn's make_moons, in numpy)
rng = np.random.default_rng(1337)
n = 100
t = np.linspace(0, np.pi, n // 2)
outer = np.stack([np.cos(t), np.sin(t)], axis=1)
inner = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
points = np.concatenate([outer, inner]) + rng.normal(scale=0.1, size=(n, 2))
signs = np.concatenate([-np.ones(n // 2), np.ones(n // 2)])  # labels -1 and 1

X = torch.from_numpy(points).float()
y = torch.tensor(signs, dtype=torch.float32)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                      nn.Linear(16, 1))
# micrograd's initialization (weights uniform in [-1, 1], biases 0), the same on every engine
with torch.no_grad():
    for layer in (model[0], model[2], model[4]):
        layer.weight.copy_(torch.from_numpy(rng.uniform(-1, 1, tuple(layer.weight.shape))))
        layer.bias.zero_()
parameter_count = sum(p.numel() for p in model.parameters())


def loss_and_accuracy():
    scores = model(X).squeeze(1)
    data_loss = torch.relu(1 - y * scores).mean()  # the SVM's max-margin loss
    alpha = 1e-4
    reg_loss = alpha * sum((p * p).sum() for p in model.parameters())
    accuracy = ((y > 0) == (scores > 0)).float().mean()
    return data_loss + reg_loss, accuracy.item()


losses, accuracies = [], []
for k in range(100):
    total_loss, accuracy = loss_and_accuracy()
    losses.append(total_loss.item())
    accuracies.append(accuracy)

    model.zero_grad()
    total_loss.backward()

    learning_rate = 1.0 - 0.9 * k / 100
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad



@torch.no_grad()
def predict(points):
    return model(torch.from_numpy(points).float()).squeeze(1) > 0


# the decision boundary on a grid, for a picture
xs, ys = np.meshgrid(np.linspace(-2, 3, 41), np.linspace(-1.5, 2, 36))
regions = predict(np.stack([xs.ravel(), ys.ravel()], axis=1)).numpy().reshape(xs.shape)
