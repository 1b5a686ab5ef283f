"""`DataLoader`: batches of a dataset, in order or freshly shuffled every epoch."""
import numbers

import numpy as np

import autograd


def default_collate(batch):
    """Stack a list of items along a new axis 0: tuples field by field, dicts key by key.

    Tensors, arrays and numbers become one Tensor (Python ints int64, floats float64,
    as numpy stacks them).

    >>> xs, ys = default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    >>> xs.shape, ys.numpy().tolist()
    ((2, 3), [1, 0])
    """
    first = batch[0]
    if isinstance(first, tuple) or isinstance(first, list):
        return tuple(default_collate(list(field)) for field in zip(*batch))
    if isinstance(first, dict):
        return {key: default_collate([item[key] for item in batch]) for key in first}
    if isinstance(first, autograd.Tensor):
        if any(t.requires_grad for t in batch):
            return autograd.stack(batch)  # keeps the graph
        return autograd.Tensor(np.stack([t.numpy() for t in batch]))
    if isinstance(first, (np.ndarray, np.generic, numbers.Number)):
        return autograd.Tensor(np.stack([np.asarray(x) for x in batch]))
    raise TypeError(f"default_collate: cannot batch items of type {type(first).__name__}; "
                    f"return Tensors, arrays, numbers, or tuples/dicts of them from the "
                    f"dataset, or pass DataLoader(collate_fn=...)")


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"DataLoader: {name} must be a positive integer, got {value!r}")
    return int(value)


class DataLoader:
    """Iterate over ``dataset`` in batches along axis 0, as ``torch.utils.data.DataLoader``.

    With ``shuffle=True`` every epoch (every ``iter(loader)``) draws a new permutation from
    the library's generator, so ``autograd.manual_seed`` makes the order repeatable.
    ``drop_last`` drops a final short batch. ``collate_fn`` turns a list of items into a
    batch (default `default_collate`); without one, a dataset that defines
    ``get_batch(indices)`` (`TensorDataset`, `Subset` of it) is fetched in one call per batch.

    >>> from autograd.utils.data import TensorDataset
    >>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
    >>> len(loader), [y.numpy().tolist() for x, y in loader]
    (3, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None):
        self.dataset = dataset
        self.batch_size = _positive_int("batch_size", batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn

    def __len__(self):
        n, b = len(self.dataset), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def _fetch_items(self, indices):
        return (self.collate_fn or default_collate)([self.dataset[int(i)] for i in indices])

    def __iter__(self):
        n, size = len(self.dataset), self.batch_size
        fetch = self._fetch_items
        if self.collate_fn is None and hasattr(self.dataset, "get_batch"):
            fetch = self.dataset.get_batch
        order = autograd.random.generator().permutation(n) if self.shuffle else np.arange(n)
        stop = n - n % size if self.drop_last else n
        for start in range(0, stop, size):
            yield fetch(order[start:start + size])
