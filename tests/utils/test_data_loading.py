"""Datasets, random_split and DataLoader: PyTorch's semantics, one fetch per batch, seeded order."""
import doctest

import numpy as np
import pytest

import autograd
from autograd.utils import data
from autograd.utils.data import (DataLoader, Dataset, Subset, TensorDataset, default_collate,
                                 random_split)


class Items(Dataset):
    """A dataset without get_batch: the DataLoader must collate item by item."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.full(2, float(i)), i


def test_tensor_dataset_items_and_shapes():
    x, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    ds = TensorDataset(x, autograd.Tensor(y))
    assert len(ds) == 6
    xi, yi = ds[4]
    assert xi.numpy().tolist() == [8.0, 9.0] and yi.item() == 4
    with pytest.raises(ValueError,
                       match=r"TensorDataset: .*same first dimension.*\(6, 2\), \(5,\)"):
        TensorDataset(x, np.arange(5))


def test_loader_batches_in_order_with_last_short_batch_or_dropped():
    ds = TensorDataset(np.arange(10.0), np.arange(10))
    loader = DataLoader(ds, batch_size=4)
    batches = [y.numpy().tolist() for _, y in loader]
    assert len(loader) == 3 and batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    dropped = DataLoader(ds, batch_size=4, drop_last=True)
    assert len(dropped) == 2 and [len(y.numpy()) for _, y in dropped] == [4, 4]
    assert loader.dataset is ds


def test_loader_yields_tensors_with_the_data_dtypes():
    ds = TensorDataset(np.zeros((5, 3), np.float32), np.arange(5))
    x, y = next(iter(DataLoader(ds, batch_size=2)))
    assert isinstance(x, autograd.Tensor) and x.shape == (2, 3) and x.dtype == np.float32
    assert y.dtype == np.int64


def test_shuffle_is_a_new_permutation_each_epoch_and_repeatable_under_manual_seed():
    ds = TensorDataset(np.arange(50))
    loader = DataLoader(ds, batch_size=7, shuffle=True)

    def epoch():
        return np.concatenate([b.numpy() for (b,) in loader])

    autograd.manual_seed(3)
    first, second = epoch(), epoch()
    assert sorted(first) == list(range(50)) and not np.array_equal(first, second)
    autograd.manual_seed(3)
    assert np.array_equal(epoch(), first) and np.array_equal(epoch(), second)


def test_tensor_dataset_batch_is_one_fetch_per_batch_not_per_item(monkeypatch):
    ds = TensorDataset(np.arange(10.0))
    monkeypatch.setattr(TensorDataset, "__getitem__", lambda *a: pytest.fail("per-item fetch"))
    assert [b.numpy().tolist() for (b,) in DataLoader(Subset(ds, [9, 8, 7]), batch_size=2)] \
        == [[9.0, 8.0], [7.0]]


def test_item_datasets_and_custom_collate_fn():
    loader = DataLoader(Items(5), batch_size=2)
    x, y = list(loader)[-1]
    assert x.numpy().tolist() == [[4.0, 4.0]] and y.numpy().tolist() == [4] and y.dtype == np.int64
    sub = Subset(Items(5), [3, 1])
    x, y = next(iter(DataLoader(sub, batch_size=2)))
    assert y.numpy().tolist() == [3, 1]
    seen = next(iter(DataLoader(Items(5), batch_size=3, collate_fn=lambda items: items)))
    assert [i for _, i in seen] == [0, 1, 2]
    with pytest.raises(TypeError, match="default_collate: cannot batch items of type str"):
        default_collate(["a", "b"])


def test_gradients_flow_through_batches_of_a_tensor_that_requires_grad():
    w = autograd.Tensor(np.arange(4.0), requires_grad=True)
    (b,) = next(iter(DataLoader(TensorDataset(w), batch_size=2, shuffle=False)))
    (b * b).sum().backward()
    assert w.grad.numpy().tolist() == [0.0, 2.0, 0.0, 0.0]


def test_bad_batch_size_names_the_argument():
    with pytest.raises(ValueError,
                       match=r"DataLoader: batch_size must be a positive integer, got 0"):
        DataLoader(Items(3), batch_size=0)


def test_random_split_counts_and_fractions_partition_the_dataset():
    ds = TensorDataset(np.arange(10))
    parts = random_split(ds, [3, 7])
    assert [len(p) for p in parts] == [3, 7]
    together = np.concatenate([p.indices for p in parts])
    assert sorted(together) == list(range(10))
    # Fractions: floors (3, 3, 3) and the remainder from the first split on, as in PyTorch.
    assert [len(p) for p in random_split(ds, [0.34, 0.33, 0.33])] == [4, 3, 3]
    assert parts[0][0][0].item() == parts[0].indices[0]


def test_random_split_is_repeatable_under_manual_seed_or_an_explicit_generator():
    ds = TensorDataset(np.arange(20))
    autograd.manual_seed(1)
    a = random_split(ds, [0.5, 0.5])[0].indices
    autograd.manual_seed(1)
    assert np.array_equal(random_split(ds, [10, 10])[0].indices, a)
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    assert np.array_equal(random_split(ds, [4, 16], generator=g1)[1].indices,
                          random_split(ds, [4, 16], generator=g2)[1].indices)


@pytest.mark.parametrize("lengths, message", [
    ([3, 5], r"random_split: lengths \[3, 5\] sum to 8 but the dataset has 10 items"),
    ([0.5, 0.6], r"random_split: fractional lengths \[0.5, 0.6\] sum to 1.1, not 1"),
    ([-1, 11], r"random_split: lengths must be non-negative counts or fractions, got \[-1, 11\]"),
])
def test_random_split_lengths_that_do_not_add_up_are_refused(lengths, message):
    with pytest.raises(ValueError, match=message):
        random_split(TensorDataset(np.arange(10)), lengths)


def test_docstring_examples_run():
    import autograd.utils.data.dataloader as loader_module
    import autograd.utils.data.dataset as dataset_module
    import autograd.utils.data.digits as digits_module
    for module in (dataset_module, loader_module, digits_module):
        failed, tried = doctest.testmod(module, extraglobs={"np": np, "autograd": autograd,
                                                            **vars(data)})[:2]
        assert tried > 0 and failed == 0, module.__name__


def test_every_public_name_has_an_example():
    for name in data.__all__:
        assert ">>>" in (getattr(data, name).__doc__ or ""), name
