"""Weight initialization, as ``torch.nn.init``.

Each function fills a tensor in place (counted by its version, recorded in no graph),
draws from autograd's one generator (repeatable after ``autograd.manual_seed``) and returns
the tensor. Scales follow the course notes and PyTorch: for a weight of shape
(out, in, *kernel), ``fan_in = in * prod(kernel)`` and ``fan_out = out * prod(kernel)`` (so a
conv weight's fan-in is kernel_h * kernel_w * in_channels, per group).

- Xavier (Glorot): std = gain * sqrt(2 / (fan_in + fan_out)); for a square layer that is
  the notes' 1 / sqrt(D_in).
- Kaiming (He): std = gain / sqrt(fan), with gain sqrt(2) for ReLU: the notes' sqrt(2 / D_in).
- Uniform variants draw from U(-sqrt(3) * std, sqrt(3) * std), which has that std.
"""
import contextlib
import math

import numpy as np

from autograd import DtypeError, ShapeError, Tensor, default_generator, no_grad
from autograd.extend import raw

from .functional._checks import _check_fraction
from .parameter import Parameter

__all__ = ["calculate_gain", "calculate_fan_in_and_fan_out", "uniform_", "normal_",
           "constant_", "zeros_", "ones_", "eye_", "xavier_uniform_", "xavier_normal_",
           "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_", "default_uniform_",
           "lsuv_"]

_LINEAR = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
           "conv_transpose2d", "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """The factor by which an init's std is scaled so that ``nonlinearity`` keeps the
    variance of activations steady: 1 for linear layers and sigmoid, 5/3 for tanh, sqrt(2)
    for relu, sqrt(2 / (1 + slope**2)) for leaky_relu (``param`` = slope, default 0.01),
    3/4 for selu. PyTorch's values.

    >>> nn.init.calculate_gain("relu")
    1.4142135623730951
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 3.0 / 4
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"calculate_gain: the leaky_relu slope must be a number, "
                             f"got {slope!r}")
        return math.sqrt(2.0 / (1 + slope ** 2))
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; use one of "
                     f"{', '.join(_LINEAR)}, tanh, relu, leaky_relu, selu")


def calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): in * prod(kernel) and
    out * prod(kernel). PyTorch's ``_calculate_fan_in_and_fan_out``.

    >>> nn.init.calculate_fan_in_and_fan_out(autograd.zeros(8, 3, 5, 5))
    (75, 200)
    """
    return _fans(tensor, "calculate_fan_in_and_fan_out")


def uniform_(tensor, a=0.0, b=1.0):
    """Fill ``tensor`` with samples of U(a, b).

    >>> w = nn.init.uniform_(autograd.zeros(2, 3), -0.1, 0.1)
    >>> bool(abs(w).max() <= 0.1)
    True
    """
    return _uniform(tensor, "uniform_", a, b)


def normal_(tensor, mean=0.0, std=1.0):
    """Fill ``tensor`` with samples of N(mean, std**2).

    >>> w = nn.init.normal_(autograd.zeros(100, 100), std=0.01)     # the notes' 0.01 * randn
    >>> round(float(w.std()), 3)
    0.01
    """
    return _normal(tensor, "normal_", mean, std)


def constant_(tensor, val):
    """Fill ``tensor`` with ``val``.

    >>> nn.init.constant_(autograd.zeros(3), 0.1)
    Tensor([0.1, 0.1, 0.1])
    """
    return _fill(_checked(tensor, "constant_"), val)


def zeros_(tensor):
    """Fill ``tensor`` with zeros.

    >>> nn.init.zeros_(layer.bias)
    Parameter containing:
    Tensor([0., 0., 0., 0., 0.], requires_grad=True)
    """
    return _fill(_checked(tensor, "zeros_"), 0)


def ones_(tensor):
    """Fill ``tensor`` with ones.

    >>> nn.init.ones_(bn.weight)
    Parameter containing:
    Tensor([1., 1., 1., 1., 1.], requires_grad=True)
    """
    return _fill(_checked(tensor, "ones_"), 1)


def eye_(tensor):
    """Fill a 2-D ``tensor`` with the identity matrix (ones on the diagonal, also when
    it is not square), so a Linear layer starts as the identity map.

    >>> nn.init.eye_(autograd.zeros(2, 3))
    Tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    return _fill(_checked(tensor, "eye_", ndim=2, exact=True), np.eye(*tensor.shape))


def xavier_uniform_(tensor, gain=1.0):
    """Xavier/Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).

    >>> gain = nn.init.calculate_gain("tanh")
    >>> nn.init.xavier_uniform_(layer.weight, gain=gain) is layer.weight   # filled in place
    True
    """
    bound = _SQRT3 * _xavier_std(tensor, "xavier_uniform_", gain)
    return _uniform(tensor, "xavier_uniform_", -bound, bound)


def xavier_normal_(tensor, gain=1.0):
    """Xavier/Glorot normal: N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out)).

    >>> nn.init.xavier_normal_(layer.weight) is layer.weight   # filled in place
    True
    """
    return _normal(tensor, "xavier_normal_", 0.0, _xavier_std(tensor, "xavier_normal_", gain))


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """Kaiming/He uniform: U(-bound, bound), bound = sqrt(3) * gain / sqrt(fan), where fan
    is fan_in (``mode='fan_in'``, keeps the forward variance) or fan_out (keeps the backward
    one) and gain = ``calculate_gain(nonlinearity, a)`` (``a``: the leaky_relu slope).

    >>> nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu") is layer.weight  # in place
    True
    """
    bound = _SQRT3 * _kaiming_std(tensor, "kaiming_uniform_", a, mode, nonlinearity)
    return _uniform(tensor, "kaiming_uniform_", -bound, bound)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """Kaiming/He normal: N(0, std**2), std = gain / sqrt(fan) (see `kaiming_uniform_`);
    with ReLU that is the notes' sqrt(2 / D_in).

    >>> nn.init.kaiming_normal_(layer.weight, nonlinearity="relu") is layer.weight  # in place
    True
    """
    std = _kaiming_std(tensor, "kaiming_normal_", a, mode, nonlinearity)
    return _normal(tensor, "kaiming_normal_", 0.0, std)


def orthogonal_(tensor, gain=1.0):
    """A (semi-)orthogonal matrix times ``gain`` (Saxe et al.): the weight, flattened to
    (shape[0], rest), has orthonormal rows (when shape[0] <= rest) or columns. From the QR
    decomposition of a Gaussian matrix, signs fixed so the result is uniformly distributed.

    >>> w = nn.init.orthogonal_(autograd.zeros(3, 5))       # w @ w.T is the identity
    """
    _checked(tensor, "orthogonal_", ndim=2)
    rows, cols = tensor.shape[0], math.prod(tensor.shape[1:])
    q, r = np.linalg.qr(default_generator.standard_normal((max(rows, cols), min(rows, cols))))
    q = q * np.sign(np.diag(r))
    return _fill(tensor, gain * (q.T if rows < cols else q).reshape(tensor.shape))


def sparse_(tensor, sparsity=None, std=0.01, *, nonzero_per_unit=None):
    """A sparse 2-D weight (Martens, 2010): N(0, std**2) entries, with a fraction
    ``sparsity`` of each column (rounded up) set to zero (PyTorch's form), or — with
    ``nonzero_per_unit=k`` instead, the decks' form — exactly ``k`` non-zero entries in each
    row: each unit of a ``(out, in)`` weight sees ``k`` random inputs (Martens used k = 15).

    >>> w = nn.init.sparse_(autograd.zeros(10, 4), sparsity=0.5)
    >>> (w.numpy() == 0).sum(axis=0).tolist()                   # 5 zeros in each column
    [5, 5, 5, 5]
    >>> w = nn.init.sparse_(autograd.zeros(3, 20), nonzero_per_unit=4, std=1.0)
    >>> (w.numpy() != 0).sum(axis=1).tolist()                   # 4 inputs per unit
    [4, 4, 4]
    """
    if (sparsity is None) == (nonzero_per_unit is None):
        raise ValueError("sparse_: give sparsity (the fraction of each column set to zero, "
                         "PyTorch's form) or nonzero_per_unit (non-zero entries per row), "
                         "exactly one of them")
    _checked(tensor, "sparse_", ndim=2, exact=True)
    values = np.array(raw(_normal(tensor, "sparse_", 0.0, std)))
    if nonzero_per_unit is not None:
        fan_in = values.shape[1]
        if int(nonzero_per_unit) != nonzero_per_unit or not 0 <= nonzero_per_unit <= fan_in:
            raise ValueError(f"sparse_: nonzero_per_unit must be an integer in [0, {fan_in}] "
                             f"(the rows have {fan_in} entries), got {nonzero_per_unit!r}")
        zeroed = np.argsort(default_generator.random(values.shape), axis=1)  # a permutation per row
        np.put_along_axis(values, zeroed[:, int(nonzero_per_unit):], 0, axis=1)
        return _fill(tensor, values)
    _check_fraction("sparse_", "sparsity", sparsity, "the fraction of each column set to zero")
    zeroed = np.argsort(default_generator.random(values.shape), axis=0)  # a permutation per column
    np.put_along_axis(values, zeroed[:math.ceil(sparsity * values.shape[0])], 0, axis=0)
    return _fill(tensor, values)


def default_uniform_(weight, bias=None):
    """PyTorch's default initialization of Linear and Conv layers: weight and bias from
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)). (PyTorch spells the weight's part
    ``kaiming_uniform_(weight, a=sqrt(5))``: the same distribution.)

    >>> w = nn.init.default_uniform_(layer.weight, layer.bias)   # layer: Linear(3, 5)
    >>> bool(abs(w).max() <= 1 / 3 ** 0.5)
    True
    """
    bound = _std(1.0, _fans(weight, "default_uniform_")[0])
    _uniform(weight, "default_uniform_", -bound, bound)
    if bias is not None:
        _uniform(bias, "default_uniform_", -bound, bound)
    return weight


def lsuv_(model, batch, tol=0.1, max_iter=10):
    """Layer-sequential unit-variance init (Mishkin & Matas, "All you need is a good
    init", 2015), a data-dependent init beyond PyTorch: every layer with a weight of 2 or
    more dimensions (Linear, Conv2d, ...) gets an `orthogonal_` weight and a zero bias; then,
    in the order the model calls them, each weight is divided by the standard deviation of
    that layer's output on ``batch`` until the output variance is within ``tol`` of 1 (at
    most ``max_iter`` rescalings per layer).

    Works for any model whose layers are sub-modules called during ``model(batch)`` (their
    outputs are read with forward hooks). The forward passes run under ``no_grad`` in the
    model's current mode; buffers (e.g. batch-norm running statistics) are restored
    afterwards. Returns the model.

    >>> model = nn.Sequential(nn.Linear(100, 50), nn.Tanh(), nn.Linear(50, 10))
    >>> x = autograd.randn(64, 100)
    >>> model = nn.init.lsuv_(model, x)
    >>> abs(float(model[0](x).var()) - 1) < 0.1
    True
    """
    layers = [m for m in model.modules()
              if isinstance(getattr(m, "weight", None), Parameter) and m.weight.ndim >= 2]
    if not layers:
        raise ValueError(f"lsuv_: {type(model).__name__} has no layer with a weight of 2 or "
                         "more dimensions (Linear, Conv2d, ...) to initialize")
    for layer in layers:
        orthogonal_(layer.weight)
        if isinstance(getattr(layer, "bias", None), Parameter):
            zeros_(layer.bias)
    outputs = {}  # each layer's output in the last forward pass, in the order they ran
    with _restoring_buffers(model), _recording_outputs(layers, outputs), no_grad():
        model(batch)
        for layer in list(outputs):
            for _ in range(max_iter):
                variance = float(np.var(outputs[layer].numpy()))
                if abs(variance - 1) < tol:
                    break
                if not variance > 0:
                    raise ValueError(f"lsuv_: the output of {layer!r} is constant on this "
                                     "batch (variance 0), so it cannot be rescaled to unit "
                                     "variance; pass a more varied batch")
                layer.weight.div_(math.sqrt(variance))
                outputs.clear()
                model(batch)
    return model


@contextlib.contextmanager
def _restoring_buffers(model):
    """Undo what forward passes do to buffers, whether they update them in place or
    replace them (batch-norm running statistics)."""
    saved = [(module, name, buffer, buffer.numpy().copy()) for module in model.modules()
             for name, buffer in module.named_buffers(recurse=False)]
    try:
        yield
    finally:
        for module, name, buffer, data in saved:
            buffer.data = data
            setattr(module, name, buffer)


@contextlib.contextmanager
def _recording_outputs(layers, outputs):
    """Forward hooks that put each layer's first output of a pass into ``outputs``."""
    def record(layer, args, out):  # returns None, so the output is left as it is
        outputs.setdefault(layer, out)

    handles = [layer.register_forward_hook(record) for layer in layers]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


# ---------------------------------------------------------------- helpers
_SQRT3 = math.sqrt(3.0)  # U(-b, b) has std b / sqrt(3)


def _checked(tensor, fn, ndim=0, exact=False):
    """``tensor``, once checked: a floating Tensor with at least (or, with ``exact``,
    exactly) ``ndim`` dimensions."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{fn}: expected an autograd.Tensor (e.g. layer.weight), got "
                        f"{type(tensor).__name__}")
    if tensor.dtype.kind != "f":
        raise DtypeError(f"{fn}: can only fill a floating-point tensor, got dtype "
                         f"{tensor.dtype}")
    if tensor.ndim < ndim or exact and tensor.ndim != ndim:
        raise ShapeError(f"{fn}: needs a tensor of {'exactly' if exact else 'at least'} {ndim} "
                         f"dimensions, got shape {tensor.shape}")
    return tensor


def _fill(tensor, values):
    """tensor's values replaced by ``values``, in place and counted (a graph that saved the
    tensor notices), recording nothing."""
    with no_grad():
        return tensor.copy_(values)


def _sample_dtype(data):
    """numpy's generator draws float32 or float64 only; other floats are cast from float64."""
    return data.dtype if data.dtype in (np.float32, np.float64) else np.float64


def _uniform(tensor, fn, low, high):
    return _affine_fill(tensor, _draw(_checked(tensor, fn), default_generator.random),
                        high - low, low)


def _normal(tensor, fn, mean, std):
    samples = _draw(_checked(tensor, fn), default_generator.standard_normal)
    return _affine_fill(tensor, samples, std, mean)


def _draw(tensor, sample):
    """``sample``'s draws of tensor's shape, straight into tensor's memory where numpy can
    (float32/64, contiguous): a large weight is not drawn twice over in fresh memory. `_fill`
    then counts the change (the copy onto itself costs nothing)."""
    data = raw(tensor)
    if data.dtype in (np.float32, np.float64) and data.flags.c_contiguous and data.flags.writeable:
        return sample(dtype=data.dtype, out=data)
    return sample(tensor.shape, _sample_dtype(tensor))


def _affine_fill(tensor, samples, scale, shift):
    """tensor = scale * samples + shift, in place (large weights: no temporaries)."""
    samples *= scale
    samples += shift
    return _fill(tensor, samples)


def _fans(tensor, fn):
    shape = np.shape(tensor)
    if len(shape) < 2:
        raise ShapeError(f"{fn}: fan in and fan out need a weight of at least 2 dimensions "
                         f"(out, in, *kernel), got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _std(gain, fan):
    """gain / sqrt(fan); 0 for an empty tensor (fan 0), which has nothing to fill."""
    return gain / math.sqrt(fan) if fan else 0.0


def _xavier_std(tensor, fn, gain):
    fan_in, fan_out = _fans(tensor, fn)
    return _std(gain, (fan_in + fan_out) / 2)


def _kaiming_std(tensor, fn, a, mode, nonlinearity):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{fn}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor, fn)
    return _std(calculate_gain(nonlinearity, a), fan_in if mode == "fan_in" else fan_out)
