"""Function transforms, as ``torch.func``: `grad`, `grad_and_value`, `vjp`, `jvp`, `jacrev`,
`jacfwd`, `hessian`, `vmap` and `functional_call`.

Each takes a function and returns a function (or, for `vjp` and `jvp`, evaluates one); they
compose: ``jacrev(jacrev(f))``, ``jacfwd(jacrev(f))``, ``vmap(grad(f))``, ``grad`` of a
function that calls ``vmap``. Inputs and outputs may be pytrees (tuples, lists, dicts of
tensors). `grad`, `vjp` and `jacrev` run the reverse-mode rules; `jvp` and `jacfwd` the
forward-mode ones; `vmap` runs each op once on the whole batch through its batching rule.

>>> from autograd.func import grad, vmap
>>> x = autograd.tensor([0.0, 1.0, 2.0], dtype="float64")
>>> grad(lambda x: (x ** 3).sum())(x)              # 3 x**2
Tensor([ 0.,  3., 12.], dtype=float64)
>>> vmap(grad(lambda x: x.sin()))(x).round(decimals=4)   # cos x, one sample at a time
Tensor([ 1.    ,  0.5403, -0.4161], dtype=float64)
"""
import functools
import warnings

import numpy as np

from .. import batching, engine, ops
from ..errors import ShapeError
from ..grad_mode import _forward_mode, enable_grad, state
from ..tensor import Tensor
from . import _batching
from ._batching import Batched, BatchingError
from ._tree import flatten, tree_map, unflatten

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap",
           "functional_call", "BatchingError"]

_depth = [0]  # how many reverse-mode transforms are running (an inner one keeps its graph)


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
    outside this transform (so that gradients are per sample), and a fresh vertex of the
    graph (connected to x's own graph when x requires grad, so outer transforms see through
    it)."""
    x = _batching.align(x, levels)

    def vertex(p):
        if p.requires_grad:
            return ops._reshape(p, shape=tuple(p.shape))  # a view: a node of its own
        q = Tensor._make(p._data)
        q._requires_grad = True
        q._tangent = p._tangent
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
    the leaf is."""
    flat = [x for leaves in tracked for x in leaves]
    pairs = []
    for out, ct in zip(outputs, cotangents):
        if not (isinstance(out, Tensor) and _batching.physical(out).requires_grad):
            continue  # does not depend on the inputs: contributes zeros
        levels = set(_batching.levels_of(out))
        if not set(_batching.levels_of(ct)) <= levels:
            raise BatchingError("vjp: the cotangent is batched (vmap) where the output is not; "
                                "call vjp inside the vmap instead")
        ct = _batching.align(ct if isinstance(ct, Tensor) else Tensor(ct), levels)
        pairs.append((_batching.physical(out), _batching.physical(ct)))
    grads = [None] * len(flat)
    if pairs:
        roots, seeds = engine._seed([o for o, _ in pairs], [c for _, c in pairs], keep, "vjp")
        targets = [engine._vertex(_batching.physical(x)) for x in flat]
        captured = engine.run_backward(roots, seeds, retain or keep, keep, set(targets))
        grads = [captured.get(v) for v in targets]
    result, seen = [], set()
    for x, g in zip(flat, grads):
        p = _batching.physical(x)
        if g is None:
            g = np.zeros(p.shape, p.dtype)
        if not isinstance(g, Tensor):  # an array the backward made: ours unless shared
            if id(g) in seen or g.base is not None or not g.flags.writeable:
                g = g.copy()
            seen.add(id(g))
            g = Tensor._make(g)
        result.append(_batching.rewrap(x, g if keep else g.detach()))
    return result


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


def _basis(shape, dtype):
    """The unit tensors of ``shape``, one per element."""
    size = int(np.prod(shape, dtype=np.int64))
    eye = np.eye(size, dtype=dtype)
    return [Tensor(eye[k].reshape(shape)) for k in range(size)]


def _stack_rows(rows, out_shape, in_shape, dtype):
    """Jacobian rows (one per output element, each shaped as the input) as out + in."""
    if not rows:
        return Tensor(np.zeros(tuple(out_shape) + tuple(in_shape), dtype))
    return ops.reshape(ops.stack(rows), tuple(out_shape) + tuple(in_shape))


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """The Jacobian of ``func`` by reverse mode (one vector-Jacobian product per output
    element), as ``torch.func.jacrev``: for an output of shape O and an input of shape I, a
    tensor of shape O + I; pytrees of outputs give the same structure, each leaf holding the
    Jacobians for ``argnums`` (a tuple when ``argnums`` is a tuple)."""

    @functools.wraps(func)
    def wrapper(*args):
        nums = _argnums_tuple(argnums, len(args), "jacrev")
        box = []

        def inner(*a):
            result = func(*a)
            if has_aux:
                result, extra = result
                box.append(extra)
            return result

        out, vjp_fn = vjp(inner, *args)
        out_leaves, out_spec = flatten(out)
        zeros = [Tensor(np.zeros(o.shape, o.dtype)) for o in out_leaves]
        per_output = []
        for k, o in enumerate(out_leaves):
            rows = []  # rows[j][a]: the gradient for argnum a of output element j
            for e in _basis(o.shape, o.dtype):
                cts = list(zeros)
                cts[k] = e
                grads = vjp_fn(unflatten(cts, out_spec))
                rows.append([grads[a] for a in nums])
            blocks = []
            for i, a in enumerate(nums):
                leaves, spec = flatten(args[a])
                cols = [flatten(r[i])[0] for r in rows]
                blocks.append(unflatten([_stack_rows([c[m] for c in cols], o.shape, x.shape,
                                                     o.dtype)
                                         for m, x in enumerate(leaves)], spec))
            per_output.append(blocks[0] if isinstance(argnums, int) else tuple(blocks))
        jac = unflatten(per_output, out_spec)
        return (jac, box[0]) if has_aux else jac

    return wrapper


# ------------------------------------------------------------------------- forward mode
def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), J @ tangents)`` by forward mode (the ops' forward rules, one
    evaluation, no backward pass), as ``torch.func.jvp``: ``primals`` and ``tangents`` are
    tuples of the same structure. With ``has_aux``: ``(output, jvp_out, aux)``."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to be "
                           "tuples")
    p_leaves, p_spec = flatten(tuple(primals))
    t_leaves, t_spec = flatten(tuple(tangents))
    _check_tensors(p_leaves, "jvp(f, primals, tangents)")
    if len(p_leaves) != len(t_leaves):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have "
                           "the same python structure")
    if state.forward_ad:
        raise NotImplementedError("jvp: forward mode inside forward mode (jvp of jvp, "
                                  "jacfwd of jacfwd) is not supported; use jacfwd(jacrev(f)) "
                                  "or jacrev(jacfwd(f))")
    keep = _graph_kept(p_leaves + [t for t in t_leaves if isinstance(t, Tensor)])
    inputs = []
    for p, t in zip(p_leaves, t_leaves):
        t = t if isinstance(t, Tensor) else Tensor(np.asarray(t, dtype=p.dtype))
        if t.shape != p.shape:
            raise RuntimeError(f"jvp(f, primals, tangents): Expected primals and tangents to "
                               f"have the same shape, got {p.shape} and {t.shape}")
        levels = set(_batching.levels_of(p)) | set(_batching.levels_of(t))
        p, t = _batching.align(p, levels), _batching.align(t, levels)
        phys = _batching.physical(p)
        q = ops._reshape(phys, shape=tuple(phys.shape)) if phys.requires_grad else \
            Tensor._make(phys._data)
        q._tangent = _batching.physical(t)
        inputs.append(_batching.rewrap(p, q))
    out = None
    try:
        with _forward_mode():
            out = func(*unflatten(inputs, p_spec))
        aux = None
        if has_aux:
            out, aux = out
        o_leaves, o_spec = flatten(out)
        _check_tensors(o_leaves, "jvp(f, primals, tangents)")
        tangent_out = []
        for o in o_leaves:
            phys = _batching.physical(o)
            t = phys._tangent
            t = Tensor(np.zeros(phys.shape, phys.dtype)) if t is None else t
            tangent_out.append(_plain(_batching.rewrap(o, t), keep))
    finally:
        for q in inputs:
            _batching.physical(q)._tangent = None
        for o in flatten(out)[0] if out is not None else ():
            if isinstance(o, Tensor):
                _batching.physical(o)._tangent = None
    result = (tree_map(lambda o: _plain(o, keep), out), unflatten(tangent_out, o_spec))
    return result + (tree_map(lambda a: _plain(a, keep), aux),) if has_aux else result


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` by forward mode (one jvp per input element), as
    ``torch.func.jacfwd``: same shapes and structure as `jacrev`."""

    @functools.wraps(func)
    def wrapper(*args):
        nums = _argnums_tuple(argnums, len(args), "jacfwd")
        box = []

        def at(*xs):
            full = list(args)
            for a, x in zip(nums, xs):
                full[a] = x
            result = func(*full)
            if has_aux:
                result, extra = result
                if not box:
                    box.append(extra)
            return result

        primals = tuple(args[a] for a in nums)
        p_leaves, p_spec = flatten(primals)
        out_leaves, out_spec, columns = None, None, [[] for _ in p_leaves]
        for m, p in enumerate(p_leaves):
            for e in _basis(p.shape, p.dtype):
                tangents = [e if i == m else Tensor(np.zeros(q.shape, q.dtype))
                            for i, q in enumerate(p_leaves)]
                out, tout = jvp(at, primals, unflatten(tangents, p_spec))
                out_leaves, out_spec = flatten(out)
                columns[m].append(flatten(tout)[0])
        if out_leaves is None:  # no input elements at all
            out = at(*primals)
            out_leaves, out_spec = flatten(out)
        per_output = []
        for k, o in enumerate(out_leaves):
            blocks = []
            start = 0
            for a in nums:
                leaves, spec = flatten(args[a])
                jacs = []
                for m, x in enumerate(leaves, start):
                    cols = [c[k] for c in columns[m]]
                    if cols:
                        j = ops.stack(cols, dim=-1)  # out + (in elements,)
                        j = ops.reshape(j, tuple(o.shape) + tuple(x.shape))
                    else:
                        j = Tensor(np.zeros(tuple(o.shape) + tuple(x.shape), o.dtype))
                    jacs.append(j)
                start += len(leaves)
                blocks.append(unflatten(jacs, spec))
            per_output.append(blocks[0] if isinstance(argnums, int) else tuple(blocks))
        jac = unflatten(per_output, out_spec)
        return (jac, box[0]) if has_aux else jac

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

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        leaves, spec = flatten(args)
        dims = _broadcast_dims(in_dims, args)
        sizes = {x.shape[d] if isinstance(x, Tensor) else None for x, d in zip(leaves, dims)
                 if d is not None}
        for x, d in zip(leaves, dims):
            if d is not None and not isinstance(x, Tensor):
                raise ValueError(f"vmap: Got in_dim={d} for an input but the input is of type "
                                 f"{type(x)}. We cannot vmap over non-Tensor arguments, please "
                                 "use None as the respective in_dim")
            if d is not None and not -x.ndim <= d < max(x.ndim, 1) or d is not None and \
                    x.ndim == 0:
                raise ValueError(f"vmap: Got in_dim={d} for an input but the input has only "
                                 f"{x.ndim} dims")
        if not sizes:
            raise ValueError("vmap: at least one input must be mapped (in_dims all None)")
        if len(sizes) > 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sorted(sizes)} for the mapped dimension")
        size = sizes.pop()
        if chunk_size is not None and chunk_size < size or randomness == "different":
            step = 1 if randomness == "different" and chunk_size is None else chunk_size
            return _chunked(func, leaves, spec, dims, size, step, kwargs)
        try:
            return _run(func, leaves, spec, dims, size, kwargs, randomness)
        except BatchingError as err:
            op = _batching.reading_op(err.__traceback__)
            if op is None:  # the user's own code read the values: as PyTorch, an error
                raise
            warnings.warn(f"vmap: the op {op!r} reads the values of its batched input in "
                          f"Python (it has no batching rule), so the function runs once per "
                          f"sample ({size} times)", stacklevel=2)
            return _per_sample(func, leaves, spec, dims, size, kwargs)

    def _run(fn, leaves, spec, dims, size, kwargs, randomness_mode):
        level = _batching.push_level(size, randomness_mode)
        try:
            inputs = [Batched(_batching.move_to_front(x, d), level) if d is not None else x
                      for x, d in zip(leaves, dims)]
            out = fn(*unflatten(inputs, spec), **kwargs)
        finally:
            _batching.pop_level()
        o_leaves, o_spec = flatten(out)
        o_dims = _broadcast_dims(out_dims, out if isinstance(out, tuple) else (out,))
        if not isinstance(out, tuple):
            o_dims = o_dims[:len(o_leaves)]
        results = []
        for o, d in zip(o_leaves, o_dims):
            if not isinstance(o, Tensor):
                raise ValueError(f"vmap: `{getattr(func, '__name__', func)}` must only return "
                                 f"Tensors, got type {type(o)}")
            if type(o) is Batched and o.level == level:
                v = o.value
            else:  # not batched: the same value for every sample
                v = batching.expand(o, size) if d is not None else o
            results.append(v if d is None else _batching.move_from_front(v, d))
        return unflatten(results, o_spec)

    def _per_sample(fn, leaves, spec, dims, size, kwargs):
        outs = [fn(*unflatten([ops._getitem(x, index=(slice(None),) * (d % x.ndim) + (b,))
                               if d is not None else x for x, d in zip(leaves, dims)], spec),
                   **kwargs) for b in range(size)]
        o_leaves = [flatten(o)[0] for o in outs]
        o_spec = flatten(outs[0])[1]
        o_dims = _broadcast_dims(out_dims, outs[0] if isinstance(outs[0], tuple)
                                 else (outs[0],))
        return unflatten([ops.stack([o[k] for o in o_leaves], dim=d)
                          for k, d in enumerate(o_dims[:len(o_leaves[0])])], o_spec)

    def _chunked(fn, leaves, spec, dims, size, step, kwargs):
        outs = []
        mode = "same" if randomness == "different" else randomness
        for start in range(0, size, step):
            part = [ops._getitem(x, index=(slice(None),) * (d % x.ndim) +
                                 (slice(start, start + step),)) if d is not None else x
                    for x, d in zip(leaves, dims)]
            outs.append(_run(fn, part, spec, dims, min(step, size - start), kwargs, mode))
        o_leaves = [flatten(o)[0] for o in outs]
        o_spec = flatten(outs[0])[1]
        o_dims = _broadcast_dims(out_dims, outs[0] if isinstance(outs[0], tuple)
                                 else (outs[0],))
        return unflatten([ops.concatenate([o[k] for o in o_leaves], axis=d)
                          for k, d in enumerate(o_dims[:len(o_leaves[0])])], o_spec)

    return wrapper


def _broadcast_dims(dims, tree):
    """in_dims/out_dims (an int or None for everything, or a structure matching ``tree``'s,
    whose ints apply to whole subtrees) as one dim per leaf of ``tree``."""
    if dims is None or isinstance(dims, int):
        return [dims] * len(flatten(tree)[0])
    if isinstance(dims, (tuple, list)) and isinstance(tree, (tuple, list)):
        if len(dims) != len(tree):
            raise ValueError(f"vmap: in_dims is not compatible with the structure of the "
                             f"inputs: {len(dims)} entries for {len(tree)} inputs")
        return [d for sub_dims, sub in zip(dims, tree) for d in _broadcast_dims(sub_dims, sub)]
    if isinstance(dims, dict) and isinstance(tree, dict):
        return [d for key in tree for d in _broadcast_dims(dims[key], tree[key])]
    raise ValueError(f"vmap: in_dims/out_dims {dims!r} does not match the structure of the "
                     "inputs/outputs")


# ------------------------------------------------------------------------- modules
def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the tensors of ``parameter_and_buffer_dicts`` (a dict
    keyed by parameter/buffer names, or a tuple of such dicts) in place of the module's own,
    as ``torch.func.functional_call``: the pure function of the parameters that `grad` and
    `vmap` need, e.g. ``grad(lambda p: loss(functional_call(model, p, (x,))))(params)``.
    Any module with ``named_modules()`` and ``_parameters``/``_buffers`` dicts works (the
    core needs nothing from ``nn``); a shared (tied) parameter is replaced everywhere."""
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
    if strict:  # (otherwise, as PyTorch, names the module does not have are ignored)
        problems = [f"{what} key(s): {', '.join(repr(k) for k in keys)}." for what, keys in (
            ("Unexpected", [k for k in merged if k not in slots]),
            ("Missing", [k for k in slots if k not in merged])) if keys]
        if problems:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t"
                               + "\n\t".join(problems))
    substitutes = {}
    for key, value in merged.items():
        if key in slots:
            table, name = slots[key]
            substitutes[id(table[name])] = value
    originals = []
    try:
        for table, name in slots.values():
            original = table[name]
            if original is not None and id(original) in substitutes:
                originals.append((table, name, original))
                table[name] = substitutes[id(original)]
        return module(*args, **(kwargs or {}))
    finally:
        for table, name, original in originals:
            table[name] = original

