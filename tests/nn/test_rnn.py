"""Embedding, the recurrent cells and layers (RNN, LSTM, GRU), and pad_sequence: float64
gradient checks (first and second order, forward mode), shapes and options, errors, a
copy-reversal task learned in seconds, and (with torch installed) PyTorch parity on copied
weights."""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck, jvp
from nn.utils.stateless import functional_call
from seq_tasks import reversal_accuracy

MODES = ["RNN", "RNN_relu", "LSTM", "GRU"]
GATES = {"rnn_tanh_cell": 1, "rnn_relu_cell": 1, "lstm_cell": 4, "gru_cell": 3}


def _t(rng, *shape, grad=True):
    return autograd.tensor(rng.standard_normal(shape), requires_grad=grad)


def _layer(mode, *args, **kwargs):
    if mode == "RNN_relu":
        return nn.RNN(*args, nonlinearity="relu", dtype="float64", **kwargs)
    return getattr(nn, mode)(*args, dtype="float64", **kwargs)


def _cell_fn(name):
    fn = getattr(F, name)
    if name == "lstm_cell":
        return lambda x, h, c, *w: fn(x, (h, c), *w)
    return lambda x, h, c, *w: fn(x, h, *w)


def _cell_args(rng, name, batch=(2,)):
    g, hidden = GATES[name], 3
    return [_t(rng, *batch, 2), _t(rng, *batch, hidden),
            _t(rng, *batch, hidden, grad=name == "lstm_cell"),
            _t(rng, g * hidden, 2), _t(rng, g * hidden, hidden), _t(rng, g * hidden),
            _t(rng, g * hidden)]


# ---------------------------------------------------------------- cells: gradient checks
@pytest.mark.parametrize("name", list(GATES))
def test_cells_gradcheck_and_gradgradcheck(name):
    rng = np.random.default_rng(0)
    args = [a for a in _cell_args(rng, name)]
    fn = _cell_fn(name)
    assert gradcheck(fn, args)
    assert gradgradcheck(fn, args)


@pytest.mark.parametrize("name", list(GATES))
def test_cells_forward_mode_matches_central_differences(name):
    rng = np.random.default_rng(1)
    args = _cell_args(rng, name)
    tangents = [autograd.tensor(rng.standard_normal(a.shape)) for a in args]
    fn = _cell_fn(name)

    def flat(*a):
        out = fn(*a)
        return out[0] + 2 * out[1] if isinstance(out, tuple) else out

    _, tangent = jvp(flat, tuple(args), tuple(tangents))
    eps = 1e-6
    shifted = [flat(*[autograd.tensor(a.numpy() + s * eps * t.numpy())
                      for a, t in zip(args, tangents)]).numpy() for s in (1, -1)]
    np.testing.assert_allclose(tangent.numpy(), (shifted[0] - shifted[1]) / (2 * eps),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", list(GATES))
def test_unbatched_cell_is_the_batched_cell_on_one_row(name):
    rng = np.random.default_rng(2)
    args = _cell_args(rng, name, batch=())
    fn = _cell_fn(name)
    one = fn(*args)
    batched = fn(*[a.reshape(1, -1) if i < 3 else a for i, a in enumerate(args)])
    for a, b in zip(*(x if isinstance(x, tuple) else (x,) for x in (one, batched))):
        assert a.shape == (3,)
        np.testing.assert_allclose(a.numpy(), b.numpy()[0])


def test_lstm_cell_by_hand():
    # zero weights: every gate pre-activation is its bias; i = f = o = sigmoid(0) = 0.5
    h, c = F.lstm_cell(autograd.ones(1, 2), (autograd.zeros(1, 1), autograd.ones(1, 1)),
                       autograd.zeros(4, 2), autograd.zeros(4, 1),
                       autograd.tensor([0.0, 0.0, 1.0, 0.0]))
    g = np.tanh(1.0)
    np.testing.assert_allclose(c.numpy(), [[0.5 * 1 + 0.5 * g]], rtol=1e-6)
    np.testing.assert_allclose(h.numpy(), [[0.5 * np.tanh(0.5 + 0.5 * g)]], rtol=1e-6)


def test_gru_cell_uses_r_inside_the_n_gate():
    # n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): only b_hn = 2 set, r = 0.5, z = 0.5
    b_hh = autograd.tensor([0.0, 0.0, 2.0])
    h = F.gru_cell(autograd.zeros(1, 1), autograd.zeros(1, 1), autograd.zeros(3, 1),
                   autograd.zeros(3, 1), None, b_hh)
    np.testing.assert_allclose(h.numpy(), [[0.5 * np.tanh(0.5 * 2.0)]], rtol=1e-6)


def test_cell_errors_name_the_cell_and_shapes():
    w = autograd.zeros(8, 3)
    with pytest.raises(autograd.ShapeError, match=r"lstm_cell: expected an input of shape"):
        F.lstm_cell(autograd.zeros(2, 4), (autograd.zeros(2, 2), autograd.zeros(2, 2)), w,
                    autograd.zeros(8, 2))
    with pytest.raises(autograd.ShapeError, match=r"gru_cell: the hidden state has shape"):
        F.gru_cell(autograd.zeros(2, 3), autograd.zeros(3, 1), autograd.zeros(3, 3),
                   autograd.zeros(3, 1))
    with pytest.raises(TypeError, match="lstm_cell: hx must be a pair"):
        F.lstm_cell(autograd.zeros(2, 3), autograd.zeros(2, 2), w, autograd.zeros(8, 2))
    with pytest.raises(autograd.DtypeError, match="rnn_tanh_cell"):
        F.rnn_tanh_cell(autograd.zeros(2, 3, dtype="float64"), autograd.zeros(2, 2),
                        autograd.zeros(2, 3), autograd.zeros(2, 2))


@pytest.mark.parametrize("cls, state", [(nn.RNNCell, 1), (nn.LSTMCell, 2), (nn.GRUCell, 1)])
def test_cell_modules_default_to_a_zero_state(cls, state):
    autograd.manual_seed(0)
    cell = cls(3, 4)
    x = autograd.randn(2, 3)
    zeros = autograd.zeros(2, 4)
    a = cell(x)
    b = cell(x, (zeros, zeros) if state == 2 else zeros)
    for u, v in zip(*(t if isinstance(t, tuple) else (t,) for t in (a, b))):
        np.testing.assert_allclose(u.numpy(), v.numpy())
    assert [n for n, _ in cell.named_parameters()] == ["weight_ih", "weight_hh", "bias_ih",
                                                       "bias_hh"]


# ---------------------------------------------------------------- layers
@pytest.mark.parametrize("mode", MODES)
def test_layers_gradcheck_input_state_and_parameters(mode):
    rng = np.random.default_rng(3)
    layer = _layer(mode, 2, 3, num_layers=2, bidirectional=True)
    x, h0 = _t(rng, 4, 2, 2), _t(rng, 4, 2, 3)
    state = (h0, _t(rng, 4, 2, 3)) if mode == "LSTM" else h0
    names = [n for n, _ in layer.named_parameters()]
    params = [p.detach().requires_grad_() for p in layer.parameters()]

    def run(x, *rest):
        hx = (rest[0], rest[1]) if mode == "LSTM" else rest[0]
        ws = rest[2:] if mode == "LSTM" else rest[1:]
        out, h_n = functional_call(layer, dict(zip(names, ws)), (x, hx))
        return (out, *h_n) if mode == "LSTM" else (out, h_n)

    inputs = [x, *(state if mode == "LSTM" else (state,)), *params]
    assert gradcheck(run, inputs)


@pytest.mark.parametrize("mode", MODES)
def test_layers_gradgradcheck_and_forward_mode(mode):
    rng = np.random.default_rng(4)
    layer = _layer(mode, 2, 2, bidirectional=True)
    x = _t(rng, 3, 2, 2)
    assert gradgradcheck(lambda x: layer(x)[0], [x])
    tangent = autograd.tensor(rng.standard_normal(x.shape))
    _, t = jvp(lambda x: layer(x)[0], (x,), (tangent,))
    eps = 1e-6
    diff = (layer(autograd.tensor(x.numpy() + eps * tangent.numpy()))[0].numpy() -
            layer(autograd.tensor(x.numpy() - eps * tangent.numpy()))[0].numpy()) / (2 * eps)
    np.testing.assert_allclose(t.numpy(), diff, rtol=1e-6, atol=1e-8)


def test_parameter_names_shapes_and_init_are_pytorch_s():
    lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    shapes = {n: p.shape for n, p in lstm.named_parameters()}
    assert list(shapes)[:4] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    assert shapes["weight_ih_l0_reverse"] == (20, 3)
    assert shapes["weight_ih_l1"] == (20, 10)  # the layer below's two directions
    assert shapes["weight_hh_l1_reverse"] == (20, 5)
    assert len(shapes) == 16
    bound = 1 / np.sqrt(5)
    assert all(np.abs(p.numpy()).max() <= bound for p in lstm.parameters())
    assert nn.GRU(3, 4, bias=False).state_dict().keys() == {"weight_ih_l0", "weight_hh_l0"}


@pytest.mark.parametrize("mode", MODES)
def test_shapes_batch_first_and_unbatched(mode):
    autograd.manual_seed(0)
    layer = _layer(mode, 3, 4, num_layers=2, bidirectional=True)
    x = autograd.tensor(np.random.default_rng(5).standard_normal((6, 2, 3)))
    out, h_n = layer(x)
    assert out.shape == (6, 2, 8)
    finals = h_n if mode == "LSTM" else (h_n,)
    assert all(h.shape == (4, 2, 4) for h in finals)
    # the forward direction's last output is its final state; the reverse one's is at step 0
    np.testing.assert_allclose(out.numpy()[-1, :, :4], finals[0].numpy()[2])
    np.testing.assert_allclose(out.numpy()[0, :, 4:], finals[0].numpy()[3])
    one, h_one = layer(x[:, 0])  # unbatched (L, input_size)
    np.testing.assert_allclose(one.numpy(), out.numpy()[:, 0], atol=1e-12)
    assert (h_one[0] if mode == "LSTM" else h_one).shape == (4, 4)
    bf = _layer(mode, 3, 4, num_layers=2, bidirectional=True, batch_first=True)
    bf.load_state_dict(layer.state_dict())
    out_bf, _ = bf(x.transpose(0, 1))
    np.testing.assert_allclose(out_bf.numpy(), out.numpy().transpose(1, 0, 2), atol=1e-12)


def test_initial_state_is_used_and_checked():
    autograd.manual_seed(0)
    gru = nn.GRU(2, 3, dtype="float64")
    x = autograd.randn(4, 1, 2, dtype="float64")
    assert not np.allclose(gru(x)[0].numpy(), gru(x, autograd.ones(1, 1, 3))[0].numpy())
    with pytest.raises(autograd.ShapeError, match=r"GRU: h_0 has shape \(2, 1, 3\)"):
        gru(x, autograd.ones(2, 1, 3))
    with pytest.raises(TypeError, match="LSTM: hx must be a pair"):
        nn.LSTM(2, 3)(autograd.randn(4, 1, 2), autograd.zeros(1, 1, 3))
    with pytest.raises(autograd.ShapeError, match=r"LSTM: expected an input of shape"):
        nn.LSTM(2, 3)(autograd.randn(4, 1, 5))


def test_dropout_between_layers_only_in_training():
    autograd.manual_seed(0)
    lstm = nn.LSTM(3, 8, num_layers=2, dropout=0.5)
    x = autograd.randn(5, 2, 3)
    a, b = lstm(x)[0].numpy(), lstm(x)[0].numpy()
    assert not np.allclose(a, b)
    lstm.eval()
    np.testing.assert_array_equal(lstm(x)[0].numpy(), lstm(x)[0].numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(2, 2, dropout=0.2)
    with pytest.raises(ValueError, match="RNN: unknown nonlinearity 'gelu'"):
        nn.RNN(2, 2, nonlinearity="gelu")


def test_backward_through_many_steps_needs_no_recursion():
    lstm = nn.LSTM(2, 4)
    x = autograd.randn(3000, 1, 2, requires_grad=True)
    lstm(x)[0].sum().backward()
    assert x.grad.shape == x.shape and np.isfinite(x.grad.numpy()).all()


# ---------------------------------------------------------------- embedding
def test_embedding_gradient_adds_repeats_and_skips_the_padding_row():
    w = autograd.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    idx = autograd.tensor([[1, 1], [0, 3]])
    out = F.embedding(idx, w, padding_idx=0)
    np.testing.assert_array_equal(out.numpy()[1, 0], [0.0, 1.0, 2.0])  # looked up as is
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [[0] * 3, [2] * 3, [0] * 3, [1] * 3])


def test_embedding_gradgradcheck_and_negative_padding_idx():
    rng = np.random.default_rng(6)
    w = _t(rng, 5, 3)
    idx = autograd.tensor([[4, 0, 4], [1, 2, 0]])
    assert gradcheck(lambda w: F.embedding(idx, w), [w])
    assert gradgradcheck(lambda w: F.embedding(idx, w), [w])
    # with padding_idx the gradient is deliberately not the derivative (PyTorch's rule)
    F.embedding(idx, w, padding_idx=-1).sum().backward()
    assert not w.grad.numpy()[4].any() and w.grad.numpy()[0].tolist() == [2.0] * 3


def test_embedding_module_init_max_norm_and_from_pretrained():
    autograd.manual_seed(0)
    emb = nn.Embedding(6, 4, padding_idx=2)
    assert not emb.weight.numpy()[2].any()
    assert emb(autograd.tensor([[0, 2, 5]])).shape == (1, 3, 4)
    capped = nn.Embedding(6, 4, max_norm=1.0)
    capped(autograd.tensor([0, 1]))
    norms = np.linalg.norm(capped.weight.numpy(), axis=1)
    assert (norms[:2] <= 1.0 + 1e-6).all() and (norms[2:] > 1.0).any()
    frozen = nn.Embedding.from_pretrained(autograd.eye(3))
    assert not frozen.weight.requires_grad
    assert nn.Embedding.from_pretrained(autograd.eye(3), freeze=False).weight.requires_grad


def test_embedding_errors():
    w = autograd.zeros(4, 2)
    with pytest.raises(autograd.DtypeError, match="embedding: expected integer indices"):
        F.embedding(autograd.tensor([0.0, 1.0]), w)
    with pytest.raises(autograd.IndexingError, match="embedding: index 4 is out of range"):
        F.embedding(autograd.tensor([1, 4]), w)
    # a negative index is out of range too, as in PyTorch (not counted from the end)
    for max_norm in (None, 1.0):
        with pytest.raises(autograd.IndexingError, match="embedding: index -1 is out of range"):
            F.embedding(autograd.tensor([0, -1]), w, max_norm=max_norm)
    with pytest.raises(ValueError, match="Embedding: padding_idx=7"):
        nn.Embedding(4, 2, padding_idx=7)


# ---------------------------------------------------------------- pad_sequence
def test_pad_sequence_layouts_values_and_gradient():
    a = autograd.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    b = autograd.tensor([[4.0]], requires_grad=True)
    p = nn.utils.rnn.pad_sequence([a, b], padding_value=-1.0)
    assert p.shape == (3, 2, 1)
    assert p.numpy()[:, 1, 0].tolist() == [4.0, -1.0, -1.0]
    left = nn.utils.rnn.pad_sequence([a, b], batch_first=True, padding_side="left")
    assert left.numpy()[1, :, 0].tolist() == [0.0, 0.0, 4.0]
    (p * 2).sum().backward()
    assert a.grad.numpy().ravel().tolist() == [2.0] * 3 and b.grad.numpy().item() == 2.0
    with pytest.raises(autograd.ShapeError, match="pad_sequence: every sequence"):
        nn.utils.rnn.pad_sequence([a, autograd.zeros(2, 3)])


def test_packing_round_trip_order_and_errors():
    rnn_utils = nn.utils.rnn
    x = autograd.tensor(np.arange(12.0).reshape(4, 3, 1), requires_grad=True)
    packed = rnn_utils.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
    # time-major, longest first: step 0 of sequences 1, 0, 2, step 1 of 1, 0, then 1 alone
    assert packed.data.numpy().ravel().tolist() == [1, 0, 2, 4, 3, 7, 10]
    assert packed.batch_sizes.tolist() == [3, 2, 1, 1]
    assert packed.sorted_indices.tolist() == [1, 0, 2]
    padded, lengths = rnn_utils.pad_packed_sequence(packed, batch_first=True,
                                                    padding_value=-1, total_length=5)
    assert padded.shape == (3, 5, 1) and lengths.tolist() == [2, 4, 1]
    assert padded.numpy()[0, :, 0].tolist() == [0, 3, -1, -1, -1]
    padded.sum().backward()  # the padding gets no gradient
    assert x.grad.numpy()[:, :, 0].tolist() == [[1, 1, 1], [1, 1, 0], [0, 1, 0], [0, 1, 0]]
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        rnn_utils.pack_padded_sequence(x, [2, 4, 1])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        rnn_utils.pack_padded_sequence(x, [2, 0, 1], enforce_sorted=False)
    with pytest.raises(autograd.ShapeError, match="expected one length per sequence"):
        rnn_utils.pack_padded_sequence(x, [2, 1])
    with pytest.raises(ValueError, match="total_length=2 is less than"):
        rnn_utils.pad_packed_sequence(packed, total_length=2)


@pytest.mark.parametrize("mode", MODES)
def test_packed_sequences_run_each_sequence_for_its_own_length(mode):
    rng = np.random.default_rng(10)
    layer = _layer(mode, 2, 3, bidirectional=True)
    seqs = [_t(rng, n, 2) for n in (4, 1, 3)]
    packed = nn.utils.rnn.pack_sequence(seqs, enforce_sorted=False)
    out, h_n = layer(packed)
    assert isinstance(out, nn.utils.rnn.PackedSequence)
    padded, _ = nn.utils.rnn.pad_packed_sequence(out)
    finals = h_n[0] if mode == "LSTM" else h_n
    for b, s in enumerate(seqs):  # each alone gives the same outputs and final states
        alone, h_alone = layer(s)
        np.testing.assert_allclose(padded.numpy()[:len(s), b], alone.numpy(), atol=1e-12)
        assert not padded.numpy()[len(s):, b].any()
        h_alone = h_alone[0] if mode == "LSTM" else h_alone
        np.testing.assert_allclose(finals.numpy()[:, b], h_alone.numpy(), atol=1e-12)

    def run(*seqs):
        out, _ = layer(nn.utils.rnn.pack_sequence(list(seqs), enforce_sorted=False))
        return out.data

    assert gradcheck(run, seqs)


# ---------------------------------------------------------------- learning
def test_a_bidirectional_gru_learns_to_reverse_sequences_in_seconds():
    autograd.manual_seed(0)
    vocab, length = 6, 6

    class Reverser(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, 12)
            self.rnn = nn.GRU(12, 32, batch_first=True, bidirectional=True)
            self.out = nn.Linear(64, vocab)

        def forward(self, ids):
            return self.out(self.rnn(self.embed(ids))[0])

    accuracy, seconds = reversal_accuracy(Reverser(), vocab, length, steps=300, lr=0.02)
    assert accuracy > 0.9, accuracy
    assert seconds < 30


# ---------------------------------------------------------------- PyTorch parity
@pytest.mark.parametrize("mode", MODES)
def test_packed_sequences_match_pytorch(mode):
    torch = pytest.importorskip("torch")
    rnn_utils = torch.nn.utils.rnn
    ours, theirs = _torch_pair(torch, mode, num_layers=2, bidirectional=True, batch_first=True)
    rng = np.random.default_rng(11)
    x = rng.standard_normal((4, 5, 3))
    lengths = [3, 5, 1, 4]
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_o, fin_o = ours(nn.utils.rnn.pack_padded_sequence(xo, lengths, batch_first=True,
                                                          enforce_sorted=False))
    out_t, fin_t = theirs(rnn_utils.pack_padded_sequence(xt, lengths, batch_first=True,
                                                         enforce_sorted=False))
    fin_o, fin_t = (fin_o, fin_t) if mode == "LSTM" else ((fin_o,), (fin_t,))
    pairs = [(out_o.data, out_t.data), *zip(fin_o, fin_t)]
    np.testing.assert_array_equal(out_o.batch_sizes.numpy(), out_t.batch_sizes.numpy())
    for a, b in pairs:
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)
    ws = [rng.standard_normal(tuple(a.shape)) for a, _ in pairs]
    sum(((a * autograd.tensor(w)).sum() for (a, _), w in zip(pairs, ws)),
        autograd.zeros(())).backward()
    sum((b * torch.tensor(w)).sum() for (_, b), w in zip(pairs, ws)).backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs_params[name].grad.numpy(),
                                   rtol=1e-9, atol=1e-12, err_msg=name)


def _torch_pair(torch, mode, **kwargs):
    name = "RNN" if mode == "RNN_relu" else mode
    extra = {"nonlinearity": "relu"} if mode == "RNN_relu" else {}
    theirs = getattr(torch.nn, name)(3, 4, **extra, **kwargs).double()
    ours = _layer(mode, 3, 4, **kwargs)
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()})
    return ours, theirs


OPTIONS = [{}, {"num_layers": 2, "dropout": 0.3}, {"bidirectional": True},
           {"num_layers": 2, "bidirectional": True, "batch_first": True, "dropout": 0.5},
           {"bias": False}]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(o) or "default")
@pytest.mark.parametrize("mode", MODES)
def test_layers_match_pytorch_on_copied_weights(mode, options):
    torch = pytest.importorskip("torch")
    ours, theirs = _torch_pair(torch, mode, **options)
    ours.eval(), theirs.eval()  # dropout between layers: off in eval, as PyTorch's
    rng = np.random.default_rng(7)
    d = (2 if options.get("bidirectional") else 1) * options.get("num_layers", 1)
    x = rng.standard_normal((2, 5, 3) if options.get("batch_first") else (5, 2, 3))
    h0 = [rng.standard_normal((d, 2, 4)) for _ in range(2 if mode == "LSTM" else 1)]
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ho = [autograd.tensor(h, requires_grad=True) for h in h0]
    ht = [torch.tensor(h, requires_grad=True) for h in h0]
    out_o, fin_o = ours(xo, tuple(ho) if mode == "LSTM" else ho[0])
    out_t, fin_t = theirs(xt, tuple(ht) if mode == "LSTM" else ht[0])
    fin_o, fin_t = (fin_o, fin_t) if mode == "LSTM" else ((fin_o,), (fin_t,))
    for a, b in zip((out_o, *fin_o), (out_t, *fin_t)):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)
    ws = [rng.standard_normal(tuple(a.shape)) for a in (out_o, *fin_o)]
    sum(((a * autograd.tensor(w)).sum() for a, w in zip((out_o, *fin_o), ws)),
        autograd.zeros(())).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip((out_t, *fin_t), ws)).backward()
    for a, b in [(xo, xt), *zip(ho, ht)]:
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs_params[name].grad.numpy(),
                                   rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("cls", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_modules_match_pytorch(cls):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, cls)(3, 4).double()
    ours = getattr(nn, cls)(3, 4, dtype="float64")
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((2, 3))
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    a, b = ours(xo), theirs(xt)
    a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
    for u, v in zip(a, b):
        np.testing.assert_allclose(u.numpy(), v.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum(u.sum() for u in a).backward()
    sum(v.sum() for v in b).backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_embedding_matches_pytorch_with_padding_and_max_norm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    w = rng.standard_normal((7, 3)) * 2
    idx = rng.integers(0, 7, (4, 5))
    wo, wt = autograd.tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    for kwargs in ({"padding_idx": 3}, {"padding_idx": -2}, {}):
        a = F.embedding(autograd.tensor(idx), wo, **kwargs)
        b = torch.nn.functional.embedding(torch.tensor(idx), wt, **kwargs)
        g = rng.standard_normal(a.shape)
        wo.grad = None
        wt.grad = None
        (a * autograd.tensor(g)).sum().backward()
        (b * torch.tensor(g)).sum().backward()
        np.testing.assert_allclose(a.numpy(), b.detach().numpy())
        np.testing.assert_allclose(wo.grad.numpy(), wt.grad.numpy(), rtol=1e-12)
    mo, mt = nn.Embedding(7, 3, max_norm=1.5), torch.nn.Embedding(7, 3, max_norm=1.5)
    mo.load_state_dict({"weight": mt.weight.detach().numpy().copy()})
    a, b = mo(autograd.tensor(idx)), mt(torch.tensor(idx))
    np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(mo.weight.numpy(), mt.weight.detach().numpy(), rtol=1e-6)
