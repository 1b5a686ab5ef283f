"""Fractional max pooling as a layer (its own file, beside pooling.py)."""
from .. import functional as F
from ..functional.conv import _tuple
from .module import Module

__all__ = ["FractionalMaxPool2d"]


class FractionalMaxPool2d(Module):
    """PyTorch's ``FractionalMaxPool2d`` (`F.fractional_max_pool2d`): max pooling with
    ``kernel_size`` windows at pseudo-random positions, down to ``output_size`` or
    ``output_ratio`` times the input's size (Graham, 2014): a reduction by a factor between 1
    and 2, where an ordinary pool only halves. A new draw at every call.

    >>> pool = nn.FractionalMaxPool2d(2, output_ratio=0.7)
    >>> pool(autograd.randn(4, 3, 10, 10)).shape
    (4, 3, 7, 7)
    """

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        self.kernel_size = _tuple(kernel_size, 2, "kernel_size", "FractionalMaxPool2d")
        if (output_size is None) == (output_ratio is None):
            raise ValueError("FractionalMaxPool2d requires specifying either an output size, "
                             "or a pooling ratio (exactly one of them)")
        self.output_size, self.output_ratio = output_size, output_ratio
        self.return_indices, self._random_samples = return_indices, _random_samples

    def forward(self, input):
        return F.fractional_max_pool2d(input, self.kernel_size, self.output_size,
                                       self.output_ratio, self.return_indices,
                                       self._random_samples)

    def extra_repr(self):
        size = (f"output_size={self.output_size}" if self.output_size is not None
                else f"output_ratio={self.output_ratio}")
        return f"kernel_size={self.kernel_size}, {size}"
