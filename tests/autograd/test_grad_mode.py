"""Grad mode: no_grad / enable_grad / set_grad_enabled as context managers and decorators,
nesting, restoring on exceptions, and thread-locality."""
import threading

import numpy as np
import pytest

import autograd
from autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled


@pytest.fixture(autouse=True)
def grad_mode_restored():
    """Every test starts, and must end, with grad mode on."""
    assert is_grad_enabled()
    yield
    enabled = is_grad_enabled()
    autograd.grad_mode.state.grad_enabled = True
    assert enabled, "the test left grad mode off"


@pytest.fixture
def w():
    return autograd.tensor([1.0, 2.0], requires_grad=True)


def test_grad_enabled_by_default():
    assert is_grad_enabled() is True


def test_no_grad_context(w):
    with no_grad():
        assert is_grad_enabled() is False
        y = w * 2
        z = (y.exp() + w).sum()
    assert is_grad_enabled() is True
    for t in (y, z):
        assert t.requires_grad is False
        assert t.grad_fn is None
        assert t.is_leaf
    np.testing.assert_allclose(y.data, [2.0, 4.0])


def test_no_grad_result_cannot_backward(w):
    with no_grad():
        y = (w * 2).sum()
    with pytest.raises(autograd.BackwardError, match="does not require grad.*no_grad"):
        y.backward()


def test_leaves_keep_requires_grad_under_no_grad():
    with no_grad():
        x = autograd.tensor([1.0], requires_grad=True)
    assert x.requires_grad
    (x * 3).sum().backward()
    assert x.grad.item() == 3.0


def test_no_grad_as_decorator_with_parentheses(w):
    @no_grad()
    def double(t):
        assert is_grad_enabled() is False
        return t * 2

    y = double(w)
    assert not y.requires_grad and y.grad_fn is None
    assert is_grad_enabled()
    assert double.__name__ == "double"


def test_no_grad_as_bare_decorator(w):
    # PyTorch >= 2.1 accepts @torch.no_grad without parentheses
    @no_grad
    def double(t):
        return t * 2

    y = double(w)
    assert not y.requires_grad
    assert is_grad_enabled()
    assert double.__name__ == "double"


def test_decorated_function_is_reentrant(w):
    @no_grad()
    def outer(n):
        if n:
            return outer(n - 1)
        return is_grad_enabled()

    assert outer(3) is False
    assert is_grad_enabled()


def test_enable_grad_inside_no_grad(w):
    with no_grad():
        with enable_grad():
            assert is_grad_enabled()
            y = w * 2
        z = w * 2
        assert not is_grad_enabled()
    assert y.requires_grad and y.grad_fn.name == "mul"
    assert not z.requires_grad


def test_enable_grad_as_decorator(w):
    @enable_grad()
    def f(t):
        return t * 3

    @enable_grad
    def g(t):
        return t * 3

    with no_grad():
        y, z = f(w), g(w)
        assert not is_grad_enabled()
    assert y.requires_grad and z.requires_grad
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])


def test_nesting_restores_each_level():
    states = []
    with no_grad():
        states.append(is_grad_enabled())
        with no_grad():
            states.append(is_grad_enabled())
            with enable_grad():
                states.append(is_grad_enabled())
                with no_grad():
                    states.append(is_grad_enabled())
                states.append(is_grad_enabled())
            states.append(is_grad_enabled())
        states.append(is_grad_enabled())
    states.append(is_grad_enabled())
    assert states == [False, False, True, False, True, False, False, True]


def test_same_no_grad_object_reused_and_nested():
    ctx = no_grad()
    with ctx:
        with ctx:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with no_grad():
            raise ValueError("boom")
    assert is_grad_enabled()

    @no_grad()
    def fails():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fails()
    assert is_grad_enabled()


@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled_context(w, mode):
    with no_grad():
        with set_grad_enabled(mode):
            assert is_grad_enabled() is mode
            y = w * 2
        assert not is_grad_enabled()
    assert y.requires_grad is mode
    assert (y.grad_fn is not None) is mode


def test_set_grad_enabled_as_function_call(w):
    # as torch.set_grad_enabled(False): a plain call switches the mode at once
    set_grad_enabled(False)
    try:
        assert is_grad_enabled() is False
        assert not (w * 2).requires_grad
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled() is True
    assert (w * 2).requires_grad


def test_set_grad_enabled_as_decorator(w):
    @set_grad_enabled(False)
    def f(t):
        return t * 2

    assert is_grad_enabled()  # decorating does not switch the mode
    assert not f(w).requires_grad
    assert is_grad_enabled()


def test_set_grad_enabled_restores_previous_mode_on_exit():
    with no_grad():
        with set_grad_enabled(True):
            assert is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_backward_inside_no_grad_still_works(w):
    y = (w * w).sum()
    with no_grad():
        y.backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])


def test_backward_does_not_leave_grad_mode_changed(w):
    (w * w).sum().backward(create_graph=True)
    assert is_grad_enabled()
    y = (w * w).sum()
    with no_grad():
        y.backward(create_graph=True)  # records the gradient's graph, then restores no_grad
        assert not is_grad_enabled()
    assert w.grad.requires_grad


def test_no_grad_is_thread_local(w):
    inside = threading.Event()
    checked = threading.Event()
    seen = {}

    def worker():
        with no_grad():
            seen["worker_enabled"] = is_grad_enabled()
            inside.set()
            checked.wait(timeout=10)
            seen["worker_result"] = (w * 2).requires_grad

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(timeout=10)
    # the worker is inside no_grad right now; this thread is unaffected
    seen["main_enabled"] = is_grad_enabled()
    seen["main_result"] = (w * 2).requires_grad
    checked.set()
    thread.join(timeout=10)
    assert seen == {"worker_enabled": False, "worker_result": False,
                    "main_enabled": True, "main_result": True}


def test_new_thread_starts_with_grad_enabled():
    seen = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join(timeout=10)
    assert seen == [True]


def test_set_grad_enabled_call_is_thread_local():
    seen = []

    def worker():
        set_grad_enabled(False)
        seen.append(is_grad_enabled())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=10)
    assert seen == [False]
    assert is_grad_enabled()


def test_detect_anomaly_is_a_context_and_decorator():
    state = autograd.grad_mode.state
    assert not state.anomaly
    with autograd.detect_anomaly():
        assert state.anomaly
        with autograd.detect_anomaly(False):
            assert not state.anomaly
        assert state.anomaly
    assert not state.anomaly

    @autograd.detect_anomaly()
    def f():
        return state.anomaly

    assert f() is True
    assert not state.anomaly
