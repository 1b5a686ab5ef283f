"""Embedding lookup (PyTorch's ``torch.nn.functional.embedding``): rows of a weight matrix
picked by integer indices. Its gradient scatter-adds into the rows (a repeated index adds
up), and the ``padding_idx`` row gets none."""
import numpy as np

from autograd import DtypeError, IndexingError, ShapeError, Tensor, no_grad
from autograd.extend import inplace_update, linear, raw, registered

__all__ = ["embedding"]


def _rows_kept(indices, padding_idx):
    """1 where an index is not the padding row, as a constant (..., 1) mask."""
    return (indices != padding_idx)[..., None]


@linear(transpose=lambda g, ans, w, indices, num, padding_idx:
        _embedding(g, indices=indices, padding_idx=padding_idx) * (
            1 if padding_idx is None else _rows_kept(indices, padding_idx)))
def _scatter_rows(g, indices, num, padding_idx):
    """Zeros (num, D) with each g[..., :] added to row indices[...]; the padding row stays 0."""
    g = np.asarray(g)
    out = np.zeros((num, g.shape[-1]), dtype=g.dtype)
    np.add.at(out, indices.reshape(-1), g.reshape(-1, g.shape[-1]))
    if padding_idx is not None:
        out[padding_idx] = 0
    return out


@linear(transpose=lambda g, ans, w, indices, padding_idx:
        _scatter_rows(g, indices=indices, num=w.shape[0], padding_idx=padding_idx))
def _embedding(w, indices, padding_idx):
    return np.asarray(w)[indices]


def _indices(input, num):
    """The index array of ``input`` (a Tensor or array-like of ints), checked against
    ``num`` rows."""
    indices = np.asarray(raw(input))
    if indices.dtype.kind not in "iu":
        raise DtypeError(f"embedding: expected integer indices (dtype int64 or int32), got "
                         f"dtype {indices.dtype}; convert them, e.g. idx.astype('int64')")
    if indices.size and (indices.min() < 0 or indices.max() >= num):
        bad = indices[(indices < 0) | (indices >= num)].flat[0]
        raise IndexingError(f"embedding: index {bad} is out of range for a weight with {num} "
                            f"rows (valid: 0 to {num - 1}; PyTorch counts no index from the "
                            "end)")
    return indices


def _padding_row(padding_idx, num):
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise IndexingError(f"embedding: padding_idx={padding_idx} must be within the "
                            f"weight's {num} rows (-{num} to {num - 1})")
    return padding_idx + num if padding_idx < 0 else padding_idx


def _renorm_(weight, input, max_norm, norm_type):
    """PyTorch's max_norm: the rows looked up whose norm exceeds ``max_norm`` are scaled
    in place (not recorded) to norm max_norm. The indices are read in the update, so that
    under vmap a batched input is refused (every sample would rescale the one weight)."""
    def renormed():
        w = np.array(raw(weight))
        rows = np.unique(_indices(input, len(w)))
        norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        w[rows] *= scale[:, None].astype(w.dtype)
        return Tensor(w)

    with no_grad():
        inplace_update(weight, "embedding_renorm_", (), renormed)


@registered("general", namespace="nn.functional")
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` (num_embeddings, embedding_dim) picked by the integer ``input``
    (any shape): the result has shape ``input.shape + (embedding_dim,)``. The gradient adds
    into the rows looked up (repeated indices add up); row ``padding_idx`` gets no gradient.
    ``max_norm``: rows looked up whose ``norm_type``-norm exceeds it are first rescaled in
    place, as PyTorch does.

    >>> w = autograd.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
    >>> F.embedding(autograd.tensor([[1, 2], [2, 2]]), w)[1]
    Tensor([[3., 4.],
            [3., 4.]])
    """
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not "
                                  "supported; the gradient is always a dense (num, dim) array")
    if np.ndim(weight) != 2:
        raise ShapeError(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), "
                         f"got shape {np.shape(weight)}")
    num = np.shape(weight)[0]
    padding_idx = _padding_row(padding_idx, num)
    if max_norm is not None:
        if not isinstance(weight, Tensor):
            raise TypeError("embedding: max_norm rescales the weight in place; pass it as a "
                            "Tensor")
        _renorm_(weight, input, max_norm, norm_type)
    indices = _indices(input, num)
    return _embedding(weight, indices=indices, padding_idx=padding_idx)
