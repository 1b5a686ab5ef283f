"""Training-step speed of the sequence models beside PyTorch's, one thread, same run:
a 2-layer LSTM (hidden 256, 32 steps, batch 32) and a TransformerEncoderLayer (d_model 128,
4 heads, feed-forward 512, 64 tokens, batch 32, dropout 0.1 in training mode), float32,
SGD step included; the fastest of 9 interleaved timings of each.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python tests/benchmarks/bench_seq.py
"""
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402


def interleaved(steps, repeat=9, warmup=2):
    """The fastest of ``repeat`` timings of each step function, taken in turns (one of
    each per round), so that a burst of load on a shared machine hits all of them alike."""
    for step in steps:
        for _ in range(warmup):
            step()
    times = [[] for _ in steps]
    for _ in range(repeat):
        for step, record in zip(steps, times):
            start = time.perf_counter()
            step()
            record.append(time.perf_counter() - start)
    return [min(t) * 1e3 for t in times]


def ours_step(lib, model, x, opt, lstm):
    def step():
        opt.zero_grad()
        out = model(x)[0] if lstm else model(x)
        (out * out).mean().backward()
        opt.step()
    return step


def main(only=None):
    rng = np.random.default_rng(0)
    cases = {
        "LSTM 2x256, 32 steps, batch 32": (
            lambda lib: lib.nn.LSTM(256, 256, 2), rng.standard_normal((32, 32, 256)), True),
        "TransformerEncoderLayer 128/4/512, 64 tokens, batch 32": (
            lambda lib: lib.nn.TransformerEncoderLayer(128, 4, 512, batch_first=True),
            rng.standard_normal((32, 64, 128)), False),
    }
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None

    class Ours:
        nn = nn
    for name, (make, data, lstm) in cases.items():
        if only and only not in name:
            continue
        model = make(Ours)
        x = autograd.tensor(data.astype(np.float32))
        steps = [ours_step(Ours, model, x, optim.SGD(model.parameters(), lr=0.01), lstm)]
        if torch is not None:
            tm = make(torch)
            tx = torch.tensor(data, dtype=torch.float32)
            steps.append(ours_step(torch, tm, tx, torch.optim.SGD(tm.parameters(), lr=0.01),
                                   lstm))
        ms = interleaved(steps)
        line = f"{name}: ours {ms[0]:.1f} ms"
        if torch is not None:
            line += f", torch {ms[1]:.1f} ms, ratio {ms[0] / ms[1]:.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    import sys
    main(sys.argv[1] if len(sys.argv) > 1 else None)
