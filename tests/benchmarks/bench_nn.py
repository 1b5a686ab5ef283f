"""Time of one training step of small networks: this library beside the numpy floor and PyTorch.

Run with ``python tests/benchmarks/bench_nn.py`` (``--profile`` adds a cProfile of this
library's steps). Not collected by pytest: timings are reported, never asserted. One training
step is zero_grad + forward + cross-entropy loss + backward + SGD(momentum=0.9) step, float32,
for three networks:

* MLP 784 -> 256 -> ReLU -> 10, batch 64;
* CNN Conv2d(1, 8, 3, padding=1) -> ReLU -> MaxPool2d(2) -> Conv2d(8, 16, 3, padding=1) ->
  ReLU -> MaxPool2d(2) -> Flatten -> Linear(16*7*7, 10), batch 32 of 1x28x28;
* the same MLP at batch 1 (the per-step overhead regime);

and three implementations:

* this library (``nn`` + ``optim`` + ``autograd``);
* the numpy floor: a hand-written numpy forward, backward and in-place momentum update of the
  same network (im2col for the convolutions). At start-up the script checks, on the same
  weights and batch, that its gradients and the parameters after two steps agree with this
  library's (and PyTorch's) to about 1e-4, so the floor computes the same thing;
* PyTorch eager (when installed), with ``torch.set_num_threads(1)``.

What the script controls, for all three alike:

* threads: it sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS,
  VECLIB_MAXIMUM_THREADS and NUMEXPR_NUM_THREADS to 1 before numpy is imported, and PyTorch
  gets ``torch.set_num_threads(1)``, so the comparison is core for core;
* the allocator: on glibc it fixes malloc's mmap threshold (32 MiB) and trim threshold
  (256 MiB) with ``mallopt``. Otherwise each step's arrays of a few hundred KiB (a 784x256
  gradient is 800 KiB) may be mapped fresh from the OS and page-faulted in, or not, depending
  on what the process allocated before (merely importing torch changes it), and the same
  numpy step measured 0.75 or 1.5 ms. ``--default-malloc`` skips this.

Each figure is the best, over several repeats, of the mean time per step of a block of steps,
after warm-up, so it measures the code rather than the machine's other load.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy (and torch) load their BLAS

import argparse  # noqa: E402
import ctypes  # noqa: E402
import ctypes.util  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402

LR, MOMENTUM = 0.01, 0.9
REPEATS = 7
# (name, network, batch, steps per timed block): each block takes about 0.1-0.5 s
CASES = [("MLP 784-256-10, batch 64", "mlp", 64, 40),
         ("CNN 2 conv + linear, batch 32", "cnn", 32, 10),
         ("MLP 784-256-10, batch 1", "mlp", 1, 200)]


# ============================================================ both libraries
def architecture(layers, kind):
    """The benchmark's network built from ``layers``: this library's `nn` or `torch.nn`,
    which share the names, so both libraries run the very same architecture."""
    if kind == "mlp":
        return layers.Sequential(layers.Linear(784, 256), layers.ReLU(), layers.Linear(256, 10))
    return layers.Sequential(layers.Conv2d(1, 8, 3, padding=1), layers.ReLU(),
                             layers.MaxPool2d(2), layers.Conv2d(8, 16, 3, padding=1),
                             layers.ReLU(), layers.MaxPool2d(2), layers.Flatten(),
                             layers.Linear(16 * 7 * 7, 10))


def training_step(model, opt, loss_fn, x, y):
    """One step (zero_grad, forward, loss, backward, update) as a closure; the same code
    drives both libraries."""
    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


# ============================================================ this library
def library_model(kind):
    autograd.manual_seed(0)
    return architecture(nn, kind)


def library_trainer(model, x, y):
    opt = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    return training_step(model, opt, nn.CrossEntropyLoss(), autograd.tensor(x), y)


# ============================================================ the numpy floor
def _softmax_xent(z, y):
    """Mean cross-entropy of logits z (N, K) and its gradient dL/dz."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = (np.log(s[:, 0]) - z[np.arange(n), y]).mean()
    dz = e / s
    dz[np.arange(n), y] -= 1
    dz /= n
    return loss, dz


def mlp_grads(p, x, y):
    w1, b1, w2, b2 = p
    h = x @ w1.T + b1
    a = np.maximum(h, 0)
    loss, dz = _softmax_xent(a @ w2.T + b2, y)
    da = dz @ w2
    da *= h > 0
    return loss, [da.T @ x, da.sum(0), dz.T @ a, dz.sum(0)]


def _conv_cnhw(x, w, b):
    """3x3 convolution, padding 1, of x in (C, N, H, W) layout: output (O, N, H, W), cols."""
    c, n, hh, ww = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = sliding_window_view(xp, (3, 3), axis=(2, 3)).transpose(0, 4, 5, 1, 2, 3) \
        .reshape(c * 9, n * hh * ww)
    out = w.reshape(len(w), -1) @ cols + b[:, None]
    return out.reshape(len(w), n, hh, ww), cols


def _conv_cnhw_back(dout, w, cols, x_shape=None):
    """Gradients of weight and bias, and of the input (when x_shape is given)."""
    o = len(w)
    d = dout.reshape(o, -1)
    dw, db = (d @ cols.T).reshape(w.shape), d.sum(1)
    if x_shape is None:
        return dw, db, None
    c, n, hh, ww = x_shape
    dcols = (w.reshape(o, -1).T @ d).reshape(c, 3, 3, n, hh, ww)
    dxp = np.zeros((c, n, hh + 2, ww + 2), dtype=d.dtype)
    for i in range(3):
        for j in range(3):
            dxp[:, :, i:i + hh, j:j + ww] += dcols[:, i, j]
    return dw, db, dxp[:, :, 1:-1, 1:-1]


def _relu_pool(h):
    """ReLU then 2x2 max pool of h (C, N, H, W); returns the pooled map and its backward.
    (Four strided slices: numpy's max over axes (3, 5) of a 6-d reshape is several times
    slower.) Ties only occur at 0 in practice, where ReLU's mask stops the gradient."""
    r = np.maximum(h, 0)
    corners = [(i, j) for i in range(2) for j in range(2)]
    pooled = np.maximum(np.maximum(r[:, :, 0::2, 0::2], r[:, :, 0::2, 1::2]),
                        np.maximum(r[:, :, 1::2, 0::2], r[:, :, 1::2, 1::2]))

    def back(dp):
        dh = np.empty_like(h)
        for i, j in corners:
            kept = (r[:, :, i::2, j::2] == pooled) & (h[:, :, i::2, j::2] > 0)
            dh[:, :, i::2, j::2] = dp * kept
        return dh

    return pooled, back


def cnn_grads(p, x, y):
    w1, b1, w2, b2, w3, b3 = p
    n = len(x)
    h1, cols1 = _conv_cnhw(x.transpose(1, 0, 2, 3), w1, b1)      # (8, N, 28, 28)
    p1, back1 = _relu_pool(h1)                                    # (8, N, 14, 14)
    h2, cols2 = _conv_cnhw(p1, w2, b2)                            # (16, N, 14, 14)
    p2, back2 = _relu_pool(h2)                                    # (16, N, 7, 7)
    f = p2.transpose(1, 0, 2, 3).reshape(n, -1)
    loss, dz = _softmax_xent(f @ w3.T + b3, y)
    df = (dz @ w3).reshape(n, 16, 7, 7).transpose(1, 0, 2, 3)
    dw2, db2, dp1 = _conv_cnhw_back(back2(df), w2, cols2, p1.shape)
    dw1, db1, _ = _conv_cnhw_back(back1(dp1), w1, cols1)
    return loss, [dw1, db1, dw2, db2, dz.T @ f, dz.sum(0)]


def numpy_trainer(params, x, y, kind):
    grads_fn = mlp_grads if kind == "mlp" else cnn_grads
    bufs = [np.zeros_like(p) for p in params]

    def step():
        loss, grads = grads_fn(params, x, y)
        for p, b, g in zip(params, bufs, grads):
            b *= MOMENTUM  # b = mu b + g; b starts at 0, so the first step gives b = g
            b += g
            p -= LR * b
        return loss

    return step


# ============================================================ PyTorch eager
def torch_trainer(kind, params, x, y):
    import torch

    model = architecture(torch.nn, kind)
    with torch.no_grad():
        for tp, p in zip(model.parameters(), params):
            tp.copy_(torch.from_numpy(p))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    step = training_step(model, opt, torch.nn.CrossEntropyLoss(), torch.from_numpy(x),
                         torch.from_numpy(y))
    return step, model


# ============================================================ set-up, check, timing
def make_case(kind, batch):
    rng = np.random.default_rng(0)
    shape = (batch, 784) if kind == "mlp" else (batch, 1, 28, 28)
    x = rng.standard_normal(shape).astype(np.float32)
    y = rng.integers(0, 10, batch).astype(np.int64)
    return x, y


def _close(a, b, tol=1e-4):
    """max |a - b| <= tol * max |b|."""
    return float(np.max(np.abs(a - b))) <= tol * max(float(np.max(np.abs(b))), 1e-30)


def check(kind, batch, torch_ok):
    """The floor's (and PyTorch's) gradients and two-step parameters equal this library's."""
    x, y = make_case(kind, batch)
    model = library_model(kind)
    params = [p.data.copy() for p in model.parameters()]
    nn.CrossEntropyLoss()(model(autograd.tensor(x)), y).backward()
    ours = [p.grad.data for p in model.parameters()]
    _, floor = (mlp_grads if kind == "mlp" else cnn_grads)(params, x, y)
    problems = [f"numpy floor grad {i} (shape {g.shape})"
                for i, (g, o) in enumerate(zip(floor, ours)) if not _close(g, o)]
    lib_step, np_step = library_trainer(model, x, y), numpy_trainer(params, x, y, kind)
    for _ in range(2):
        lib_step(), np_step()
    problems += [f"numpy floor param {i} after 2 steps" for i, (p, o) in
                 enumerate(zip(params, model.parameters())) if not _close(p, o.data)]
    if torch_ok:
        start = [p.copy() for p in make_params(kind)]
        t_step, t_model = torch_trainer(kind, start, x, y)
        for _ in range(2):
            t_step()
        problems += [f"PyTorch param {i} after 2 steps" for i, (t, o) in
                     enumerate(zip(t_model.parameters(), model.parameters()))
                     if not _close(t.detach().numpy(), o.data)]
    return problems


def make_params(kind):
    """The initial parameters of the library's model (all three implementations start there)."""
    return [p.data.copy() for p in library_model(kind).parameters()]


def best_ms(step, steps, repeats=REPEATS, warmup=3):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return min(times) * 1e3


def profile(kind, batch, steps):
    import cProfile
    import pstats

    x, y = make_case(kind, batch)
    step = library_trainer(library_model(kind), x, y)
    step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    print(f"\ncProfile of {steps} library steps, {kind} batch {batch} (top 25 by tottime):")
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def pin_malloc():
    """Fix glibc malloc's mmap and trim thresholds (see the module docstring); whether it did."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 32 << 20) and
                    libc.mallopt(m_trim_threshold, 256 << 20))
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile this library's MLP and CNN steps")
    parser.add_argument("--default-malloc", action="store_true",
                        help="leave glibc malloc's mmap/trim thresholds as they are")
    args = parser.parse_args()
    pinned = False if args.default_malloc else pin_malloc()

    try:
        import torch

        torch.set_num_threads(1)
        torch_name = f"PyTorch {torch.__version__}"
    except ImportError:
        torch = None

    for _, kind, batch, _ in CASES:
        problems = check(kind, batch, torch is not None)
        if problems:
            raise SystemExit(f"bench_nn: the implementations disagree ({kind}, batch {batch}): "
                             + "; ".join(problems))

    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"One training step (zero_grad + forward + cross-entropy + backward + SGD momentum "
          f"{MOMENTUM}), float32, best of {REPEATS} blocks, ms per step.")
    print(f"Threads: OMP/OPENBLAS/MKL_NUM_THREADS={threads} (set by this script)"
          + (", torch.set_num_threads(1)" if torch else "") + f"; numpy {np.__version__}; "
          + "malloc mmap/trim thresholds "
          + ("fixed at 32/256 MiB." if pinned else "left as they are."))
    print(f"Checked at start-up against this library: the numpy floor's gradients, and the "
          f"parameters after 2 steps of the floor{' and of PyTorch' if torch else ''}, "
          "agree to 1e-4 (relative to each array's largest entry).")
    for title, kind, batch, steps in CASES:
        x, y = make_case(kind, batch)
        rows = [("backproplab (nn + optim)",
                 best_ms(library_trainer(library_model(kind), x, y), steps)),
                ("numpy by hand (floor)", best_ms(numpy_trainer(make_params(kind), x, y, kind),
                                                  steps))]
        if torch is not None:
            rows.append((f"{torch_name} eager",
                         best_ms(torch_trainer(kind, make_params(kind), x, y)[0], steps)))
        else:
            rows.append(("PyTorch eager", None))
        floor = rows[1][1]
        torch_ms = rows[2][1]
        print(f"\n{title}")
        print(f"  {'':28} {'ms/step':>9} {'x numpy floor':>14} {'x PyTorch':>10}")
        for name, ms in rows:
            if ms is None:
                print(f"  {name:28} {'not installed (pip install torch to compare)':>45}")
                continue
            vs_torch = f"{ms / torch_ms:10.2f}" if torch_ms else f"{'-':>10}"
            print(f"  {name:28} {ms:9.3f} {ms / floor:14.2f} {vs_torch}")

    if args.profile:
        profile("mlp", 64, 100)
        profile("cnn", 32, 20)


if __name__ == "__main__":
    main()
