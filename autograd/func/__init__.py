"""Function transforms, as ``torch.func``: `grad`, `grad_and_value`, `vjp`, `jvp`, `jacrev`,
`jacfwd`, `hessian`, `vmap`, `functional_call` and `replace_all_batch_norm_modules_`.

Each takes a function and returns a function (or, for `vjp` and `jvp`, evaluates one); they
compose: ``jacrev(jacrev(f))``, ``jacfwd(jacrev(f))``, ``jacfwd(jacfwd(f))``,
``vmap(grad(f))``, ``grad`` of a function that calls ``vmap``. Inputs and outputs may be
pytrees (tuples, lists, dicts of tensors). `grad`, `vjp` and `jacrev` run the reverse-mode
rules; `jvp` and `jacfwd` the forward-mode ones (a jvp inside a jvp is a level of its own);
`vmap` runs each op once on the whole batch through its batching rule, and `jacrev` and
`jacfwd` are vmaps of `vjp`'s and `jvp`'s products over a basis, as in torch.func.

>>> from autograd.func import grad, vmap
>>> x = autograd.tensor([0.0, 1.0, 2.0], dtype="float64")
>>> grad(lambda x: (x ** 3).sum())(x)              # 3 x**2
Tensor([ 0.,  3., 12.], dtype=float64)
>>> vmap(grad(lambda x: x.sin()))(x).round(decimals=4)   # cos x, one sample at a time
Tensor([ 1.    ,  0.5403, -0.4161], dtype=float64)
"""
import functools
import itertools
import warnings

import numpy as np

from .. import batching, engine, ops, random
from ..errors import ShapeError
from ..grad_mode import _forward_mode, enable_grad, state
from ..tensor import Tensor
from . import _batching
from ._batching import Batched, BatchingError
from ._tree import flatten, tree_map, unflatten

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap",
           "functional_call", "replace_all_batch_norm_modules_", "BatchingError"]

_depth = [0]  # how many reverse-mode transforms are running (an inner one keeps its graph)
_forward_levels = itertools.count(1)  # a fresh id per jvp: a stale tangent is never read


# ------------------------------------------------------------------------- helpers
def _check_tensors(leaves, api):
    for x in leaves:
        if not isinstance(x, Tensor):
            raise ValueError(f"{api}: Thing passed to transform API must be Tensor, got "
                             f"{type(x)}")


def _argnums_tuple(argnums, n, api):
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    if not nums:
        raise RuntimeError(f"{api}: argnums must be non-empty")
    for a in nums:
        if not isinstance(a, int):
            raise RuntimeError(f"{api}: argnums must be int or Tuple[int, ...], got {argnums!r}")
        if not -n <= a < n:
            raise RuntimeError(f"{api}: Got argnums={a}, but only {n} positional inputs")
    return tuple(a % n for a in nums)


def _graph_kept(leaves):
    """Whether the results must stay differentiable: inside another transform, in forward
    mode, or inputs that require grad (torch.func composes with ordinary autograd)."""
    return _depth[0] > 0 or state.forward_ad or any(
        _batching.physical(x).requires_grad for x in leaves)


def _track(x, levels):
    """x as a tensor whose gradient grad/vjp can read: batched at every vmap level running
    outside this transform (so that gradients are per sample) but those of jacfwd's tangents,
    and a fresh vertex of the graph (connected to x's own graph when x requires grad, so
    outer transforms see through it)."""
    tangents = _batching.physical(x)._tangent
    if tangents:  # no value is batched where only tangents are: x stays as it is there
        private = {level for t in tangents.values() for level in _batching.levels_of(t)}
        levels = [level for level in levels if level not in private]
    x = _batching.align(x, levels)

    def vertex(p):
        if p.requires_grad:
            return ops._reshape(p, shape=tuple(p.shape))  # a view: a node of its own
        q = Tensor._make(p._data)
        q._requires_grad = True
        q._tangent = dict(p._tangent) if p._tangent else None
        return q

    return _batching.rewrap(x, vertex(_batching.physical(x)))


def _outer_levels():
    return [level for level, _, _ in state.vmap_levels]


def _plain(x, keep):
    return x if keep or not isinstance(x, Tensor) else x.detach()


def _reverse(func, args, argnums, has_aux, api):
    """Run ``func`` with the inputs at ``argnums`` tracked: (output, aux, tracked leaves per
    argnum, their specs, keep) for the caller to differentiate."""
    nums = _argnums_tuple(argnums, len(args), api)
    args = list(args)
    tracked, specs, originals = [], [], []
    levels = _outer_levels()
    for a in nums:
        leaves, spec = flatten(args[a])
        _check_tensors(leaves, api)
        for x in leaves:
            if x.dtype.kind != "f":
                raise RuntimeError(f"{api}: only Tensors of floating point dtype can require "
                                   f"gradients, got an input of dtype {x.dtype} at argnums="
                                   f"{a}; convert it (x.double()) or leave it out of argnums")
        originals += leaves
        leaves = [_track(x, levels) for x in leaves]
        tracked.append(leaves)
        specs.append(spec)
        args[a] = unflatten(leaves, spec)
    keep = _graph_kept(originals)
    _depth[0] += 1
    try:
        with enable_grad():
            out = func(*args)
    finally:
        _depth[0] -= 1
    aux = None
    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise RuntimeError(f"{api}: output of function with has_aux=True must be a tuple "
                               "(output, aux)")
        out, aux = out
    return out, aux, tracked, specs, nums, keep


def _pullback(outputs, cotangents, tracked, keep, retain):
    """The vector-Jacobian product for each tracked leaf (zeros where unused), batched as
    the leaf is. A cotangent batched at vmap levels the output is not (``vmap(vjp_fn)``,
    as jacrev does) runs one backward pass on the batch: the gradients flow through the
    graph as batched tensors of those levels, and each op's reverse rule runs batched."""
    flat = [x for leaves in tracked for x in leaves]
    pairs, more = [], set()
    for out, ct in zip(outputs, cotangents):
        if not (isinstance(out, Tensor) and _batching.physical(out).requires_grad):
            continue  # does not depend on the inputs: contributes zeros
        seed, new = _outside(ct if isinstance(ct, Tensor) else Tensor(ct),
                             _batching.levels_of(out))
        more.update(new)
        pairs.append((_batching.physical(out), seed))
    grads = [None] * len(flat)
    if pairs:
        graph = keep or bool(more)  # batched gradients are tensors: the graph's way
        if more:
            roots, seeds = [engine._vertex(o) for o, _ in pairs], [c for _, c in pairs]
        else:
            roots, seeds = engine._seed([o for o, _ in pairs], [c for _, c in pairs], keep,
                                        "vjp")
        targets = [engine._vertex(_batching.physical(x)) for x in flat]
        captured = engine.run_backward(roots, seeds, retain or graph, graph, set(targets),
                                       record=keep)
        grads = [captured.get(v) for v in targets]
    result, seen = [], set()
    for x, g in zip(flat, grads):
        p = _batching.physical(x)
        if g is None:
            g = np.zeros(p.shape, p.dtype)
        if not isinstance(g, Tensor):  # an array the backward made: ours unless shared
            if id(g) in seen or g.base is not None or not g.flags.writeable:
                g = np.array(g)  # (a numpy scalar, for a 0-d input, becomes a 0-d array)
            seen.add(id(g))
            g = Tensor._make(g)
        result.append(_inside(g if keep else g.detach(), x))
    return result


def _outside(x, levels):
    """``x`` (batched at ``levels`` and maybe at more) as a tensor batched at the extra
    levels only, around a physical tensor laid out as one batched at ``levels``: what a
    gradient or tangent of that physical tensor is when a vmap maps the cotangents or
    tangents only (jacrev, jacfwd). Also returns the extra levels."""
    levels = sorted(levels)
    x = _batching.align(x, levels)
    own = sorted(_batching.levels_of(x))
    new = [level for level in own if level not in levels]
    p = _batching.physical(x)
    axes = [own.index(level) for level in new + levels]  # the new levels' axes first
    if axes != sorted(axes):
        p = ops._transpose(p, axes=tuple(axes) + tuple(range(len(own), p.ndim)))
    for level in new:
        p = Batched(p, level)
    return p, new


def _inside(g, like):
    """The inverse of `_outside`: ``g`` (a gradient or tangent of ``like``'s physical
    tensor, perhaps batched at more levels) as a tensor batched as ``like`` is, and more."""
    if type(g) is not Batched:
        return _batching.rewrap(like, g)
    p, levels = _batching.physical(g), sorted(_batching.levels_of(g)) + \
        sorted(_batching.levels_of(like))  # p's leading axes, in this order
    order = sorted(range(len(levels)), key=levels.__getitem__)
    if order != list(range(len(levels))):
        p = ops._transpose(p, axes=tuple(order) + tuple(range(len(levels), p.ndim)))
    for level in sorted(levels):
        p = Batched(p, level)
    return p


def _regroup(flat, tracked, specs):
    out, start = [], 0
    for leaves, spec in zip(tracked, specs):
        out.append(unflatten(flat[start:start + len(leaves)], spec))
        start += len(leaves)
    return out


# ------------------------------------------------------------------------- reverse mode
def grad_and_value(func, argnums=0, has_aux=False):
    """``func``'s gradient (with respect to the inputs at ``argnums``) and its value, as
    ``torch.func.grad_and_value``: returns ``(grad, value)``, or ``(grad, (value, aux))``
    with ``has_aux``. ``func`` must return a 0-d (one-element) tensor."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        api = "grad_and_value(f)(*args)"
        out, aux, tracked, specs, nums, keep = _reverse(
            lambda *a: func(*a, **kwargs), args, argnums, has_aux, api)
        if not isinstance(out, Tensor):
            raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got {type(out)}")
        if out.ndim != 0:
            raise RuntimeError(f"{api}: Expected f(*args) to return a scalar Tensor, got tensor "
                               f"with {out.ndim} dims. Maybe you wanted to use the vjp or "
                               "jacrev APIs instead?")
        ones = Tensor(np.ones(_batching.physical(out).shape, out.dtype))
        flat = _pullback([out], [_batching.rewrap(out, ones)], tracked, keep, False)
        grads = _regroup(flat, tracked, specs)
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        value = _plain(out, keep)
        if has_aux:
            return grads, (value, tree_map(lambda a: _plain(a, keep), aux))
        return grads, value

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of ``func`` (returning a 0-d tensor) with respect to the inputs at
    ``argnums`` (an int, or a tuple for several), as ``torch.func.grad``: the gradient has
    the structure of those inputs (a dict of parameters gives a dict). With ``has_aux``,
    ``func`` returns ``(output, aux)`` and the call returns ``(grad, aux)``.

    >>> grad(grad(lambda x: x ** 3))(autograd.tensor(2.0))   # 6 x
    Tensor(12.)
    """
    both = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grads, value = both(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)``, as ``torch.func.vjp``: ``vjp_fn(cotangents)`` (shaped as
    the output, a pytree for a pytree output) returns one vector-Jacobian product per
    primal, as a tuple. With ``has_aux``: ``(output, vjp_fn, aux)``. ``vjp_fn`` may be
    called several times."""
    api = "vjp(f, *primals)"
    out, aux, tracked, specs, _, keep = _reverse(func, primals, tuple(range(len(primals))),
                                                 has_aux, api)
    out_leaves, out_spec = flatten(out)
    _check_tensors(out_leaves, api)

    def vjp_fn(cotangents):
        ct_leaves, ct_spec = flatten(cotangents)
        if len(ct_leaves) != len(out_leaves):
            raise RuntimeError(f"Expected pytree structure of cotangents to be the same as "
                               f"pytree structure of outputs to the function; got "
                               f"{len(ct_leaves)} cotangents for {len(out_leaves)} outputs")
        for o, c in zip(out_leaves, ct_leaves):
            if tuple(np.shape(c) if not isinstance(c, Tensor) else c.shape) != o.shape:
                raise ShapeError(f"vjp_fn: a cotangent has shape {tuple(c.shape)} but its "
                                 f"output has shape {o.shape}; they must match")
        flat = _pullback(out_leaves, ct_leaves, tracked, keep, True)
        return tuple(_regroup(flat, tracked, specs))

    value = tree_map(lambda o: _plain(o, keep), out)
    if has_aux:
        return value, vjp_fn, tree_map(lambda a: _plain(a, keep), aux)
    return value, vjp_fn


def _with_argnums(func, args, nums):
    """``func`` as a function of the inputs at ``nums`` only (the others fixed), and those."""
    def at(*xs):
        full = list(args)
        for a, x in zip(nums, xs):
            full[a] = x
        return func(*full)

    return at, tuple(args[a] for a in nums)


def _basis(leaves):
    """The standard basis over all elements of ``leaves``, as one (N, *shape) tensor per
    leaf (N their total number of elements): row j is the unit vector of element j."""
    sizes = [int(np.prod(x.shape, dtype=np.int64)) for x in leaves]
    eye, out, start = np.eye(sum(sizes)), [], 0
    for x, n in zip(leaves, sizes):
        out.append(Tensor(eye[:, start:start + n].astype(x.dtype).reshape(
            (len(eye),) + tuple(x.shape))))
        start += n
    return out, sizes


def _quiet(fn):
    """fn with vmap's per-sample-loop warnings silenced: as torch.func, a Jacobian falls back
    to a loop where an op has no batching rule without a word (the values are the same)."""
    @functools.wraps(fn)
    def run(*args):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="vmap: the op")
            return fn(*args)
    return run


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """The Jacobian of ``func`` by reverse mode, as ``torch.func.jacrev``: one `vjp`, then its
    ``vjp_fn`` mapped by `vmap` over the standard basis of the outputs (every row of the
    Jacobian in one batched backward pass). For an output of shape O and an input of shape I,
    a tensor of shape O + I; pytrees of outputs give the same structure, each leaf holding
    the Jacobians for ``argnums`` (a tuple when ``argnums`` is a tuple).

    ``chunk_size``: None computes all rows in one vmap; k, k rows per vmap (less memory);
    1, one row at a time in a plain loop (no vmap). ``_preallocate_and_copy`` is accepted
    as torch's (the values are the same).

    >>> jacrev(lambda x: x ** 2)(autograd.tensor([1.0, 2.0]))
    Tensor([[2., 0.],
            [0., 4.]])
    """
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args):
        nums = _argnums_tuple(argnums, len(args), "jacrev")
        at, primals = _with_argnums(func, args, nums)
        if has_aux:
            out, vjp_fn, aux = vjp(at, *primals, has_aux=True)
        else:
            out, vjp_fn = vjp(at, *primals)
        out_leaves, out_spec = flatten(out)
        in_leaves, in_spec = flatten(primals)
        basis, sizes = _basis(out_leaves)
        total = sum(sizes)
        step = total if chunk_size is None else chunk_size
        chunks = []  # per chunk, the rows for each input leaf: (rows, *leaf.shape)
        for start in range(0, total, max(step, 1)):
            cts = unflatten([b[start:start + step] if step < total else b for b in basis],
                            out_spec)
            if step == 1:  # a plain loop, as torch.func: none of vmap's limits
                cts = tree_map(lambda b: b[0], cts)
                chunks.append([ops.unsqueeze(g, 0) for g in flatten(vjp_fn(cts))[0]])
            else:
                chunks.append(flatten(_quiet(vmap(vjp_fn))(cts))[0])
        if not chunks:  # no output elements
            rows = [Tensor(np.zeros((0,) + x.shape, x.dtype)) for x in in_leaves]
        else:
            rows = chunks[0] if len(chunks) == 1 else [
                ops.concatenate([c[m] for c in chunks], axis=0) for m in range(len(in_leaves))]
        per_output, start = [], 0
        for o, n in zip(out_leaves, sizes):  # each output's rows, shaped output + input
            block = [ops.reshape(r if len(sizes) == 1 else r[start:start + n],
                                 tuple(o.shape) + tuple(r.shape[1:])) for r in rows]
            per_output.append(_by_argnums(unflatten(block, in_spec), argnums))
            start += n
        jac = unflatten(per_output, out_spec)
        return (jac, aux) if has_aux else jac

    return wrapper


def _by_argnums(jacs, argnums):
    """One output's Jacobians (a tuple over argnums) as the user asked: one, or a tuple."""
    return jacs[0] if isinstance(argnums, int) else tuple(jacs)


# ------------------------------------------------------------------------- forward mode
def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), J @ tangents)`` by forward mode (the ops' forward rules, one
    evaluation, no backward pass), as ``torch.func.jvp``: ``primals`` and ``tangents`` are
    tuples of the same structure. With ``has_aux``: ``(output, jvp_out, aux)``. A jvp inside
    a jvp is a level of its own: the inner tangents carry the outer level's tangents (forward
    over forward)."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to be "
                           "tuples")
    p_leaves, p_spec = flatten(tuple(primals))
    t_leaves, t_spec = flatten(tuple(tangents))
    _check_tensors(p_leaves, "jvp(f, primals, tangents)")
    for p in p_leaves:
        if p.dtype.kind != "f":  # no tangent space (torch.func refuses too)
            raise ValueError(f"jvp(f, primals, tangents): Expected primal to be floating point "
                             f"or complex, but got: {p.dtype}; convert it (x.double()) or, "
                             "in jacfwd, leave it out of argnums")
    if len(p_leaves) != len(t_leaves):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have "
                           "the same python structure")
    keep = _graph_kept(p_leaves + [t for t in t_leaves if isinstance(t, Tensor)])
    level = next(_forward_levels)
    inputs = []
    for p, t in zip(p_leaves, t_leaves):
        t = t if isinstance(t, Tensor) else Tensor(np.asarray(t, dtype=p.dtype))
        if t.shape != p.shape:
            raise RuntimeError(f"jvp(f, primals, tangents): Expected primals and tangents to "
                               f"have the same shape, got {p.shape} and {t.shape}")
        # a tangent batched where the primal is not (jacfwd: vmap over the tangents) stays
        # batched: f runs once on the primal, its forward rules on the batch of tangents
        t = _outside(t, _batching.levels_of(p))[0]
        phys = _batching.physical(p)
        # a fresh tensor (a view keeps the graph and the outer levels' tangents)
        q = ops._reshape(phys, shape=tuple(phys.shape)) if phys.requires_grad or \
            phys._tangent else Tensor._make(phys._data)
        if q._tangent is None:
            q._tangent = {}
        q._tangent[level] = t
        inputs.append(_batching.rewrap(p, q))
    out = None
    try:
        with _forward_mode(state.forward_ad + (level,)):
            out = func(*unflatten(inputs, p_spec))
        aux = None
        if has_aux:
            out, aux = out
        o_leaves, o_spec = flatten(out)
        _check_tensors(o_leaves, "jvp(f, primals, tangents)")
        tangent_out = []
        for o in o_leaves:
            phys = _batching.physical(o)
            t = engine.tangent_at(phys, level)
            t = Tensor(np.zeros(phys.shape, phys.dtype)) if t is None else t
            tangent_out.append(_plain(_inside(t, o), keep))
    finally:
        for x in inputs + [o for o in (flatten(out)[0] if out is not None else ())
                           if isinstance(o, Tensor)]:
            engine.clear_tangent(_batching.physical(x), level)
    result = (tree_map(lambda o: _plain(o, keep), out), unflatten(tangent_out, o_spec))
    return result + (tree_map(lambda a: _plain(a, keep), aux),) if has_aux else result


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` by forward mode, as ``torch.func.jacfwd``: `jvp` mapped by
    `vmap` over the standard basis of the inputs (every column in one batched forward pass).
    Same shapes and structure as `jacrev`; ``randomness`` is vmap's (random ops inside:
    'error' refuses, 'same' one draw for all columns, 'different' one each).

    >>> jacfwd(lambda x: x.sin())(autograd.tensor([0.0, 0.0]))
    Tensor([[1., 0.],
            [0., 1.]])
    """
    if randomness not in ("error", "same", "different"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")

    @functools.wraps(func)
    def wrapper(*args):
        nums = _argnums_tuple(argnums, len(args), "jacfwd")
        at, primals = _with_argnums(func, args, nums)
        in_leaves, in_spec = flatten(primals)
        _check_tensors(in_leaves, "jacfwd")
        basis, sizes = _basis(in_leaves)

        def push(tangents):
            result = jvp(at, primals, tangents, has_aux=has_aux)
            return (result[1], result[2]) if has_aux else result[1]

        if sum(sizes):
            columns = _quiet(vmap(push, randomness=randomness))(unflatten(basis, in_spec))
            aux = None
            if has_aux:  # computed once per column: the first is the function's own
                columns, aux = columns
                aux = tree_map(lambda a: a[0], aux)
        else:  # no input elements: the outputs' shapes from one call
            out = at(*primals)
            out, aux = out if has_aux else (out, None)
            columns = tree_map(lambda o: Tensor(np.zeros((0,) + o.shape, o.dtype)), out)
        out_leaves, out_spec = flatten(columns)
        per_output = []
        for c in out_leaves:  # (N, *out.shape): columns first, moved last, split per input
            c = _batching.move_from_front(c, -1)
            rows, start = [], 0
            for x, n in zip(in_leaves, sizes):
                part = c if len(sizes) == 1 else c[..., start:start + n]
                rows.append(ops.reshape(part, tuple(c.shape[:-1]) + tuple(x.shape)))
                start += n
            per_output.append(_by_argnums(unflatten(rows, in_spec), argnums))
        jac = unflatten(per_output, out_spec)
        return (jac, aux) if has_aux else jac

    return wrapper


def hessian(func, argnums=0):
    """The Hessian of a scalar ``func``: ``jacfwd(jacrev(func, argnums), argnums)``, as
    ``torch.func.hessian`` (shape I + I for an input of shape I)."""
    return jacfwd(jacrev(func, argnums), argnums)


# ------------------------------------------------------------------------- vmap
def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``func`` mapped over a batch axis of its inputs, as ``torch.func.vmap``: the inputs'
    axis ``in_dims`` (an int for all, None for an input not mapped, or one per input, nested
    as the inputs) is the batch; ``func`` sees one sample; the outputs get the batch axis at
    ``out_dims``. Each op runs once on the whole batch (its batching rule), not in a loop.

    ``randomness``: 'error' refuses random ops inside (dropout), 'same' draws one sample of
    randomness for the whole batch, 'different' one per sample (run as a loop over the
    batch). ``chunk_size``: map that many samples at a time (less memory).
    """
    if randomness not in ("error", "same", "different"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    if chunk_size is not None and not chunk_size > 0:
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        leaves, spec = flatten(args)
        dims = _broadcast_dims(in_dims, args)
        for x, d in zip(leaves, dims):
            if d is not None and not isinstance(x, Tensor):
                raise ValueError(f"vmap: Got in_dim={d} for an input but the input is of type "
                                 f"{type(x)}. We cannot vmap over non-Tensor arguments, please "
                                 "use None as the respective in_dim")
            if d is not None and not -x.ndim <= d < max(x.ndim, 1) or d is not None and \
                    x.ndim == 0:
                raise ValueError(f"vmap: Got in_dim={d} for an input but the input has only "
                                 f"{x.ndim} dims")
        sizes = {x.shape[d] for x, d in zip(leaves, dims) if d is not None}
        if not sizes:
            raise ValueError("vmap: at least one input must be mapped (in_dims all None)")
        if len(sizes) > 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sorted(sizes)} for the mapped dimension")
        size = sizes.pop()
        level, outermost = len(state.vmap_levels) + 1, state.vmap_writes is None
        if outermost:  # the in-place ops of this vmap and those inside it are logged
            state.vmap_writes = []
        mark = len(state.vmap_writes)
        try:
            if chunk_size is not None and chunk_size < size or randomness == "different":
                step = 1 if randomness == "different" else chunk_size  # a chunk: as 'same'
                return _chunked(func, leaves, spec, dims, size, step, kwargs)
            return _run(func, leaves, spec, dims, size, kwargs, randomness)
        except BatchingError as err:
            op = _batching.reading_op(err.__traceback__)
            if op is None:  # the user's own code read the values: as PyTorch, an error
                raise
            done = _batching.repeated_writes(state.vmap_writes[mark:], level, leaves)
            if done:
                raise RuntimeError(
                    f"vmap: the op {op!r} reads the values of its batched input in Python (it "
                    "has no batching rule), so the function would have to run once per "
                    f"sample, which would repeat what it has already changed in place "
                    f"({', '.join(dict.fromkeys(done))}: a tensor from outside the function, "
                    "or an input). Make that change out of place, move it out of vmap, or "
                    f"keep {op!r} out of vmap") from err
            warnings.warn(f"vmap: the op {op!r} reads the values of its batched input in "
                          f"Python (it has no batching rule), so the function runs once per "
                          f"sample ({size} times)", stacklevel=2)
            return _per_sample(func, leaves, spec, dims, size, kwargs)
        finally:
            if outermost:
                state.vmap_writes = None

    def _run(fn, leaves, spec, dims, size, kwargs, randomness_mode):
        level = _batching.push_level(size, randomness_mode)
        try:
            inputs = [Batched(_batching.move_to_front(x, d), level) if d is not None else x
                      for x, d in zip(leaves, dims)]
            out = fn(*unflatten(inputs, spec), **kwargs)
        finally:
            _batching.pop_level()
        o_leaves, o_spec = flatten(out)
        o_dims = _out_leaf_dims(out_dims, out)
        results = []
        for o, d in zip(o_leaves, o_dims):
            if not isinstance(o, Tensor):
                raise ValueError(f"vmap: `{getattr(func, '__name__', func)}` must only return "
                                 f"Tensors, got type {type(o)}")
            if type(o) is Batched and o.level == level:
                v = o.value
            else:  # not batched: the same value for every sample
                v = batching.expand(o, size) if d is not None else o
            if d is not None and not -v.ndim <= d < v.ndim:
                raise IndexError(f"vmap: out_dims={d} is out of range for an output of "
                                 f"{v.ndim - 1} dims (expected in [{-v.ndim}, {v.ndim - 1}])")
            results.append(v if d is None else _batching.move_from_front(v, d))
        return unflatten(results, o_spec)

    def _per_sample(fn, leaves, spec, dims, size, kwargs):
        outs = []
        rng = random.get_rng_state() if randomness == "same" else None
        with _batching.looping(randomness):  # random ops obey randomness as in a vmap
            for b in range(size):
                if rng is not None:  # every sample draws the same
                    random.set_rng_state(rng)
                outs.append(fn(*unflatten([
                    ops._getitem(x, index=(slice(None),) * (d % x.ndim) + (b,))
                    if d is not None else x for x, d in zip(leaves, dims)], spec), **kwargs))
        return _join(outs, lambda parts, d: ops.stack(parts, dim=d))

    def _chunked(fn, leaves, spec, dims, size, step, kwargs):
        outs = []
        mode = "same" if randomness == "different" else randomness
        rng = random.get_rng_state() if randomness == "same" else None
        for start in range(0, size, step):
            if rng is not None:  # as torch.func: every chunk draws the same randomness
                random.set_rng_state(rng)
            part = [ops._getitem(x, index=(slice(None),) * (d % x.ndim) +
                                 (slice(start, start + step),)) if d is not None else x
                    for x, d in zip(leaves, dims)]
            outs.append(_run(fn, part, spec, dims, min(step, size - start), kwargs, mode))
        return _join(outs, lambda parts, d: ops.concatenate(parts, axis=d))

    def _join(outs, join):
        """The outputs of each sample (or chunk) as one, joined along their out_dims; one
        with out_dims None is not mapped: the first's."""
        o_leaves = [flatten(o)[0] for o in outs]
        return unflatten([o_leaves[0][k] if d is None else join([o[k] for o in o_leaves], d)
                          for k, d in enumerate(_out_leaf_dims(out_dims, outs[0]))],
                         flatten(outs[0])[1])

    return wrapper


def _out_leaf_dims(dims, out):
    """out_dims as one dim per leaf of the output ``out`` (a lone output takes a 1-tuple)."""
    tree = (out,) if isinstance(dims, tuple) and not isinstance(out, tuple) else out
    return _broadcast_dims(dims, tree, "out_dims", "outputs")


def _broadcast_dims(dims, tree, name="in_dims", what="inputs"):
    """in_dims/out_dims (an int or None for everything, or a structure matching ``tree``'s,
    whose ints apply to whole subtrees) as one dim per leaf of ``tree``."""
    if dims is None or isinstance(dims, int):
        return [dims] * len(flatten(tree)[0])
    if isinstance(dims, (tuple, list)) and isinstance(tree, (tuple, list)) and \
            len(dims) == len(tree) or isinstance(dims, dict) and isinstance(tree, dict) and \
            set(dims) == set(tree):
        keys = tree if isinstance(tree, dict) else range(len(tree))
        return [d for k in keys for d in _broadcast_dims(dims[k], tree[k], name, what)]
    shape = len(tree) if isinstance(tree, (tuple, list)) else \
        sorted(tree) if isinstance(tree, dict) else "a single tensor"
    raise ValueError(f"vmap: {name} is not compatible with the structure of the {what}: "
                     f"{name}={dims!r} for {what} of structure {shape}")


# ------------------------------------------------------------------------- modules
def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the tensors of ``parameter_and_buffer_dicts`` (a dict
    keyed by parameter/buffer names, or a tuple of such dicts) in place of the module's own,
    as ``torch.func.functional_call``: the pure function of the parameters that `grad` and
    `vmap` need, e.g. ``grad(lambda p: loss(functional_call(model, p, (x,))))(params)``.
    Any module with ``named_modules()`` and ``_parameters``/``_buffers`` dicts works (the
    core needs nothing from ``nn``); a shared (tied) parameter is replaced under all its
    names unless ``tie_weights=False``."""
    dicts = parameter_and_buffer_dicts
    if isinstance(dicts, dict):
        merged = dict(dicts)
    else:
        merged = {}
        for d in dicts:
            twice = set(d) & set(merged)
            if twice:
                raise ValueError(f"{sorted(twice)} appeared in multiple dictionaries; "
                                 "behavior of functional call is ambiguous")
            merged.update(d)
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    slots = {}
    for prefix, owner in module.named_modules(remove_duplicate=False):
        for table in (owner._parameters, owner._buffers):
            for name in table:
                slots[f"{prefix}.{name}" if prefix else name] = (table, name)
    if tie_weights:  # a value given for one name of a shared tensor goes to all its names
        tied = {}
        for key, (table, name) in slots.items():
            if table[name] is not None:
                tied.setdefault(id(table[name]), []).append(key)
        for keys in tied.values():
            given = {id(merged[k]): merged[k] for k in keys if k in merged}
            if len(given) > 1:
                raise ValueError(f"functional_call got multiple values for keys {sorted(keys)}, "
                                 "which are tied. Consider using tie_weights=False")
            if given:
                value, = given.values()
                merged.update(dict.fromkeys(keys, value))
    if strict:  # (otherwise, as PyTorch, names the module does not have are ignored)
        problems = [f"{what} key(s): {', '.join(repr(k) for k in keys)}." for what, keys in (
            ("Unexpected", [k for k in merged if k not in slots]),
            ("Missing", [k for k, (table, name) in slots.items()
                         if k not in merged and table[name] is not None])) if keys]
        if problems:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t"
                               + "\n\t".join(problems))
    originals = []
    try:
        for key, value in merged.items():
            table, name = slots.get(key, ({}, None))
            if table.get(name) is not None:  # (as before: a None slot stays None)
                originals.append((table, name, table[name]))
                table[name] = value
        return module(*args, **(kwargs or {}))
    finally:
        for table, name, original in reversed(originals):  # (a slot shared by two names)
            table[name] = original



def replace_all_batch_norm_modules_(root):
    """Every batch-norm module of ``root`` (itself and the modules under it) patched in place
    to keep no running statistics, as ``torch.func.replace_all_batch_norm_modules_``: its
    ``running_mean``, ``running_var`` and ``num_batches_tracked`` become None and its
    ``track_running_stats`` False, so that it normalizes with the input's own statistics and
    updates nothing, which `vmap` can batch (each sample then normalizes with its own
    statistics). Returns ``root``. Duck-typed, as `functional_call` (the core needs nothing
    from ``nn``): a batch norm is a module with ``track_running_stats`` whose class, or a
    class it derives from, has "BatchNorm" in its name (instance norm is left as it is).

    >>> bn = autograd.func.replace_all_batch_norm_modules_(nn.Sequential(nn.BatchNorm1d(3)))[0]
    >>> bn.running_mean is None, bn.track_running_stats
    (True, False)
    """
    for module in root.modules():
        if getattr(module, "track_running_stats", False) and any(
                "BatchNorm" in cls.__name__ for cls in type(module).__mro__):
            module.running_mean = module.running_var = module.num_batches_tracked = None
            module.track_running_stats = False
    return root
