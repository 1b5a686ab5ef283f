"""The Transformer encoder (PyTorch's ``nn.TransformerEncoderLayer`` and
``nn.TransformerEncoder``): self-attention and a feed-forward block, each with a residual
connection and LayerNorm, after (post-norm, the default) or before (``norm_first``)."""
import copy

from autograd import reshape

from .. import functional as F
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

__all__ = ["TransformerEncoderLayer", "TransformerEncoder"]

_ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu}


class _Composite(Module):
    """A layer made of other layers: its input must have their parameters' dtype."""

    _input_kind = "float"  # see Module._input_kind

    def _own_float_dtype(self):
        return next((p.dtype for p in self.parameters() if p.dtype.kind == "f"), None)


class TransformerEncoderLayer(_Composite):
    """One encoder layer: ``x + dropout(self_attn(x))`` then ``x + dropout(ff(x))``, ff =
    ``linear2(dropout(activation(linear1(x))))``, each followed by LayerNorm (or, with
    ``norm_first=True``, with LayerNorm applied to the branch's input instead).

    ``src_mask`` and ``src_key_padding_mask`` as `MultiheadAttention`'s ``attn_mask`` and
    ``key_padding_mask`` (boolean True = masked). Sub-module names are PyTorch's
    (``self_attn``, ``linear1``, ``linear2``, ``norm1``, ``norm2``...).

    >>> layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32,
    ...                                    batch_first=True)
    >>> layer(autograd.randn(2, 5, 16)).shape
    (2, 5, 16)
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True, *,
                 dtype=None):
        super().__init__()
        if isinstance(activation, str):
            if activation not in _ACTIVATIONS:
                raise ValueError(f"TransformerEncoderLayer: activation should be relu/gelu, "
                                 f"not {activation}")
            activation = _ACTIVATIONS[activation]
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        if dtype is not None:  # LayerNorm takes no dtype
            self.norm1.to(dtype=dtype)
            self.norm2.to(dtype=dtype)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = activation
        self.batch_first = batch_first

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal):
        out = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                             need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(out)

    def _ff_block(self, x):
        flat = reshape(x, (-1, x.shape[-1]))  # numpy runs a 3-D matmul as many small ones
        out = self.linear2(self.dropout(self.activation(self.linear1(flat))))
        return self.dropout2(reshape(out, x.shape))


class TransformerEncoder(_Composite):
    """``num_layers`` copies of ``encoder_layer`` (independent parameters) applied in turn,
    then ``norm`` if given; ``layers.0.self_attn.in_proj_weight``... as in PyTorch.

    >>> layer = nn.TransformerEncoderLayer(16, 4, 32)
    >>> enc = nn.TransformerEncoder(layer, num_layers=2)
    >>> enc(autograd.randn(5, 2, 16)).shape
    (5, 2, 16)
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                 mask_check=True):
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers, self.norm = num_layers, norm

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                      is_causal=bool(is_causal))
        return x if self.norm is None else self.norm(x)
