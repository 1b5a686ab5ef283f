"""How many threads the library's own loops use: PyTorch's ``torch.set_num_threads`` and
``torch.get_num_threads``.

numpy runs one operation on one core (BLAS aside), so the library splits its heavy loops
itself: the convolutions (`nn.functional.conv2d` and its kin, forward and both gradients)
hand their blocks of samples to a pool of threads, which numpy lets run side by side (it
releases the GIL in matmuls, copies and ufunc loops). While the pool runs, numpy's BLAS
(OpenBLAS) is set to one thread a call, so the two levels do not oversubscribe the cores.
Results do not depend on the thread count: every block is computed alone, and partial sums
are added in the order of the blocks.

The default, as in PyTorch: ``OMP_NUM_THREADS`` when set (then ``OPENBLAS_NUM_THREADS`` and
``MKL_NUM_THREADS``, which numpy's BLAS reads), else the cores this process may run on.
"""
import contextlib
import ctypes
import glob
import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

__all__ = ["set_num_threads", "get_num_threads"]

_ENVIRONMENT = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _default():
    for name in _ENVIRONMENT:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_threads = _default()


def set_num_threads(n):
    """Use ``n`` threads in the library's parallel loops (the convolutions' blocks of
    samples); 1 runs them on the calling thread alone. Results do not change with ``n``.

    >>> before = autograd.get_num_threads()
    >>> autograd.set_num_threads(2); autograd.get_num_threads()
    2
    >>> autograd.set_num_threads(before)
    """
    global _threads
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {n}")
    _threads = int(n)


def get_num_threads():
    """The number of threads the library's parallel loops use (`set_num_threads`).

    >>> autograd.get_num_threads() >= 1
    True
    """
    return _threads


_pool, _pool_key, _pool_lock = None, None, threading.Lock()
_in_worker = threading.local()


def _executor(workers):
    """The pool of ``workers`` threads, made anew after a fork (a child inherits the pool's
    object but not its threads) or when the thread count changed."""
    global _pool, _pool_key
    key = (os.getpid(), workers)
    with _pool_lock:
        if _pool_key != key:
            if _pool is not None and _pool_key[0] == os.getpid():
                _pool.shutdown(wait=False)
            _pool, _pool_key = ThreadPoolExecutor(workers, thread_name_prefix="autograd"), key
        return _pool


def parallel(fn, items):
    """``[fn(item) for item in items]``, on `get_num_threads` threads: the caller and the
    pool's threads take the next item in turn, so a slow core gets fewer of them. The
    results come back in the order of ``items``. A call made from a pool thread (or with
    one thread, or one item) runs in the calling thread alone. Meanwhile BLAS runs one
    thread a call (`_single_threaded_blas`)."""
    items = list(items)
    workers = min(_threads, len(items))
    if workers < 2 or getattr(_in_worker, "active", False):
        return [fn(item) for item in items]
    results = [None] * len(items)
    order = iter(range(len(items)))  # next() on it is atomic under the GIL
    failed = []

    def work():
        _in_worker.active = True
        try:
            for i in order:
                if failed:  # another thread raised: stop taking items
                    break
                results[i] = fn(items[i])
        except BaseException:
            failed.append(True)
            raise
        finally:
            _in_worker.active = False

    with _single_threaded_blas():
        futures = [_executor(workers - 1).submit(work) for _ in range(workers - 1)]
        try:
            work()
        finally:
            wait(futures)  # no thread still writes when this returns or raises
    for future in futures:
        future.result()  # raises what a worker raised
    return results


def _blas_controls():
    """(get, set) of the thread count of the OpenBLAS that numpy loaded, or None (another
    BLAS, or none found): the names OpenBLAS builds export, prefixed and suffixed as
    scipy-openblas does."""
    folder = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in glob.glob(os.path.join(folder, "*openblas*")):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_", "64_"), ("scipy_", "_64"), ("", "64_"), ("", "")):
            try:
                get = getattr(library, f"{prefix}openblas_get_num_threads{suffix}")
                set_ = getattr(library, f"{prefix}openblas_set_num_threads{suffix}")
            except AttributeError:
                continue
            get.restype, set_.argtypes = ctypes.c_int, [ctypes.c_int]
            return get, set_
    return None


_blas = _blas_controls()
_blas_lock = threading.Lock()
_blas_users, _blas_saved = 0, None


@contextlib.contextmanager
def _single_threaded_blas():
    """BLAS at one thread while the pool runs: each pool thread's matmuls would otherwise
    spawn BLAS threads of their own, more threads than cores (measured 1.5-1.9x slower
    than one thread). OpenBLAS's thread count is the process's (its "local" setter sets it
    too), so it is set once for all overlapping pool runs and restored after the last."""
    global _blas_users, _blas_saved
    if _blas is None:
        yield
        return
    with _blas_lock:
        if _blas_users == 0:
            _blas_saved = _blas[0]()
            _blas[1](1)
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas[1](_blas_saved)
