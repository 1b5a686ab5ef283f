"""Losses (nn.functional and nn layers): values worked out by hand, PyTorch's weighted mean
with ignore_index, label smoothing and probability targets, the notes' SVM loss, gradcheck and
gradgradcheck in float64 over every option, exactness and safety at |logit| = 1000 and at
saturated probabilities, dtypes kept, errors, and PyTorch parity of values and gradients."""
import itertools
import math
import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import DtypeError, IndexingError, ShapeError

CLASS_WEIGHT = np.array([0.5, 2.0, 1.5])


def t64(values, requires_grad=True):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


# ============================================================ one table drives the checks
def _inputs(kind, ignore_index=None):
    """(input, target, whether the target is differentiable) as float64 / int64 arrays; with
    ``ignore_index`` -100, one class target (of several) is -100."""
    rng = np.random.default_rng(0)
    if kind in ("regression", "single"):
        shape = (2, 3) if kind == "regression" else (1, 1)
        return rng.normal(size=shape), rng.normal(size=shape), True
    if kind == "probabilities":
        return rng.uniform(0.05, 0.95, (2, 3)), rng.uniform(0, 1, (2, 3)), True
    if kind == "logits":
        return rng.normal(0, 3, (2, 3)), rng.uniform(0, 1, (2, 3)), True
    if kind == "soft":  # class probabilities, as mixup makes
        soft = rng.uniform(0, 1, (2, 3))
        return rng.normal(size=(2, 3)), soft / soft.sum(1, keepdims=True), True
    shape, target = {"classes": ((4, 3), np.array([2, 0, 1, 1])),
                     "batch1": ((1, 3), np.array([2])),
                     "spatial": ((2, 3, 2, 1), np.array([[[1], [0]], [[2], [1]]])),
                     "unbatched": ((3,), np.array(2))}[kind]
    if ignore_index == -100 and target.size > 1:
        target.flat[0] = -100  # one ignored position
    return rng.normal(size=shape), target, False


CLASS_KINDS = ("classes", "batch1", "spatial", "unbatched")


def _cases():
    """(function name, input kind, options): every option of every loss."""
    for kind in ("regression", "single"):
        yield "mse_loss", kind, {}
        yield "l1_loss", kind, {}
        for delta in (1.0, 0.5):
            yield "huber_loss", kind, {"delta": delta}
    for kind, weight, ignore_index, smoothing in itertools.product(
            CLASS_KINDS + ("soft",), (None, CLASS_WEIGHT), (-100, 1), (0.0, 0.2)):
        if kind != "soft" or ignore_index == -100:
            yield "cross_entropy", kind, {"weight": weight, "ignore_index": ignore_index,
                                          "label_smoothing": smoothing}
    for kind, weight, ignore_index in itertools.product(CLASS_KINDS, (None, CLASS_WEIGHT),
                                                        (-100, 1)):
        yield "nll_loss", kind, {"weight": weight, "ignore_index": ignore_index}
    for weight in (None, np.array([1.0, 0.5, 2.0])):
        yield "binary_cross_entropy", "probabilities", {"weight": weight}
        for pos_weight in (None, np.array([3.0, 1.0, 0.25])):
            yield "binary_cross_entropy_with_logits", "logits", {"weight": weight,
                                                                 "pos_weight": pos_weight}
    for kind, p, margin, weight in itertools.product(("classes", "unbatched"), (1, 2),
                                                     (1.0, 0.5), (None, CLASS_WEIGHT)):
        yield "multi_margin_loss", kind, {"p": p, "margin": margin, "weight": weight}


def _case_id(case):
    name, kind, options = case
    shown = [k if isinstance(v, np.ndarray) else f"{k}={v}" for k, v in options.items()
             if v is not None]
    return "-".join([name, kind] + shown)


CASES = [pytest.param(*case, id=_case_id(case)) for case in _cases()]


def _setup(name, kind, options, reduction):
    """Our input and target Tensors and the loss as a function of them."""
    x, t, target_differentiable = _inputs(kind, options.get("ignore_index"))
    x = t64(x)
    t = t64(t) if target_differentiable else t

    def loss(x, t):
        return getattr(F, name)(x, t, reduction=reduction, **options)

    return loss, x, t, target_differentiable


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("name, kind, options", CASES)
def test_gradcheck(name, kind, options, reduction):
    loss, x, t, _ = _setup(name, kind, options, reduction)
    assert autograd.gradcheck(loss, (x, t), check_forward_ad=True)


@pytest.mark.parametrize("name, kind, options", CASES)
def test_gradgradcheck(name, kind, options):
    loss, x, t, _ = _setup(name, kind, options, "sum")
    assert autograd.gradgradcheck(loss, (x, t))


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name, kind, options", CASES)
def test_torch_parity(name, kind, options, reduction):
    torch = pytest.importorskip("torch")
    loss, x, t, target_differentiable = _setup(name, kind, options, reduction)
    ours = loss(x, t)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    tt = torch.tensor(t.numpy(), requires_grad=True) if target_differentiable else \
        torch.tensor(t)
    theirs = getattr(torch.nn.functional, name)(
        tx, tt, reduction=reduction,
        **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()})
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)

    seed = np.random.default_rng(1).normal(size=ours.shape)  # a generic output gradient
    wrt = (x, t) if target_differentiable else (x,)
    grads = autograd.grad((ours * seed).sum(), wrt)
    expected = torch.autograd.grad((theirs * torch.tensor(seed)).sum(),
                                   (tx, tt) if target_differentiable else (tx,))
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g.data, e.numpy(), rtol=1e-10, atol=1e-12)


# ============================================================ values worked out by hand
@pytest.mark.parametrize("name, expected", [
    ("mse_loss", [1.0, 4.0]),  # (1 - 0)², (2 - 4)²
    ("l1_loss", [1.0, 2.0]),
    ("huber_loss", [0.5, 1.5]),  # 0.5 · 1², 1 · (2 - 0.5)
])
def test_regression_values(name, expected):
    x, t = autograd.tensor([1.0, 2.0]), autograd.tensor([0.0, 4.0])
    fn = getattr(F, name)
    np.testing.assert_allclose(fn(x, t, reduction="none").data, expected)
    np.testing.assert_allclose(fn(x, t, reduction="sum").data, sum(expected))
    np.testing.assert_allclose(fn(x, t).data, sum(expected) / 2)


def test_huber_delta():
    x = autograd.tensor([0.5, 3.0])
    # |d| = 0.5 < 2: 0.5 · 0.25;  |d| = 3 >= 2: 2 · (3 - 1)
    np.testing.assert_allclose(F.huber_loss(x, np.zeros(2), reduction="none", delta=2.0).data,
                               [0.125, 4.0])


def test_nll_weighted_mean_with_ignore_index():
    log_probs = autograd.tensor([[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0], [-7.0, -8.0, -9.0]])
    target, weight = np.array([0, 2, -100]), np.array([1.0, 2.0, 3.0])
    # losses w[y] · -log p_y = 1 · 1, 3 · 6, and 0 for the ignored one
    np.testing.assert_allclose(F.nll_loss(log_probs, target, weight, reduction="none").data,
                               [1.0, 18.0, 0.0])
    np.testing.assert_allclose(F.nll_loss(log_probs, target, weight, reduction="sum").data, 19)
    np.testing.assert_allclose(F.nll_loss(log_probs, target, weight).data, 19 / (1 + 3))
    np.testing.assert_allclose(F.nll_loss(log_probs, target).data, (1 + 6) / 2)
    np.testing.assert_allclose(F.nll_loss(log_probs, np.array([0, 2, 1]), ignore_index=2).data,
                               (1 + 8) / 2)  # ignore_index may also be a real class


def test_cross_entropy_values():
    logits = autograd.tensor([[2.0, 0.0, 0.0]])
    nll = [math.log(1 + 2 * math.exp(-2)), 2 + math.log(1 + 2 * math.exp(-2))]  # -log p_c
    np.testing.assert_allclose(F.cross_entropy(logits, np.array([0])).data, nll[0], rtol=1e-6)
    np.testing.assert_allclose(F.cross_entropy(logits, np.array([1])).data, nll[1], rtol=1e-6)
    # label smoothing 0.3: 0.7 · (-log p_0) + 0.3 / 3 · (sum of every -log p_c)
    np.testing.assert_allclose(F.cross_entropy(logits, np.array([0]), label_smoothing=0.3).data,
                               0.7 * nll[0] + 0.1 * (nll[0] + 2 * nll[1]), rtol=1e-6)


def test_cross_entropy_soft_targets_are_mixup():
    """A mixed target λ onehot(a) + (1 - λ) onehot(b) gives the same mix of the two losses."""
    logits = t64([[0.3, -1.2, 2.0], [1.0, 0.5, -0.5]], requires_grad=False)
    a, b, lam = np.array([0, 2]), np.array([1, 1]), 0.7
    mixed = lam * np.eye(3)[a] + (1 - lam) * np.eye(3)[b]
    expected = lam * F.cross_entropy(logits, a).data + (1 - lam) * F.cross_entropy(logits, b).data
    np.testing.assert_allclose(F.cross_entropy(logits, mixed).data, expected)


def test_cross_entropy_is_nll_of_log_softmax():
    logits = t64(np.random.default_rng(2).normal(size=(3, 4, 2)), requires_grad=False)
    target = np.array([[0, 3], [1, 1], [2, 0]])
    np.testing.assert_allclose(F.cross_entropy(logits, target).data,
                               F.nll_loss(autograd.log_softmax(logits, 1), target).data)


def test_binary_cross_entropy_values():
    p, t = autograd.tensor([0.8, 0.4]), autograd.tensor([1.0, 0.0])
    expected = [-math.log(0.8), -math.log(0.6)]
    np.testing.assert_allclose(F.binary_cross_entropy(p, t, reduction="none").data, expected,
                               rtol=1e-6)
    np.testing.assert_allclose(F.binary_cross_entropy(p, t, weight=np.array([2.0, 1.0])).data,
                               (2 * expected[0] + expected[1]) / 2, rtol=1e-6)


def test_binary_cross_entropy_with_logits_values():
    x, t = autograd.tensor([0.0, 2.0]), autograd.tensor([1.0, 0.0])
    # log 2; -log(1 - sigmoid(2)) = log(1 + e²)
    expected = [math.log(2), math.log(1 + math.exp(2))]
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(x, t, reduction="none").data,
                               expected, rtol=1e-6)
    # pos_weight 3 triples only the positive term
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(x, t, reduction="none",
                                           pos_weight=np.array([3.0, 3.0])).data,
        [3 * expected[0], expected[1]], rtol=1e-6)


def test_multi_margin_values():
    scores = autograd.tensor([[3.2, 5.1, -1.7]])
    target = np.array([0])
    # hinges: 5.1 - 3.2 + 1 = 2.9 and max(0, -1.7 - 3.2 + 1) = 0, divided by 3 classes
    np.testing.assert_allclose(F.multi_margin_loss(scores, target).data, 2.9 / 3, rtol=1e-6)
    np.testing.assert_allclose(F.multi_margin_loss(scores, target, p=2).data, 2.9 ** 2 / 3,
                               rtol=1e-6)
    np.testing.assert_allclose(F.multi_margin_loss(scores, target, margin=0.1).data, 2.0 / 3,
                               rtol=1e-6)
    np.testing.assert_allclose(
        F.multi_margin_loss(scores, target, weight=np.array([2.0, 1.0, 1.0])).data, 5.8 / 3,
        rtol=1e-6)


def test_multi_margin_is_the_notes_svm_loss_over_classes():
    """The notes' L_i = sum over j != y_i of max(0, s_j - s_y_i + 1), averaged over the
    batch, is C times multi_margin_loss."""
    scores = np.random.default_rng(3).normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    svm = np.mean([sum(max(0.0, s[j] - s[y] + 1) for j in range(4) if j != y)
                   for s, y in zip(scores, labels)])
    np.testing.assert_allclose(4 * F.multi_margin_loss(t64(scores), labels).data, svm)


# ============================================================ stability and exactness
@pytest.fixture
def strict_numerics():
    """Every floating-point warning (overflow, invalid, divide by zero) is an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                                divide="raise"):
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropy_at_logits_of_1000(strict_numerics, dtype):
    logits = autograd.tensor([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0]], dtype=dtype,
                             requires_grad=True)
    loss = F.cross_entropy(logits, np.array([0, 1]), reduction="none")
    np.testing.assert_array_equal(loss.data, [0.0, 2000.0])
    loss.sum().backward()
    np.testing.assert_array_equal(logits.grad.data, [[0, 0, 0], [1, -1, 0]])  # softmax - onehot


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_with_logits_at_1000(strict_numerics, dtype):
    x = autograd.tensor([1000.0, -1000.0, 1000.0, -1000.0], dtype=dtype, requires_grad=True)
    t = autograd.tensor([1.0, 0.0, 0.0, 1.0], dtype=dtype, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none",
                                              pos_weight=np.array([1.0, 1.0, 1.0, 3.0]))
    np.testing.assert_array_equal(loss.data, [0, 0, 1000, 3000])
    loss.sum().backward()
    # d/dx = (1 + (pw - 1) t) sigmoid(x) - pw t;  d/dt = -x + (pw - 1) softplus(-x)
    np.testing.assert_array_equal(x.grad.data, [0, 0, 1, -3])
    np.testing.assert_array_equal(t.grad.data, [-1000, 1000, -1000, 3000])


def test_bce_with_logits_gradient_is_exact_where_sigmoid_is_tiny():
    """sigmoid(x) - t keeps its tiny values on both sides; a composition, or sigmoid(40) - 1
    as PyTorch computes it, rounds them to 0."""
    x = t64([-40.0, 40.0])
    F.binary_cross_entropy_with_logits(x, np.array([0.0, 1.0]), reduction="sum").backward()
    tiny = 1 / (1 + math.exp(40))
    np.testing.assert_allclose(x.grad.data, [tiny, -tiny], rtol=1e-12)


def test_bce_at_saturated_probabilities(strict_numerics):
    p = t64([0.0, 1.0, 0.0, 1.0])
    t = t64([1.0, 0.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, t, reduction="none")
    np.testing.assert_array_equal(loss.data, [100, 100, 0, 0])  # log floored at -100
    loss.sum().backward()
    # PyTorch's (p - t) / max(p (1 - p), 1e-12): large but finite, pointing the right way
    np.testing.assert_array_equal(p.grad.data, [-1e12, 1e12, 0, 0])
    np.testing.assert_array_equal(t.grad.data, [100, -100, 100, -100])  # floored logs


# ============================================================ dtypes
DTYPE_CASES = [
    ("mse_loss", "regression", {}),
    ("huber_loss", "regression", {"delta": np.float64(0.5)}),
    ("cross_entropy", "classes", {"weight": CLASS_WEIGHT, "label_smoothing": np.float64(0.1)}),
    ("cross_entropy", "soft", {"weight": CLASS_WEIGHT}),
    ("nll_loss", "classes", {"weight": CLASS_WEIGHT}),
    ("binary_cross_entropy", "probabilities", {"weight": np.ones(3)}),
    ("binary_cross_entropy_with_logits", "logits", {"weight": np.ones(3),
                                                    "pos_weight": np.full(3, 2.0)}),
    ("multi_margin_loss", "classes", {"margin": np.float64(0.5), "weight": CLASS_WEIGHT}),
]


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("name, kind, options", DTYPE_CASES)
def test_float32_stays_float32(name, kind, options, reduction):
    """float64 numpy targets, weights and hyperparameters do not upcast a float32 loss."""
    x, t, _ = _inputs(kind)
    x = autograd.tensor(x, dtype="float32", requires_grad=True)
    loss = getattr(F, name)(x, t, reduction=reduction, **options)
    assert loss.dtype == np.float32
    loss.sum().backward()
    assert x.grad.dtype == np.float32


# ============================================================ errors
def test_unknown_reduction():
    with pytest.raises(ValueError, match=r"mse_loss: reduction='avg' is not one of 'mean', "
                                         r"'sum', 'none'"):
        F.mse_loss(autograd.zeros(2), autograd.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match="CrossEntropyLoss: reduction='average'"):
        nn.CrossEntropyLoss(reduction="average")


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss", "multi_margin_loss"])
@pytest.mark.parametrize("bad", [3, -1])
def test_target_out_of_range(name, bad):
    with pytest.raises(IndexingError, match=rf"{name}: target class {bad} is out of range: the "
                                            r"input has 3 classes, so targets must be 0 to 2"):
        getattr(F, name)(autograd.zeros((2, 3)), np.array([0, bad]))


def test_target_out_of_range_mentions_ignore_index():
    with pytest.raises(IndexingError, match=r"0 to 2, or ignore_index=-1"):
        F.cross_entropy(autograd.zeros((2, 3)), np.array([0, -100]), ignore_index=-1)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy",
                                  "binary_cross_entropy_with_logits"])
def test_elementwise_shape_mismatch(name):
    with pytest.raises(ShapeError, match=rf"{name}: input of shape \(4, 1\) and target of "
                                         r"shape \(4,\) must have the same shape"):
        getattr(F, name)(autograd.full((4, 1), 0.5), np.full(4, 0.5))


def test_class_target_shape_mismatch():
    with pytest.raises(ShapeError, match=r"cross_entropy: input of shape \(2, 3\) \(classes on "
                                         r"axis 1\) needs class-index targets of shape \(2,\) "
                                         r"\(or probabilities of shape \(2, 3\)\), got target "
                                         r"of shape \(3,\)"):
        F.cross_entropy(autograd.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ShapeError, match=r"nll_loss: .* needs class-index targets of shape "
                                         r"\(2, 5\), got target of shape \(2,\)"):
        F.nll_loss(autograd.zeros((2, 3, 5)), np.array([0, 1]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss", "multi_margin_loss"])
def test_float_class_targets(name):
    with pytest.raises(DtypeError, match=rf"{name}: class-index targets must be integers, got "
                                         r"dtype float32; convert them with "
                                         r"target.astype\('int64'\)"):
        getattr(F, name)(autograd.zeros((2, 3)), autograd.tensor([0.0, 1.0]))


def test_target_tensor_of_another_dtype():
    with pytest.raises(DtypeError, match=r"mse_loss: target has dtype float64 but input has "
                                         r"float32"):
        F.mse_loss(autograd.zeros(2), autograd.zeros(2, dtype="float64"))


def test_integer_input():
    with pytest.raises(DtypeError, match=r"l1_loss: expected a floating-point input, got "
                                         r"dtype int64"):
        F.l1_loss(autograd.tensor([1, 2]), np.array([1.0, 2.0]))


@pytest.mark.parametrize("what, p, t", [("input", [0.5, 1.5], [0.0, 1.0]),
                                        ("input", [-0.1, 0.5], [0.0, 1.0]),
                                        ("target", [0.5, 0.5], [0.0, 2.0])])
def test_bce_outside_0_1(what, p, t):
    with pytest.raises(ValueError, match=rf"binary_cross_entropy: every element of {what} must "
                                         r"be a probability in \[0, 1\], got values from"):
        F.binary_cross_entropy(autograd.tensor(p), autograd.tensor(t))


def test_mean_with_nothing_to_average():
    with pytest.raises(ValueError, match=r"cross_entropy: reduction='mean' has nothing to "
                                         r"average .* would be nan; use reduction='sum'"):
        F.cross_entropy(autograd.zeros((2, 3)), np.array([-100, -100]))
    # sum and none are well defined
    assert F.cross_entropy(autograd.zeros((2, 3)), np.array([-100, -100]),
                           reduction="sum").item() == 0


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.huber_loss(autograd.zeros(2), np.zeros(2), delta=0),
     ValueError, r"huber_loss: delta must be positive, got 0.0"),
    (lambda: F.cross_entropy(autograd.zeros((2, 3)), np.array([0, 1]), label_smoothing=1.5),
     ValueError, r"cross_entropy: label_smoothing must be in \[0, 1\] \(.*\), got 1.5"),
    (lambda: F.cross_entropy(autograd.zeros((2, 3)), np.array([0, 1]), weight=np.ones(2)),
     ShapeError, r"cross_entropy: weight must hold one value per class, shape \(3,\), got "
                 r"shape \(2,\)"),
    (lambda: F.cross_entropy(autograd.tensor(1.0), np.array(0)),
     ShapeError, r"cross_entropy: input needs a class axis"),
    (lambda: F.multi_margin_loss(autograd.zeros((2, 3)), np.array([0, 1]), p=3),
     ValueError, r"multi_margin_loss: p must be 1 or 2, got 3"),
    (lambda: F.multi_margin_loss(autograd.zeros((2, 3, 4)), np.zeros((2, 4), dtype=int)),
     ShapeError, r"multi_margin_loss: input must have shape \(N, C\) or \(C,\), got "
                 r"\(2, 3, 4\)"),
    (lambda: F.binary_cross_entropy_with_logits(autograd.zeros((2, 3)), np.zeros((2, 3)),
                                                pos_weight=np.ones(2)),
     ShapeError, r"binary_cross_entropy_with_logits: pos_weight of shape \(2,\) does not "
                 r"broadcast to the input's shape \(2, 3\)"),
])
def test_bad_options(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ============================================================ layers
MODULES = [
    (nn.MSELoss, {"reduction": "sum"}, "mse_loss", "regression"),
    (nn.L1Loss, {}, "l1_loss", "regression"),
    (nn.HuberLoss, {"delta": 0.5, "reduction": "none"}, "huber_loss", "regression"),
    (nn.CrossEntropyLoss, {"weight": CLASS_WEIGHT, "ignore_index": 1, "label_smoothing": 0.1},
     "cross_entropy", "spatial"),
    (nn.NLLLoss, {"weight": CLASS_WEIGHT}, "nll_loss", "classes"),
    (nn.BCELoss, {"weight": np.array([1.0, 2.0, 3.0])}, "binary_cross_entropy", "probabilities"),
    (nn.BCEWithLogitsLoss, {"pos_weight": np.array([2.0, 1.0, 0.5])},
     "binary_cross_entropy_with_logits", "logits"),
    (nn.MultiMarginLoss, {"p": 2, "margin": 0.5, "weight": CLASS_WEIGHT}, "multi_margin_loss",
     "classes"),
]


@pytest.mark.parametrize("layer, options, name, kind", MODULES,
                         ids=[m[0].__name__ for m in MODULES])
def test_layer_calls_its_function(layer, options, name, kind):
    x, t, _ = _inputs(kind, options.get("ignore_index"))
    expected = getattr(F, name)(t64(x), t, **options)
    np.testing.assert_array_equal(layer(**options)(t64(x), t).data, expected.data)


@pytest.mark.parametrize("layer, options, name, kind", MODULES,
                         ids=[m[0].__name__ for m in MODULES])
def test_layer_state_dict_keys_match_torch(layer, options, name, kind):
    torch = pytest.importorskip("torch")
    ours = layer(**options).state_dict()
    theirs = getattr(torch.nn, layer.__name__)(
        **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()})
    assert list(ours) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours[key].data, value.numpy())


def test_layer_weights_are_buffers():
    loss_fn = nn.BCEWithLogitsLoss(weight=np.ones(3, dtype=np.float32),
                                   pos_weight=np.full(3, 2.0, dtype=np.float32))
    assert list(loss_fn.parameters()) == []
    assert [name for name, _ in loss_fn.named_buffers()] == ["weight", "pos_weight"]
    loss_fn.double()
    assert loss_fn.weight.dtype == np.float64 and loss_fn.pos_weight.dtype == np.float64


def test_layer_gradcheck():
    loss_fn = nn.CrossEntropyLoss(weight=CLASS_WEIGHT, label_smoothing=0.1)
    x, t, _ = _inputs("spatial")
    assert autograd.gradcheck(lambda x: loss_fn(x, t), (t64(x),))
