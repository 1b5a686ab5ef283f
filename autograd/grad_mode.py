"""Grad mode, forward-mode and anomaly flags: thread-local switches read by every op."""
import functools
import inspect
import threading


class _State(threading.local):
    grad_enabled = True  # record ops in the graph?
    forward_ad = ()  # the forward-mode levels whose tangents ops propagate (inside `jvp`)
    anomaly = False  # check every gradient backward computes for NaN?
    vmap_levels = ()  # (level, batch size, randomness) of each vmap running (`autograd.func`)
    vmap_loops = ()  # the randomness of each vmap running its function once per sample
    vmap_writes = None  # the in-place ops run under vmap, while one runs (a list)


state = _State()


def is_grad_enabled():
    """True when ops record the graph (the default)."""
    return state.grad_enabled


class _Switch:
    """A context manager that sets one flag of `state` and restores it on exit.

    Instances also decorate functions: ``@no_grad()`` runs the function with the flag set.
    """

    flag = "grad_enabled"

    def __init__(self, value):
        self.value = bool(value)
        self._saved = []

    def __enter__(self):
        self._saved.append(getattr(state, self.flag))
        setattr(state, self.flag, self.value)
        return self

    def __exit__(self, *exc_info):
        setattr(state, self.flag, self._saved.pop())

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            return self._wrap_generator(fn)

        @functools.wraps(fn)
        def run(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return run

    def _wrap_generator(self, fn):
        """A generator runs in pieces, between which the caller's mode holds: set the flag
        around each piece (as PyTorch does), not once around creating the generator."""

        @functools.wraps(fn)
        def run(*args, **kwargs):
            gen = fn(*args, **kwargs)
            resume, value = gen.send, None
            while True:
                try:
                    with self:
                        reply = resume(value)
                except StopIteration as stop:
                    return stop.value
                try:
                    value, resume = (yield reply), gen.send
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as exc:  # thrown in by the caller: pass it on
                    value, resume = exc, gen.throw

        return run


class _BareDecorator(_Switch):
    """Also usable as a decorator without parentheses (``@no_grad``), as in PyTorch."""

    def __new__(cls, fn=None):
        self = super().__new__(cls)
        if fn is None:
            return self
        self.__init__()
        return self(fn)


class no_grad(_BareDecorator):
    """Ops inside record nothing: results have ``requires_grad=False`` and no graph.

    >>> with autograd.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    def __init__(self):
        super().__init__(False)


class enable_grad(_BareDecorator):
    """Turn recording back on inside a ``no_grad`` block."""

    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_Switch):
    """``with set_grad_enabled(train):`` records the graph only when ``train`` is true.

    As in PyTorch, a plain call ``set_grad_enabled(False)`` switches the mode at once (for
    this thread), until switched back.
    """

    def __init__(self, mode):
        super().__init__(mode)
        self._prev = state.grad_enabled
        state.grad_enabled = self.value

    def __enter__(self):
        if self._prev is None:
            return super().__enter__()
        self._saved.append(self._prev)  # entered right after the call: restore the mode before it
        self._prev = None
        state.grad_enabled = self.value
        return self

    def __call__(self, fn):
        if self._prev is not None:  # used as a decorator: undo the switch made by the call
            state.grad_enabled, self._prev = self._prev, None
        return super().__call__(fn)


class detect_anomaly(_Switch):
    """Check, during backward, every gradient that a reverse rule or a hook returns for NaN,
    and raise `AnomalyError` naming the op (or hook) that produced it. As PyTorch's check:
    the forward pass is not checked, and inf is not an anomaly (log's gradient at 0 is inf).
    ``check_nan=False`` (PyTorch's keyword) turns the check off. Slower; use it to debug.

    >>> x = autograd.tensor([0.0], requires_grad=True)
    >>> with autograd.detect_anomaly():
    ...     (x * float("nan")).sum().backward()
    Traceback (most recent call last):
    ...
    autograd.errors.AnomalyError: the reverse rule of mul returned NaN for input 0 ...
    """

    flag = "anomaly"

    def __init__(self, check_nan=True):
        super().__init__(check_nan)


class _forward_mode(_Switch):
    """Inside `jvp`: ops carry the tangents of forward-mode ``levels`` (ids, outermost first;
    a tensor's ``_tangent`` maps level to tangent) alongside values. () turns it off."""

    flag = "forward_ad"

    def __init__(self, levels):
        self.value = tuple(levels)
        self._saved = []
