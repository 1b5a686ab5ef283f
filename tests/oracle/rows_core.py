"""Oracle rows for the core ops: every entry of the ``autograd`` namespace, the Tensor methods
and operators (see oracle.py for the format).

Each row is written the PyTorch way. Where main still means something else, the row carries
``kwargs={"xfail": reason}`` naming the branch that fixes it; ``raises`` rows are inputs
torch refuses, which we must refuse too.
"""
import numpy as np

from oracle import Row

# ------------------------------------------------------------------ helpers for the rows
def pos(*shape, seed=17):
    """Positive floats in [0.5, 2] (for log, sqrt, fractional powers...), the same for every
    call with the same shape and seed, whichever rows file imports this first."""
    return np.random.default_rng(seed).uniform(0.5, 2.0, shape)


def ints(*values, dtype=np.int64):
    return np.array(values, dtype=dtype)


def mine(m):
    """True when a row runs on this library (for ops torch spells otherwise)."""
    return m._core.__name__ == "autograd"


XF = "xfail"


def gap(reason):
    """A difference from torch on main that issue 17 (another branch) fixes."""
    return {XF: "issue 17, not on main yet: " + reason}


RAISES = {"raises": True}
ROWS = []


def row(op, fn, inputs=(), id="", **settings):
    grad = settings.pop("grad", True)
    tol = settings.pop("tol", None)
    tols = {} if tol is None else {"rtol": tol, "atol": tol}
    ROWS.append(Row(op, fn, tuple(inputs), id=id, grad=grad, kwargs=settings, **tols))


def raises(op, fn, inputs, id, **settings):
    """A row torch refuses; ``raises="regex"`` also checks our message."""
    settings.setdefault("raises", True)
    row(op, fn, inputs, id=id, **settings)


# ------------------------------------------------------------------ elementwise, one input
UNARY = {  # op -> (function form, the values it is defined on)
    "neg": None, "abs": None, "exp": None, "expm1": None, "square": None, "sin": None,
    "cos": None, "tanh": None, "erf": None, "sigmoid": None, "relu": None,
    "log": pos, "log1p": pos, "sqrt": pos, "rsqrt": pos, "reciprocal": pos,
}
for name, domain in UNARY.items():
    def inputs(*shape, domain=domain):
        return [shape] if domain is None else [domain(*shape)]

    row(name, lambda m, x, name=name: getattr(m, name)(x), inputs(2, 3))
    row(name, lambda m, x, name=name: getattr(m, name)(x), inputs(), id="0d")
    row(name, lambda m, x, name=name: getattr(m, name)(x), inputs(0, 3), id="empty")
    row(name, lambda m, x, name=name: getattr(x, name)(), inputs(1, 4), id="method")
row("neg", lambda m, x: -x, [(3,)], id="operator")
row("neg", lambda m, x: -x, [ints(1, -2, 3)], id="int")
row("abs", lambda m, x: abs(x), [(3,)], id="operator")
row("abs", lambda m, x: x.abs(), [ints(-1, 0, 2)], id="int")
row("abs", lambda m, x: m.absolute(x), [(3,)], id="absolute")
row("relu", lambda m, x: x.relu(), [ints(-1, 0, 2)], id="int")
# an int or bool tensor through a float op gives the default float dtype (float32)
for name in UNARY:
    if name not in ("neg", "abs", "square", "relu"):  # these keep integers
        row(name, lambda m, x, name=name: getattr(m, name)(x), [ints(1, 2, 3)], id="int",
            tol=1e-6)
row("exp", lambda m, x: x.exp(), [np.array([True, False])], id="bool", tol=1e-6)
row("sigmoid", lambda m, x: x.sigmoid(), [np.array([-800.0, 0.0, 800.0])], id="extremes")
row("sign", lambda m, x: m.sign(x), [np.array([-2.0, 0.0, 3.0])])
row("sign", lambda m, x: x.sign(), [ints(-2, 0, 3)], id="int")
row("sign", lambda m, x: x.detach().sign(), [(2, 3)], id="detached")

# ------------------------------------------------------------------ elementwise, two inputs
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "logaddexp"]
for name in BINARY:
    f = (lambda m, x, y, name=name: getattr(m, name)(x, y))
    row(name, f, [(2, 3), (3,)], id="broadcast")
    row(name, f, [(2, 1), (1, 3)], id="outer-broadcast")
    row(name, f, [(), (2, 3)], id="0d")
    row(name, f, [(0, 3), (3,)], id="empty")
    row(name, lambda m, x, y, name=name: getattr(x, name)(y), [(4,), (4,)], id="method")
row("add", lambda m, x: x + 2, [(3,)], id="scalar")
row("add", lambda m, x: 2.5 + x, [(3,)], id="reflected")
row("add", lambda m, x, y: x + y, [ints(1, 2), ints(3, 4)], id="int")
row("add", lambda m, x, y: x + y, [ints(1, 2), (2,)], id="int-float")
row("add", lambda m, x: x + 1.5, [ints(1, 2)], id="int-pyfloat")
row("add", lambda m, x, y: x + y, [np.array([True, False]), np.array([True, True])], id="bool")
row("add", lambda m, x, y: x + y, [(1, 3), (2, 1)], id="operator")
row("sub", lambda m, x: 1 - x, [(3,)], id="reflected")
row("sub", lambda m, x, y: x - y, [(2, 3), (2, 3)], id="operator")
row("sub", lambda m, x, y: m.subtract(x, y), [(3,), ()], id="subtract")
row("sub", lambda m, x, y: x - y, [ints(5, 2), ints(3, 4)], id="int")
row("mul", lambda m, x: 3 * x, [(3,)], id="reflected")
row("mul", lambda m, x, y: x * y, [(2, 3), (2, 1)], id="operator")
row("mul", lambda m, x, y: m.multiply(x, y), [(3,), (3,)], id="multiply")
row("mul", lambda m, x, y: x * y, [ints(2, 3), np.array([True, False])], id="int-bool")
row("div", lambda m, x: 1 / x, [pos(3)], id="reflected")
row("div", lambda m, x, y: x / y, [(2, 3), pos(3)], id="operator")
row("div", lambda m, x, y: m.divide(x, y), [(3,), pos(3)], id="divide")
row("div", lambda m, x, y: m.true_divide(x, y), [(3,), pos(3)], id="true_divide")
row("div", lambda m, x, y: x / y, [ints(1, 2, 7), ints(2, 2, 2)], id="int")  # true division
row("maximum", lambda m, x, y: m.maximum(x, y), [ints(1, 5), ints(3, 2)], id="int")
row("maximum", lambda m, x, y: m.maximum(x, y), [np.array([1.0, 2.0]), np.array([1.0, 3.0])],
    id="ties")
row("minimum", lambda m, x, y: m.minimum(x, y), [np.array([1.0, 2.0]), np.array([1.0, 3.0])],
    id="ties")
row("logaddexp", lambda m, x, y: m.logaddexp(x, y),
    [np.array([-800.0, 0.0, 800.0]), np.array([-800.0, 1.0, 0.0])], id="extremes",
    gradgrad=False)  # torch's second derivative at (800, 0) is nan, ours 0
row("logaddexp", lambda m, x, y: m.logaddexp(x, y),
    [np.array([np.inf, -np.inf, 0.0, 2.0]), np.array([0.0, 1.0, np.inf, -np.inf])],
    id="infinite", gradgrad=False)  # the gradient at +inf is 1 (torch's second: nan)
POW = [
    ("broadcast", lambda m, x, y: m.pow(x, y), [pos(2, 3), (3,)]),
    ("0d", lambda m, x, y: m.pow(x, y), [pos(), (2,)]),
    ("empty", lambda m, x, y: x ** y, [pos(0, 2), (2,)]),
    ("int-exponent", lambda m, x: x ** 2, [(2, 3)]),
    ("neg-base-int-exponent", lambda m, x: x ** 3, [np.array([-2.0, -0.5, 1.0])]),
    ("reflected", lambda m, x: 2 ** x, [(3,)]),
    ("method", lambda m, x, y: x.pow(y), [pos(3), (3,)]),
    ("power", lambda m, x, y: m.power(x, y) if mine(m) else m.pow(x, y), [pos(3), (3,)]),
    ("int", lambda m, x: x ** 2, [ints(1, -2, 3)]),
    ("sqrt", lambda m, x: x ** 0.5, [pos(4)]),
]
for id_, f, args in POW:
    row("power", f, args, id=id_)

COMPARE = {"less": ("lt", "__lt__"), "less_equal": ("le", "__le__"),
           "greater": ("gt", "__gt__"), "greater_equal": ("ge", "__ge__"),
           "equal": ("eq", "__eq__"), "not_equal": ("ne", "__ne__")}
_half = np.array([[0.5, -0.5, 0.0], [1.0, 0.5, -1.0]])
for name, (short, dunder) in COMPARE.items():
    row(name, lambda m, x, y, short=short: getattr(m, short)(x, y), [_half, _half[0]],
        id="broadcast")
    row(name, lambda m, x, dunder=dunder: getattr(x, dunder)(0.5), [_half], id="operator-scalar")
    row(name, lambda m, x, y, short=short: getattr(x, short)(y), [ints(1, 2, 3), ints(2, 2, 2)],
        id="int")
    row(name, lambda m, x, y, short=short: getattr(m, short)(x, y), [(), (0,)], id="0d-empty")
    if name not in ("equal",):  # torch.equal is one bool (its own row below)
        row(name, lambda m, x, y, name=name: getattr(m, name)(x, y), [_half, _half[1]],
            id="long-name")
row("equal", lambda m, x, y: x == y, [_half, _half[:1]], id="operator")
row("equal", lambda m, x, y: m.equal(x, y), [_half, _half])

_special = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
for name in ("isnan", "isinf", "isfinite"):
    row(name, lambda m, x, name=name: getattr(m, name)(x), [_special])
    row(name, lambda m, x, name=name: getattr(x, name)(), [ints(1, 2)], id="int")
    row(name, lambda m, x, name=name: getattr(m, name)(x), [()], id="0d")

# clamp / clip
row("clip", lambda m, x: m.clamp(x, -0.5, 0.5), [(2, 3)])
row("clip", lambda m, x: x.clamp(min=0.0), [(2, 3)], id="min-only")
row("clip", lambda m, x: x.clamp(max=0.25), [(2, 3)], id="max-only")
row("clip", lambda m, x: m.clip(x, -0.5, 0.5), [(4,)], id="clip")
row("clip", lambda m, x: x.clip(-0.5, 0.5), [()], id="0d")
row("clip", lambda m, x: x.clamp(0, 1), [ints(-1, 0, 2)], id="int")
row("clip", lambda m, x: x.clamp(0.5, 0.5), [np.array([0.5, 1.0, 0.25])], id="ties")
raises("clip", lambda m, x: m.clamp(x), [(3,)], id="no-bounds")
raises("clamp_", lambda m, x: (x * 1).clamp_(), [(3,)], id="no-bounds")

# where
_cond = np.array([[True, False, True], [False, False, True]])
row("where", lambda m, c, x, y: m.where(c, x, y), [_cond, (2, 3), (3,)])
row("where", lambda m, c, x: m.where(c, x, 0.0), [_cond, (2, 3)], id="scalar")
row("where", lambda m, c, x, y: m.where(c, x, y), [_cond[:, :1], (1, 3), ()], id="broadcast")
row("where", lambda m, x: m.where(x > 0, x, -x), [(0, 2)], id="empty")
row("where", lambda m, c, x, y: m.where(c, x, y), [_cond[0], ints(1, 2, 3), ints(4, 5, 6)],
    id="int")
row("where", lambda m, c: m.where(c, 4, 2), [_cond], id="python-numbers")
row("where", lambda m, c: m.where(c), [_cond], id="one-argument")

# ------------------------------------------------------------------ reductions
_red = [(2, 3, 4)]
row("sum", lambda m, x: x.sum(), _red, id="all")
row("sum", lambda m, x: x.sum(dim=(0, -1), keepdim=True), _red, id="dims")
row("sum", lambda m, x: x.sum(1), _red, id="positional")
row("sum", lambda m, x: m.sum(x, -1), _red, id="function-negative")
row("sum", lambda m, x: x.sum(), [()], id="0d")
row("sum", lambda m, x: x.sum(0), [()], id="0d-dim0")
row("sum", lambda m, x: x.sum(-1), [()], id="0d-dim-1")
row("sum", lambda m, x: x.sum(0), [(0, 3)], id="empty")
row("sum", lambda m, x: x.sum(), [ints(1, 2, 3)], id="int")
row("sum", lambda m, x: x.sum(), [np.array([True, True, False])], id="bool")
row("sum", lambda m, x: x.sum(dim=[0, 1]), _red, id="dim-list")
row("sum", lambda m, x: x.sum(dtype=m.float32), [(3,)], id="dtype")
raises("sum", lambda m, x: x.sum(3), [(2, 3)], id="bad-dim")
row("prod", lambda m, x: x.prod(), [(2, 3)], id="all")
row("prod", lambda m, x: x.prod(1, keepdim=True), [(2, 3)], id="dim")
row("prod", lambda m, x: m.prod(x, -1), [(2, 3)], id="negative")
row("prod", lambda m, x: x.prod(0), [np.array([[0.0, 2.0], [3.0, 0.0], [1.5, 0.5]])],
    id="zeros")
row("prod", lambda m, x: x.prod(0), [()], id="0d-dim0")
row("prod", lambda m, x: x.prod(), [(0,)], id="empty")
row("prod", lambda m, x: x.prod(), [ints(2, 3)], id="int")
row("mean", lambda m, x: x.mean(), _red, id="all")
row("mean", lambda m, x: x.mean(dim=(0, 2)), _red, id="dims")
row("mean", lambda m, x: m.mean(x, -1, keepdim=True), _red, id="negative")
row("mean", lambda m, x: x.mean(0), [()], id="0d-dim0")
row("mean", lambda m, x: x.mean(0), [(0, 2)], id="empty")  # nan, as torch
raises("mean", lambda m, x: x.mean(), [ints(1, 2)], id="int", raises="float")
raises("mean", lambda m, x: x.mean(), [np.array([True])], id="bool")
row("mean", lambda m, x: x.mean(dtype=m.float64), [ints(1, 2)], id="int-dtype")
raises("var", lambda m, x: x.var(), [ints(1, 2)], id="int")
raises("std", lambda m, x: x.std(0), [ints(1, 2)], id="int")
row("logsumexp", lambda m, x: x.logsumexp(1), _red)
row("logsumexp", lambda m, x: m.logsumexp(x, dim=(0, -1), keepdim=True), _red, id="dims")
row("logsumexp", lambda m, x: m.logsumexp(x, 0), [np.array([800.0, 799.0])], id="large")
row("logsumexp", lambda m, x: x.logsumexp(0), [()], id="0d-dim0")
row("logsumexp", lambda m, x: x.logsumexp(0), [np.array([-np.inf, -np.inf])], id="all-inf",
    grad=False)
for name in ("max", "min"):
    row(name, lambda m, x, name=name: getattr(x, name)(), _red, id="all")
    row(name, lambda m, x, name=name: getattr(x, name)(dim=1), _red, id="dim")
    row(name, lambda m, x, name=name: getattr(m, name)(x, dim=-1, keepdim=True), _red,
        id="negative")
    row(name, lambda m, x, name=name: getattr(x, name)(1), _red, id="positional")
    row(name, lambda m, x, name=name: getattr(x, name)(dim=0).values, [()], id="0d-dim0")
    _ties = np.array([[1.0, 3.0], [1.0, 2.0], [2.0, 3.0]])  # the gradient: returned index
    row(name, lambda m, x, name=name: getattr(x, name)(dim=0), [_ties], id="ties")
    row(name, lambda m, x, name=name: getattr(x, name)(1, keepdim=True), [_ties.T],
        id="ties-keepdim")
    row(name, lambda m, x, name=name: getattr(x, name)(), [_ties], id="ties-all")  # shared
    row(name, lambda m, x, name=name: getattr(m, "a" + name)(x, 0), [_ties], id="ties-a" + name)
    row(name, lambda m, x, y, name=name: getattr(m, name)(x, y), [(2, 3), (3,)], id="binary")
    row(name, lambda m, x, name=name: getattr(x, name)(), [ints(3, 1, 2)], id="int")
    raises(name, lambda m, x, name=name: getattr(x, name)(), [(0,)], id="empty")
    row(name, lambda m, x, name=name: getattr(m, "a" + name)(x, dim=1), _red, id="a" + name)
    row(name, lambda m, x, name=name: getattr(m, "a" + name)(x, (0, 2)), _red,
        id=f"a{name}-dims")
for name in ("argmax", "argmin"):
    row(name, lambda m, x, name=name: getattr(x, name)(), _red, id="all")
    row(name, lambda m, x, name=name: getattr(x, name)(dim=1), _red, id="dim")
    row(name, lambda m, x, name=name: getattr(m, name)(x, -1, keepdim=True), _red,
        id="negative")
    row(name, lambda m, x, name=name: getattr(x, name)(0), [ints(1, 3, 3, 0)], id="int-ties")
    row(name, lambda m, x, name=name: getattr(x, name)(), [()], id="0d")
for name in ("all", "any"):
    _b = np.array([[True, False, True], [True, True, True]])
    row(name, lambda m, x, name=name: getattr(x, name)(), [_b], id="all")
    row(name, lambda m, x, name=name: getattr(x, name)(dim=1), [_b], id="dim")
    row(name, lambda m, x, name=name: getattr(m, name)(x, -1, keepdim=True), [_b],
        id="negative")
    row(name, lambda m, x, name=name: getattr(x, name)(), [np.zeros(0, bool)], id="empty")
    row(name, lambda m, x, name=name: getattr(x, name)(), [ints(0, 2)], id="int")
for name in ("var", "std"):
    row(name, lambda m, x, name=name: getattr(x, name)(dim=1, correction=0), _red,
        id="correction0")
    row(name, lambda m, x, name=name: getattr(x, name)(dim=(0, 2), unbiased=False), _red,
        id="biased")
    row(name, lambda m, x, name=name: getattr(m, name)(x, -1, correction=1, keepdim=True), _red,
        id="correction1")
    row(name, lambda m, x, name=name: getattr(x, name)(), _red, id="all")
    row(name, lambda m, x, name=name: getattr(x, name)(0), _red, id="positional")
    # correction >= n divides by max(0, n - correction), as torch: inf or nan. The gradient
    # is nan here (torch's: its formula with the negative n - correction; see porting.md)
    row(name, lambda m, x, name=name: getattr(x, name)(dim=1, correction=5), [(2, 3)],
        id="correction-beyond-n", grad=False)
row("norm", lambda m, x: x.norm(), [(2, 3)], id="all")
row("norm", lambda m, x: x.norm(dim=1), [(2, 3)], id="dim")
row("norm", lambda m, x: m.norm(x, p=1, dim=-1, keepdim=True), [(2, 3)], id="p1")
row("norm", lambda m, x: x.norm(p=3), [(4,)], id="p3")
row("norm", lambda m, x: x.norm(p=float("inf")), [(4,)], id="inf")
row("norm", lambda m, x: x.norm(), [()], id="0d")
row("norm", lambda m, x: x.norm(), [np.array([1e200])], id="huge")
# values only: torch's gradient is nan there (its own overflow), ours -1 (tests/autograd)
row("norm", lambda m, x: x.norm(p=3), [np.array([-1e200])], id="huge-p3", grad=False)
row("norm", lambda m, x: x.norm(dim=1), [np.array([[1e-200], [3.0]])], id="tiny-dim")
row("norm", lambda m, x: x.norm(p=3), [np.zeros(3)], id="zero-p3")
row("norm", lambda m, x: x.norm(), [np.zeros(3)], id="zero-p2")
row("norm", lambda m, x: x.norm(p=3, dim=0), [np.array([[0.0, 1.0], [0.0, -2.0]])],
    id="zero-column-p3")

# cumsum, softmax
row("cumsum", lambda m, x: x.cumsum(1), [(2, 3)])
row("cumsum", lambda m, x: m.cumsum(x, dim=-1), [(2, 3)], id="negative")
row("cumsum", lambda m, x: x.cumsum(0), [()], id="0d")
row("cumsum", lambda m, x: x.cumsum(0), [(0, 2)], id="empty")
row("cumsum", lambda m, x: x.cumsum(0), [ints(1, 2, 3)], id="int")
for name in ("softmax", "log_softmax"):
    row(name, lambda m, x, name=name: getattr(m, name)(x, dim=1), _red)
    row(name, lambda m, x, name=name: getattr(x, name)(-1), _red, id="method")
    row(name, lambda m, x, name=name: getattr(x, name)(0), [()], id="0d")
    row(name, lambda m, x, name=name: getattr(x, name)(1), [(0, 3)], id="empty")
    row(name, lambda m, x, name=name: getattr(x, name)(0), [np.array([800.0, 0.0, -800.0])],
        id="extremes")

# ------------------------------------------------------------------ linear algebra
row("matmul", lambda m, x, y: x @ y, [(2, 3), (3, 4)])
row("matmul", lambda m, x, y: x @ y, [(3,), (3,)], id="vec-vec")
row("matmul", lambda m, x, y: m.matmul(x, y), [(2, 3), (3,)], id="mat-vec")
row("matmul", lambda m, x, y: x.matmul(y), [(3,), (3, 4)], id="vec-mat")
row("matmul", lambda m, x, y: x @ y, [(2, 1, 2, 3), (3, 3, 2)], id="batch-broadcast")
row("matmul", lambda m, x, y: x @ y, [(0, 3), (3, 2)], id="empty")
row("matmul", lambda m, x, y: x @ y, [ints(1, 2), ints(3, 4)], id="int")
row("matmul", lambda m, x, y: m.mm(x, y), [(2, 3), (3, 4)], id="mm")
row("matmul", lambda m, x, y: m.bmm(x, y), [(2, 2, 3), (2, 3, 4)], id="bmm")
row("matmul", lambda m, x, y: x.__rmatmul__(y), [(3, 4), (2, 3)], id="reflected")
raises("matmul", lambda m, x, y: x @ y, [(2, 3), (2, 3)], id="mismatch")
raises("matmul", lambda m, x, y: x @ y, [(), (3,)], id="0d")
raises("matmul", lambda m, x, y: m.mm(x, y), [(3,), (3, 4)], id="mm-vector")
row("dot", lambda m, x, y: m.dot(x, y), [(3,), (3,)])
row("dot", lambda m, x, y: x.dot(y), [(0,), (0,)], id="empty")
row("dot", lambda m, x, y: x.dot(y), [ints(1, 2), ints(3, 4)], id="int")
raises("dot", lambda m, x, y: m.dot(x, y), [(2, 3), (3,)], id="matrix", raises="1-D")
raises("dot", lambda m, x, y: x.dot(y), [(3,), (4,)], id="lengths")
raises("dot", lambda m, x, y: m.dot(x, y), [(), (3,)], id="0d")
row("outer", lambda m, x, y: m.outer(x, y), [(3,), (2,)])
row("outer", lambda m, x, y: x.outer(y), [(0,), (2,)], id="empty")
row("outer", lambda m, x, y: x.outer(y), [ints(1, 2), ints(3, 4)], id="int")
row("diag", lambda m, x: m.diag(x), [(3,)], id="vector")
row("diag", lambda m, x: x.diag(), [(3, 4)], id="matrix")
row("diag", lambda m, x: m.diag(x, 1), [(3,)], id="offset")
row("diag", lambda m, x: x.diag(diagonal=-1), [(3, 4)], id="matrix-negative")
row("diag", lambda m, x: x.diag(), [ints(1, 2)], id="int")
for name in ("tril", "triu"):
    row(name, lambda m, x, name=name: getattr(m, name)(x), [(3, 4)])
    row(name, lambda m, x, name=name: getattr(x, name)(1), [(2, 3, 3)], id="batch-offset")
    row(name, lambda m, x, name=name: getattr(x, name)(diagonal=-1), [(4, 3)], id="negative")
    row(name, lambda m, x, name=name: getattr(x, name)(), [ints(1, 2, 3, 4).reshape(2, 2)],
        id="int")

# ------------------------------------------------------------------ shapes
row("reshape", lambda m, x: x.reshape(3, -1), [(2, 3)])
row("reshape", lambda m, x: m.reshape(x, (6,)), [(2, 3)], id="tuple")
row("reshape", lambda m, x: x.reshape(()), [(1, 1)], id="to-0d")
row("reshape", lambda m, x: x.reshape(1, 1), [()], id="from-0d")
row("reshape", lambda m, x: x.reshape(0, 5), [(5, 0)], id="empty")
row("reshape", lambda m, x: x.view(-1), [(2, 3)], id="view")
row("reshape", lambda m, x: x.view(2, 1, 3), [ints(1, 2, 3, 4, 5, 6)], id="view-int")
row("reshape", lambda m, x: m.view(x, 3, 2) if mine(m) else x.view(3, 2), [(6,)],
    id="view-function")
raises("reshape", lambda m, x: x.reshape(4, -1), [(2, 3)], id="bad-size")
raises("reshape", lambda m, x: x.view(-1, -1), [(2, 3)], id="two-minus-ones")
row("transpose", lambda m, x: x.transpose(0, 1), [(2, 3)])
row("transpose", lambda m, x: x.transpose(0, 2), [(2, 3, 4)], id="3d")
row("transpose", lambda m, x: m.transpose(x, -1, -2), [(2, 3, 4)], id="negative")
row("transpose", lambda m, x: x.T, [(2, 3)], id="T")
row("permute", lambda m, x: x.permute(2, 0, 1), [(2, 3, 4)])
row("permute", lambda m, x: m.permute(x, (-1, 0, 1)), [(2, 3, 4)], id="tuple-negative")
row("permute", lambda m, x: x.permute(1, 0), [ints(1, 2).reshape(1, 2)], id="int")
row("swapaxes", lambda m, x: m.swapaxes(x, 0, -1), [(2, 3, 4)])
row("swapaxes", lambda m, x: x.swapaxes(1, 1), [(2, 3)], id="same")
row("t", lambda m, x: x.t(), [(2, 3)])
row("t", lambda m, x: m.t(x), [(3,)], id="vector")
row("t", lambda m, x: x.t(), [()], id="0d")
raises("t", lambda m, x: x.t(), [(2, 3, 4)], id="3d")
row("expand_dims", lambda m, x: m.expand_dims(x, -1) if mine(m) else x.unsqueeze(-1),
    [(2, 3)])
row("unsqueeze", lambda m, x: x.unsqueeze(0), [(2, 3)])
row("unsqueeze", lambda m, x: m.unsqueeze(x, -1), [(2, 3)], id="negative")
row("unsqueeze", lambda m, x: x.unsqueeze(0), [()], id="0d")
raises("unsqueeze", lambda m, x: x.unsqueeze(4), [(2, 3)], id="bad-dim")
row("squeeze", lambda m, x: x.squeeze(), [(1, 3, 1)])
row("squeeze", lambda m, x: x.squeeze(0), [(1, 3, 1)], id="dim")
row("squeeze", lambda m, x: m.squeeze(x, -1), [(1, 3, 1)], id="negative")
row("squeeze", lambda m, x: x.squeeze((0, 2)), [(1, 3, 1)], id="dims")
row("squeeze", lambda m, x: x.squeeze(), [()], id="0d")
row("squeeze", lambda m, x: x.squeeze(0), [()], id="0d-dim0")
row("squeeze", lambda m, x: x.squeeze(1), [(1, 3, 1)], id="not-size-1")
row("flatten", lambda m, x: x.flatten(), [(2, 3, 4)])
row("flatten", lambda m, x: m.flatten(x, 1), [(2, 3, 4)], id="start")
row("flatten", lambda m, x: x.flatten(0, -2), [(2, 3, 4)], id="end")
row("flatten", lambda m, x: x.flatten(), [()], id="0d")
row("flatten", lambda m, x: x.flatten(1), [(2, 0, 3)], id="empty")
row("expand", lambda m, x: x.expand(2, 3), [(1, 3)])
row("expand", lambda m, x: x.expand(4, -1, 3), [(2, 1)], id="new-dims")
row("expand", lambda m, x: x.expand(3), [()], id="0d")
row("expand", lambda m, x: m.broadcast_to(x, (2, 3)) if mine(m) else x.expand((2, 3)),
    [(3,)], id="tuple")
raises("expand", lambda m, x: x.expand(3, 3), [(2, 3)], id="bad")
row("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 2, 3)), [(2, 1)])
row("broadcast_to", lambda m, x: m.broadcast_to(x, (0, 3)), [(3,)], id="empty")
row("broadcast_to", lambda m, x: m.broadcast_to(x, (4,)), [()], id="0d")
raises("broadcast_to", lambda m, x: m.broadcast_to(x, (3,)), [(2,)], id="bad")
row("sum_to", lambda m, x: m.sum_to(x, (1, 3)) if mine(m) else x.sum(0, keepdim=True),
    [(2, 3)])
row("sum_to", lambda m, x: m.sum_to(x, (3,)) if mine(m) else x.sum((0, 1)), [(4, 2, 3)],
    id="leading")
row("sum_to", lambda m, x: m.sum_to(x, ()) if mine(m) else x.sum(), [(2, 3)], id="0d")
row("repeat", lambda m, x: x.repeat(2, 1), [(2, 3)])
row("repeat", lambda m, x: x.repeat(2, 1, 3), [(2, 3)], id="new-dims")
row("repeat", lambda m, x: m.repeat(x, 3) if mine(m) else x.repeat(3), [()], id="0d")
row("repeat", lambda m, x: x.repeat(0, 1), [(2, 3)], id="zero")
row("split", lambda m, x: x.split([1, 2], dim=1), [(2, 3)], id="sizes")
row("split", lambda m, x: x.split(2), [(5, 2)], id="size")
row("split", lambda m, x: m.split(x, 1, dim=-1), [(2, 3)], id="size-negative")
row("split", lambda m, x: x.split(2, 1), [(2, 4)], id="size-even")
row("split", lambda m, x: x.split(3), [(6, 2)], id="size-3")
row("chunk", lambda m, x: x.chunk(3), [(6, 2)])
row("chunk", lambda m, x: m.chunk(x, 2, dim=-1), [(2, 5)], id="uneven")
row("chunk", lambda m, x: x.chunk(4), [(3,)], id="more-than-size")
row("unbind", lambda m, x: x.unbind(), [(2, 3)])
row("unbind", lambda m, x: m.unbind(x, dim=-1), [(2, 3)], id="negative")
row("unbind", lambda m, x: x.unbind(1), [(2, 0)], id="empty")
row("flip", lambda m, x: x.flip(0), [(2, 3)])
row("flip", lambda m, x: m.flip(x, (0, -1)), [(2, 3, 2)], id="dims")
row("flip", lambda m, x: x.flip([1]), [ints(1, 2, 3).reshape(1, 3)], id="int")
for name in ("concatenate", "stack"):
    f = (lambda m, *xs, name=name: getattr(m, "cat" if name == "concatenate" else name)(xs))
    row(name, f, [(2, 3), (2, 3)])
    row(name, lambda m, x, y, name=name: getattr(m, "cat" if name == "concatenate" else name)(
        [x, y], dim=-1), [(2, 3), (2, 3)], id="negative")
    row(name, lambda m, x, name=name: getattr(m, "cat" if name == "concatenate" else name)(
        [x]), [(2,)], id="one")
    row(name, f, [ints(1, 2), ints(3, 4)], id="int")
row("concatenate", lambda m, x, y: m.cat([x, y], 1), [(2, 1), (2, 3)], id="sizes")
row("concatenate", lambda m, x, y: m.cat((x, y)), [(0, 3), (2, 3)], id="empty")
row("concatenate", lambda m, x, y: m.concatenate((x, y)), [(1, 3), (2, 3)], id="long-name")
raises("concatenate", lambda m, x, y: m.cat([x, y]), [(2, 3), (2, 4)], id="mismatch")
raises("concatenate", lambda m, x, y: m.cat([x, y]), [(), ()], id="0d")
row("stack", lambda m, x, y: m.stack([x, y]), [(), ()], id="0d")
raises("stack", lambda m, x, y: m.stack([x, y]), [(2,), (3,)], id="mismatch")
row("pad", lambda m, x: m.pad(x, ((1, 2), (0, 1))) if mine(m) else m.F.pad(x, (0, 1, 1, 2)),
    [(2, 3)])
row("pad", lambda m, x: m.pad(x, ((0, 0), (2, 0)), constant_values=1.5) if mine(m)
    else m.F.pad(x, (2, 0), value=1.5), [(2, 3)], id="value")
row("clone", lambda m, x: x.clone(), [(2, 3)])
row("clone", lambda m, x: m.clone(x), [()], id="0d")
row("clone", lambda m, x: x.clone(), [ints(1, 2)], id="int")
row("view_as", lambda m, x, y: x.view_as(y), [(2, 3), (3, 2)])
row("view_as", lambda m, x, y: m.view_as(x, y) if mine(m) else x.view_as(y), [(1,), ()],
    id="0d")
row("astype", lambda m, x: x.astype(m.float32) if mine(m) else x.to(m.float32), [(2, 3)],
    tol=1e-6)
row("astype", lambda m, x: x.to(m.int64), [(2, 3)], id="to-int")
row("astype", lambda m, x: x.float(), [ints(1, 2)], id="float")
row("astype", lambda m, x: x.double(), [(2,)], id="double")
row("astype", lambda m, x: x.long(), [np.array([-1.5, 0.5, 2.7])], id="long")
row("astype", lambda m, x: x.bool(), [np.array([-1.5, 0.0, 2.7])], id="bool")
row("astype", lambda m, x: x.int() * 2, [(3,)], id="int-then-op")
row("astype", lambda m, x: x.to(m.float32).to(m.float64), [(3,)], id="round-trip", tol=1e-6)
row("is_tensor", lambda m, x: (m.is_tensor(x), m.is_tensor(1.0)), [(2,)])
row("numel", lambda m, x: (m.numel(x), x.numel()), [(2, 3)])
row("numel", lambda m, x: m.numel(x), [()], id="0d")

# ------------------------------------------------------------------ indexing
row("getitem", lambda m, x: x[1], [(3, 4)], id="int")
row("getitem", lambda m, x: x[-1, 1:3], [(3, 4)], id="slice")
row("getitem", lambda m, x: x[::2, None, ...], [(3, 4)], id="step-none-ellipsis")
row("getitem", lambda m, x: x[m.tensor(np.array([0, 2, 0]))], [(3, 4)], id="repeated")
row("getitem", lambda m, x: x[:, [1, 1, 3]], [(3, 4)], id="list")
row("getitem", lambda m, x, i: x[i], [(3, 4), ints(2, -1)], id="tensor-index")
row("getitem", lambda m, x: x[x > 0], [(3, 4)], id="mask")
row("getitem", lambda m, x, b: x[b], [(3,), np.array([True, False, True])], id="bool-index")
row("getitem", lambda m, x: x[...], [()], id="0d")
row("getitem", lambda m, x: x[1:1], [(3,)], id="empty")
row("getitem", lambda m, x: x[[0, 1], [1, 2]], [(3, 4)], id="advanced-pair")
row("getitem", lambda m, x: x[1], [ints(5, 6, 7)], id="int-tensor")
raises("getitem", lambda m, x: x[3], [(3, 4)], id="out-of-range")
raises("getitem", lambda m, x: x[0, 0, 0], [(3, 4)], id="too-many")
row("gather", lambda m, x: x.gather(1, m.tensor(np.array([[0, 0], [2, 1]]))), [(2, 3)])
row("gather", lambda m, x, i: m.gather(x, -1, i), [(2, 3), np.array([[2], [0]])],
    id="negative")
row("gather", lambda m, x, i: x.gather(0, i), [(3,), np.zeros(0, np.int64)], id="empty")
raises("gather", lambda m, x, i: x.gather(1, i), [(2, 3), np.array([[3]])], id="out-of-range")
raises("gather", lambda m, x, i: x.gather(1, i), [(2, 3), np.array([0, 1])], id="bad-rank",
       raises="as many dimensions")
raises("gather", lambda m, x, i: x.gather(0, i), [(3,), np.array([[0]])], id="bad-rank-up")
row("masked_fill", lambda m, x, b: x.masked_fill(b, 0.5), [(2, 3), _cond])
row("masked_fill", lambda m, x, b: m.masked_fill(x, b, -1.0), [(2, 3), _cond[0]],
    id="broadcast")
row("masked_fill", lambda m, x: x.masked_fill(x > 0, float("-inf")), [(2, 3)], id="neg-inf")
row("masked_fill", lambda m, x, b: x.masked_fill(b, 7), [ints(1, 2, 3), _cond[0]], id="int")
raises("masked_fill", lambda m, x, b: x.masked_fill(b, 0.0), [(2, 3), ints(1, 0, 1)],
       id="int-mask", raises="boolean")
raises("masked_fill_", lambda m, x, b: (x * 1).masked_fill_(b, 0.0), [(3,), ints(1, 0, 1)],
       id="int-mask")

# ------------------------------------------------------------------ in place (on non-leaves)
for name, other in (("add_", (2, 3)), ("sub_", (3,)), ("mul_", ()), ("div_", pos(3))):
    row(name, lambda m, x, y, name=name: getattr(x * 1, name)(y), [(2, 3), other])
    dunder = {"add_": "__iadd__", "sub_": "__isub__", "mul_": "__imul__",
              "div_": "__itruediv__"}[name]
    row(name, lambda m, x, y, dunder=dunder: getattr(x * 1, dunder)(y), [(2, 3), other],
        id="operator")
    raises(name, lambda m, x, y, name=name: getattr(x, name)(y), [(2, 3), other],
           id="leaf")
    raises(name, lambda m, x, y, name=name: getattr(x * 1, name)(y), [(3,), (2, 3)],
           id="broadcast-into-smaller")
row("add_", lambda m, x, y: (x * 1).add_(y, alpha=2), [(2, 3), (3,)], id="alpha")
row("sub_", lambda m, x, y: (x * 1).sub_(y, alpha=0.5), [(2, 3), (3,)], id="alpha")
row("add_", lambda m, x: x.add_(1), [ints(1, 2)], id="int")
row("add_", lambda m, x: x.detach().add_(1.5), [(3,)], id="detached")
row("pow_", lambda m, x: (x * 1).pow_(2), [(2, 3)])
row("pow_", lambda m, x, y: (x * 1).__ipow__(y), [pos(3), (3,)], id="operator")
raises("matmul_", lambda m, x, y: x.__imatmul__(y), [(2, 2), (2, 2)], id="leaf")
row("clamp_", lambda m, x: (x * 1).clamp_(-0.5, 0.5), [(2, 3)])
row("clamp_", lambda m, x: (x * 1).clamp_(min=0.0), [(2, 3)], id="min")
row("copy_", lambda m, x, y: (x * 1).copy_(y), [(2, 3), (3,)])
row("copy_", lambda m, x, y: (x * 1).copy_(y), [(2, 3), ints(1, 2, 3)], id="int-source")
row("fill_", lambda m, x: (x * 1).fill_(0.25), [(2, 3)])
row("fill_", lambda m, x: x.detach().fill_(2), [(3,)], id="detached")
row("zero_", lambda m, x: (x * 1).zero_(), [(2, 3)])
row("zero_", lambda m, x: x.zero_(), [ints(1, 2)], id="int")
raises("zero_", lambda m, x: x.zero_(), [(3,)], id="leaf")


def _set(index, value_is_input=True):
    def f(m, x, v=None):
        y = x * 1
        y[index] = v if value_is_input else 0.5
        return y
    return f


row("setitem", _set(0), [(2, 3), (3,)])
row("setitem", _set((slice(None), 1)), [(2, 3), ()], id="column-0d")
row("setitem", _set(1, False), [(2, 3)], id="scalar")
row("setitem", lambda m, x, v: _set(x[:, 0] > 0)(m, x, v), [(3, 2), ()], id="mask")
row("setitem", lambda m, x: _set(m.tensor(np.array([0, 2])), False)(m, x), [(3, 2)],
    id="tensor-index")
raises("setitem", _set(0), [(2, 3), (4,)], id="bad-shape")

# the numpy names and aliases above
row("div", lambda m, x: x.div(2), [ints(3, 4)], id="int-scalar")

# ------------------------------------------------------------------ creation (no inputs)
CREATION = [
    ("zeros", lambda m: m.zeros(2, 3), ""),
    ("zeros", lambda m: m.zeros((0, 2), dtype=m.int64), "tuple-int"),
    ("ones", lambda m: m.ones(3, dtype=m.float64), ""),
    ("ones", lambda m: m.ones(()), "0d"),
    ("full", lambda m: m.full((2, 2), 1.5), ""),
    ("full", lambda m: m.full((2,), 7), "int"),
    ("full", lambda m: m.full((2,), True), "bool"),
    ("arange", lambda m: m.arange(5), ""),
    ("arange", lambda m: m.arange(1, 2, 0.25), "float-step"),
    ("arange", lambda m: m.arange(5, 1, -2), "negative-step"),
    ("arange", lambda m: m.arange(0, 1, 0.1, dtype=m.float64), "float64"),
    ("linspace", lambda m: m.linspace(0, 1, 5), ""),
    ("linspace", lambda m: m.linspace(-1, 1, 1, dtype=m.float64), "one-step"),
    ("linspace", lambda m: m.linspace(-2.5, 2.5, 5, dtype=m.int32), "int"),
    ("eye", lambda m: m.eye(3), ""),
    ("eye", lambda m: m.eye(2, 3, dtype=m.int64), "rectangular"),
    ("tensor", lambda m: m.tensor([[1, 2], [3, 4]]), "int"),
    ("tensor", lambda m: m.tensor([1.5, 2]), "float"),
    ("tensor", lambda m: m.tensor(3.0), "0d"),
    ("tensor", lambda m: m.tensor([True, False]), "bool"),
    ("tensor", lambda m: m.tensor([]), "empty"),
    ("tensor", lambda m: m.tensor(np.array([1.0, 2.0])), "float64-array"),
    ("as_tensor", lambda m: m.as_tensor([1, 2], dtype=m.float64), ""),
    ("from_numpy", lambda m: m.from_numpy(np.arange(3.0)), ""),
]
for name, f, id_ in CREATION:
    row(name, f, id=id_)
raises("arange", lambda m: m.arange(0, 10, 0), [], id="zero-step")
raises("tensor", lambda m: m.tensor([[1, 2], [3]]), [], id="ragged")
raises("zeros", lambda m: m.zeros(-1), [], id="negative")
LIKE = [
    ("zeros_like", lambda m, x: m.zeros_like(x), [(2, 3)]),
    ("ones_like", lambda m, x: m.ones_like(x), [ints(1, 2)]),
    ("ones_like", lambda m, x: m.ones_like(x, dtype=m.float32), [(2,)]),
    ("full_like", lambda m, x: m.full_like(x, 0.5), [(2, 3)]),
]
for k, (name, f, args) in enumerate(LIKE):
    row(name, f, args, id=str(k))

# ------------------------------------------------------------------ other Tensor methods
METHODS = [
    ("item", lambda m, x: x.item(), [()]),
    ("item", lambda m, x: x.item(), [ints(3)]),
    ("item", lambda m, x: x.sum().item(), [np.array([True, True])]),
    ("tolist", lambda m, x: x.tolist(), [(2, 3)]),
    ("tolist", lambda m, x: x.tolist(), [ints(1, 2)]),
    ("size", lambda m, x: (x.size(), x.size(1), x.size(-1), tuple(x.shape)), [(2, 3)]),
    ("dim", lambda m, x: (x.dim(), x.ndim), [(2, 3, 1)]),
    ("detach", lambda m, x: x.detach() * 2, [(3,)]),
    ("type_as", lambda m, x, y: x.type_as(y), [ints(1, 2), (2,)]),
    ("new_zeros", lambda m, x: x.new_zeros(2, 1), [ints(1, 2)]),
    ("new_ones", lambda m, x: x.new_ones((3,)), [(2,)]),
    ("new_full", lambda m, x: x.new_full((2,), 4.0), [(2,)]),
    ("new_tensor", lambda m, x: x.new_tensor([1.0, 2.0]), [(2,)]),
    ("contiguous", lambda m, x: x.t().contiguous(), [(2, 3)]),
    ("to", lambda m, x: x.to(x.dtype), [(2,)]),
    ("requires_grad_", lambda m, x: (x * 1).detach().requires_grad_().requires_grad, [(2,)]),
    ("__len__", lambda m, x: len(x), [(4, 2)]),
    ("__float__", lambda m, x: float(x), [()]),
    ("__int__", lambda m, x: int(x), [ints(7)]),
    ("__int__", lambda m, x: int(x), [np.array([[-2.7]])]),
    ("__float__", lambda m, x: float(x), [ints(3)]),
    ("__bool__", lambda m, x: bool(x), [np.array(True)]),
    ("__iter__", lambda m, x: list(x), [(3, 2)]),
    ("__pos__", lambda m, x: +x, [(3,)]),
    ("__index__", lambda m, x: [10, 20, 30][x], [ints(2).reshape(())]),
    ("type", lambda m, x: x.type(m.float32), [ints(1, 2)]),
    ("cpu", lambda m, x: x.cpu() * 1, [(2,)]),
    ("numpy", lambda m, x: x.detach().numpy(), [(2, 3)]),
    ("new_empty", lambda m, x: tuple(x.new_empty((2, 3)).shape), [(2,)]),
    ("is_leaf", lambda m, x: (x.is_leaf, (x * 1).is_leaf, x.grad_fn is None), [(2,)]),
]
for k, (name, f, args) in enumerate(METHODS):
    row("Tensor." + name, f, args, id=str(k))
raises("Tensor.__bool__", lambda m, x: bool(x), [(2,)], id="ambiguous")
raises("Tensor.item", lambda m, x: x.item(), [(2,)], id="many")
raises("Tensor.__int__", lambda m, x: int(x), [(2,)], id="many")
