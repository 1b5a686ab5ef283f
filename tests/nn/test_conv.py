"""F.conv2d / nn.Conv2d and F.unfold (im2col)."""
import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import DtypeError, ShapeError


def f64(*shape, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape)
    return autograd.tensor(data, dtype="float64", requires_grad=True)


IMAGE = np.arange(9.0).reshape(1, 1, 3, 3)  # [[0 1 2] [3 4 5] [6 7 8]]


def conv(kernel, **kwargs):
    kernel = np.asarray(kernel, dtype=float)
    return F.conv2d(autograd.tensor(IMAGE), autograd.tensor(kernel[None, None]), **kwargs).data


# ---------------------------------------------------------------- values by hand
def test_conv_values_by_hand():
    # x[i, j] - x[i+1, j+1] is -4 everywhere
    np.testing.assert_array_equal(conv([[1, 0], [0, -1]]), [[[[-4, -4], [-4, -4]]]])
    # a bias adds to every output pixel
    out = F.conv2d(autograd.tensor(IMAGE), autograd.ones(1, 1, 2, 2, dtype="float64"),
                   autograd.tensor([0.5], dtype="float64"))
    np.testing.assert_array_equal(out.data, [[[[8.5, 12.5], [20.5, 24.5]]]])
    # zero padding 1 with a 3x3 box: sums of each 3x3 neighbourhood
    np.testing.assert_array_equal(conv(np.ones((3, 3)), padding=1),
                                  [[[[8, 15, 12], [21, 36, 27], [20, 33, 24]]]])
    # stride 2 over the padded image keeps its corners' neighbourhoods
    np.testing.assert_array_equal(conv(np.ones((3, 3)), padding=1, stride=2),
                                  [[[[8, 12], [20, 24]]]])
    # dilation 2: a 2x2 kernel reaching the four corners 0 + 2 + 6 + 8
    np.testing.assert_array_equal(conv([[1, 1], [1, 1]], dilation=2), [[[[16]]]])
    # cross-correlation, not flipped: the kernel's top-left weight meets the window's top-left
    np.testing.assert_array_equal(conv([[1, 0], [0, 0]]), [[[[0, 1], [3, 4]]]])


def test_conv_groups_by_hand():
    # depthwise: channel 0 doubled, channel 1 negated (1x1 kernels, groups = channels)
    x = autograd.tensor(np.stack([IMAGE[0, 0], IMAGE[0, 0] + 10])[None])
    w = autograd.tensor(np.array([2.0, -1.0]).reshape(2, 1, 1, 1))
    out = F.conv2d(x, w, groups=2).data
    np.testing.assert_array_equal(out[0, 0], 2 * IMAGE[0, 0])
    np.testing.assert_array_equal(out[0, 1], -(IMAGE[0, 0] + 10))


def test_same_padding_keeps_the_size_and_puts_the_odd_pixel_last():
    # a 2x2 box with padding 'same' pads 0 rows above, 1 below (and 0 left, 1 right)
    np.testing.assert_array_equal(conv(np.ones((2, 2)), padding="same"),
                                  [[[[8, 12, 7], [20, 24, 13], [13, 15, 8]]]])
    np.testing.assert_array_equal(conv(np.ones((2, 2)), padding="valid"), conv(np.ones((2, 2))))


def test_unbatched_input():
    x, w = f64(2, 4, 5), f64(3, 2, 2, 2, seed=1)
    out = F.conv2d(x, w, padding=1)
    assert out.shape == (3, 5, 6)
    np.testing.assert_allclose(out.data, F.conv2d(x.numpy()[None], w.data, padding=1)[0])


def test_conv_keeps_float32():
    layer = nn.Conv2d(2, 3, 3)
    out = layer(autograd.randn(1, 2, 5, 5))
    assert layer.weight.dtype == out.dtype == np.float32


# ---------------------------------------------------------------- gradients
# (stride, padding, dilation, groups) on x (1, 4, 5, 6) and weight (2, 4 / groups, 2, 3)
CASES = [(1, 0, 1, 1), ((2, 1), 1, 1, 2), (1, (1, 2), (2, 1), 1), (1, "same", 1, 1),
         (1, "same", 2, 4), (3, 2, 2, 2)]


@pytest.mark.parametrize("stride, padding, dilation, groups", CASES)
def test_conv_gradcheck(stride, padding, dilation, groups):
    out_channels = 4 if groups == 4 else 2
    x = f64(1, 4, 5, 6)
    w, b = f64(out_channels, 4 // groups, 2, 3, seed=1), f64(out_channels, seed=2)
    fn = lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups)
    assert autograd.gradcheck(fn, (x, w, b), check_forward_ad=True)


@pytest.mark.parametrize("stride, padding, dilation, groups", [CASES[1], CASES[2]])
def test_conv_gradgradcheck(stride, padding, dilation, groups):
    x, w, b = f64(1, 4, 4, 3), f64(2, 4 // groups, 2, 2, seed=1), f64(2, seed=2)
    fn = lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups)
    assert autograd.gradgradcheck(fn, (x, w, b))


def test_conv_layer_gradcheck_through_its_parameters():
    layer = nn.Conv2d(2, 2, (2, 1), stride=(1, 2), padding=1).double()
    w, b = layer.weight.detach().requires_grad_(), layer.bias.detach().requires_grad_()
    call = lambda x, w, b: nn.utils.functional_call(layer, {"weight": w, "bias": b}, x)
    assert autograd.gradcheck(call, (f64(1, 2, 3, 2), w, b))


def test_small_network_gradchecks_end_to_end():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(8, 3)).double()
    params = {name: p.detach().requires_grad_() for name, p in model.named_parameters()}
    names = list(params)
    call = lambda x, *ps: nn.utils.functional_call(model, dict(zip(names, ps)), x)
    assert autograd.gradcheck(call, (f64(1, 1, 4, 4, seed=3), *params.values()))


# ---------------------------------------------------------------- torch parity
@pytest.mark.filterwarnings("ignore:Using padding='same'")  # torch's note on its own speed
@pytest.mark.parametrize("stride, padding, dilation, groups", CASES)
def test_conv_matches_torch(stride, padding, dilation, groups):
    torch = pytest.importorskip("torch")
    out_channels = 4 if groups == 4 else 6
    x = f64(2, 4, 7, 6)
    w, b = f64(out_channels, 4 // groups, 3, 2, seed=1), f64(out_channels, seed=2)
    out = F.conv2d(x, w, b, stride, padding, dilation, groups)
    seed = np.random.default_rng(3).standard_normal(out.shape)
    out.backward(seed)
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    expected = torch.nn.functional.conv2d(tx, tw, tb, stride, padding, dilation, groups)
    expected.backward(torch.tensor(seed))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-12)
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), atol=1e-12)


def test_unfold_matches_torch_and_is_conv():
    torch = pytest.importorskip("torch")
    x = f64(2, 3, 5, 4)
    cols = F.unfold(x, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2))
    expected = torch.nn.functional.unfold(torch.tensor(x.numpy()), (2, 3), dilation=(2, 1),
                                          padding=1, stride=(1, 2))
    np.testing.assert_allclose(cols.data, expected.numpy())
    w = f64(4, 3, 2, 3, seed=1)
    out = F.conv2d(x, w, dilation=(2, 1), padding=1, stride=(1, 2))
    np.testing.assert_allclose((w.reshape(4, -1) @ cols).data, out.numpy().reshape(2, 4, -1))


def test_unfold_gradcheck():
    assert autograd.gradgradcheck(lambda x: F.unfold(x, 2, padding=1, stride=2), f64(1, 1, 3, 2))


# ---------------------------------------------------------------- nn.Conv2d
def test_conv_module_attributes_and_repr():
    layer = nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2)
    assert (layer.in_channels, layer.out_channels, layer.groups) == (4, 6, 2)
    assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == \
        ((3, 3), (2, 2), (1, 1), (1, 1))
    assert layer.weight.shape == (6, 2, 3, 3) and layer.bias.shape == (6,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    assert repr(layer) == ("Conv2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), "
                           "groups=2)")
    plain = nn.Conv2d(1, 2, (1, 3), dilation=2, padding="same", bias=False)
    assert plain.bias is None and plain.padding == "same"
    assert repr(plain) == ("Conv2d(1, 2, kernel_size=(1, 3), stride=(1, 1), padding=same, "
                           "dilation=(2, 2), bias=False)")
    assert plain(autograd.zeros(1, 1, 4, 5)).shape == (1, 2, 4, 5)


def test_conv_default_init_is_pytorchs():
    # U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels / groups * kh * kw
    autograd.manual_seed(0)
    layer = nn.Conv2d(8, 64, (3, 5), groups=2)
    bound = 1 / math.sqrt(4 * 3 * 5)
    for p in (layer.weight, layer.bias):
        assert bound * 0.9 < np.abs(p.data).max() <= bound
    assert layer.weight.numpy().std() == pytest.approx(bound / math.sqrt(3), rel=0.03)


def test_conv_module_matches_torch():
    torch = pytest.importorskip("torch")
    layer = nn.Conv2d(2, 4, 3, padding=1, dtype="float64")
    reference = torch.nn.Conv2d(2, 4, 3, padding=1, dtype=torch.float64)
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in layer.state_dict().items()})
    x = np.random.default_rng(4).standard_normal((2, 2, 5, 5))
    np.testing.assert_allclose(layer(autograd.tensor(x)).data,
                               reference(torch.tensor(x)).detach().numpy(), atol=1e-12)


# ---------------------------------------------------------------- errors
def test_conv_errors():
    x, w = autograd.zeros(1, 3, 5, 5), autograd.zeros(4, 3, 3, 3)
    cases = [
        ((autograd.zeros(3, 5), w), {}, ShapeError,
         r"conv2d: expected a 4-D input \(N, C, H, W\) or an unbatched 3-D one \(C, H, W\), "
         r"got shape \(3, 5\)"),
        ((x, autograd.zeros(4, 3, 3)), {}, ShapeError, r"conv2d: weight must be 4-D"),
        ((x, autograd.zeros(4, 2, 3, 3)), {}, ShapeError,
         r"conv2d: input with 3 channels does not fit weight of shape \(4, 2, 3, 3\) with "
         r"groups=1: need in_channels = weight.shape\[1\] \* groups = 2"),
        ((autograd.zeros(1, 4, 5, 5), autograd.zeros(3, 2, 3, 3)), {"groups": 2}, ShapeError,
         r"out_channels \(weight.shape\[0\]\) divisible by groups"),
        ((x, w), {"groups": 0}, ValueError, r"conv2d: groups must be a positive int, got 0"),
        ((x, w, autograd.zeros(3)), {}, ShapeError,
         r"conv2d: bias of shape \(3,\) does not fit weight of shape \(4, 3, 3, 3\)"),
        ((x, autograd.zeros(4, 3, 4, 3)), {"dilation": 2}, ShapeError,
         r"conv2d: the kernel spans \(7, 5\) pixels \(kernel_size \(4, 3\), dilation \(2, 2\)\) "
         r"but the padded input is only \(5, 5\); use a smaller kernel"),
        ((x, w), {"stride": 0}, ValueError, r"conv2d: stride must be an int >= 1 or 2 of them, "
                                            r"got 0"),
        ((x, w), {"padding": (1, -1)}, ValueError, r"conv2d: padding must be an int >= 0"),
        ((x, w), {"padding": "full"}, ValueError,
         r"conv2d: padding must be 'valid', 'same', an int or a tuple, got 'full'"),
        ((x, w), {"padding": "same", "stride": 2}, ValueError,
         r"conv2d: padding='same' needs stride 1, got stride \(2, 2\)"),
        ((x.astype("float64"), w), {}, DtypeError,
         r"conv2d: the input is float64 but the parameters are float32"),
    ]
    for args, kwargs, error, match in cases:
        with pytest.raises(error, match=match):
            F.conv2d(*args, **kwargs)


def test_conv_module_errors():
    with pytest.raises(ValueError, match=r"Conv2d: groups=2 must be a positive int dividing "
                                         r"both in_channels \(3\) and out_channels \(4\)"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match=r"Conv2d: kernel_size must be an int >= 1"):
        nn.Conv2d(3, 4, (3, 0))
    with pytest.raises(ValueError, match=r"Conv2d: padding='same' needs stride 1"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"Conv2d: padding must be 'valid', 'same', an int or "
                                         r"a tuple, got 'full'"):
        nn.Conv2d(3, 4, 3, padding="full")
