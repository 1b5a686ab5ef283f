"""`Unflatten`, the inverse of `nn.Flatten` (PyTorch's)."""
import math

from autograd import ShapeError, reshape

from .module import Module

__all__ = ["Unflatten"]


class Unflatten(Module):
    """Splits axis ``dim`` into the axes ``unflattened_size`` (one entry may be -1).

    >>> nn.Unflatten(1, (2, 5))(autograd.zeros(3, 10)).shape
    (3, 2, 5)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)) or not all(
                isinstance(s, int) for s in unflattened_size):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, got "
                            f"{unflattened_size!r}")
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input):
        shape, dim = input.shape, self.dim
        if not -len(shape) <= dim < len(shape):
            raise ShapeError(f"Unflatten: dim={dim} is out of range for an input of shape "
                             f"{shape}")
        dim %= len(shape)
        sizes = self.unflattened_size
        known = math.prod(s for s in sizes if s != -1)
        fits = shape[dim] == known if -1 not in sizes else known and shape[dim] % known == 0
        if not fits or sizes.count(-1) > 1:
            raise ShapeError(f"Unflatten: unflattened_size {sizes} does not fit axis {dim} "
                             f"of size {shape[dim]} (input of shape {shape})")
        return reshape(input, shape[:dim] + sizes + shape[dim + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
