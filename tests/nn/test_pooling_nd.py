"""Pooling in 1, 2 and 3 dimensions: ceil_mode, return_indices, divisor_override, Lp,
adaptive pooling and max unpooling (max_pool2d/avg_pool2d's own tests are in
test_pooling.py; value and gradient comparisons with torch in tests/oracle/rows_convpool.py)."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import ShapeError


def f64(*shape, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(data, dtype="float64", requires_grad=True)


def distinct(*shape, seed=0):
    """No two entries equal: the max's gradient is defined everywhere."""
    data = np.random.default_rng(seed).permutation(np.prod(shape)).reshape(shape) / 3.0
    return autograd.tensor(data, dtype="float64", requires_grad=True)


# (function, input shape, keywords): overlapping windows, dilation, ceil_mode windows that
# start in the padding, divisor_override, adaptive windows that overlap
CASES = [
    (F.max_pool1d, (2, 2, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (F.max_pool2d, (1, 2, 5, 6), dict(kernel_size=(2, 3), stride=(2, 1), padding=(1, 1),
                                      dilation=(2, 1), ceil_mode=True)),
    (F.max_pool3d, (1, 1, 3, 4, 5), dict(kernel_size=2, stride=(1, 2, 2), padding=(0, 1, 1),
                                         ceil_mode=True)),
    (F.avg_pool1d, (2, 2, 7), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                                   count_include_pad=False)),
    (F.avg_pool2d, (1, 2, 5, 6), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (F.avg_pool2d, (1, 2, 4, 5), dict(kernel_size=2, stride=1, divisor_override=3)),
    (F.avg_pool3d, (1, 1, 3, 4, 5), dict(kernel_size=(2, 3, 2), stride=2, padding=1,
                                         ceil_mode=True, count_include_pad=False)),
    (F.lp_pool1d, (2, 2, 7), dict(norm_type=2, kernel_size=3, stride=2, ceil_mode=True)),
    (F.lp_pool2d, (1, 2, 5, 6), dict(norm_type=3, kernel_size=(2, 3))),
    (F.lp_pool3d, (1, 1, 3, 4, 4), dict(norm_type=1.5, kernel_size=2)),
    (F.adaptive_avg_pool1d, (2, 2, 7), dict(output_size=3)),
    (F.adaptive_avg_pool2d, (1, 2, 5, 4), dict(output_size=(3, 6))),
    (F.adaptive_avg_pool3d, (1, 1, 5, 3, 4), dict(output_size=(2, None, 3))),
    (F.adaptive_max_pool1d, (2, 2, 7), dict(output_size=3)),
    (F.adaptive_max_pool2d, (1, 2, 5, 4), dict(output_size=(3, 6))),
    (F.adaptive_max_pool3d, (1, 1, 5, 3, 4), dict(output_size=(2, None, 3))),
]


@pytest.mark.parametrize("pool, shape, kwargs", CASES, ids=[c[0].__name__ for c in CASES])
def test_pool_nd_gradcheck_gradgradcheck_and_forward_mode(pool, shape, kwargs):
    x = distinct(*shape)
    if pool.__name__.startswith("lp_pool"):  # x ** p of a positive base: smooth everywhere
        x = (x.detach() + 1.0).requires_grad_()
    fn = lambda x: pool(x, **kwargs)  # max_pool, avg_pool, lp_pool, adaptive_*_pool 1-3d
    assert autograd.gradcheck(fn, (x,), check_forward_ad=True)
    assert autograd.gradgradcheck(fn, (x,))


@pytest.mark.filterwarnings("ignore:.*is at a kink")  # the ties, as intended
def test_max_pool_gradcheck_with_ties_in_overlapping_windows():
    # two-way ties only, shared half and half: what central differences measure there (the
    # gradient jumps at a tie, so no second-order check here)
    x = autograd.tensor([[[0.0, 1.0, 1.0, 0.0, 2.0, 2.0, -1.0]]], dtype="float64",
                        requires_grad=True)
    fn = lambda x: F.max_pool1d(x, 3, stride=1, padding=1, ceil_mode=True)
    assert autograd.gradcheck(fn, (x,), check_forward_ad=True)


def test_max_pool_indices_by_hand():
    x = autograd.tensor([[[3.0, 1.0, 3.0, 5.0, 5.0]]])
    out, indices = F.max_pool1d(x, 2, stride=1, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), [[[3, 3, 5, 5]]])
    np.testing.assert_array_equal(indices.numpy(), [[[0, 2, 3, 3]]])  # the first of a tie
    assert indices.dtype == np.int64 and not indices.requires_grad
    # positions are flat within each unpadded plane, the padding not counted
    grid = autograd.arange(12.0).reshape(1, 1, 3, 4)
    _, indices = F.max_pool2d(grid, 3, stride=2, padding=1, return_indices=True)
    np.testing.assert_array_equal(indices.numpy(), [[[[5, 7], [9, 11]]]])


def test_ceil_mode_by_hand():
    x = autograd.arange(5.0).reshape(1, 1, 5)
    # kernel 2, stride 2: ceil keeps a last window holding x[4] alone
    np.testing.assert_array_equal(F.max_pool1d(x, 2, ceil_mode=True).numpy(), [[[1, 3, 4]]])
    np.testing.assert_array_equal(F.avg_pool1d(x, 2, ceil_mode=True).numpy(),
                                  [[[0.5, 2.5, 4]]])  # the partial window counts 1 entry
    # padding 1: a fourth window would start past the input and its padding: dropped
    np.testing.assert_array_equal(F.max_pool1d(x, 2, 2, 1, ceil_mode=True).numpy(),
                                  [[[0, 2, 4]]])
    np.testing.assert_array_equal(F.avg_pool1d(x, 2, 2, 1, ceil_mode=True).numpy(),
                                  [[[0, 1.5, 3.5]]])


def test_adaptive_windows_are_torchs():
    # L = 5 into 3: windows [0, 2), [1, 4), [3, 5)
    x = autograd.tensor([[[1.0, 2.0, 3.0, 4.0, 10.0]]])
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 3).numpy(), [[[1.5, 3.0, 7.0]]])
    out, indices = F.adaptive_max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), [[[2, 4, 10]]])
    np.testing.assert_array_equal(indices.numpy(), [[[1, 3, 4]]])
    # more outputs than entries: windows repeat entries
    np.testing.assert_array_equal(F.adaptive_max_pool1d(x[..., :2], 3).numpy(), [[[1, 2, 2]]])


def test_max_unpool_by_hand_and_gradcheck():
    x = distinct(2, 3, 5, 6)
    pooled, indices = F.max_pool2d(x, 2, return_indices=True)
    restored = F.max_unpool2d(pooled, indices, 2, output_size=x.shape)
    kept = restored.numpy() != 0
    assert kept.sum() == pooled.numel()
    np.testing.assert_array_equal(restored.numpy()[kept], x.numpy()[kept])
    fn = lambda p: F.max_unpool2d(p, indices, 2, output_size=(5, 6))
    assert autograd.gradcheck(fn, (pooled.detach().requires_grad_(),), check_forward_ad=True)
    assert autograd.gradgradcheck(fn, (pooled.detach().requires_grad_(),))
    for unpool, dims in ((F.max_unpool1d, 1), (F.max_unpool3d, 3)):
        y = distinct(1, 2, *(4,) * dims)
        pool = (F.max_pool1d, F.max_pool3d)[dims // 3]
        p, i = pool(y, 2, return_indices=True)
        fn = lambda p, unpool=unpool, i=i: unpool(p, i, 2)  # max_unpool1d, max_unpool3d
        assert autograd.gradcheck(fn, (p.detach().requires_grad_(),), check_forward_ad=True)
        assert autograd.gradgradcheck(fn, (p.detach().requires_grad_(),))


def test_max_unpool_of_overlapping_windows_keeps_one_value_as_torch():
    torch = pytest.importorskip("torch")
    x = np.array([[[0.0, 5.0, 1.0, 2.0, 0.0]]])  # 5 is the max of two windows
    pooled, indices = F.max_pool1d(autograd.tensor(x), 2, 1, return_indices=True)
    out = F.max_unpool1d(pooled, indices, 2, 1)
    tp, ti = torch.nn.functional.max_pool1d(torch.tensor(x), 2, 1, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), torch.nn.functional.max_unpool1d(tp, ti, 2, 1))


def test_pool_nd_keeps_float32():
    x = autograd.randn(1, 2, 6, 6, 6, dtype="float32")
    for out in (F.max_pool3d(x, 2), F.avg_pool3d(x, 2, ceil_mode=True),
                F.adaptive_avg_pool3d(x, 3), F.adaptive_max_pool3d(x, 4), F.lp_pool3d(x, 2, 2)):
        assert out.dtype == np.float32


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.max_pool1d(autograd.zeros(2, 3, 4, 5), 2), ShapeError,
     r"max_pool1d: expected a 3-D input \(N, C, L\) or an unbatched 2-D one \(C, L\)"),
    (lambda: F.avg_pool3d(autograd.zeros(4, 5, 6), 2), ShapeError,
     r"avg_pool3d: expected a 5-D input \(N, C, D, H, W\) or an unbatched 4-D one"),
    (lambda: F.max_pool3d(autograd.zeros(1, 1, 2, 4, 4), 3), ShapeError,
     r"max_pool3d: the kernel spans \(3, 3, 3\) pixels .* but the padded input is only "
     r"\(2, 4, 4\)"),
    (lambda: F.avg_pool1d(autograd.zeros(1, 1, 4), 2, padding=2), ValueError,
     r"avg_pool1d: padding \(2,\) is more than half the kernel \(at most \(1,\) here\)"),
    (lambda: F.avg_pool2d(autograd.zeros(1, 1, 4, 4), 2, divisor_override=0), ValueError,
     r"avg_pool2d: divisor_override must be a nonzero int, got 0"),
    (lambda: F.adaptive_avg_pool2d(autograd.zeros(1, 1, 4, 4), (2, 0)), ValueError,
     r"adaptive_avg_pool2d: output_size must be an int >= 1 or 2 of them \(None keeps an "
     r"axis\), got \(2, 0\)"),
    (lambda: F.adaptive_max_pool1d(autograd.zeros(1, 1, 4), (2, 2)), ValueError,
     r"adaptive_max_pool1d: output_size must be an int >= 1 or 1 of them"),
    (lambda: F.max_unpool2d(autograd.zeros(1, 1, 2, 2), autograd.zeros(1, 1, 2, 2), 2),
     ShapeError, r"max_unpool2d: indices must be integers of the input's shape \(1, 1, 2, 2\), "
                 r"got float32"),
    (lambda: F.max_unpool1d(autograd.zeros(1, 1, 2), autograd.tensor([[[0, 4]]]), 2),
     ShapeError, r"max_unpool1d: indices must lie in \[0, 4\) \(an output plane of size "
                 r"\(4,\)\), got values in \[0, 4\]"),
    (lambda: F.max_unpool1d(autograd.zeros(1, 1, 2), autograd.tensor([[[0, 1]]]), 2,
                            output_size=(6,)), ShapeError,
     r"max_unpool1d: output_size \(6,\) must give 1 sizes each within stride \(2,\) of the "
     r"default \(4,\)"),
])
def test_pool_nd_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


LAYERS = [
    ("MaxPool1d", (3,), dict(stride=2, padding=1, ceil_mode=True)),
    ("MaxPool3d", ((2, 1, 2),), dict(dilation=(1, 2, 1))),
    ("AvgPool1d", (3, 2, 1), dict(count_include_pad=False)),
    ("AvgPool3d", (2,), dict(ceil_mode=True, divisor_override=5)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True)),
    ("LPPool1d", (2, 3), dict(stride=2)),
    ("LPPool2d", (1.5, 2), {}),
    ("LPPool3d", (2, 2), dict(ceil_mode=True)),
    ("AdaptiveAvgPool1d", (3,), {}),
    ("AdaptiveAvgPool2d", ((None, 3),), {}),
    ("AdaptiveAvgPool3d", (2,), {}),
    ("AdaptiveMaxPool1d", (3,), {}),
    ("AdaptiveMaxPool2d", ((3, 2),), dict(return_indices=True)),
    ("AdaptiveMaxPool3d", (2,), {}),
]


@pytest.mark.parametrize("name, args, kwargs", LAYERS, ids=[c[0] for c in LAYERS])
def test_pool_layers_match_torch(name, args, kwargs):
    torch = pytest.importorskip("torch")
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert ours.state_dict() == {} and list(theirs.state_dict()) == []
    dims = int(name[-2])
    x = distinct(2, 3, *(6, 5, 7)[:dims]) + 0.5  # positive, for LPPool's fractional powers
    out = ours(x)
    expected = theirs(torch.tensor(x.numpy()))
    for a, b in zip(out if isinstance(out, tuple) else (out,),
                    expected if isinstance(expected, tuple) else (expected,)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_unpool_layers_match_torch(dims):
    torch = pytest.importorskip("torch")
    name = f"MaxUnpool{dims}d"
    ours, theirs = getattr(nn, name)(2, stride=2, padding=1), getattr(torch.nn, name)(2, 2, 1)
    assert repr(ours) == repr(theirs)
    x = distinct(1, 2, *(5, 6, 4)[:dims])
    pooled, indices = getattr(nn, f"MaxPool{dims}d")(2, 2, 1, return_indices=True)(x)
    out = ours(pooled, indices, output_size=x.shape)
    expected = theirs(torch.tensor(pooled.numpy()), torch.tensor(indices.numpy()),
                      output_size=x.shape)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
