"""PyTorch's vocabulary, one expression at a time: each line of PyTorch below runs here after
the rename (`porting.to_autograd`) and must give torch's value, shape and dtype.

The expressions use fixed inputs, so values must agree to float32 rounding.
"""
import numpy as np
import pytest

import autograd
import porting

SETUP = """
import torch
x = torch.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
v = torch.tensor([3.0, 1.0, 2.0])
i = torch.tensor([[2, 0], [1, 1]])
m = torch.tensor([[True, False, True], [False, False, True]])
"""

EXPRESSIONS = [
    # dtypes, devices, conversions
    "torch.zeros(2, 3, dtype=torch.float64)",
    "torch.ones((2, 3), dtype=torch.long)",
    "torch.tensor([1, 2], dtype=torch.float32, device=torch.device('cpu'))",
    "torch.tensor(3.5, device='cpu')",
    "x.to(torch.float64)",
    "x.to('cpu')",
    "x.double()",
    "x.long()",
    "x.float()",
    "x.bool()",
    "x.type_as(i)",
    # promotion: float with int keeps the float dtype
    "x * i[:, :1]",
    "v + torch.tensor([1, 2, 3])",
    "x.pow(torch.tensor([1, 2, 3]))",
    "x / 2",
    "torch.arange(3) * 0.5",
    "torch.arange(4) / 2",
    "2.5 * torch.arange(3)",
    "torch.arange(3) * np.float64(0.5)",
    "torch.tensor([1, 2]) / torch.tensor([2, 4])",
    "torch.tensor([True, False]) * 1.5",
    "torch.arange(3) + 1",
    # factories
    "torch.linspace(-1, 1, 5)",
    "torch.arange(1, 7, 2)",
    "torch.arange(0.0, 1.0, 0.25)",
    "torch.full((2, 2), 7)",
    "torch.full((2,), 1.5)",
    "torch.zeros_like(x)",
    "torch.ones_like(i)",
    "torch.eye(3)",
    "torch.cat([x, x], dim=1)",
    "torch.cat((v, v))",
    "torch.stack([v, v], dim=1)",
    "torch.from_numpy(np.arange(3.0))",
    # shape
    "x.view(3, 2)",
    "x.view(-1)",
    "v.view_as(torch.zeros(3, 1))",
    "x.unsqueeze(0).shape",
    "x.unsqueeze(-1).squeeze(-1)",
    "x.unsqueeze(1).squeeze(dim=1)",
    "x.squeeze(dim=0)",
    "x.permute(1, 0)",
    "x.t()",
    "x.T",
    "x.transpose(0, 1)",
    "torch.flatten(torch.zeros(2, 3, 4), 1).shape",
    "torch.zeros(2, 3, 4).flatten(0, 1).shape",
    "v.expand(2, 3)",
    "v.unsqueeze(1).expand(-1, 2)",
    "v.repeat(2, 2)",
    "x.reshape(3, 2)",
    "x.size()",
    "x.size(0)",
    "x.size(-1)",
    "x.numel()",
    "x.dim()",
    "x.shape[1]",
    # reductions with dim= / keepdim=
    "x.sum(dim=1)",
    "x.sum(1, keepdim=True)",
    "x.mean(dim=0)",
    "x.max()",
    "x.max(dim=1)[0]",
    "x.max(dim=1)[1]",
    "x.max(dim=1).values",
    "x.min(dim=0).indices",
    "x.argmax(dim=1, keepdim=True)",
    "x.argmin()",
    "x.std(dim=1, correction=1)",
    "x.var(unbiased=True)",
    "x.var(dim=0, correction=0)",
    "x.prod(dim=0)",
    "x.norm()",
    "x.norm(p=1, dim=1)",
    "x.logsumexp(dim=1)",
    "torch.softmax(x, dim=1)",
    "x.log_softmax(dim=0)",
    "torch.max(x, torch.zeros(2, 3))",
    # elementwise
    "x.clamp(min=0)",
    "x.clamp(-1, 2)",
    "torch.clamp(x, max=1.0)",
    "x.abs().sqrt()",
    "x.exp().log()",
    "torch.tanh(x)",
    "torch.sigmoid(x)",
    "torch.relu(x)",
    "torch.where(x > 0, x, torch.zeros_like(x))",
    "x.masked_fill(m, 0.0)",
    "x.gather(1, i)",
    "torch.diag(v)",
    "torch.diag(x)",
    "torch.diag(v, 1)",
    # comparisons
    "x.eq(torch.tensor([1.0, 5.0, 3.0]))",
    "x.ne(1.0)",
    "x.lt(0)",
    "x.le(3.0)",
    "x.gt(v)",
    "x.ge(-2)",
    "(x > 0).sum()",
    "(x > 0).float().mean()",
    "torch.argmax(x, dim=0).eq(torch.tensor([1, 1, 0])).sum().item()",
    # linear algebra
    "x @ v",
    "torch.matmul(x, x.t())",
    "torch.mm(x, x.T)",
    "x.clone()",
    "x.detach()",
    "x.item() if x.numel() == 1 else x[0, 1].item()",
]


def evaluate(expression, engine):
    namespace = {"np": np}
    setup = SETUP if engine == "torch" else porting.to_autograd(SETUP)
    exec(setup, namespace)  # noqa: S102
    text = expression if engine == "torch" else porting.to_autograd(expression)
    return eval(text, namespace)  # noqa: S307


def plain(value):
    """A result of either engine as (numpy value, dtype name) for comparison."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return np.asarray(value), "shape"
    if hasattr(value, "detach"):
        value = value.detach()
        if hasattr(value, "numpy"):
            value = value.numpy()
        return np.asarray(value), str(np.asarray(value).dtype)
    return np.asarray(value), type(value).__name__


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_expression_runs_after_the_rename(expression):
    value, kind = plain(evaluate(expression, "autograd"))
    assert value.size > 0 or kind == "shape"


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_expression_gives_torchs_value_and_dtype(expression):
    pytest.importorskip("torch")
    (mine, my_kind), (theirs, their_kind) = (plain(evaluate(expression, e))
                                             for e in ("autograd", "torch"))
    assert my_kind == their_kind
    assert mine.shape == theirs.shape
    np.testing.assert_allclose(mine.astype(np.float64), theirs.astype(np.float64), rtol=1e-6,
                               atol=1e-7)
