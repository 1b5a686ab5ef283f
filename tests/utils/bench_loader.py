"""How much a DataLoader epoch over the digits costs against slicing the arrays by hand.

Run: python tests/utils/bench_loader.py   (prints microseconds per epoch and the ratio)
"""
import timeit


import autograd
from autograd.utils.data import DataLoader, TensorDataset, load_digits

images, labels = load_digits()
x, y = images.reshape(len(images), -1), labels
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)


def by_hand(batch_size=64):
    order = autograd.default_generator.permutation(len(x))
    for start in range(0, len(x), batch_size):
        idx = order[start:start + batch_size]
        yield autograd.Tensor(x[idx]), autograd.Tensor(y[idx])


def epoch(batches):
    for _ in batches:
        pass


if __name__ == "__main__":
    for name, make in [("by hand", by_hand), ("DataLoader", lambda: loader)]:
        times = timeit.repeat(lambda make=make: epoch(make()), number=50, repeat=7)
        print(f"{name:>10}: {min(times) / 50 * 1e6:7.1f} us per epoch")
    hand = min(timeit.repeat(lambda: epoch(by_hand()), number=50, repeat=15))
    ours = min(timeit.repeat(lambda: epoch(loader), number=50, repeat=15))
    print(f"DataLoader / by hand: {ours / hand:.3f}")
