"""Oracle rows for the sequence-model functionals: embedding, the recurrent cells (PyTorch's
``torch.rnn_tanh_cell``... live in torch's own namespace, ours in ``nn.functional``),
scaled_dot_product_attention and ``nn.utils.rnn``'s padding and packing (see oracle.py for
the format)."""
import numpy as np

from oracle import Row


def _cell(m, name):
    """Our ``F.<name>``, or torch's ``torch.<name>`` (torch.nn.functional has no cells)."""
    return getattr(m.F, name, None) or getattr(m, name)


IDX = np.array([[0, 2, 2], [4, 1, 0]])
KEEP = np.array([[True, False, True, True], [True, True, False, False],
                 [False, False, False, False]])  # the last query attends to nothing

def _rnn(m):
    return m.nn.utils.rnn


LENGTHS = [2, 4, 1]

ROWS = [
    Row("nn.functional.embedding", lambda m, w: m.F.embedding(m.tensor(IDX), w), [(5, 3)]),
    Row("nn.functional.embedding", lambda m, w: m.F.embedding(m.tensor(IDX), w, padding_idx=2),
        [(5, 3)], id="padding"),
    Row("nn.functional.embedding", lambda m, w: m.F.embedding(m.tensor(np.array(3)), w),
        [(5, 3)], id="0d"),
    Row("nn.functional.embedding",
        lambda m, w: m.F.embedding(m.tensor(np.zeros((0, 2), np.int64)), w), [(5, 3)],
        id="empty"),
    Row("nn.functional.rnn_tanh_cell",
        lambda m, x, h, wi, wh, bi, bh: _cell(m, "rnn_tanh_cell")(x, h, wi, wh, bi, bh),
        [(2, 3), (2, 4), (4, 3), (4, 4), (4,), (4,)]),
    Row("nn.functional.rnn_relu_cell",
        lambda m, x, h, wi, wh: _cell(m, "rnn_relu_cell")(x, h, wi, wh),
        [(2, 3), (2, 4), (4, 3), (4, 4)], id="nobias"),
    Row("nn.functional.lstm_cell",
        lambda m, x, h, c, wi, wh, bi, bh: _cell(m, "lstm_cell")(x, (h, c), wi, wh, bi, bh),
        [(2, 3), (2, 4), (2, 4), (16, 3), (16, 4), (16,), (16,)]),
    Row("nn.functional.gru_cell",
        lambda m, x, h, wi, wh, bi, bh: _cell(m, "gru_cell")(x, h, wi, wh, bi, bh),
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)]),
    Row("nn.functional.scaled_dot_product_attention",
        lambda m, q, k, v: m.F.scaled_dot_product_attention(q, k, v), [(2, 3, 4), (2, 5, 4),
                                                                      (2, 5, 6)]),
    Row("nn.functional.scaled_dot_product_attention",
        lambda m, q, k, v: m.F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                                            scale=0.5),
        [(2, 2, 4, 3), (2, 2, 4, 3), (2, 2, 4, 3)], id="causal"),
    Row("nn.functional.scaled_dot_product_attention",
        lambda m, q, k, v: m.F.scaled_dot_product_attention(q, k, v, attn_mask=m.tensor(KEEP)),
        [(2, 3, 2), (2, 4, 2), (2, 4, 2)], id="bool-fully-masked-row"),
    Row("nn.functional.scaled_dot_product_attention",
        lambda m, q, k, v, mask: m.F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
        [(2, 3, 2), (2, 4, 2), (2, 4, 2), (3, 4)], id="additive"),
    Row("nn.utils.rnn.pad_sequence",
        lambda m, a, b, c: _rnn(m).pad_sequence([a, b, c], batch_first=True,
                                                padding_value=-2.0), [(3, 2), (1, 2), (4, 2)]),
    Row("nn.utils.rnn.pad_sequence",
        lambda m, a, b: _rnn(m).pad_sequence([a, b], padding_side="left"), [(3,), (1,)],
        id="left"),
    Row("nn.utils.rnn.pack_padded_sequence",
        lambda m, x: _rnn(m).pack_padded_sequence(x, LENGTHS, enforce_sorted=False),
        [(4, 3, 2)]),
    Row("nn.utils.rnn.pack_padded_sequence",
        lambda m, x: _rnn(m).pack_padded_sequence(x, [4, 2, 2], batch_first=True), [(3, 4)],
        id="sorted-batch-first"),
    Row("nn.utils.rnn.pad_packed_sequence",
        lambda m, x: _rnn(m).pad_packed_sequence(
            _rnn(m).pack_padded_sequence(x, LENGTHS, enforce_sorted=False), batch_first=True,
            padding_value=0.5, total_length=6), [(4, 3, 2)]),
]
