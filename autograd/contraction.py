"""Contractions: `einsum` and the products PyTorch code names (`mm`, `mv`, `bmm`, `addmm`,
`addmv`, `baddbmm`, `addbmm`, `inner`, `kron`, `tensordot`) and pairwise distances (`cdist`).

`einsum` is one primitive: its reverse rule for an operand is another einsum of the incoming
gradient and the other operands (with an identity matrix where the operand repeats an index,
``'ii->i'``, and a vector of ones where it sums an index no one else has), and its forward
rule is the sum over operands of the einsum with that operand's tangent in its place (it is
linear in each operand). The matrix products are `matmul` after PyTorch's shape checks.
"""
import functools
import string

import numpy as np

from . import batching, ops
from .engine import bilinear, elementwise, linear, primitive
from .errors import ShapeError
from .ops import _raw, where
from .registry import registered
from .tensor import Tensor

# numpy's and PyTorch's subscript letters, in their order (sublist integer i is _LETTERS[i])
_LETTERS = string.ascii_uppercase + string.ascii_lowercase


# ============================================================ einsum
def _gradient_plan(equation, argnum):
    """How the gradient of operand ``argnum`` is computed, as (equation, sources): an einsum
    over the incoming gradient ('g'), the other operands (their positions), identity
    matrices (('eye', letter)) and vectors of ones (('ones', letter))."""
    lhs, out = equation.split("->")
    terms = lhs.split(",")
    target = terms[argnum]
    fresh = iter(c for c in _LETTERS if c not in equation)
    new_terms, sources = [out], ["g"]
    for i, term in enumerate(terms):
        if i != argnum:
            new_terms.append(term)
            sources.append(i)
    result, seen = [], set()
    for c in target:
        if c in seen:  # a repeated index: the gradient lies on the diagonal, through eye
            f = next(fresh, None)
            if f is None:
                raise ShapeError(f"einsum: too many indices in {equation!r} to differentiate")
            new_terms.append(c + f)
            sources.append(("eye", c))
            result.append(f)
        else:
            seen.add(c)
            result.append(c)
    present = set("".join(new_terms))
    for c in dict.fromkeys(target):
        if c not in present:  # summed in this operand only: the gradient is constant over it
            new_terms.append(c)
            sources.append(("ones", c))
    return ",".join(new_terms) + "->" + "".join(result), tuple(sources)


_gradient_plan = functools.lru_cache(maxsize=1024)(_gradient_plan)


def _einsum_vjp(g, ans, *operands, equation, argnum):
    plan, sources = _gradient_plan(equation, argnum)
    target = equation.split("->")[0].split(",")[argnum]
    own = dict(zip(target, operands[argnum].shape))
    args = []
    for s in sources:
        if s == "g":
            args.append(g)
        elif type(s) is int:
            args.append(operands[s])
        else:
            n, like = own[s[1]], np.result_type(_raw(g))
            args.append(np.eye(n, dtype=like) if s[0] == "eye" else np.ones(n, dtype=like))
    return _einsum(*args, equation=plan)


def _einsum_jvp(t, ans, *operands, equation, argnum):
    return _einsum(*operands[:argnum], t, *operands[argnum + 1:], equation=equation)


@functools.lru_cache(maxsize=1024)
def _path(equation, shapes):
    """numpy's contraction order for these shapes (BLAS where it can), worked out once."""
    stand_ins = [np.broadcast_to(np.empty((), np.float64), s) for s in shapes]
    return np.einsum_path(equation, *stand_ins, optimize="greedy")[0]


def _operand_rule(argnum):
    return lambda g, ans, *operands, equation: _einsum_vjp(g, ans, *operands,
                                                           equation=equation, argnum=argnum)


# One operand: linear (its rule reads shapes only); two: bilinear (each rule reads the other
# operand only), so neither keeps its result; three or more: a general op keeping everything.
@linear(transpose=_operand_rule(0), batch=batching.einsum)
def _einsum1(x, equation):
    return np.einsum(equation, x)


@bilinear(vjp=(_operand_rule(0), _operand_rule(1)), batch=batching.einsum)
def _einsum2(x, y, equation):
    return np.einsum(equation, x, y, optimize=_path(equation, (np.shape(x), np.shape(y))))


@primitive(vjp=_einsum_vjp, jvp=_einsum_jvp, variadic=True, batch=batching.einsum)
def _einsum_n(*operands, equation):
    return np.einsum(equation, *operands,
                     optimize=_path(equation, tuple(np.shape(a) for a in operands)))


def _einsum(*operands, equation):
    op = _einsum1 if len(operands) == 1 else _einsum2 if len(operands) == 2 else _einsum_n
    return op(*operands, equation=equation)


@functools.lru_cache(maxsize=1024)
def _canonical(equation, ndims):
    """``equation`` with each ellipsis spelled out as letters and the output explicit (the
    implicit output is the ellipsis, then the indices seen once, in alphabetical order)."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ShapeError(f"einsum: the equation {equation!r} names {len(terms)} operand(s) "
                         f"but {len(ndims)} were given")
    for part in terms + [out]:
        rest = part.replace("...", "", 1)
        if not set(rest) <= set(_LETTERS):
            raise ValueError(f"einsum: invalid subscripts {part!r} in {equation!r}; use "
                             "letters a-z, A-Z and at most one '...' per operand")
    counts = [n - len(t) + 3 if "..." in t else 0 for t, n in zip(terms, ndims)]
    for k, (t, n, c) in enumerate(zip(terms, ndims, counts)):
        if c < 0 or ("..." not in t and len(t) != n):
            raise ShapeError(f"einsum: operand {k} has {n} dimension(s) but its subscripts "
                             f"{t!r} name {len(t.replace('...', ''))}"
                             + ("" if "..." in t else "; add '...' to cover the others"))
    ell = "".join(c for c in _LETTERS if c not in eq)[:max(counts, default=0)]
    if len(ell) < max(counts, default=0):
        raise ShapeError(f"einsum: too many dimensions in {equation!r} (52 letters at most)")
    terms = [t.replace("...", ell[len(ell) - c:]) for t, c in zip(terms, counts)]
    if arrow:
        out = out.replace("...", ell)
        for c in out:
            if out.count(c) > 1 or not any(c in t for t in terms):
                raise ValueError(f"einsum: output subscript {c!r} of {equation!r} "
                                 + ("appears more than once" if out.count(c) > 1 else
                                    "does not appear in any operand's subscripts"))
    else:
        once = [c for c in set("".join(terms)) - set(ell) if "".join(terms).count(c) == 1]
        out = ell + "".join(sorted(once))
    return ",".join(terms) + "->" + out


def _sublists(args):
    """numpy's ``einsum(a, [0, 1], b, [1, 2], [0, 2])`` as (equation, operands)."""
    def letters(sub):
        return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in sub)

    operands, subs = list(args[0::2]), [letters(s) for s in args[1::2]]
    out = ""
    if len(subs) < len(operands):  # the last item is the output's sublist
        out = "->" + letters(operands.pop())
    return ",".join(subs) + out, operands


def _check_sizes(equation, operands):
    """Each index has one size (or 1, which broadcasts); an error naming both otherwise."""
    sizes = {}
    for k, (term, a) in enumerate(zip(equation.split("->")[0].split(","), operands)):
        mine = {}
        for c, n in zip(term, np.shape(a)):
            if mine.setdefault(c, n) != n:
                raise ShapeError(f"einsum: index {c!r} is repeated in operand {k} (shape "
                                 f"{np.shape(a)}) with different sizes {mine[c]} and {n}")
            seen, where_seen = sizes.get(c, (1, None))
            if n != 1 and seen != 1 and n != seen:
                raise ShapeError(
                    f"einsum: index {c!r} has size {n} in operand {k} (shape {np.shape(a)}) "
                    f"but {seen} in operand {where_seen} (shape "
                    f"{np.shape(operands[where_seen])}); sizes must match or be 1")
            if n != 1 or c not in sizes:
                sizes[c] = (n, k)


@registered("general")
def einsum(*args):
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is a @ b. PyTorch's forms
    (``einsum(equation, *operands)``, ``einsum(equation, [operands])``) and numpy's sublist
    form (``einsum(a, [0, 1], b, [1, 2], [0, 2])``); ``...`` stands for the dimensions not
    named; without ``->`` the output is the ellipsis, then the indices seen once, sorted.
    A repeated index takes a diagonal (``'ii->i'``); sizes of 1 broadcast.

    >>> a = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> autograd.einsum("ii", a), autograd.einsum("ij->j", a)
    (Tensor(5.), Tensor([4., 6.]))
    """
    if not args:
        raise TypeError("einsum: expected an equation and operands, e.g. einsum('ij,jk', a, b)")
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    else:
        equation, operands = _sublists(args)
    operands = [a if isinstance(a, Tensor) else np.asarray(a) for a in operands]
    equation = _canonical(equation, tuple(np.ndim(a) for a in operands))
    _check_sizes(equation, operands)
    return _einsum(*operands, equation=equation)


# ============================================================ matrix products
def _shapes(*xs):
    return " and ".join(str(np.shape(x)) for x in xs)


def _require(name, ok, xs, what, instead):
    if not ok:
        raise ShapeError(f"{name}: expected {what}, got shapes {_shapes(*xs)}; {instead}")


@registered("bilinear", method=True)
def mm(a, b):
    """The product of two matrices (PyTorch's ``mm``: 2-d only, no broadcasting).

    >>> autograd.ones(2, 3).mm(autograd.ones(3, 4)).shape
    (2, 4)
    """
    _require("mm", np.ndim(a) == 2 and np.ndim(b) == 2, (a, b), "2-d tensors",
             "use bmm or matmul for batches, mv for a matrix times a vector")
    _require("mm", np.shape(a)[1] == np.shape(b)[0], (a, b),
             "a's columns to match b's rows", "transpose one of them, e.g. a.mm(b.t())")
    return ops.matmul(a, b)


@registered("bilinear", method=True)
def mv(a, v):
    """A matrix times a vector (PyTorch's ``mv``).

    >>> autograd.ones(2, 3).mv(autograd.ones(3))
    Tensor([3., 3.])
    """
    _require("mv", np.ndim(a) == 2 and np.ndim(v) == 1, (a, v), "a 2-d and a 1-d tensor",
             "use mm for two matrices, matmul for batches")
    _require("mv", np.shape(a)[1] == np.shape(v)[0], (a, v),
             "the matrix's columns to match the vector's length", "transpose the matrix?")
    return ops.matmul(a, v)


@registered("bilinear", method=True)
def bmm(a, b):
    """Batched matrix products of two 3-d tensors with the same batch size (PyTorch's
    ``bmm``; no broadcasting: `matmul` broadcasts).

    >>> autograd.ones(5, 2, 3).bmm(autograd.ones(5, 3, 4)).shape
    (5, 2, 4)
    """
    _require("bmm", np.ndim(a) == 3 and np.ndim(b) == 3, (a, b), "3-d tensors (batch, n, m)",
             "use mm for matrices, matmul to broadcast batch dimensions")
    _require("bmm", np.shape(a)[0] == np.shape(b)[0], (a, b), "equal batch sizes",
             "use matmul to broadcast a batch of 1")
    _require("bmm", np.shape(a)[2] == np.shape(b)[1], (a, b),
             "a's columns to match b's rows in each batch", "transpose one of them")
    return ops.matmul(a, b)


def _scaled_sum(name, input, product, beta, alpha):
    """beta * input + alpha * product, as PyTorch's add* ops: input must broadcast to the
    product's shape, and beta = 0 ignores it (NaN in it does not propagate)."""
    try:
        fits = np.broadcast_shapes(np.shape(input), np.shape(product)) == np.shape(product)
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"{name}: input of shape {np.shape(input)} does not broadcast to the "
                         f"product's shape {np.shape(product)}")
    out = product if alpha == 1 else alpha * product
    if beta == 0:
        return out
    return out + (input if beta == 1 else beta * input)


@registered(method=True)
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2) (PyTorch's ``addmm``; input broadcasts).

    >>> autograd.addmm(autograd.ones(2), autograd.ones(1, 3), autograd.ones(3, 2)).tolist()
    [[4.0, 4.0]]
    """
    return _scaled_sum("addmm", input, mm(mat1, mat2), beta, alpha)


@registered(method=True)
def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta * input + alpha * (mat @ vec) (PyTorch's ``addmv``)."""
    return _scaled_sum("addmv", input, mv(mat, vec), beta, alpha)


@registered(method=True)
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * bmm(batch1, batch2) (PyTorch's ``baddbmm``)."""
    return _scaled_sum("baddbmm", input, bmm(batch1, batch2), beta, alpha)


@registered(method=True)
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta * input + alpha * the sum over the batch of batch1[i] @ batch2[i] (PyTorch's
    ``addbmm``)."""
    s1, s2 = np.shape(batch1), np.shape(batch2)
    _require("addbmm", len(s1) == 3 and len(s2) == 3 and s1[0] == s2[0] and s1[2] == s2[1],
             (batch1, batch2), "3-d tensors (batch, n, m) and (batch, m, p)",
             "check the batch sizes and transpose one of them if m differs")
    return _scaled_sum("addbmm", input, einsum("bij,bjk->ik", batch1, batch2), beta, alpha)


def _normalize_dims(a, b, dims):
    """tensordot's ``dims`` (an int n: a's last n with b's first n; or a pair of sequences)
    as two lists of non-negative axes."""
    if isinstance(dims, (int, np.integer)):
        if dims < 0 or dims > min(np.ndim(a), np.ndim(b)):
            raise ShapeError(f"tensordot: dims={dims} is out of range for shapes "
                             f"{_shapes(a, b)}")
        return list(range(np.ndim(a) - dims, np.ndim(a))), list(range(dims))
    da, db = dims
    da = [da] if isinstance(da, (int, np.integer)) else list(da)
    db = [db] if isinstance(db, (int, np.integer)) else list(db)
    if len(da) != len(db):
        raise ShapeError(f"tensordot: dims {dims} pair {len(da)} axes of a with {len(db)} of b")
    try:
        return (list(ops.normalize_axis_tuple(da, np.ndim(a))),
                list(ops.normalize_axis_tuple(db, np.ndim(b))))
    except (ValueError, IndexError):
        raise ShapeError(f"tensordot: dims {dims} are out of range or repeated for shapes "
                         f"{_shapes(a, b)}") from None


@registered("general")
def tensordot(a, b, dims=2, *, axes=None):
    """The sum of a * b over the paired axes ``dims`` (PyTorch's: an int n for a's last n
    and b's first n, or ``([a's axes], [b's axes])``; numpy's ``axes=`` too); the result has
    a's other axes, then b's.

    >>> autograd.tensordot(autograd.ones(2, 3), autograd.ones(3, 4), dims=1).shape
    (2, 4)
    """
    da, db = _normalize_dims(a, b, dims if axes is None else axes)
    sa, sb = np.shape(a), np.shape(b)
    for i, j in zip(da, db):
        if sa[i] != sb[j]:
            raise ShapeError(f"tensordot: axis {i} of a (size {sa[i]}) and axis {j} of b "
                             f"(size {sb[j]}) are paired but differ (shapes {_shapes(a, b)})")
    la = _LETTERS[:len(sa)]
    lb = list(_LETTERS[len(sa):len(sa) + len(sb)])
    for i, j in zip(da, db):
        lb[j] = la[i]
    out = "".join(c for i, c in enumerate(la) if i not in da) + "".join(
        c for j, c in enumerate(lb) if j not in db)
    return einsum(f"{la},{''.join(lb)}->{out}", a, b)


@registered("general", method=True)
def inner(a, b):
    """The sum of products over the last axis of a and b (a 0-d operand multiplies);
    the result has a's other axes, then b's.

    >>> autograd.inner(autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return ops.mul(a, b)
    if np.shape(a)[-1] != np.shape(b)[-1]:
        raise ShapeError(f"inner: the last dimensions differ (shapes {_shapes(a, b)}); they "
                         "must match")
    return tensordot(a, b, ([-1], [-1]))


@registered(method=True)
def kron(a, b):
    """The Kronecker product: every entry of a times the whole of b, laid out in blocks.

    >>> autograd.kron(autograd.eye(2), autograd.tensor([[1.0, 2.0]])).tolist()
    [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0]]
    """
    n = max(np.ndim(a), np.ndim(b))
    sa = (1,) * (n - np.ndim(a)) + np.shape(a)
    sb = (1,) * (n - np.ndim(b)) + np.shape(b)
    blocks = ops.reshape(a, [d for s in sa for d in (s, 1)]) * ops.reshape(
        b, [d for s in sb for d in (1, s)])
    return ops.reshape(blocks, tuple(x * y for x, y in zip(sa, sb)))


# ============================================================ distances
def _flat_at_zero_root(ans, s, p):
    """d s**(1/p) / ds = ans / (p s), taken as 0 at s == 0 (PyTorch's cdist gradient at a
    zero distance)."""
    zero = _raw(s) == 0
    return where(zero, 0.0, ans / (p * where(zero, 1.0, s)))


@elementwise(_flat_at_zero_root, saves="s ans")
def _root(s, p):
    return np.power(s, 1 / p)


@registered()
def cdist(x1, x2, p=2.0, compute_mode=None):
    """The p-norm distance between each row of x1 (..., P, M) and each row of x2
    (..., R, M): shape (..., P, R), batch dimensions broadcast. Its gradient at a zero
    distance is 0, as PyTorch's. Computed from the differences (exact, P * R * M memory);
    ``compute_mode`` is accepted for PyTorch's signature.

    >>> autograd.cdist(autograd.tensor([[0.0, 0.0]]), autograd.tensor([[3.0, 4.0]]))
    Tensor([[5.]])
    """
    if np.ndim(x1) < 2 or np.ndim(x2) < 2:
        raise ShapeError(f"cdist: expected tensors of at least 2 dimensions (..., rows, "
                         f"features), got shapes {_shapes(x1, x2)}")
    if np.shape(x1)[-1] != np.shape(x2)[-1]:
        raise ShapeError(f"cdist: x1 and x2 must have the same number of features (last "
                         f"dimension), got shapes {_shapes(x1, x2)}")
    if p < 0:
        raise ValueError(f"cdist: p must be non-negative, got {p}")
    diff = ops.unsqueeze(x1, -2) - ops.unsqueeze(x2, -3)
    if p == 0:  # the number of differing features: piecewise constant
        return ops.sum(where(_raw(diff) != 0, 1.0, 0 * diff), -1)
    if p == 1:
        return ops.sum(ops.abs(diff), -1)
    if p == np.inf:
        return ops.amax(ops.abs(diff), -1)
    if p == 2:
        return ops._sqrt_flat_at_zero(ops.sum(diff * diff, -1))
    return _root(ops.sum(ops.abs(diff) ** p, -1), p=p)
