"""The nnfunc vocabulary: padding, interpolation, pixel shuffle, distances and the newer
losses. Float64 gradcheck and gradgradcheck on awkward shapes (0-d, size-1 and empty axes,
negative pads), PyTorch's index rules for interpolate swept against torch, modules' repr and
state, and bad input with its messages. (Activations: test_activation.py; PyTorch rows:
tests/oracle/rows_nnfunc.py.)"""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import DtypeError, ShapeError


def t64(shape, seed=0, low=-1.5, high=1.5):
    rng = np.random.default_rng(seed)
    return autograd.tensor(rng.uniform(low, high, shape), requires_grad=True)


# ------------------------------------------------------------------ gradients, float64
GRAD_CASES = {  # name -> (function, input shapes); every case twice differentiable
    "pad-constant-crop": (lambda x: F.pad(x, (-1, 2, 1, -1), value=0.5), [(2, 3, 4)]),
    "pad-reflect": (lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), [(1, 2, 3, 4)]),
    "pad-replicate-crop": (lambda x: F.pad(x, (-1, 3), mode="replicate"), [(2, 1, 3)]),
    "pad-circular": (lambda x: F.pad(x, (1, 2, 0, 1, 2, 0), mode="circular"),
                     [(1, 1, 2, 3, 2)]),
    "interpolate-nearest": (lambda x: F.interpolate(x, scale_factor=1.7), [(1, 2, 3)]),
    "interpolate-linear": (lambda x: F.interpolate(x, size=5, mode="linear"), [(2, 1, 3)]),
    "interpolate-bilinear-align": (lambda x: F.interpolate(x, size=(3, 4), mode="bilinear",
                                                           align_corners=True),
                                   [(1, 1, 2, 3)]),
    "interpolate-bicubic": (lambda x: F.interpolate(x, scale_factor=1.5, mode="bicubic"),
                            [(1, 1, 3, 3)]),
    "interpolate-trilinear": (lambda x: F.interpolate(x, size=(2, 3, 1), mode="trilinear"),
                              [(1, 1, 1, 2, 3)]),
    "interpolate-area": (lambda x: F.interpolate(x, size=(2, 2), mode="area"), [(1, 1, 3, 5)]),
    "pixel_shuffle": (lambda x: F.pixel_shuffle(x, 2), [(1, 8, 2, 1)]),
    "pixel_unshuffle": (lambda x: F.pixel_unshuffle(x, 2), [(2, 1, 2, 4)]),
    "normalize": (lambda x: F.normalize(x, dim=-1), [(3, 1, 4)]),
    "normalize-p3": (lambda x: F.normalize(x, p=3.0, dim=0), [(2, 3)]),
    "cosine_similarity": (lambda x, y: F.cosine_similarity(x, y, dim=-1), [(2, 1, 3), (4, 3)]),
    "pairwise_distance": (lambda x, y: F.pairwise_distance(x, y, p=1.5), [(3, 4), (4,)]),
    "kl_div": (lambda x, t: F.kl_div(x, t.abs() + 0.1, reduction="batchmean"), [(3, 4), (3, 4)]),
    "kl_div-log": (lambda x, t: F.kl_div(x, t, reduction="sum", log_target=True),
                   [(3, 4), (3, 4)]),
    "poisson_nll_loss": (lambda x, t: F.poisson_nll_loss(x, t), [(3, 4), (3, 4)]),
    "gaussian_nll_loss": (lambda x, t, v: F.gaussian_nll_loss(x, t, v.abs() + 0.5, full=True),
                          [(3, 4), (3, 4), (3,)]),
    "soft_margin_loss": (lambda x: F.soft_margin_loss(x, np.sign(np.arange(12.0) - 5.5)
                                                      .reshape(3, 4)), [(3, 4)]),
    "multilabel_soft_margin_loss": (lambda x, t: F.multilabel_soft_margin_loss(x, t),
                                    [(2, 3), (2, 3)]),
    "cosine_embedding_loss": (lambda a, b: F.cosine_embedding_loss(
        a, b, np.array([1.0, -1.0, 1.0]), margin=-0.9), [(3, 4), (3, 4)]),
    "triplet_margin_loss": (lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=5.0, swap=True),
                            [(3, 2), (3, 2), (3, 2)]),
    "smooth_l1_loss": (lambda x, y: F.smooth_l1_loss(x, y * 0.2, beta=3.5), [(2, 3), (2, 3)]),
    "huber_loss": (lambda x, y: F.huber_loss(x, y * 0.2, delta=3.5), [(2, 3), (2, 3)]),
}


@pytest.mark.parametrize("name", GRAD_CASES)
def test_gradcheck_and_gradgradcheck(name):
    function, shapes = GRAD_CASES[name]
    inputs = [t64(shape, seed=i) for i, shape in enumerate(shapes)]
    assert autograd.gradcheck(function, inputs, check_forward_ad=True)
    assert autograd.gradgradcheck(function, inputs)


@pytest.mark.parametrize("mode, pads, shape", [
    ("reflect", (2, 1), (3, 4)), ("replicate", (3, -1), (1, 2, 3)),
    ("circular", (3, 3), (2, 3)), ("constant", (-2, 1, 1, 0), (2, 3))])
def test_pad_gradient_adds_up_the_copies(mode, pads, shape):
    x = autograd.tensor(np.arange(np.prod(shape), dtype=float).reshape(shape),
                        requires_grad=True)
    F.pad(x, pads, mode=mode).sum().backward()
    counts = np.zeros(shape)  # how often each element appears in the padded output
    index = np.arange(counts.size).reshape(shape)
    np.add.at(counts.reshape(-1), F.pad(autograd.tensor(index), pads, mode=mode).numpy()
              .reshape(-1), 1)
    if mode == "constant":  # the padding value is 0, an index too: count only the kept
        counts = np.zeros(shape)
        counts[..., 2:] = 1
    np.testing.assert_array_equal(x.grad.numpy(), counts)


def test_pad_empty_and_zero_pads():
    x = autograd.zeros(0, 3)
    assert F.pad(x, (1, 1)).shape == (0, 5)
    ones = autograd.ones(2, 3)
    assert F.pad(ones, (0, 0)).shape == (2, 3) and F.pad(ones, (0, 0)) is not ones
    assert F.pad(autograd.tensor(2.0), ()).item() == 2.0
    ints = F.pad(autograd.tensor([[1, 2, 3]]), (1, 1), value=2.7)  # the value takes the dtype
    assert ints.numpy().tolist() == [[2, 1, 2, 3, 2]] and ints.dtype == np.int64


# ------------------------------------------------------------------ interpolate vs torch
def _sweep():
    for mode, dims in [("nearest", 1), ("nearest", 2), ("nearest", 3), ("nearest-exact", 2),
                       ("linear", 1), ("bilinear", 2), ("trilinear", 3), ("bicubic", 2),
                       ("area", 1), ("area", 2)]:
        for n in (1, 3, 5):
            for kw in [dict(size=m) for m in (1, 2, 4, 7)] + \
                      [dict(scale_factor=s) for s in (0.5, 0.7, 1.3, 2.0, 2.5)] + \
                      [dict(scale_factor=1.3, recompute_scale_factor=True)]:
                aligns = (None, True) if mode in ("linear", "bilinear", "trilinear",
                                                  "bicubic") else (None,)
                for align in aligns:
                    yield mode, (1, 2) + (n,) * dims, dict(kw, mode=mode, align_corners=align)


def test_interpolate_matches_torch_on_a_sweep_of_sizes_and_scales():
    """Values and gradients, float64. Two places where PyTorch's own backward is not the
    transpose of its forward (nearest in 1-d/3-d and bicubic, when a scale factor leaves an
    axis's size unchanged) are compared on values only."""
    torch = pytest.importorskip("torch")
    rng, checked = np.random.default_rng(0), 0
    for mode, shape, kw in _sweep():
        x = rng.standard_normal(shape)
        tx = torch.tensor(x, requires_grad=True)
        try:
            ref = torch.nn.functional.interpolate(tx, **kw)
        except RuntimeError:
            with pytest.raises(ShapeError):
                F.interpolate(autograd.tensor(x), **kw)
            continue
        ax = autograd.tensor(x, requires_grad=True)
        out = F.interpolate(ax, **kw)
        np.testing.assert_allclose(out.numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14,
                                   err_msg=f"{shape} {kw}")
        if out.shape[2:] == tuple(shape[2:]) and mode in ("nearest", "bicubic") or \
                ref.numel() == 0:
            continue
        w = rng.standard_normal(out.shape)
        (out * autograd.tensor(w)).sum().backward()
        (ref * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(ax.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-14,
                                   err_msg=f"{shape} {kw}")
        checked += 1
    assert checked > 300


def test_interpolate_keeps_float32_and_nearest_keeps_integers():
    x = autograd.ones(1, 1, 2, 2)
    assert F.interpolate(x, scale_factor=2, mode="bilinear").dtype == np.float32
    ints = autograd.tensor(np.arange(4, dtype=np.uint8).reshape(1, 1, 4))
    assert F.interpolate(ints, size=2).numpy().tolist() == [[[0, 2]]]


@pytest.mark.parametrize("call, error, message", [
    (lambda x: F.interpolate(x), ValueError, "either size or scale_factor should be defined"),
    (lambda x: F.interpolate(x, size=2, scale_factor=2.0), ValueError,
     "only one of size or scale_factor"),
    (lambda x: F.interpolate(x, size=(2, 3)), ShapeError,
     "same number of spatial dimensions, but got input with spatial dimensions of \\[3\\]"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), ShapeError,
     "bilinear mode needs a 4-d input, got an input of shape \\(1, 2, 3\\)"),
    (lambda x: F.interpolate(x, scale_factor=2, align_corners=True), ValueError,
     "align_corners option can only be set with the interpolating modes"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="cubic"), NotImplementedError,
     "mode='cubic' is not one of"),
    (lambda x: F.interpolate(x, size=2, recompute_scale_factor=True), ValueError,
     "recompute_scale_factor is not meaningful with an explicit size"),
    (lambda x: F.interpolate(x, scale_factor=0.2), ShapeError,
     "sizes should be greater than 0, but got input of shape \\(1, 2, 3\\) and output size "
     "\\(0,\\)"),
    (lambda x: F.interpolate(x.astype("int64"), size=2, mode="linear"), DtypeError,
     "mode 'linear' needs a floating-point input, got dtype int64"),
    (lambda x: F.interpolate(x[0], size=2), ShapeError,
     "only 3-d, 4-d and 5-d inputs .* got an input of shape \\(2, 3\\)"),
    (lambda x: F.interpolate(x, size=2, antialias=True), NotImplementedError, "antialias"),
])
def test_interpolate_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call(autograd.zeros(1, 2, 3))


# ------------------------------------------------------------------ pad errors
@pytest.mark.parametrize("call, error, message", [
    (lambda x: F.pad(x, (1,)), ShapeError, r"pad: pad \(1,\) must be \(before, after\) pairs"),
    (lambda x: F.pad(x, (1, 1) * 4), ShapeError,
     r"has 4 \(before, after\) pairs but the input of shape \(1, 2, 3\) has only 3 axes"),
    (lambda x: F.pad(x, (1.5, 1)), TypeError, r"pad: pad must be a tuple of ints"),
    (lambda x: F.pad(x, (-2, -2)), ShapeError, r"would cut more than the 3 elements of axis 2"),
    (lambda x: F.pad(x, (3, 0), mode="reflect"), ShapeError,
     r"reflect padding \(3, 0\) must be less than the size 3 of axis 2"),
    (lambda x: F.pad(x, (4, 0), mode="circular"), ShapeError, r"would wrap around more than once"),
    (lambda x: F.pad(x, (1, 1), mode="reflect", value=2.0), ValueError,
     r"mode 'reflect' takes no value argument"),
    (lambda x: F.pad(x, (1, 1) * 3, mode="replicate"), ShapeError,
     r"padding size 6 for an input of shape \(1, 2, 3\)"),
    (lambda x: F.pad(x, (1, 1), mode="wrap"), ValueError, r"mode='wrap' is not one of"),
    (lambda x: F.pad(x[:, :0], (1, 1), mode="replicate"), ShapeError, r"needs non-empty axes"),
])
def test_pad_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call(autograd.zeros(1, 2, 3))


def test_pixel_shuffle_and_distance_errors():
    with pytest.raises(ShapeError, match=r"pixel_shuffle: expects its input's 'channel' "
                                         r"dimension to be divisible by the square of "
                                         r"upscale_factor, but input.size\(-3\)=5"):
        F.pixel_shuffle(autograd.zeros(5, 2, 2), 2)
    with pytest.raises(ShapeError, match=r"pixel_unshuffle: expects width to be divisible"):
        F.pixel_unshuffle(autograd.zeros(1, 2, 3), 2)
    with pytest.raises(ValueError, match=r"pixel_shuffle: the factor must be a positive int"):
        F.pixel_shuffle(autograd.zeros(4, 2, 2), 0)
    with pytest.raises(ShapeError, match=r"cosine_similarity: inputs of shapes \(2, 3\) and "
                                         r"\(4,\) do not broadcast"):
        F.cosine_similarity(autograd.zeros(2, 3), autograd.zeros(4))
    with pytest.raises(ShapeError, match=r"normalize: dim=2 is out of range"):
        F.normalize(autograd.zeros(2, 3), dim=2)


def test_normalize_of_zeros_is_zeros_with_finite_gradient():
    x = autograd.zeros(2, 3, dtype="float64", requires_grad=True)
    out = F.normalize(x)
    out.sum().backward()
    assert np.all(out.numpy() == 0) and np.all(np.isfinite(x.grad.numpy()))


# ------------------------------------------------------------------ losses
@pytest.mark.parametrize("loss", [F.huber_loss, F.smooth_l1_loss])
def test_huber_and_smooth_l1_gradients_at_infinity_are_pytorchs(loss):
    """The quadratic branch used to square the infinite error: inf * 0 = nan (issue 17 §3)."""
    x = autograd.tensor([np.inf, -np.inf, 0.5, -3.0], requires_grad=True)
    loss(x, np.zeros(4), reduction="sum").backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, -1.0, 0.5, -1.0])


def test_legacy_size_average_and_reduce_flags_warn_and_decide_the_reduction():
    x, y = autograd.tensor([1.0, 3.0]), autograd.tensor([0.0, 0.0])
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        assert F.mse_loss(x, y, False).item() == 10.0
    with pytest.warns(UserWarning):
        assert nn.L1Loss(reduce=False)(x, y).shape == (2,)


def test_kl_div_reductions_and_zero_targets():
    log_p = autograd.log(autograd.tensor([[0.5, 0.5], [0.25, 0.75]], dtype="float64"))
    target = autograd.tensor([[1.0, 0.0], [0.5, 0.5]], dtype="float64")
    per = F.kl_div(log_p, target, reduction="none").numpy()
    assert per[0, 1] == 0.0  # 0 log 0 counts 0
    total = per.sum()
    assert F.kl_div(log_p, target, reduction="batchmean").item() == pytest.approx(total / 2)
    with pytest.warns(UserWarning, match="'mean' divides the total loss by both"):
        assert F.kl_div(log_p, target).item() == pytest.approx(total / 4)
    with pytest.raises(ValueError, match="kl_div: reduction='avg' is not one of"):
        F.kl_div(log_p, target, reduction="avg")


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.gaussian_nll_loss(autograd.zeros(2, 3), autograd.zeros(2, 3), autograd.ones(3)),
     ShapeError, r"gaussian_nll_loss: var is of incorrect size: got shape \(3,\)"),
    (lambda: F.gaussian_nll_loss(autograd.zeros(2), autograd.zeros(2), -autograd.ones(2)),
     ValueError, "var has negative entry"),
    (lambda: F.margin_ranking_loss(autograd.zeros(2, 1), autograd.zeros(2), autograd.ones(2)),
     ShapeError, "all input tensors should have the same number of dimensions"),
    (lambda: F.cosine_embedding_loss(autograd.zeros(2, 3), autograd.zeros(2, 3),
                                     autograd.ones(3)),
     ShapeError, r"target must have shape \(2,\)"),
    (lambda: F.triplet_margin_loss(autograd.zeros(2, 3), autograd.zeros(2, 3),
                                   autograd.zeros(3)),
     ShapeError, "anchor, positive and negative must all be"),
    (lambda: F.kl_div(autograd.zeros(2, 3), autograd.zeros(3, 2)), ShapeError,
     r"kl_div: input of shape \(2, 3\) and target of shape \(3, 2\)"),
    (lambda: F.smooth_l1_loss(autograd.zeros(2), autograd.zeros(2), beta=-1.0), ValueError,
     "beta must be non-negative"),
    (lambda: F.soft_margin_loss(autograd.zeros(2), autograd.zeros(2, dtype="float64")),
     DtypeError, "target has dtype float64 but input has float32"),
])
def test_loss_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------ modules
MODULES = [  # (module, its repr, its input shapes)
    (nn.ZeroPad2d((1, 0, 2, 1)), "ZeroPad2d((1, 0, 2, 1))", [(1, 2, 2)]),
    (nn.ConstantPad1d(2, 3.5), "ConstantPad1d(padding=(2, 2), value=3.5)", [(2, 3)]),
    (nn.ReflectionPad2d(1), "ReflectionPad2d((1, 1, 1, 1))", [(1, 2, 3)]),
    (nn.ReplicationPad3d(1), "ReplicationPad3d((1, 1, 1, 1, 1, 1))", [(1, 2, 2, 2)]),
    (nn.CircularPad1d((1, 2)), "CircularPad1d((1, 2))", [(2, 3)]),
    (nn.Upsample(scale_factor=2), "Upsample(scale_factor=2.0, mode='nearest')", [(1, 2, 3)]),
    (nn.Upsample(size=(2, 3), mode="bilinear"), "Upsample(size=(2, 3), mode='bilinear')",
     [(1, 1, 3, 3)]),
    (nn.UpsamplingBilinear2d(scale_factor=2),
     "UpsamplingBilinear2d(scale_factor=2.0, mode='bilinear')", [(1, 1, 2, 2)]),
    (nn.UpsamplingNearest2d(size=4), "UpsamplingNearest2d(size=4, mode='nearest')",
     [(1, 1, 2, 2)]),
    (nn.PixelShuffle(2), "PixelShuffle(upscale_factor=2)", [(1, 4, 2, 2)]),
    (nn.PixelUnshuffle(2), "PixelUnshuffle(downscale_factor=2)", [(1, 1, 2, 2)]),
    (nn.CosineSimilarity(), "CosineSimilarity()", [(2, 3), (2, 3)]),
    (nn.PairwiseDistance(), "PairwiseDistance()", [(2, 3), (2, 3)]),
    (nn.SmoothL1Loss(), "SmoothL1Loss()", [(2, 3), (2, 3)]),
    (nn.KLDivLoss(reduction="batchmean"), "KLDivLoss()", [(2, 3), (2, 3)]),
    (nn.PoissonNLLLoss(), "PoissonNLLLoss()", [(2, 3), (2, 3)]),
    (nn.GaussianNLLLoss(), "GaussianNLLLoss()", [(2, 3), (2, 3), (2, 3)]),
    (nn.MarginRankingLoss(), "MarginRankingLoss()", [(3,), (3,), (3,)]),
    (nn.HingeEmbeddingLoss(), "HingeEmbeddingLoss()", [(2, 3), (2, 3)]),
    (nn.SoftMarginLoss(), "SoftMarginLoss()", [(2, 3), (2, 3)]),
    (nn.MultiLabelSoftMarginLoss(), "MultiLabelSoftMarginLoss()", [(2, 3), (2, 3)]),
    (nn.CosineEmbeddingLoss(), "CosineEmbeddingLoss()", [(2, 3), (2, 3), (2,)]),
    (nn.TripletMarginLoss(), "TripletMarginLoss()", [(2, 3), (2, 3), (2, 3)]),
]


@pytest.mark.parametrize("module, text, shapes", MODULES, ids=[t for _, t, _ in MODULES])
def test_modules_print_as_pytorch_hold_no_state_and_run(module, text, shapes):
    assert repr(module) == text
    assert dict(module.state_dict()) == {} and list(module.parameters()) == []
    inputs = [autograd.tensor(np.abs(np.random.default_rng(i).uniform(0.1, 1, s)))
              for i, s in enumerate(shapes)]
    if "Embedding" in text or "Ranking" in text:  # ±1 targets
        inputs[-1] = autograd.tensor(np.sign(inputs[-1].numpy() - 0.5))
    assert np.all(np.isfinite(module(*inputs).numpy()))


def test_torch_reprs_match():
    torch = pytest.importorskip("torch")
    for ours, theirs in [(nn.Hardtanh(), torch.nn.Hardtanh()), (nn.Softmin(1), torch.nn.Softmin(1)),
                         (nn.Softshrink(), torch.nn.Softshrink()), (nn.GLU(), torch.nn.GLU()),
                         (nn.Threshold(1, 0), torch.nn.Threshold(1, 0)),
                         (nn.ZeroPad2d(1), torch.nn.ZeroPad2d(1)),
                         (nn.ConstantPad3d(1, 0.0), torch.nn.ConstantPad3d(1, 0.0)),
                         (nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2))]:
        assert repr(ours) == repr(theirs)


def test_unflatten_and_deprecated_upsample():
    assert repr(nn.Unflatten(1, (2, -1))) == "Unflatten(dim=1, unflattened_size=(2, -1))"
    assert nn.Unflatten(-1, (2, -1))(autograd.zeros(3, 6)).shape == (3, 2, 3)
    with pytest.raises(ShapeError, match=r"Unflatten: unflattened_size \(4, 2\) does not fit "
                                         r"axis 1 of size 6"):
        nn.Unflatten(1, (4, 2))(autograd.zeros(3, 6))
    x = t64((1, 1, 2, 3))
    with pytest.warns(UserWarning, match="upsample_bilinear is deprecated"):
        out = F.upsample_bilinear(x, scale_factor=2)
    np.testing.assert_array_equal(out.numpy(), F.interpolate(x, scale_factor=2, mode="bilinear",
                                                             align_corners=True).numpy())


def test_padding_module_checks_its_padding():
    with pytest.raises(ValueError, match=r"ReflectionPad2d: padding must be an int or 4 ints"):
        nn.ReflectionPad2d((1, 2, 3))


# ------------------------------------------------------------------ Module idioms
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
        self.scales = nn.ParameterList([autograd.ones(3), nn.Parameter(autograd.zeros(1))])
        self.gains = nn.ParameterDict({"a": autograd.ones(2)})
        self.register_buffer("steps", autograd.zeros(1), persistent=False)

    def forward(self, x):
        return self.body(x) * self.scales[0]


def test_module_walks_and_lookups():
    net = Net()
    assert [n for n, _ in net.named_parameters(prefix="net")][:2] == ["net.body.0.weight",
                                                                      "net.body.0.bias"]
    assert [n for n, _ in net.named_parameters()][-3:] == ["scales.0", "scales.1", "gains.a"]
    assert isinstance(net.scales[0], nn.Parameter)
    assert "steps" not in net.state_dict() and "body.1.running_mean" in net.state_dict()
    assert net.get_parameter("body.0.weight") is net.body[0].weight
    assert net.get_buffer("body.1.running_var").shape == (3,)
    with pytest.raises(AttributeError, match="has no parameter 'nope'"):
        net.get_parameter("body.0.nope")
    memo = {net.body}
    assert [n for n, _ in net.named_modules(memo)] == ["", "scales", "gains"]
    keys = net.state_dict(prefix="model.", keep_vars=True)
    assert keys["model.body.0.weight"] is net.body[0].weight
    with pytest.raises(KeyError, match="module name must be a non-empty string without '.'"):
        net.add_module("a.b", nn.ReLU())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("no")


def test_module_dtypes_and_devices():
    net = Net()
    assert net.half().body[0].weight.dtype == np.float16
    assert net.to(autograd.zeros(1, dtype="float64")).scales[0].dtype == np.float64
    assert net.type("float32").gains["a"].dtype == np.float32
    assert net.cpu() is net
    with pytest.raises(autograd.AutogradError, match="'cuda' is not available"):
        net.cuda()


def test_forward_hooks_prepend_kwargs_and_context_manager():
    layer, calls = nn.Linear(2, 2), []
    layer.register_forward_hook(lambda m, a, out: calls.append("second"))
    layer.register_forward_hook(lambda m, a, out: calls.append("first"), prepend=True)
    with layer.register_forward_hook(lambda m, a, kw, out: out * 0, with_kwargs=True):
        assert np.all(layer(autograd.ones(1, 2)).numpy() == 0)
    assert calls == ["first", "second"]
    doubled = layer.register_forward_pre_hook(lambda m, a, kw: ((a[0] * 2,), kw),
                                              with_kwargs=True)
    twice = layer(autograd.ones(1, 2))
    doubled.remove()
    np.testing.assert_allclose(twice.numpy(), layer(autograd.full((1, 2), 2.0)).numpy())


def test_containers_edit_like_python_lists():
    seq = nn.Sequential(nn.ReLU(), nn.Tanh())
    seq.insert(1, nn.Sigmoid())
    assert [type(m).__name__ for m in seq] == ["ReLU", "Sigmoid", "Tanh"]
    assert type(seq.pop(0)).__name__ == "ReLU" and len(seq) == 2
    assert len(seq + nn.Sequential(nn.ReLU())) == 3
    blocks = nn.ModuleList([nn.ReLU()])
    blocks += [nn.Tanh()]
    blocks.extend([nn.Sigmoid()])
    assert [k for k, _ in blocks.named_children()] == ["0", "1", "2"]
    heads = nn.ModuleDict({"a": nn.ReLU()})
    heads.clear()
    assert len(heads) == 0
    params = nn.ParameterList([autograd.ones(2)])
    params.append(autograd.zeros(3))
    assert repr(params) == ("ParameterList(\n  (0): Parameter containing: [float32 of size 2]\n"
                            "  (1): Parameter containing: [float32 of size 3]\n)")
