"""Grad mode, forward-mode and anomaly flags: thread-local switches read by every op."""
import functools
import threading


class _State(threading.local):
    grad_enabled = True  # record ops in the graph?
    forward_ad = False  # propagate tangents (inside `jvp`)?
    anomaly = False  # check every op's result for NaN/inf?


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
        @functools.wraps(fn)
        def run(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return run


class no_grad(_Switch):
    """Ops inside record nothing: results have ``requires_grad=False`` and no graph.

    >>> with autograd.no_grad():
    ...     y = w * 2          # y.requires_grad is False
    """

    def __init__(self):
        super().__init__(False)


class enable_grad(_Switch):
    """Turn recording back on inside a ``no_grad`` block."""

    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_Switch):
    """``with set_grad_enabled(train):`` records the graph only when ``train`` is true."""


class detect_anomaly(_Switch):
    """Check every op's result (forward and backward) for NaN or inf and raise
    `AnomalyError` naming the op that produced it. Slower; use it to debug.
    """

    flag = "anomaly"

    def __init__(self, enabled=True):
        super().__init__(enabled)


class _forward_mode(_Switch):
    """Inside `jvp`: ops carry tangents alongside values."""

    flag = "forward_ad"

    def __init__(self, enabled=True):
        super().__init__(enabled)
