"""Edge cases a user's probes found: each now gives PyTorch's finite answer or a clear error."""
import numpy as np
import pytest

import autograd
from autograd import DtypeError, gradcheck

torch = None
try:
    import torch
except ImportError:
    pass


def leaf(values):
    return autograd.tensor(values, dtype="float64", requires_grad=True)


def test_std_of_a_constant_row_has_gradient_zero_and_does_not_poison_the_rest():
    x = leaf([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])
    x.std(axis=1, correction=0).sum().backward()
    g = x.grad.data
    np.testing.assert_array_equal(g[0], [0.0, 0.0, 0.0])
    assert np.isfinite(g).all()
    # the other row keeps its usual gradient (x - mean) / (n * std)
    row = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(g[1], (row - row.mean()) / (3 * row.std()))
    assert gradcheck(lambda t: t.std(axis=1, correction=0),
                     (leaf([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]]),))


@pytest.mark.parametrize("fn, expected", [
    (lambda x: x ** 0, [0.0, 0.0]),
    (lambda x: x ** 0.0, [0.0, 0.0]),
    (lambda x: x ** 2, [0.0, 4.0]),
])
def test_power_at_zero_has_finite_gradients(fn, expected):
    x = leaf([0.0, 2.0])
    fn(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, expected)


def test_zero_to_the_zero_has_gradient_zero_in_both_inputs():
    x, y = leaf(0.0), leaf(0.0)
    (x ** y).backward()
    assert x.grad.item() == 0.0 and y.grad.item() == 0.0


def test_nan_flows_through_max_maximum_and_relu_as_in_pytorch():
    x = leaf([1.0, np.nan, 3.0])
    assert np.isnan(x.max().item())
    x.max().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])  # the NaN entry "won"
    a, b = leaf([np.nan, 1.0]), leaf([1.0, 2.0])
    m = autograd.maximum(a, b)
    assert np.isnan(m.numpy()[0])
    m.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1.0, 0.0])
    np.testing.assert_array_equal(b.grad.data, [1.0, 1.0])
    r = leaf([np.nan, -1.0, 2.0])
    out = autograd.relu(r)
    assert np.isnan(out.numpy()[0])
    out.sum().backward()
    np.testing.assert_array_equal(r.grad.data, [0.0, 0.0, 1.0])


@pytest.mark.skipif(torch is None, reason="torch is not installed")
def test_nan_and_zero_edge_gradients_match_pytorch():
    cases = [
        (lambda m, x: m.maximum(x, x * 0 + 1.0), [np.nan, 1.0, 0.5]),
        (lambda m, x: x.max(), [1.0, np.nan, 3.0]),
        (lambda m, x: x ** 0, [0.0, 2.0]),
        (lambda m, x: x.std(unbiased=False), [2.0, 2.0, 2.0]),
        (lambda m, x: x.std(), [2.0, 2.0, 2.0]),
    ]
    for fn, values in cases:
        ours = leaf(values)
        fn(autograd, ours).sum().backward()
        theirs = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        fn(torch, theirs).sum().backward()
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


def test_complex_values_cannot_require_grad():
    with pytest.raises(DtypeError, match=r"complex values \(dtype complex128\) are not "
                                         r"supported"):
        autograd.tensor([1 + 1j], requires_grad=True)


@pytest.mark.parametrize("bad", [None, "abc", [1.0, "a"], np.array([object(), 1], dtype=object),
                                 [[1.0, 2.0], [3.0]]])
def test_tensor_refuses_what_is_not_numbers(bad):
    with pytest.raises(DtypeError, match=r"tensor: cannot (hold|make a tensor from)"):
        autograd.tensor(bad)


def test_no_grad_decorates_a_generator_function():
    w = leaf([1.0])

    @autograd.no_grad()
    def batches():
        for _ in range(2):
            yield w * 2

    results = list(batches())
    assert not any(r.requires_grad for r in results)
    assert autograd.is_grad_enabled() and (w * 2).requires_grad


def test_format_of_a_zero_d_tensor_and_grad_assignment_checks():
    assert f"{autograd.tensor(3.14159):.2f}" == "3.14"
    w = leaf([1.0, 2.0])
    with pytest.raises(autograd.ShapeError, match=r"grad: the gradient has shape \(3,\) but "
                                                  r"the tensor has shape \(2,\)"):
        w.grad = autograd.zeros(3, dtype="float64")
    with pytest.raises(TypeError, match="grad: expected a Tensor or None, got ndarray"):
        w.grad = np.zeros(2)
    assert w.grad is None


def test_size_is_numpy_s_count_and_pytorch_s_method():
    x = autograd.zeros(2, 3)
    assert x.size == 6 and x.size() == (2, 3) and x.size(0) == 2 and x.size(-1) == 3
    assert x.numel() == 6 and x.dim() == 2
    with pytest.raises(IndexError, match=r"size: dimension 2 is out of range for a tensor of "
                                         r"shape \(2, 3\)"):
        x.size(2)
