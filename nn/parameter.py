"""`Parameter`: a tensor that a `Module` learns."""
from autograd import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and that a `Module` registers when assigned to it.

    >>> layer.scale = nn.Parameter(autograd.ones(3))   # now in layer.parameters()

    Dtype rules are `autograd.Tensor`'s (Python floats become the default float dtype); an
    ndarray or a Tensor given as data is shared, not copied.
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True):
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
