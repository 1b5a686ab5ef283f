"""Oracle rows for ``nn.functional`` (its fused registry entries and every public function
torch also has; see oracle.py for the format). Functions torch lacks (maxout, the penalties)
are compared with the torch expression they stand for."""
import numpy as np

from oracle import Row
from rows_core import ints, mine, pos

ROWS = []
F = "nn.functional."


def row(name, fn, inputs=(), id="", **settings):
    grad = settings.pop("grad", True)
    tol = settings.pop("tol", None)
    tols = {} if tol is None else {"rtol": tol, "atol": tol}
    ROWS.append(Row(F + name, fn, tuple(inputs), id=id, grad=grad, kwargs=settings, **tols))


def raises(name, fn, inputs, id, **settings):
    row(name, fn, inputs, id=id, raises=True, **settings)


# ------------------------------------------------------------------ activations
ACTIVATIONS = {  # name -> keyword variants
    "sigmoid": {}, "tanh": {}, "relu": {}, "selu": {}, "silu": {}, "mish": {},
    "leaky_relu": {"slope": {"negative_slope": 0.2}},
    "elu": {"alpha": {"alpha": 0.5}},
    "gelu": {"tanh": {"approximate": "tanh"}},
    "softplus": {"beta": {"beta": 2, "threshold": 1}},
    "rrelu": {},  # eval mode: the fixed slope (lower + upper) / 2
}
for name, variants in ACTIVATIONS.items():
    row(name, lambda m, x, name=name: getattr(m.F, name)(x), [(2, 3)])
    row(name, lambda m, x, name=name: getattr(m.F, name)(x), [()], id="0d")
    row(name, lambda m, x, name=name: getattr(m.F, name)(x), [(0, 2)], id="empty")
    for id_, kw in variants.items():
        row(name, lambda m, x, name=name, kw=kw: getattr(m.F, name)(x, **kw), [(2, 3)], id=id_)
row("relu", lambda m, x: m.F.relu(x), [np.array([-1.0, 0.0, 1.0])], id="at-zero")
row("leaky_relu", lambda m, x: m.F.leaky_relu(x), [np.array([-1.0, 0.0, 1.0])], id="at-zero")
row("softplus", lambda m, x: m.F.softplus(x), [np.array([-50.0, 0.0, 19.0, 21.0, 800.0])],
    id="threshold")
row("gelu", lambda m, x: m.F.gelu(x), [np.array([-40.0, -3.0, 0.0, 3.0, 40.0])], id="tails")
row("prelu", lambda m, x, w: m.F.prelu(x, w), [(2, 3, 4), (3,)])
row("prelu", lambda m, x, w: m.F.prelu(x, w), [(2, 3), (1,)], id="shared")
row("prelu", lambda m, x, w: m.F.prelu(x, w), [(4,), (1,)], id="1d")
for name in ("softmax", "log_softmax"):
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, dim=1), [(2, 3, 4)])
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, -1), [(2, 3)], id="positional")
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, dim=0), [()], id="0d")
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, dim=1), [(0, 3)], id="empty")
row("maxout", lambda m, x, w, b: m.F.maxout(x, w, b) if mine(m)
    else (x @ w.reshape(6, 4).T + b.reshape(-1)).reshape(2, 3, 2).amax(-1),
    [(2, 4), (3, 2, 4), (3, 2)])

# ------------------------------------------------------------------ linear, conv, pooling
row("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(2, 3), (4, 3), (4,)])
row("linear", lambda m, x, w: m.F.linear(x, w), [(5, 2, 3), (4, 3)], id="batch-no-bias")
row("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(3,), (4, 3), (4,)], id="vector")
row("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(0, 3), (4, 3), (4,)], id="empty")
row("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(2, 3), (4, 3), ()], id="0d-bias")
row("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(2, 3), (4, 3), (2, 1)],
    id="broadcast-bias")
raises("linear", lambda m, x, w, b: m.F.linear(x, w, b), [(3,), (4, 3), (2, 4)],
       id="bias-too-big")
raises("linear", lambda m, x, w: m.F.linear(x, w), [(2, 3), (4, 2)], id="mismatch")
row("conv2d", lambda m, x, w, b: m.F.conv2d(x, w, b), [(2, 3, 5, 5), (4, 3, 3, 3), (4,)])
row("conv2d", lambda m, x, w: m.F.conv2d(x, w, stride=2, padding=1), [(1, 2, 6, 5),
                                                                       (3, 2, 3, 2)],
    id="stride-padding")
row("conv2d", lambda m, x, w: m.F.conv2d(x, w, dilation=2, groups=2), [(1, 4, 7, 7),
                                                                        (6, 2, 3, 3)],
    id="dilation-groups")
row("conv2d", lambda m, x, w: m.F.conv2d(x, w, stride=(2, 1), padding=(0, 2)),
    [(2, 1, 5, 4), (2, 1, 2, 3)], id="tuples")
row("conv2d", lambda m, x, w: m.F.conv2d(x, w, padding="same"), [(1, 2, 5, 5), (2, 2, 3, 3)],
    id="same")
row("conv2d", lambda m, x, w: m.F.conv2d(x, w), [(2, 4, 4), (3, 2, 3, 3)], id="unbatched")
raises("conv2d", lambda m, x, w: m.F.conv2d(x, w), [(1, 3, 5, 5), (4, 2, 3, 3)],
       id="channels")
raises("conv2d", lambda m, x, w: m.F.conv2d(x, w), [(1, 2, 2, 2), (4, 2, 3, 3)],
       id="kernel-too-big")
row("unfold", lambda m, x: m.F.unfold(x, 2), [(2, 3, 4, 4)])
row("unfold", lambda m, x: m.F.unfold(x, (2, 3), dilation=1, padding=1, stride=2),
    [(1, 2, 5, 5)], id="options")
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, 2), [(2, 3, 4, 4)])
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, 3, stride=2, padding=1), [(1, 2, 5, 5)],
    id="stride-padding")
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, (2, 1)), [(3, 4, 3)], id="unbatched")
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, 2, ceil_mode=True), [(1, 1, 5, 5)],
    id="ceil")
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, 2, return_indices=True), [(1, 2, 4, 4)],
    id="indices")
row("max_pool2d", lambda m, x: m.F.max_pool2d(x, 2, dilation=2), [(1, 1, 6, 6)],
    id="dilation")
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 2), [(2, 3, 4, 4)])
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 3, stride=2, padding=1), [(1, 2, 5, 5)],
    id="padding")
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
    [(1, 2, 5, 5)], id="exclude-pad")
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 2, ceil_mode=True), [(1, 1, 5, 5)],
    id="ceil")
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 2, divisor_override=3), [(1, 1, 4, 4)],
    id="divisor")
row("avg_pool2d", lambda m, x: m.F.avg_pool2d(x, 2), [(3, 4, 4)], id="unbatched")

# ------------------------------------------------------------------ normalization
_rm, _rv = np.array([0.1, -0.2, 0.3]), np.array([0.5, 1.5, 2.0])
row("batch_norm", lambda m, x, w, b: m.F.batch_norm(x, None, None, w, b, training=True),
    [(4, 3, 2, 2), (3,), (3,)], id="training")
row("batch_norm", lambda m, x, w, b: m.F.batch_norm(x, m.tensor(_rm), m.tensor(_rv), w, b),
    [(4, 3), (3,), (3,)], id="eval")
row("batch_norm", lambda m, x: m.F.batch_norm(x, None, None, training=True, eps=1e-3),
    [(5, 3, 4)], id="3d-no-affine")


def _updates_running_stats(m, x):
    mean, var = m.tensor(_rm), m.tensor(_rv)
    m.F.batch_norm(x, mean, var, training=True, momentum=0.3)
    return mean, var


row("batch_norm", _updates_running_stats, [(6, 3)], id="running-stats")
raises("batch_norm", lambda m, x: m.F.batch_norm(x, None, None, training=True), [(1, 3)],
       id="one-value-per-channel")
row("instance_norm", lambda m, x, w, b: m.F.instance_norm(x, weight=w, bias=b),
    [(2, 3, 4, 4), (3,), (3,)])
row("instance_norm", lambda m, x: m.F.instance_norm(x), [(2, 3, 5)], id="1d")
row("layer_norm", lambda m, x, w, b: m.F.layer_norm(x, (4,), w, b), [(2, 3, 4), (4,), (4,)])
row("layer_norm", lambda m, x: m.F.layer_norm(x, [3, 4], eps=1e-3), [(2, 3, 4)], id="2d")
row("layer_norm", lambda m, x: m.F.layer_norm(x, (3,)), [(3,)], id="vector")
raises("layer_norm", lambda m, x: m.F.layer_norm(x, (3,)), [(2, 4)], id="mismatch")
row("group_norm", lambda m, x, w, b: m.F.group_norm(x, 2, w, b), [(2, 4, 3, 3), (4,), (4,)])
row("group_norm", lambda m, x: m.F.group_norm(x, 1), [(2, 3, 5)], id="one-group")
raises("group_norm", lambda m, x: m.F.group_norm(x, 3), [(2, 4, 3)], id="indivisible")

# ------------------------------------------------------------------ dropout (deterministic)
for name in ("dropout", "dropout2d"):
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, 0.5, training=False), [(2, 3, 4)],
        id="eval")
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, p=0.0), [(2, 3, 4)], id="p0")
    row(name, lambda m, x, name=name: getattr(m.F, name)(x, p=1.0), [(2, 3, 4)], id="p1")
    raises(name, lambda m, x, name=name: getattr(m.F, name)(x, p=1.5), [(2, 3)], id="bad-p")


def _penalties(m, x, y):
    if mine(m):
        return (m.F.l1_penalty([x, y]), m.F.l2_penalty([x, y]),
                m.F.elastic_net_penalty([x, y], l1_ratio=0.25))
    l1 = x.abs().sum() + y.abs().sum()
    l2 = (x ** 2).sum() + (y ** 2).sum()
    return l1, l2, 0.25 * l1 + 0.75 * l2


ROWS.append(Row(F + "l1_penalty", _penalties, ((2, 3), (4,)), id="penalties"))
ROWS.append(Row(F + "l2_penalty", _penalties, ((), (0,)), id="penalties"))
ROWS.append(Row(F + "elastic_net_penalty", _penalties, ((3,), (1, 1)), id="penalties"))

# ------------------------------------------------------------------ losses
_p = np.array([[0.2, 0.9, 0.5], [0.01, 0.6, 0.99]])
_t = np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 1.0]])
_cls = ints(2, 0, 1, 2)
_w = pos(3, seed=3)  # class weights: torch refuses gradients for them, so rows close over them
for name in ("mse_loss", "l1_loss", "huber_loss"):
    row(name, lambda m, x, y, name=name: getattr(m.F, name)(x, y), [(2, 3), (2, 3)])
    for reduction in ("sum", "none"):
        row(name, lambda m, x, y, name=name, r=reduction: getattr(m.F, name)(x, y, reduction=r),
            [(2, 3), (2, 3)], id=reduction)
    row(name, lambda m, x, y, name=name: getattr(m.F, name)(x, y), [(), ()], id="0d")
    raises(name, lambda m, x, y, name=name: getattr(m.F, name)(x, y, reduction="avg"),
           [(2,), (2,)], id="bad-reduction")
row("huber_loss", lambda m, x, y: m.F.huber_loss(x, y, delta=0.3), [(2, 3), (2, 3)],
    id="delta")
row("l1_loss", lambda m, x, y: m.F.l1_loss(x, y), [np.array([1.0, 2.0]), np.array([1.0, 0.0])],
    id="at-zero")
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t), [(4, 3), _cls])
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t, weight=m.tensor(_w),
                                                       reduction="sum"),
    [(4, 3), _cls], id="weight-sum")
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t, ignore_index=0, reduction="none"),
    [(4, 3), _cls], id="ignore-none")
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t, label_smoothing=0.1), [(4, 3), _cls],
    id="smoothing")
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t), [(2, 3, 2, 2),
                                                               np.array([[[0, 1], [2, 2]],
                                                                         [[1, 1], [0, 2]]])],
    id="spatial")
row("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t), [(3,), np.array(1)],
    id="unbatched")
row("cross_entropy", lambda m, x, p: m.F.cross_entropy(x, p.softmax(1)), [(4, 3), (4, 3)],
    id="probabilities")
raises("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t), [(4, 3), ints(0, 1, 3, 0)],
       id="class-out-of-range")
raises("cross_entropy", lambda m, x, t: m.F.cross_entropy(x, t), [(4, 3), ints(0, 1)],
       id="batch-mismatch")
row("nll_loss", lambda m, x, t: m.F.nll_loss(x.log_softmax(1), t), [(4, 3), _cls])
row("nll_loss", lambda m, x, t: m.F.nll_loss(x, t, weight=m.tensor(_w)), [(4, 3), _cls],
    id="weight")
row("nll_loss", lambda m, x, t: m.F.nll_loss(x, t, ignore_index=2, reduction="sum"),
    [(4, 3), _cls], id="ignore-sum")
raises("nll_loss", lambda m, x, t: m.F.nll_loss(x, t), [(4, 3), _cls.astype(np.float64)],
       id="float-target")
row("binary_cross_entropy", lambda m, p, t: m.F.binary_cross_entropy(p, t), [_p, _t],
    tol=1e-9)  # torch's second derivative clamps its denominators
row("binary_cross_entropy",
    lambda m, p, t: m.F.binary_cross_entropy(p, t, m.tensor(_w), reduction="sum"), [_p, _t],
    id="weight-sum", tol=1e-9)
row("binary_cross_entropy", lambda m, p, t: m.F.binary_cross_entropy(p, t, reduction="none"),
    [np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0])], id="at-bounds", grad=False)
raises("binary_cross_entropy", lambda m, p, t: m.F.binary_cross_entropy(p, t),
       [(2, 3), (3, 2)], id="shape-mismatch")
row("binary_cross_entropy_with_logits",
    lambda m, x, t: m.F.binary_cross_entropy_with_logits(x, t), [(2, 3), _t])
row("binary_cross_entropy_with_logits",
    lambda m, x, t: m.F.binary_cross_entropy_with_logits(x, t, pos_weight=m.tensor(_w)),
    [(2, 3), _t], id="pos-weight")
row("binary_cross_entropy_with_logits",
    lambda m, x, t: m.F.binary_cross_entropy_with_logits(x, t, m.tensor(_w), reduction="none"),
    [np.array([[-800.0, 0.0, 800.0]]), _t[:1]], id="extremes-weight")
row("multi_margin_loss", lambda m, x, t: m.F.multi_margin_loss(x, t), [(4, 3), _cls])
row("multi_margin_loss", lambda m, x, t: m.F.multi_margin_loss(x, t, p=2, margin=0.5,
                                                               weight=m.tensor(_w),
                                                               reduction="sum"),
    [(4, 3), _cls], id="p2-weight")

# ------------------------------------------------------------------ tensors
row("pad", lambda m, x: m.F.pad(x, (1, 2)), [(2, 3)])
row("pad", lambda m, x: m.F.pad(x, (1, 0, 0, 2), value=0.5), [(2, 3)], id="two-dims")
row("pad", lambda m, x: m.F.pad(x, (1, 1, 1, 1, 1, 1)), [(2, 3, 4)], id="three-dims")
row("pad", lambda m, x: m.F.pad(x, (-1, 1)), [(2, 3)], id="negative")
row("pad", lambda m, x: m.F.pad(x, (2, 1), mode="reflect"), [(1, 2, 4)], id="reflect")
row("pad", lambda m, x: m.F.pad(x, (1, 1)), [ints(1, 2).reshape(1, 2)], id="int")
raises("pad", lambda m, x: m.F.pad(x, (1, 2, 3)), [(2, 3)], id="odd-length")
row("one_hot", lambda m, t: m.F.one_hot(t), [_cls])
row("one_hot", lambda m, t: m.F.one_hot(t, 5), [np.array([[0, 4], [1, 1]])], id="classes")
row("one_hot", lambda m, t: m.F.one_hot(t, 3), [np.array(2)], id="0d")
row("one_hot", lambda m, t: m.F.one_hot(t, 3), [np.zeros(0, np.int64)], id="empty")
raises("one_hot", lambda m, t: m.F.one_hot(t, 2), [_cls], id="too-few-classes")
raises("one_hot", lambda m, t: m.F.one_hot(t), [np.array([0.0, 1.0])], id="float")
