"""Batching variable-length sequences: `pad_sequence` (PyTorch's
``torch.nn.utils.rnn.pad_sequence``).

PyTorch's packed sequences (`pack_padded_sequence`, `pad_packed_sequence`) are not
implemented: they raise, pointing to the alternative below. Pad the batch, run the layer on
it, and mask what the padding produced: take each sequence's output at its own last step
(``out[lengths - 1, arange(N)]``) instead of ``h_n``, and leave the padded steps out of the
loss (``ignore_index`` in `nn.CrossEntropyLoss`, or a mask). For attention, pass a
``key_padding_mask`` (True at the padded positions).
"""
import numpy as np

from autograd import ShapeError, Tensor, pad, stack

__all__ = ["pad_sequence", "pack_padded_sequence", "pad_packed_sequence",
           "pack_sequence"]

_PACKED = ("{}: packed sequences are not supported. Pad the batch instead (pad_sequence), "
           "run the layer on the padded batch, take each sequence's output at its last real "
           "step (out[lengths - 1, arange(N)]) rather than h_n, and keep the padded steps out "
           "of the loss (CrossEntropyLoss(ignore_index=...) or a mask); attention layers take "
           "a key_padding_mask. See docs/sequence-models.md.")


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack tensors of shapes (L_i, *) into one (L_max, N, *) tensor (or (N, L_max, *) with
    ``batch_first``), padding each with ``padding_value`` after its end (before it with
    ``padding_side='left'``). Differentiable in the sequences.

    >>> a, b = autograd.tensor([1.0, 2.0, 3.0]), autograd.tensor([4.0])
    >>> nn.utils.rnn.pad_sequence([a, b], batch_first=True, padding_value=-1).tolist()
    [[1.0, 2.0, 3.0], [4.0, -1.0, -1.0]]
    """
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    sequences = [s if isinstance(s, Tensor) else Tensor(s) for s in sequences]
    if not sequences:
        raise ShapeError("pad_sequence: needs at least one sequence")
    rest = sequences[0].shape[1:]
    for k, s in enumerate(sequences):
        if s.ndim < 1 or s.shape[1:] != rest:
            raise ShapeError(f"pad_sequence: every sequence must be (L_i, *{rest}); sequence "
                             f"{k} has shape {s.shape}")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        gap = longest - s.shape[0]
        widths = [(0, gap) if padding_side == "right" else (gap, 0)] + [(0, 0)] * len(rest)
        p = pad(s, widths)
        if padding_value != 0 and gap:
            fill = np.zeros(p.shape, dtype=bool)
            region = slice(s.shape[0], None) if padding_side == "right" else slice(0, gap)
            fill[region] = True
            p = p + np.where(fill, padding_value, 0).astype(p.dtype)
        padded.append(p)
    return stack(padded, axis=0 if batch_first else 1)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Not supported: raises, explaining the padding-and-masking alternative."""
    raise NotImplementedError(_PACKED.format("pack_padded_sequence"))


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Not supported: raises, explaining the padding-and-masking alternative."""
    raise NotImplementedError(_PACKED.format("pad_packed_sequence"))


def pack_sequence(sequences, enforce_sorted=True):
    """Not supported: raises, explaining the padding-and-masking alternative."""
    raise NotImplementedError(_PACKED.format("pack_sequence"))
