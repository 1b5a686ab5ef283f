"""nn.init: gains, fans, each initializer's statistics, the course notes' experiment, LSUV."""
import math

import numpy as np
import pytest

import autograd
import nn
from autograd import DtypeError, ShapeError
from nn import init


def test_calculate_gain():
    assert init.calculate_gain("linear") == init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match=r"calculate_gain: unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match=r"calculate_gain: the leaky_relu slope must be a "
                                         r"number, got 'a'"):
        init.calculate_gain("leaky_relu", "a")


def test_fans_of_linear_and_conv_weights():
    assert init.calculate_fan_in_and_fan_out(autograd.zeros(5, 3)) == (3, 5)
    # conv weight (out, in / groups, kh, kw): fan_in = kh * kw * in_channels per group
    assert init.calculate_fan_in_and_fan_out(autograd.zeros(8, 3, 5, 4)) == (60, 160)
    with pytest.raises(ShapeError, match=r"xavier_normal_: fan in and fan out need a weight of "
                                         r"at least 2 dimensions \(out, in, \*kernel\), got "
                                         r"shape \(4,\)"):
        init.xavier_normal_(autograd.zeros(4))


# ---------------------------------------------------------------- simple fills
def test_uniform_and_normal_statistics():
    w = autograd.zeros(200, 300)
    assert init.uniform_(w, -2.0, 1.0) is w
    assert -2 <= w.numpy().min() < -1.99 and 0.99 < w.numpy().max() < 1
    assert w.numpy().mean() == pytest.approx(-0.5, abs=0.01)
    assert w.numpy().std() == pytest.approx(3 / math.sqrt(12), rel=0.01)
    init.normal_(w, mean=3.0, std=0.5)
    assert w.numpy().mean() == pytest.approx(3.0, abs=0.005)
    assert w.numpy().std() == pytest.approx(0.5, rel=0.01)
    assert w.dtype == np.float32


def test_constant_zeros_ones_eye():
    w = autograd.zeros(2, 3, dtype="float64")
    np.testing.assert_array_equal(init.constant_(w, 0.25).data, np.full((2, 3), 0.25))
    np.testing.assert_array_equal(init.ones_(w).data, np.ones((2, 3)))
    np.testing.assert_array_equal(init.zeros_(w).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(init.eye_(w).data, [[1, 0, 0], [0, 1, 0]])
    assert w.dtype == np.float64
    with pytest.raises(ShapeError, match=r"eye_: needs a tensor of exactly 2 dimensions, got "
                                         r"shape \(2, 2, 2\)"):
        init.eye_(autograd.zeros(2, 2, 2))


def test_fills_are_reproducible_and_in_place():
    layer = nn.Linear(4, 3)
    autograd.manual_seed(7)
    same = init.normal_(layer.weight)
    first = layer.weight.numpy().copy()
    autograd.manual_seed(7)
    init.normal_(layer.weight)
    assert same is layer.weight
    np.testing.assert_array_equal(layer.weight.data, first)
    assert layer.weight.requires_grad and layer.weight.is_leaf


def test_fill_errors():
    with pytest.raises(TypeError, match=r"normal_: expected an autograd.Tensor \(e.g. "
                                        r"layer.weight\), got ndarray"):
        init.normal_(np.zeros(3))
    with pytest.raises(DtypeError, match=r"zeros_: can only fill a floating-point tensor, got "
                                         r"dtype int64"):
        init.zeros_(autograd.tensor([1, 2]))


# ---------------------------------------------------------------- fan-scaled inits
FAN_INITS = [
    # (function, kwargs, expected std for a weight with fan_in 300 and fan_out 200)
    (init.xavier_uniform_, {}, math.sqrt(2 / 500)),
    (init.xavier_normal_, {"gain": 5 / 3}, 5 / 3 * math.sqrt(2 / 500)),
    (init.kaiming_uniform_, {"nonlinearity": "relu"}, math.sqrt(2 / 300)),
    (init.kaiming_normal_, {"a": 0.2}, math.sqrt(2 / 1.04 / 300)),
    (init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2 / 200)),
    (init.kaiming_uniform_, {"a": math.sqrt(5)}, 1 / math.sqrt(3 * 300)),
]


@pytest.mark.parametrize("fill, kwargs, std", FAN_INITS)
def test_fan_scaled_init_statistics(fill, kwargs, std):
    w = autograd.zeros(200, 300)
    fill(w, **kwargs)
    assert w.numpy().std() == pytest.approx(std, rel=0.01)
    assert abs(w.numpy().mean()) < 0.01 * std
    if "uniform" in fill.__name__:  # U(-b, b) with b = sqrt(3) std
        assert math.sqrt(3) * std * 0.999 < np.abs(w.data).max() <= math.sqrt(3) * std


def test_conv_weight_fan_in_is_kernel_area_times_in_channels():
    w = autograd.zeros(64, 8, 3, 3)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert w.numpy().std() == pytest.approx(math.sqrt(2 / (8 * 3 * 3)), rel=0.02)


@pytest.mark.parametrize("fill, kwargs, std", FAN_INITS)
def test_fan_scaled_init_matches_torch(fill, kwargs, std):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn.init, fill.__name__)(torch.empty(200, 300), **kwargs)
    ours = fill(autograd.zeros(200, 300), **kwargs)
    assert ours.numpy().std() == pytest.approx(float(theirs.std()), rel=0.02)


def test_kaiming_mode_error():
    with pytest.raises(ValueError, match=r"kaiming_normal_: mode must be 'fan_in' or 'fan_out', "
                                         r"got 'fan_avg'"):
        init.kaiming_normal_(autograd.zeros(2, 2), mode="fan_avg")


def test_default_uniform_and_empty_tensors():
    w, b = autograd.zeros(3, 16), autograd.zeros(3)
    init.default_uniform_(w, b)
    assert 0 < np.abs(w.data).max() <= 0.25 and 0 < np.abs(b.data).max() <= 0.25
    layer = nn.Linear(0, 3)  # fan_in 0: an empty weight, a zero bias (as PyTorch)
    np.testing.assert_array_equal(layer.bias.data, 0)
    assert init.kaiming_normal_(autograd.zeros(0, 4)).shape == (0, 4)


# ---------------------------------------------------------------- orthogonal, sparse
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (4, 2, 3, 3)])
def test_orthogonal(shape):
    w = init.orthogonal_(autograd.zeros(*shape, dtype="float64"), gain=2.0)
    flat = w.numpy().reshape(shape[0], -1)
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, 4 * np.eye(small), atol=1e-12)
    assert w.dtype == np.float64
    with pytest.raises(ShapeError, match=r"orthogonal_: needs a tensor of at least 2 "
                                         r"dimensions, got shape \(3,\)"):
        init.orthogonal_(autograd.zeros(3))


def test_sparse():
    w = init.sparse_(autograd.zeros(10, 400), sparsity=0.25)
    zeros_per_column = (w.numpy() == 0).sum(axis=0)
    np.testing.assert_array_equal(zeros_per_column, 3)  # ceil(0.25 * 10)
    assert w.numpy()[w.numpy() != 0].std() == pytest.approx(0.01, rel=0.05)
    assert len({tuple(np.flatnonzero(col == 0)) for col in w.numpy().T}) > 50  # rows vary
    with pytest.raises(ValueError, match=r"sparse_: sparsity must be in \[0, 1\] .*, got 1.5"):
        init.sparse_(autograd.zeros(2, 2), 1.5)
    with pytest.raises(ShapeError, match=r"sparse_: needs a tensor of exactly 2 dimensions"):
        init.sparse_(autograd.zeros(2, 2, 2), 0.5)


def test_sparse_k_nonzero_weights_per_unit():
    """The decks' sparse init: each unit (row of a (out, in) weight) sees exactly k inputs."""
    w = init.sparse_(autograd.zeros(300, 50), nonzero_per_unit=15, std=1.0).numpy()
    np.testing.assert_array_equal((w != 0).sum(axis=1), 15)
    assert abs((w != 0).mean(axis=0).mean() - 15 / 50) < 0.01 and (w != 0).any(axis=0).all()
    assert w[w != 0].std() == pytest.approx(1.0, rel=0.05)
    with pytest.raises(ValueError, match=r"sparse_: nonzero_per_unit must be an integer in "
                                         r"\[0, 50\] \(the rows have 50 entries\), got 51"):
        init.sparse_(autograd.zeros(3, 50), nonzero_per_unit=51)
    with pytest.raises(ValueError, match=r"sparse_: give sparsity .* or nonzero_per_unit .*"
                                         r"exactly one of them"):
        init.sparse_(autograd.zeros(3, 5), 0.5, nonzero_per_unit=2)


# ---------------------------------------------------------------- the course notes' experiment
# The notes' net is 4096 wide (`make test-long`; notebook 02 runs it too); 1024 wide, with the
# small weights' std scaled to keep their per-layer gain 0.01 * sqrt(4096) = 0.64, every claim
# holds alike at a sixteenth of the cost.
WIDTHS = [1024, pytest.param(4096, marks=pytest.mark.slow)]


def activation_stds(fill, activation, width):
    """Per-layer std of the activations of the notes' 6-layer bias-free net, ``width`` wide."""
    x = autograd.randn(16, width)
    layer = nn.Linear(width, width, bias=False)  # refilled for each layer: saves memory and time
    stds = []
    with autograd.no_grad():
        for _ in range(6):
            fill(layer.weight)
            x = activation(layer(x))
            stds.append(float(x.numpy().std()))
    return np.array(stds)


@pytest.mark.parametrize("width", WIDTHS)
def test_notes_experiment_xavier_tanh(width):
    stds = activation_stds(init.xavier_normal_, autograd.tanh, width)
    np.testing.assert_allclose(stds, [0.63, 0.49, 0.41, 0.36, 0.32, 0.30], atol=0.03)


@pytest.mark.parametrize("width", WIDTHS)
def test_notes_experiment_small_weights_collapse(width):
    std = 0.01 * math.sqrt(4096 / width)  # the notes' 0.01 at their width
    stds = activation_stds(lambda w: init.normal_(w, std=std), autograd.tanh, width)
    assert np.all(np.diff(stds) < 0) and stds[-1] < 0.1 * stds[0] and stds[-1] < 0.05


@pytest.mark.parametrize("width", WIDTHS)
def test_notes_experiment_kaiming_relu_stays_steady(width):
    stds = activation_stds(lambda w: init.kaiming_normal_(w, nonlinearity="relu"),
                           autograd.relu, width)
    assert np.all((stds > 0.7) & (stds < 0.95))  # sqrt(1 - 1/pi) ~ 0.83 for every layer
    assert stds.max() / stds.min() < 1.15


# ---------------------------------------------------------------- LSUV
def test_lsuv_gives_unit_output_variance():
    model = nn.Sequential(nn.Linear(20, 30), nn.Tanh(), nn.Linear(30, 30), nn.ReLU(),
                          nn.Linear(30, 5))
    batch = autograd.randn(256, 20) * 5
    outputs = {}
    for layer in model:
        layer.register_forward_hook(lambda m, args, out: outputs.__setitem__(m, out))
    assert init.lsuv_(model, batch, tol=0.05) is model
    model(batch)
    for layer in (model[0], model[2], model[4]):
        assert abs(float(outputs[layer].numpy().var()) - 1) < 0.05
        np.testing.assert_array_equal(layer.bias.data, 0)


def test_lsuv_on_a_conv_net_restores_buffers_and_removes_its_hooks():
    class Counter(nn.Module):  # a buffer that every forward pass changes
        def __init__(self):
            super().__init__()
            self.register_buffer("calls", autograd.zeros(1))

        def forward(self, x):
            self.calls = self.calls + 1
            return x

    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), Counter(), nn.ReLU(),
                          nn.Conv2d(8, 4, 3, bias=False), nn.Flatten())
    batch = autograd.randn(8, 3, 6, 6)
    init.lsuv_(model, batch)
    np.testing.assert_array_equal(model[1].calls.data, [0])
    assert all(not m._forward_hooks for m in model.modules())
    conv_out = model[0](batch)
    assert abs(float(conv_out.numpy().var()) - 1) < 0.1
    assert abs(float(model(batch).numpy().var()) - 1) < 0.1


def test_lsuv_errors():
    with pytest.raises(ValueError, match=r"lsuv_: Sequential has no layer with a weight of 2 "
                                         r"or more dimensions"):
        init.lsuv_(nn.Sequential(nn.ReLU()), autograd.randn(4, 3))
    with pytest.raises(ValueError, match=r"lsuv_: the output of Linear\(.*\) is constant on "
                                         r"this batch"):
        init.lsuv_(nn.Sequential(nn.Linear(3, 2)), autograd.zeros(4, 3))
