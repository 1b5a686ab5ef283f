"""Bad input, everywhere: every public `nn` layer and loss meets the same bad inputs, and
each either computes the right thing or raises the library's own error (an
`autograd.AutogradError`) that names the layer or its function, the argument and what
would work. The layers and losses are the rows of `layer_contract.py`. One rule for all of
them (`Module.__call__` with `_checks._float_input`, for layers that declare
``_input_kind = "float"``):

- integers are refused (as Linear always did), never silently promoted;
- a float dtype other than the layer's parameters' is refused (no silent float64 upcast);
  a layer without parameters computes in the input's dtype;
- a list of Python floats is accepted and becomes float32, like ``autograd.tensor``;
- a ragged list is refused by name; so are wrong ranks and shapes;
- a constant input (zero variance) gives finite values and gradients.
"""
import numpy as np
import pytest

import autograd
import nn
import optim
from autograd import AutogradError, DtypeError, IndexingError, ShapeError
from layer_contract import CLASS_TARGETS, LAYERS, LOSSES, good_values, layer, run
from nn import StateDictError


# ------------------------------------------------------------------ layers
@pytest.mark.parametrize("name", LAYERS)
def test_integers_are_refused_by_name(name):
    ints = autograd.tensor(good_values(LAYERS[name][1]) * 8).astype("int64")
    with pytest.raises(DtypeError, match=rf"^{name}: expected a floating-point input, got "
                                         r"dtype int64; convert it first, e\.g\. x\.astype"):
        run(name, layer(name), ints)


@pytest.mark.parametrize("name", LAYERS)
def test_a_list_of_python_floats_becomes_float32(name):
    values = good_values(LAYERS[name][1])
    out = run(name, layer(name).eval(), values.tolist())
    expected = run(name, layer(name).eval(), autograd.tensor(values, dtype="float32"))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


@pytest.mark.parametrize("name", LAYERS)
def test_float64_input_is_refused_by_a_float32_layer_or_computed_in_float64(name):
    values = good_values(LAYERS[name][1])
    module = layer(name).eval()
    has_parameters = any(p.dtype.kind == "f" for p in module.parameters()) or \
        any(b.dtype.kind == "f" for b in module.buffers())
    if has_parameters:
        with pytest.raises(DtypeError, match=rf"^{name}: ([a-z_]+: )?the input is float64 but the "
                                             r"parameters are float32; use one dtype for "
                                             r"both, e\.g\. x\.astype\('float32'\) or "
                                             r"model\.double\(\)"):
            run(name, module, values)
        out = run(name, module.double(), values)  # what the message suggests works
    else:
        out = run(name, module, values)
    assert out.dtype == np.float64
    expected = run(name, layer(name).eval().double(), autograd.tensor(values, dtype="float64"))
    np.testing.assert_allclose(out.numpy(), expected.numpy())


@pytest.mark.parametrize("name", LAYERS)
def test_a_ragged_list_is_refused_by_name(name):
    with pytest.raises(DtypeError, match=rf"^{name}: the input is not a tensor \(tensor: "
                                         r"cannot make a tensor from \[\[1\.0, 2\.0\], "
                                         r"\[3\.0\]\].*Pass"):
        run(name, layer(name), [[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("name", [n for n, row in LAYERS.items() if row[2] is not None])
def test_a_wrong_shape_is_refused_by_name(name):
    wrong, names = LAYERS[name][2], LAYERS[name][3]
    with pytest.raises((ShapeError, IndexingError),
                       match=rf"^({names}): .*({_shape(wrong)}|axis 1 is out of range for a "
                             rf"tensor with {len(wrong)} dimensions)"):
        run(name, layer(name), autograd.zeros(wrong))


def _shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("name", LAYERS)
def test_a_constant_input_gives_finite_values_and_gradients(name):
    """Zero variance (batch norm of a constant batch, softmax of equal logits...)."""
    x = autograd.full(LAYERS[name][1], 0.5, requires_grad=True)
    out = run(name, layer(name), x)
    out.sum().backward()
    assert np.all(np.isfinite(out.numpy())) and np.all(np.isfinite(x.grad.numpy()))


# ------------------------------------------------------------------ losses
def loss_target(name, values):
    return autograd.tensor(values, dtype="int64" if name in CLASS_TARGETS else "float32")


@pytest.mark.parametrize("name", LOSSES)
def test_losses_refuse_integer_input_by_name(name):
    make, values, target, _ = LOSSES[name]
    ints = autograd.tensor(np.zeros(np.shape(values), dtype=np.int64))
    with pytest.raises(DtypeError, match=rf"^{name}: expected a floating-point input, got "
                                         r"dtype int64"):
        make()(ints, loss_target(name, target))


@pytest.mark.parametrize("name", LOSSES)
def test_losses_accept_lists_of_python_floats(name):
    make, values, target, _ = LOSSES[name]
    out = make()(values, target)
    expected = make()(autograd.tensor(values), loss_target(name, target))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


@pytest.mark.parametrize("name", LOSSES)
def test_losses_refuse_a_ragged_input_by_name(name):
    make, _, target, _ = LOSSES[name]
    with pytest.raises(DtypeError, match=rf"^{name}: the input is not a tensor"):
        make()([[1.0, 2.0], [3.0]], target)


@pytest.mark.parametrize("name", LOSSES)
def test_losses_refuse_a_target_of_the_wrong_shape_by_name(name):
    make, values, _, wrong = LOSSES[name]
    with pytest.raises(ShapeError, match=rf"^({name}: )?[a-z_0-9]+: input of shape "
                                         rf"{_shape(np.shape(values))} .*target of shape "
                                         rf"{_shape(np.shape(wrong))}"):
        make()(values, loss_target(name, wrong))


@pytest.mark.parametrize("name", sorted(set(LOSSES) - CLASS_TARGETS))
def test_losses_refuse_a_target_of_another_float_dtype(name):
    make, values, target, _ = LOSSES[name]
    with pytest.raises(DtypeError, match=rf"^({name}: )?[a-z_0-9]+: target has dtype float32 "
                                         r"but input has "
                                         r"float64; convert one of them with \.astype"):
        make()(autograd.tensor(values, dtype="float64"), loss_target(name, target))


# ------------------------------------------------------------------ constructors, state, optimizers
@pytest.mark.parametrize("make, argument, value", [
    (lambda: nn.Linear(2.5, 3), "in_features", "2.5"),
    (lambda: nn.Linear(3, -1), "out_features", "-1"),
    (lambda: nn.Linear(True, 3), "in_features", "True"),
    (lambda: nn.Conv2d(3.0, 8, 3), "in_channels", "3.0"),
    (lambda: nn.Conv2d(3, -8, 3), "out_channels", "-8"),
])
def test_layer_sizes_must_be_non_negative_ints(make, argument, value):
    layer_name = "Linear" if "features" in argument else "Conv2d"
    with pytest.raises(ShapeError, match=rf"^{layer_name}: {argument} must be a non-negative "
                                         rf"int \(a number of features or channels\), got "
                                         rf"{value}$"):
        make()


@pytest.mark.parametrize("make", [autograd.randn, autograd.rand, autograd.zeros])
@pytest.mark.parametrize("size", [(-1,), (2.5,), ((2, -3),)])
def test_random_and_filled_tensors_need_non_negative_int_sizes(make, size):
    name = make.__name__
    with pytest.raises(ShapeError, match=rf"^{name}: the size must be non-negative ints, got "
                                         rf".*; e\.g\. {name}\(2, 3\) or {name}\(\(2, 3\)\)"):
        make(*size)


@pytest.mark.parametrize("call, fn", [
    (lambda x: autograd.transpose(x, (0, 0)), "transpose"),
    (lambda x: x.permute(0, 0), "permute"),
    (lambda x: x.permute(1, 2), "permute"),
])
def test_axes_that_are_not_a_permutation_are_refused_by_name(call, fn):
    with pytest.raises(IndexingError, match=rf"^{fn}: axes \(\d, \d\) are not a permutation "
                                            r"of the 2 dimensions \(each of 0 to 1, or -2 to "
                                            r"-1, exactly once\), e\.g\. \(1, 0\)$"):
        call(autograd.zeros(2, 3))


def test_transpose_of_an_axis_with_itself_is_a_no_op_as_in_pytorch():
    x = autograd.tensor([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(x.transpose(0, 0).numpy(), x.numpy())


@pytest.mark.parametrize("bad, dtype", [(np.array([[None, None]] * 3), "object"),
                                        (np.array([["a", "b"]] * 3), "<U1")])
def test_load_state_dict_refuses_arrays_that_are_not_numbers(bad, dtype):
    model = nn.Linear(2, 3)
    before = model.weight.numpy().copy()
    with pytest.raises(StateDictError, match=rf"^load_state_dict into Linear: not an array of "
                                             rf"numbers: weight \(dtype {dtype}; the model's "
                                             rf"is float32\)$"):
        model.load_state_dict({"weight": bad, "bias": np.zeros(3, np.float32)})
    np.testing.assert_array_equal(model.weight.numpy(), before)  # nothing half-loaded


def test_a_gradient_of_the_wrong_shape_never_reaches_the_optimizer():
    """The `grad` setter refuses it, so `SGD.step()` cannot broadcast it over the weight."""
    weight = nn.Parameter(autograd.ones(3))
    opt = optim.SGD([weight], lr=0.1)
    with pytest.raises(ShapeError, match=r"^grad: the gradient has shape \(1,\) but the tensor "
                                         r"has shape \(3,\); they must match$"):
        weight.grad = autograd.ones(1)
    assert weight.grad is None
    opt.step()
    np.testing.assert_array_equal(weight.numpy(), [1.0, 1.0, 1.0])


def test_errors_are_the_librarys_own():
    assert issubclass(DtypeError, AutogradError) and issubclass(ShapeError, AutogradError)
    assert issubclass(StateDictError, AutogradError) and issubclass(IndexingError, AutogradError)
