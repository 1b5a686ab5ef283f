"""Embedding: a lookup table of learned vectors, one per token id (PyTorch's
``torch.nn.Embedding``)."""
import numpy as np

from autograd import get_default_dtype, no_grad

from .. import functional as F
from .. import init
from ..functional._checks import _check_size
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding"]


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``; called on integer
    ids of any shape it returns their vectors, shape ``ids.shape + (embedding_dim,)``.

    ``weight`` is drawn from N(0, 1) as in PyTorch; row ``padding_idx`` (if given) starts
    at zero and never gets a gradient. ``max_norm``: rows looked up are rescaled in place to
    at most that ``norm_type``-norm.

    >>> emb = nn.Embedding(10, 3, padding_idx=0)
    >>> emb(autograd.tensor([[0, 4, 4]])).shape
    (1, 3, 3)
    >>> emb.weight[0].tolist()
    [0.0, 0.0, 0.0]
    """

    _input_kind = "ids"  # F.embedding checks them

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, *, dtype=None):
        super().__init__()
        _check_size("Embedding", "num_embeddings", num_embeddings)
        _check_size("Embedding", "embedding_dim", embedding_dim)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx={padding_idx} must be within "
                                 f"num_embeddings ({num_embeddings})")
            padding_idx = padding_idx % num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim),
                                             dtype=dtype or get_default_dtype()))
            self.reset_parameters()
        else:
            if tuple(np.shape(_weight)) != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: _weight has shape {np.shape(_weight)}, expected "
                                 f"({num_embeddings}, {embedding_dim})")
            self.weight = Parameter(np.array(np.asarray(_weight), dtype=dtype),
                                    requires_grad=not _freeze)

    def reset_parameters(self):
        """N(0, 1) entries, the padding row zero (PyTorch's initialization)."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm,
                           self.norm_type, self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """An Embedding whose weight is ``embeddings`` (2-D), frozen (no gradient) unless
        ``freeze=False``.

        >>> nn.Embedding.from_pretrained(autograd.eye(3))(autograd.tensor([2])).tolist()
        [[0.0, 0.0, 1.0]]
        """
        if np.ndim(embeddings) != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape "
                             f"{np.shape(embeddings)}")
        rows, cols = np.shape(embeddings)
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        return s
