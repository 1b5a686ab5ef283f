"""PyTorch's in-place forms (``x.sqrt_()``, ``x.addcmul_(a, b, value=v)``, ``x.index_put_``...)
and the ops PyTorch's hand-written optimizers and samplers use: ``addcmul``, ``addcdiv``,
``index_put``, ``put``, ``fill_diagonal_``, ``detach_``.

One mechanism makes every in-place form: `in_place(op, name)` runs the out-of-place ``op`` and
writes its result into the tensor through `engine.inplace_update` (the tensor's memory, every
alias, its version counter, its place in the graph, vmap's in-place hook). The forms are not
written one by one: `INPLACE` lists PyTorch's names, and each op's entry is made from the
registry entry of its out-of-place op (its signature and kind; its aliases give the other
names), so ``x.arcsin_()`` is ``x.asin_()`` as ``arcsin`` is ``asin``.
"""
import inspect

import numpy as np

from . import registry
from .engine import inplace_update
from .errors import DtypeError, IndexingError, ShapeError
from .grad_mode import state
from .ops import (_index_put, _plain_index, _raw, _scatter_add, masked_fill, reshape,
                  where)
from .registry import registered
from .tensor import Tensor


def in_place(op, name, doc=None, check=None):
    """The in-place form ``name`` of ``op(x, *args, **kwargs)``: x <- op(x, ...) in x's memory
    (a result dtype x cannot store raises, as PyTorch's ``int_tensor.sqrt_()``); ``check(x,
    *args, **kwargs)`` refuses inputs before anything is written."""

    def update(x, *args, **kwargs):
        if check is not None:
            check(x, *args, **kwargs)
        others = tuple(a for a in args + tuple(kwargs.values()) if isinstance(a, Tensor))
        return inplace_update(x, name, others, lambda: _in_graph(x, op(x, *args, **kwargs)))

    update.__name__ = update.__qualname__ = name
    update.__doc__ = doc or f"`{op.__name__}`, in place (x's memory changed, its version counted)."
    update.__signature__ = inspect.signature(op)
    return update


def _in_graph(x, out):
    """A result without a gradient (a comparison, a bitwise op, a draw) written into an x that
    requires grad: x's place in the graph with a zero gradient, as PyTorch's."""
    if state.grad_enabled and x.requires_grad and not (isinstance(out, Tensor)
                                                       and out.requires_grad):
        return where(np.ones(x.shape, bool), out, x)
    return out


def _float_power_target(x, *args, **kwargs):
    if x.dtype != np.float64:
        raise DtypeError(f"float_power_: the result is float64, which the tensor of dtype "
                         f"{x.dtype} cannot hold exactly; convert it first: "
                         "x = x.double(); x.float_power_(...)")


# PyTorch's in-place Tensor methods whose out-of-place op is ours (names and aliases alike;
# not the ones that change a shape: squeeze_, t_, transpose_...)
INPLACE = """abs absolute acos acosh arccos arccosh arcsin arcsinh arctan arctan2 arctanh asin
asinh atan atan2 atanh bitwise_and bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift
bitwise_xor ceil clamp_max clamp_min clip copysign cos cosh deg2rad divide eq erf exp exp2 expm1
fix float_power floor frac ge greater greater_equal gt hypot le lerp less less_equal log log10
log1p log2 logical_and logical_not logical_or logical_xor logit lt multiply nan_to_num ne neg
negative not_equal rad2deg reciprocal relu round rsqrt sgn sigmoid sign sin sinc sinh sqrt square
subtract tan tanh true_divide trunc xlogy addbmm addmm addmv baddbmm cumprod cumsum tril triu
addcmul addcdiv index_put put""".split()
CHECKS = {"float_power": _float_power_target}


def _declare(names):
    """One registry entry per out-of-place op named in ``names``: its in-place form, under
    every name of the op that PyTorch has one for (``abs_`` and ``absolute_``); where the op
    has one already (``sub_``), the other names (``subtract_``) are that one."""
    by_name = {n: e for e in registry.entries() for n in (e.name,) + e.aliases}
    groups = {}
    for n in names:
        groups.setdefault(by_name[n].name, []).append(n)
    made = {}
    for base, spelled in groups.items():
        entry = by_name[base]
        first = base if base in spelled else spelled[0]
        name = first + "_"
        existing = registry.REGISTRY.get(base + "_")  # sub_, mul_, div_: other names for it
        fn = existing.fn if existing else in_place(entry.fn, name, check=CHECKS.get(base))
        registry.register(fn, "none" if entry.kind == "none" else "inplace", name=name,
                          method=tuple(n + "_" for n in spelled),
                          aliases=tuple(n + "_" for n in spelled if n != first))
        made[name] = fn
    return made


# ============================================================ optimizers' pointwise updates
@registered(method=True)
def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2, elementwise (PyTorch's; Adam's second moment:
    ``exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)``).

    >>> a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])
    >>> autograd.addcmul(autograd.ones(2), a, b, value=0.5)
    Tensor([2.5, 5. ])
    """
    return input + _scaled(value, tensor1 * tensor2)


@registered(method=True)
def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2, elementwise (PyTorch's; Adam's step:
    ``p.addcdiv_(exp_avg, denom, value=-step_size)``). Integer tensor1 and tensor2 raise, as
    PyTorch's (its integer division was removed).

    >>> a, b = autograd.tensor([1.0, 2.0]), autograd.tensor([4.0, 4.0])
    >>> autograd.addcdiv(autograd.ones(2), a, b, value=2)
    Tensor([1.5, 2. ])
    """
    if all(np.result_type(_raw(t)).kind in "biu" for t in (tensor1, tensor2)):
        raise DtypeError("addcdiv: integer division of tensor1 by tensor2 is not supported "
                         f"(dtypes {np.result_type(_raw(tensor1))} and "
                         f"{np.result_type(_raw(tensor2))}); convert one to floating first, "
                         "e.g. tensor1.double()")
    return input + _scaled(value, tensor1 / tensor2)


def _scaled(value, t):
    return t if not isinstance(value, Tensor) and value == 1 else value * t


# ============================================================ writing at indices
def _index(op, x, indices):
    """PyTorch's ``indices`` (a tuple or list of integer or bool tensors, one per leading axis)
    as a numpy index, its bounds checked."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{op}: indices must be a tuple of tensors, e.g. (rows, cols), got "
                        f"{type(indices).__name__}")
    index = tuple(_plain_index(i if isinstance(i, Tensor) else np.asarray(i)) for i in indices)
    if len(index) > x.ndim:
        raise IndexingError(f"{op}: {len(index)} index tensors for a tensor of {x.ndim} "
                            f"dimensions (shape {x.shape})")
    for axis, i in enumerate(index):
        a = _raw(i)
        if a.dtype.kind in "iu" and a.size and not (-x.shape[axis] <= a.min() and
                                                    a.max() < x.shape[axis]):
            raise IndexingError(f"{op}: index {int(a.min() if a.min() < 0 else a.max())} is "
                                f"out of range for dimension {axis} of size {x.shape[axis]}")
        if a.dtype.kind not in "iub":
            raise IndexingError(f"{op}: indices must be integer or bool tensors, got dtype "
                                f"{a.dtype} for dimension {axis}")
    return index


@registered("composite", method=True)
def index_put(input, indices, values, accumulate=False):
    """input with ``input[indices] = values`` (PyTorch's ``index_put``), or with values added
    there when ``accumulate`` (repeated indices add up). ``values`` must have input's dtype.

    >>> x, at = autograd.zeros(3), (autograd.tensor([0, 0, 2]),)
    >>> x.index_put(at, autograd.tensor([1.0, 2.0, 3.0]), accumulate=True)
    Tensor([3., 0., 3.])
    """
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put: values must be a Tensor, got {type(values).__name__}; "
                        "e.g. autograd.tensor(1.0)")
    if values.dtype != input.dtype:
        raise DtypeError(f"index_put: values have dtype {values.dtype} but the tensor has "
                         f"dtype {input.dtype}; they must match: values.to({input.dtype})")
    index = _index("index_put", input, indices)
    try:
        picked = np.broadcast_to(False, input.shape)[index].shape  # no copy of input
    except IndexError as err:  # index tensors that do not broadcast together
        raise IndexingError(f"index_put: {err} (tensor shape {input.shape})") from err
    try:
        fits = np.broadcast_shapes(values.shape, picked) == picked
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"index_put: values of shape {values.shape} do not fit the "
                         f"{picked} entries the indices pick from a tensor of shape "
                         f"{input.shape}")
    if accumulate:
        return input + _scatter_add(values, index=index, shape=input.shape)
    return _index_put(input, values, index=index)


@registered("composite", method=True)
def put(input, index, source, accumulate=False):
    """input with entries replaced by ``source`` (added when ``accumulate``) at ``index``,
    counted in input's flattened order (PyTorch's ``put``).

    >>> autograd.zeros(2, 2).put(autograd.tensor([3, 0]), autograd.tensor([1.0, 2.0]))
    Tensor([[2., 0.],
            [0., 1.]])
    """
    if not isinstance(source, Tensor):
        raise TypeError(f"put: source must be a Tensor, got {type(source).__name__}")
    index = index if isinstance(index, Tensor) else np.asarray(index)
    if index.size != source.size:
        raise ShapeError(f"put: index has {index.size} entries but source has {source.size}; "
                         "they must have the same number")
    flat = index_put(reshape(input, -1), (reshape(index, -1),), reshape(source, -1),
                     accumulate=accumulate)
    return reshape(flat, input.shape)


def _diagonal_mask(x, wrap):
    if x.ndim < 2 or (x.ndim > 2 and len(set(x.shape)) > 1):
        raise ShapeError(f"fill_diagonal_: the tensor must have at least 2 dimensions, and all "
                         f"of the same length beyond 2; got shape {x.shape}")
    mask = np.zeros(x.shape, bool)
    np.fill_diagonal(mask, True, wrap=wrap)  # PyTorch's wrap is numpy's: a blank row between
    return mask


@registered("inplace", method=True)
def fill_diagonal_(input, fill_value, wrap=False):
    """The main diagonal of input (all indices equal) set to ``fill_value``, in place;
    ``wrap`` starts it again below a tall matrix's square top (PyTorch's).

    >>> autograd.zeros(2, 3).fill_diagonal_(1.0)
    Tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    mask = _diagonal_mask(input, wrap)
    return inplace_update(input, "fill_diagonal_", (fill_value,),
                          lambda: masked_fill(input, mask, fill_value))


@registered("none", method=True)
def detach_(input):
    """The tensor itself, taken out of the graph: a leaf that does not require grad (PyTorch's
    ``detach_``); a view raises, as PyTorch's (detach() it instead).

    >>> y = autograd.ones(2, requires_grad=True) * 2
    >>> y.detach_().requires_grad, y.is_leaf
    (False, True)
    """
    if input._base is not None:
        raise RuntimeError(f"detach_: the tensor (shape {input.shape}) is a view of another "
                           "tensor, and views cannot be detached in place; use y = x.detach() "
                           "instead")
    input._node, input._requires_grad, input._tangent = None, False, None
    return input


globals().update(_declare(INPLACE))
