"""Dropout, Dropout2d, DropConnect and the weight penalties."""
import re

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def f64(values):
    return autograd.tensor(np.asarray(values, dtype=np.float64), dtype="float64",
                           requires_grad=True)


def seeded(fn, seed=0):
    """``fn`` with the generator reseeded on every call, so each call draws the same mask
    (what gradcheck needs: it evaluates the function many times)."""
    def run(*args):
        autograd.manual_seed(seed)
        return fn(*args)
    return run


# ------------------------------------------------------------ dropout
def test_survivors_are_scaled_by_one_over_keep_probability():
    x = autograd.tensor(np.arange(1.0, 41.0).reshape(4, 10), dtype="float64")
    out = seeded(F.dropout)(x, 0.25).numpy()
    dropped = out == 0
    assert 0 < dropped.sum() < x.size
    np.testing.assert_allclose(out[~dropped], x.numpy()[~dropped] / 0.75)


def test_drop_fraction_is_p_and_mean_is_preserved():
    autograd.manual_seed(1)
    out = F.dropout(autograd.ones((200, 500), dtype="float64"), p=0.3).numpy()
    assert abs((out == 0).mean() - 0.3) < 0.01    # 100k draws: std 0.0015
    assert abs(out.mean() - 1.0) < 0.015          # std of the mean 0.002


def test_eval_and_p_zero_are_the_identity():
    x = autograd.randn(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


def test_p_one_gives_zeros_and_zero_gradient():
    x = f64([[1.0, -2.0], [3.0, 1e300]])
    out = F.dropout(x, 1.0)
    out.sum().backward()
    assert np.array_equal(out.data, np.zeros((2, 2)))
    assert np.array_equal(x.grad.data, np.zeros((2, 2)))


def test_same_seed_same_mask_other_seed_other_mask():
    x = autograd.ones(1000)
    first, again, other = (seeded(F.dropout, s)(x).data for s in (7, 7, 8))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_keeps_the_input_dtype(dtype):
    x = autograd.tensor(np.ones((3, 3)), dtype=dtype, requires_grad=True)
    out = F.dropout(x, 0.4)
    out.sum().backward()
    assert out.dtype == np.dtype(dtype) and x.grad.dtype == np.dtype(dtype)


def test_gradient_is_the_mask_over_keep_probability():
    x = f64(np.ones((3, 5)))
    out = seeded(F.dropout)(x, 0.6)
    out.sum().backward()
    keep = seeded(lambda: autograd.default_generator.random((3, 5)) >= 0.6)()
    np.testing.assert_allclose(x.grad.data, keep / 0.4)
    np.testing.assert_allclose(out.data, keep / 0.4)


@pytest.mark.parametrize("shape", [(1,), (1, 1), (2, 1, 3)])
def test_dropout_gradcheck(shape):
    x = f64(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape))
    assert autograd.gradcheck(seeded(lambda v: F.dropout(v, 0.5)), x)
    assert autograd.gradgradcheck(seeded(lambda v: F.dropout(v, 0.5)), x)


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan"), "0.5", True])
def test_bad_p_is_a_value_error(p):
    with pytest.raises(ValueError, match=r"dropout: p must be in \[0, 1\] \(the probability of "
                                         r"DROPPING a unit"):
        F.dropout(autograd.ones(3), p)
    with pytest.raises(ValueError, match=r"Dropout2d: p .* p = 1 - p_keep"):
        nn.Dropout2d(p)


def test_integer_input_is_a_dtype_error():
    with pytest.raises(autograd.DtypeError, match="dropout: expected a floating-point input, "
                                                  "got dtype int64"):
        F.dropout(autograd.tensor([1, 2, 3]), 0.5)


# ------------------------------------------------------------ dropout2d
@pytest.mark.parametrize("shape", [(6, 5, 3, 2), (5, 3, 2)])
def test_dropout2d_drops_whole_channels(shape):
    x = autograd.tensor(np.random.default_rng(0).uniform(1, 2, shape), dtype="float64")
    out = seeded(F.dropout2d)(x, 0.5).numpy().reshape(-1, shape[-2] * shape[-1])
    flat = x.numpy().reshape(out.shape)
    dropped = (out == 0).all(axis=1)
    assert 0 < dropped.sum() < len(dropped)
    np.testing.assert_allclose(out[~dropped], flat[~dropped] * 2)


def test_dropout2d_drops_a_fraction_p_of_channels():
    autograd.manual_seed(2)
    out = F.dropout2d(autograd.ones((50, 40, 2, 2)), p=0.25).numpy()
    assert abs((out[:, :, 0, 0] == 0).mean() - 0.25) < 0.04   # 2000 channels: std 0.01


def test_dropout2d_gradcheck():
    x = f64(np.linspace(-1, 1, 12).reshape(1, 3, 2, 2))
    assert autograd.gradcheck(seeded(lambda v: F.dropout2d(v, 0.5)), x)


@pytest.mark.parametrize("shape", [(4, 5), (1, 2, 3, 4, 5)])
def test_dropout2d_wrong_rank_is_a_shape_error(shape):
    with pytest.raises(autograd.ShapeError,
                       match=rf"dropout2d: expected an \(N, C, H, W\) or "
                             rf"\(C, H, W\) input, got shape {re.escape(str(shape))}"):
        F.dropout2d(autograd.ones(shape))


# ------------------------------------------------------------ modules
@pytest.mark.parametrize("layer, fn", [(nn.Dropout, F.dropout), (nn.Dropout2d, F.dropout2d)])
def test_modules_follow_their_function_in_training_and_are_identity_in_eval(layer, fn):
    module, x = layer(p=0.3), autograd.randn(2, 3, 4, 4)
    assert np.array_equal(seeded(module)(x).data, seeded(fn)(x, 0.3).data)
    assert module.eval()(x) is x
    assert repr(module) == f"{layer.__name__}(p=0.3, inplace=False)"  # PyTorch's
    assert list(module.parameters()) == [] and module.state_dict() == {}


def test_dropout_module_rejects_bad_p():
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\] \(the probability of "
                                         r"DROPPING .* got 2"):
        nn.Dropout(2)


@pytest.mark.parametrize("layer", [nn.Dropout, nn.Dropout2d])
def test_modules_accept_pytorchs_inplace_flag_and_ignore_it(layer):
    x = autograd.randn(2, 3, 4, 4)
    before = x.numpy().copy()
    out = seeded(layer(0.3, True))(x)  # PyTorch's positional order: (p, inplace)
    assert np.array_equal(out.data, seeded(layer(p=0.3))(x).data) and out is not x
    np.testing.assert_array_equal(x.data, before)  # the input is left as it was
    assert repr(layer(inplace=True)) == f"{layer.__name__}(p=0.5, inplace=True)"


@pytest.mark.parametrize("fn, shape", [(F.dropout, (3,)), (F.dropout2d, (1, 1, 2))])
def test_functions_take_array_likes_as_autograd_tensor_does(fn, shape):
    x = np.ones(shape).tolist()  # a list of Python floats: float32, as autograd.tensor makes
    out = seeded(fn)(x, 0.5)
    assert isinstance(out, autograd.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, seeded(fn)(autograd.tensor(x), 0.5).data)
    assert fn(np.ones(shape)).dtype == np.float64  # an ndarray keeps its dtype


# ------------------------------------------------------------ DropConnect
def drop_connect(p=0.5):
    autograd.manual_seed(0)
    return nn.DropConnect(nn.Linear(4, 3).double(), p=p)


def test_dropconnect_drops_weights_not_activations():
    layer = drop_connect(0.5)
    weight, bias = layer.linear.weight.data, layer.linear.bias.data
    # one-hot inputs read the dropped weight's columns out one by one
    dropped_weight = (layer(autograd.eye(4, dtype="float64")).data - bias).T
    kept = dropped_weight != 0
    assert 0 < kept.sum() < weight.size
    np.testing.assert_allclose(dropped_weight[kept], weight[kept] * 2)


def test_dropconnect_draws_one_mask_per_forward_shared_by_the_batch():
    layer = drop_connect(0.5)
    out = seeded(layer)(autograd.ones((5, 4), dtype="float64")).data
    assert np.allclose(out, out[0])


def test_dropconnect_eval_is_the_plain_linear_layer():
    layer = drop_connect(0.5).eval()
    x = autograd.randn(2, 4, dtype="float64")
    assert np.array_equal(layer(x).data, layer.linear(x).data)


def test_dropconnect_gradients():
    layer = drop_connect(0.4)
    x, weight, bias = f64(np.linspace(-1, 1, 8).reshape(2, 4)), f64(layer.linear.weight.data), \
        f64(layer.linear.bias.data)

    def run(x, weight, bias):
        return nn.utils.functional_call(layer, {"linear.weight": weight, "linear.bias": bias}, x)
    assert autograd.gradcheck(seeded(run), (x, weight, bias))
    seeded(run)(x, weight, bias).sum().backward()
    keep = seeded(lambda: autograd.default_generator.random((3, 4)) >= 0.4)()
    np.testing.assert_allclose(weight.grad.data, keep / 0.6 * x.numpy().sum(axis=0))


def test_dropconnect_state_dict_repr_and_errors():
    layer = drop_connect(0.25)
    assert list(layer.state_dict()) == ["linear.weight", "linear.bias"]
    assert repr(layer).startswith("DropConnect(\n  p=0.25\n  (linear): Linear(")
    with pytest.raises(TypeError, match="DropConnect: expected an nn.Linear to wrap, got Dropout"):
        nn.DropConnect(nn.Dropout())
    with pytest.raises(ValueError, match=r"DropConnect: p .* got -1"):
        nn.DropConnect(nn.Linear(2, 2), p=-1)


# ------------------------------------------------------------ penalties
def weights():
    return [f64([1.0, -2.0]), f64([[3.0, -0.5]])]


@pytest.mark.parametrize("penalty, value, gradient", [
    (F.l1_penalty, 6.5, lambda w: np.sign(w)),
    (F.l2_penalty, 14.25, lambda w: 2 * w),
    (lambda ws: F.elastic_net_penalty(ws, l1_ratio=0.25), 0.25 * 6.5 + 0.75 * 14.25,
     lambda w: 0.25 * np.sign(w) + 0.75 * 2 * w),
])
def test_penalty_values_and_gradients(penalty, value, gradient):
    ws = weights()
    total = penalty(ws)
    total.backward()
    assert total.shape == () and total.item() == pytest.approx(value)
    for w in ws:
        np.testing.assert_allclose(w.grad.data, gradient(w.data))
    assert autograd.gradcheck(lambda *ws: penalty(ws), tuple(weights()))


def test_elastic_net_ends_and_the_course_notes_form():
    ws, beta = weights(), 0.3
    assert F.elastic_net_penalty(ws, 1.0).item() == F.l1_penalty(ws).item()
    assert F.elastic_net_penalty(ws, 0.0).item() == F.l2_penalty(ws).item()
    notes = sum((beta * w.data ** 2 + abs(w.data)).sum() for w in ws)   # sum beta W^2 + |W|
    assert (1 + beta) * F.elastic_net_penalty(ws, 1 / (1 + beta)).item() == pytest.approx(notes)


def test_penalties_take_a_model_a_single_tensor_or_nothing():
    autograd.manual_seed(0)
    model = nn.Linear(3, 2)
    expected = sum((p.data ** 2).sum() for p in model.parameters())
    assert F.l2_penalty(model.parameters()).item() == pytest.approx(expected)
    assert F.l1_penalty(f64([[-1.0, 2.0]])).item() == 3.0
    assert F.l1_penalty([]).item() == 0.0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_penalties_keep_the_dtype(dtype):
    ws = [autograd.tensor([1.0, -2.0], dtype=dtype)]
    for total in (F.l1_penalty(ws), F.l2_penalty(ws), F.elastic_net_penalty(ws, 0.3)):
        assert total.dtype == np.dtype(dtype)


def test_penalty_errors():
    model = nn.Linear(3, 2)
    with pytest.raises(TypeError, match=r"l2_penalty: expected tensors such as "
                                        r"model.parameters\(\), got a tuple; pass parameters"):
        F.l2_penalty(model.named_parameters())
    with pytest.raises(ValueError, match=r"elastic_net_penalty: l1_ratio must be in \[0, 1\].*"
                                         r"got 1.5"):
        F.elastic_net_penalty(model.parameters(), 1.5)
