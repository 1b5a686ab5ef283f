"""Per-op overhead of the engine, measured beside the numpy floor and PyTorch eager.

Run with ``make bench`` (or ``python tests/benchmarks/bench_core.py``). Not collected by pytest:
timings are reported, never asserted. Prints, in one run:

* a chain of 2,000 elementwise ops (mul, add, tanh, sin, repeated) on a shape-(8,) float32
  tensor: forward, backward and forward+backward in microseconds per op, for this engine, for
  PyTorch eager (when torch is installed) and for bare numpy's forward (the floor);
* the time to backpropagate through a chain of 1,000,000 ops.

Each figure is the best of several repeats, so it measures the code rather than the machine's
other load.
"""
import argparse
import gc
import time

import numpy as np

import autograd

CHAIN = 2_000
LONG_CHAIN = 1_000_000
REPEATS = 7


def chain(x, n):
    """n elementwise ops; the same sequence for every library (values stay in [-1, 1])."""
    for _ in range(n // 4):
        x = x * 0.9
        x = x + 0.1
        x = x.tanh() if hasattr(x, "tanh") else np.tanh(x)
        x = x.sin() if hasattr(x, "sin") else np.sin(x)
    return x


def best_of(run, repeats=REPEATS):
    """The fastest (forward, backward) seconds over ``repeats`` runs of ``run()``."""
    times = []
    for _ in range(repeats):
        gc.collect()
        times.append(run())
    return min(t[0] for t in times), min(t[1] for t in times)


def forward_backward(x, n):
    """Seconds for the forward chain and for its backward, starting from leaf ``x``."""
    start = time.perf_counter()
    y = chain(x, n).sum()
    mid = time.perf_counter()
    y.backward()
    return mid - start, time.perf_counter() - mid


def time_autograd(n):
    x = autograd.tensor(np.linspace(-1, 1, 8, dtype=np.float32), requires_grad=True)
    return best_of(lambda: forward_backward(x, n))


def time_torch(n):
    import torch

    x = torch.linspace(-1, 1, 8, dtype=torch.float32, requires_grad=True)
    return best_of(lambda: forward_backward(x, n))


def time_numpy_forward(n):
    x = np.linspace(-1, 1, 8, dtype=np.float32)

    def run():
        start = time.perf_counter()
        chain(x, n).sum()
        return time.perf_counter() - start, 0.0

    return best_of(run)


def long_chain_backward(n):
    x = autograd.tensor(np.linspace(-1, 1, 8, dtype=np.float32), requires_grad=True)
    return forward_backward(x, n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=int, default=LONG_CHAIN, help="ops in the long chain")
    args = parser.parse_args()

    rows = [("autograd (this engine)", time_autograd(CHAIN))]
    try:
        import torch

        torch.set_num_threads(1)
        rows.append((f"PyTorch {torch.__version__} eager", time_torch(CHAIN)))
    except ImportError:
        rows.append(("PyTorch eager", None))
    rows.append(("numpy, forward only (floor)", time_numpy_forward(CHAIN)))

    per_op = 1e6 / CHAIN
    print(f"Chain of {CHAIN:,} elementwise ops on a shape-(8,) float32 tensor, "
          f"best of {REPEATS}, microseconds per op:")
    print(f"  {'':30} {'forward':>9} {'backward':>9} {'total':>9} {'x numpy':>8}")
    numpy_forward = rows[-1][1][0]
    for name, t in rows:
        if t is None:
            print(f"  {name:30} {'not installed (pip install torch to compare)':>40}")
            continue
        fwd, bwd = t
        total = fwd + bwd
        print(f"  {name:30} {fwd * per_op:9.2f} {bwd * per_op:9.2f} {total * per_op:9.2f} "
              f"{total / numpy_forward:8.1f}")
    if rows[1][1] is not None:
        ours, theirs = sum(rows[0][1]), sum(rows[1][1])
        print(f"  this engine / PyTorch (forward + backward): {ours / theirs:.2f}")

    fwd, bwd = long_chain_backward(args.long)
    print(f"Chain of {args.long:,} ops: forward {fwd:.1f} s, backward {bwd:.1f} s "
          f"({bwd / args.long * 1e6:.2f} us/op)")


if __name__ == "__main__":
    main()
