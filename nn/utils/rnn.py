"""Batching variable-length sequences, as PyTorch's ``torch.nn.utils.rnn``: `pad_sequence`,
and packed sequences (`pack_padded_sequence`, `pack_sequence`, `pad_packed_sequence`,
`PackedSequence`), which `nn.RNN`, `nn.LSTM` and `nn.GRU` accept: each sequence is then run
for its own length only (its final state is the one after its last real step, and the
reverse direction starts at its last real step).

A `PackedSequence` holds the real steps only, time-major: ``data`` has one row per real
step, the ``batch_sizes[t]`` sequences still running at step t (longest first) one after
the other. Packing and unpacking are differentiable gathers.
"""
from collections import namedtuple

import numpy as np

from autograd import ShapeError, Tensor, concatenate, full, pad, stack, swapaxes
from autograd import tensor as _tensor

__all__ = ["PackedSequence", "pad_sequence", "pack_padded_sequence", "pad_packed_sequence",
           "pack_sequence"]


class PackedSequence(namedtuple("PackedSequence",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """Sequences of several lengths in one tensor, without padding (PyTorch's
    ``PackedSequence``): ``data`` (real steps, *), ``batch_sizes`` (int64, one per step),
    ``sorted_indices`` (the batch order, longest first; None when the input was sorted) and
    ``unsorted_indices`` (its inverse). Make one with `pack_padded_sequence` or
    `pack_sequence`.

    >>> seqs = [autograd.tensor([1.0, 2.0, 3.0]), autograd.tensor([4.0])]
    >>> packed = nn.utils.rnn.pack_sequence(seqs)
    >>> packed.data.tolist(), packed.batch_sizes.tolist()
    ([1.0, 4.0, 2.0, 3.0], [2, 1, 1])
    """

    __slots__ = ()

    def _rows(self):
        """(step, sequence) of every row of ``data``, as two index arrays."""
        return _rows(np.asarray(self.batch_sizes), None if self.sorted_indices is None
                     else np.asarray(self.sorted_indices))

    def _lengths(self):
        """Each sequence's length, in the original batch order."""
        sizes = np.asarray(self.batch_sizes)
        counts = (np.arange(sizes[0])[:, None] < sizes[None, :]).sum(1)  # in sorted order
        return counts if self.unsorted_indices is None else \
            counts[np.asarray(self.unsorted_indices)]

    def _padded(self, padding_value=0.0, steps=None):
        """(steps, N, *) in the original batch order: a differentiable gather of ``data``'s
        rows, with a row of ``padding_value`` where a sequence has ended."""
        data = self.data
        rows = np.full((steps or len(self.batch_sizes), int(self.batch_sizes[0])),
                       data.shape[0])  # the padding row, appended below
        t, b = self._rows()
        rows[t, b] = np.arange(data.shape[0])
        filler = full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
        return concatenate([data, filler])[rows]


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
            fill[slice(s.shape[0], None) if padding_side == "right" else slice(0, gap)] = True
            p = p + np.where(fill, padding_value, 0).astype(p.dtype)
        padded.append(p)
    return stack(padded, axis=0 if batch_first else 1)


def _rows(batch_sizes, sorted_indices):
    """(step, sequence) of every row of a packed ``data``, as two index arrays."""
    steps = np.repeat(np.arange(len(batch_sizes)), batch_sizes)
    order = np.arange(batch_sizes[0]) if sorted_indices is None else sorted_indices
    return steps, np.concatenate([order[:n] for n in batch_sizes])


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (L, N, *) (or (N, L, *) with ``batch_first``) whose sequence i
    has ``lengths[i]`` real steps. ``enforce_sorted``: the lengths must be in decreasing
    order; pass False to have them sorted here (then ``sorted_indices`` records the order).

    >>> x = autograd.tensor([[1.0, 5.0], [2.0, 0.0], [3.0, 0.0]])       # (L=3, N=2)
    >>> nn.utils.rnn.pack_padded_sequence(x, [3, 1]).data.tolist()
    [1.0, 5.0, 2.0, 3.0]
    """
    lengths = np.asarray(lengths.numpy() if isinstance(lengths, Tensor) else lengths)
    input = input if isinstance(input, Tensor) else Tensor(input)
    if batch_first:
        input = swapaxes(input, 0, 1)
    if lengths.ndim != 1 or input.ndim < 2 or len(lengths) != input.shape[1]:
        raise ShapeError(f"pack_padded_sequence: expected one length per sequence: the input "
                         f"of shape {input.shape} holds {input.shape[1] if input.ndim > 1 else 0}"
                         f" sequences{' (batch_first)' if batch_first else ''}, got lengths "
                         f"of shape {lengths.shape}")
    if (lengths <= 0).any():
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if lengths.max() > input.shape[0]:
        raise ShapeError(f"pack_padded_sequence: a length of {lengths.max()} exceeds the "
                         f"input's {input.shape[0]} steps")
    if enforce_sorted:
        if (np.diff(lengths) > 0).any():
            raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                               "`enforce_sorted` is True. You can pass `enforce_sorted=False` "
                               "to pack_padded_sequence and/or pack_sequence to sidestep this "
                               "requirement if you do not need ONNX exportability.")
        sorted_indices = unsorted = None
    else:
        sorted_indices = np.argsort(-lengths, kind="stable")
        unsorted = np.argsort(sorted_indices)
    ordered = np.sort(lengths)[::-1]
    batch_sizes = (ordered[None, :] > np.arange(ordered[0])[:, None]).sum(1)
    steps, sequences = _rows(batch_sizes, sorted_indices)
    return PackedSequence(input[steps, sequences], _tensor(batch_sizes.astype(np.int64)),
                          None if sorted_indices is None else _tensor(sorted_indices),
                          None if unsorted is None else _tensor(unsorted))


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The padded batch (L, N, *) (or (N, L, *) with ``batch_first``) of a `PackedSequence`,
    in the original batch order, and the lengths (int64). ``total_length`` pads to that many
    steps.

    >>> packed = nn.utils.rnn.pack_sequence([autograd.tensor([1.0, 2.0]),
    ...                                      autograd.tensor([3.0])])
    >>> padded, lengths = nn.utils.rnn.pad_packed_sequence(packed, padding_value=-1)
    >>> padded.tolist(), lengths.tolist()
    ([[1.0, 3.0], [2.0, -1.0]], [2, 1])
    """
    steps = len(sequence.batch_sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"pad_packed_sequence: total_length={total_length} is less than "
                             f"the longest sequence's {steps} steps")
        steps = total_length
    padded = sequence._padded(padding_value, steps)
    lengths = _tensor(sequence._lengths().astype(np.int64))
    return (swapaxes(padded, 0, 1) if batch_first else padded), lengths


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of tensors (L_i, *): `pad_sequence` then `pack_padded_sequence`.

    >>> nn.utils.rnn.pack_sequence([autograd.tensor([1.0]), autograd.tensor([2.0, 3.0])],
    ...                            enforce_sorted=False).batch_sizes.tolist()
    [2, 1]
    """
    lengths = [len(s) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)
