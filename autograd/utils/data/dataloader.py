"""`DataLoader`: batches of a dataset, in order or freshly shuffled every epoch, with
PyTorch's samplers (`SequentialSampler`, `RandomSampler`, `SubsetRandomSampler`,
`BatchSampler`). Loading runs in the main process (worker arguments are accepted)."""
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


def _rng(generator):
    """The numpy Generator to draw from: ``generator`` itself if it is one (or has a
    ``permutation`` method), else the library's (seeded by `autograd.manual_seed`)."""
    return autograd.default_generator if generator is None else generator


# ============================================================ samplers (PyTorch's)
class Sampler:
    """Base of the index samplers: iterating yields dataset indices; subclass it and
    define ``__iter__`` (and ``__len__``) to pass your own order as ``DataLoader(sampler=)``.

    >>> class Reversed(Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n - 1, -1, -1))
    >>> list(Reversed(3))
    [2, 1, 0]
    """

    def __iter__(self):
        raise NotImplementedError

    def __len__(self):
        raise TypeError(f"{type(self).__name__} has no length")


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1.

    >>> list(SequentialSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A fresh permutation of the indices every epoch (or ``num_samples`` draws with
    ``replacement=True``), from ``generator`` or the library's generator.

    >>> autograd.manual_seed(0)
    >>> sorted(RandomSampler(range(4)))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source, self.replacement = data_source, replacement
        self._num_samples, self.generator = num_samples, generator
        if num_samples is not None:
            _positive_int("num_samples", num_samples)

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n, rng = len(self.data_source), _rng(self.generator)
        if self.replacement:
            return iter(rng.integers(0, n, self.num_samples).tolist())
        draws = [rng.permutation(n) for _ in range(-(-self.num_samples // max(n, 1)))]
        order = np.concatenate(draws) if draws else np.arange(0)
        return iter(order[:self.num_samples].tolist())

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a fresh random order every epoch.

    >>> sorted(SubsetRandomSampler([4, 7, 9]))
    [4, 7, 9]
    """

    def __init__(self, indices, generator=None):
        self.indices, self.generator = list(indices), generator

    def __iter__(self):
        order = _rng(self.generator).permutation(len(self.indices))
        return (self.indices[i] for i in order)

    def __len__(self):
        return len(self.indices)


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from ``sampler`` (the last one shorter unless
    ``drop_last``).

    >>> list(BatchSampler(SequentialSampler(range(5)), 2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        self.sampler, self.drop_last = sampler, bool(drop_last)
        self.batch_size = _positive_int("batch_size", batch_size)

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n, b = len(self.sampler), self.batch_size
        return n // b if self.drop_last else -(-n // b)


# ============================================================ the loader
def _check_loader_options(batch_size, shuffle, sampler, batch_sampler, drop_last, num_workers,
                          timeout, prefetch_factor, persistent_workers):
    """PyTorch's checks of DataLoader's arguments, with its messages."""
    if isinstance(num_workers, bool) or not isinstance(num_workers, numbers.Integral) \
            or num_workers < 0:
        raise ValueError("DataLoader: num_workers option should be non-negative; use "
                         "num_workers=0 to disable multiprocessing.")
    if timeout < 0:
        raise ValueError("DataLoader: timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("DataLoader: prefetch_factor option could only be specified in "
                         "multiprocessing. let num_workers > 0 to enable multiprocessing, "
                         "otherwise set prefetch_factor to None.")
    if persistent_workers and num_workers == 0:
        raise ValueError("DataLoader: persistent_workers option needs num_workers > 0")
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None
                                      or drop_last):
        raise ValueError("DataLoader: batch_sampler option is mutually exclusive with "
                         "batch_size, shuffle, sampler, and drop_last")
    if batch_size is None and drop_last:
        raise ValueError("DataLoader: batch_size=None option disables auto-batching and is "
                         "mutually exclusive with drop_last")


class DataLoader:
    """Iterate over ``dataset`` in batches along axis 0, as ``torch.utils.data.DataLoader``,
    with its arguments in its order.

    With ``shuffle=True`` every epoch (every ``iter(loader)``) draws a new permutation from
    ``generator`` (a numpy Generator) or the library's generator, so ``autograd.manual_seed``
    makes the order repeatable. ``sampler`` (an iterable of indices, e.g. `RandomSampler`)
    or ``batch_sampler`` (an iterable of index lists) choose the order instead.
    ``drop_last`` drops a final short batch; ``batch_size=None`` yields single items
    unbatched. ``collate_fn`` turns a list of items into a batch (default `default_collate`);
    without one, a dataset that defines ``get_batch(indices)`` (`TensorDataset`, `Subset` of
    it) is fetched in one call per batch.

    Workers: ``num_workers``, ``prefetch_factor``, ``persistent_workers``, ``timeout``,
    ``pin_memory`` and ``multiprocessing_context`` are accepted and checked as PyTorch checks
    them, but every batch is loaded in the main process, in order (there is no GPU to
    overlap with); ``worker_init_fn(0)``, when given with ``num_workers > 0``, is called
    once at the start of each epoch, as a single worker would.

    >>> from autograd.utils.data import TensorDataset
    >>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
    >>> len(loader), [y.numpy().tolist() for x, y in loader]
    (3, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        _check_loader_options(batch_size, shuffle, sampler, batch_sampler, drop_last,
                              num_workers, timeout, prefetch_factor, persistent_workers)
        self.dataset = dataset
        self.batch_size = None if batch_size is None or batch_sampler is not None else \
            _positive_int("batch_size", batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn
        self.num_workers, self.pin_memory, self.timeout = int(num_workers), pin_memory, timeout
        self.worker_init_fn, self.generator = worker_init_fn, generator
        self.prefetch_factor, self.persistent_workers = prefetch_factor, persistent_workers
        self.multiprocessing_context = multiprocessing_context
        self.pin_memory_device, self.in_order = pin_memory_device, in_order
        if sampler is None and batch_sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if self.shuffle else None
        self.sampler = sampler
        if batch_sampler is None and sampler is not None and self.batch_size is not None:
            batch_sampler = BatchSampler(sampler, self.batch_size, self.drop_last)
        self.batch_sampler = batch_sampler

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        b = self.batch_size
        if b is None:
            return n
        return n // b if self.drop_last else -(-n // b)

    def _fetch_items(self, indices):
        return (self.collate_fn or default_collate)([self.dataset[int(i)] for i in indices])

    def _batches(self):
        """The index lists of one epoch."""
        if self.batch_sampler is not None:
            yield from self.batch_sampler
            return
        n, size = len(self.dataset), self.batch_size
        stop = n - n % size if self.drop_last else n
        for start in range(0, stop, size):
            yield np.arange(start, min(start + size, n))

    def __iter__(self):
        if self.worker_init_fn is not None and self.num_workers > 0:
            self.worker_init_fn(0)
        if self.batch_size is None and self.batch_sampler is None:  # no auto-batching
            indices = self.sampler if self.sampler is not None else range(len(self.dataset))
            for i in indices:
                item = self.dataset[int(i)]
                yield self.collate_fn(item) if self.collate_fn else _convert(item)
            return
        fetch = self._fetch_items
        if self.collate_fn is None and hasattr(self.dataset, "get_batch"):
            fetch = self.dataset.get_batch
        for indices in self._batches():
            yield fetch(np.asarray(indices, dtype=np.int64))


def _convert(item):
    """PyTorch's `default_convert`: arrays become Tensors, inside tuples and dicts too."""
    if isinstance(item, np.ndarray):
        return autograd.Tensor(item)
    if isinstance(item, tuple):
        return tuple(_convert(x) for x in item)
    if isinstance(item, list):
        return [_convert(x) for x in item]
    if isinstance(item, dict):
        return {k: _convert(v) for k, v in item.items()}
    return item
