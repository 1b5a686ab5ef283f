"""nn.Linear / F.linear, nn.Identity, nn.Flatten."""
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import DtypeError, ShapeError


def f64(*shape, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(data, dtype="float64", requires_grad=True)


# ---------------------------------------------------------------- F.linear
def test_linear_values_by_hand():
    x = autograd.tensor([[1.0, -1.0]])
    w = autograd.tensor([[1.0, 2.0], [3.0, 5.0], [0.5, 0.0]])
    b = autograd.tensor([10.0, 0.0, -1.0])
    np.testing.assert_allclose(F.linear(x, w, b).data, [[9.0, -2.0, -0.5]])
    np.testing.assert_allclose(F.linear(x, w).data, [[-1.0, -2.0, 0.5]])


@pytest.mark.parametrize("x_shape", [(1, 3), (3,), (2, 1, 3), (4, 3), (3, 2, 2, 3)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_gradcheck(x_shape, with_bias):
    x, w, b = f64(*x_shape, seed=1), f64(2, 3, seed=2), f64(2, seed=3)
    fn = (lambda x, w, b: F.linear(x, w, b)) if with_bias else (lambda x, w, b: F.linear(x, w))
    args = (x, w, b) if with_bias else (x, w, None)
    assert autograd.gradcheck(fn, args, check_forward_ad=True)  # one fused node: both modes
    assert autograd.gradgradcheck(fn, args)


def test_linear_on_leading_axes_is_the_rows_product():
    # leading axes are flattened into one matrix product, a strided input copied first
    x, w, b = f64(4, 3, 5, seed=1).transpose(0, 1), f64(2, 5, seed=2), f64(2, seed=3)
    out = F.linear(x, w, b)
    rows = F.linear(x.reshape(-1, 5), w, b).reshape(3, 4, 2)
    np.testing.assert_allclose(out.numpy(), rows.numpy(), rtol=1e-12)
    assert autograd.gradcheck(F.linear, (x, w, b), check_forward_ad=True)


def test_linear_keeps_float32():
    layer = nn.Linear(3, 2)
    out = layer(autograd.ones(4, 3))
    assert layer.weight.dtype == layer.bias.dtype == out.dtype == np.float32


@pytest.mark.parametrize("args, error, match", [
    ((autograd.ones(2, 4), autograd.ones(3, 3)), ShapeError,
     r"linear: input of shape \(2, 4\) does not fit weight of shape \(3, 3\).*in_features = 3"),
    ((autograd.ones(2, 3), autograd.ones(3)), ShapeError, r"linear: weight must be 2-D"),
    ((autograd.ones(2, 3), autograd.ones(2, 3), autograd.ones(3)), ShapeError,
     r"linear: bias of shape \(3,\) does not broadcast to the output's shape \(2, 2\) .*"
     r"expected shape \(2,\)"),
    ((autograd.ones(2, 3, dtype="float64"), autograd.ones(2, 3)), DtypeError,
     r"linear: the input is float64 but the parameters are float32.*model.double\(\)"),
    ((autograd.tensor([[1, 2, 3]]), autograd.ones(2, 3)), DtypeError,
     r"linear: expected a floating-point input, got dtype int64"),
])
def test_linear_errors(args, error, match):
    with pytest.raises(error, match=match):
        F.linear(*args)


@pytest.mark.parametrize("bias_shape", [(), (1,), (2, 1), (1, 4)])
def test_linear_takes_any_bias_that_broadcasts_to_the_output_as_pytorch(bias_shape):
    x, w, b = f64(2, 3), f64(4, 3, seed=1), f64(*bias_shape, seed=2)
    out = F.linear(x, w, b)
    np.testing.assert_allclose(out.numpy(), x.numpy() @ w.numpy().T + b.numpy())
    assert autograd.gradcheck(F.linear, (x, w, b), check_forward_ad=True)
    if len(bias_shape) == 2:  # it would make a vector input's (4,) output a matrix
        with pytest.raises(ShapeError, match=r"does not broadcast to the output's shape \(4,\)"):
            F.linear(f64(3), w, b)


def test_linear_matches_torch():
    torch = pytest.importorskip("torch")
    x, w, b = f64(5, 3, seed=4), f64(2, 3, seed=5), f64(2, seed=6)
    F.linear(x, w, b).sum().backward()
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    out = torch.nn.functional.linear(tx, tw, tb)
    out.sum().backward()
    np.testing.assert_allclose(F.linear(x, w, b).data, out.detach().numpy(), atol=1e-12)
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), atol=1e-12)


# ---------------------------------------------------------------- nn.Linear
def test_linear_module_parameters_and_repr():
    layer = nn.Linear(4, 3)
    assert (layer.in_features, layer.out_features) == (4, 3)
    assert [(n, p.shape) for n, p in layer.named_parameters()] == [("weight", (3, 4)),
                                                                   ("bias", (3,))]
    assert list(layer.state_dict()) == ["weight", "bias"]
    assert repr(layer) == "Linear(in_features=4, out_features=3, bias=True)"
    no_bias = nn.Linear(4, 3, bias=False)
    assert no_bias.bias is None and [n for n, _ in no_bias.named_parameters()] == ["weight"]
    assert repr(no_bias).endswith("bias=False)")
    assert nn.Linear(2, 2, dtype="float64").weight.dtype == np.float64


def test_linear_default_init_is_pytorchs():
    # U(-1/sqrt(in), 1/sqrt(in)) for weight and bias: std = bound / sqrt(3)
    autograd.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.95 * bound
    assert layer.weight.numpy().std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert abs(layer.weight.numpy().mean()) < 0.02 * bound


def test_linear_init_is_reproducible():
    autograd.manual_seed(3)
    first = nn.Linear(3, 2).weight.numpy().copy()
    autograd.manual_seed(3)
    np.testing.assert_array_equal(nn.Linear(3, 2).weight.data, first)


def test_linear_module_gradcheck_all_parameters():
    layer = nn.Linear(3, 2).double()
    x = f64(1, 3, seed=7)
    call = lambda x, w, b: nn.utils.functional_call(layer, {"weight": w, "bias": b}, x)
    w = layer.weight.detach().requires_grad_()
    b = layer.bias.detach().requires_grad_()
    assert autograd.gradcheck(call, (x, w, b))


def test_linear_module_matches_torch():
    torch = pytest.importorskip("torch")
    layer = nn.Linear(3, 2, dtype="float64")
    reference = torch.nn.Linear(3, 2, dtype=torch.float64)
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in layer.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((4, 3))
    np.testing.assert_allclose(layer(autograd.tensor(x)).data,
                               reference(torch.tensor(x)).detach().numpy(), atol=1e-12)


# ---------------------------------------------------------------- Identity, Flatten
def test_identity_returns_its_input():
    x = autograd.ones(2)
    assert nn.Identity(54, unused="ignored")(x) is x
    assert repr(nn.Identity()) == "Identity()"


@pytest.mark.parametrize("start, end, shape", [
    (1, -1, (2, 60)), (0, -1, (120,)), (0, 1, (6, 4, 5)), (-2, -1, (2, 3, 20)),
    (2, 2, (2, 3, 4, 5)),
])
def test_flatten_shapes(start, end, shape):
    x = autograd.tensor(np.arange(120.0).reshape(2, 3, 4, 5))
    out = nn.Flatten(start, end)(x)
    assert out.shape == shape
    np.testing.assert_array_equal(out.numpy().ravel(), np.arange(120.0))


def test_flatten_gradcheck_and_repr():
    assert autograd.gradcheck(nn.Flatten(), f64(1, 2, 1, 3))
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


@pytest.mark.parametrize("start, end", [(3, -1), (2, 1), (0, 5)])
def test_flatten_errors(start, end):
    with pytest.raises(ShapeError, match=rf"Flatten: start_dim={start}, end_dim={end} do not "
                                         r"name a range of axes of an input of shape \(2, 3, 4\)"):
        nn.Flatten(start, end)(autograd.zeros(2, 3, 4))
