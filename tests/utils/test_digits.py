"""The bundled digits: shapes, dtypes, values, and the same numbers as scikit-learn's copy."""
import hashlib

import numpy as np
import pytest

from autograd.utils.data import load_digits


def test_digits_shapes_dtypes_and_values():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16 and np.all(images == np.round(images))
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # The first image is a zero: its top row as scikit-learn prints it.
    assert images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and labels[0] == 0


def test_digits_are_scikit_learns_numbers_without_scikit_learn():
    # SHA-256 of every pixel and label as int64, computed from scikit-learn 1.9.1's
    # sklearn/datasets/data/digits.csv.gz: pins all 1,797 x 65 values even where CI lacks it.
    images, labels = load_digits()
    assert hashlib.sha256(images.astype(np.int64).tobytes()).hexdigest() == \
        "51aa641716dc54df7cda17ac1b9bc24c2e97846b98914a2d56b3a0de2b4b2e53"
    assert hashlib.sha256(labels.tobytes()).hexdigest() == \
        "a3c91c262eddcf7ba8f0e37507c30284493c9b20412ffe4af30d536401f7ba21"


def test_each_call_returns_fresh_arrays():
    a, _ = load_digits()
    a[0, 0, 0] = 99
    assert load_digits()[0][0, 0, 0] == 0


def test_digits_match_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")
    ours_x, ours_y = load_digits()
    theirs = datasets.load_digits()
    assert np.array_equal(ours_x, theirs.images) and np.array_equal(ours_y, theirs.target)
