"""Preprocessing fitted on training data, with scikit-learn's ``fit`` / ``transform`` names.

Statistics are computed in float64 and kept as float64 arrays (attributes ending in ``_``);
``transform`` returns the input's kind and dtype: an array for an array, a Tensor for a Tensor,
differentiable with the fitted statistics held constant. Integer input becomes the default
float dtype.
"""
import numpy as np

import autograd
from autograd import ShapeError


def _as_input(x):
    """``x`` as a Tensor or an array of a floating dtype (the dtype results come back in)."""
    if not isinstance(x, autograd.Tensor):
        x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(autograd.get_default_dtype())
    return x


def _float64(x):
    return np.asarray(x.numpy() if isinstance(x, autograd.Tensor) else x, dtype=np.float64)


class _Fitted:
    """fit_transform, and the check that fit came first."""

    def fit_transform(self, x):
        """``fit(x)`` then ``transform(x)``."""
        return self.fit(x).transform(x)

    def _check_fitted(self, method):
        if not hasattr(self, "mean_"):
            raise RuntimeError(f"{type(self).__name__}.{method}: not fitted yet; call "
                               f"fit(train_data) first")


class Standardize(_Fitted):
    """Zero-centre and divide by the standard deviation, over the axes ``axis``.

    ``axis=0`` standardizes each feature of (N, D) data; ``axis=(0, 2, 3)`` standardizes images
    (N, C, H, W) per channel; ``axis=None`` uses one mean and scale for everything. After
    ``fit``, ``mean_`` and ``scale_ = sqrt(var + eps)`` hold the statistics (shape: the input's
    with the ``axis`` axes removed); ``eps`` keeps constant features finite. ``center=False``
    or ``scale=False`` skips that step (its statistic is then 0 or 1).

    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> s = Standardize(eps=0).fit(x)
    >>> s.mean_.tolist(), s.scale_.tolist(), s.transform(x).tolist()
    ([2.0, 20.0], [1.0, 10.0], [[-1.0, -1.0], [1.0, 1.0]])
    """

    def __init__(self, axis=0, center=True, scale=True, eps=1e-5):
        self.axis, self.center, self.scale, self.eps = axis, center, scale, eps

    def _axes(self, ndim, method):
        axes = tuple(range(ndim)) if self.axis is None else np.atleast_1d(self.axis).tolist()
        if any(not -ndim <= a < ndim for a in axes):
            raise ShapeError(f"Standardize.{method}: axis={self.axis} is out of range for input "
                             f"with {ndim} dimensions")
        return tuple(sorted(a % ndim for a in axes))

    def fit(self, x):
        """Compute ``mean_`` and ``scale_`` from ``x``; returns self."""
        x = _float64(x)
        axes = self._axes(x.ndim, "fit")
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
        self._mean = mean if self.center else np.zeros_like(mean)
        self._scale = np.sqrt(var + self.eps) if self.scale else np.ones_like(var)
        self.mean_, self.scale_ = self._mean.squeeze(axes), self._scale.squeeze(axes)
        return self

    def _stats(self, x, method):
        self._check_fitted(method)
        kept = [n for a, n in enumerate(x.shape) if a not in self._axes(x.ndim, method)]
        if x.ndim != self._mean.ndim or tuple(kept) != self.mean_.shape:
            raise ShapeError(f"Standardize.{method}: fitted on {self._mean.ndim}-d input with "
                             f"statistics of shape {self.mean_.shape} (axis={self.axis}), got "
                             f"input of shape {tuple(x.shape)}")
        return self._mean.astype(x.dtype), self._scale.astype(x.dtype)

    def transform(self, x):
        """``(x - mean_) / scale_``, broadcast over the ``axis`` axes."""
        x = _as_input(x)
        mean, scale = self._stats(x, "transform")
        return (x - mean) / scale

    def inverse_transform(self, z):
        """``z * scale_ + mean_``: undoes `transform`."""
        z = _as_input(z)
        mean, scale = self._stats(z, "inverse_transform")
        return z * scale + mean


class PCA(_Fitted):
    """Rotate centred data onto its principal axes (optionally keep ``n_components``, whiten).

    The notes' recipe: centre, covariance ``Xc.T @ Xc / N`` (divided by N, as in the notes;
    scikit-learn divides by N - 1), its SVD ``U S V^T``; ``components_`` are the rows of
    ``U^T`` (principal axes, largest variance first, each signed so its largest entry is
    positive), ``explained_variance_`` is ``S``. ``transform`` gives ``(x - mean_) @
    components_.T``, divided by ``sqrt(explained_variance_ + eps)`` when ``whiten``, which makes
    the covariance (nearly) the identity. Input (N, ...) is flattened to (N, D).

    >>> x = np.array([[-2.0, -2.0], [2.0, 2.0], [1.0, -1.0], [-1.0, 1.0]])
    >>> p = PCA().fit(x)
    >>> p.explained_variance_.round(6).tolist(), p.components_[0].round(4).tolist()
    ([4.0, 1.0], [0.7071, 0.7071])
    >>> z = PCA(whiten=True, eps=0).fit_transform(x)
    >>> np.allclose(z.T @ z / len(z), np.eye(2))  # covariance after whitening: the identity
    True
    """

    def __init__(self, n_components=None, whiten=False, eps=1e-5):
        self.n_components, self.whiten, self.eps = n_components, whiten, eps

    def fit(self, x):
        """Compute ``mean_``, ``components_`` and ``explained_variance_`` from ``x``."""
        x = _float64(x)
        if x.ndim < 2:
            raise ShapeError(f"{type(self).__name__}.fit: expects samples along axis 0, input of "
                             f"shape (N, features...), got shape {x.shape}")
        self._feature_shape = x.shape[1:]
        x = x.reshape(len(x), -1)
        d = x.shape[1]
        k = d if self.n_components is None else self.n_components
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= d:
            raise ValueError(f"{type(self).__name__}: n_components must be an integer from 1 "
                             f"to the number of features ({d}), got {self.n_components!r}")
        self.mean_ = x.mean(axis=0)
        centred = x - self.mean_
        u, s, _ = np.linalg.svd(centred.T @ centred / len(x))
        u = u[:, :k] * np.sign(u[np.abs(u[:, :k]).argmax(axis=0), range(k)])
        self.components_, self.explained_variance_ = u.T, s[:k]
        self.n_components_ = k
        return self

    def _matrices(self, x, method):
        """The (D, k) projection and its (k, D) inverse, in ``x``'s dtype."""
        self._check_fitted(method)
        rotate, back = self.components_.T, self.components_
        if self.whiten:
            root = np.sqrt(self.explained_variance_ + self.eps)
            rotate, back = rotate / root, back * root[:, None]
        return rotate.astype(x.dtype), back.astype(x.dtype)

    def _flat(self, x, method):
        if tuple(x.shape[1:]) != self._feature_shape:
            raise ShapeError(f"{type(self).__name__}.{method}: fitted on samples of shape "
                             f"{self._feature_shape}, got input of shape {tuple(x.shape)}")
        return x.reshape(x.shape[0], -1)

    def transform(self, x):
        """Project ``x`` (N, ...) onto the components: (N, n_components)."""
        x = _as_input(x)
        rotate, _ = self._matrices(x, "transform")
        return (self._flat(x, "transform") - self.mean_.astype(x.dtype)) @ rotate

    def inverse_transform(self, z):
        """Back from components to the input space, shape (N, ...) (exact when all are kept)."""
        z = _as_input(z)
        _, back = self._matrices(z, "inverse_transform")
        x = z @ back + self.mean_.astype(z.dtype)
        return x.reshape(x.shape[0], *self._feature_shape)


class ZCA(PCA):
    """ZCA whitening: PCA-whiten, then rotate back, so whitened images still look like images.

    ``transform(x) = (x - mean_) @ W`` with the symmetric ``W = U diag(1/sqrt(S + eps)) U^T``;
    the output has the input's shape (N, ...) and (nearly) identity covariance. ``eps``
    (1e-5 by default) limits how much near-constant directions are amplified; for images a
    larger one (e.g. 0.1 for pixels in [0, 1]) keeps the result smooth.

    >>> x = np.array([[-2.0, -2.0], [2.0, 2.0], [1.0, -1.0], [-1.0, 1.0]])
    >>> ZCA(eps=0).fit_transform(x).round(6).tolist()  # the long diagonal shrinks to a square
    [[-1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]]
    """

    def __init__(self, eps=1e-5):
        super().__init__(n_components=None, whiten=True, eps=eps)

    def transform(self, x):
        """Whiten ``x`` (N, ...) and rotate back: same shape as ``x``."""
        z = super().transform(x)
        return (z @ self.components_.astype(z.dtype)).reshape(z.shape[0], *self._feature_shape)

    def inverse_transform(self, z):
        """Undo `transform`: colour the whitened ``z`` (N, ...) back."""
        z = _as_input(z)
        self._check_fitted("inverse_transform")
        rotated = self._flat(z, "inverse_transform") @ self.components_.T.astype(z.dtype)
        return super().inverse_transform(rotated)
