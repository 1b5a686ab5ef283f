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
    "x.square()",
    "x.abs().reciprocal()",
    "x.abs().rsqrt()",
    "torch.square(v)",
    "x.add(v)",
    "x.sub(1.5)",
    "x.add(v).sub(v).mul(2).div(2)",
    "x.flip(0)",
    "x.flip(0, 1)",
    "torch.flip(x, (1,))",
    "torch.tril(torch.ones(3, 3))",
    "torch.triu(torch.ones(3, 3), 1)",
    "x.tril(-1)",
    "torch.ones(2, 3, 3).triu(diagonal=1)",
    "x.t().contiguous().view(-1)",
    "torch.numel(x)",
    "torch.is_tensor(x)",
    "torch.is_tensor([1.0])",
    "x.split(2, dim=1)[1]",
    "torch.split(x, [1, 2], dim=1)[0]",
    "x.chunk(2, dim=1)[1]",
    "torch.chunk(torch.arange(7), 3)[2]",
    "x.unbind(0)[1]",
    "torch.unbind(x, dim=1)[2]",
    "torch.cumsum(x, dim=1)",
    "x.cumsum(0)",
    "x.new_zeros(2, 3)",
    "x.new_ones((2,))",
    "x.new_full((2,), 7)",
    "x.new_tensor([1, 2])",
    "i.new_zeros(3)",
    "x.type(torch.float64)",
    "x.type(torch.long)",
    "torch.nn.functional.pad(x, (1, 2))",
    "torch.nn.functional.pad(x, (1, 0, 0, 1), value=-1.0)",
    "torch.nn.functional.pad(torch.ones(1, 1, 2, 2), (1, 1, 1, 1)).shape",
    "torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 4)",
    "torch.nn.functional.one_hot(i)",
    # checks
    "x.isnan()",
    "torch.tensor([1.0, float('inf'), -float('inf')]).isinf()",
    "torch.isfinite(torch.tensor([float('nan'), 1.0]))",
    "torch.tensor([float('nan'), 1.0]).isnan().any()",
    "(x > -10).all()",
    "(x > 0).all(dim=1)",
    "(x > 0).any(dim=0, keepdim=True)",
    "torch.any(m)",
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


# random factories: the draws differ between libraries, so shape, dtype and range must agree
RANDOM = [
    ("torch.randn((), device=torch.device('cpu'), dtype=torch.float)", -10, 10),
    ("torch.randn(2, 3, device='cpu')", -10, 10),
    ("torch.rand(4, dtype=torch.float64, requires_grad=True)", 0, 1),
    ("torch.randn_like(x, device='cpu')", -10, 10),
    ("torch.rand_like(v)", 0, 1),
    ("torch.randint(0, 10, (3, 2))", 0, 9),
    ("torch.randint(10, (5,), device='cpu')", 0, 9),
    ("torch.randint(3, 5, size=(4,), dtype=torch.int32)", 3, 4),
    ("torch.randperm(6, device='cpu')", 0, 5),
]


@pytest.mark.parametrize("expression, low, high", RANDOM)
def test_random_factory_takes_pytorchs_arguments(expression, low, high):
    mine, kind = plain(evaluate(expression, "autograd"))
    assert low <= mine.min() and mine.max() <= high
    if "randperm" in expression:
        assert sorted(mine.tolist()) == list(range(6))
    torch = pytest.importorskip("torch")
    theirs, their_kind = plain(evaluate(expression, "torch"))
    assert (mine.shape, kind) == (theirs.shape, their_kind)
    assert torch.is_tensor(evaluate(expression, "torch"))


def test_random_factories_refuse_other_devices():
    for make in (lambda: autograd.randn(2, device="cuda"),
                 lambda: autograd.randperm(3, device="mps"),
                 lambda: autograd.randint(0, 3, (2,), device="cuda:1")):
        with pytest.raises(autograd.DeviceError, match="is not available; this engine runs on"):
            make()


# ------------------------------------------------------------------ numbers without torch
def test_integer_tensors_with_floats_become_the_default_float_dtype():
    n = autograd.arange(4)
    assert (n * 0.5).dtype == np.float32 and (0.5 * n).dtype == np.float32
    assert (n * np.float64(0.5)).tolist() == [0.0, 0.5, 1.0, 1.5]
    assert (n / 2).dtype == np.float32 and (n / 2).tolist() == [0.0, 0.5, 1.0, 1.5]
    assert (autograd.tensor([True, False]) * 1.5).tolist() == [1.5, 0.0]
    assert (n + 1).dtype == np.int64 and (n * 2).tolist() == [0, 2, 4, 6]  # ints stay ints


def test_integer_tensors_follow_set_default_dtype(float64_default):
    assert (autograd.arange(3) * 0.5).dtype == np.float64
    assert (autograd.arange(3) / 2).dtype == np.float64


def test_float_division_keeps_its_dtype():
    x = autograd.tensor([1.0, 2.0], dtype=autograd.float64)
    assert (x / 2).dtype == np.float64 and (x / autograd.arange(1, 3)).tolist() == [1.0, 1.0]


def test_t_transposes_matrices_and_leaves_vectors():
    x = autograd.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert x.t().tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert autograd.t(autograd.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    with pytest.raises(autograd.ShapeError, match=r"t: expects .* at most 2 .*\(2, 2, 2\)"):
        autograd.zeros(2, 2, 2).t()


def test_clamp_is_a_method_too():
    assert autograd.tensor([-2.0, 0.5, 3.0]).clamp(0, 1).tolist() == [0.0, 0.5, 1.0]
    assert autograd.tensor([-2.0, 0.5]).clamp(min=0).tolist() == [0.0, 0.5]


def test_tensor_takes_the_cpu_device_only():
    assert autograd.tensor([1.0], device="cpu").tolist() == [1.0]
    assert autograd.tensor(1, device=autograd.device("cpu")).item() == 1
    with pytest.raises(autograd.DeviceError, match="device: 'cuda:0' is not available"):
        autograd.tensor([1.0], device="cuda:0")


def test_diag_numbers():
    v = autograd.tensor([1.0, 2.0])
    assert autograd.diag(v, 1).tolist() == [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    assert autograd.diag(v, k=-1).tolist() == [[0, 0, 0], [1, 0, 0], [0, 2, 0]]
    x = autograd.arange(12).view(3, 4)
    assert x.diag().tolist() == [0, 5, 10] and x.diag(2).tolist() == [2, 7]
    assert x.diag(-2).tolist() == [8] and x.diag(9).tolist() == []
    with pytest.raises(autograd.ShapeError, match=r"diag: expected a 1-D or 2-D tensor, got "
                                                  r"shape \(2, 2, 2\)"):
        autograd.diag(autograd.zeros(2, 2, 2))


# ------------------------------------------------------------------ the known differences
def test_squeeze_of_a_longer_axis_leaves_it_as_pytorch_and_numpys_squeeze_raises():
    x = autograd.zeros(2, 3)
    assert x.squeeze(0).shape == x.squeeze(dim=0).shape == (2, 3)
    with pytest.raises(ValueError, match="cannot select an axis to squeeze out"):
        np.squeeze(x, 0)


def test_var_and_std_are_unbiased_unless_told_and_numpys_functions_are_not():
    x = autograd.tensor([1.0, 2.0, 3.0, 4.0])
    assert x.var().item() == pytest.approx(5 / 3) and x.var(correction=0).item() == 1.25
    assert x.std(dim=0, unbiased=True).item() == pytest.approx((5 / 3) ** 0.5)
    assert np.var(x).item() == 1.25 and x.var(ddof=0).item() == 1.25


def test_positional_max_gives_pytorchs_pair_and_amax_the_values():
    x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert x.amax(1).tolist() == [5.0, 7.0] and np.max(x, 1).tolist() == [5.0, 7.0]
    values, indices = x.max(1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]


def test_numpy_is_a_read_only_view_and_data_a_detached_tensor():
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    array = w.numpy()
    assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        array -= 1
    data = w.data  # PyTorch's: shares memory (and, here, the version counter)
    assert isinstance(data, autograd.Tensor) and not data.requires_grad
    data -= 1
    assert w.tolist() == [0.0, 1.0] and w._version == 1 and w.requires_grad


def test_micrograds_data_update_works_and_an_array_update_says_how_to_write_it():
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.data -= 0.5 * w.grad  # PyTorch's (and micrograd's) idiom
    assert w.tolist() == [0.0, 0.0] and w.is_leaf and w.requires_grad
    array = w.numpy()
    with pytest.raises(TypeError, match=r"np.subtract on a Tensor: .*cannot be updated in place "
                                        r"with a Tensor.*t.data -= lr \* t.grad"):
        array -= 0.1 * w.grad
    with pytest.raises(ValueError, match="read-only"):
        array -= 0.1 * w.grad.numpy()
    assert w.tolist() == [0.0, 0.0]


def test_triangles_need_a_matrix():
    with pytest.raises(autograd.ShapeError, match=r"tril: expected a tensor of at least 2 "
                                                  r"dimensions .*got shape \(3,\)"):
        autograd.tril(autograd.ones(3))
    with pytest.raises(autograd.ShapeError, match=r"triu: expected .*got shape \(\)"):
        autograd.tensor(1.0).triu()


def test_checks_are_boolean_and_reduce_with_dim():
    x = autograd.tensor([[1.0, float("nan")], [float("inf"), -2.0]])
    assert x.isnan().tolist() == [[False, True], [False, False]]
    assert x.isinf().tolist() == [[False, False], [True, False]]
    assert autograd.isfinite(x).all(dim=1).tolist() == [False, False]
    assert (x < 0).any(dim=0, keepdim=True).tolist() == [[False, True]]
    assert (x > -5).all(1).tolist() == [False, True]  # NaN > -5 is false


def test_reciprocal_of_integers_is_the_default_float():
    assert autograd.arange(1, 3).reciprocal().tolist() == [1.0, 0.5]
    assert autograd.arange(1, 3).reciprocal().dtype == np.float32


def test_pytorch_split_sizes_must_add_up():
    x = autograd.zeros(2, 5)
    with pytest.raises(autograd.ShapeError, match=r"split: sizes \[1, 2\] add up to 3, but "
                                                  r"dim 1 has size 5"):
        x.split([1, 2], dim=1)
    with pytest.raises(autograd.ShapeError, match="split: the piece size must be positive"):
        x.split(0, dim=0)
    with pytest.raises(autograd.ShapeError, match="chunk: chunks must be positive, got 0"):
        x.chunk(0)
    assert [p.shape for p in x.split(2)] == [(2, 5)]  # PyTorch's: pieces of 2
    assert [p.shape for p in np.split(x, 2)] == [(1, 5), (1, 5)]  # numpy's: 2 sections


def test_type_without_a_dtype_names_it():
    assert autograd.zeros(2).type() == "float32"


def test_functional_pad_is_differentiable_and_checks_its_pairs():
    import nn

    x = autograd.tensor(np.linspace(-1, 1, 6).reshape(2, 3), requires_grad=True,
                        dtype=autograd.float64)
    assert autograd.gradcheck(lambda t: nn.functional.pad(t, (2, 1, 0, 1), value=0.5), x)
    with pytest.raises(autograd.ShapeError, match=r"pad: pad \(1, 1, 1\) must be \(before, "
                                                  r"after\) pairs"):
        nn.functional.pad(x, (1, 1, 1))
    assert nn.functional.pad(x, (-1, 0)).shape == (2, 2)  # negative pads crop, as PyTorch


def test_one_hot_checks_its_classes():
    import nn

    with pytest.raises(ValueError, match=r"one_hot: class indices must lie in \[0, 2\) for "
                                         r"num_classes=2, got values from 0 to 3"):
        nn.functional.one_hot(autograd.tensor([0, 3]), 2)
    with pytest.raises(TypeError, match="one_hot: expected integer class indices, got dtype "
                                        "float32"):
        nn.functional.one_hot(autograd.tensor([0.0]))


def test_the_smaller_differences_from_pytorch():
    import nn

    x = autograd.zeros(2, 3)
    assert x.size == 6 and x.size() == (2, 3) and x.size(-1) == 3 and type(x.size()) is tuple
    assert str(x.dtype) == "float32" and x.dtype is autograd.float32
    assert autograd.Tensor([1, 2]).dtype == np.int64  # torch.Tensor([1, 2]) is float32
    assert format(nn.Parameter(autograd.tensor(0.25)), ".3f") == "0.250"
    with pytest.raises(autograd.DeviceError, match="'cuda' is not available"):
        x.cuda()
    # equal is PyTorch's one bool; the elementwise == is eq (and numpy's np.equal)
    assert autograd.equal(x, x) is True and autograd.eq(x, x).shape == (2, 3)
    assert np.equal(x, x).shape == (2, 3)
