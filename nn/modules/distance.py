"""Distance layers: `CosineSimilarity` and `PairwiseDistance` (PyTorch's)."""
from .. import functional as F
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    """The cosine similarity of two inputs along ``dim`` (see `F.cosine_similarity`).

    >>> nn.CosineSimilarity(dim=0)(autograd.tensor([2.0, 0.0]), autograd.tensor([1.0, 0.0]))
    Tensor(1.)
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance of two inputs along the last axis (see `F.pairwise_distance`).

    >>> nn.PairwiseDistance(eps=0.0)(autograd.tensor([[0.0, 0.0]]), autograd.tensor([[3.0, 4.0]]))
    Tensor([5.])
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
