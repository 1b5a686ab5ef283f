"""Every row of the oracle table (``rows_*.py``) against PyTorch: values, dtype, shape,
reverse-mode gradients, forward-mode tangents (where torch has them) and, for a sample of the
rows, second derivatives; rows marked ``raises`` must raise in both libraries.

Settings a row may carry in ``kwargs`` (see `oracle.Row`):

- ``raises``: True, or a regex our message must match: torch raises for these inputs, so must we;
- ``xfail``: the reason the row fails on this branch (a strict xfail: it fails once fixed);
- ``jvp``: False to skip forward mode (say why in a comment);
- ``gradgrad``: True or False to force the second-derivative check on or off (default: the
  rows whose name hashes into the sample, one in `GRADGRAD_EVERY`).
"""
import importlib
import pathlib
import re
import zlib

import numpy as np
import pytest

import autograd
import nn  # registers nn's fused entries: the coverage test must see every namespace
from autograd.registry import REGISTRY
from oracle import ours, theirs

HERE = pathlib.Path(__file__).parent
ROWS = [row for path in sorted(HERE.glob("rows_*.py"))
        for row in importlib.import_module(path.stem).ROWS]
GRADGRAD_EVERY = 2
# rows of other branches' files that fail this runner's checks: strict xfails, with the reason
KNOWN = {
    "median-all-nan": "the tangent of a NaN median: ours is the NaN element's tangent (what "
                      "torch's own reverse mode gives), torch's forward mode gives NaN",
}


# ------------------------------------------------------------------ outputs as flat leaves
def _leaves(out):
    """The tensors and plain values of an output (a tensor, a tuple/list/namedtuple...)."""
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in _leaves(item)]
    return [out]


def _is_tensor(x):
    return isinstance(x, autograd.Tensor) or type(x).__module__ == "torch"


def _numpy(value):
    if isinstance(value, autograd.Tensor):
        return np.array(value.numpy())
    if hasattr(value, "detach"):  # a torch tensor
        return value.detach().numpy(force=True)  # force: torch's ZeroTensor
    return value


def _floating(x):
    return _is_tensor(x) and np.dtype(_numpy(x).dtype).kind == "f"


def _fields(torch_out):
    """The names of a torch named tuple (``torch.return_types.max``: values, indices)."""
    if type(torch_out).__module__ != "torch.return_types":
        return []
    return [n for n in dir(torch_out) if not n.startswith("_") and not n.startswith("n_")
            and n not in dir(tuple)]


def _compare(ours_out, torch_out, row, what):
    for name in _fields(torch_out):
        assert hasattr(ours_out, name), f"{row.name}: {what} has no field .{name} (torch's has)"
    a, b = _leaves(ours_out), _leaves(torch_out)
    assert len(a) == len(b), f"{row.name}: {what}: {len(a)} values, torch gives {len(b)}"
    for k, (x, y) in enumerate(zip(a, b)):
        where = f"{row.name}: {what} {k}"
        x, y = _numpy(x), _numpy(y)
        if isinstance(y, np.ndarray):
            assert isinstance(x, np.ndarray), f"{where} is a {type(x).__name__}, torch's a tensor"
            assert x.shape == y.shape, f"{where}: shape {x.shape}, torch's {y.shape}"
            assert x.dtype == y.dtype, f"{where}: dtype {x.dtype}, torch's {y.dtype}"
            if x.size and not np.allclose(x, y, rtol=row.rtol, atol=row.atol, equal_nan=True):
                diff = np.atleast_1d(np.abs(x.astype(float) - y.astype(float)))
                diff[np.isnan(x) != np.isnan(y)] = np.inf  # nan on one side only
                raise AssertionError(f"{where}: max abs diff {np.nanmax(diff):.3g} "
                                     f"(rtol {row.rtol}, atol {row.atol})\n ours: {x}\ntorch: {y}")
        elif isinstance(y, float):
            assert type(x) is float, f"{where}: {x!r} ({type(x).__name__}), torch's {y!r}"
            assert np.isclose(x, y, rtol=row.rtol, atol=row.atol, equal_nan=True), \
                f"{where}: {x!r}, torch's {y!r}"
        else:
            assert type(x) is type(y) and x == y, f"{where}: {x!r}, torch's {y!r}"


# ------------------------------------------------------------------ the modes compared
def _weights(outs, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(np.shape(_numpy(o))) for o in outs]


def _grads(lib, outs, inputs, weights, create_graph=False):
    """lib.autograd.grad of ``outs`` weighted by ``weights``, None replaced by zeros."""
    grad = lib.grad if lib.name == "ours" else lib.autograd.grad
    gs = grad(outs, inputs, [lib.tensor(w, dtype=o.dtype) for w, o in zip(weights, outs)],
              create_graph=create_graph, allow_unused=True)
    return [lib.zeros_like(x) if g is None else g for g, x in zip(gs, inputs)]


def _reverse(lib, out, inputs, weights, create_graph=False):
    outs = [o for o in _leaves(out) if _is_tensor(o) and _floating(o) and o.requires_grad]
    return _grads(lib, outs, inputs, weights, create_graph) if outs else None


def _second(lib, first, inputs, weights):
    """d/dx of sum(first_k * w_k): a Hessian-vector product through the first gradients."""
    outs = [(g, w) for g, w in zip(first, weights) if g.requires_grad]
    if not outs:  # the first derivative does not depend on the inputs
        return [lib.zeros_like(x) for x in inputs]
    return _grads(lib, [g for g, _ in outs], inputs, [w for _, w in outs])


def _forward(row, lib, arrays, floating, tangents):
    """Forward mode: the tangents of the floating outputs for ``tangents`` on the floating
    inputs."""
    fixed = [lib.tensor(a) for a in arrays]

    def f(*primals):
        it = iter(primals)
        xs = [next(it) if g else x for x, g in zip(fixed, floating)]
        return tuple(o for o in _leaves(row.fn(lib, *xs)) if _floating(o))

    primals = tuple(x for x, g in zip(fixed, floating) if g)
    ts = tuple(lib.tensor(t) for t in tangents)
    if lib.name == "ours":
        return autograd.jvp(f, primals, ts)[1]
    import torch.autograd.forward_ad as fwad

    with fwad.dual_level():
        outs = f(*(fwad.make_dual(p, t) for p, t in zip(primals, ts)))
        tangents = [fwad.unpack_dual(o).tangent for o in outs]
        return tuple(lib.zeros_like(o) if t is None else t.clone()
                     for o, t in zip(outs, tangents))


def _moved(arrays, floating, steps, scale):
    """The inputs with each floating one moved by ``scale`` times its step."""
    it = iter(steps)
    return [a + scale * next(it) if g else a for a, g in zip(arrays, floating)]


def _differences(f, eps=1e-6):
    """Central differences ``(f(eps) - f(-eps)) / 2 eps`` of a list of arrays."""
    return [(p - m) / (2 * eps) for p, m in zip(f(eps), f(-eps))]


def _torch_tangent_by_differences(row, lib, arrays, floating, tangents):
    def values(scale):
        xs = [lib.tensor(a) for a in _moved(arrays, floating, tangents, scale)]
        return [_numpy(o) for o in _leaves(row.fn(lib, *xs)) if _floating(o)]
    return _differences(values)


def _torch_second_by_differences(row, lib, arrays, floating, weights, vs):
    def gradients(scale):
        moved = _moved(arrays, floating, vs, scale)
        xs = [lib.tensor(a, requires_grad=g) for a, g in zip(moved, floating)]
        wanted = [x for x, g in zip(xs, floating) if g]
        return [_numpy(g) for g in _reverse(lib, row.fn(lib, *xs), wanted, weights)]
    return _differences(gradients)


def _compare_higher(ours_value, torch_value, row, what, differences):
    """Forward mode and second derivatives: ours must equal torch's, or, where torch's own
    higher-order rule disagrees with its function, the central differences of torch's
    lower-order result (torch's forward AD and double backward have a few wrong rules)."""
    try:
        _compare(ours_value, torch_value, row, what)
    except AssertionError as disagreement:
        want = differences()
        got = [_numpy(x) for x in _leaves(ours_value)]
        if len(got) != len(want) or not all(
                np.allclose(x, y, rtol=1e-5, atol=1e-6, equal_nan=True)
                for x, y in zip(got, want)):
            raise AssertionError(f"{disagreement}\ncentral differences of torch's "
                                 f"lower-order result: {want}") from None


def _ours(row, what, fn, *args):
    """``fn(*args)`` on our side, where torch succeeded: an error says which row and mode."""
    try:
        return fn(*args)
    except Exception as error:
        raise AssertionError(f"{row.name}: {what}: ours raises {type(error).__name__}: {error} "
                             "(torch does not)") from error


def _params():
    reasons = [row.kwargs.get("xfail", KNOWN.get(row.name)) for row in ROWS]
    return [pytest.param(row, id=row.name, marks=[pytest.mark.xfail(strict=True, reason=why)]
                         if why else []) for row, why in zip(ROWS, reasons)]


@pytest.mark.parametrize("row", _params())
def test_row_agrees_with_torch(row):
    torch = pytest.importorskip("torch")
    OURS, TORCH = ours(), theirs()
    OURS.name, TORCH.name = "ours", "torch"
    arrays = row.arrays()
    floating = [row.grad and a.dtype.kind == "f" for a in arrays]
    xs = [autograd.tensor(a, requires_grad=g) for a, g in zip(arrays, floating)]
    ts = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, floating)]
    raises = row.kwargs.get("raises")
    try:
        ref = row.fn(TORCH, *ts)
    except Exception as error:
        assert raises, f"{row.name}: torch raises {type(error).__name__}: {error}"
        with pytest.raises(Exception, match=raises if isinstance(raises, str) else None):
            row.fn(OURS, *xs)
        return
    assert not raises, f"{row.name}: marked raises, but torch accepts these inputs"
    out = _ours(row, "the call", row.fn, OURS, *xs)
    _compare(out, ref, row, "output")
    flags = [o.requires_grad for o in _leaves(out) if _is_tensor(o)]
    assert flags == [r.requires_grad for r in _leaves(ref) if _is_tensor(r)], \
        f"{row.name}: requires_grad of the outputs {flags}, torch's differ"
    if not any(floating):
        return

    wanted = [x for x, g in zip(xs, floating) if g]
    twanted = [t for t, g in zip(ts, floating) if g]
    outs = [o for o in _leaves(out) if _is_tensor(o) and _floating(o) and o.requires_grad]
    weights = _weights(outs, 0)
    if outs:
        second = row.kwargs.get("gradgrad", zlib.crc32(row.name.encode()) % GRADGRAD_EVERY == 0)
        g_torch = _reverse(TORCH, ref, twanted, weights, create_graph=second)
        g_ours = _ours(row, "reverse mode", _reverse, OURS, out, wanted, weights, second)
        _compare(g_ours, g_torch, row, "gradient")
        if second:
            vs = _weights(wanted, 1)
            try:
                gg_torch = _second(TORCH, g_torch, twanted, vs)
            except Exception:  # torch has no double backward here (cdist): nothing to compare
                gg_torch = None
            if gg_torch is not None:
                _compare_higher(
                    _ours(row, "second derivative", _second, OURS, g_ours, wanted, vs),
                    gg_torch, row, "second derivative",
                    lambda: _torch_second_by_differences(row, TORCH, arrays, floating,
                                                         weights, vs))

    if row.kwargs.get("jvp", True):
        tangents = _weights(wanted, 2)
        try:
            t_torch = _forward(row, TORCH, arrays, floating, tangents)
        except Exception:  # torch has no forward rule here: nothing to compare with
            return
        _compare_higher(
            _ours(row, "forward mode", _forward, row, OURS, arrays, floating, tangents),
            t_torch, row, "tangent",
            lambda: _torch_tangent_by_differences(row, TORCH, arrays, floating, tangents))


# ------------------------------------------------------------------ the table itself
def test_every_registry_entry_has_a_row():
    covered = {row.op for row in ROWS}
    missing = sorted(set(REGISTRY) - covered)
    assert not missing, f"registry entries without an oracle row: {missing}"


def test_every_public_functional_torch_has_has_a_row():
    torch = pytest.importorskip("torch")
    covered = {row.op for row in ROWS}
    missing = sorted(name for name in nn.functional.__all__ if hasattr(torch.nn.functional, name)
                     and f"nn.functional.{name}" not in covered)
    assert not missing, f"nn.functional functions without an oracle row: {missing}"


def test_rows_are_well_formed():
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    unknown = sorted({row.op for row in ROWS} - set(REGISTRY) - set(dir(autograd))
                     - {f"nn.functional.{n}" for n in nn.functional.__all__}
                     - {f"nn.{n}" for n in nn.__all__}  # a module's forward
                     - {f"nn.utils.rnn.{n}" for n in nn.utils.rnn.__all__}
                     - {f"Tensor.{n}" for n in dir(autograd.Tensor)})
    assert not unknown, f"rows whose op is no entry, function, functional or method: {unknown}"
    assert all(re.fullmatch(r"[\w.\-]*", row.id) for row in ROWS)
