"""Pooling layers in 1, 2 and 3 dimensions (the functions are `nn.functional.max_pool2d`,
`avg_pool2d`, `max_unpool2d`, `lp_pool2d`, `adaptive_avg_pool2d`, `adaptive_max_pool2d` and
their 1-d and 3-d forms)."""
from .. import functional as F
from ..functional.conv import _tuple
from .module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "LPPool1d", "LPPool2d", "LPPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"]


class _MaxPool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[self.dims - 1]
        return pool(input, self.kernel_size, self.stride, self.padding, self.dilation,
                    ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPool):
    """The maximum over each window of an (N, C, L) or (C, L) input; see `MaxPool2d`.

    >>> nn.MaxPool1d(2)(autograd.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    dims = 1


class MaxPool2d(_MaxPool):
    """The maximum over each ``kernel_size`` window of an (N, C, H, W) input; ``stride``
    defaults to ``kernel_size``; ``padding`` is -inf; ``ceil_mode`` and ``return_indices``
    as PyTorch. Tied maxima share the gradient (PyTorch routes it to one of them). See
    `F.max_pool2d`.

    >>> nn.MaxPool2d(2)(autograd.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    dims = 2


class MaxPool3d(_MaxPool):
    """The maximum over each window of an (N, C, D, H, W) input; see `MaxPool2d`.

    >>> nn.MaxPool3d(2)(autograd.randn(1, 3, 4, 4, 4)).shape
    (1, 3, 2, 2, 2)
    """

    dims = 3


class _AvgPool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input):
        return (F.avg_pool2d, F.avg_pool3d)[self.dims - 2](
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPool):
    """The mean over each window of an (N, C, L) or (C, L) input; see `AvgPool2d` (no
    ``divisor_override``, as PyTorch). Sizes are kept as 1-tuples, as PyTorch.

    >>> nn.AvgPool1d(2)(autograd.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    dims = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__(_tuple(kernel_size, 1, "kernel_size", "AvgPool1d"),
                         None if stride is None else _tuple(stride, 1, "stride", "AvgPool1d"),
                         _tuple(padding, 1, "padding", "AvgPool1d", minimum=0), ceil_mode,
                         count_include_pad)

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class AvgPool2d(_AvgPool):
    """The mean over each ``kernel_size`` window of an (N, C, H, W) input; ``stride``
    defaults to ``kernel_size``; zero ``padding`` counts in the mean unless
    ``count_include_pad=False``; ``ceil_mode`` and ``divisor_override`` as PyTorch. See
    `F.avg_pool2d`.

    >>> nn.AvgPool2d(2)(autograd.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    dims = 2


class AvgPool3d(_AvgPool):
    """The mean over each window of an (N, C, D, H, W) input; see `AvgPool2d`.

    >>> nn.AvgPool3d(2)(autograd.randn(1, 3, 4, 4, 4)).shape
    (1, 3, 2, 2, 2)
    """

    dims = 3


class _MaxUnpool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        name, dims = type(self).__name__, self.dims
        self.kernel_size = _tuple(kernel_size, dims, "kernel_size", name)
        self.stride = _tuple(self.kernel_size if stride is None else stride, dims, "stride",
                             name)
        self.padding = _tuple(padding, dims, "padding", name, minimum=0)

    def forward(self, input, indices, output_size=None):
        unpool = (F.max_unpool1d, F.max_unpool2d, F.max_unpool3d)[self.dims - 1]
        return unpool(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpool):
    """`F.max_unpool1d` as a layer: ``forward(input, indices, output_size=None)``.

    >>> x, i = nn.MaxPool1d(2, return_indices=True)(autograd.randn(1, 3, 8))
    >>> nn.MaxUnpool1d(2)(x, i).shape
    (1, 3, 8)
    """

    dims = 1


class MaxUnpool2d(_MaxUnpool):
    """`F.max_unpool2d` as a layer: ``forward(input, indices, output_size=None)`` puts each
    value back where `MaxPool2d(return_indices=True)` found it.

    >>> x, i = nn.MaxPool2d(2, return_indices=True)(autograd.randn(1, 3, 8, 8))
    >>> nn.MaxUnpool2d(2)(x, i).shape
    (1, 3, 8, 8)
    """

    dims = 2


class MaxUnpool3d(_MaxUnpool):
    """`F.max_unpool3d` as a layer; see `MaxUnpool2d`.

    >>> x, i = nn.MaxPool3d(2, return_indices=True)(autograd.randn(1, 3, 4, 4, 4))
    >>> nn.MaxUnpool3d(2)(x, i).shape
    (1, 3, 4, 4, 4)
    """

    dims = 3


class _LPPool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, input):
        pool = (F.lp_pool1d, F.lp_pool2d, F.lp_pool3d)[self.dims - 1]
        return pool(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPool):
    """The ``norm_type``-norm over each window of an (N, C, L) input (`F.lp_pool1d`).

    >>> nn.LPPool1d(2, 2)(autograd.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    dims = 1


class LPPool2d(_LPPool):
    """The ``norm_type``-norm over each window of an (N, C, H, W) input (`F.lp_pool2d`).

    >>> nn.LPPool2d(2, 2)(autograd.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    dims = 2


class LPPool3d(_LPPool):
    """The ``norm_type``-norm over each window of an (N, C, D, H, W) input (`F.lp_pool3d`).

    >>> nn.LPPool3d(2, 2)(autograd.randn(1, 3, 4, 4, 4)).shape
    (1, 3, 2, 2, 2)
    """

    dims = 3


class _AdaptiveAvgPool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        pool = (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d)
        return pool[self.dims - 1](input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    """Average pooling of an (N, C, L) input into ``output_size`` windows.

    >>> nn.AdaptiveAvgPool1d(3)(autograd.randn(1, 3, 8)).shape
    (1, 3, 3)
    """

    dims = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    """Average pooling of an (N, C, H, W) input to the spatial size ``output_size`` (an int,
    a pair; None keeps an axis): `F.adaptive_avg_pool2d`. ``AdaptiveAvgPool2d(1)`` is global
    average pooling.

    >>> nn.AdaptiveAvgPool2d((1, 1))(autograd.randn(2, 3, 7, 5)).shape
    (2, 3, 1, 1)
    """

    dims = 2


class AdaptiveAvgPool3d(_AdaptiveAvgPool):
    """Average pooling of an (N, C, D, H, W) input to ``output_size``.

    >>> nn.AdaptiveAvgPool3d(2)(autograd.randn(1, 3, 5, 4, 3)).shape
    (1, 3, 2, 2, 2)
    """

    dims = 3


class _AdaptiveMaxPool(Module):
    _input_kind = "float"  # see Module._input_kind

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input):
        pool = (F.adaptive_max_pool1d, F.adaptive_max_pool2d, F.adaptive_max_pool3d)
        return pool[self.dims - 1](input, self.output_size, self.return_indices)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """Max pooling of an (N, C, L) input into ``output_size`` windows.

    >>> nn.AdaptiveMaxPool1d(3)(autograd.randn(1, 3, 8)).shape
    (1, 3, 3)
    """

    dims = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """Max pooling of an (N, C, H, W) input to the spatial size ``output_size``
    (`F.adaptive_max_pool2d`); ``return_indices`` as `MaxPool2d`.

    >>> nn.AdaptiveMaxPool2d(2)(autograd.randn(1, 3, 7, 5)).shape
    (1, 3, 2, 2)
    """

    dims = 2


class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    """Max pooling of an (N, C, D, H, W) input to ``output_size``.

    >>> nn.AdaptiveMaxPool3d(2)(autograd.randn(1, 3, 5, 4, 3)).shape
    (1, 3, 2, 2, 2)
    """

    dims = 3
