"""The extension API (`autograd.extend`) is apart from the user API, and an op declared in
user code after `import autograd` gets its function, method, operator and numpy dispatch
exactly as a built-in op does."""
import numpy as np
import pytest

import autograd
from autograd import registry
from autograd.extend import elementwise, primitive, raw, registered


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
    for name in ("primitive", "elementwise", "linear", "bilinear", "registered", "register"):
        assert not hasattr(autograd, name), name  # autograd.linear(x, w) would return a function
        assert name not in autograd.__all__
        assert hasattr(autograd.extend, name)


def test_an_op_declared_in_user_code_is_reachable_like_a_built_in_one(restored_registry):
    for owner, name in ((autograd, "cube"), (autograd.Tensor, "cube"),
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
