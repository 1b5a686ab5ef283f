"""Convolution layers in 1, 2 and 3 dimensions, plain and transposed (the functions are
`nn.functional.conv1d` ... `conv_transpose3d`)."""
import numpy as np

from autograd import get_default_dtype

from .. import functional as F
from .. import init
from ..functional._checks import _check_size
from ..functional.conv import _conv_padding, _pad_mode, _tuple
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What every convolution layer shares: PyTorch's attributes (``in_channels``,
    ``out_channels``, ``kernel_size``, ``stride``, ``padding``, ``dilation``, ``transposed``,
    ``output_padding``, ``groups``, ``padding_mode``), its parameters ``weight`` and ``bias``,
    its initialization and its repr."""

    _input_kind = "float"  # see Module._input_kind

    dims = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 groups, bias, padding_mode, output_padding=0, dtype=None):
        super().__init__()
        name = type(self).__name__
        _check_size(name, "in_channels", in_channels)
        _check_size(name, "out_channels", out_channels)
        if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1 or \
                in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: groups={groups!r} must be a positive int dividing both "
                             f"in_channels ({in_channels}) and out_channels ({out_channels})")
        if padding_mode not in _PADDING_MODES or self.transposed and padding_mode != "zeros":
            allowed = ("zeros",) if self.transposed else _PADDING_MODES
            raise ValueError(f"{name}: padding_mode must be one of {allowed}, got "
                             f"{padding_mode!r}")
        dims = self.dims
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _tuple(kernel_size, dims, "kernel_size", name)
        self.stride = _tuple(stride, dims, "stride", name)
        self.dilation = _tuple(dilation, dims, "dilation", name)
        if isinstance(padding, str) and self.transposed:
            raise ValueError(f"{name}: padding must be an int or {dims} ints, got {padding!r}")
        # 'valid' and 'same' checked now (stride 1 for 'same'), kept as PyTorch keeps them
        self._padding = _conv_padding(name, padding, self.kernel_size, self.stride,
                                      self.dilation)
        self.padding = padding if isinstance(padding, str) else \
            _tuple(padding, dims, "padding", name, minimum=0)
        self.output_padding = _tuple(output_padding, dims, "output_padding", name, minimum=0)
        self.padding_mode = padding_mode
        dtype = dtype or get_default_dtype()
        shape = (in_channels, out_channels // groups) if self.transposed else \
            (out_channels, in_channels // groups)
        self.weight = Parameter(np.empty(shape + self.kernel_size, dtype=dtype))
        self.register_parameter("bias", Parameter(np.empty(out_channels, dtype=dtype))
                                if bias else None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh parameters as PyTorch does (`init.default_uniform_`: weight and bias
        from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = weight.shape[1] * kernel size)."""
        init.default_uniform_(self.weight, self.bias)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self.dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class _Conv(_ConvNd):
    """A convolution layer: ``padding_mode`` 'zeros' pads in the function; 'reflect',
    'replicate' and 'circular' pad the input first, as PyTorch."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", *, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, dtype=dtype)

    def forward(self, input):
        conv = (F.conv1d, F.conv2d, F.conv3d)[self.dims - 1]
        if self.padding_mode == "zeros":
            return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)
        batched = np.ndim(input) == self.dims + 2
        x = input if batched else input[None]
        x = _pad_mode(x, self._padding, self.padding_mode, type(self).__name__)
        out = conv(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)
        return out if batched else out[0]


class Conv1d(_Conv):
    """1-D convolution over (N, C, L) or (C, L) inputs: ``out_channels`` kernels of shape
    (in_channels / groups, k); see `Conv2d`.

    >>> nn.Conv1d(3, 8, kernel_size=3, padding=1)(autograd.randn(2, 3, 10)).shape
    (2, 8, 10)
    """

    dims = 1


class Conv2d(_Conv):
    """2-D convolution over (N, C, H, W) or (C, H, W) inputs: ``out_channels`` kernels of
    shape (in_channels / groups, kh, kw), computed as im2col and one matmul (see `F.conv2d`
    for ``stride``, ``padding`` (int, pair, 'valid' or 'same'), ``dilation``, ``groups``).
    ``padding_mode`` is 'zeros' (default), 'reflect', 'replicate' or 'circular'.

    Attributes as in PyTorch: ``weight`` (out_channels, in_channels / groups, kh, kw),
    ``bias`` (out_channels,) or None; ``kernel_size``, ``stride``, ``dilation`` as pairs,
    ``padding`` a pair or the string given. Initialized as in PyTorch
    (`nn.init.default_uniform_`): weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
    fan_in = in_channels / groups * kh * kw. Parameters are created in ``dtype`` (default:
    ``autograd.get_default_dtype()``).

    >>> conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
    >>> conv(autograd.randn(2, 3, 32, 32)).shape
    (2, 8, 32, 32)
    """

    dims = 2


class Conv3d(_Conv):
    """3-D convolution over (N, C, D, H, W) or (C, D, H, W) inputs; see `Conv2d`.

    >>> nn.Conv3d(2, 4, kernel_size=3)(autograd.randn(1, 2, 5, 5, 5)).shape
    (1, 4, 3, 3, 3)
    """

    dims = 3


class _ConvTranspose(_ConvNd):
    """A transposed convolution layer; ``forward(input, output_size=None)`` picks the
    output_padding that gives ``output_size``, as PyTorch."""

    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros", *,
                 dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, dtype=dtype)

    def forward(self, input, output_size=None):
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.dims - 1]
        extra = self.output_padding if output_size is None else \
            self._output_padding(np.shape(input)[-self.dims:], output_size)
        return conv(input, self.weight, self.bias, self.stride, self.padding, extra,
                    self.groups, self.dilation)

    def _output_padding(self, size_in, output_size):
        size = tuple(int(s) for s in output_size)[-self.dims:]
        smallest = tuple((i - 1) * s - 2 * p + d * (k - 1) + 1 for i, s, p, d, k in zip(
            size_in, self.stride, self.padding, self.dilation, self.kernel_size))
        if len(tuple(output_size)) not in (self.dims, self.dims + 2) or any(
                not lo <= o < lo + s for o, lo, s in zip(size, smallest, self.stride)):
            raise ValueError(f"{type(self).__name__}: output_size {tuple(output_size)} must "
                             f"give {self.dims} sizes, each from {smallest} up to less than "
                             f"that plus stride {self.stride}")
        return tuple(o - lo for o, lo in zip(size, smallest))


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution over (N, C, L) or (C, L) inputs; see `ConvTranspose2d`.

    >>> nn.ConvTranspose1d(3, 8, kernel_size=2, stride=2)(autograd.randn(2, 3, 5)).shape
    (2, 8, 10)
    """

    dims = 1


class ConvTranspose2d(_ConvTranspose):
    """2-D transposed convolution ("deconvolution") over (N, C, H, W) or (C, H, W) inputs,
    the adjoint of `Conv2d`'s map of its input (see `F.conv_transpose2d`). ``weight`` is
    (in_channels, out_channels / groups, kh, kw), as PyTorch; initialized as PyTorch
    (fan_in = out_channels / groups * kh * kw). Only ``padding_mode='zeros'``.

    >>> up = nn.ConvTranspose2d(8, 3, kernel_size=2, stride=2)
    >>> up(autograd.randn(1, 8, 16, 16)).shape
    (1, 3, 32, 32)
    """

    dims = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution over (N, C, D, H, W) or (C, D, H, W) inputs; see
    `ConvTranspose2d`.

    >>> nn.ConvTranspose3d(2, 4, kernel_size=2, stride=2)(autograd.randn(1, 2, 3, 3, 3)).shape
    (1, 4, 6, 6, 6)
    """

    dims = 3
