"""DataLoader's PyTorch arguments: samplers honoured, worker options accepted and checked
with PyTorch's messages, batch_size=None, and the samplers themselves."""
import numpy as np
import pytest

import autograd
from autograd.utils.data import (BatchSampler, DataLoader, RandomSampler, SequentialSampler,
                                 SubsetRandomSampler, TensorDataset)


def dataset(n=10):
    return TensorDataset(np.arange(float(n)), np.arange(n))


def labels(loader):
    return [y.numpy().tolist() for _, y in loader]


def test_torch_positional_order_and_worker_options_are_accepted():
    seeds = []
    loader = DataLoader(dataset(), 4, False, None, None, 2, None, True, True, 0,
                        seeds.append, prefetch_factor=2, persistent_workers=True)
    assert labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]] and len(loader) == 2
    assert seeds == [0]  # worker_init_fn runs once per epoch, as one worker would


def test_sampler_and_batch_sampler_are_honoured():
    order = [9, 0, 5, 1]
    assert labels(DataLoader(dataset(), batch_size=3, sampler=order)) == [[9, 0, 5], [1]]
    batches = [[3, 3], [8]]
    loader = DataLoader(dataset(), batch_sampler=batches)
    assert labels(loader) == batches and len(loader) == 2


def test_shuffle_uses_the_given_generator_repeatably():
    first = labels(DataLoader(dataset(), 5, shuffle=True, generator=np.random.default_rng(3)))
    again = labels(DataLoader(dataset(), 5, shuffle=True, generator=np.random.default_rng(3)))
    assert first == again and sorted(sum(first, [])) == list(range(10))
    assert sum(first, []) != list(range(10))


def test_batch_size_none_yields_single_items():
    items = list(DataLoader(dataset(3), batch_size=None))
    assert len(items) == 3 and items[2][1].item() == 2


@pytest.mark.parametrize("kwargs, message", [
    (dict(num_workers=-1), "num_workers option should be non-negative"),
    (dict(timeout=-1), "timeout option should be non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor option could only be specified in "
                              "multiprocessing"),
    (dict(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
    (dict(sampler=[0], shuffle=True), "sampler option is mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler option is mutually exclusive"),
    (dict(batch_size=None, drop_last=True), "batch_size=None option disables auto-batching"),
])
def test_bad_options_raise_pytorchs_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(dataset(), **kwargs)


def test_samplers():
    autograd.manual_seed(0)
    assert list(SequentialSampler(range(3))) == [0, 1, 2]
    drawn = list(RandomSampler(range(5)))
    assert sorted(drawn) == list(range(5))
    assert len(list(RandomSampler(range(3), num_samples=7))) == 7
    with_replacement = list(RandomSampler(range(3), replacement=True, num_samples=20))
    assert set(with_replacement) <= {0, 1, 2} and len(with_replacement) == 20
    assert sorted(SubsetRandomSampler([2, 5])) == [2, 5]
    assert list(BatchSampler(range(5), 2, drop_last=True)) == [[0, 1], [2, 3]]
    assert len(BatchSampler(range(5), 2, drop_last=False)) == 3
