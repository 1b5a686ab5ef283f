"""Datasets with PyTorch's names: `Dataset`, `TensorDataset`, `Subset`, `random_split`.

A dataset may also define ``get_batch(indices)`` returning the collated batch of those items
(what `default_collate` would make of them); `DataLoader` then makes one call per batch instead
of one per item. (PyTorch's ``__getitems__`` returns a list of items to collate, a different
contract, so we do not reuse its name.)
"""
import math
import numbers

import numpy as np

import autograd

from .dataloader import default_collate


class Dataset:
    """A map-style dataset: subclasses define ``__getitem__(index)`` and ``__len__()``.

    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return float(i), float(i * i)
    >>> Squares()[3]
    (3.0, 9.0)
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index)")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__()")


def _as_tensor(x):
    return x if isinstance(x, autograd.Tensor) else autograd.Tensor(np.asarray(x))


class TensorDataset(Dataset):
    """Samples are rows of the given tensors (or arrays), which share their first dimension.

    >>> ds = TensorDataset(np.zeros((5, 3)), np.arange(5))
    >>> len(ds), [t.shape for t in ds[2]]
    (5, [(3,), ()])
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: pass at least one tensor or array")
        self.tensors = tuple(_as_tensor(t) for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in self.tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = [t.shape for t in self.tensors]
            raise ValueError(f"TensorDataset: all tensors must have the same first dimension "
                             f"(the number of samples), got shapes {shapes}")

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def get_batch(self, indices):
        """The items at ``indices`` collated: one fancy-indexing call per tensor."""
        # A plain array index (no graph node) unless gradients must flow to the data.
        return tuple([t[indices] if t.requires_grad else autograd.Tensor(t.numpy()[indices])
                      for t in self.tensors])

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The items of ``dataset`` at ``indices``, in that order.

    >>> ds = Subset(TensorDataset(np.arange(10.0)), [7, 2])
    >>> len(ds), ds[0][0].item()
    (2, 7.0)
    """

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.intp)

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return [self.dataset[i] for i in self.indices[index]]
        return self.dataset[self.indices[index]]

    def get_batch(self, indices):
        """The items at ``indices`` collated, in one call when the wrapped dataset batches."""
        indices = self.indices[np.asarray(indices, dtype=np.intp)]
        if hasattr(self.dataset, "get_batch"):
            return self.dataset.get_batch(indices)
        return default_collate([self.dataset[i] for i in indices])

    def __len__(self):
        return len(self.indices)


def _split_counts(lengths, n):
    """Counts from ``lengths`` (counts summing to n, or fractions summing to 1)."""
    lengths = list(lengths)
    if not lengths or not all(isinstance(x, numbers.Real) and x >= 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative counts or fractions, "
                         f"got {lengths}")
    if all(isinstance(x, numbers.Integral) for x in lengths):
        if sum(lengths) != n:
            raise ValueError(f"random_split: lengths {lengths} sum to {sum(lengths)} but the "
                             f"dataset has {n} items; pass counts that sum to {n} or fractions "
                             f"that sum to 1")
        return [int(x) for x in lengths]
    if not math.isclose(sum(lengths), 1.0, abs_tol=1e-9) or any(x > 1 for x in lengths):
        raise ValueError(f"random_split: fractional lengths {lengths} sum to {sum(lengths)}, "
                         f"not 1; pass fractions that sum to 1 or counts that sum to {n}")
    counts = [math.floor(n * x) for x in lengths]
    for i in range(n - sum(counts)):  # PyTorch's rule: the remainder goes round-robin
        counts[i % len(counts)] += 1
    return counts


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping random `Subset` s of the given ``lengths``.

    ``lengths`` are counts summing to ``len(dataset)`` or fractions summing to 1 (floors,
    with the remainder handed out one by one from the first split, as in PyTorch). The
    permutation comes from ``generator`` (a ``numpy.random.Generator``), by default the
    library's, so ``autograd.manual_seed`` makes the split repeatable.

    >>> autograd.manual_seed(0)
    >>> train, val = random_split(TensorDataset(np.arange(10.0)), [0.8, 0.2])
    >>> len(train), len(val)
    (8, 2)
    """
    n = len(dataset)
    counts = _split_counts(lengths, n)
    rng = generator if generator is not None else autograd.default_generator
    perm = rng.permutation(n)
    bounds = np.cumsum([0] + counts)
    return [Subset(dataset, perm[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
