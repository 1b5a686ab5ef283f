"""conv1d/conv3d, the transposed convolutions and the N-d convolution layers (conv2d's own
tests are in test_conv.py; value and gradient comparisons with torch in
tests/oracle/rows_convpool.py)."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import nn.functional.conv as conv_module
from autograd import ShapeError


def f64(*shape, seed=0, grad=True):
    data = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(data, dtype="float64", requires_grad=grad)


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}

# (dims, input spatial size, kernel, keywords): stride > 1, dilation, groups, 'same' with
# even kernels, asymmetric everything (few channels: the gradients' window formulation)
CONV_CASES = [
    (1, (7,), (2,), dict(stride=2, padding=1, dilation=2, groups=2)),
    (1, (6,), (4,), dict(padding="same", groups=1)),
    (2, (5, 6), (2, 3), dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2)),
    (2, (4, 5), (2, 2), dict(padding="same", dilation=(2, 1), groups=1)),
    (3, (3, 4, 3), (2, 1, 2), dict(stride=(1, 2, 1), padding=1, groups=2)),
    (3, (3, 3, 4), (2, 2, 2), dict(padding="same", dilation=(1, 1, 2), groups=1)),
]


def _conv_operands(dims, size, kernel, kw, seed=0):
    groups = kw["groups"]
    x = f64(2, 4, *size, seed=seed)
    w, b = f64(2 * groups, 4 // groups, *kernel, seed=seed + 1), f64(2 * groups, seed=seed + 2)
    return x, w, b


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("dims, size, kernel, kw", CONV_CASES)
def test_conv_nd_gradcheck_gradgradcheck_and_forward_mode(dims, size, kernel, kw):
    x, w, b = _conv_operands(dims, size, kernel, kw)
    fn = lambda x, w, b: CONV[dims](x, w, b, **kw)  # conv1d, conv2d, conv3d
    assert autograd.gradcheck(fn, (x, w, b), check_forward_ad=True)
    small = _conv_operands(dims, size, kernel, kw, seed=5)
    assert autograd.gradgradcheck(fn, tuple(t[:1] if i == 0 else t for i, t in enumerate(small)))


# the maps computed block by block (one sample a block here); (dims, input spatial size,
# kernel, keywords, channels)
BLOCK_CASES = [
    (1, (5,), (3,), dict(padding=1), 8),
    (2, (3, 4), (2, 2), dict(padding="same", dilation=(1, 2), groups=2), 16),
    (3, (2, 3, 3), (2, 1, 2), dict(padding=(0, 1, 1)), 8),
]


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("dims, size, kernel, kw, channels", BLOCK_CASES)
def test_conv_in_blocks_gradcheck_gradgradcheck_and_torch(dims, size, kernel, kw, channels,
                                                          monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(conv_module, "_BLOCK_BYTES", 1)  # so each sample is its own block
    groups = kw.get("groups", 1)
    x, w, b = f64(3, channels, *size), f64(2, channels // groups, *kernel, seed=1), f64(2, seed=2)
    fn = lambda x, w, b: CONV[dims](x, w, b, **kw)  # conv1d, conv2d, conv3d
    assert autograd.gradcheck(fn, (x, w, b), check_forward_ad=True)
    assert autograd.gradgradcheck(fn, (x, w, b))
    # conv_transpose's forward is that input gradient (w as its (in, out / groups, *kernel))
    up = lambda y, w: TRANSPOSE[dims](y, w, groups=groups, dilation=kw.get("dilation", 1))
    assert autograd.gradcheck(up, (f64(3, 2, *size, seed=3), w), check_forward_ad=True)
    out = fn(x, w, b)
    seed = np.random.default_rng(4).standard_normal(out.shape)
    out.backward(seed)
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    expected = (torch.nn.functional.conv1d, torch.nn.functional.conv2d,
                torch.nn.functional.conv3d)[dims - 1](tx, tw, tb, **kw)
    expected.backward(torch.tensor(seed))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), atol=1e-12)
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-12)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("dims, size, kernel, kw", CONV_CASES)
def test_conv_on_two_threads_gives_one_thread_s_numbers(dims, size, kernel, kw, monkeypatch):
    # the blocks (one sample each here) run on a pool; the weight gradient's partial sums are
    # added in the blocks' order (in waves of 4 per thread: 10 blocks make two), so the
    # thread count changes nothing
    monkeypatch.setattr(conv_module, "_BLOCK_BYTES", 1)
    before = autograd.get_num_threads()
    groups, results = kw["groups"], []
    x, w, b = f64(10, 4, *size), f64(2 * groups, 4 // groups, *kernel, seed=1), f64(2 * groups)
    up = f64(10, 2 * groups, *size, seed=3)
    try:
        for threads in (1, 2):
            autograd.set_num_threads(threads)
            out = CONV[dims](x, w, b, **kw)
            back = TRANSPOSE[dims](up, w, groups=groups, dilation=kw.get("dilation", 1))
            seed = np.random.default_rng(4).standard_normal(out.shape)
            results.append([out, back, *autograd.grad(out, (x, w, b), autograd.tensor(seed)),
                            *autograd.grad(back.sum(), (up, w))])
    finally:
        autograd.set_num_threads(before)
    for one, two in zip(*results):
        np.testing.assert_allclose(two.numpy(), one.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dims, size, kernel, kw", CONV_CASES[::2])
def test_conv_forward_mode_is_the_bilinear_rule(dims, size, kernel, kw):
    # the tangent of conv(x, w) + b is conv(tx, w) + conv(x, tw) + tb
    x, w, b = _conv_operands(dims, size, kernel, kw)
    tx, tw, tb = _conv_operands(dims, size, kernel, kw, seed=10)
    conv = lambda x, w, b: CONV[dims](x, w, b, **kw)
    _, tangent = autograd.jvp(conv, (x, w, b), (tx, tw, tb))
    expected = CONV[dims](tx, w, None, **kw) + CONV[dims](x, tw, None, **kw) + \
        tb.reshape((-1,) + (1,) * dims)
    np.testing.assert_allclose(tangent.numpy(), expected.numpy(), atol=1e-12)


# (dims, input spatial size, kernel, keywords) of transposed convolutions
TRANSPOSE_CASES = [
    (1, (4,), (3,), dict(stride=3, padding=1, output_padding=2, groups=2, dilation=1)),
    (1, (3,), (2,), dict(stride=1, output_padding=1, dilation=2, groups=1)),
    (2, (3, 2), (2, 3), dict(stride=(2, 1), padding=(1, 1), output_padding=(1, 0), groups=2,
                             dilation=(1, 2))),
    (3, (2, 3, 2), (2, 2, 1), dict(stride=(1, 2, 2), padding=(0, 1, 0),
                                   output_padding=(0, 1, 1), groups=1)),
]


def _transpose_operands(dims, size, kernel, kw, seed=0):
    groups = kw["groups"]
    x = f64(2, 4, *size, seed=seed)
    w, b = f64(4, 6 // groups, *kernel, seed=seed + 1), f64(6, seed=seed + 2)
    return x, w, b


@pytest.mark.parametrize("dims, size, kernel, kw", TRANSPOSE_CASES)
def test_conv_transpose_gradcheck_gradgradcheck_and_forward_mode(dims, size, kernel, kw):
    x, w, b = _transpose_operands(dims, size, kernel, kw)
    fn = lambda x, w, b: TRANSPOSE[dims](x, w, b, **kw)  # conv_transpose1d/2d/3d
    assert autograd.gradcheck(fn, (x, w, b), check_forward_ad=True)
    assert autograd.gradgradcheck(fn, (x[:1], w, b))


@pytest.mark.parametrize("dims, size, kernel, kw", TRANSPOSE_CASES)
def test_conv_transpose_is_the_adjoint_of_conv(dims, size, kernel, kw):
    # <conv(y, w), x> == <y, conv_transpose(x, w)> for every x and y of matching shapes
    # (an output_padding not below the stride gives conv(y) windows beyond x's: cropped)
    x, w, _ = _transpose_operands(dims, size, kernel, kw)
    conv_kw = {k: v for k, v in kw.items() if k != "output_padding"}
    up = TRANSPOSE[dims](x, w, **kw)
    y = f64(*up.shape, seed=7)
    down = CONV[dims](y, w, **conv_kw)[tuple(slice(0, n) for n in x.shape)]
    assert down.shape == x.shape
    np.testing.assert_allclose(float((down * x).sum()), float((y * up).sum()), rtol=1e-12)


def test_conv_transpose_values_by_hand():
    # each input pixel adds its kernel, stride apart; padding crops the border
    x = autograd.tensor([[[1.0, 2.0]]])
    np.testing.assert_array_equal(F.conv_transpose1d(x, autograd.tensor([[[1.0, 10.0]]]),
                                                     stride=3).numpy(), [[[1, 10, 0, 2, 20]]])
    np.testing.assert_array_equal(
        F.conv_transpose1d(x, autograd.tensor([[[1.0, 10.0, 100.0]]]), padding=1,
                           output_padding=0).numpy(), [[[12, 120]]])
    np.testing.assert_array_equal(F.conv_transpose1d(x, autograd.ones(1, 1, 1), stride=2,
                                                     output_padding=1).numpy(),
                                  [[[1, 0, 2, 0]]])


def test_conv_nd_unbatched_and_float32():
    x, w = autograd.randn(3, 7, dtype="float32"), autograd.randn(2, 3, 2, dtype="float32")
    out = F.conv1d(x, w)
    assert out.shape == (2, 6) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), F.conv1d(x[None], w)[0].numpy())
    up = F.conv_transpose3d(autograd.randn(2, 2, 2, 2), autograd.randn(2, 3, 2, 2, 2))
    assert up.shape == (3, 3, 3, 3)


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.conv1d(autograd.zeros(2, 3, 4, 5), autograd.zeros(1, 3, 2)), ShapeError,
     r"conv1d: expected a 3-D input \(N, C, L\) or an unbatched 2-D one \(C, L\), got shape "
     r"\(2, 3, 4, 5\)"),
    (lambda: F.conv3d(autograd.zeros(1, 2, 3, 3, 3), autograd.zeros(1, 2, 2, 2)), ShapeError,
     r"conv3d: weight must be 5-D \(out_channels, in_channels / groups, \*kernel\), got "
     r"shape \(1, 2, 2, 2\)"),
    (lambda: F.conv1d(autograd.zeros(1, 3, 5), autograd.zeros(2, 1, 2), groups=2), ShapeError,
     r"conv1d: input with 3 channels does not fit weight of shape \(2, 1, 2\) with groups=2"),
    (lambda: F.conv3d(autograd.zeros(1, 1, 2, 4, 4), autograd.zeros(1, 1, 3, 3, 3),
                      padding=(0, 1, 1)), ShapeError,
     r"conv3d: the kernel spans \(3, 3, 3\) pixels .* but the padded input is only "
     r"\(2, 6, 6\)"),
    (lambda: F.conv1d(autograd.zeros(1, 1, 5), autograd.zeros(1, 1, 2), stride=(1, 1)),
     ValueError, r"conv1d: stride must be an int >= 1 or 1 of them, got \(1, 1\)"),
    (lambda: F.conv_transpose2d(autograd.zeros(1, 3, 2, 2), autograd.zeros(2, 1, 2, 2)),
     ShapeError, r"conv_transpose2d: input with 3 channels does not fit weight of shape "
                 r"\(2, 1, 2, 2\) with groups=1: need in_channels = weight.shape\[0\]"),
    (lambda: F.conv_transpose2d(autograd.zeros(1, 4, 2, 2), autograd.zeros(4, 1, 2, 2),
                                groups=3), ShapeError, r"divisible by groups"),
    (lambda: F.conv_transpose1d(autograd.zeros(1, 1, 3), autograd.zeros(1, 1, 2), stride=2,
                                output_padding=2), ValueError,
     r"conv_transpose1d: output_padding \(2,\) must be smaller than stride \(2,\) or "
     r"dilation \(1,\)"),
    (lambda: F.conv_transpose1d(autograd.zeros(1, 1, 1), autograd.zeros(1, 1, 2), padding=1),
     ShapeError, r"conv_transpose1d: .* gives the empty output size \(0,\)"),
    (lambda: F.conv_transpose1d(autograd.zeros(1, 2, 3), autograd.zeros(2, 1, 2),
                                autograd.zeros(2)), ShapeError,
     r"conv_transpose1d: bias of shape \(2,\) does not fit weight of shape \(2, 1, 2\) with "
     r"groups=1; expected \(1,\)"),
    (lambda: F.conv_transpose1d(autograd.zeros(1, 1, 3), autograd.zeros(1, 1, 2),
                                padding="same"), ValueError,
     r"conv_transpose1d: padding must be an int >= 0 or 1 of them, got 'same'"),
])
def test_conv_nd_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------- layers
LAYERS = [
    ("Conv1d", (3, 4, 3), dict(stride=2, padding=1, bias=False)),
    ("Conv2d", (4, 6, (2, 3)), dict(padding="same", dilation=(2, 1), groups=2,
                                    padding_mode="reflect")),
    ("Conv2d", (2, 2, 3), dict(padding=(1, 2), padding_mode="circular")),
    ("Conv3d", (2, 4, 2), dict(padding=1, padding_mode="replicate")),
    ("Conv3d", (2, 4, 3), dict(padding="valid")),
    ("ConvTranspose1d", (3, 4, 3), dict(stride=2, padding=1, output_padding=1)),
    ("ConvTranspose2d", (4, 6, (2, 3)), dict(stride=(2, 1), groups=2, dilation=(1, 2))),
    ("ConvTranspose3d", (2, 4, 2), dict(stride=2, bias=False)),
]


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("name, args, kwargs", LAYERS, ids=[c[0] for c in LAYERS])
def test_conv_layers_match_torch_repr_state_dict_values_and_gradients(name, args, kwargs):
    torch = pytest.importorskip("torch")
    ours, theirs = getattr(nn, name)(*args, **kwargs).double(), \
        getattr(torch.nn, name)(*args, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attribute in ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                      "dilation", "transposed", "output_padding", "groups", "padding_mode"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    dims = len(ours.kernel_size)
    x = f64(2, args[0], *(5, 6, 4)[:dims])
    out, tx = ours(x), torch.tensor(x.numpy(), requires_grad=True)
    expected = theirs(tx)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), atol=1e-12)
    seed = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(seed)
    expected.backward(torch.tensor(seed))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-12)
    unbatched = ours(x[0])  # (C, *spatial) as torch
    np.testing.assert_allclose(unbatched.numpy(), out[0].numpy(), atol=1e-12)


def test_padding_modes_gradcheck():
    layer = nn.Conv1d(1, 1, 3, padding=2, padding_mode="reflect").double()
    w, b = layer.weight.detach().requires_grad_(), layer.bias.detach().requires_grad_()
    for mode in ("reflect", "replicate", "circular"):
        layer.padding_mode = mode
        call = lambda x, w, b: nn.utils.functional_call(layer, {"weight": w, "bias": b}, x)
        assert autograd.gradcheck(call, (f64(2, 1, 4), w, b), check_forward_ad=True)


def test_conv_transpose_layer_output_size_picks_output_padding():
    torch = pytest.importorskip("torch")
    layer, reference = nn.ConvTranspose2d(2, 3, 3, stride=2), torch.nn.ConvTranspose2d(2, 3, 3,
                                                                                       stride=2)
    layer.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    x = autograd.randn(1, 2, 4, 4)
    for size in [(9, 10), (1, 3, 10, 9)]:
        expected = reference(torch.tensor(x.numpy()), output_size=size)
        np.testing.assert_allclose(layer(x, output_size=size).numpy(),
                                   expected.detach().numpy(), atol=1e-6)
    with pytest.raises(ValueError, match=r"ConvTranspose2d: output_size \(11, 9\) must give 2 "
                                         r"sizes, each from \(9, 9\) up to less than that plus "
                                         r"stride \(2, 2\)"):
        layer(x, output_size=(11, 9))


def test_conv_layers_init_as_torch_fan_in():
    # default_uniform_: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = weight.shape[1] * kernel
    autograd.manual_seed(0)
    layer = nn.ConvTranspose2d(64, 2, 3)  # fan_in = 2 * 9 (not 64 * 9)
    bound = 1 / np.sqrt(2 * 9)
    weight = layer.weight.numpy()
    assert weight.shape == (64, 2, 3, 3) and layer.bias.shape == (2,)
    assert np.abs(weight).max() <= bound and np.abs(weight).max() > 0.9 * bound
    conv = nn.Conv3d(4, 2, 2, groups=2)  # fan_in = 2 * 8
    assert np.abs(conv.weight.numpy()).max() <= 1 / 4 < np.abs(conv.weight.numpy()).max() * 1.2


@pytest.mark.parametrize("make, error, match", [
    (lambda: nn.Conv1d(3, 4, 3, groups=2), ValueError,
     r"Conv1d: groups=2 must be a positive int dividing both in_channels \(3\)"),
    (lambda: nn.Conv2d(3, 4, 3, padding_mode="mirror"), ValueError,
     r"Conv2d: padding_mode must be one of \('zeros', 'reflect', 'replicate', 'circular'\), "
     r"got 'mirror'"),
    (lambda: nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect"), ValueError,
     r"ConvTranspose2d: padding_mode must be one of \('zeros',\), got 'reflect'"),
    (lambda: nn.Conv3d(3, 4, 3, stride=2, padding="same"), ValueError,
     r"Conv3d: padding='same' needs stride 1"),
    (lambda: nn.Conv1d(1, 1, 3, padding=3, padding_mode="reflect")(autograd.zeros(1, 1, 3)),
     ShapeError, r"Conv1d: padding \(3, 3\) with padding_mode='reflect' needs at most 2 on "
                 r"each side of an axis of size 3"),
])
def test_conv_layer_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def _random_configuration(seed):
    """A random convolution (dims, channels per group, groups, kernel, stride, padding,
    dilation, output_padding) whose input fits, for the sweep against torch."""
    rng = np.random.default_rng(seed)
    dims = int(rng.integers(1, 4))
    groups, per_group = int(rng.choice([1, 2])), int(rng.choice([1, 3, 8]))
    kernel = tuple(int(k) for k in rng.integers(1, 4, dims))
    stride = tuple(int(s) for s in rng.choice([1, 1, 2], dims))
    dilation = tuple(int(d) for d in rng.choice([1, 2], dims))
    padding = tuple(int(p) for p in rng.integers(0, 3, dims))
    extra = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(stride, dilation))
    size = tuple(d * (k - 1) + 1 + int(rng.integers(0, 4))
                 for k, d in zip(kernel, dilation))
    return dims, per_group, groups, kernel, stride, padding, dilation, extra, size


@pytest.mark.parametrize("seed", range(16))
def test_random_convolutions_match_torch(seed):
    # random geometries, plain and transposed, against torch's values and gradients
    torch = pytest.importorskip("torch")
    dims, per_group, groups, kernel, stride, padding, dilation, extra, size = \
        _random_configuration(seed)
    channels = per_group * groups
    x, w = f64(2, channels, *size, seed=seed), f64(2 * groups, per_group, *kernel, seed=seed + 1)
    up_x = f64(2, 2 * groups, *size, seed=seed + 2)
    calls = [(CONV[dims], (x, w), dict(stride=stride, padding=padding, dilation=dilation,
                                      groups=groups),
              (torch.nn.functional.conv1d, torch.nn.functional.conv2d,
               torch.nn.functional.conv3d)[dims - 1]),
             (TRANSPOSE[dims], (up_x, w), dict(stride=stride, padding=0, output_padding=extra,
                                              groups=groups, dilation=dilation),
              (torch.nn.functional.conv_transpose1d, torch.nn.functional.conv_transpose2d,
               torch.nn.functional.conv_transpose3d)[dims - 1])]
    for ours, args, kw, theirs in calls:
        out = ours(*args, **kw)
        targs = [torch.tensor(a.numpy(), requires_grad=True) for a in args]
        expected = theirs(*targs, **kw)
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), atol=1e-12)
        seed_grad = np.random.default_rng(seed).standard_normal(out.shape)
        grads = autograd.grad(out, args, autograd.tensor(seed_grad))
        expected_grads = torch.autograd.grad(expected, targs, torch.tensor(seed_grad))
        for a, b in zip(grads, expected_grads):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-12)
