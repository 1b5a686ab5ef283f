"""Augmentation: known answers (mirror, window of the padded image, one square), seeding, errors."""
import doctest

import numpy as np
import pytest

import autograd
import autograd.utils.data.transforms as transforms
import nn
from autograd import ShapeError
from autograd.utils.data import (ColorJitter, Compose, Cutout, MixUp, RandomCrop,
                                 RandomHorizontalFlip)


def images(n=6, c=2, h=5, w=7):
    return np.arange(n * c * h * w, dtype=np.float32).reshape(n, c, h, w) + 1


def test_flip_with_p_1_is_an_exact_mirror_and_p_0_the_identity():
    x = images()
    assert np.array_equal(RandomHorizontalFlip(p=1.0)(x), x[..., ::-1])
    assert np.array_equal(RandomHorizontalFlip(p=0.0)(x), x)


def test_flip_mirrors_each_image_or_leaves_it():
    x = images(n=200)
    out = RandomHorizontalFlip()(x)
    flipped = np.array([np.array_equal(o, i[..., ::-1]) for o, i in zip(out, x)])
    kept = np.array([np.array_equal(o, i) for o, i in zip(out, x)])
    assert np.all(flipped ^ kept) and 70 < flipped.sum() < 130


def test_crop_is_a_window_of_the_zero_padded_image_per_sample():
    x = images()
    out = RandomCrop((4, 6), padding=2)(x)
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    offsets = []
    for o, p in zip(out, padded):
        found = [(t, l) for t in range(6) for l in range(6)
                 if np.array_equal(p[:, t:t + 4, l:l + 6], o)]
        assert len(found) == 1  # pixel values are distinct, so the window is unique
        offsets.append(found[0])
    assert len(set(offsets)) > 1  # each sample its own window
    assert out.shape == (6, 2, 4, 6) and out.dtype == np.float32


def test_crop_of_the_full_size_without_padding_is_the_identity():
    x = images()
    assert np.array_equal(RandomCrop((5, 7))(x), x)


def test_cutout_zeroes_exactly_one_square_clipped_at_the_border():
    x = images(n=300, c=3, h=8, w=8)
    out = Cutout(4)(x)
    for o, i in zip(out, x):
        changed = np.any(o != i, axis=0)
        assert np.all(changed == np.all(o == 0, axis=0))  # changed pixels are 0 in all channels
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        assert changed.sum() == len(rows) * len(cols)  # a full rectangle...
        assert np.ptp(rows) + 1 == len(rows) and np.ptp(cols) + 1 == len(cols)  # ...contiguous
        # ...of side 4 unless it touches the border, where it is clipped.
        assert len(rows) == 4 or rows[0] == 0 or rows[-1] == 7
        assert len(cols) == 4 or cols[0] == 0 or cols[-1] == 7
    areas = (out == 0).all(axis=1).sum(axis=(1, 2))
    assert areas.max() == 16 and areas.min() == 4  # a centre in the corner keeps a 2x2 quarter


def test_cutout_probability():
    autograd.manual_seed(1)
    out = Cutout(2, p=0.3)(images(n=1000, c=1))
    assert 250 < (out == 0).any(axis=(1, 2, 3)).sum() < 350
    assert np.array_equal(Cutout(2, p=0.0)(images()), images())


def test_color_jitter_brightness_contrast_saturation():
    autograd.manual_seed(0)
    x = np.random.default_rng(0).random((50, 3, 4, 4)).astype(np.float32)
    factor = ColorJitter(brightness=0.5)(x) / x  # one factor per image, from [0.5, 1.5]
    per_image = factor.reshape(50, -1)
    assert np.allclose(per_image, per_image[:, :1], rtol=1e-5)
    assert 0.5 <= per_image.min() and per_image.max() <= 1.5 and np.ptp(per_image[:, 0]) > 0.5
    gray = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, None]
    # Contrast blends towards the mean gray level, keeping it; saturation keeps the gray image.
    out = ColorJitter(contrast=0.8)(x)
    out_gray = (0.299 * out[:, 0] + 0.587 * out[:, 1] + 0.114 * out[:, 2])[:, None]
    assert np.allclose(out_gray.mean(axis=(1, 2, 3)), gray.mean(axis=(1, 2, 3)), atol=1e-6)
    out = ColorJitter(saturation=(0.0, 0.0))(x)  # factor 0: fully gray
    assert np.allclose(out, np.broadcast_to(gray, x.shape), atol=1e-6)
    assert np.array_equal(ColorJitter()(x), x) and ColorJitter(0.2)(x).dtype == np.float32


def test_every_transform_is_repeatable_under_manual_seed():
    x = images()
    pipeline = Compose([RandomCrop(5, padding=1), RandomHorizontalFlip(), ColorJitter(0.3, 0.3),
                        Cutout(2)])
    autograd.manual_seed(7)
    first = pipeline(x)
    autograd.manual_seed(7)
    assert np.array_equal(pipeline(x), first)
    assert not np.array_equal(pipeline(x), first)


def test_tensors_in_tensors_out():
    t = autograd.Tensor(images())
    out = Compose([RandomHorizontalFlip(p=1.0), RandomCrop(3)])(t)
    assert isinstance(out, autograd.Tensor) and out.shape == (6, 2, 3, 3)
    with pytest.raises(
            ValueError,
            match="RandomCrop: augmentation acts on data; got a Tensor that requires grad"):
        RandomCrop(3)(autograd.Tensor(images(), requires_grad=True))


def test_mixup_blends_images_and_targets_with_one_lambda_and_a_permutation():
    x, y = images(n=8), np.array([0, 1, 2, 3, 0, 1, 2, 3])
    mix = MixUp(alpha=0.4, num_classes=4)
    mixed, targets = mix(x, y)
    lam, perm = mix.lam_, mix.perm_
    assert 0 < lam < 1 and sorted(perm) == list(range(8))
    assert np.allclose(mixed, lam * x + (1 - lam) * x[perm])
    expected = lam * np.eye(4)[y] + (1 - lam) * np.eye(4)[y[perm]]
    assert np.allclose(targets, expected) and targets.dtype == np.float32
    assert np.allclose(targets.sum(axis=1), 1)


def test_mixup_targets_are_accepted_by_cross_entropy_loss():
    x, y = images(n=8), np.arange(8) % 4
    mix = MixUp(num_classes=4)
    _, targets = mix(autograd.Tensor(x), autograd.Tensor(y))
    logits = autograd.Tensor(np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32))
    loss = nn.CrossEntropyLoss()
    mixed_loss = loss(logits, targets).item()
    lam = mix.lam_
    # Cross-entropy is linear in the target: the mixed loss mixes the two hard losses.
    expected = lam * loss(logits, y).item() + (1 - lam) * loss(logits, y[mix.perm_]).item()
    assert np.isclose(mixed_loss, expected, rtol=1e-5)


def test_mixup_is_repeatable_under_manual_seed():
    x, y = images(), np.arange(6) % 3
    autograd.manual_seed(4)
    a = MixUp(num_classes=3)(x, y)
    autograd.manual_seed(4)
    b = MixUp(num_classes=3)(x, y)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("make, message", [
    (lambda: RandomCrop(8, padding=1)(images()),
     r"RandomCrop: size \(8, 8\) is larger than the padded image \(7, 9\) "
     r"\(images \(5, 7\) with padding=1\)"),
    (lambda: MixUp(num_classes=3)(images(n=2), np.array([0, 3])),
     r"MixUp: labels must lie in \[0, num_classes=3\), got label 3"),
    (lambda: MixUp(num_classes=3)(images(n=2), np.array([0.0, 1.0])),
     r"MixUp: labels must be 2 integer class indices \(one per image\), "
     r"got shape \(2,\) and dtype float64"),
    (lambda: RandomHorizontalFlip(p=1.5),
     r"RandomHorizontalFlip: p must be a probability in \[0, 1\], got 1.5"),
    (lambda: Cutout(0), r"Cutout: size must be a positive integer or a pair of them, got 0"),
    (lambda: ColorJitter(brightness=-1), r"ColorJitter: brightness must be non-negative, got -1"),
    (lambda: MixUp(alpha=0, num_classes=2), r"MixUp: alpha must be positive, got 0"),
])
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_batch_without_channels_is_refused_with_the_fix():
    with pytest.raises(ShapeError, match=r"Cutout: expects a batch of images \(N, C, H, W\), "
                                         r"got shape \(6, 5, 7\); .*x\[:, None\]"):
        Cutout(2)(images()[:, 0])


def test_docstring_examples_run():
    failed, tried = doctest.testmod(transforms, extraglobs={"np": np})[:2]
    assert tried > 0 and failed == 0
