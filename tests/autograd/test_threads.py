"""autograd.set_num_threads / get_num_threads (PyTorch's) and the pool behind them; that the
convolutions give the same numbers on any number of threads is tested in
tests/nn/test_conv_nd.py."""
import os
import signal
import threading

import pytest

import autograd
from autograd import threads


@pytest.fixture
def restore_threads():
    before = autograd.get_num_threads()
    yield
    autograd.set_num_threads(before)


def test_set_and_get_num_threads(restore_threads):
    autograd.set_num_threads(3)
    assert autograd.get_num_threads() == 3
    autograd.set_num_threads(1)
    assert autograd.get_num_threads() == 1


@pytest.mark.parametrize("value, match", [
    (0, "expects a positive integer, got 0"),
    (-2, "expects a positive integer, got -2"),
    (1.5, "expects an int, but got float"),
    (True, "expects an int, but got bool"),
])
def test_set_num_threads_refuses_what_torch_refuses(value, match, restore_threads):
    with pytest.raises(RuntimeError, match=f"set_num_threads {match}"):
        autograd.set_num_threads(value)


@pytest.mark.parametrize("environment, expected", [
    ({"OMP_NUM_THREADS": "3", "OPENBLAS_NUM_THREADS": "1"}, 3),
    ({"OPENBLAS_NUM_THREADS": "1"}, 1),
    ({"MKL_NUM_THREADS": "2"}, 2),
    ({"OMP_NUM_THREADS": "junk", "OPENBLAS_NUM_THREADS": "2"}, 2),
])
def test_default_follows_the_thread_variables(environment, expected, monkeypatch):
    for name in threads._ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert threads._default() == expected


def test_default_without_variables_is_the_usable_cores(monkeypatch):
    for name in threads._ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert threads._default() >= 1


def test_parallel_keeps_order_uses_threads_and_raises(restore_threads):
    autograd.set_num_threads(2)
    seen, barrier = set(), threading.Barrier(2, timeout=10)

    def square(i):
        if i < 2:  # the first two items meet: they run on two threads at once
            barrier.wait()
        seen.add(threading.get_ident())
        return i * i

    assert threads.parallel(square, range(9)) == [i * i for i in range(9)]
    assert len(seen) == 2

    def fail(i):
        if i == 5:
            raise ValueError("item 5")
        return i

    with pytest.raises(ValueError, match="item 5"):
        threads.parallel(fail, range(9))


def test_parallel_inside_parallel_runs_inline(restore_threads):
    # a worker's own parallel call must not wait for the busy pool
    autograd.set_num_threads(2)
    inner = lambda i: threads.parallel(lambda j: (i, j), range(3))
    results = []
    runner = threading.Thread(target=lambda: results.append(threads.parallel(inner, range(4))),
                              daemon=True)
    runner.start()
    runner.join(timeout=10)
    assert results == [[[(i, j) for j in range(3)] for i in range(4)]], "deadlocked"


def test_one_thread_runs_in_the_caller(restore_threads):
    autograd.set_num_threads(1)
    caller = threading.get_ident()
    assert threads.parallel(lambda i: threading.get_ident(), range(4)) == [caller] * 4


@pytest.mark.skipif(threads._blas is None, reason="numpy's BLAS is not OpenBLAS")
def test_blas_runs_one_thread_a_call_inside_and_is_restored_after(restore_threads):
    get, set_ = threads._blas
    before = get()
    try:
        set_(2)
        autograd.set_num_threads(2)
        assert threads.parallel(lambda i: get(), range(6)) == [1] * 6
        assert get() == 2

        def fail(i):
            if i == 3:
                raise ValueError("item 3")

        with pytest.raises(ValueError, match="item 3"):
            threads.parallel(fail, range(6))
        assert get() == 2
    finally:
        set_(before)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_makes_its_own_pool(restore_threads):
    # a child inherits the pool object but not its threads (DataLoader workers fork)
    autograd.set_num_threads(2)
    assert threads.parallel(lambda i: i, range(4)) == [0, 1, 2, 3]
    pid = os.fork()
    if pid == 0:  # the child: a hang here is killed by the alarm
        signal.alarm(10)
        ok = threads.parallel(lambda i: i + 1, range(4)) == [1, 2, 3, 4]
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert status == 0, f"the child failed or hung (wait status {status})"
