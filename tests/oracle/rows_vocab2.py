"""Oracle rows for the vocab2 branch: the in-place form of every elementwise op PyTorch has one
for (autograd/inplace.py), addcmul / addcdiv, index_put / put, fill_diagonal_, detach_, and the
random draws (autograd/random.py).

Random draws cannot agree with torch value by value: their rows compare what is fixed (a draw
whose probabilities leave no choice, shapes, dtypes, bounds, errors) and statistics of many
draws after ``manual_seed``, as a bool (within a tolerance of 8 standard errors or more: the
seed makes them repeatable, the tolerance makes a change of seed harmless).
"""
import numpy as np

from oracle import Row

RAISES = {"raises": True}


def pos(*shape, lo=0.5, hi=2.0, seed=23):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


def ints(*values, dtype=np.int64):
    return np.array(values, dtype=dtype)


ROWS = []


def row(op, fn, inputs=(), id="", grad=True, **kwargs):
    ROWS.append(Row(op, fn, tuple(inputs), id=id, grad=grad, kwargs=kwargs))


def raises(op, fn, inputs=(), id="", match=True):
    row(op, fn, inputs, id=id, raises=match)


# ------------------------------------------------------------------ unary in-place forms
_UNIT = pos(2, 3, lo=-0.9, hi=0.9)
_UNARY = {
    "abs_": (2, 3), "absolute_": (3,), "acos_": _UNIT, "arccos_": _UNIT,
    "acosh_": pos(2, 3, lo=1.2, hi=3.0), "arccosh_": pos(3, lo=1.2, hi=3.0), "asin_": _UNIT,
    "arcsin_": _UNIT, "asinh_": (2, 3), "arcsinh_": (), "atan_": (2, 3), "arctan_": (3,),
    "atanh_": _UNIT, "arctanh_": _UNIT, "ceil_": (2, 3), "cos_": (2, 3), "cosh_": (),
    "deg2rad_": (2, 3), "erf_": (2, 3), "exp_": (2, 3), "exp2_": (3,), "expm1_": (2, 3),
    "fix_": (2, 3), "trunc_": (2, 3), "floor_": (2, 3), "frac_": (2, 3), "log_": pos(2, 3),
    "log10_": pos(3), "log1p_": pos(2, 3), "log2_": pos(), "logit_": pos(2, 3, lo=0.1, hi=0.9),
    "nan_to_num_": (2, 3), "neg_": (2, 3), "negative_": (), "rad2deg_": (3,),
    "reciprocal_": pos(2, 3), "relu_": (2, 3), "round_": (2, 3), "rsqrt_": pos(2, 3),
    "sgn_": (2, 3), "sign_": (2, 3), "sigmoid_": (2, 3), "sin_": (2, 1, 3), "sinc_": (2, 3),
    "sinh_": (2, 3), "sqrt_": pos(2, 3), "square_": (2, 3), "tan_": pos(2, 3, lo=-1, hi=1),
    "tanh_": (),
}
_NO_TORCH_GRAD = ("acosh_", "arccosh_", "asinh_", "arcsinh_", "atanh_", "arctanh_")
for _name, _x in _UNARY.items():  # torch has no derivative for in-place acosh, asinh, atanh
    row(_name, lambda m, x, n=_name: getattr(x * 1, n)(), [_x], grad=_name not in _NO_TORCH_GRAD)
row("round_", lambda m, x: (x * 1).round_(decimals=1), [(2, 3)], id="decimals")
row("nan_to_num_", lambda m, x: (x * 1).nan_to_num_(posinf=9.0), [np.array([1.0, np.inf])],
    id="posinf", grad=False)
row("logit_", lambda m, x: (x * 1).logit_(0.2), [pos(2, 3, lo=0.05, hi=0.95)], id="eps")
row("cumsum_", lambda m, x: (x * 1).cumsum_(-1), [(2, 3)])
row("cumprod_", lambda m, x: (x * 1).cumprod_(0), [(3, 2)])
row("tril_", lambda m, x: (x * 1).tril_(-1), [(3, 3)])
row("triu_", lambda m, x: (x * 1).triu_(1), [(2, 4)])

# ------------------------------------------------------------------ binary and more
row("clamp_min_", lambda m, x: (x * 1).clamp_min_(0.2), [(2, 3)])
row("clamp_max_", lambda m, x: (x * 1).clamp_max_(-0.2), [(2, 3)])
row("clip_", lambda m, x: (x * 1).clip_(-0.5, 0.5), [(2, 3)])
row("clip_", lambda m, x: (x * 1).clip_(max=0.5), [(2, 3)], id="max")
row("copysign_", lambda m, x, y: (x * 1).copysign_(y), [(2, 3), (3,)])
row("atan2_", lambda m, x, y: (x * 1).atan2_(y), [(2, 3), pos(3)])
row("atan2_", lambda m, x, y: (x * 1).arctan2_(y), [(2, 3), pos(3)], id="arctan2_")
row("hypot_", lambda m, x, y: (x * 1).hypot_(y), [(2, 3), (2, 1)])
row("xlogy_", lambda m, x, y: (x * 1).xlogy_(y), [(2, 3), pos()])
row("float_power_", lambda m, x, y: (x * 1).float_power_(y), [pos(2, 3), (3,)])
row("divide_", lambda m, x, y: (x * 1).divide_(y), [(2, 3), pos(3)])
row("divide_", lambda m, x, y: (x * 1).true_divide_(y), [(2, 3), pos(3)], id="true_divide_")
row("multiply_", lambda m, x, y: (x * 1).multiply_(y), [(2, 3), (2, 1)])
row("subtract_", lambda m, x, y: (x * 1).subtract_(y, alpha=2), [(2, 3), ()])
row("lerp_", lambda m, x, y: (x * 1).lerp_(y, 0.3), [(2, 3), (3,)])
row("lerp_", lambda m, x, y, w: (x * 1).lerp_(y, w), [(2, 3), (3,), (2, 1)], id="tensor-weight")
row("addmm_", lambda m, x, a, b: (x * 1).addmm_(a, b, beta=0.5, alpha=2), [(2, 3), (2, 4),
                                                                            (4, 3)])
row("addmv_", lambda m, x, a, b: (x * 1).addmv_(a, b), [(2,), (2, 3), (3,)])
row("baddbmm_", lambda m, x, a, b: (x * 1).baddbmm_(a, b), [(2, 2, 3), (2, 2, 4), (2, 4, 3)])
row("addbmm_", lambda m, x, a, b: (x * 1).addbmm_(a, b), [(2, 3), (2, 2, 4), (2, 4, 3)])
# comparisons, logical and bitwise ops write their 0/1 in x's dtype; no gradient flows
_A, _B = ints(3, -1, 4, 0, 5), ints(3, 2, -4, 0, 1)
for _name in ("eq_", "ne_", "not_equal_", "lt_", "less_", "le_", "less_equal_", "gt_",
              "greater_", "ge_", "greater_equal_", "logical_and_", "logical_or_",
              "logical_xor_"):
    row(_name, lambda m, x, y, n=_name: getattr(x.double() * 1, n)(y), [_A, _B])
    row(_name, lambda m, x, y, n=_name: getattr(x * 1, n)(y), [_A, _B], id="int")
row("gt_", lambda m, x: (x * 1).gt_(0.5), [(2, 3)], id="graph")
row("logical_not_", lambda m, x: (x * 1).logical_not_(), [_A])
row("logical_not_", lambda m, x: x.bool().logical_not_(), [_A], id="bool")
for _name in ("bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_left_shift_",
              "bitwise_right_shift_"):
    row(_name, lambda m, x, y, n=_name: getattr(x * 1, n)(y), [ints(12, 5, 7), ints(1, 2, 3)])
row("bitwise_not_", lambda m, x: (x * 1).bitwise_not_(), [ints(12, -5, 0)])

# dtypes: a result the tensor cannot hold raises; one it can is cast
raises("sqrt_", lambda m, x: x.sqrt_(), [ints(1, 4)], id="int")
raises("exp_", lambda m, x: x.exp_(), [ints(1, 4)], id="int")
raises("divide_", lambda m, x: x.divide_(2), [ints(1, 4)], id="int")
raises("clamp_min_", lambda m, x: x.clamp_min_(0.5), [ints(1, 4)], id="int-float-bound")
raises("float_power_", lambda m: m.ones(3).float_power_(2), id="float32")
raises("sigmoid_", lambda m, x: x.sigmoid_(), [(2, 3)], id="leaf")
raises("addcmul_", lambda m, x, a, b: x.addcmul_(a, b), [(2, 3), (2, 3), (2, 3)], id="leaf")
raises("exp_", lambda m, x, y: (x * 1).exp_() + y.neg_(), [(3,), (3,)], id="leaf-operand")
raises("sin_", lambda m, x: (x * 1)[0].expand(3, 2).sin_(), [(2, 2)], id="broadcast-view")
row("abs_", lambda m, x: x.abs_(), [ints(-3, 4)], id="int")
row("neg_", lambda m, x: x.neg_(), [ints(-3, 4, dtype=np.int32)], id="int32")
row("relu_", lambda m, x: x.relu_(), [ints(-3, 4)], id="int")
row("square_", lambda m, x: x.square_(), [ints(-3, 4)], id="int")
row("floor_", lambda m, x: x.floor_(), [ints(-3, 4)], id="int")
row("sqrt_", lambda m: m.tensor([4.0, 9.0]).sqrt_(), id="float32")
row("exp_", lambda m, x: m.ones(3).exp_().mul_(x).dtype == m.float32, [(3,)], id="float32")
# aliasing, versions and gradients through several in-place steps
row("sqrt_", lambda m, x: (lambda b: (b[1:].sqrt_(), b))(x.detach().exp()), [(3,)],
    id="view-of-base")
row("tanh_", lambda m, x: (lambda y: (y.tanh_(), y._version))(x * 2), [(2, 3)], id="version")
row("sin_", lambda m, x, y: (x * 1).sin_().mul_(y).addcmul_(x, y, value=0.5).exp_(),
    [(2, 3), (3,)], id="chain")
raises("exp_", lambda m, x: (lambda y: (lambda s: (y.exp_(), s.sum().backward()))(y.sin()))
       (x * 1), [(3,)], id="saved-then-changed")
raises("mul_", lambda m, x: (lambda s: (s.mul_(2), s.sum().backward()))((x * 1).sigmoid()),
       [(3,)], id="saved-output-changed")

# ------------------------------------------------------------------ addcmul, addcdiv
row("addcmul", lambda m, i, a, b: m.addcmul(i, a, b, value=0.5), [(2, 3), (3,), (2, 1)])
row("addcmul", lambda m, i, a, b: i.addcmul(a, b), [(), (), ()], id="0d-method")
row("addcmul", lambda m, i, a, b: m.addcmul(i, a, b, value=2), [ints(1, 2), ints(3, 4),
                                                                ints(5, 6)], id="int")
row("addcmul", lambda m, i, a, b: m.addcmul(i, a, b), [(0, 3), (3,), (0, 1)], id="empty")
row("addcdiv", lambda m, i, a, b: m.addcdiv(i, a, b, value=-2), [(2, 3), (2, 3), pos(3)])
row("addcdiv", lambda m, i, a, b: i.addcdiv(a, b), [(), (3,), pos()], id="0d-method")
raises("addcdiv", lambda m, i, a, b: m.addcdiv(i, a, b), [(3,), ints(1, 2, 3), ints(1, 2, 3)],
       id="int-division", match="integer")
raises("addcmul", lambda m, i, a, b: m.addcmul(i, a, b), [(3,), (2,), (3,)], id="shapes")
row("addcmul_", lambda m, x, a, b: (x * 1).addcmul_(a, b, value=0.1), [(2, 3), (2, 3), (3,)])
row("addcdiv_", lambda m, x, a, b: (x * 1).addcdiv_(a, b, value=-0.1), [(2, 3), (2, 3), pos(3)])
raises("addcmul_", lambda m, x, a, b: (x * 1).addcmul_(a, b), [(3,), (2, 3), (3,)],
       id="broadcast-into-smaller")

# ------------------------------------------------------------------ index_put, put
_R, _C = ints(1, 0, 1), ints(2, 0, 2)
_MASK = np.array([[True, False, True], [False, True, True]])
row("index_put", lambda m, x, v: x.index_put((m.tensor(_R), m.tensor(_C)), v, accumulate=True),
    [(2, 3), (3,)])
row("index_put", lambda m, x, v: m.index_put(x, (m.tensor(ints(1, 0)),), v), [(2, 3), (3,)],
    id="rows-broadcast")
row("index_put", lambda m, x, v: x.index_put((m.tensor(_MASK),), v), [(2, 3), ()], id="mask")
row("index_put", lambda m, x, v: x.index_put((m.tensor(ints(-1)), m.tensor(ints(0, 2))), v),
    [(2, 3), (2,)], id="negative-broadcast-indices")
row("index_put", lambda m, x, v: x.index_put((m.tensor(ints(0, 0)),), v, True),
    [ints(1, 2, 3), ints(5, 6)], id="int-accumulate")
raises("index_put", lambda m, x, v: x.index_put((m.tensor(ints(3)),), v), [(3,), ()],
       id="out-of-range")
raises("index_put", lambda m, x, v: x.index_put((m.tensor(ints(0, 1)),), v), [(3,), (3,)],
       id="values-shape")
raises("index_put", lambda m, x, v: x.index_put((m.tensor(ints(0)),), v.float()),
       [(3,), ()], id="dtype")
row("index_put_", lambda m, x, v: (x * 1).index_put_((m.tensor(_R), m.tensor(_C)), v, True),
    [(2, 3), ()])
row("index_put_", lambda m, x, v: (x * 1).index_put_((m.tensor(_MASK),), v), [(2, 3), (4,)],
    id="mask")
row("put", lambda m, x, s: x.put(m.tensor(ints(5, 0, -3)), s), [(2, 3), (3,)])
row("put", lambda m, x, s: x.put(m.tensor(ints([0, 5], [5, 1])), s, accumulate=True),
    [(2, 3), (2, 2)], id="accumulate")
raises("put", lambda m, x, s: x.put(m.tensor(ints(6)), s), [(2, 3), (1,)], id="out-of-range")
raises("put", lambda m, x, s: x.put(m.tensor(ints(0, 1)), s), [(2, 3), (3,)], id="sizes")
row("put_", lambda m, x, s: (x * 1).put_(m.tensor(ints(1, 4)), s), [(2, 3), (2,)])

# ------------------------------------------------------------------ fill_diagonal_, detach_
row("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(0.5), [(2, 3)])
row("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(2.0, wrap=True), [(7, 2)], id="wrap")
row("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(2.0), [(7, 2)], id="tall")
row("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(-1.0), [(3, 3, 3)], id="cube")
row("fill_diagonal_", lambda m, x: x.fill_diagonal_(7), [np.zeros((2, 2), np.int64)], id="int")
raises("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(0.0), [(3,)], id="1d")
raises("fill_diagonal_", lambda m, x: (x * 1).fill_diagonal_(0.0), [(2, 3, 3)], id="uneven")
row("detach_", lambda m, x: (lambda y: (y.detach_(), y.requires_grad, y.is_leaf))(x * 2),
    [(2, 3)])
raises("detach_", lambda m, x: (x * 2)[0].detach_(), [(2, 3)], id="view")


# ------------------------------------------------------------------ random draws
def seeded(m, n=1):
    m.manual_seed(n)
    return m


def near(value, target, tol):
    return bool(abs(float(value) - target) < tol)


row("bernoulli", lambda m: m.bernoulli(m.tensor([[0.0, 1.0], [1.0, 0.0]])), id="certain")
row("bernoulli", lambda m: m.bernoulli(m.ones(3, dtype=m.float64)).dtype == m.float64,
    id="dtype")
row("bernoulli", lambda m: near(seeded(m).bernoulli(m.full((40000,), 0.3)).mean(), 0.3, 0.02),
    id="frequency")
row("bernoulli", lambda m: seeded(m).zeros(2, 3).bernoulli(0.5).shape, id="p-number")
raises("bernoulli", lambda m: m.bernoulli(m.tensor([0.5, 1.5])), id="p-above-1")
raises("bernoulli", lambda m: m.bernoulli(m.tensor([1, 0])), id="int")
row("bernoulli_", lambda m: m.zeros(4).bernoulli_(1.0), id="certain")
row("bernoulli_", lambda m: m.zeros(3, dtype=m.int64).bernoulli_(0.0), id="int")
row("bernoulli_", lambda m: m.ones(2, 3).bernoulli_(m.tensor([0.0, 1.0, 0.0])),
    id="tensor-p")
row("bernoulli_", lambda m: near(seeded(m).empty(40000).bernoulli_(0.7).mean(), 0.7, 0.02),
    id="frequency")
raises("bernoulli_", lambda m: m.zeros(3).bernoulli_(2.0), id="p-above-1")
row("multinomial", lambda m: m.multinomial(m.tensor([[0.0, 2.0, 0.0], [0.0, 0.0, 5.0]]), 4,
                                           replacement=True), id="certain")
row("multinomial", lambda m: m.multinomial(m.tensor([0.0, 3.0, 0.0, 1.0]), 2).sort().values,
    id="without-replacement-all-nonzero")
row("multinomial", lambda m: m.tensor([1.0, 2.0, 3.0]).multinomial(5, True).shape,
    id="method-shape")
row("multinomial", lambda m: seeded(m).multinomial(m.rand(4, 6), 6).sort(-1).values,
    id="permutations")
row("multinomial", lambda m: (lambda s: [near((s == k).double().mean(), p, 0.02)
                                         for k, p in enumerate((0.1, 0.2, 0.7))])(
    seeded(m).multinomial(m.tensor([1.0, 2.0, 7.0]), 40000, replacement=True)),
    id="frequencies")
row("multinomial", lambda m: (lambda s: near((s[:, 0] == 2).double().mean(), 0.7, 0.02))(
    seeded(m).multinomial(m.tensor([[1.0, 2.0, 7.0]]).expand(20000, 3), 2)),
    id="first-draw-frequency")
raises("multinomial", lambda m: m.multinomial(m.tensor([1.0, 2.0, 3.0]), 4),
       id="more-than-categories", match="without replacement")
row("multinomial", lambda m: m.multinomial(m.tensor([1.0, 0.0, 3.0]), 3).sort().values,
    id="zero-weight-drawn-last")
row("multinomial", lambda m: (lambda s: (s[:, :2].sort(1).values == m.tensor([0, 3])).all())(
    seeded(m).multinomial(m.tensor([[1.0, 0.0, 0.0, 3.0]]).expand(200, 4), 3)),
    id="nonzero-first")
raises("multinomial", lambda m: m.multinomial(m.tensor([1.0, -1.0]), 1, True), id="negative")
raises("multinomial", lambda m: m.multinomial(m.tensor([0.0, 0.0]), 1, True), id="zero-sum")
raises("multinomial", lambda m: m.multinomial(m.ones(2, 2, 2), 1), id="3-d")
raises("multinomial", lambda m: m.multinomial(m.ones(3), 0), id="zero-samples")
row("poisson", lambda m: m.poisson(m.zeros(2, 3)), id="zero-rates")
row("poisson", lambda m: near(seeded(m).poisson(m.full((40000,), 3.0)).mean(), 3.0, 0.08),
    id="mean")
raises("poisson", lambda m: m.poisson(m.tensor([-1.0])), id="negative")
row("random_", lambda m: m.zeros(5).random_(3, 4), id="one-value")
row("random_", lambda m: m.zeros(5, dtype=m.int64).random_(1), id="to")
row("random_", lambda m: (lambda x: (bool(x.min() >= 2), bool(x.max() <= 4), x.dtype == m.int32))(
    seeded(m).zeros(1000, dtype=m.int32).random_(2, 5)), id="bounds")
row("random_", lambda m: (lambda x: bool((x == x.round()).all() and x.min() >= 0))(
    seeded(m).zeros(100).random_()), id="whole")
raises("random_", lambda m: m.zeros(3).random_(5, 2), id="empty-range")
row("exponential_", lambda m: near(seeded(m).empty(40000).exponential_(2.0).mean(), 0.5, 0.03),
    id="mean")
raises("exponential_", lambda m: m.zeros(3).exponential_(0.0), id="rate-0")
raises("exponential_", lambda m: m.zeros(3, dtype=m.int64).exponential_(), id="int")
row("geometric_", lambda m: (lambda x: (bool(x.min() >= 1), near(x.mean(), 4.0, 0.2)))(
    seeded(m).empty(40000).geometric_(0.25)), id="mean")
raises("geometric_", lambda m: m.zeros(3).geometric_(1.0), id="p-1")
row("log_normal_", lambda m: near(seeded(m).empty(40000).log_normal_(0.0, 0.5).log().std(),
                                  0.5, 0.03), id="log-std")
raises("log_normal_", lambda m: m.zeros(3).log_normal_(1.0, 0.0), id="std-0")
row("cauchy_", lambda m: near(seeded(m).empty(40001).cauchy_(1.0, 2.0).median(), 1.0, 0.2),
    id="median")
raises("cauchy_", lambda m: m.zeros(3).cauchy_(0.0, -1.0), id="sigma")
