"""The bundled sonnets, the character vocabulary and next-token windows."""
import hashlib

import numpy as np
import pytest

from autograd.utils.data import CharVocab, DataLoader, TensorDataset, load_sonnets, windows


def test_the_bundled_text_is_ascii_verse_and_pinned():
    text = load_sonnets()
    assert text.isascii() and 12000 < len(text) < 200_000
    assert text.count("\n\n") == 39  # 20 sonnets: a numeral, then 14 lines
    assert "Shall I compare thee to a summer's day?" in text
    assert hashlib.sha256(text.encode()).hexdigest()[:12] == \
        hashlib.sha256(load_sonnets().encode()).hexdigest()[:12]


def test_vocab_round_trip_and_unknown_characters():
    text = load_sonnets()
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.max() == len(vocab) - 1
    assert vocab.decode(ids) == text
    with pytest.raises(KeyError, match="character '#' is not in the vocabulary"):
        vocab.encode("#")


def test_windows_pair_each_input_with_the_next_ids():
    x, y = windows(np.arange(10), 4, stride=2)
    assert x.tolist() == [[0, 1, 2, 3], [2, 3, 4, 5], [4, 5, 6, 7]]
    np.testing.assert_array_equal(y, x + 1)
    with pytest.raises(ValueError, match="too few for one window"):
        windows([1, 2, 3], 3)
    batch = next(iter(DataLoader(TensorDataset(*windows(np.arange(50), 8)), batch_size=2)))
    assert [b.shape for b in batch] == [(2, 8), (2, 8)]
