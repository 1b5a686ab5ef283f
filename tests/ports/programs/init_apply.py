# Weight initialization with torch.nn.init and model.apply, the way model code does it: an
# init function dispatching on the layer type (xavier_uniform_ and zeros_ for Linear,
# kaiming_normal_ for Conv2d, ones_/zeros_ for BatchNorm), nn.init.calculate_gain, and
# in-place fills under torch.no_grad. Random draws differ between engines, so the program
# keeps the statistics and bounds the tests check.
import math

import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3)
        self.bn = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(512, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc2(torch.relu(self.fc1(x.flatten(1)[:, :512])))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("relu"))
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        nn.init.constant_(m.bias, 0.1)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


torch.manual_seed(0)
model = Model()
visited = []
model.apply(lambda m: visited.append(type(m).__name__))
model.apply(init_weights)

gain = nn.init.calculate_gain("relu")
xavier_bound = gain * math.sqrt(6.0 / (512 + 256))
fc1 = model.fc1.weight
stats = {
    "fc1_max": fc1.abs().max().item(), "xavier_bound": xavier_bound,
    "fc1_std": fc1.std(correction=1).item(), "xavier_std": xavier_bound / math.sqrt(3),
    "conv_std": model.conv.weight.std(correction=1).item(),
    "kaiming_std": math.sqrt(2.0) / math.sqrt(32 * 3 * 3),
    "conv_bias": model.conv.bias.tolist(), "fc_bias_sum": model.fc2.bias.abs().sum().item(),
    "bn": (model.bn.weight.sum().item(), model.bn.bias.sum().item()),
}
gains = [nn.init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu")]
gains.append(nn.init.calculate_gain("leaky_relu", 0.2))

with torch.no_grad():
    model.fc2.weight.fill_(0.01)
    model.fc2.weight[0].zero_()
filled = model.fc2.weight.sum().item()
out = model(torch.ones(2, 3, 8, 8))
output_shape = tuple(out.shape)
