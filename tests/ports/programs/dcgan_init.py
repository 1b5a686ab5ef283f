# The DCGAN tutorial's weights_init, applied with model.apply: layers picked by class name,
# weights drawn through .data (nn.init.normal_(m.weight.data, 0.0, 0.02) and the older
# m.weight.data.normal_(1.0, 0.02), m.bias.data.fill_(0)). The draws differ between engines;
# the statistics must not.
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, nz=16, ngf=8):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(nz, ngf * 16),
            nn.BatchNorm1d(ngf * 16),
            nn.ReLU(True),
            nn.Conv2d(ngf, ngf, 3, padding=1),
            nn.Tanh(),
        )
        self.ngf = ngf

    def forward(self, z):
        x = self.main[:3](z).view(-1, self.ngf, 4, 4)
        return self.main[3:](x)


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)
    elif classname.find("Linear") != -1:
        m.weight.data.uniform_(-0.1, 0.1)
        m.bias.data.zero_()


torch.manual_seed(999)
netG = Generator()
netG.apply(weights_init)
conv, bn, linear = netG.main[3], netG.main[1], netG.main[0]
stats = {
    "conv_mean": conv.weight.mean().item(), "conv_std": conv.weight.std().item(),
    "bn_mean": bn.weight.mean().item(), "bn_bias": bn.bias.abs().sum().item(),
    "linear_max": linear.weight.abs().max().item(), "linear_bias": linear.bias.abs().sum().item(),
}
fake_shape = tuple(netG(torch.zeros(4, 16)).shape)
