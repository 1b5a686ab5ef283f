"""scaled_dot_product_attention, MultiheadAttention and the Transformer encoder: float64
gradient checks, mask conventions, fully masked rows, errors, a small task learned, and
(with torch installed) PyTorch parity on copied weights."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck, jvp
from seq_tasks import reversal_accuracy


def _t(rng, *shape, grad=True):
    return autograd.tensor(rng.standard_normal(shape), requires_grad=grad)


# ---------------------------------------------------------------- scaled dot-product
@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True}, {"scale": 0.7}, {"mask": "bool"},
                                    {"mask": "float"}], ids=str)
def test_sdpa_gradcheck_gradgradcheck_and_forward_mode(kwargs):
    rng = np.random.default_rng(0)
    q, k, v = _t(rng, 2, 3, 4), _t(rng, 2, 5, 4), _t(rng, 2, 5, 2)
    kwargs = dict(kwargs)
    mask = kwargs.pop("mask", None)
    if mask == "bool":
        keep = rng.random((3, 5)) > 0.4
        keep[:, 0] = True
        kwargs["attn_mask"] = autograd.tensor(keep)
    elif mask == "float":
        kwargs["attn_mask"] = autograd.tensor(rng.standard_normal((3, 5)))

    def fn(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, **kwargs)

    assert gradcheck(fn, [q, k, v])
    assert gradgradcheck(fn, [q, k, v])
    tangents = tuple(autograd.tensor(rng.standard_normal(x.shape)) for x in (q, k, v))
    _, t = jvp(fn, (q, k, v), tangents)
    eps = 1e-6
    shifted = [fn(*[autograd.tensor(x.numpy() + s * eps * d.numpy())
                    for x, d in zip((q, k, v), tangents)]).numpy() for s in (1, -1)]
    np.testing.assert_allclose(t.numpy(), (shifted[0] - shifted[1]) / (2 * eps), rtol=1e-6,
                               atol=1e-8)


def test_sdpa_by_hand_and_causal_is_a_lower_triangular_mask():
    q = autograd.tensor([[1.0, 0.0], [0.0, 1.0]])
    v = autograd.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = F.scaled_dot_product_attention(q, q, v, scale=1.0)
    w = np.exp([[1, 0], [0, 1]]) / np.exp([[1, 0], [0, 1]]).sum(1, keepdims=True)
    np.testing.assert_allclose(out.numpy(), w @ v.numpy(), rtol=1e-6)
    rng = np.random.default_rng(1)
    q, k, v = _t(rng, 4, 3), _t(rng, 4, 3), _t(rng, 4, 2)
    causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    masked = F.scaled_dot_product_attention(q, k, v,
                                            attn_mask=autograd.tensor(np.tril(np.ones((4, 4),
                                                                                  bool))))
    np.testing.assert_allclose(causal.numpy(), masked.numpy())
    np.testing.assert_allclose(causal.numpy()[0], v.numpy()[0])  # sees only key 0


def test_fully_masked_rows_sdpa_zeros_mha_nan_with_weights_zeros_without():
    rng = np.random.default_rng(2)
    q = _t(rng, 1, 3, 4)
    keep = np.ones((3, 3), bool)
    keep[1] = False
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=autograd.tensor(keep))
    assert not out.numpy()[0, 1].any() and np.isfinite(out.numpy()).all()
    out.sum().backward()
    assert np.isfinite(q.grad.numpy()).all()
    mha = nn.MultiheadAttention(4, 2, dtype="float64")
    x = _t(rng, 3, 2, 4)
    padding = autograd.tensor(np.array([[True, True, True], [False, True, False]]))
    out, w = mha(x, x, x, key_padding_mask=padding)
    assert np.isnan(out.numpy()[:, 0]).all() and np.isfinite(out.numpy()[:, 1]).all()
    assert np.isnan(w.numpy()[0]).all()
    out, none = mha(x, x, x, key_padding_mask=padding, need_weights=False)
    assert none is None and np.isfinite(out.numpy()).all()


def test_boolean_masks_mean_opposite_things_in_sdpa_and_multihead_attention():
    rng = np.random.default_rng(3)
    mha = nn.MultiheadAttention(4, 1, bias=False, dtype="float64")
    nn.init.eye_(mha.out_proj.weight)
    x = _t(rng, 5, 1, 4)
    blocked = np.triu(np.ones((5, 5), bool), 1)  # MultiheadAttention: True = masked
    out = mha(x, x, x, attn_mask=autograd.tensor(blocked), need_weights=False)[0]
    w = mha.in_proj_weight.numpy()
    q, k, v = (autograd.tensor(x.numpy()[:, 0] @ w[i * 4:(i + 1) * 4].T) for i in range(3))
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=autograd.tensor(~blocked))
    np.testing.assert_allclose(out.numpy()[:, 0], ref.numpy(), atol=1e-12)


def test_sdpa_errors():
    with pytest.raises(autograd.ShapeError, match="scaled_dot_product_attention: query"):
        F.scaled_dot_product_attention(autograd.zeros(2, 3), autograd.zeros(2, 4),
                                       autograd.zeros(2, 4))
    with pytest.raises(autograd.ShapeError, match="attn_mask of shape"):
        F.scaled_dot_product_attention(autograd.zeros(2, 3), autograd.zeros(2, 3),
                                       autograd.zeros(2, 3),
                                       attn_mask=autograd.tensor(np.ones((3, 3), bool)))
    with pytest.raises(autograd.DtypeError, match="attn_mask must be boolean or floating"):
        F.scaled_dot_product_attention(autograd.zeros(2, 3), autograd.zeros(2, 3),
                                       autograd.zeros(2, 3), attn_mask=autograd.tensor([[1]]))


# ---------------------------------------------------------------- modules
def test_multihead_attention_gradcheck_and_parameters():
    rng = np.random.default_rng(4)
    mha = nn.MultiheadAttention(4, 2, batch_first=True, dtype="float64")
    assert [n for n, _ in mha.named_parameters()] == [
        "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert not mha.in_proj_bias.numpy().any()
    x, y = _t(rng, 2, 3, 4), _t(rng, 2, 5, 4)
    padding = autograd.tensor(np.array([[False] * 4 + [True], [False] * 5]))
    assert gradcheck(lambda x, y: mha(x, y, y, key_padding_mask=padding,
                                      average_attn_weights=False), [x, y])
    out, w = mha(x, y, y, average_attn_weights=False)
    assert out.shape == (2, 3, 4) and w.shape == (2, 2, 3, 5)
    np.testing.assert_allclose(w.numpy().sum(-1), 1)
    one, w1 = mha(x[0], y[0], y[0])  # unbatched
    np.testing.assert_allclose(one.numpy(), out.numpy()[0], atol=1e-12)
    assert w1.shape == (3, 5)


def test_multihead_attention_errors():
    with pytest.raises(ValueError, match="embed_dim \\(6\\) must be divisible by num_heads"):
        nn.MultiheadAttention(6, 4)
    mha = nn.MultiheadAttention(4, 2)
    x = autograd.zeros(3, 2, 4)
    with pytest.raises(autograd.ShapeError, match="attn_mask must be \\(3, 3\\)"):
        mha(x, x, x, attn_mask=autograd.tensor(np.ones((2, 2), bool)))
    with pytest.raises(autograd.ShapeError, match="key_padding_mask must be"):
        mha(x, x, x, key_padding_mask=autograd.tensor(np.ones((3, 2), bool)))
    with pytest.raises(ValueError, match="is_causal is a hint"):
        mha(x, x, x, is_causal=True)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_encoder_layer_gradcheck(norm_first, activation):
    rng = np.random.default_rng(5)
    layer = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, activation=activation,
                                       norm_first=norm_first, dtype="float64")
    x = _t(rng, 3, 2, 4)
    mask = autograd.tensor(np.triu(np.ones((3, 3), bool), 1))
    assert gradcheck(lambda x: layer(x, src_mask=mask), [x])


def test_encoder_copies_the_layer_and_applies_the_final_norm():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
    keys = list(enc.state_dict())
    assert "layers.1.self_attn.in_proj_weight" in keys and "norm.weight" in keys
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight
    out = enc(autograd.randn(5, 2, 8))
    np.testing.assert_allclose(out.numpy().mean(-1), 0, atol=1e-5)
    with pytest.raises(ValueError, match="activation should be relu/gelu"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_a_transformer_learns_to_reverse_sequences():
    autograd.manual_seed(0)
    vocab, length, d = 6, 6, 32

    class Reverser(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, d)
            self.pos = nn.Embedding(length, d)
            self.encoder = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True)
            self.out = nn.Linear(d, vocab)

        def forward(self, ids):
            x = self.embed(ids) + self.pos(autograd.arange(length))
            return self.out(self.encoder(x))

    accuracy, seconds = reversal_accuracy(Reverser(), vocab, length, steps=200, lr=0.01)
    assert accuracy > 0.9, accuracy
    assert seconds < 30


# ---------------------------------------------------------------- PyTorch parity
def _copy(ours, theirs):
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()})


def _compare(torch, ours_fn, theirs_fn, arrays, rng):
    xo = [autograd.tensor(a, requires_grad=True) for a in arrays]
    xt = [torch.tensor(a, requires_grad=True) for a in arrays]
    a, b = ours_fn(*xo), theirs_fn(*xt)
    a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
    pairs = [(u, v) for u, v in zip(a, b) if v is not None]
    assert all(u is None for u, v in zip(a, b) if v is None)
    for u, v in pairs:
        np.testing.assert_allclose(u.numpy(), v.detach().numpy(), rtol=1e-10, atol=1e-12)
    ws = [rng.standard_normal(tuple(u.shape)) for u, _ in pairs]
    sum(((u * autograd.tensor(w)).sum() for (u, _), w in zip(pairs, ws)),
        autograd.zeros(())).backward()
    sum((v * torch.tensor(w)).sum() for (_, v), w in zip(pairs, ws)).backward()
    for u, v in zip(xo, xt):
        np.testing.assert_allclose(u.grad.numpy(), v.grad.numpy(), rtol=1e-9, atol=1e-12)


MHA_CASES = [
    {}, {"need_weights": False}, {"average_attn_weights": False}, {"cross": True},
    {"batch_first": True, "padding": True}, {"causal": True},
    {"causal": True, "need_weights": False, "padding": True}, {"float_mask": True},
    {"bias": False, "batch_first": True},
]


@pytest.mark.parametrize("case", MHA_CASES, ids=lambda c: "-".join(c) or "default")
def test_multihead_attention_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    case = dict(case)
    bf, cross = case.pop("batch_first", False), case.pop("cross", False)
    theirs = torch.nn.MultiheadAttention(8, 2, bias=case.pop("bias", True),
                                         batch_first=bf).double()
    ours = nn.MultiheadAttention(8, 2, bias=theirs.in_proj_bias is not None, batch_first=bf,
                                 dtype="float64")
    _copy(ours, theirs)
    rng = np.random.default_rng(6)
    L, S, N = 4, (6 if cross else 4), 3
    shape = (lambda n: (N, n, 8)) if bf else (lambda n: (n, N, 8))
    kwargs_o, kwargs_t = {}, {}
    if case.pop("padding", False):
        pad = rng.random((N, S)) > 0.6
        pad[:, 0] = False
        kwargs_o["key_padding_mask"], kwargs_t["key_padding_mask"] = autograd.tensor(pad), \
            torch.tensor(pad)
    if case.pop("causal", False):
        m = np.triu(np.ones((L, S), bool), 1)
        kwargs_o.update(attn_mask=autograd.tensor(m), is_causal=True)
        kwargs_t.update(attn_mask=torch.tensor(m), is_causal=True)
    if case.pop("float_mask", False):
        m = rng.standard_normal((N * 2, L, S))
        kwargs_o["attn_mask"], kwargs_t["attn_mask"] = autograd.tensor(m), torch.tensor(m)
    kwargs_o.update(case)
    kwargs_t.update(case)
    if cross:
        arrays = [rng.standard_normal(shape(L)), rng.standard_normal(shape(S))]
        _compare(torch, lambda q, kv: ours(q, kv, kv, **kwargs_o),
                 lambda q, kv: theirs(q, kv, kv, **kwargs_t), arrays, rng)
    else:
        arrays = [rng.standard_normal(shape(L))]
        _compare(torch, lambda x: ours(x, x, x, **kwargs_o),
                 lambda x: theirs(x, x, x, **kwargs_t), arrays, rng)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_layer_and_encoder_match_pytorch(norm_first, activation, batch_first):
    torch = pytest.importorskip("torch")
    kwargs = dict(dim_feedforward=16, dropout=0.1, activation=activation,
                  batch_first=batch_first, norm_first=norm_first)
    t_layer = torch.nn.TransformerEncoderLayer(8, 2, **kwargs).double()
    theirs = torch.nn.TransformerEncoder(t_layer, 2, norm=torch.nn.LayerNorm(8).double(),
                                         enable_nested_tensor=False)
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dtype="float64", **kwargs),
                                 2, norm=nn.LayerNorm(8).double())
    _copy(ours, theirs)  # a PyTorch state_dict, every key as PyTorch names it
    ours.eval(), theirs.eval()  # dropout off: the same numbers
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 5, 8))
    pad = rng.random((3 if batch_first else 5, 5 if batch_first else 3)) > 0.6
    pad[:, 0] = False
    causal = np.triu(np.ones((x.shape[1 if batch_first else 0],) * 2), 1).astype(bool)
    _compare(torch,
             lambda x: ours(x, mask=autograd.tensor(causal), is_causal=True,
                            src_key_padding_mask=autograd.tensor(pad)),
             lambda x: theirs(x, mask=torch.tensor(causal), is_causal=True,
                              src_key_padding_mask=torch.tensor(pad)), [x], rng)
