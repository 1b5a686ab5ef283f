"""nn.utils.weight_norm / remove_weight_norm: w = g * v / ||v||."""
import copy
import pickle
import warnings

import numpy as np
import pytest

import autograd
import nn
from nn.utils import functional_call, remove_weight_norm, weight_norm


def linear(in_features=4, out_features=3):
    autograd.manual_seed(0)
    return nn.Linear(in_features, out_features).double()


def f64(values):
    return autograd.tensor(np.asarray(values, dtype=np.float64), dtype="float64",
                           requires_grad=True)


def test_output_is_unchanged_by_wrapping():
    layer = linear()
    x = autograd.randn(5, 4, dtype="float64")
    before = layer(x).data
    weight = layer.weight.numpy().copy()
    weight_norm(layer)
    np.testing.assert_allclose(layer(x).data, before, rtol=1e-12)
    np.testing.assert_allclose(layer.weight.data, weight, rtol=1e-12)


@pytest.mark.parametrize("dim, g_shape, axes", [(0, (3, 1), 1), (1, (1, 4), 0),
                                                 (-1, (1, 4), 0), (None, (), None)])
def test_g_is_the_norm_over_every_axis_but_dim_and_v_is_the_weight(dim, g_shape, axes):
    layer = linear()
    weight = layer.weight.numpy().copy()
    weight_norm(layer, dim=dim)
    assert layer.weight_g.shape == g_shape and isinstance(layer.weight_g, nn.Parameter)
    np.testing.assert_allclose(layer.weight_g.numpy().squeeze(),
                               np.sqrt((weight ** 2).sum(axis=axes)))
    np.testing.assert_array_equal(layer.weight_v.data, weight)


def test_conv_weight_gets_one_length_per_output_channel():
    autograd.manual_seed(0)
    conv = nn.Conv2d(2, 3, kernel_size=2).double()
    x = autograd.randn(1, 2, 3, 3, dtype="float64")
    before = conv(x).data
    weight_norm(conv)
    assert conv.weight_g.shape == (3, 1, 1, 1)
    np.testing.assert_allclose(conv(x).data, before, rtol=1e-12)


def test_a_one_dimensional_parameter():
    layer = linear()
    bias = layer.bias.numpy().copy()
    weight_norm(layer, name="bias")
    np.testing.assert_allclose(layer.bias_g.data, np.abs(bias))
    np.testing.assert_allclose(layer.bias.data, bias)


def test_parameters_and_state_dict_keys_are_pytorchs():
    layer = weight_norm(linear())
    assert [name for name, _ in layer.named_parameters()] == ["bias", "weight_g", "weight_v"]
    assert list(layer.state_dict()) == ["bias", "weight_g", "weight_v"]


def test_weight_is_recomputed_on_every_forward():
    layer = weight_norm(linear())
    x = autograd.randn(2, 4, dtype="float64")
    first = layer(x).data - layer.bias.data
    layer.weight_g.detach().mul_(3)            # a longer weight, same direction
    np.testing.assert_allclose(layer(x).data - layer.bias.data, 3 * first)
    layer.weight_v.detach().mul_(5)            # v's length does not matter
    np.testing.assert_allclose(layer(x).data - layer.bias.data, 3 * first)


@pytest.mark.parametrize("in_features, out_features, batch, dim",
                         [(1, 1, 1, 0), (3, 2, 2, 0), (3, 2, 1, 1), (2, 2, 2, None)])
def test_gradcheck_with_respect_to_g_v_bias_and_input(in_features, out_features, batch, dim):
    layer = weight_norm(linear(in_features, out_features), dim=dim)
    names = ["weight_g", "weight_v", "bias"]
    params = [f64(getattr(layer, name).data) for name in names]
    x = f64(np.linspace(-1, 1, batch * in_features).reshape(batch, in_features))

    def run(x, *params):
        return functional_call(layer, dict(zip(names, params)), x)
    assert autograd.gradcheck(run, (x, *params))
    assert autograd.gradgradcheck(run, (x, *params))


def test_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    layer = weight_norm(linear())
    x = np.linspace(-1, 1, 8).reshape(2, 4)
    layer(autograd.tensor(x)).sum().backward()
    reference = torch.nn.Linear(4, 3).double()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)   # torch prefers parametrizations now
        torch.nn.utils.weight_norm(reference)
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in layer.state_dict().items()})
    assert list(reference.state_dict()) == list(layer.state_dict())
    out = reference(torch.tensor(x))
    out.sum().backward()
    np.testing.assert_allclose(layer(autograd.tensor(x)).data, out.detach().numpy())
    for name, p in layer.named_parameters():
        np.testing.assert_allclose(p.grad.data, getattr(reference, name).grad.numpy())


def test_a_step_on_g_changes_the_length_only():
    layer = weight_norm(linear())
    direction = layer.weight.data / np.linalg.norm(layer.weight.data, axis=1, keepdims=True)
    layer(autograd.randn(2, 4, dtype="float64")).sum().backward()
    layer.weight_g.detach().sub_(0.1 * layer.weight_g.grad.data)
    layer(autograd.randn(1, 4, dtype="float64"))
    new = layer.weight.data
    np.testing.assert_allclose(new / np.linalg.norm(new, axis=1, keepdims=True), direction)


def test_dtype_follows_the_module():
    autograd.manual_seed(0)
    layer = weight_norm(nn.Linear(3, 2))
    assert layer.weight_g.dtype == np.float32
    assert layer(autograd.randn(1, 3)).dtype == np.float32
    layer.double()
    assert layer(autograd.randn(1, 3, dtype="float64")).dtype == np.float64


def test_remove_weight_norm_folds_back_into_one_parameter():
    layer = weight_norm(linear())
    layer.weight_g.detach().mul_(2)
    x = autograd.randn(2, 4, dtype="float64")
    expected = layer(x).data
    remove_weight_norm(layer)
    assert sorted(name for name, _ in layer.named_parameters()) == ["bias", "weight"]
    assert isinstance(layer.weight, nn.Parameter) and layer.weight.is_leaf
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-12)
    weight_norm(layer)   # and can be wrapped again
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-12)


def test_errors():
    layer = linear()
    with pytest.raises(AttributeError, match=r"weight_norm: Linear.wieght: Linear has no "
                                             r"parameter 'wieght' \(its parameters: weight, bias"):
        weight_norm(layer, name="wieght")
    with pytest.raises(autograd.IndexingError, match=r"dim 2 is out of range for a weight of "
                                                     r"shape \(3, 4\) \(valid: -2 to 1"):
        weight_norm(layer, dim=2)
    with pytest.raises(ValueError, match="remove_weight_norm: Linear.weight is not "
                                         "weight-normalized"):
        remove_weight_norm(layer)
    weight_norm(layer)
    with pytest.raises(RuntimeError, match="weight_norm: Linear.weight is already "
                                           "weight-normalized; call remove_weight_norm"):
        weight_norm(layer)
    zero_row = linear()
    zero_row.weight.detach()[1] = 0
    with pytest.raises(ValueError, match="all-zero slice along dim 0.*initialize the weight"):
        weight_norm(zero_row)


# ------------------------------------------------------------ the weight is never stale
def test_weight_reads_the_current_g_and_v_without_a_forward():
    layer = weight_norm(linear())
    before = layer.weight.numpy().copy()
    layer.weight_g.detach().mul_(3)
    np.testing.assert_allclose(layer.weight.data, 3 * before)


def test_functional_call_leaves_the_weight_of_the_modules_own_g_and_v():
    layer = weight_norm(linear())
    before = layer.weight.numpy().copy()
    x = autograd.ones((1, 4), dtype="float64")
    out = functional_call(layer, {"weight_g": autograd.Tensor(5 * layer.weight_g.data)}, x)
    np.testing.assert_allclose(out.data - layer.bias.data, 5 * (before @ x.numpy().T).T)
    np.testing.assert_allclose(layer.weight.data, before)


def test_double_casts_the_weight_at_once():
    layer = weight_norm(nn.Linear(3, 2)).double()
    assert layer.weight.dtype == np.float64 and layer.weight_v.dtype == np.float64


def test_a_layer_that_reads_the_weight_trains_step_after_step():
    layer = weight_norm(linear())
    model = nn.DropConnect(layer, p=0.0)   # reads layer.weight without calling layer
    x = autograd.ones((2, 4), dtype="float64")
    for _ in range(3):
        layer.zero_grad()
        model(x).sum().backward()
        assert layer.weight_g.grad is not None
        layer.weight_g.detach().sub_(0.1 * layer.weight_g.grad.data)
    np.testing.assert_allclose(model(x).data, layer(x).data)


def test_the_wrapped_module_keeps_its_type_name_and_repr():
    layer = weight_norm(linear())
    assert isinstance(layer, nn.Linear) and type(layer).__name__ == "Linear"
    assert repr(layer) == "Linear(in_features=4, out_features=3, bias=True)"
    assert type(weight_norm(linear())) is type(layer)  # one class per base and names


@pytest.mark.parametrize("copy_of", [copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))],
                         ids=["deepcopy", "pickle"])
def test_copies_stay_weight_normalized_and_independent(copy_of):
    layer = weight_norm(linear())
    copied = copy_of(layer)
    x = autograd.randn(2, 4, dtype="float64")
    np.testing.assert_allclose(copied(x).data, layer(x).data)
    copied.weight_g.detach().mul_(2)
    assert not np.allclose(copied.weight.data, layer.weight.data)
    remove_weight_norm(copied)
    assert type(copied) is nn.Linear and "weight_g" in dict(layer.named_parameters())


def test_two_parameters_normalized_and_removed_in_either_order():
    layer = weight_norm(weight_norm(linear()), name="bias")
    weight, bias = layer.weight.numpy().copy(), layer.bias.numpy().copy()
    remove_weight_norm(layer, "weight")
    assert isinstance(layer.weight, nn.Parameter) and "bias_g" in dict(layer.named_parameters())
    np.testing.assert_allclose(layer.bias.data, bias)
    remove_weight_norm(layer, "bias")
    assert type(layer) is nn.Linear
    np.testing.assert_allclose(layer.weight.data, weight)
    np.testing.assert_allclose(layer.bias.data, bias)


def test_assigning_the_computed_weight_is_refused():
    layer = weight_norm(linear())
    with pytest.raises(AttributeError, match=r"Linear.weight is weight-normalized: it is "
                                             r"computed from weight_g and weight_v; set those"):
        layer.weight = autograd.zeros((3, 4))
