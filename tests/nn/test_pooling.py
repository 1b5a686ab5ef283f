"""F.max_pool2d / nn.MaxPool2d and F.avg_pool2d / nn.AvgPool2d."""
import functools

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import DtypeError, ShapeError
from nn.functional.conv import _windows
from nn.functional.pooling import _pool_input

GRID = autograd.tensor(np.arange(16.0).reshape(1, 1, 4, 4))  # rows 0-3, 4-7, 8-11, 12-15


def f64(*shape, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(data, dtype="float64", requires_grad=True)


# ---------------------------------------------------------------- values by hand
def test_max_pool_values_by_hand():
    np.testing.assert_array_equal(F.max_pool2d(GRID, 2).data, [[[[5, 7], [13, 15]]]])
    np.testing.assert_array_equal(F.max_pool2d(GRID, 3, stride=1).data, [[[[10, 11], [14, 15]]]])
    # -inf padding never wins: the top-left window sees only 0, 1, 4, 5
    np.testing.assert_array_equal(F.max_pool2d(GRID, 3, stride=3, padding=1).data,
                                  [[[[5, 7], [13, 15]]]])
    # dilation 2 in a 3x3 reach: the max of 0, 2, 8, 10 ... 5, 7, 13, 15
    np.testing.assert_array_equal(F.max_pool2d(GRID, 2, stride=1, dilation=2).data,
                                  [[[[10, 11], [14, 15]]]])
    np.testing.assert_array_equal(F.max_pool2d(-GRID, 2).data, [[[[0, -2], [-8, -10]]]])


def test_avg_pool_values_by_hand():
    np.testing.assert_array_equal(F.avg_pool2d(GRID, 2).data, [[[[2.5, 4.5], [10.5, 12.5]]]])
    np.testing.assert_array_equal(F.avg_pool2d(GRID, (1, 4)).data, [[[[1.5], [5.5], [9.5],
                                                                     [13.5]]]])
    ones = autograd.ones(1, 1, 2, 2, dtype="float64")
    # a 3x3 window at padding 1 covers the 4 real pixels and 5 zeros
    np.testing.assert_allclose(F.avg_pool2d(ones, 3, stride=1, padding=1).data, 4 / 9)
    np.testing.assert_array_equal(
        F.avg_pool2d(ones, 3, stride=1, padding=1, count_include_pad=False).data, 1.0)


def test_max_pool_ties_share_the_gradient():
    x = autograd.tensor(np.array([[[[1.0, 1.0], [0.0, 1.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[[[1 / 3, 1 / 3], [0.0, 1 / 3]]]])


def test_max_pool_many_ties_in_overlapping_windows():
    # every 2x2 window of a constant image is a 4-way tie: each entry gets 1/4 from each
    # window it is in
    x = autograd.ones(1, 1, 3, 3, dtype="float64", requires_grad=True)
    F.max_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0, 0],
                               np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 4)
    # 3x3 windows at padding 1: the -inf padding takes no share, so a window of k real
    # pixels gives each 1/k (k = 4 at a corner, 6 at an edge, 9 in the middle)
    x.grad = None
    F.max_pool2d(x, 3, stride=1, padding=1).sum().backward()
    span = [2, 3, 2]  # real rows (or columns) that the window at each output row (column) covers
    expected = np.zeros((3, 3))
    for r, c in np.ndindex(3, 3):
        expected[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2] += 1 / (span[r] * span[c])
    np.testing.assert_allclose(x.grad.numpy()[0, 0], expected)


def _core_max_pool(x, kernel_size, stride=None, padding=0, dilation=1):
    """max_pool2d as the core max over the window view: the rule that the pooling op's own,
    faster, rule must reproduce."""
    x, _, geometry, pads = _pool_input("max_pool2d", 2, x, kernel_size, stride, padding,
                                       dilation, ceil_mode=False)
    windows = _windows(x, "max_pool2d", padding=pads, fill=-np.inf, **geometry)
    return autograd.amax(windows, axis=(2, 3))


TIE_CASES = [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
             dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 1)),
             dict(kernel_size=(1, 2), stride=3, padding=(0, 1)),
             dict(kernel_size=2, stride=1, padding=1, dilation=2),
             dict(kernel_size=(7, 2))]  # windows tiling the 7x6 image: their own rule


@pytest.mark.parametrize("kwargs", TIE_CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_pool_rule_is_the_core_max_rule_ties_included(kwargs, dtype):
    # entries from {0, 1, 2}, so most windows tie. Values, gradients and tangents agree
    # bitwise; second derivatives (through the gradient's dependence on grad_outputs) to
    # rounding, as a window's entries may be summed in another order
    rng = np.random.default_rng(0)
    data = rng.integers(0, 3, (2, 3, 7, 6)).astype(dtype)
    seed = rng.standard_normal(F.max_pool2d(data, **kwargs).shape).astype(dtype)
    results = []
    for pool in (F.max_pool2d, _core_max_pool):
        x = autograd.tensor(data, requires_grad=True)
        out = pool(x, **kwargs)
        g = autograd.tensor(seed, requires_grad=True)
        grad, = autograd.grad(out, x, grad_outputs=g, create_graph=True)
        again, = autograd.grad((grad * grad).sum(), g)
        _, tangent = autograd.jvp(functools.partial(pool, **kwargs), x, autograd.tensor(data[::-1]))
        results.append([out.data, grad.data, tangent.data, again.data])
    (*exact, again), (*core_exact, core_again) = results
    for new, core in zip(exact, core_exact):
        assert new.dtype == core.dtype
        np.testing.assert_array_equal(new, core)
    assert again.dtype == core_again.dtype
    np.testing.assert_allclose(again, core_again, rtol=4 * np.finfo(dtype).eps)


def test_spaced_windows_side_by_side_leave_their_gaps_at_zero():
    # kernel 2, dilation 2, stride 3: windows side by side covering the 6x6 image, whose
    # pixels 1 and 4 (per axis) lie in no window and get a zero gradient
    x = autograd.tensor(np.random.default_rng(0).standard_normal((1, 1, 6, 6)),
                        requires_grad=True)
    F.max_pool2d(x, 2, stride=3, dilation=2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0, [1, 4]], 0)
    np.testing.assert_array_equal(x.grad.numpy()[0, 0, :, [1, 4]], 0)
    assert x.grad.numpy().sum() == 4


def test_overlapping_windows_add_their_gradients():
    x = autograd.tensor(np.arange(9.0).reshape(1, 1, 3, 3), requires_grad=True)
    F.avg_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0, 0],
                               np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 4)


def test_unbatched_and_float32():
    x = autograd.randn(2, 5, 4)
    for pool in (F.max_pool2d, F.avg_pool2d):
        out = pool(x, 2)
        assert out.shape == (2, 2, 2) and out.dtype == np.float32
        np.testing.assert_array_equal(out.data, pool(x.numpy()[None], 2)[0])
    assert F.avg_pool2d(x, 3, 1, 1, count_include_pad=False).dtype == np.float32


# ---------------------------------------------------------------- gradients
MAX_CASES = [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=(1, 2), padding=1),
             dict(kernel_size=3, stride=2, padding=1, dilation=(1, 2)),
             dict(kernel_size=(3, 1), stride=1, dilation=2),
             dict(kernel_size=(3, 2), stride=(2, 1), padding=1, dilation=(2, 1)),
             dict(kernel_size=2, stride=1, padding=1, dilation=2),
             dict(kernel_size=(1, 2), stride=3, padding=(0, 1))]
AVG_CASES = [dict(kernel_size=2), dict(kernel_size=(3, 2), stride=(2, 1), padding=1),
             dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
             dict(kernel_size=(1, 3), stride=1, padding=(0, 1), count_include_pad=False),
             dict(kernel_size=(2, 3), stride=3, padding=1, count_include_pad=False)]
POOLS = [(F.max_pool2d, case) for case in MAX_CASES] + [(F.avg_pool2d, case) for case in AVG_CASES]


@pytest.mark.parametrize("pool, kwargs", POOLS)
def test_pool_gradcheck_and_gradgradcheck(pool, kwargs):
    x = f64(1, 2, 5, 4)  # random, so no ties
    fn = lambda x: pool(x, **kwargs)
    assert autograd.gradcheck(fn, x, check_forward_ad=True)
    assert autograd.gradgradcheck(fn, x)


@pytest.mark.parametrize("pool, kwargs", POOLS)
def test_pool_matches_torch(pool, kwargs):
    torch = pytest.importorskip("torch")
    x = f64(2, 3, 7, 6)
    out = pool(x, **kwargs)
    seed = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(seed)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    expected = getattr(torch.nn.functional, pool.__name__)(tx, **kwargs)
    expected.backward(torch.tensor(seed))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-12)


# ---------------------------------------------------------------- modules
def test_pool_modules():
    pool = nn.MaxPool2d(3, padding=1)
    assert pool.stride == 3
    assert repr(pool) == ("MaxPool2d(kernel_size=3, stride=3, padding=1, dilation=1, "
                          "ceil_mode=False)")
    np.testing.assert_array_equal(pool(GRID).data, F.max_pool2d(GRID, 3, padding=1).data)
    avg = nn.AvgPool2d((2, 1), stride=1, count_include_pad=False)
    assert repr(avg) == "AvgPool2d(kernel_size=(2, 1), stride=1, padding=0)"
    np.testing.assert_array_equal(avg(GRID).data, F.avg_pool2d(GRID, (2, 1), 1).data)
    assert list(pool.parameters()) == [] and pool.state_dict() == {}


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("pool", [F.max_pool2d, F.avg_pool2d])
def test_pool_errors(pool):
    name = pool.__name__
    with pytest.raises(ShapeError, match=rf"{name}: expected a 4-D input \(N, C, H, W\) or an "
                                         r"unbatched 3-D one \(C, H, W\), got shape \(4, 4\)"):
        pool(GRID[0, 0], 2)
    with pytest.raises(ShapeError, match=rf"{name}: the kernel spans \(5, 5\) pixels .* but the "
                                         r"padded input is only \(4, 4\)"):
        pool(GRID, 5)
    with pytest.raises(ValueError, match=rf"{name}: padding \(2, 2\) is more than half the "
                                         r"kernel \(at most \(1, 1\) here\)"):
        pool(GRID, 3, padding=2)
    with pytest.raises(ValueError, match=rf"{name}: stride must be an int >= 1 or 2 of them"
                                         r", got \(1, 0\)"):
        pool(GRID, 2, stride=(1, 0))
    with pytest.raises(ValueError, match=rf"{name}: kernel_size must be an int >= 1"):
        pool(GRID, (2, 2, 2))
    with pytest.raises(DtypeError, match=rf"{name}: expected a floating-point input, got "
                                         r"dtype int64"):
        pool(autograd.tensor(np.zeros((1, 1, 2, 2), dtype=np.int64)), 2)


def test_pytorch_positional_order_lines_up():
    x = autograd.arange(16.0).reshape(1, 1, 4, 4)
    # PyTorch's AvgPool2d(kernel_size, stride, padding, ceil_mode, count_include_pad)
    np.testing.assert_allclose(nn.AvgPool2d(3, 1, 1, False, False)(x).numpy()[0, 0, 0],
                               [2.5, 3.0, 4.0, 4.5])


# ---------------------------------------------------------------- memory
@pytest.mark.parametrize("kernel_size, stride, limit", [(3, 1, 6), (3, 2, 3)])
def test_max_pool_backward_builds_no_window_sized_float_array(kernel_size, stride, limit):
    # x (8, 4, 64, 64) float64 is 1 MiB; its 3x3 windows hold 8.6 MiB of entries at stride
    # 1 and 2.1 at stride 2. The backward needs x's gradient (1 MiB, and the leaf's own copy
    # of it), output-sized arrays and one bool per window entry: measured peak 4.1 and 2.0
    # MiB (17.0 and 4.3 with the window-sized float share array it replaced).
    import tracemalloc

    x = autograd.tensor(np.random.default_rng(0).standard_normal((8, 4, 64, 64)),
                        requires_grad=True)
    out = F.max_pool2d(x, kernel_size, stride)
    g = np.ones(out.shape)
    tracemalloc.start()
    out.backward(g)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < limit * 2 ** 20, f"{peak / 2 ** 20:.1f} MiB"
