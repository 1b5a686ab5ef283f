"""The speed and memory benchmark: one table, this library beside the numpy floor and PyTorch.

Run with ``make bench`` (or ``python tests/benchmarks/bench.py``; ``--help`` for options).
Not collected by pytest: figures are reported, never asserted. Each row is one workload run by
three implementations:

* numpy by hand (floors.py): forward, backward and update written out in numpy, the floor a
  numpy-based engine can at best approach. At start-up the script checks that each floor (and
  PyTorch) computes what this library computes (gradients, and parameters after two steps, to
  1e-4 of each array's largest entry), so the rows compare like with like;
* PyTorch eager, when installed (columns left blank otherwise);
* this library (``autograd`` + ``nn`` + ``optim``).

Rows (float32 throughout):

* per-op chain: 2,000 elementwise ops (mul, add, tanh, sin, repeated) on a shape-(8,) tensor,
  forward + backward, microseconds per op; and the same chain of 10^6 ops (its time per op
  should stay that of the short chain: nothing in the engine may grow with the graph);
* MLP 784-1024-1024-10 (ReLU), cross-entropy, one SGD step (zero_grad, forward, loss,
  backward, update), batch 256 and batch 1;
* CNN: 2 x [conv 3x3 (no bias) - BatchNorm2d - ReLU - MaxPool2d(2)] + Linear, 3x32x32
  inputs, batch 32, one SGD step with momentum 0.9; at one thread and at two;
* Conv2d alone: input (32, 16, 32, 32), 32 filters 3x3, padding 1, forward + backward; at one
  thread and at two;
* sequence models (no numpy floor): a 2-layer LSTM (hidden 256, 32 steps, batch 32) and a
  TransformerEncoderLayer (d_model 128, 4 heads, feed-forward 512, 64 tokens, batch 32,
  dropout 0.1 in training mode), one SGD step on the mean square of the output; PyTorch
  starts from this library's weights (``load_state_dict``: the parameter names are PyTorch's);
* peak memory: the (1000, 1000) chain of 200 ops, forward + backward, and the MLP b256 step.

How it measures:

* threads: OMP/OPENBLAS/MKL/VECLIB/NUMEXPR_NUM_THREADS are set before numpy is imported
  (this library's own pool, ``autograd.get_num_threads``, defaults to OMP_NUM_THREADS), and
  PyTorch gets ``torch.set_num_threads``; one thread unless a row says otherwise (that row
  runs in a subprocess started with its own setting; ``--threads 2 --rows cnn conv`` runs
  the two-thread path alone);
* time: the libraries' timed blocks are interleaved (numpy, torch, ours, numpy, ...) after a
  warm-up, and each cell is the median over the repeats, so drifts of the machine's speed hit
  all three alike;
* the allocator (glibc): timing runs fix malloc's mmap threshold (32 MiB) and trim threshold
  (256 MiB) with ``mallopt``; otherwise arrays of a few hundred KiB are mapped fresh from the
  OS and page-faulted in, or not, depending on what the process allocated before, and the same
  step's time varies 2x (``--default-malloc`` skips this);
* memory: each (workload, library) runs in its own subprocess, with malloc's mmap threshold
  fixed low so every array is its own mapping and RSS follows live data; after a throwaway
  run (one-time set-up), the kernel's peak-RSS mark is reset (``/proc/self/clear_refs``) and
  the cell is the peak RSS during the first step of a fresh instance minus the RSS before
  it: gradients and optimizer state count, whether a library frees them after the step or
  keeps them for the next (Linux only; the cells stay empty elsewhere).

``--profile NAME`` prints a cProfile of this library on one workload instead of the table.
"""
import os
import sys

# measure the checkout this script lives in, not the one an editable install points at
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _threads_from_argv(default=1):
    """--threads N, read before numpy is imported (BLAS reads its thread count at load)."""
    if "--threads" in sys.argv:
        return int(sys.argv[sys.argv.index("--threads") + 1])
    return default


THREADS = _threads_from_argv()
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import argparse  # noqa: E402
import ctypes  # noqa: E402
import ctypes.util  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import floors  # noqa: E402  (this script's folder is on sys.path)

LIBS = ("numpy", "torch", "ours")
LR, MOMENTUM = 0.01, 0.9


# ============================================================ the workloads
class Workload:
    """One row: ``build(lib)`` returns a zero-argument step for library ``lib``; a cell is
    seconds per step times ``scale``, in ``unit``; ``steps`` per timed block, after one
    warm-up step unless ``warmup`` is False."""

    def __init__(self, title, unit, scale, steps, build, repeats=7, threads=None, warmup=True):
        self.title, self.unit, self.scale, self.steps = title, unit, scale, steps
        self.build, self.repeats, self.threads, self.warmup = build, repeats, threads, warmup


def _torch():
    import torch

    torch.set_num_threads(THREADS)
    return torch


def _leaf(lib, array, requires_grad=True):
    if lib == "torch":
        return _torch().tensor(array, requires_grad=requires_grad)
    import autograd

    return autograd.tensor(array, requires_grad=requires_grad)


def chain_step(n):
    """Forward + backward of the n-op chain on shape (8,)."""
    def build(lib):
        x0 = np.linspace(-1, 1, 8, dtype=np.float32)
        if lib == "numpy":
            return lambda: floors.chain_grad(x0, n)
        x = _leaf(lib, x0)

        def step():
            x.grad = None
            floors.chain(x, n).sum().backward()
            return x.grad

        return step

    return build


def architecture(layers, kind):
    """The network built from ``layers``: this library's `nn` or `torch.nn`, which share the
    names, so both libraries run the very same architecture."""
    if kind == "mlp":
        return layers.Sequential(layers.Linear(784, 1024), layers.ReLU(),
                                 layers.Linear(1024, 1024), layers.ReLU(),
                                 layers.Linear(1024, 10))
    return layers.Sequential(
        layers.Conv2d(3, 16, 3, padding=1, bias=False), layers.BatchNorm2d(16), layers.ReLU(),
        layers.MaxPool2d(2),
        layers.Conv2d(16, 32, 3, padding=1, bias=False), layers.BatchNorm2d(32), layers.ReLU(),
        layers.MaxPool2d(2), layers.Flatten(), layers.Linear(32 * 8 * 8, 10))


MOMENTUMS = {"mlp": 0.0, "cnn": MOMENTUM}


def make_batch(kind, batch):
    rng = np.random.default_rng(0)
    shape = (batch, 784) if kind == "mlp" else (batch, 3, 32, 32)
    return rng.standard_normal(shape).astype(np.float32), rng.integers(0, 10, batch)


def initial_params(kind):
    """This library's initial parameters (every implementation starts from them)."""
    return [p.numpy().copy() for p in library_model(kind).parameters()]


def library_model(kind):
    import autograd
    import nn

    autograd.manual_seed(0)
    return architecture(nn, kind)


def training_step(model, opt, loss_fn, x, y):
    """zero_grad, forward, loss, backward, update: the same code drives both libraries."""
    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def trainer(lib, kind, batch):
    """One training step of network ``kind`` for ``lib``, and the parameters it updates."""
    x, y = make_batch(kind, batch)
    momentum = MOMENTUMS[kind]
    if lib == "numpy":
        params = initial_params(kind)
        buffers = [np.zeros_like(p) for p in params]
        running = [[np.zeros(c, np.float32), np.ones(c, np.float32)] for c in (16, 32)]

        def step():
            loss, grads = (floors.mlp_grads(params, x, y) if kind == "mlp"
                           else floors.cnn_grads(params, x, y, running))
            floors.sgd(params, grads, buffers, LR, momentum)
            return loss

        return step, params
    if lib == "torch":
        torch = _torch()
        model = architecture(torch.nn, kind)
        with torch.no_grad():
            for tp, p in zip(model.parameters(), initial_params(kind)):
                tp.copy_(torch.from_numpy(p))
        opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=momentum)
        step = training_step(model, opt, torch.nn.CrossEntropyLoss(), torch.from_numpy(x),
                             torch.from_numpy(y))
        return step, [p.detach().numpy() for p in model.parameters()]
    import autograd
    import nn
    import optim

    model = library_model(kind)
    opt = optim.SGD(model.parameters(), lr=LR, momentum=momentum)
    step = training_step(model, opt, nn.CrossEntropyLoss(), autograd.tensor(x), y)
    return step, model.parameters()


def training(kind, batch):
    return lambda lib: trainer(lib, kind, batch)[0]


def conv_case():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 16, 32, 32)).astype(np.float32)
    w = (rng.standard_normal((32, 16, 3, 3)) / 12).astype(np.float32)
    b = rng.standard_normal(32).astype(np.float32)
    g = rng.standard_normal((32, 32, 32, 32)).astype(np.float32)
    return x, w, b, g


def conv_step(lib):
    """Forward + backward (input, weight, bias) of one 3x3 convolution, padding 1."""
    x, w, b, g = conv_case()
    if lib == "numpy":
        return lambda: floors.conv_grads(x, w, b, g)[1]
    if lib == "torch":
        conv2d, g = _torch().nn.functional.conv2d, _torch().from_numpy(g)
    else:
        from nn.functional import conv2d
    leaves = [_leaf(lib, a) for a in (x, w, b)]

    def step():
        for t in leaves:
            t.grad = None
        conv2d(*leaves, padding=1).backward(g)
        return [t.grad for t in leaves]

    return step


SEQUENCE_MODELS = {  # name -> (module arguments, input shape (batch first for the encoder))
    "LSTM": ((256, 256, 2), {}, (32, 32, 256)),
    "TransformerEncoderLayer": ((128, 4, 512), {"batch_first": True}, (32, 64, 128)),
}


def sequence_step(name):
    """One SGD step of a sequence model on the mean square of its output; no numpy floor."""
    def build(lib):
        if lib == "numpy":
            return None
        import autograd
        import nn
        import optim

        args, kwargs, shape = SEQUENCE_MODELS[name]
        x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        autograd.manual_seed(0)
        model = getattr(nn, name)(*args, **kwargs)
        if lib == "torch":
            torch = _torch()
            weights = {k: torch.from_numpy(v.numpy().copy())
                       for k, v in model.state_dict().items()}
            model = getattr(torch.nn, name)(*args, **kwargs)
            model.load_state_dict(weights)
            opt, x = torch.optim.SGD(model.parameters(), lr=LR), torch.from_numpy(x)
        else:
            opt, x = optim.SGD(model.parameters(), lr=LR), autograd.tensor(x)

        def step():
            opt.zero_grad()
            out = model(x)
            out = out[0] if isinstance(out, tuple) else out  # the LSTM's (output, (h, c))
            (out * out).mean().backward()
            opt.step()

        return step

    return build


def adam_trainer(lib):
    """One Adam step alone (gradients given) over the MLP's 1.9 M float32 parameters, and the
    parameters it updates."""
    params = initial_params("mlp")
    rng = np.random.default_rng(1)
    grads = [rng.standard_normal(p.shape).astype(np.float32) for p in params]
    if lib == "numpy":
        exp_avgs, exp_avg_sqs = ([np.zeros_like(p) for p in params] for _ in range(2))
        count = [0]

        def step():
            count[0] += 1
            floors.adam(params, grads, exp_avgs, exp_avg_sqs, count[0], ADAM_LR)

        return step, params
    leaves = [_leaf(lib, p) for p in params]
    for leaf, g in zip(leaves, grads):
        leaf.grad = _leaf(lib, g, requires_grad=False)
    if lib == "torch":
        opt = _torch().optim.Adam(leaves, lr=ADAM_LR)
    else:
        import optim

        opt = optim.Adam(leaves, lr=ADAM_LR)
    return opt.step, leaves


def adam_step(lib):
    return adam_trainer(lib)[0]


ADAM_LR = 1e-3


def adam_second_step(lib):
    """`adam_step` after a first step: the state exists, so its peak is the step's own."""
    step = adam_step(lib)
    step()
    return step


def _mb(n_bytes):
    return n_bytes / 2 ** 20


WORKLOADS = {
    "chain": Workload("per-op chain (8,), fwd+bwd", "us/op", 1e6 / 2000, 10, chain_step(2000)),
    "long": Workload("chain of 10^6 ops (8,), fwd+bwd", "us/op", 1e6 / 10 ** 6, 1,
                     chain_step(10 ** 6), repeats=3, warmup=False),
    "mlp256": Workload("MLP 784-1024-1024-10 b256 SGD step", "ms", 1e3, 5, training("mlp", 256)),
    "mlp1": Workload("MLP 784-1024-1024-10 b1 SGD step", "ms", 1e3, 20, training("mlp", 1)),
    "cnn": Workload("CNN b32 2x[conv-BN-ReLU-pool]+linear, SGD mom.", "ms", 1e3, 3,
                    training("cnn", 32)),
    "cnn2": Workload("same CNN, 2 threads", "ms", 1e3, 3, training("cnn", 32), threads=2),
    "conv": Workload("Conv2d (32,16,32,32) 32x3x3, fwd+bwd", "ms", 1e3, 3, conv_step),
    "conv2": Workload("same Conv2d, 2 threads", "ms", 1e3, 3, conv_step, threads=2),
    "lstm": Workload("LSTM 2x256, 32 steps, b32, SGD step", "ms", 1e3, 2,
                     sequence_step("LSTM")),
    "transformer": Workload("TransformerEncoderLayer 128/4/512, 64 tokens, b32, SGD step",
                            "ms", 1e3, 2, sequence_step("TransformerEncoderLayer")),
    "adam": Workload("Adam step alone, the MLP's 1.9 M parameters", "ms", 1e3, 10, adam_step),
}


def big_chain_step(lib):
    """Forward + backward of 200 elementwise ops on (1000, 1000): the memory row."""
    x0 = np.random.default_rng(0).uniform(-1, 1, (1000, 1000)).astype(np.float32)
    if lib == "numpy":
        return lambda: floors.chain_grad(x0, 200)
    x = _leaf(lib, x0)

    def step():
        x.grad = None
        floors.chain(x, 200).sum().backward()

    return step


MEMORY = {  # peak-memory rows: name -> (title, build)
    "mem_chain": ("chain of 200 ops (1000,1000): peak memory", big_chain_step),
    "mem_mlp": ("MLP b256 SGD step: peak memory", training("mlp", 256)),
    "mem_adam": ("Adam step, state made (7.1 MiB of parameters): peak memory",
                 adam_second_step),
}
ORDER = ["chain", "long", "mlp256", "mlp1", "cnn", "cnn2", "conv", "conv2", "lstm", "transformer",
         "adam", "mem_chain", "mem_mlp", "mem_adam"]


# ============================================================ measuring
def interleaved(workload, libs):
    """Median seconds per step of each library, timed blocks interleaved across libraries;
    a library whose ``build`` gives no step (no numpy floor) is left out."""
    steps = {lib: step for lib in libs if (step := workload.build(lib)) is not None}
    for step in steps.values() if workload.warmup else ():  # caches, optimizer state
        step()
    times = {lib: [] for lib in steps}
    for _ in range(workload.repeats):
        for lib, step in steps.items():
            gc.collect()
            start = time.perf_counter()
            for _ in range(workload.steps):
                step()
            times[lib].append((time.perf_counter() - start) / workload.steps)
    return {lib: statistics.median(t) * workload.scale for lib, t in times.items()}


def _status_kb(field):
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M).group(1))


def peak_memory(name, lib):
    """(Run in a subprocess.) MiB of peak RSS during the first step of ``name`` above the RSS
    before it (inputs and parameters built): what the step allocates, gradients and
    optimizer state included, whether a library keeps them after the step or not. A
    throwaway instance runs first, so one-time set-up (BLAS buffers, lazy imports) is not
    counted."""
    MEMORY[name][1](lib)()
    gc.collect()
    step = MEMORY[name][1](lib)
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM, the peak RSS, to the current RSS
    except OSError:  # not Linux: the cell stays empty
        return None
    before = _status_kb("VmRSS")
    step()
    return (_status_kb("VmHWM") - before) / 1024


def in_subprocess(args, threads=THREADS):
    """This script run with ``args`` in a fresh interpreter; its JSON answer."""
    cmd = [sys.executable, __file__, "--threads", str(threads), *args]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pin_malloc(mmap_threshold=32 << 20, trim_threshold=256 << 20):
    """Fix glibc malloc's mmap and trim thresholds (see the module docstring); whether it did."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, mmap_threshold) and
                    libc.mallopt(m_trim_threshold, trim_threshold))
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return False


# ============================================================ checking the floors
def _close(a, b, tol=1e-4):
    """max |a - b| <= tol * max |b|."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b))) <= tol * max(float(np.max(np.abs(b))), 1e-30)


def _numpy(t):
    """A torch tensor's, a Tensor's or an ndarray's values as an ndarray."""
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(getattr(t, "data", t))


def check(libs):
    """What differs between the implementations (empty when they agree)."""
    problems = []
    results = {lib: chain_step(200)(lib)() for lib in libs}
    problems += [f"chain gradient ({lib})" for lib in libs
                 if not _close(_numpy(results[lib]), _numpy(results["ours"]))]
    results = {lib: conv_step(lib)() for lib in libs}
    problems += [f"conv gradient {i} ({lib})" for lib in libs for i, (a, o) in
                 enumerate(zip(results[lib], results["ours"]))
                 if not _close(_numpy(a), _numpy(o))]
    after = {}
    for lib in libs:
        step, params = adam_trainer(lib)
        step(), step()
        after[lib] = [_numpy(p) for p in params]
    problems += [f"adam parameter {i} after 2 steps ({lib})" for lib in libs for i, (a, o)
                 in enumerate(zip(after[lib], after["ours"])) if not _close(a, o)]
    for kind, batch in (("mlp", 16), ("cnn", 8)):
        after = {}
        for lib in libs:
            step, params = trainer(lib, kind, batch)
            step(), step()
            after[lib] = [_numpy(p) for p in params]
        problems += [f"{kind} parameter {i} after 2 steps ({lib})" for lib in libs for i, (a, o)
                     in enumerate(zip(after[lib], after["ours"])) if not _close(a, o)]
    return problems


# ============================================================ the table
def blas_names(libs):
    """numpy's BLAS, and PyTorch's when installed."""
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    version = ".".join(blas.get("version", "").split(".")[:3])
    names = [f"{blas['name'].removeprefix('scipy-')} {version}".strip()]
    if "torch" in libs:
        found = re.search(r"BLAS_INFO=(\w+)", _torch().__config__.show())
        names.append(f"torch: {found.group(1) if found else '?'}")
    return " / ".join(names)


def _cell(value, unit):
    if value is None:
        return "-"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def _ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def print_table(rows, blas):
    header = ["workload", "numpy by hand", "PyTorch", "ours", "ours/numpy", "ours/torch",
              "threads", "BLAS"]
    lines = [header]
    for title, unit, cells, threads in rows:
        lines.append([title] + [_cell(cells.get(lib), unit) for lib in LIBS] +
                     [_ratio(cells.get("ours"), cells.get("numpy")),
                      _ratio(cells.get("ours"), cells.get("torch")), str(threads), blas])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines[:1] + [["-" * w for w in widths]] + lines[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS and torch threads")
    parser.add_argument("--rows", nargs="+", default=ORDER, choices=ORDER, metavar="ROW",
                        help=f"rows to run, of: {' '.join(ORDER)}")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--default-malloc", action="store_true",
                        help="leave glibc malloc's mmap/trim thresholds as they are")
    parser.add_argument("--profile", choices=list(WORKLOADS), metavar="ROW",
                        help="cProfile this library on one workload instead")
    parser.add_argument("--json", help=argparse.SUPPRESS)  # subprocess: one row as JSON
    parser.add_argument("--peak", nargs=2, help=argparse.SUPPRESS)  # subprocess: MEMORY lib
    args = parser.parse_args()
    if args.peak:
        pin_malloc(mmap_threshold=64 << 10, trim_threshold=0)
        print(json.dumps(peak_memory(*args.peak)))
        return
    pinned = False if args.default_malloc else pin_malloc()
    try:
        libs = LIBS if not args.no_torch and _torch() else ("numpy", "ours")
    except ImportError:
        libs = ("numpy", "ours")
    if args.json:
        print(json.dumps(interleaved(WORKLOADS[args.json], libs)))
        return
    if args.profile:
        return profile(WORKLOADS[args.profile])

    problems = check(libs)
    if problems:
        raise SystemExit("bench: the implementations disagree: " + "; ".join(problems))
    rows = []
    for name in args.rows:
        if name in MEMORY:
            cells = {lib: in_subprocess(["--peak", name, lib]) for lib in libs}
            rows.append((MEMORY[name][0], "MiB", cells, THREADS))
            continue
        work = WORKLOADS[name]
        threads = work.threads or THREADS
        options = ["--json", name] + ["--default-malloc"] * args.default_malloc + \
            ["--no-torch"] * ("torch" not in libs)
        cells = (interleaved(work, libs) if threads == THREADS else
                 in_subprocess(options, threads=threads))
        rows.append((work.title, work.unit, cells, threads))
        print(f"  {name}: done", file=sys.stderr)
    import platform

    print(f"{time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}"
          + (f", PyTorch {_torch().__version__}" if "torch" in libs else ", no PyTorch")
          + f"; malloc thresholds {'fixed' if pinned else 'as they are'}; medians of "
          "interleaved repeats; the floors" + (" and PyTorch" if "torch" in libs else "")
          + " checked against this library first.")
    print_table(rows, blas_names(libs))
    chain, long = (next((r[2] for r in rows if r[0] == WORKLOADS[k].title), None)
                   for k in ("chain", "long"))
    if chain and long:
        print("10^6-op chain time per op / 2,000-op chain's: " + ", ".join(
            f"{lib} {long[lib] / chain[lib]:.2f}" for lib in libs))


def profile(workload, top=25):
    import cProfile
    import pstats

    step = workload.build("ours")
    step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(workload.steps * 5):
        step()
    prof.disable()
    print(f"cProfile of {workload.steps * 5} steps of {workload.title} (top {top} by tottime):")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
