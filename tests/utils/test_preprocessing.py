"""Standardize, PCA, ZCA: fitted statistics, round trips, dtypes, Tensors with gradients."""
import doctest

import numpy as np
import pytest

import autograd
import autograd.utils.data.preprocessing as preprocessing
from autograd import ShapeError
from autograd.utils.data import PCA, ZCA, Standardize


@pytest.fixture
def correlated():
    rng = np.random.default_rng(0)
    return rng.standard_normal((200, 3)) @ np.array([[3.0, 0, 0], [2.0, 0.5, 0], [0, 1.0, 0.1]]) + 5


def test_standardize_features_to_zero_mean_unit_std(correlated):
    z = Standardize(eps=0).fit_transform(correlated)
    assert np.allclose(z.mean(axis=0), 0) and np.allclose(z.std(axis=0), 1)
    s = Standardize(eps=0).fit(correlated)
    assert np.allclose(s.mean_, correlated.mean(axis=0))
    assert np.allclose(s.scale_, correlated.std(axis=0))


def test_standardize_per_channel_images_and_round_trip():
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((8, 3, 4, 5)) * [[[2.0]], [[5.0]], [[0.5]]]
         + [[[1.0]], [[-3.0]], [[9.0]]]).astype(np.float32)
    s = Standardize(axis=(0, 2, 3)).fit(x)
    assert s.mean_.shape == (3,) and s.scale_.shape == (3,) and s.mean_.dtype == np.float64
    z = s.transform(x)
    assert z.dtype == np.float32 and z.shape == x.shape
    assert np.allclose(z.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    assert np.allclose(z.std(axis=(0, 2, 3)), 1, atol=1e-4)
    assert np.allclose(s.inverse_transform(z), x, atol=1e-5)


def test_standardize_eps_center_and_scale_switches():
    x = np.array([[1.0, 4.0], [1.0, 8.0]])
    s = Standardize(eps=1e-4).fit(x)
    assert s.scale_.tolist() == [0.01, np.sqrt(4 + 1e-4)]  # a constant feature stays finite
    assert Standardize(center=False, eps=0).fit(x).mean_.tolist() == [0.0, 0.0]
    assert Standardize(scale=False).fit(x).transform(x).tolist() == [[0.0, -2.0], [0.0, 2.0]]
    assert Standardize(axis=None, eps=0).fit(x).mean_.tolist() == 3.5


def test_standardize_of_integer_images_is_float():
    x = np.arange(12, dtype=np.uint8).reshape(4, 3)
    assert Standardize().fit_transform(x).dtype == np.float32


def test_pca_components_ordered_by_variance_and_decorrelating(correlated):
    p = PCA().fit(correlated)
    assert np.all(np.diff(p.explained_variance_) < 0)
    assert np.allclose(p.components_ @ p.components_.T, np.eye(3))
    z = p.transform(correlated)
    cov = z.T @ z / len(z)
    assert np.allclose(cov, np.diag(p.explained_variance_))
    # The variances are those of the covariance divided by N (the notes' recipe).
    assert np.allclose(p.explained_variance_,
                       np.linalg.eigvalsh(np.cov(correlated.T, bias=True))[::-1])
    assert np.allclose(p.inverse_transform(z), correlated)


def test_pca_whitening_gives_identity_covariance_and_truncation_projects(correlated):
    z = PCA(whiten=True, eps=0).fit_transform(correlated)
    assert np.allclose(z.T @ z / len(z), np.eye(3))
    p = PCA(n_components=2).fit(correlated)
    z = p.transform(correlated)
    assert z.shape == (200, 2)
    back = p.inverse_transform(z)
    # What is lost is exactly the third component's variance.
    assert np.isclose(((back - correlated) ** 2).sum(axis=1).mean(),
                      PCA().fit(correlated).explained_variance_[2])


def test_pca_flattens_images_and_restores_their_shape():
    x = np.random.default_rng(2).standard_normal((30, 2, 3, 3))
    p = PCA(n_components=5).fit(x)
    assert p.transform(x).shape == (30, 5) and p.inverse_transform(p.transform(x)).shape == x.shape


def test_zca_whitens_keeps_shape_and_round_trips(correlated):
    x = correlated.astype(np.float32)
    zca = ZCA(eps=0).fit(x)
    z = zca.transform(x)
    assert z.shape == x.shape and z.dtype == np.float32
    assert np.allclose(np.cov(z.T, bias=True), np.eye(3), atol=1e-4)
    assert np.allclose(zca.inverse_transform(z), x, atol=1e-3)
    # ZCA is the whitening that stays closest to the data: closer than plain PCA whitening.
    pca = PCA(whiten=True, eps=0).fit_transform(correlated)
    centred = Standardize(scale=False).fit_transform(correlated)
    assert ((z - centred) ** 2).sum() < ((pca - centred) ** 2).sum()


def test_tensors_in_tensors_out_with_gradients(float64_default):
    x = np.random.default_rng(3).standard_normal((6, 2, 2))
    for fitted in (Standardize(axis=(0, 2)).fit(x), PCA(n_components=3, whiten=True).fit(x),
                   ZCA().fit(x)):
        t = autograd.Tensor(x, requires_grad=True)
        out = fitted.transform(t)
        assert isinstance(out, autograd.Tensor) and np.allclose(out.numpy(), fitted.transform(x))
        z = autograd.Tensor(fitted.transform(x), requires_grad=True)
        assert autograd.gradcheck(fitted.transform, (t,))
        assert autograd.gradcheck(fitted.inverse_transform, (z,))
        assert fitted.inverse_transform(z).shape == (6, 2, 2)


def test_misuse_is_refused_with_named_errors():
    x = np.zeros((5, 4))
    with pytest.raises(RuntimeError,
                       match=r"PCA.transform: not fitted yet; call fit\(train_data\) first"):
        PCA().transform(x)
    with pytest.raises(ValueError, match=r"PCA: n_components must be an integer from 1 to "
                                         r"the number of features \(4\), got 5"):
        PCA(n_components=5).fit(x)
    with pytest.raises(
            ShapeError,
            match=r"PCA.transform: fitted on samples of shape \(4,\), got input of shape \(5, 3\)"):
        PCA().fit(x).transform(np.zeros((5, 3)))
    with pytest.raises(
            ShapeError,
            match=r"Standardize.transform: fitted on 2-d input with statistics of shape \(4,\)"):
        Standardize().fit(x).transform(np.zeros((5, 3)))
    with pytest.raises(
            ShapeError,
            match=r"Standardize.fit: axis=\(0, 3\) is out of range for input with 2 dimensions"):
        Standardize(axis=(0, 3)).fit(x)


def test_docstring_examples_run():
    failed, tried = doctest.testmod(preprocessing, extraglobs={"np": np})[:2]
    assert tried > 0 and failed == 0
