"""Text for sequence models: the bundled sonnets (`load_sonnets`, public domain; see
SONNETS.md), a character vocabulary (`CharVocab`) and (input, target) windows of token ids
for next-token prediction (`windows`)."""
from pathlib import Path

import numpy as np

_FILE = Path(__file__).with_name("sonnets.txt")

__all__ = ["load_sonnets", "CharVocab", "windows"]


def load_sonnets():
    """Twenty of Shakespeare's sonnets (1609, public domain) as one string of about
    12,000 characters, from the package itself (see SONNETS.md).

    >>> text = load_sonnets()
    >>> text.splitlines()[2]
    'From fairest creatures we desire increase,'
    """
    return _FILE.read_text(encoding="utf-8")


class CharVocab:
    """A character vocabulary: ids 0..n-1 for the distinct characters of ``text``, in sorted
    order (``itos``: id -> character, ``stoi``: character -> id).

    >>> vocab = CharVocab("hello")
    >>> len(vocab), vocab.itos
    (4, ['e', 'h', 'l', 'o'])
    >>> vocab.encode("hell").tolist(), vocab.decode([3, 2])
    ([1, 0, 2, 2], 'ol')
    """

    def __init__(self, text):
        self.itos = sorted(set(text))
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self):
        return len(self.itos)

    def encode(self, text):
        """The ids of ``text``'s characters, an int64 array; an unknown character raises."""
        try:
            return np.array([self.stoi[c] for c in text], dtype=np.int64)
        except KeyError as error:
            raise KeyError(f"CharVocab.encode: character {error.args[0]!r} is not in the "
                           f"vocabulary of {len(self)} characters") from None

    def decode(self, ids):
        """The string spelled by ``ids`` (any iterable of ints, a Tensor or an array)."""
        return "".join(self.itos[int(i)] for i in np.asarray(ids).reshape(-1))


def windows(ids, length, stride=None):
    """(inputs, targets) for next-token prediction: every window of ``length`` consecutive
    ids (starting every ``stride`` ids; default ``length``, no overlap) and the same window
    shifted one id on. Two int64 arrays of shape (number of windows, length); wrap them in
    `TensorDataset` for a `DataLoader`.

    >>> x, y = windows([0, 1, 2, 3, 4, 5, 6], 3)
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [3, 4, 5]], [[1, 2, 3], [4, 5, 6]])
    """
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    stride = length if stride is None else stride
    if length < 1 or stride < 1:
        raise ValueError(f"windows: length and stride must be positive, got length={length}, "
                         f"stride={stride}")
    if len(ids) < length + 1:
        raise ValueError(f"windows: {len(ids)} ids are too few for one window of length "
                         f"{length} and its target (needs {length + 1})")
    starts = np.arange(0, len(ids) - length, stride)
    index = starts[:, None] + np.arange(length)
    return ids[index], ids[index + 1]
