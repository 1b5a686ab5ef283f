"""The library's one random generator: `manual_seed` makes every random op repeatable."""
import numpy as np

from .creation import _make, _size
from .engine import inplace_update
from .errors import DtypeError, ShapeError
from .grad_mode import state
from .ops import where
from .registry import registered
from .tensor import Tensor, above, get_default_dtype

# The library's generator (a numpy.random.Generator; PyTorch's torch.default_generator):
# every random op of autograd, nn and autograd.utils.data draws from it. It stays one object:
# manual_seed, seed and set_rng_state reseed it in place, so code outside the library (a
# custom layer, a transform) that draws from it repeats with them too.
default_generator = np.random.default_rng()


def _reseed(bits):
    """Draw from the bit generator ``bits`` from now on, in the same Generator object (numpy
    keeps a Generator's state in its bit generator; re-initializing swaps it)."""
    np.random.Generator.__init__(default_generator, bits)


def manual_seed(seed):
    """Seed the generator behind every random op of autograd, nn and optim:
    `autograd.default_generator`, a `numpy.random.Generator` that stays the same object.

    >>> rng = autograd.default_generator
    >>> autograd.manual_seed(0); a = rng.random()
    >>> autograd.manual_seed(0); a == rng.random()
    True
    """
    _reseed(np.random.PCG64(seed))


def generator():
    """`default_generator`, after vmap's randomness check: the library's random ops draw
    through this function (`autograd.extend.generator`)."""
    if state.vmap_levels or state.vmap_loops:  # vmap(randomness='error') refuses them
        from .func._batching import _randomness_check
        _randomness_check()
    return default_generator


above.generator = generator


def get_rng_state():
    """The state of the library's generator as plain data (a dict of str, int and arrays),
    which `autograd.save` stores; `set_rng_state` puts it back (PyTorch's names).

    >>> state = autograd.get_rng_state()
    >>> a = autograd.rand(3); autograd.set_rng_state(state); b = autograd.rand(3)  # a == b
    """
    return default_generator.bit_generator.state


def set_rng_state(state):
    """Restore the generator to a state from `get_rng_state`, so the same random numbers follow.

    >>> autograd.set_rng_state(checkpoint["rng"])
    """
    name = state.get("bit_generator") if isinstance(state, dict) else None
    kind = getattr(np.random, name, None) if isinstance(name, str) else None
    if not (isinstance(kind, type) and issubclass(kind, np.random.BitGenerator)):
        raise ValueError("set_rng_state: expected a state from autograd.get_rng_state() (a dict "
                         f"whose 'bit_generator' names a numpy bit generator), got {state!r:.100}")
    bits = kind()
    try:
        bits.state = state  # numpy checks the rest of the state's layout
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"set_rng_state: the {name} state is malformed ({type(error).__name__}: "
                         f"{error}); pass a state from autograd.get_rng_state()") from error
    _reseed(bits)


def _float_dtype(fn, dtype):
    """``dtype`` (default: the default float dtype); a DtypeError unless it is floating, as
    PyTorch refuses ``rand(3, dtype=int64)``."""
    dtype = np.dtype(dtype or get_default_dtype())
    if dtype.kind != "f":
        raise DtypeError(f"{fn}: samples real numbers, so dtype must be floating, got {dtype}; "
                         "use randint(low, high, size) for integers")
    return dtype


def randn(*shape, size=None, requires_grad=False, dtype=None, device=None):
    """Standard normal samples: ``randn(2, 3)``, ``randn((2, 3))`` or ``randn(size=(2, 3))``."""
    dtype = _float_dtype("randn", dtype)
    data = generator().standard_normal(_size(shape, "randn", size)).astype(dtype)
    return _make(data, requires_grad, device)


def rand(*shape, size=None, requires_grad=False, dtype=None, device=None):
    """Uniform samples in [0, 1): ``rand(2, 3)``, ``rand((2, 3))`` or ``rand(size=(2, 3))``."""
    dtype = _float_dtype("rand", dtype)
    data = generator().random(_size(shape, "rand", size)).astype(dtype)
    return _make(data, requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, dtype=None, device=None, requires_grad=False):
    """Normal samples with the given ``mean`` and ``std`` (PyTorch's ``normal``): tensors
    (one sample per entry, broadcast together), or numbers with a ``size``.

    >>> autograd.normal(autograd.zeros(3), 1.0).shape, autograd.normal(2.0, 0.5, (2, 2)).shape
    ((3,), (2, 2))
    """
    tensors = [a for a in (mean, std) if isinstance(a, Tensor)]
    if size is None and not tensors:
        raise TypeError("normal: give a size for number mean and std, e.g. "
                        "normal(0.0, 1.0, size=(2, 3)), or pass a tensor mean or std")
    if size is not None and tensors:
        raise TypeError("normal: size= goes with number mean and std; with a tensor mean or "
                        "std the result takes its shape")
    mean_, std_ = (np.asarray(a._data if isinstance(a, Tensor) else a) for a in (mean, std))
    if np.any(std_ < 0):
        raise ValueError(f"normal: std must be non-negative, got {std!r:.60}")
    shape = _size((size,), "normal") if size is not None else np.broadcast_shapes(
        mean_.shape, std_.shape)
    dtype = dtype or (tensors[0].dtype if tensors else get_default_dtype())
    data = mean_ + std_ * generator().standard_normal(shape)
    data = data.astype(_float_dtype("normal", dtype))
    return _make(data, requires_grad, device)


def seed():
    """Seed the generator from the operating system's entropy (a fresh, unrepeatable run)."""
    manual_seed(None)


def randn_like(t, dtype=None, requires_grad=False, device=None):
    """Standard normal samples with the shape (and, by default, the dtype) of ``t``."""
    return randn(np.shape(t), dtype=dtype or _dtype_of(t), requires_grad=requires_grad,
                 device=device)


def rand_like(t, dtype=None, requires_grad=False, device=None):
    """Uniform samples in [0, 1) with the shape (and, by default, the dtype) of ``t``."""
    return rand(np.shape(t), dtype=dtype or _dtype_of(t), requires_grad=requires_grad,
                device=device)


def _dtype_of(t):
    """t's dtype, not read from its values (a tensor inside vmap has none to read)."""
    return t.dtype if isinstance(t, Tensor) else np.asarray(t).dtype


def randint(low=0, high=None, size=None, *, dtype=None, device=None, requires_grad=False):
    """Integers uniform in [low, high), int64 as in PyTorch: ``randint(0, 10, (3,))``,
    ``randint(10, (3,))`` (from 0), ``randint(high=10, size=(3,))``.

    >>> autograd.randint(10, (2, 2)).shape
    (2, 2)
    """
    if isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint: give high (and a size), e.g. randint(10, (3,)) or "
                        "randint(0, 10, size=(3,))")
    if size is None:
        raise TypeError(f"randint: give a size, e.g. randint({low}, {high}, (3,))")
    data = generator().integers(low, high, size=_size((size,), "randint"))
    return _make(data.astype(dtype or np.int64), requires_grad, device)


def randperm(n, *, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0 .. n-1 (int64)."""
    data = generator().permutation(int(n))
    return _make(data.astype(dtype or np.int64), requires_grad, device)


def _fill_random(x, name, sample):
    """x's entries replaced by ``sample(shape)`` (float64 samples), in place and counted."""
    values = sample(x.shape).astype(x.dtype)  # in a graph: x's place, with no gradient to x
    return inplace_update(x, name, (), lambda: where(np.ones(x.shape, bool), values, x),
                          lambda d: np.copyto(d, values))


@registered("none", method=True)
def normal_(x, mean=0.0, std=1.0, *, generator=None):
    """x filled with normal samples of ``mean`` and ``std``, in place (PyTorch's ``normal_``;
    ``generator``: a numpy Generator, by default the library's).

    >>> autograd.zeros(3).normal_(0.0, 0.01).shape
    (3,)
    """
    _float_dtype("normal_", x.dtype)
    rng = _draws("normal_", generator)
    return _fill_random(x, "normal_", lambda shape: mean + std * rng.standard_normal(shape))


@registered("none", method=True)
def uniform_(x, from_=0.0, to=1.0, *, generator=None):
    """x filled with uniform samples in [from_, to), in place (PyTorch's ``uniform_``;
    ``generator`` as `normal_`'s)."""
    _float_dtype("uniform_", x.dtype)
    rng = _draws("uniform_", generator)
    return _fill_random(x, "uniform_", lambda shape: rng.uniform(from_, to, shape))


# ============================================================ PyTorch's other draws
# Each takes PyTorch's ``generator=`` (here a numpy Generator; default: the library's) and
# passes vmap's randomness check either way.
def _draws(fn, given):
    default = generator()
    if given is not None and not isinstance(given, np.random.Generator):
        raise TypeError(f"{fn}: generator must be a numpy.random.Generator (e.g. "
                        f"autograd.default_generator), got {type(given).__name__}")
    return default if given is None else given


def _probabilities(fn, p):
    p = np.asarray(p._data if isinstance(p, Tensor) else p)
    if not np.all((p >= 0) & (p <= 1)):  # NaN fails too
        raise ValueError(f"{fn}: probabilities must be in [0, 1], got values from "
                         f"{np.nanmin(p)} to {np.nanmax(p)}")
    return p


@registered("none", method=True)
def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (or the number ``p``), 0 otherwise, one draw per entry, in
    input's dtype (PyTorch's ``bernoulli``).

    >>> autograd.bernoulli(autograd.tensor([0.0, 1.0]))
    Tensor([0., 1.])
    """
    _float_dtype("bernoulli", input.dtype)
    probs = _probabilities("bernoulli", input if p is None else p)
    rng = _draws("bernoulli", generator)
    data = (rng.random(input.shape) < probs).astype(input.dtype)
    return _make(data, False, None)


@registered("none", method=True)
def bernoulli_(input, p=0.5, *, generator=None):
    """input filled with 1 (probability ``p``: a number, or a tensor broadcast to input) or 0,
    in place (PyTorch's ``bernoulli_``: a dropout mask ``mask.bernoulli_(1 - p)``)."""
    probs = _probabilities("bernoulli_", p)
    rng = _draws("bernoulli_", generator)
    return _fill_random(input, "bernoulli_", lambda shape: rng.random(shape) < probs)


@registered("none", method=True)
def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Category indices drawn with probabilities proportional to ``input``'s entries
    (PyTorch's ``multinomial``): input of shape (categories,) gives (num_samples,); of shape
    (rows, categories) one draw of num_samples per row. int64. Without ``replacement`` a
    category is drawn at most once per row (those of weight 0 after all others). Sampling
    text from a language model:
    ``next_token = autograd.multinomial(logits.softmax(-1), 1)``.

    >>> autograd.multinomial(autograd.tensor([0.0, 1.0, 0.0]), 2, replacement=True)
    Tensor([1, 1])
    """
    w = np.asarray(input._data if isinstance(input, Tensor) else input)
    if w.ndim not in (1, 2):
        raise ShapeError(f"multinomial: input must have 1 or 2 dimensions (categories, or rows "
                         f"of categories), got shape {w.shape}")
    if w.dtype.kind != "f":
        raise DtypeError(f"multinomial: input must be floating (weights), got {w.dtype}")
    if not isinstance(num_samples, (int, np.integer)) or num_samples <= 0:
        raise ValueError(f"multinomial: num_samples must be a positive int, got {num_samples!r}")
    rows = w.reshape(-1, w.shape[-1]).astype(np.float64)
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise ValueError("multinomial: the weights must be finite and non-negative (no inf, "
                         "nan or negative entries)")
    if np.any(rows.sum(-1) <= 0):
        raise ValueError("multinomial: every row of weights must have a positive sum")
    if not replacement and num_samples > w.shape[-1]:
        raise ValueError(f"multinomial: cannot draw {num_samples} samples without replacement "
                         f"from {w.shape[-1]} categories; pass replacement=True or fewer "
                         "samples")
    rng = _draws("multinomial", generator)
    n = len(rows)
    if replacement:  # inverse CDF, every row at once: row r's CDF shifted to [r, r + 1]
        cdf = np.cumsum(rows, -1) / rows.sum(-1, keepdims=True)
        cdf[:, -1] = 1.0
        offset = np.arange(n)[:, None]
        u = rng.random((n, num_samples))
        flat = np.searchsorted((cdf + offset).ravel(), (u + offset).ravel(), side="right")
        out = flat.reshape(n, num_samples) - offset * w.shape[-1]
    else:  # the num_samples smallest exponential(1) / weight: a draw without replacement
        # (categories of weight 0 come last, as in PyTorch)
        with np.errstate(divide="ignore"):
            keys = rng.standard_exponential(rows.shape) / rows
        out = np.argsort(keys, -1, kind="stable")[:, :num_samples]
    out = np.minimum(out, w.shape[-1] - 1).astype(np.int64)
    return _make(out.reshape(w.shape[:-1] + (num_samples,)), False, None)


@registered("none")
def poisson(input, generator=None):
    """Poisson counts with rates ``input``, one per entry, in input's dtype (PyTorch's
    ``poisson``).

    >>> autograd.poisson(autograd.zeros(2))
    Tensor([0., 0.])
    """
    _float_dtype("poisson", input.dtype)
    rates = input._data
    if not np.all(rates >= 0):
        raise ValueError(f"poisson: rates must be non-negative, got a minimum of "
                         f"{np.nanmin(rates)}")
    rng = _draws("poisson", generator)
    return _make(rng.poisson(rates).astype(input.dtype), False, None)


@registered("none", method=True)
def random_(input, from_=None, to=None, *, generator=None):
    """input filled with integers uniform in [from_, to) (PyTorch's ``random_``):
    ``random_(to)`` from 0; ``random_()`` from 0 to the largest integer input's dtype holds
    exactly (2**24 for float32, 2**53 for float64, the maximum for integers)."""
    if to is None and from_ is not None:
        from_, to = 0, from_
    from_ = 0 if from_ is None else from_
    dtype = input.dtype
    if to is None:
        top = 1 if dtype == np.bool_ else (2 ** (np.finfo(dtype).nmant + 1) if dtype.kind == "f"
                                          else int(np.iinfo(dtype).max))
    else:
        top = to - 1
    if top < from_:
        raise ValueError(f"random_: expects from < to, got from={from_}, to={to}")
    rng = _draws("random_", generator)
    return _fill_random(input, "random_", lambda shape: rng.integers(from_, top, shape,
                                                                     endpoint=True))


def _fill_floats(input, name, generator, sample):
    """input filled with the floats ``sample(rng, shape)``, in place."""
    _float_dtype(name, input.dtype)
    rng = _draws(name, generator)
    return _fill_random(input, name, lambda shape: sample(rng, shape))


def _positive(name, what, value):
    if not value > 0:
        raise ValueError(f"{name}: {what} must be positive, got {value}")


@registered("none", method=True)
def exponential_(input, lambd=1.0, *, generator=None):
    """input filled with exponential samples of rate ``lambd``, in place (PyTorch's)."""
    _positive("exponential_", "lambd", lambd)
    return _fill_floats(input, "exponential_", generator,
                        lambda rng, shape: rng.exponential(1 / lambd, shape))


@registered("none", method=True)
def geometric_(input, p, *, generator=None):
    """input filled with the number of Bernoulli(p) trials up to the first success (1, 2,
    ...), in place (PyTorch's)."""
    if not 0 < p < 1:
        raise ValueError(f"geometric_: p must be in (0, 1), got {p}")
    rng = _draws("geometric_", generator)
    return _fill_random(input, "geometric_", lambda shape: rng.geometric(p, shape))


@registered("none", method=True)
def log_normal_(input, mean=1.0, std=2.0, *, generator=None):
    """input filled with exp of normal samples of ``mean`` and ``std``, in place (PyTorch's)."""
    _positive("log_normal_", "std", std)
    return _fill_floats(input, "log_normal_", generator,
                        lambda rng, shape: rng.lognormal(mean, std, shape))


@registered("none", method=True)
def cauchy_(input, median=0.0, sigma=1.0, *, generator=None):
    """input filled with Cauchy samples of ``median`` and scale ``sigma``, in place
    (PyTorch's)."""
    _positive("cauchy_", "sigma", sigma)
    return _fill_floats(input, "cauchy_", generator,
                        lambda rng, shape: median + sigma * rng.standard_cauchy(shape))
