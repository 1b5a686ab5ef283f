"""renorm and renorm_: PyTorch's errors, and the max-norm constraint they give in one line."""
import numpy as np
import pytest

import autograd
import nn
import optim


@pytest.mark.parametrize("args, error, message", [
    ((autograd.ones(3), 2, 0, 1.0), autograd.ShapeError, r"renorm: input needs at least 2 dim"),
    ((autograd.ones(2, 3), 0, 0, 1.0), ValueError, r"renorm: p must be > 0"),
    ((autograd.ones(2, 3), 2, 0, -1.0), ValueError, r"renorm: maxnorm must be >= 0, got -1"),
    ((autograd.ones(2, 3), 2, 2, 1.0), IndexError, r"renorm: dim 2 is out of range .*\[-2, 1\]"),
])
def test_bad_input_is_refused_with_what_would_work(args, error, message):
    with pytest.raises(error, match=message):
        autograd.renorm(*args)
    with pytest.raises(error, match=message):
        args[0].clone().renorm_(*args[1:])


def test_max_norm_constraint_after_each_step():
    """``weight.renorm_(2, 0, c)`` under no_grad after each step: every unit's incoming
    weight vector ends each step with norm at most c, and units below c are untouched."""
    autograd.manual_seed(0)
    layer = nn.Linear(4, 6).double()
    opt = optim.SGD(layer.parameters(), lr=1.0)
    x, y = autograd.randn(32, 4, dtype="float64") * 5, autograd.randn(32, 6, dtype="float64")
    for _ in range(5):
        opt.zero_grad()
        ((layer(x) - y) ** 2).mean().backward()
        opt.step()
        before = layer.weight.numpy().copy()
        with autograd.no_grad():
            layer.weight.renorm_(2, 0, 0.5)
        norms = np.linalg.norm(layer.weight.numpy(), axis=1)
        assert (norms <= 0.5 + 1e-9).all()
        small = np.linalg.norm(before, axis=1) <= 0.5
        assert np.array_equal(layer.weight.numpy()[small], before[small])
    assert (norms > 0.49).any()  # the constraint was active
