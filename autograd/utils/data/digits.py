"""The 1,797 8x8 hand-written digits scikit-learn ships (UCI optdigits; see DIGITS.md)."""
from pathlib import Path

import numpy as np

_FILE = Path(__file__).with_name("digits.npz")


def load_digits():
    """The 1,797 8x8 hand-written digits (UCI "optdigits" test set, CC BY 4.0), from the
    package itself: no download, no scikit-learn needed.

    Returns ``(images, labels)``: images float32 of shape (1797, 8, 8) with the original
    pixel counts 0..16, labels int64 in 0..9 (about 180 of each). Fresh arrays every call.

    >>> images, labels = load_digits()
    >>> images.shape, images.dtype, images.max(), labels[:5].tolist()
    ((1797, 8, 8), dtype('float32'), np.float32(16.0), [0, 1, 2, 3, 4])
    """
    with np.load(_FILE, allow_pickle=False) as f:
        return f["images"].astype(np.float32), f["labels"].astype(np.int64)
