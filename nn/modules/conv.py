"""2-D convolution layer (the function is `nn.functional.conv2d`)."""
from .. import functional as F
from ..functional._checks import _check_size
from ..functional.conv import _conv_padding, _pair
from .linear import _WeightedLayer

__all__ = ["Conv2d"]


class Conv2d(_WeightedLayer):
    """2-D convolution over (N, C, H, W) inputs: ``out_channels`` kernels of shape
    (in_channels / groups, kh, kw), computed as im2col and one matmul (see `F.conv2d` for
    ``stride``, ``padding`` (int, pair, 'valid' or 'same'), ``dilation``, ``groups``).

    Attributes as in PyTorch: ``weight`` (out_channels, in_channels / groups, kh, kw),
    ``bias`` (out_channels,) or None; ``kernel_size``, ``stride``, ``dilation`` as pairs,
    ``padding`` a pair or the string given. Initialized as in PyTorch
    (`nn.init.default_uniform_`): weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
    fan_in = in_channels / groups * kh * kw. Only zero padding (PyTorch's
    ``padding_mode='zeros'``). Parameters are created in ``dtype`` (default:
    ``autograd.get_default_dtype()``).

    >>> conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
    >>> conv(autograd.randn(2, 3, 32, 32)).shape
    (2, 8, 32, 32)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, *, dtype=None):
        _check_size("Conv2d", "in_channels", in_channels)
        _check_size("Conv2d", "out_channels", out_channels)
        if not isinstance(groups, int) or groups < 1 or in_channels % groups or \
                out_channels % groups:
            raise ValueError(f"Conv2d: groups={groups!r} must be a positive int dividing both "
                             f"in_channels ({in_channels}) and out_channels ({out_channels})")
        kernel_size = _pair(kernel_size, "kernel_size", "Conv2d")
        super().__init__((out_channels, in_channels // groups) + kernel_size, bias, dtype)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = kernel_size
        self.stride = _pair(stride, "stride", "Conv2d")
        self.dilation = _pair(dilation, "dilation", "Conv2d")
        _conv_padding("Conv2d", padding, kernel_size, self.stride, self.dilation)  # fail early
        self.padding = padding if isinstance(padding, str) else \
            _pair(padding, "padding", "Conv2d", minimum=0)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text if self.bias is not None else text + ", bias=False"
