"""Bad input, everywhere: every public `nn` layer and loss meets the same bad inputs, and
each either computes the right thing or raises the library's own error (an
`autograd.AutogradError`) that names the layer or its function, the argument and what
would work. One rule for all of them (`Module.__call__` with `_checks._float_input`):

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
from nn import StateDictError

# name -> (make the layer, shape of a good input, shape of a wrong input or None when every
# rank is valid, the names its errors may use: the layer's or its function's)
LAYERS = {
    "Linear": (lambda: nn.Linear(4, 3), (2, 4), (2, 5), "Linear|linear"),
    "Conv2d": (lambda: nn.Conv2d(2, 3, 3), (1, 2, 5, 5), (2, 5), "Conv2d|conv2d"),
    "Flatten": (nn.Flatten, (2, 3, 4), (), "Flatten"),
    "Sigmoid": (nn.Sigmoid, (2, 4), None, "Sigmoid"),
    "Tanh": (nn.Tanh, (2, 4), None, "Tanh"),
    "ReLU": (nn.ReLU, (2, 4), None, "ReLU"),
    "LeakyReLU": (nn.LeakyReLU, (2, 4), None, "LeakyReLU"),
    "PReLU": (lambda: nn.PReLU(4), (2, 4), (2, 5), "PReLU|prelu"),
    "RReLU": (nn.RReLU, (2, 4), None, "RReLU"),
    "ELU": (nn.ELU, (2, 4), None, "ELU"),
    "SELU": (nn.SELU, (2, 4), None, "SELU"),
    "GELU": (nn.GELU, (2, 4), None, "GELU"),
    "SiLU": (nn.SiLU, (2, 4), None, "SiLU"),
    "Softplus": (nn.Softplus, (2, 4), None, "Softplus"),
    "Mish": (nn.Mish, (2, 4), None, "Mish"),
    "Maxout": (lambda: nn.Maxout(4, 3, 2), (2, 4), (2, 5), "Maxout|maxout"),
    "Softmax": (lambda: nn.Softmax(dim=1), (2, 4), (4,), "Softmax"),
    "LogSoftmax": (lambda: nn.LogSoftmax(dim=1), (2, 4), (4,), "LogSoftmax"),
    "Dropout": (nn.Dropout, (2, 4), None, "Dropout|dropout"),
    "Dropout2d": (nn.Dropout2d, (2, 3, 4, 4), (2, 4), "Dropout2d|dropout2d"),
    "Dropout3d": (nn.Dropout3d, (2, 3, 2, 4, 4), (2, 4), "Dropout3d|dropout3d"),
    "VanillaDropout": (nn.VanillaDropout, (2, 4), None, "VanillaDropout|vanilla_dropout"),
    "StochasticDepth": (lambda: nn.StochasticDepth(0.5, "row"), (2, 4), (),
                        "StochasticDepth|stochastic_depth"),
    "DropConnect": (lambda: nn.DropConnect(nn.Linear(4, 3)), (2, 4), (2, 5),
                    "DropConnect|Linear|linear"),
    "BatchNorm1d": (lambda: nn.BatchNorm1d(4), (3, 4), (3, 5), "BatchNorm1d"),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(2), (2, 2, 3, 3), (2, 3, 3, 3), "BatchNorm2d"),
    "BatchNorm3d": (lambda: nn.BatchNorm3d(2), (2, 2, 2, 3, 3), (2, 3, 2, 3, 3), "BatchNorm3d"),
    "InstanceNorm2d": (lambda: nn.InstanceNorm2d(2, affine=True), (2, 2, 3, 3), (2, 3),
                       "InstanceNorm2d|instance_norm"),
    "LayerNorm": (lambda: nn.LayerNorm(4), (2, 4), (2, 5), "LayerNorm|layer_norm"),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), (2, 4, 3), (2, 3, 3), "GroupNorm|group_norm"),
    "MaxPool2d": (lambda: nn.MaxPool2d(2), (1, 2, 4, 4), (2, 4), "MaxPool2d|max_pool2d"),
    "AvgPool2d": (lambda: nn.AvgPool2d(2), (1, 2, 4, 4), (2, 4), "AvgPool2d|avg_pool2d"),
    "FractionalMaxPool2d": (lambda: nn.FractionalMaxPool2d(2, output_size=2), (1, 2, 4, 4),
                            (2, 4), "FractionalMaxPool2d|fractional_max_pool2d"),
}

# name -> (make the loss, good input, good target, a target of the wrong shape)
LOSSES = {
    "MSELoss": (nn.MSELoss, [[0.5, 1.0, -1.0]], [[0.0, 1.0, 2.0]], [0.0, 1.0]),
    "L1Loss": (nn.L1Loss, [[0.5, 1.0, -1.0]], [[0.0, 1.0, 2.0]], [0.0, 1.0]),
    "HuberLoss": (nn.HuberLoss, [[0.5, 1.0, -1.0]], [[0.0, 1.0, 2.0]], [0.0, 1.0]),
    "CrossEntropyLoss": (nn.CrossEntropyLoss, [[0.5, 1.0, -1.0]], [2], [2, 0]),
    "NLLLoss": (nn.NLLLoss, [[-0.5, -1.0, -2.0]], [2], [2, 0]),
    "MultiMarginLoss": (nn.MultiMarginLoss, [[0.5, 1.0, -1.0]], [2], [2, 0]),
    "BCELoss": (nn.BCELoss, [0.25, 0.75], [0.0, 1.0], [0.0, 1.0, 1.0]),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss, [0.5, -1.0], [0.0, 1.0], [0.0, 1.0, 1.0]),
}
CLASS_TARGETS = {"CrossEntropyLoss", "NLLLoss", "MultiMarginLoss"}

# public classes that take no input of their own to check
EXEMPT = {"Module": "the base class", "Sequential": "its first layer checks the input",
          "ModuleList": "no forward", "ModuleDict": "no forward",
          "Identity": "returns any input unchanged, as PyTorch's", "Parameter": "a tensor",
          "StateDictError": "an error"}


def good_values(shape):
    """Varied, deterministic floats of ``shape`` (in (0, 1): valid probabilities too)."""
    return (np.arange(np.prod(shape, dtype=int)).reshape(shape) % 7 + 1) / 8.0


def layer(name):
    autograd.manual_seed(0)
    return LAYERS[name][0]()


def test_the_tables_cover_every_public_layer_and_loss():
    public = {name for name in dir(nn) if name[0].isupper() and isinstance(getattr(nn, name), type)}
    assert public == set(LAYERS) | set(LOSSES) | set(EXEMPT)


# ------------------------------------------------------------------ layers
@pytest.mark.parametrize("name", LAYERS)
def test_integers_are_refused_by_name(name):
    ints = autograd.tensor(good_values(LAYERS[name][1]) * 8).astype("int64")
    with pytest.raises(DtypeError, match=rf"^{name}: expected a floating-point input, got "
                                         r"dtype int64; convert it first, e\.g\. x\.astype"):
        layer(name)(ints)


@pytest.mark.parametrize("name", LAYERS)
def test_a_list_of_python_floats_becomes_float32(name):
    values = good_values(LAYERS[name][1])
    out = layer(name).eval()(values.tolist())
    expected = layer(name).eval()(autograd.tensor(values, dtype="float32"))
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
            module(values)
        out = module.double()(values)  # what the message suggests works
    else:
        out = module(values)
    assert out.dtype == np.float64
    expected = layer(name).eval().double()(autograd.tensor(values, dtype="float64"))
    np.testing.assert_allclose(out.numpy(), expected.numpy())


@pytest.mark.parametrize("name", LAYERS)
def test_a_ragged_list_is_refused_by_name(name):
    with pytest.raises(DtypeError, match=rf"^{name}: the input is not a tensor \(tensor: "
                                         r"cannot make a tensor from \[\[1\.0, 2\.0\], "
                                         r"\[3\.0\]\].*Pass"):
        layer(name)([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("name", [n for n, row in LAYERS.items() if row[2] is not None])
def test_a_wrong_shape_is_refused_by_name(name):
    wrong, names = LAYERS[name][2], LAYERS[name][3]
    with pytest.raises((ShapeError, IndexingError),
                       match=rf"^({names}): .*({_shape(wrong)}|axis 1 is out of range for a "
                             rf"tensor with {len(wrong)} dimensions)"):
        layer(name)(autograd.zeros(wrong))


def _shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("name", LAYERS)
def test_a_constant_input_gives_finite_values_and_gradients(name):
    """Zero variance (batch norm of a constant batch, softmax of equal logits...)."""
    x = autograd.full(LAYERS[name][1], 0.5, requires_grad=True)
    out = layer(name)(x)
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
