# The "Neural Networks" part of PyTorch's 60-minute blitz: a LeNet-style Net (two convolutions
# with max pooling, x.view(-1, num_flat_features), three linear layers), its parameters, a
# backward pass with a random gradient, an MSE loss, then training with optim.SGD. Sized for
# the 8x8 digits (padding keeps the feature maps 8x8 and 4x4 before pooling).
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

from autograd.utils.data.digits import load_digits


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 3x3 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 2 * 2, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # a square window can be given as one number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]  # all dimensions except the batch dimension
        num_features = 1
        for s in size:
            num_features *= s
        return num_features


net = Net()
params = list(net.parameters())
parameter_shapes = [tuple(p.size()) for p in params]

rng = np.random.default_rng(5)
with torch.no_grad():  # copied-in starting weights, the same on every engine
    for p in params:
        p.copy_(torch.from_numpy(rng.uniform(-0.3, 0.3, tuple(p.shape))))

images, labels = load_digits()
data = torch.from_numpy(images / 16.0).float().view(-1, 1, 8, 8)
targets = torch.from_numpy(labels)

input = data[:1]
out = net(input)
net.zero_grad()
out.backward(torch.from_numpy(rng.standard_normal((1, 10))).float())
conv1_bias_grad = net.conv1.bias.grad.clone()

output = net(input)
target = torch.arange(10, dtype=torch.float32).view(1, -1)  # a dummy target, as the tutorial's
criterion = nn.MSELoss()
loss = criterion(output, target)
net.zero_grad()
cleared = net.conv1.bias.grad is None
loss.backward()
mse_grad = net.conv1.bias.grad.clone()

optimizer = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()
losses = []
for epoch in range(2):
    for start in range(0, 1000, 50):
        optimizer.zero_grad()  # zero the gradient buffers
        output = net(data[start:start + 50])
        loss = criterion(output, targets[start:start + 50])
        loss.backward()
        optimizer.step()  # does the update
        losses.append(loss.item())

with torch.no_grad():
    predictions = net(data[1000:]).argmax(dim=1)
accuracy = (predictions == targets[1000:]).float().mean().item()
