"""Fractional max pooling against PyTorch with the same random samples: values, indices and
gradients; gradcheck; sizes from output_ratio; PyTorch's refusals, by name."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

CASES = [((2, 3, 9, 11), 2, dict(output_size=(5, 7))),
         ((1, 2, 10, 10), 3, dict(output_ratio=(0.6, 0.5))),
         ((3, 7, 8), (2, 3), dict(output_size=4)),            # unbatched
         ((1, 1, 6, 6), 2, dict(output_size=(1, 5)))]


@pytest.mark.parametrize("shape, kernel, size", CASES)
def test_values_indices_and_gradients_are_pytorch_s(shape, kernel, size):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    batch = shape[:2] if len(shape) == 4 else (1, shape[0])
    samples = rng.uniform(size=batch + (2,))
    xa, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, idx = F.fractional_max_pool2d(xa, kernel, **size, return_indices=True,
                                       _random_samples=autograd.tensor(samples))
    tout, tidx = torch.nn.functional.fractional_max_pool2d(
        xt, kernel, **size, return_indices=True, _random_samples=torch.tensor(samples))
    np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    g = rng.normal(size=tout.shape)
    (out * autograd.tensor(g)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-12)


def test_gradcheck_and_gradgradcheck():
    x = autograd.randn(2, 2, 7, 7, dtype="float64", requires_grad=True)
    samples = autograd.rand(2, 2, 2, dtype="float64")

    def pool(x):
        return F.fractional_max_pool2d(x, 2, output_size=4, _random_samples=samples)

    assert autograd.gradcheck(pool, (x,)) and autograd.gradgradcheck(pool, (x,))


def test_module_draws_new_windows_and_sizes_from_the_ratio():
    autograd.manual_seed(0)
    pool = nn.FractionalMaxPool2d(2, output_ratio=(0.5, 0.75))
    x = autograd.randn(3, 4, 12, 12)
    a, b = pool(x), pool(x)
    assert a.shape == (3, 4, 6, 9) and not np.array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("call, error, message", [
    (lambda x: nn.FractionalMaxPool2d(2), ValueError, r"either an output size, or a pooling"),
    (lambda x: F.fractional_max_pool2d(x, 2, output_ratio=1.5), ValueError,
     r"fractional_max_pool2d: output_ratio must be in \(0, 1\)"),
    (lambda x: F.fractional_max_pool2d(x, 3, output_size=5), ValueError,
     r"an output of 5x5 with 3x3 windows needs an input of at least 7x7, got 6x6"),
    (lambda x: F.fractional_max_pool2d(x[0, 0], 2, output_size=3), autograd.ShapeError,
     r"fractional_max_pool2d: expected a 4-D input .* got shape \(6, 6\)"),
    (lambda x: F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=np.zeros((1, 2))),
     autograd.ShapeError, r"_random_samples must have shape \(1, 1, 2\)"),
])
def test_bad_input_is_refused_by_name(call, error, message):
    with pytest.raises(error, match=message):
        call(autograd.randn(1, 1, 6, 6))
