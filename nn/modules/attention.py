"""Multi-head attention (PyTorch's ``torch.nn.MultiheadAttention``), with its parameter
names (``in_proj_weight``, ``in_proj_bias``, ``out_proj``) so a PyTorch state_dict loads."""
import math

import numpy as np

from autograd import DtypeError, ShapeError, get_default_dtype, reshape, swapaxes
from autograd.extend import raw

from .. import functional as F
from .. import init
from ..functional._checks import _check_fraction, _check_size, _float_input
from ..functional.attention import _attend, _both
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention"]


def _as_keep(name, mask):
    """A MultiheadAttention mask as (keep, additive): boolean True means MASKED here (the
    opposite of scaled_dot_product_attention's), a float mask is added to the scores."""
    if mask is None:
        return None, None
    values = np.asarray(raw(mask))
    if values.dtype.kind == "b":
        return ~values, None
    if values.dtype.kind != "f":
        raise DtypeError(f"MultiheadAttention: {name} must be boolean (True = masked) or "
                         f"floating-point (added to the scores), got dtype {values.dtype}")
    return None, mask


class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads of size ``embed_dim // num_heads``: queries, keys
    and values projected by ``in_proj_weight`` (3 * embed_dim, embed_dim) and
    ``in_proj_bias``, attended per head, joined and projected by ``out_proj``.

    Inputs (L, N, E) (or (N, L, E) with ``batch_first``, or unbatched (L, E)); key and value
    (S, N, E). ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * num_heads, L,
    S): boolean True = NOT allowed to attend (PyTorch's convention here), or float, added
    to the scores. Returns ``(output, weights)``: weights (N, L, S) averaged over heads
    (``average_attn_weights``) or (N, num_heads, L, S), None when ``need_weights=False``.
    A query that may attend to nothing gives NaN with need_weights=True and zeros without,
    as PyTorch's.

    >>> mha = nn.MultiheadAttention(8, 2, batch_first=True)
    >>> x = autograd.randn(3, 5, 8)
    >>> out, w = mha(x, x, x)
    >>> out.shape, w.shape
    ((3, 5, 8), (3, 5, 5))
    """

    _input_kind = "float"  # see Module._input_kind

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, *, dtype=None):
        super().__init__()
        _check_size("MultiheadAttention", "embed_dim", embed_dim)
        _check_size("MultiheadAttention", "num_heads", num_heads)
        if num_heads == 0 or embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible "
                             f"by num_heads ({num_heads})")
        if add_bias_kv or add_zero_attn or (kdim not in (None, embed_dim)) or \
                (vdim not in (None, embed_dim)):
            raise NotImplementedError("MultiheadAttention: add_bias_kv, add_zero_attn and "
                                      "kdim/vdim other than embed_dim are not supported")
        _check_fraction("MultiheadAttention", "dropout", dropout,
                        "the probability of dropping an attention weight, in training")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.head_dim, self.batch_first = embed_dim // num_heads, batch_first
        self.kdim = self.vdim = embed_dim
        self._qkv_same_embed_dim = True
        dtype = dtype or get_default_dtype()
        self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype=dtype))
        self.register_parameter("in_proj_bias", Parameter(np.empty(3 * embed_dim, dtype=dtype))
                                if bias else None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's: Xavier-uniform in_proj_weight, zero biases (out_proj's weight keeps
        Linear's initialization)."""
        init.xavier_uniform_(self.in_proj_weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    def _project(self, x, k):
        """Projection ``k`` (0: query, 1: key, 2: value) of x (length, batch, E), as
        (length * batch, E): a 2-D matmul (numpy runs a 3-D one as many small ones), and
        rows of in_proj_weight sliced rather than one (.., 3 E) result sliced (each slice's
        gradient would be a full-size array)."""
        e, b = self.embed_dim, self.in_proj_bias
        return F.linear(reshape(x, (-1, e)), self.in_proj_weight[k * e:(k + 1) * e],
                        None if b is None else b[k * e:(k + 1) * e])

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        e = self.embed_dim
        key, value = (x if x is query else _float_input("MultiheadAttention", x, query.dtype)
                      for x in (key, value))  # the query is converted by Module.__call__
        if query.ndim not in (2, 3) or query.shape[-1] != e or np.ndim(key) != query.ndim \
                or np.ndim(value) != query.ndim or np.shape(key)[-1] != e or \
                np.shape(value)[-1] != e or np.shape(key)[:-1] != np.shape(value)[:-1]:
            raise ShapeError(f"MultiheadAttention: expected query (L, N, {e}), key and value "
                             f"(S, N, {e}) (batch first with batch_first=True; no batch axis "
                             f"unbatched), got {query.shape}, {np.shape(key)}, "
                             f"{np.shape(value)}")
        if is_causal and attn_mask is None:
            raise ValueError("MultiheadAttention: is_causal is a hint that attn_mask is the "
                             "causal mask; pass attn_mask too")
        batched = query.ndim == 3
        if not batched:
            query, key, value = (reshape(x, (x.shape[0], 1, e)) for x in (query, key, value))
            if key_padding_mask is not None:
                key_padding_mask = reshape(key_padding_mask, (1, -1))
        first = batched and self.batch_first  # (N, L, E) rather than (L, N, E)
        batch, length, source = (query.shape[0], query.shape[1], key.shape[1]) if first \
            else (query.shape[1], query.shape[0], key.shape[0])
        # (A, B, heads, head_dim) -> (batch, heads, length, head_dim), and back
        order, back = ((0, 2, 1, 3), (0, 2, 1, 3)) if first else ((1, 2, 0, 3), (2, 0, 1, 3))
        q, k, v = (reshape(self._project(x, i), x.shape[:2] + (self.num_heads, self.head_dim))
                   .transpose(*order) for i, x in enumerate((query, key, value)))
        keep, additive = self._masks(attn_mask, key_padding_mask, batch, length, source)
        p = self.dropout if self.training else 0.0
        out, weights = _attend((q * (1 / math.sqrt(self.head_dim))) @ swapaxes(k, -1, -2), v,
                               keep, additive, p, safe=not need_weights)
        out = reshape(out.transpose(*back), (-1, e))  # heads joined
        out = reshape(self.out_proj(out), query.shape if batched else (length, e))
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(1)
        return out, (weights if batched else weights[0])

    def _masks(self, attn_mask, key_padding_mask, batch, length, source):
        """The masks as (keep, additive) broadcasting to (batch, heads, length, source)."""
        keep_a, add_a = _as_keep("attn_mask", attn_mask)
        keep_p, add_p = _as_keep("key_padding_mask", key_padding_mask)
        heads = (batch, self.num_heads, length, source)
        if attn_mask is not None:
            shape = np.shape(attn_mask)
            if shape == (batch * self.num_heads, length, source):
                keep_a = None if keep_a is None else keep_a.reshape(heads)
                add_a = None if add_a is None else reshape(add_a, heads)
            elif shape != (length, source):
                raise ShapeError(f"MultiheadAttention: attn_mask must be ({length}, {source}) "
                                 f"or ({batch * self.num_heads}, {length}, {source}), got "
                                 f"{shape}")
        if key_padding_mask is not None:
            if np.shape(key_padding_mask) != (batch, source):
                raise ShapeError(f"MultiheadAttention: key_padding_mask must be (batch, "
                                 f"source length) = ({batch}, {source}), got "
                                 f"{np.shape(key_padding_mask)}")
            keep_p = None if keep_p is None else keep_p[:, None, None, :]
            add_p = None if add_p is None else reshape(add_p, (batch, 1, 1, source))
        additive = add_a if add_p is None else add_p if add_a is None else add_a + add_p
        return _both(keep_a, keep_p), additive

    def extra_repr(self):
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"

