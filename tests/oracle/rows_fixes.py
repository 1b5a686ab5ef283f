"""Oracle rows for the fixes branch: clamp's tensor bounds (inputs with gradients, broadcast,
min > max, ties), div_'s signature, the generator= of normal_ / uniform_, embedding's
out-of-range indices."""
import numpy as np

from oracle import Row

RAISES = {"raises": True}


def ints(*values, dtype=np.int64):
    return np.array(values, dtype=dtype)


ROWS = []


def row(op, fn, inputs=(), id="", grad=True, **kwargs):
    ROWS.append(Row(op, fn, tuple(inputs), id=id, grad=grad, kwargs=kwargs))


# ---- clamp / clip with tensor bounds: every bound gets its gradient
row("clip", lambda m, x, lo, hi: m.clamp(x, lo, hi), [(2, 3), (3,), (2, 1)], id="tensor-bounds")
row("clip", lambda m, x, lo: x.clamp(min=lo), [(2, 3), (2, 3)], id="tensor-min")
row("clip", lambda m, x, hi: x.clamp(max=hi), [(2, 3), (3,)], id="tensor-max")
row("clip", lambda m, x, lo, hi: m.clip(x, lo, hi), [(), (), ()], id="tensor-bounds-0d")
row("clip", lambda m, x, lo: x.clamp(min=lo), [(4,), (2, 1)], id="bound-broadcasts-x")
# min > max everywhere and in places: the result is max, its gradient max's
row("clip", lambda m, x, lo, hi: m.clamp(x, lo + 2, hi), [(2, 3), (3,), (2, 1)],
    id="min-above-max")
row("clip", lambda m, x, lo, hi: m.clamp(x, lo, hi),
    [(4,), np.array([0.0, 0.5, -0.5, 1.0]), np.array([0.5, 0.0, 0.5, -1.0])],
    id="min-above-max-in-places")
# ties x == bound: the gradient is x's (torch's forward mode gives the bound's tangent there,
# unlike its reverse mode; ours follows reverse mode in both)
_X = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
row("clip", lambda m, x, lo, hi: m.clamp(x, lo, hi), [_X, np.zeros(5), np.ones(5)],
    id="tensor-ties", jvp=False)
row("clip", lambda m, x, lo, hi: m.clamp(x, lo, hi), [_X, np.ones(5), np.ones(5)],
    id="tensor-min-equals-max", jvp=False)
row("clamp_min", lambda m, x, lo: x.clamp_min(lo), [(2, 3), (3,)], id="tensor")
row("clamp_max", lambda m, x, hi: m.clamp_max(x, hi), [(2, 3), (2, 1)], id="tensor")
row("clamp_", lambda m, x, lo, hi: (x * 1).clamp_(lo, hi), [(2, 3), (3,), (2, 1)],
    id="tensor-bounds")
row("clamp_min_", lambda m, x, lo: (x * 1).clamp_min_(lo), [(2, 3), (3,)], id="tensor")
row("clamp_max_", lambda m, x, hi: (x * 1).clamp_max_(hi), [(2, 3), ()], id="tensor")
row("clip_", lambda m, x, lo, hi: (x * 1).clip_(lo, hi), [(3,), (3,), ()], id="tensor")

# ---- div_(other, *, rounding_mode=None): no alpha (nor mul_'s, pow_'s)
_Q = np.array([[7.3, -7.3, 2.6], [-0.7, 5.5, -9.1]])
row("div_", lambda m, x, y: (x * 1).div_(y, rounding_mode="trunc"),
    [_Q, np.array([2.0, 3.0, -1.5])], id="trunc")
row("div_", lambda m, x, y: (x * 1).div_(y, rounding_mode="floor"),
    [_Q, np.array([[2.0], [-3.0]])], id="floor")
row("div_", lambda m, x: x.div_(2, rounding_mode="floor"), [ints(7, -7, 9)], id="int-floor")
row("div_", lambda m, x, y: x.div_(y, rounding_mode="trunc"), [ints(7, -7, 9), ints(2)],
    id="int-trunc")
row("div_", lambda m, x: (x * 1).div_(2.0, alpha=2), [(3,)], id="alpha", **RAISES)
row("div_", lambda m, x: (x * 1).div_(2.0, "floor"), [(3,)], id="positional-mode", **RAISES)
row("mul_", lambda m, x: (x * 1).mul_(2.0, alpha=2), [(3,)], id="alpha", **RAISES)
row("pow_", lambda m, x: (x * 1).pow_(2.0, alpha=2), [(3,)], id="alpha", **RAISES)

# ---- normal_ / uniform_ take generator= (a numpy Generator here, torch's own there)
row("normal_", lambda m: bool(abs(float(m.zeros(40000, dtype=m.float64).normal_(
    1.0, 2.0, generator=m.default_generator).mean()) - 1.0) < 0.1), id="generator")
row("uniform_", lambda m: (lambda u: (bool(u.min() >= -1.0), bool(u.max() < 3.0),
                                      u.dtype == m.float32))(
    m.zeros(1000, dtype=m.float32).uniform_(-1.0, 3.0, generator=m.default_generator)),
    id="generator")

# ---- embedding: a negative index is out of range (not counted from the end), max_norm or not
_EMB = "nn.functional.embedding"
row(_EMB, lambda m, w: m.F.embedding(m.tensor(ints(0, -1)), w), [(4, 3)], id="negative-index",
    **RAISES)
row(_EMB, lambda m, w: m.F.embedding(m.tensor(ints(0, -1)), w * 1, max_norm=1.0), [(4, 3)],
    id="negative-index-max-norm", **RAISES)
row(_EMB, lambda m, w: m.F.embedding(m.tensor(ints(0, 3)), w, padding_idx=-1), [(4, 3)],
    id="negative-padding-idx")
