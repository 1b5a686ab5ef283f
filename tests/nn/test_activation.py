"""Activations (nn.functional and nn layers) and the core erf behind exact GELU: values worked
out by hand, gradients at 0 (PyTorch's conventions), gradcheck/gradgradcheck in float64 away
from kinks, safety at |x| = 1000 in float32 and float64, RReLU's randomness, PReLU's and
Maxout's parameters, errors, and PyTorch parity."""
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import ShapeError

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def phi(x):
    """The standard normal CDF."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def t64(values, requires_grad=True):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def away_from_zero(shape, seed=0):
    """float64 values in [-3, 3], at least 0.1 from the kink at 0."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.1, 3, shape) * rng.choice([-1, 1], shape)
    return t64(x)


# name -> (our function of x, PyTorch's function of x, given the torch module); the
# parametrized activations appear with non-default hyperparameters
ACTIVATIONS = {
    "sigmoid": (F.sigmoid, lambda torch, x: torch.sigmoid(x)),
    "tanh": (F.tanh, lambda torch, x: torch.tanh(x)),
    "relu": (F.relu, lambda torch, x: torch.relu(x)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2),
                   lambda torch, x: torch.nn.functional.leaky_relu(x, 0.2)),
    "prelu": (lambda x: F.prelu(x, autograd.tensor([0.3], dtype=x.dtype)),
              lambda torch, x: torch.nn.functional.prelu(x, torch.tensor([0.3], dtype=x.dtype))),
    "rrelu-eval": (lambda x: F.rrelu(x, 0.1, 0.4),
                   lambda torch, x: torch.nn.functional.rrelu(x, 0.1, 0.4, training=False)),
    "elu": (lambda x: F.elu(x, 1.5), lambda torch, x: torch.nn.functional.elu(x, 1.5)),
    "selu": (F.selu, lambda torch, x: torch.nn.functional.selu(x)),
    "gelu": (F.gelu, lambda torch, x: torch.nn.functional.gelu(x)),
    "gelu-tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda torch, x: torch.nn.functional.gelu(x, approximate="tanh")),
    "silu": (F.silu, lambda torch, x: torch.nn.functional.silu(x)),
    "softplus": (F.softplus, lambda torch, x: torch.nn.functional.softplus(x)),
    "softplus-beta2-threshold3": (lambda x: F.softplus(x, beta=2, threshold=3),
                                  lambda torch, x: torch.nn.functional.softplus(x, 2, 3)),
    "mish": (F.mish, lambda torch, x: torch.nn.functional.mish(x)),
    "softmax-axis0": (lambda x: F.softmax(x, axis=0),
                      lambda torch, x: torch.softmax(x, dim=0)),
    "log_softmax": (lambda x: F.log_softmax(x, -1),
                    lambda torch, x: torch.log_softmax(x, dim=-1)),
    "softmin": (lambda x: F.softmin(x, dim=-1),
                lambda torch, x: torch.nn.functional.softmin(x, -1)),
    "celu": (lambda x: F.celu(x, 1.5), lambda torch, x: torch.nn.functional.celu(x, 1.5)),
    "hardtanh": (lambda x: F.hardtanh(x, -0.7, 1.3),
                 lambda torch, x: torch.nn.functional.hardtanh(x, -0.7, 1.3)),
    "relu6": (F.relu6, lambda torch, x: torch.nn.functional.relu6(x)),
    "hardsigmoid": (F.hardsigmoid, lambda torch, x: torch.nn.functional.hardsigmoid(x)),
    "hardswish": (F.hardswish, lambda torch, x: torch.nn.functional.hardswish(x)),
    "softsign": (F.softsign, lambda torch, x: torch.nn.functional.softsign(x)),
    "logsigmoid": (F.logsigmoid, lambda torch, x: torch.nn.functional.logsigmoid(x)),
    "threshold": (lambda x: F.threshold(x, 0.4, -2.0),
                  lambda torch, x: torch.nn.functional.threshold(x, 0.4, -2.0)),
    "tanhshrink": (F.tanhshrink, lambda torch, x: torch.nn.functional.tanhshrink(x)),
    "softshrink": (lambda x: F.softshrink(x, 0.7),
                   lambda torch, x: torch.nn.functional.softshrink(x, 0.7)),
    "hardshrink": (lambda x: F.hardshrink(x, 0.7),
                   lambda torch, x: torch.nn.functional.hardshrink(x, 0.7)),
}
ALONG_AXIS = ("softmax", "log_softmax", "softmin")
ELEMENTWISE = [name for name in ACTIVATIONS if not name.startswith(ALONG_AXIS)]


# ------------------------------------------------------------------ values by hand
E = math.e
HAND = {  # name -> expected values at x = -1000, -1, 0, 1, 1000
    "sigmoid": [0, 1 / (1 + E), 0.5, 1 / (1 + 1 / E), 1],
    "tanh": [-1, -math.tanh(1), 0, math.tanh(1), 1],
    "relu": [0, 0, 0, 1, 1000],
    "leaky_relu": [-200, -0.2, 0, 1, 1000],
    "prelu": [-300, -0.3, 0, 1, 1000],
    "rrelu-eval": [-250, -0.25, 0, 1, 1000],  # the mean slope (0.1 + 0.4) / 2
    "elu": [-1.5, 1.5 * (1 / E - 1), 0, 1, 1000],
    "selu": [-SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA * (1 / E - 1), 0, SELU_SCALE,
             SELU_SCALE * 1000],
    "gelu": [0, -phi(-1), 0, phi(1), 1000],
    "gelu-tanh": [0, -0.5 * (1 - math.tanh(math.sqrt(2 / math.pi) * 1.044715)), 0,
                  0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715)), 1000],
    "silu": [0, -1 / (1 + E), 0, 1 / (1 + 1 / E), 1000],
    "softplus": [0, math.log1p(1 / E), math.log(2), math.log1p(E), 1000],
    "softplus-beta2-threshold3": [0, math.log1p(E ** -2) / 2, math.log(2) / 2,
                                  math.log1p(E ** 2) / 2, 1000],
    "mish": [0, -math.tanh(math.log1p(1 / E)), 0, math.tanh(math.log1p(E)), 1000],
}
# d/dx at x = -1000, 0 (PyTorch's choice at a kink) and 1000
SLOPES = {
    "sigmoid": [0, 0.25, 0], "tanh": [0, 1, 0], "relu": [0, 0, 1], "leaky_relu": [0.2, 0.2, 1],
    "prelu": [0.3, 0.3, 1], "rrelu-eval": [0.25, 0.25, 1], "elu": [0, 1.5, 1],
    "selu": [0, SELU_SCALE * SELU_ALPHA, SELU_SCALE], "gelu": [0, 0.5, 1],
    "gelu-tanh": [0, 0.5, 1], "silu": [0, 0.5, 1], "softplus": [0, 0.5, 1],
    "softplus-beta2-threshold3": [0, 0.5, 1], "mish": [0, math.tanh(math.log(2)), 1],
}


@pytest.mark.parametrize("name", HAND)
def test_values_by_hand(name):
    out = ACTIVATIONS[name][0](t64([-1000, -1, 0, 1, 1000], requires_grad=False))
    np.testing.assert_allclose(out.data, HAND[name], rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", SLOPES)
def test_slopes_at_zero_and_far_out(name):
    x = t64([-1000, 0, 1000])
    ACTIVATIONS[name][0](x).sum().backward()
    np.testing.assert_allclose(x.grad.data, SLOPES[name], rtol=1e-12, atol=1e-300)


def test_elu_and_selu_are_accurate_just_below_zero():  # exp(x) - 1 would cancel there
    x = t64([-1e-12, -1e-7, -1e-3], requires_grad=False)
    expected = [math.expm1(v) for v in x.data]
    np.testing.assert_allclose(F.elu(x).data, expected, rtol=1e-15)
    np.testing.assert_allclose(F.selu(x).data, SELU_SCALE * SELU_ALPHA * np.array(expected),
                               rtol=1e-15)


def test_softmax_and_log_softmax_values():
    x = t64([[0.0, math.log(3)], [1000.0, -1000.0]], requires_grad=False)
    np.testing.assert_allclose(F.softmax(x, 1).data, [[0.25, 0.75], [1, 0]], atol=1e-15)
    np.testing.assert_allclose(F.softmax(x, axis=0).data, [[0, 1], [1, 0]], atol=1e-15)
    np.testing.assert_allclose(F.log_softmax(x, 1).data, [[math.log(0.25), math.log(0.75)],
                                                       [0, -2000]], rtol=1e-15)


# ------------------------------------------------------------------ large inputs, dtypes
@pytest.mark.filterwarnings("error")  # an overflow or invalid-value warning fails the test
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_magnitude_1000_is_safe_and_keeps_the_dtype(name, dtype):
    x = autograd.tensor(np.array([[-1000, -30, -1, 0], [1, 30, 500, 1000]], dtype=dtype),
                        requires_grad=True)
    out = ACTIVATIONS[name][0](x)
    (out * out).sum().backward()
    assert out.dtype == dtype and x.grad.dtype == dtype
    assert np.isfinite(out.data).all() and np.isfinite(x.grad.data).all()


# ------------------------------------------------------------------ gradient checks
@pytest.mark.parametrize("shape", [(), (1,), (2, 3), (1, 3, 1)])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradcheck(name, shape):
    if name.startswith(ALONG_AXIS) and shape == ():
        pytest.skip("softmax needs an axis: a 0-d input has none")
    x = away_from_zero(shape)
    if name == "softplus-beta2-threshold3":  # keep off the switch to the linear regime
        x = autograd.where(np.abs(x.data - 1.5) < 0.1, x - 0.2, x).detach().requires_grad_()
    assert autograd.gradcheck(ACTIVATIONS[name][0], x, check_forward_ad=True)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradgradcheck(name):
    assert autograd.gradgradcheck(ACTIVATIONS[name][0], away_from_zero((2, 3), seed=1))


@pytest.mark.parametrize("axis", [0, 1, -1, (0, 2)])
@pytest.mark.parametrize("layer", [nn.Softmax, nn.LogSoftmax])
def test_softmax_layers_along_each_axis(layer, axis):
    x = away_from_zero((2, 3, 2))
    out = layer(axis=axis)(x)
    probs = out.data if layer is nn.Softmax else np.exp(out.data)
    np.testing.assert_allclose(probs.sum(axis=axis), 1.0, rtol=1e-12)
    assert autograd.gradcheck(layer(axis=axis), x)


# ------------------------------------------------------------------ layers
LAYERS = [  # (layer, the function it applies, its repr)
    (nn.Sigmoid(), F.sigmoid, "Sigmoid()"),
    (nn.Tanh(), F.tanh, "Tanh()"),
    (nn.ReLU(), F.relu, "ReLU()"),
    (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), "LeakyReLU(negative_slope=0.2)"),
    (nn.LeakyReLU(), lambda x: F.leaky_relu(x, 0.01), "LeakyReLU(negative_slope=0.01)"),
    (nn.ELU(), lambda x: F.elu(x, 1.0), "ELU(alpha=1.0)"),
    (nn.SELU(), F.selu, "SELU()"),
    (nn.GELU(), F.gelu, "GELU(approximate='none')"),
    (nn.GELU("tanh"), lambda x: F.gelu(x, "tanh"), "GELU(approximate='tanh')"),
    (nn.SiLU(), F.silu, "SiLU()"),
    (nn.Softplus(), F.softplus, "Softplus(beta=1.0, threshold=20.0)"),
    (nn.Softplus(2, 3), lambda x: F.softplus(x, 2, 3), "Softplus(beta=2, threshold=3)"),
    (nn.Mish(), F.mish, "Mish()"),
    (nn.RReLU().eval(), lambda x: F.leaky_relu(x, (1 / 8 + 1 / 3) / 2),
     f"RReLU(lower={1 / 8}, upper={1 / 3})"),
    (nn.Softmax(axis=0), lambda x: F.softmax(x, axis=0), "Softmax(dim=0)"),
    (nn.LogSoftmax(dim=-1), lambda x: F.log_softmax(x, -1), "LogSoftmax(dim=-1)"),
    (nn.Softmin(1), lambda x: F.softmin(x, 1), "Softmin(dim=1)"),
    (nn.Softsign(), F.softsign, "Softsign()"),
    (nn.LogSigmoid(), F.logsigmoid, "LogSigmoid()"),
    (nn.Tanhshrink(), F.tanhshrink, "Tanhshrink()"),
    (nn.Hardsigmoid(), F.hardsigmoid, "Hardsigmoid()"),
    (nn.Hardswish(), F.hardswish, "Hardswish()"),
    (nn.ReLU6(), F.relu6, "ReLU6()"),
    (nn.CELU(2.0), lambda x: F.celu(x, 2.0), "CELU(alpha=2.0)"),
    (nn.Hardtanh(-2.0, 0.5), lambda x: F.hardtanh(x, -2.0, 0.5),
     "Hardtanh(min_val=-2.0, max_val=0.5)"),
    (nn.Threshold(0.3, 5.0), lambda x: F.threshold(x, 0.3, 5.0),
     "Threshold(threshold=0.3, value=5.0)"),
    (nn.Softshrink(), F.softshrink, "Softshrink(0.5)"),
    (nn.Hardshrink(1.0), lambda x: F.hardshrink(x, 1.0), "Hardshrink(1.0)"),
]


@pytest.mark.parametrize("layer, function, text", LAYERS, ids=[t for _, _, t in LAYERS])
def test_layer_applies_its_function_and_prints_its_settings(layer, function, text):
    x = away_from_zero((2, 3))
    np.testing.assert_array_equal(layer(x).data, function(x).data)
    assert repr(layer) == text
    assert list(layer.parameters()) == []


# ------------------------------------------------------------------ RReLU
def test_rrelu_training_draws_one_slope_per_negative_element_repeatably():
    x = t64(-np.arange(1.0, 201.0).reshape(2, 100))
    layer = nn.RReLU(0.1, 0.3)
    autograd.manual_seed(5)
    first = layer(x)
    autograd.manual_seed(5)
    again = layer(x)
    np.testing.assert_array_equal(first.data, again.data)
    slopes = first.numpy() / x.numpy()
    assert (slopes >= 0.1).all() and (slopes <= 0.3).all()
    assert len(np.unique(slopes)) == slopes.size  # a slope per element, not per call
    assert abs(slopes.mean() - 0.2) < 0.02  # uniform on [0.1, 0.3]
    first.sum().backward()
    np.testing.assert_allclose(x.grad.data, slopes, rtol=1e-15)  # the slope is the gradient
    assert not np.array_equal(layer(x).data, first.data)  # a new draw each call


def test_rrelu_training_leaves_positives_alone_and_eval_uses_the_mean_slope():
    x = t64([-4.0, -1.0, 0.0, 2.0, 5.0])
    layer = nn.RReLU(0.1, 0.3)
    out = layer(x).data
    np.testing.assert_array_equal(out[2:], [0.0, 2.0, 5.0])
    layer.eval()
    np.testing.assert_array_equal(layer(x).data, [-0.8, -0.2, 0.0, 2.0, 5.0])
    assert F.rrelu(x, 0.1, 0.3).numpy().tolist() == layer(x).numpy().tolist()  # training=False


def test_rrelu_rejects_lower_above_upper():
    with pytest.raises(ValueError, match=r"rrelu: lower=0.5 is above upper=0.1"):
        nn.RReLU(0.5, 0.1)(t64([1.0]))


# ------------------------------------------------------------------ PReLU
def test_prelu_layer_owns_one_slope_or_one_per_channel():
    shared, per_channel = nn.PReLU(), nn.PReLU(3, init=0.1)
    assert [n for n, _ in shared.named_parameters()] == ["weight"]
    assert shared.weight.shape == (1,) and shared.weight.dtype == autograd.get_default_dtype()
    np.testing.assert_array_equal(per_channel.weight.data, np.float32([0.1, 0.1, 0.1]))
    assert repr(per_channel) == "PReLU(num_parameters=3)"


def test_prelu_gradient_for_its_per_channel_weight():
    layer = nn.PReLU(2).double()
    layer.weight.detach().copy_([0.25, 0.5])
    x = t64([[-2.0, 3.0], [-1.0, -4.0]])  # (N=2, C=2)
    out = layer(x)
    np.testing.assert_array_equal(out.data, [[-0.5, 3.0], [-0.25, -2.0]])
    out.sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.data, [-3.0, -4.0])  # sum of x <= 0
    np.testing.assert_array_equal(x.grad.data, [[0.25, 1.0], [0.25, 0.5]])


@pytest.mark.parametrize("shape, slopes", [((3,), 1), ((1, 1), 1), ((2, 3), 3), ((1, 2, 1), 2),
                                           ((2, 2, 3), 1), ((1, 2, 2, 1), 2)])
def test_prelu_gradcheck_input_and_weight(shape, slopes):
    weight = t64(np.linspace(0.1, 0.6, slopes))
    x = away_from_zero(shape)
    assert autograd.gradcheck(F.prelu, (x, weight), check_forward_ad=True)
    assert autograd.gradgradcheck(F.prelu, (x, weight))


def test_prelu_layer_gradcheck_in_float64():
    layer = nn.PReLU(3).double()
    assert autograd.gradcheck(
        lambda x, w: nn.utils.functional_call(layer, {"weight": w}, x),
        (away_from_zero((2, 3, 2)), t64(layer.weight.data)))


def test_prelu_rejects_a_weight_that_does_not_fit_the_channels():
    with pytest.raises(ShapeError, match=r"prelu: weight of shape \(3,\) does not fit input of "
                                         r"shape \(2, 4\): expected shape \(1,\) or \(4,\)"):
        nn.PReLU(3)(autograd.ones(2, 4))
    with pytest.raises(ValueError, match=r"PReLU: num_parameters=0 must be at least 1"):
        nn.PReLU(0)


# ------------------------------------------------------------------ Maxout
def test_maxout_takes_the_max_over_its_pieces():
    weight = t64([[[1.0, 0.0], [-1.0, 0.0]], [[0.0, 2.0], [0.0, 1.0]]])  # (2 units, 2 pieces, 2)
    bias = t64([[0.0, 0.0], [0.0, 1.0]])
    x = t64([[-3.0, 0.5], [-2.0, 2.0]])
    out = F.maxout(x, weight, bias)  # unit 0: |x0|; unit 1: max(2 x1, x1 + 1)
    np.testing.assert_array_equal(out.data, [[3.0, 1.5], [2.0, 4.0]])
    out.sum().backward()
    np.testing.assert_array_equal(bias.grad.data, [[0, 2], [1, 1]])  # wins of each piece
    np.testing.assert_array_equal(weight.grad.data, [[[0, 0], [-5, 2.5]],  # x where it won
                                                     [[-2, 2], [-3, 0.5]]])


@pytest.mark.parametrize("shape", [(1, 3), (2, 3), (3,), (2, 1, 3)])
def test_maxout_gradcheck_input_weight_and_bias(shape):
    layer = nn.Maxout(3, 2, pieces=3).double()
    params = dict(layer.named_parameters())
    inputs = (away_from_zero(shape), t64(params["weight"].data), t64(params["bias"].data))
    fn = lambda x, w, b: nn.utils.functional_call(layer, {"weight": w, "bias": b}, x)
    assert autograd.gradcheck(fn, inputs)
    assert autograd.gradgradcheck(fn, inputs)


def test_maxout_layer_initializes_like_linear():
    autograd.manual_seed(0)
    layer = nn.Maxout(16, 8, pieces=4)
    assert layer.weight.shape == (8, 4, 16) and layer.bias.shape == (8, 4)
    for p in layer.parameters():
        assert p.dtype == np.float32
        assert np.abs(p.data).max() <= 0.25 and np.abs(p.data).max() > 0.2  # U(-1/4, 1/4)
    autograd.manual_seed(0)
    np.testing.assert_array_equal(nn.Maxout(16, 8, pieces=4).weight.data, layer.weight.data)
    assert layer(autograd.ones(5, 16)).shape == (5, 8)
    assert repr(layer) == "Maxout(in_features=16, out_features=8, pieces=4)"


def test_maxout_errors_name_the_shapes():
    with pytest.raises(ShapeError, match=r"maxout: input of shape \(2, 5\) does not fit weight "
                                         r"of shape \(3, 2, 4\)"):
        nn.Maxout(4, 3, pieces=2)(autograd.ones(2, 5))
    with pytest.raises(ShapeError, match=r"maxout: bias of shape \(3,\) does not fit weight of "
                                         r"shape \(3, 2, 4\): expected \(3, 2\)"):
        F.maxout(autograd.ones(2, 4), autograd.ones(3, 2, 4), autograd.ones(3))
    with pytest.raises(ValueError, match=r"Maxout: .*pieces=0 must all be at least 1"):
        nn.Maxout(4, 3, pieces=0)


# ------------------------------------------------------------------ other errors
def test_gelu_rejects_an_unknown_approximation():
    with pytest.raises(ValueError, match=r"gelu: approximate='erf' is not supported; use "
                                         r"'none' \(exact, with erf\) or 'tanh'"):
        nn.GELU("erf")(t64([1.0]))


def test_softplus_rejects_a_zero_beta_and_takes_a_negative_one_as_pytorch():
    with pytest.raises(ValueError, match=r"softplus: beta=0 must be nonzero"):
        F.softplus(t64([1.0]), beta=0)
    torch = pytest.importorskip("torch")
    x = np.linspace(-30, 30, 13)
    np.testing.assert_allclose(F.softplus(t64(x), beta=-1.5, threshold=2.0).numpy(),
                               torch.nn.functional.softplus(torch.tensor(x), -1.5, 2.0).numpy(),
                               rtol=1e-12)


# ------------------------------------------------------------------ erf (core op for GELU)
def test_erf_values_symmetry_and_dtypes():
    x = np.array([0.0, 0.5, 1.0, 2.0, 30.0, np.inf])
    known = [0.0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 1.0, 1.0]
    np.testing.assert_allclose(autograd.erf(t64(x)).data, known, rtol=1e-15)
    np.testing.assert_array_equal(autograd.erf(t64(-x)).data, -autograd.erf(t64(x)).data)  # odd
    assert autograd.erf(autograd.tensor([0.5])).dtype == np.float32
    assert autograd.erf(np.arange(3)).dtype == np.float32  # integers: the default float


def test_erf_gradient_is_the_gaussian_density_times_two():
    x = t64([-1.0, 0.0, 0.5, 40.0])
    autograd.erf(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 / math.sqrt(math.pi) * np.exp(-x.data ** 2),
                               rtol=1e-15)


# ------------------------------------------------------------------ PyTorch parity
POINTS = np.concatenate([np.linspace(-6, 6, 61), [-1000.0, -25.0, 25.0, 1000.0]])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_parity_with_torch(name):
    torch = pytest.importorskip("torch")
    ours, theirs = ACTIVATIONS[name]
    values = POINTS.reshape(5, 13)
    weights = np.random.default_rng(0).standard_normal(values.shape)
    x, tx = t64(values), torch.tensor(values, requires_grad=True)
    out, ref = ours(x), theirs(torch, tx)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    (out * weights).sum().backward()
    (ref * torch.tensor(weights)).sum().backward()
    # PyTorch's hardsigmoid backward scales by the float32 constant 1/6 (we use the exact 1/6)
    rtol = 1e-7 if name == "hardsigmoid" else 1e-10
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=rtol, atol=1e-14)


def test_prelu_and_maxout_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((4, 3, 2)), rng.uniform(0, 1, 3)
    ours, theirs = (t64(x), t64(w)), (torch.tensor(x, requires_grad=True),
                                      torch.tensor(w, requires_grad=True))
    out, ref = F.prelu(*ours), torch.nn.functional.prelu(*theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-15)
    out.sum().backward(), ref.sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-12)
    # maxout as PyTorch would write it: a Linear to out * pieces, then max over the pieces
    weight, bias = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3))
    x = rng.standard_normal((5, 4))
    ref = (torch.tensor(x) @ torch.tensor(weight.reshape(6, 4)).T
           + torch.tensor(bias.reshape(6))).reshape(5, 2, 3).amax(-1)
    np.testing.assert_allclose(F.maxout(t64(x), t64(weight), t64(bias)).data, ref.numpy(),
                               rtol=1e-14)


def test_erf_parity_with_torch():  # within 2 units in the last place
    torch = pytest.importorskip("torch")
    x = np.concatenate([np.linspace(-7, 7, 2001), [-1e-10, 1e-300, 30.0]])
    np.testing.assert_allclose(autograd.erf(x), torch.erf(torch.tensor(x)).numpy(),
                               rtol=4.5e-16, atol=0)


# ------------------------------------------------------------------ PyTorch's spellings
@pytest.mark.parametrize("function, layer", [(F.softmax, nn.Softmax),
                                             (F.log_softmax, nn.LogSoftmax)])
def test_dim_is_accepted_as_pytorchs_name_for_axis(function, layer):
    x = away_from_zero((2, 3, 2))
    expected = function(x, axis=1).data
    np.testing.assert_array_equal(function(x, dim=1).data, expected)
    np.testing.assert_array_equal(layer(dim=1)(x).data, expected)
    assert repr(layer(dim=0)) == repr(layer(axis=0)) == f"{layer.__name__}(dim=0)"
    with pytest.raises(TypeError, match=rf"{function.__name__}: got axis=0 and dim=1, two names "
                                        r"for one argument \(dim is PyTorch's name for axis\)"):
        function(x, axis=0, dim=1)
    with pytest.raises(TypeError, match=rf"{layer.__name__}: got axis=0 and dim=1"):
        layer(1, axis=0)


INPLACE_LAYERS = [  # (layer built with PyTorch's positional inplace=True, the plain layer)
    (lambda: nn.ReLU(True), nn.ReLU), (lambda: nn.LeakyReLU(0.2, True), lambda: nn.LeakyReLU(0.2)),
    (lambda: nn.ELU(1.5, True), lambda: nn.ELU(1.5)), (lambda: nn.SELU(True), nn.SELU),
    (lambda: nn.SiLU(True), nn.SiLU), (lambda: nn.Mish(True), nn.Mish),
    (lambda: nn.RReLU(0.1, 0.3, True).eval(), lambda: nn.RReLU(0.1, 0.3).eval()),
    (lambda: nn.CELU(1.5, True), lambda: nn.CELU(1.5)), (lambda: nn.ReLU6(True), nn.ReLU6),
    (lambda: nn.Hardtanh(-2.0, 2.0, True), lambda: nn.Hardtanh(-2.0, 2.0)),
    (lambda: nn.Hardsigmoid(True), nn.Hardsigmoid), (lambda: nn.Hardswish(True), nn.Hardswish),
    (lambda: nn.Threshold(0.1, 2.0, True), lambda: nn.Threshold(0.1, 2.0)),
]
DEFAULTS_NEEDED = {"Threshold": (0.1, 2.0)}  # layers whose arguments have no defaults


@pytest.mark.parametrize("make, plain", INPLACE_LAYERS)
def test_inplace_is_accepted_and_ignored(make, plain):
    x = away_from_zero((2, 3))
    before = x.numpy().copy()
    out = make()(x)
    np.testing.assert_array_equal(out.data, plain()(x).data)
    assert out is not x and repr(make()) == repr(plain())
    np.testing.assert_array_equal(x.data, before)  # a new tensor; the input is left as it was
    layer = type(plain())
    args = DEFAULTS_NEEDED.get(layer.__name__, ())
    assert repr(layer(*args, inplace=True)) == repr(layer(*args))  # by keyword too


FUNCTIONS_OF_X = [F.sigmoid, F.tanh, F.relu, F.leaky_relu, F.rrelu, F.elu, F.selu, F.gelu,
                  F.silu, F.softplus, F.mish, lambda x: F.softmax(x, -1),
                  lambda x: F.log_softmax(x, -1), F.celu, F.hardtanh, F.relu6, F.hardsigmoid,
                  F.hardswish, F.softsign, F.logsigmoid, F.tanhshrink, F.softshrink,
                  F.hardshrink, lambda x: F.softmin(x, 1), lambda x: F.threshold(x, 0.0, 1.0),
                  lambda x: F.prelu(x, autograd.tensor([0.25])),
                  lambda x: F.maxout(x, autograd.ones((1, 2, 3)))]


@pytest.mark.parametrize("function", FUNCTIONS_OF_X)
def test_functions_take_array_likes_as_autograd_tensor_does(function):
    x = [[-1.0, 0.5, 2.0]]  # Python floats: the default dtype, float32
    out = function(x)
    assert isinstance(out, autograd.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, function(autograd.tensor(x)).data)
    out64 = function(np.array(x))  # an ndarray keeps its dtype
    assert isinstance(out64, autograd.Tensor) and out64.dtype == np.float64


# ------------------------------------------------------------------ the shared softplus rule
def _softplus(x):
    """The softplus behind F.softplus, F.mish and the BCE losses: the core logaddexp(0, x)."""
    return autograd.logaddexp(0, x)


def test_softplus_rule_is_exact_at_any_magnitude_and_smooth_at_zero():
    x = t64([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    np.testing.assert_allclose(_softplus(x).data,
                               [0, math.log1p(math.exp(-30)), math.log(2),
                                30 + math.log1p(math.exp(-30)), 1000],
                               rtol=1e-15, atol=1e-300)
    (slope,) = autograd.grad(_softplus(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(slope.data, [0, 1 / (1 + math.exp(30)), 0.5,
                                            1 / (1 + math.exp(-30)), 1], rtol=1e-14, atol=1e-300)
    (curvature,) = autograd.grad(slope.sum(), x)  # sigmoid': 1/4 at 0 (a kink would give 0)
    np.testing.assert_allclose(curvature.numpy()[2], 0.25, rtol=1e-15)
    assert _softplus(x).grad_fn.name == "logaddexp"
    for point in (away_from_zero((2, 3)), t64([0.0, -1e-9, 1e-9])):
        assert autograd.gradcheck(_softplus, point, check_forward_ad=True)
        assert autograd.gradgradcheck(_softplus, point)


def test_maxout_reset_parameters_redraws_like_linear():
    layer = nn.Maxout(16, 8, pieces=4)
    autograd.manual_seed(3)
    layer.reset_parameters()
    first = [p.numpy().copy() for p in layer.parameters()]
    assert all(np.abs(p).max() <= 0.25 and p.dtype == np.float32 for p in first)
    autograd.manual_seed(3)
    layer.reset_parameters()
    for p, again in zip(first, layer.parameters()):
        np.testing.assert_array_equal(again.data, p)
    layer.reset_parameters()
    assert not np.array_equal(layer.weight.data, first[0])


# ------------------------------------------------------------------ integer inputs (nnfunc)
@pytest.mark.parametrize("function, expected", [
    (F.hardtanh, [-1, 0, 1, 1]), (F.relu6, [0, 0, 2, 6]),
    (lambda x: F.threshold(x, 0.5, 2.0), [2, 2, 2, 8])])
def test_clamping_activations_keep_integer_dtypes_as_pytorch(function, expected):
    out = function(autograd.tensor(np.array([-3, 0, 2, 8])))
    assert out.dtype == np.int64 and out.numpy().tolist() == expected


@pytest.mark.parametrize("name", ["celu", "hardsigmoid", "hardswish", "logsigmoid", "glu",
                                  "softshrink", "hardshrink", "softmin"])
def test_float_only_activations_refuse_integers_as_pytorch(name):
    with pytest.raises(autograd.DtypeError, match=rf"^{name}: expected a floating-point input, "
                                                  r"got dtype int64"):
        getattr(F, name)(autograd.tensor(np.array([[1, 2]])))
