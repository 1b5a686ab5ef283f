"""Every row of the oracle table (``rows_*.py``) against PyTorch: values, dtype, shape and
reverse-mode gradients of the floating inputs."""
import importlib
import pathlib

import numpy as np
import pytest

import autograd
from oracle import ours, theirs

ROWS = [row for path in sorted(pathlib.Path(__file__).parent.glob("rows_*.py"))
        for row in importlib.import_module(path.stem).ROWS]


def _leaves(out):
    """The tensors and plain values of an output (a tensor, a tuple/list/namedtuple...)."""
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in _leaves(item)]
    return [out]


def _numpy(value):
    if isinstance(value, autograd.Tensor):
        return np.array(value.data)
    if hasattr(value, "detach"):  # a torch tensor
        return value.detach().numpy()
    return value


def _compare(ours_out, torch_out, row, what):
    a, b = _leaves(ours_out), _leaves(torch_out)
    assert len(a) == len(b), f"{row.name}: {what}: {len(a)} outputs, torch gives {len(b)}"
    for k, (x, y) in enumerate(zip(a, b)):
        x, y = _numpy(x), _numpy(y)
        if isinstance(y, np.ndarray):
            assert isinstance(x, np.ndarray), f"{row.name}: {what} {k} is {type(x).__name__}"
            assert x.shape == y.shape, f"{row.name}: {what} {k}: shape {x.shape} vs {y.shape}"
            assert x.dtype == y.dtype, f"{row.name}: {what} {k}: dtype {x.dtype} vs {y.dtype}"
            np.testing.assert_allclose(x, y, rtol=row.rtol, atol=row.atol, equal_nan=True,
                                       err_msg=f"{row.name}: {what} {k}")
        else:
            assert type(x) is type(y) and x == y, f"{row.name}: {what} {k}: {x!r} vs {y!r}"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_row_agrees_with_torch(row):
    torch = pytest.importorskip("torch")
    arrays = row.arrays()
    grads = [row.grad and a.dtype.kind == "f" for a in arrays]
    xs = [autograd.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    ts = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    out, ref = row.fn(ours(), *xs), row.fn(theirs(), *ts)
    _compare(out, ref, row, "output")
    wanted = [x for x, g in zip(xs, grads) if g]
    pairs = [(o, r) for o, r in zip(_leaves(out), _leaves(ref))
             if isinstance(o, autograd.Tensor) and o.requires_grad]
    if not wanted or not pairs:
        return
    rng = np.random.default_rng(0)
    ws = [rng.standard_normal(o.shape) for o, _ in pairs]
    g_ours = autograd.grad([o for o, _ in pairs], wanted,
                           [autograd.tensor(w, dtype=o.dtype) for w, (o, _) in zip(ws, pairs)],
                           allow_unused=True)
    g_torch = torch.autograd.grad([r for _, r in pairs], [t for t, g in zip(ts, grads) if g],
                                  [torch.tensor(w, dtype=r.dtype) for w, (_, r) in zip(ws, pairs)],
                                  allow_unused=True)
    g_ours = [autograd.zeros_like(x) if g is None else g for g, x in zip(g_ours, wanted)]
    g_torch = [torch.zeros_like(t) if g is None else g
               for g, t in zip(g_torch, [t for t, g in zip(ts, grads) if g])]
    _compare(g_ours, g_torch, row, "gradient")
