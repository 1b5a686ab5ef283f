"""The extension API (`autograd.extend`) is apart from the user API, and an op declared in
user code after `import autograd` gets its function, method, operator and numpy dispatch
exactly as a built-in op does."""
import numpy as np
import pytest

import autograd
from autograd import registry
from autograd.extend import (elementwise, increment_version, joint, primitive, raw,
                             registered)


@pytest.fixture
def restored_registry(monkeypatch):
    """Whatever a test registers is gone afterwards: the registry, and the attributes it
    names (``owner``, ``name``) put back as they were."""
    monkeypatch.setattr(registry, "REGISTRY", dict(registry.REGISTRY))
    monkeypatch.setattr(registry, "UFUNCS", dict(registry.UFUNCS))
    monkeypatch.setattr(autograd, "__all__", list(autograd.__all__))

    def touches(owner, name):
        monkeypatch.setattr(owner, name, getattr(owner, name, None), raising=False)

    return touches


def test_the_rule_kinds_are_not_user_names():
    for name in ("primitive", "elementwise", "linear", "bilinear", "joint", "registered",
                 "register", "increment_version"):
        assert not hasattr(autograd, name), name  # autograd.linear(x, w) would return a function
        assert name not in autograd.__all__
        assert hasattr(autograd.extend, name)


def test_an_op_declared_in_user_code_is_reachable_like_a_built_in_one(restored_registry):
    for owner, name in ((autograd, "cube"), (autograd.Tensor, "cube"), (autograd, "at"),
                        (autograd.Tensor, "__matmul__")):
        restored_registry(owner, name)

    @elementwise(lambda ans, x: 3 * x * x, saves="x", method=True, ufunc=np.cbrt)
    def cube(x):
        """x**3, elementwise."""
        return x ** 3

    x = autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    assert autograd.cube is cube and "cube" in autograd.__all__
    np.testing.assert_array_equal(np.asarray(x.cube()), [1.0, 8.0])
    assert isinstance(np.cbrt(x), autograd.Tensor)  # numpy dispatch, as declared
    assert autograd.gradcheck(autograd.cube, (x,))

    @registered("composite", operators=("__matmul__",))
    def at(a, b):
        return (a * b).sum()

    assert (x @ x).item() == 5.0


def test_raw_gives_the_array_behind_a_tensor_and_passes_arrays_through():
    a = np.arange(3.0)
    assert raw(autograd.Tensor(a)) is a and raw(a) is a
    assert callable(primitive)


def test_increment_version_makes_backward_refuse_values_changed_behind_its_back():
    w, v = (autograd.ones(3, dtype="float64", requires_grad=True) for _ in range(2))
    loss = (w * w).sum() + (v * v).sum()
    with autograd.no_grad():
        raw(w)[...] -= 0.5  # a numpy update, as an optimizer's step makes
        raw(v)[...] -= 0.5
    increment_version([w, v])  # a list, as PyTorch's; a single tensor below
    assert (w._version, v._version) == (1, 1)
    with pytest.raises(autograd.InplaceError, match="mul needs version 0"):
        loss.backward()
    increment_version(w)
    assert w._version == 2


def _times_grads(g, ans, x, y, *, wanted):
    _times_grads.calls.append(wanted)
    return [g * y if wanted[0] else None, g * x if wanted[1] else None]


def _times_push(tangents, ans, x, y):
    tx, ty = tangents
    return sum(t * other for t, other in ((tx, y), (ty, x)) if t is not None)


@joint(_times_grads, _times_push, saves="x y")
def _times(x, y):
    return x * y


def test_a_joint_op_gets_every_gradient_from_one_call_of_its_rule():
    x = autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    y = autograd.tensor([3.0, -1.0], dtype="float64", requires_grad=True)
    _times_grads.calls = []
    _times(x, y).sum().backward()
    assert _times_grads.calls == [(True, True)]  # one walk for both inputs
    np.testing.assert_allclose(np.asarray(x.grad), [3.0, -1.0])
    _times_grads.calls = []
    autograd.grad(_times(x, autograd.tensor([3.0, -1.0], dtype="float64")).sum(), x)
    assert _times_grads.calls == [(True, False)]  # told which gradients are wanted
    assert autograd.gradcheck(_times, (x, y)) and autograd.gradgradcheck(_times, (x, y))
    _, tangent = autograd.jvp(_times, (x, y), (autograd.ones(2, dtype="float64"),) * 2)
    np.testing.assert_allclose(np.asarray(tangent), [4.0, 1.0])


def test_a_joint_op_without_a_forward_rule_says_so(restored_registry):
    restored_registry(autograd, "times_no_jvp")

    @joint(_times_grads)
    def times_no_jvp(x, y):
        """x * y with a reverse rule only."""
        return x * y

    x = autograd.tensor([1.0], dtype="float64", requires_grad=True)
    assert autograd.times_no_jvp is times_no_jvp  # a public name is registered
    with pytest.raises(autograd.BackwardError, match="jvp: times_no_jvp has no forward-mode"):
        autograd.jvp(lambda a: times_no_jvp(a, a), (x,), (x,))
