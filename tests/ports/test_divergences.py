"""Every spelling where numpy's meaning and PyTorch's used to differ here, checked against
torch after the rename: values, dtypes, shapes and (for floating leaves) gradients. Before
these changes each of them gave other numbers than PyTorch without an error (DESIGN
principle 10); numpy's own functions on tensors keep numpy's meaning (test_numpy_api.py).
"""
import numpy as np
import pytest

import porting

torch = pytest.importorskip("torch")

SETUP = """
import torch
x = torch.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
v = torch.tensor([3.0, 1.0, 2.0])
i = torch.tensor([[2, 0], [1, 1]])
s = torch.tensor(1.5)
xg = torch.tensor([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]], dtype=torch.float64, requires_grad=True)
sg = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
zg = torch.tensor([0.0, 0.0, 2.0, float('inf'), -float('inf')], dtype=torch.float64,
                  requires_grad=True)
yg = torch.tensor([-1.5, 0.0, 2.0, 0.0, 0.0], dtype=torch.float64, requires_grad=True)
"""

EXPRESSIONS = [
    # var / std: correction=1 by default, unbiased=, correction >= n, std_mean / var_mean
    "x.std()", "x.std(0)", "x.std(1, keepdim=True)", "x.var()", "x.var(0)", "x.var(1, True)",
    "x.var(dim=1, unbiased=False)", "x.var(correction=0)", "torch.var(x, 1)", "torch.std(x)",
    "x.var(correction=3)", "v.var(correction=3)", "v.var(correction=5)", "x.var([0, 1])",
    "torch.std_mean(x, 0)", "torch.var_mean(x, dim=1, keepdim=True)", "torch.std_mean(x)",
    "xg.std()", "xg.var(1)", "xg.std(0, correction=0)", "xg[0].detach().var(correction=4)",
    # max / min with a dim: (values, indices); amax / amin: values
    "x.max(1)", "x.max(1)[0]", "x.max(dim=0, keepdim=True)", "x.min(1)", "torch.max(x, 1)",
    "torch.min(x, -1)", "x.max()", "x.amax(1)", "torch.amax(x, dim=(0, 1))", "x.amin(0)",
    "torch.amin(x, 1, True)", "x.amax([0, 1])", "xg.max(1).values", "xg.amax(0)",
    "xg.min(dim=1, keepdim=True)[0]",
    # split: an int is a piece size, a list piece sizes; chunk
    "x.split(2, 1)", "x.split([1, 2], 1)", "torch.split(x, 1)", "x.split(2, dim=1)",
    "torch.chunk(x, 2, 1)", "xg.split(2, 1)[1]",
    # squeeze(dim) with ints, tuples, lists; a longer axis left alone
    "x.unsqueeze(0).squeeze(0)", "x.squeeze(0)", "x[None, :, None].squeeze((0, 2))",
    "x[None].squeeze([0, 1])", "xg[None].squeeze(0)",
    # dims as lists, dtype=
    "x.sum([0, 1])", "x.mean([0])", "x.sum(dtype=torch.float64)", "x.mean(dtype=torch.float64)",
    "x.prod(1, dtype=torch.float64)", "x.cumsum(1, dtype=torch.float64)", "i.sum()",
    "i.sum(dtype=torch.float32)", "x.logsumexp([0, 1])",
    # equal is one bool; eq is elementwise
    "torch.equal(x, x)", "torch.equal(x, v)", "x.equal(x.clone())", "torch.eq(x, 1)", "x.eq(x)",
    # factories
    "torch.full_like(x, 7)", "torch.full_like(i, 2.7)", "torch.full_like(x, 2, dtype=torch.int64)",
    "torch.zeros(size=(2, 3))", "torch.ones(size=(2,), dtype=torch.int64)",
    "torch.linspace(-2.5, 2.5, 5, dtype=torch.int32)", "torch.linspace(0, 1, 3, dtype=torch.int64)",
    "torch.randint(5, (3,)).shape", "torch.randint(high=5, size=(3,)).dtype == torch.int64",
    "torch.randint(2, 5, (3,)).shape", "torch.normal(torch.zeros(2, 1), torch.ones(3)).shape",
    "torch.normal(0.0, 1.0, size=(2,)).dtype == torch.float32",
    "torch.normal(torch.zeros(3), 1.0).dtype == torch.float32",
    "x.clone().normal_().shape", "bool(x.clone().uniform_(1, 2).min() >= 1)",
    # where with numbers, and with the condition alone
    "torch.where(x > 0, 4, 2)", "torch.where(x > 0, 4.0, 2.0)", "torch.where(x > 0)",
    "torch.where(x > 0, x, 0.0)", "torch.where(xg > 0, xg, 0.0)",
    # 0-d tensors with dim 0 / -1
    "s.sum(0)", "s.sum(-1)", "s.prod(0)", "s.cumsum(0)", "s.squeeze(0)", "s.softmax(0)",
    "s.log_softmax(-1)", "s.logsumexp(0)", "s.max(0)", "s.mean(0)", "s.amax(0)",
    "s.transpose(0, -1)", "sg.sum(0)", "sg.prod(-1)", "sg.softmax(0)", "sg.log_softmax(0)",
    "sg.logsumexp(0)", "sg.cumsum(0)", "sg.var(0, correction=0)", "sg.max(0).values",
    "s.sum([0])", "s.sum((0,), keepdim=True)", "s.amax([0])", "s.mean((-1,))",
    "s.var([0], correction=0)", "s.logsumexp([0])", "s.prod(0, keepdim=True)",
    # gradients PyTorch defines where numpy has no opinion
    "xg.sign()", "zg ** yg", "zg ** 0", "2.0 ** yg", "0.0 ** yg",
    # new names
    "x.expand_as(torch.zeros(4, 2, 3))", "x.is_floating_point()", "i.is_floating_point()",
    "xg.expand_as(torch.zeros(2, 2, 3))",
    # the rest of the vocabulary compared for other meanings
    "x.prod()", "x.norm()", "x.logsumexp(1)", "x.flatten()", "x.transpose(0, 1)", "x.t()",
    "x.repeat(2, 1)", "x.flip(0)", "x.flip([0, 1])", "x.norm(dim=1)", "x.norm(p=1)",
    "x.norm(2, 0, True)", "x.cumsum(-1)", "x.softmax(0)", "x.log_softmax(1)", "x.mean()",
    "torch.flatten(x)", "x.argmax()", "x.argmax(1)", "x.sum(1, True)", "x.sum(-1)",
    "x.permute(1, 0)", "x.chunk(3, 1)", "x.unbind(1)",
]

LEAVES = ("xg", "sg", "zg", "yg")


def evaluate(expression, engine):
    namespace = {"np": np}
    setup = SETUP if engine == "torch" else porting.to_autograd(SETUP)
    exec(setup, namespace)  # noqa: S102
    text = expression if engine == "torch" else porting.to_autograd(expression)
    return eval(text, namespace), namespace  # noqa: S307


def flat(value):
    """A result of either engine as a list of (numpy value, kind) for comparison."""
    if isinstance(value, (tuple, list)) and not hasattr(value, "detach"):
        return [leaf for v in value for leaf in flat(v)]
    if hasattr(value, "detach"):
        array = np.asarray(value.detach().numpy())
        return [(array, str(array.dtype))]
    return [(np.asarray(value), type(value).__name__)]


def gradients(value, namespace):
    """d sum(first floating output) / d each leaf the expression used (None where unused)."""
    out = value
    while isinstance(out, (tuple, list)) and not hasattr(out, "detach"):
        out = out[0]
    if not getattr(out, "requires_grad", False):
        return None
    leaves = [namespace[name] for name in LEAVES]
    grads = (torch.autograd.grad if isinstance(out, torch.Tensor) else
             __import__("autograd").grad)(out.sum(), leaves, allow_unused=True)
    return [None if g is None else np.asarray(g.detach().numpy()) for g in grads]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_formerly_divergent_spelling_gives_torchs_result(expression):
    with np.errstate(all="ignore"):
        (mine, my_ns), (theirs, their_ns) = (evaluate(expression, e)
                                             for e in ("autograd", "torch"))
        my_grads, their_grads = gradients(mine, my_ns), gradients(theirs, their_ns)
    mine, theirs = flat(mine), flat(theirs)
    assert len(mine) == len(theirs), (mine, theirs)
    for (a, kind_a), (b, kind_b) in zip(mine, theirs):
        assert kind_a == kind_b and a.shape == b.shape, (a, b)
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=1e-6,
                                   atol=1e-7)
    assert (my_grads is None) == (their_grads is None)
    for a, b in zip(my_grads or [], their_grads or []):
        if b is None or not b.any():
            assert a is None or not a.any()  # unused, or zero: the same thing
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_from_autograd_import_nn_and_optim_after_the_rename():
    namespace = {}
    exec(porting.to_autograd("from torch import nn\nimport torch\n")  # noqa: S102
         .replace("import nn", "from autograd import nn, optim"), namespace)
    import nn
    import optim

    assert namespace["nn"] is nn and namespace["optim"] is optim


def test_the_core_does_not_import_nn_or_optim_by_itself():
    import subprocess
    import sys

    code = "import sys, autograd; print('nn' in sys.modules, 'optim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]
