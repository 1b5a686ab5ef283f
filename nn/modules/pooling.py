"""Pooling layers (the functions are `nn.functional.max_pool2d` and `avg_pool2d`)."""
from .. import functional as F
from ..functional.pooling import _refuse
from .module import Module

__all__ = ["MaxPool2d", "AvgPool2d"]


class MaxPool2d(Module):
    """The maximum over each ``kernel_size`` window of an (N, C, H, W) input; ``stride``
    defaults to ``kernel_size``; ``padding`` is -inf. Tied maxima share the gradient
    (PyTorch routes it to one of them). See `F.max_pool2d`.

    >>> nn.MaxPool2d(2)(autograd.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        _refuse("MaxPool2d", return_indices=return_indices, ceil_mode=ceil_mode)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation

    def forward(self, x):
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}")


class AvgPool2d(Module):
    """The mean over each ``kernel_size`` window of an (N, C, H, W) input; ``stride``
    defaults to ``kernel_size``; zero ``padding`` counts in the mean unless
    ``count_include_pad=False``. See `F.avg_pool2d`.

    >>> nn.AvgPool2d(2)(autograd.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        _refuse("AvgPool2d", ceil_mode=ceil_mode, divisor_override=divisor_override)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.count_include_pad = padding, count_include_pad

    def forward(self, x):
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding,
                            count_include_pad=self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
