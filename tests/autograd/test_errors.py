"""Errors are part of the API: each is a specific exception whose message names the op and
the shapes, and says what to do."""
import numpy as np
import pytest

import autograd
from autograd import (AnomalyError, AutogradError, BackwardError, DtypeError, GraphFreedError,
                      IndexingError, InplaceError, ShapeError, UnusedInputError)


def t(shape, requires_grad=True):
    return autograd.tensor(np.ones(shape), requires_grad=requires_grad)


def test_exception_hierarchy():
    # each is an AutogradError and also the builtin users would catch
    assert issubclass(ShapeError, (AutogradError, ValueError))
    assert issubclass(IndexingError, IndexError)
    assert issubclass(DtypeError, TypeError)
    assert issubclass(BackwardError, RuntimeError)
    assert issubclass(GraphFreedError, BackwardError)
    assert issubclass(UnusedInputError, BackwardError)
    assert issubclass(AnomalyError, FloatingPointError)
    for cls in (ShapeError, IndexingError, DtypeError, BackwardError, AnomalyError):
        assert issubclass(cls, AutogradError)


# ------------------------------------------------------------------ shapes
@pytest.mark.parametrize("name, fn", [
    ("mul", lambda a, b: a * b),
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("div", lambda a, b: a / b),
    ("power", lambda a, b: a ** b),
    ("maximum", lambda a, b: autograd.maximum(a, b)),
])
def test_binary_op_shape_mismatch_names_op_and_shapes(name, fn):
    with pytest.raises(ShapeError) as info:
        fn(t((2, 3)), t((4,)))
    message = str(info.value)
    assert message.startswith(f"{name}:")
    assert "(2, 3)" in message and "(4,)" in message


def test_shape_mismatch_with_ndarray_operand():
    with pytest.raises(ShapeError, match=r"mul: .*\(2, 3\) and \(4,\)"):
        t((2, 3)) * np.ones(4)


@pytest.mark.parametrize("a, b", [((2, 3), (4,)), ((2, 3), (2, 3)), ((5, 2, 3), (4, 2))])
def test_matmul_mismatch_names_matmul_and_shapes(a, b):
    with pytest.raises(ShapeError) as info:
        t(a) @ t(b)
    message = str(info.value)
    assert message.startswith("matmul: ")
    assert not message.startswith("matmul: matmul:")
    assert str(a) in message and str(b) in message


def test_matmul_with_scalar():
    with pytest.raises(ShapeError, match="matmul"):
        t((2, 3)) @ 3.0


def test_reshape_mismatch():
    with pytest.raises(ShapeError,
                       match=r"reshape: cannot reshape array of size 6 into shape \(4,2\)"):
        t((2, 3)).reshape(4, 2)


def test_concatenate_mismatch():
    with pytest.raises(ShapeError, match=r"concatenate: .*\(2, 3\) and \(2, 4\)"):
        autograd.concatenate([t((2, 3)), t((2, 4))], axis=0)


def test_broadcast_to_mismatch():
    with pytest.raises(ShapeError, match=r"broadcast_to: .*\(2, 3\)"):
        autograd.broadcast_to(t((2, 3)), (4, 3))


def test_squeeze_of_non_unit_axis():
    assert t((2, 3)).squeeze(0).shape == (2, 3)  # PyTorch's: left alone
    with pytest.raises(ValueError, match=r"cannot select an axis to squeeze out .*axis 0 of "
                                         r"shape \(2, 3\)"):
        np.squeeze(t((2, 3)), 0)  # numpy's: an error


# ------------------------------------------------------------------ backward seeds
def test_backward_non_scalar_without_gradient():
    with pytest.raises(BackwardError) as info:
        (t((2, 3)) * 2).backward()
    message = str(info.value)
    assert "shape (2, 3)" in message
    assert "gradient=" in message
    assert ".sum()" in message


def test_backward_gradient_of_wrong_shape():
    with pytest.raises(ShapeError) as info:
        (t((2, 3)) * 2).backward(gradient=np.ones((3, 2)))
    message = str(info.value)
    assert "gradient has shape (3, 2)" in message
    assert "output has shape (2, 3)" in message


def test_grad_outputs_of_wrong_shape():
    x = t((2,))
    with pytest.raises(ShapeError, match=r"grad: the gradient has shape \(3,\) but the output "
                                         r"has shape \(2,\)"):
        autograd.grad(x * 2, x, grad_outputs=np.ones(3))


def test_freed_graph():
    x = t(())
    y = x.exp().sin()
    y.backward()
    with pytest.raises(GraphFreedError) as info:
        y.backward()
    message = str(info.value)
    assert "already freed" in message
    assert "retain_graph=True" in message
    assert "sin" in message


def test_grad_of_unused_input():
    x, z = t((2,)), t((3, 1))
    with pytest.raises(UnusedInputError) as info:
        autograd.grad((x * 2).sum(), [x, z])
    message = str(info.value)
    assert "input 1" in message and "(3, 1)" in message
    assert "not used" in message and "allow_unused=True" in message


def test_backward_of_tensor_that_does_not_require_grad():
    with pytest.raises(BackwardError, match="does not require grad and has no grad_fn"):
        t((), requires_grad=False).backward()


# ------------------------------------------------------------------ dtypes
@pytest.mark.parametrize("data, dtype", [([1, 2], "int64"), ([True], "bool"),
                                         (np.arange(3, dtype=np.uint8), "uint8")])
def test_non_float_requires_grad(data, dtype):
    with pytest.raises(DtypeError) as info:
        autograd.tensor(data, requires_grad=True)
    message = str(info.value)
    assert "only floating-point tensors can require gradients" in message
    assert f"got dtype {dtype}" in message
    assert "float dtype" in message


def test_non_float_requires_grad_through_factories():
    with pytest.raises(DtypeError, match="int64"):
        autograd.arange(3, requires_grad=True)
    with pytest.raises(DtypeError, match="int64"):
        autograd.zeros(2, dtype="int64", requires_grad=True)


# ------------------------------------------------------------------ axes and indices
@pytest.mark.parametrize("name, fn", [
    ("sum", lambda a: a.sum(axis=2)),
    ("sum", lambda a: a.sum(axis=-3)),
    ("sum", lambda a: a.mean(axis=(0, 5))),
    ("max", lambda a: a.max(axis=3)),
    ("argmax", lambda a: a.argmax(axis=2)),
])
def test_out_of_range_axis(name, fn):
    with pytest.raises(IndexingError) as info:
        fn(t((2, 3)))
    message = str(info.value)
    assert message.startswith(f"{name}:")
    assert "out of bounds for array of dimension 2" in message
    assert "(2, 3)" in message


def test_out_of_range_axis_in_shape_helpers():
    with pytest.raises(IndexingError, match="axis 3 is out of range for a tensor with 2 "
                                            r"dimensions \(valid: -2 to 1"):
        t((2, 3)).squeeze(3)
    with pytest.raises(IndexingError, match="axis 3 is out of range"):
        t((2, 3)).swapaxes(0, 3)


@pytest.mark.parametrize("index, expected", [
    (5, "index 5 is out of bounds for axis 0 with size 2"),
    ((0, 7), "index 7 is out of bounds for axis 1 with size 3"),
    ((-3,), "index -3 is out of bounds for axis 0 with size 2"),
    (np.array([0, 9]), "index 9 is out of bounds for axis 0 with size 2"),
    ((0, 0, 0), "too many indices"),
])
def test_out_of_range_index(index, expected):
    with pytest.raises(IndexingError) as info:
        t((2, 3))[index]
    message = str(info.value)
    assert message.startswith("getitem:")
    assert expected in message
    assert "(2, 3)" in message


def test_index_errors_are_index_errors():
    # so that Python idioms relying on IndexError keep working
    with pytest.raises(IndexError):
        t((2,))[2]


# ------------------------------------------------------------------ anomaly detection
def test_anomaly_lets_a_legitimate_minus_inf_mask_through_the_forward():
    scores = autograd.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    mask = autograd.tensor([[0.0, -np.inf, 0.0]])  # an attention mask, as PyTorch users write
    with autograd.detect_anomaly():
        weights = autograd.softmax(scores + mask, axis=-1)
        (weights * autograd.tensor([[1.0, 5.0, 2.0]])).sum().backward()
    assert weights.numpy()[0, 1] == 0.0 and np.isfinite(scores.grad.data).all()


def test_anomaly_names_the_reverse_rule_that_returned_nan():
    x = autograd.tensor([0.0, 4.0], requires_grad=True)
    with autograd.detect_anomaly(), np.errstate(divide="ignore", invalid="ignore"):
        y = (x.sqrt() * 0.0).sum()  # d sqrt/dx at 0 is inf; times the 0 from mul: NaN
        with pytest.raises(AnomalyError, match=r"the reverse rule of sqrt returned NaN for "
                                               r"input 0 \(gradient shape \(2,\)\)"):
            y.backward()


def test_anomaly_names_the_custom_function_that_returned_nan():
    class Broken(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * np.nan

    x = autograd.tensor([1.0], requires_grad=True)
    with autograd.detect_anomaly():
        with pytest.raises(AnomalyError, match="the reverse rule of Broken returned NaN"):
            Broken.apply(x).sum().backward()


def test_anomaly_names_the_hook_that_returned_nan():
    def poison(g):
        return g * np.nan

    x = autograd.tensor([1.0], requires_grad=True)
    y = x * 3
    y.register_hook(poison)
    with autograd.detect_anomaly():
        with pytest.raises(AnomalyError, match=r"the hook \S*poison returned NaN"):
            y.sum().backward()


def test_without_anomaly_detection_nan_propagates_quietly():
    x = autograd.tensor([-1.0, 1.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        y = autograd.log(x)
    assert np.isnan(y.numpy()[0]) and y.numpy()[1] == 0.0


def test_finite_values_pass_anomaly_detection():
    x = autograd.tensor([0.5, 2.0], requires_grad=True)
    with autograd.detect_anomaly():
        y = (x.log() * x.sqrt()).sum()
        y.backward()
    assert np.isfinite(x.grad.data).all()


# ------------------------------------------------------------------ misc misuse
def test_setitem_on_a_leaf_that_requires_grad_is_refused_outside_no_grad():
    with pytest.raises(InplaceError, match=r"setitem: a leaf tensor that requires grad "
                                           r"\(shape \(2,\)\) cannot be changed in place"):
        t((2,))[0] = 1.0


def test_len_of_zero_d():
    with pytest.raises(TypeError, match="0-d"):
        len(t(()))


def test_turning_off_requires_grad_on_non_leaf():
    with pytest.raises(BackwardError, match=r"non-leaf tensor \(made by mul\).*\.detach\(\)"):
        (t((2,)) * 2).requires_grad = False


# ---- sem: PyTorch's spellings refuse what PyTorch refuses, naming the call
def test_factories_refuse_what_pytorch_refuses():
    with pytest.raises(ValueError, match=r"arange: step must be nonzero, got arange\(0, 10, 0\)"):
        autograd.arange(0, 10, 0)
    for make in (autograd.rand, autograd.randn):
        with pytest.raises(DtypeError, match=r"rand.*: samples real numbers, so dtype must be "
                                             r"floating, got int64; use randint"):
            make(3, dtype=autograd.int64)
    with pytest.raises(TypeError, match=r"randint: give a size, e.g. randint\(0, 5, \(3,\)\)"):
        autograd.randint(0, 5)
    with pytest.raises(TypeError, match="zeros: give the size once"):
        autograd.zeros(2, size=(2,))
    with pytest.raises(TypeError, match="normal: give a size for number mean and std"):
        autograd.normal(0.0, 1.0)
    with pytest.raises(ValueError, match="normal: std must be non-negative"):
        autograd.normal(autograd.zeros(2), -1.0)
    with pytest.raises(DtypeError, match="normal_: samples real numbers"):
        autograd.zeros(2, dtype=autograd.int64).normal_()


def test_pytorchs_spellings_name_what_would_work():
    x = t((2, 3))
    with pytest.raises(IndexingError, match=r"max: dim must be one int .* got \(0, 1\); for "
                                            r"several dims use amax\(x, dim=\(0, 1\)\)"):
        x.max((0, 1))
    with pytest.raises(TypeError, match="var: give one of correction=, unbiased= and ddof="):
        x.var(correction=1, ddof=0)
    with pytest.raises(TypeError, match=r"where: give both x and y, or neither"):
        autograd.where(x > 0, x)
    with pytest.raises(autograd.ShapeError, match=r"split: sizes \[1\] add up to 1, but dim 0 "
                                                  r"has size 2; .*not numpy's split points"):
        x.split([1])
    with pytest.raises(IndexingError, match="axis 1 is out of range for a tensor with 0 "
                                            "dimensions"):
        t(()).sum(1)


def test_in_place_random_fill_inside_a_graph_gives_no_gradient_to_what_it_replaced():
    x = t((3,))
    y = x * 2
    y.normal_()
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])
    with pytest.raises(InplaceError, match="normal_: a leaf tensor that requires grad"):
        x.normal_()
