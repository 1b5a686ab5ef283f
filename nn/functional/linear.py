"""The affine map behind `nn.Linear`, and the operand checks it shares with convolution."""
import numpy as np

from autograd import ShapeError, Tensor, reshape, swapaxes, transpose
from autograd.extend import primitive, registered

from . import _batching
from ._checks import _check_dtype, _check_floating

__all__ = ["linear"]


@registered("general", namespace="nn.functional")
def linear(x, weight, bias=None):
    """``x @ weight.T + bias`` over the last axis of ``x``: weight is (out_features,
    in_features) as in PyTorch, so ``x`` may be (in_features,), (N, in_features) or have any
    leading batch axes.

    >>> F.linear(autograd.ones(2, 3), autograd.ones(4, 3), autograd.zeros(4)).shape
    (2, 4)
    """
    _check_operands("linear", x, weight, bias)
    if np.ndim(weight) != 2:
        raise ShapeError(f"linear: weight must be 2-D (out_features, in_features), got shape "
                         f"{np.shape(weight)}")
    if np.ndim(x) == 0 or np.shape(x)[-1] != np.shape(weight)[1]:
        raise ShapeError(f"linear: input of shape {np.shape(x)} does not fit weight of shape "
                         f"{np.shape(weight)}: the input's last axis must have in_features = "
                         f"{np.shape(weight)[1]} entries")
    if bias is not None:  # PyTorch's: any bias that broadcasts to the output (0-d...)
        out = np.shape(x)[:-1] + np.shape(weight)[:1]
        try:
            fits = np.broadcast_shapes(out, np.shape(bias)) == out
        except ValueError:
            fits = False
        if not fits:
            raise ShapeError(f"linear: bias of shape {np.shape(bias)} does not broadcast to the "
                             f"output's shape {out} (input {np.shape(x)}, weight "
                             f"{np.shape(weight)}); expected shape {np.shape(weight)[:1]}")
    return _linear(x, weight, bias)


def _weight_grad(g, x):
    """sum over every leading axis of outer(g, x): (out, in), in the weight's own C layout
    (an optimizer then needs no copy)."""
    g2, x2 = reshape(g, (-1, g.shape[-1])), reshape(x, (-1, x.shape[-1]))
    if g2.shape[0] == 1:  # one sample: a broadcast product, 4x faster than a matmul over k=1
        return reshape(g2, (-1, 1)) * x2
    return swapaxes(g2, 0, 1) @ x2


def _rows_times(a, m):
    """``a @ m`` for a matrix m, with a's leading axes flattened into one: one 2-D BLAS call
    instead of numpy's loop over the leading axes (1.5-2.7x faster on (32, 64, 128) inputs;
    a non-contiguous ``a`` is copied first, still faster)."""
    if a.ndim <= 2:
        return a @ m
    return reshape(reshape(a, (-1, a.shape[-1])) @ m, a.shape[:-1] + m.shape[-1:])


# one node for x @ W.T + b: bilinear in (x, W), linear in b; the engine sums b's gradient
@primitive(vjp=(lambda g, ans, x, weight, bias: _rows_times(g, weight),
                lambda g, ans, x, weight, bias: _weight_grad(g, x),
                lambda g, ans, x, weight, bias: g),
           jvp=(lambda t, ans, x, weight, bias: _rows_times(t, transpose(weight)),
                lambda t, ans, x, weight, bias: _rows_times(x, transpose(t)),
                lambda t, ans, x, weight, bias: t),
           saves=("weight", "x", ""), batch=_batching.linear)
def _linear(x, weight, bias):
    out = _rows_times(np.asarray(x), np.transpose(weight))
    if bias is not None:
        out += bias
    return out


def _check_operands(fn, x, *params):
    """The input must be floating-point and the parameters (None for absent ones) of its
    dtype: numpy would silently upcast float32 @ float64, PyTorch refuses."""
    dtype = _check_floating(fn, x)
    for other in (p.dtype if isinstance(p, Tensor) else np.asarray(p).dtype
                  for p in params if p is not None):
        _check_dtype(fn, dtype, other)


def _check_bias(fn, weight, bias):
    """A bias has one entry per output feature or channel (weight's first axis)."""
    if bias is not None and np.shape(bias) != np.shape(weight)[:1]:
        raise ShapeError(f"{fn}: bias of shape {np.shape(bias)} does not fit weight of shape "
                         f"{np.shape(weight)}; expected shape {np.shape(weight)[:1]}")
