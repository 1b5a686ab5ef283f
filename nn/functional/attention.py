"""Scaled dot-product attention (PyTorch's ``F.scaled_dot_product_attention``) and the
multi-head attention computation behind `nn.MultiheadAttention`.

Attention is a few batched matmuls around one fused softmax over the keys, `_softmax`,
which also applies a boolean mask (entries not kept are -inf before the softmax) and whose
rules read only its result: ``ans * (g - sum(g * ans))``. A fully masked row is zeros
(``safe``, as PyTorch's scaled_dot_product_attention) or NaN (as PyTorch's
MultiheadAttention when it returns its weights).
"""
import math

import numpy as np

from autograd import DtypeError, ShapeError, Tensor, sum as sum_of, swapaxes
from autograd.extend import primitive, raw, registered

from .dropout import dropout as _dropout

__all__ = ["scaled_dot_product_attention"]


def _softmax_rule(g, ans, x, keep, safe):
    return ans * (g - sum_of(g * ans, -1, keepdims=True))


@primitive(vjp=_softmax_rule, jvp=_softmax_rule, saves="ans")
def _softmax(x, keep, safe):
    """softmax over the last axis of x, with the entries where ``keep`` (a boolean array
    broadcasting to x, or None) is False excluded."""
    x = np.asarray(x)
    if keep is not None:
        x = np.where(keep, x, -np.inf)
    shift = np.max(x, axis=-1, keepdims=True)
    if safe:
        shift = np.where(np.isfinite(shift), shift, 0)
    with np.errstate(invalid="ignore"):  # a fully masked row: 0/0 unless safe
        e = np.exp(x - shift)
        total = np.sum(e, axis=-1, keepdims=True)
        if safe:
            total = np.where(total == 0, 1, total)
        return e / total


def _mask_parts(fn, attn_mask):
    """(keep, additive): a boolean mask as the entries kept, a float one to add."""
    if attn_mask is None:
        return None, None
    kind = np.asarray(raw(attn_mask)).dtype.kind
    if kind == "b":
        return np.asarray(raw(attn_mask)), None
    if kind != "f":
        raise DtypeError(f"{fn}: attn_mask must be boolean or floating-point, got dtype "
                         f"{np.asarray(raw(attn_mask)).dtype}")
    return None, attn_mask


def _both(a, b):
    if a is None:
        return b
    return a if b is None else a & b


def _attend(scores, value, keep, additive, dropout_p, safe):
    """softmax(scores + additive, masked by keep) @ value, with dropout on the weights;
    returns (output, weights after dropout), as PyTorch's MultiheadAttention."""
    if additive is not None:
        scores = scores + additive
    weights = _softmax(scores, keep=keep, safe=safe)
    dropped = _dropout(weights, dropout_p, True) if dropout_p > 0 else weights
    return dropped @ value, dropped


@registered("general", namespace="nn.functional")
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """``softmax(query @ key.T * scale + mask) @ value`` over the last two axes: query
    (..., L, E), key (..., S, E), value (..., S, Ev) give (..., L, Ev); ``scale`` defaults
    to 1 / sqrt(E).

    ``attn_mask`` (broadcasting to (..., L, S)): boolean, True where a query MAY attend to a
    key (PyTorch's convention here; `nn.MultiheadAttention`'s masks are the opposite), or
    float, added to the scores. ``is_causal``: query i attends to keys 0..i only (combined
    with attn_mask when both are given). A query that may attend to nothing gets zeros.
    ``dropout_p``: dropout on the attention weights (always applied when > 0, as PyTorch's:
    pass 0 in eval).

    >>> q = autograd.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    >>> F.scaled_dot_product_attention(q, q, q, is_causal=True)[0, 0].tolist()
    [1.0, 0.0]
    """
    if enable_gqa:
        raise NotImplementedError("scaled_dot_product_attention: enable_gqa is not supported")
    for name, t in (("query", query), ("key", key), ("value", value)):
        if np.ndim(t) < 2:
            raise ShapeError(f"scaled_dot_product_attention: {name} must have at least 2 "
                             f"dimensions (..., sequence, features), got shape {np.shape(t)}")
        if np.asarray(raw(t)).dtype.kind != "f":
            raise DtypeError(f"scaled_dot_product_attention: {name} must be floating-point, "
                             f"got dtype {np.asarray(raw(t)).dtype}")
    L, E = np.shape(query)[-2:]
    S = np.shape(key)[-2]
    if np.shape(key)[-1] != E or np.shape(value)[-2] != S:
        raise ShapeError(f"scaled_dot_product_attention: query {np.shape(query)}, key "
                         f"{np.shape(key)} and value {np.shape(value)} do not fit: key needs "
                         "query's feature size, value key's sequence length")
    keep, additive = _mask_parts("scaled_dot_product_attention", attn_mask)
    if is_causal:
        keep = _both(keep, np.tril(np.ones((L, S), dtype=bool)))
    if keep is not None:
        try:
            np.broadcast_shapes(keep.shape, np.shape(query)[:-2] + (L, S))
        except ValueError:
            raise ShapeError(f"scaled_dot_product_attention: attn_mask of shape {keep.shape} "
                             f"does not broadcast to the scores' shape "
                             f"{np.shape(query)[:-2] + (L, S)}") from None
    scale = 1 / math.sqrt(E) if scale is None else scale
    q = query if isinstance(query, Tensor) else Tensor(query)
    return _attend((q * scale) @ swapaxes(key, -1, -2), value, keep, additive, dropout_p,
                   True)[0]
