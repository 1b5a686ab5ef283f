"""Hyperparameter search: random search over a space of distributions, grid search, and the
coarse-to-fine step between rounds, on one core, in worker processes, or on a Dask cluster.

The parameters of every trial are drawn here, in order, from ``seed`` alone, before any trial
runs; only the objective runs elsewhere. So the trials (and, for a deterministic objective, their
scores) are the same whichever executor runs them and in whatever order they finish.
"""
import concurrent.futures
import contextlib
import itertools
import math
import multiprocessing
import numbers
import os
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

from autograd.utils import progress

__all__ = ["LogUniform", "Uniform", "IntUniform", "Choice", "Trial", "Trials",
           "random_search", "grid_search", "refine"]


# ----------------------------------------------------------------------------- spaces

class Uniform:
    """Real values drawn uniformly from ``[low, high)``.

    >>> Uniform(0.0, 0.5).sample(np.random.default_rng(0))
    0.318...
    """

    log = False

    def __init__(self, low, high):
        if not (_is_real(low) and _is_real(high) and low < high):
            raise ValueError(f"{type(self).__name__}: need numbers low < high, got "
                             f"low={low!r}, high={high!r}")
        self.low, self.high = low, high

    def _to_line(self, value):  # the axis on which draws are uniform
        return value

    def _from_line(self, value):
        return float(value)

    def sample(self, rng):
        """One draw, using the numpy Generator ``rng``."""
        return self._from_line(rng.uniform(self._to_line(self.low), self._to_line(self.high)))

    def _narrowed(self, low, high):
        return type(self)(low, high)

    def __eq__(self, other):
        return type(self) is type(other) and (self.low, self.high) == (other.low, other.high)

    def __repr__(self):
        return f"{type(self).__name__}({self.low:.4g}, {self.high:.4g})"


class LogUniform(Uniform):
    """Positive values whose logarithm is uniform in ``[log low, log high)``: every decade
    between ``low`` and ``high`` gets the same share of the draws (the notes' advice for
    learning rates and regularization strengths, which act multiplicatively).

    >>> space = {"lr": LogUniform(1e-5, 1e-1), "reg": LogUniform(1e-6, 1e-2)}
    """

    log = True

    def __init__(self, low, high):
        super().__init__(low, high)
        if not low > 0:
            raise ValueError(f"LogUniform: need 0 < low < high, got low={low!r}, high={high!r}; "
                             f"use Uniform for ranges that reach 0 or below")

    def _to_line(self, value):
        return math.log(value)

    def _from_line(self, value):
        return float(math.exp(value))


class IntUniform(Uniform):
    """Integers from ``low`` to ``high``, both included, equally likely.

    >>> space = {"hidden": IntUniform(16, 128)}
    """

    def __init__(self, low, high):
        if not (_is_int(low) and _is_int(high) and low <= high):
            raise ValueError(f"IntUniform: need integers low <= high, got low={low!r}, "
                             f"high={high!r}")
        self.low, self.high = int(low), int(high)

    def sample(self, rng):
        """One draw, using the numpy Generator ``rng``."""
        return int(rng.integers(self.low, self.high + 1))

    def _narrowed(self, low, high):
        return IntUniform(math.floor(low), math.ceil(high))

    def __repr__(self):
        return f"IntUniform({self.low}, {self.high})"


class Choice:
    """One of ``values``, each equally likely (an optimizer's name, an activation, a width).

    >>> space = {"optimizer": Choice(["sgd", "adam"]), "lr": LogUniform(1e-4, 1e-1)}
    """

    log = False

    def __init__(self, values):
        if isinstance(values, (str, bytes)) or not list(values):
            raise ValueError(f"Choice: values must be a non-empty list of options, got "
                             f"{values!r}")
        self.values = list(values)

    def sample(self, rng):
        """One draw, using the numpy Generator ``rng``."""
        return self.values[int(rng.integers(len(self.values)))]

    def __eq__(self, other):
        return type(other) is Choice and self.values == other.values

    def __repr__(self):
        return f"Choice({self.values!r})"


_DISTRIBUTIONS = (Uniform, Choice)


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# ----------------------------------------------------------------------------- trials

@dataclass(frozen=True)
class Trial:
    """One run of the objective: its ``params``, its ``score`` (NaN when it failed), the extra
    ``metrics`` it returned, the ``seconds`` it took, its ``error`` (None when it succeeded, else
    the exception's type and message) and ``index``, its place in the order of drawing.

    >>> best = random_search(objective, space, n_trials=20, progress=False)[0]
    >>> sorted(best.params), best.error
    (['epochs', 'lr', 'reg'], None)
    """

    params: dict
    score: float
    metrics: dict = field(default_factory=dict)
    seconds: float = math.nan
    error: str = None
    index: int = 0


class Trials(list):
    """The trials of a search, best first (then any failed ones), printed as a table.

    ``mode`` and ``space`` are those of the search; ``to_records()`` gives one dict per trial
    (for ``pandas.DataFrame``), and ``plot()`` draws score against each hyperparameter.

    >>> trials = random_search(objective, space, n_trials=20, progress=False)
    >>> print(trials)         # a table, best first
     #         lr        reg  epochs     score  ...
     1   0.008777   0.003614       5  0.006824  ...
    ...
    >>> best = trials[0].params   # the best trial's parameters
    >>> round(best["lr"], 4), round(best["reg"], 4), best["epochs"]
    (0.0088, 0.0036, 5)
    """

    def __init__(self, trials, mode="min", space=None):
        sign = 1 if mode == "min" else -1
        super().__init__(sorted(trials, key=lambda t: (t.error is not None,
                                                       sign * t.score if t.error is None else 0,
                                                       t.index)))
        self.mode, self.space = mode, space or {}

    @property
    def best(self):
        """The best trial (the first)."""
        return self[0]

    def to_records(self):
        """One dict per trial, best first: the parameters, ``score``, the metrics,
        ``seconds`` and ``error``.

        >>> sorted(trials.to_records()[0])   # pandas.DataFrame(trials.to_records()) for a table
        ['epochs', 'error', 'lr', 'reg', 'score', 'seconds']
        """
        return [{**t.params, "score": t.score, **t.metrics, "seconds": t.seconds,
                 "error": t.error} for t in self]

    def __str__(self):
        records = self.to_records()
        if not records:
            return "Trials([])"
        columns = list(dict.fromkeys(key for record in records for key in record))
        if all(record["error"] is None for record in records):
            columns.remove("error")
        rows = [["#"] + columns] + [[str(rank)] + [_format(record.get(c, "")) for c in columns]
                                    for rank, record in enumerate(records, 1)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)).rstrip()
                         for row in rows)

    __repr__ = __str__

    def plot(self, top_k=3, axes=None, ylabel="score"):
        """Scatter the score of every successful trial against each hyperparameter that
        varied, one panel per hyperparameter: log axes for log-uniform parameters (and for
        grids of positive numbers spanning 100x or more), the ``top_k`` best trials in red and
        the best as a star. Needs matplotlib (the ``plot`` extra). Returns the axes.

        >>> axes = trials.plot(ylabel="validation accuracy")  # the notes' scatter
        >>> [a.get_xlabel() for a in axes]
        ['lr', 'reg']
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("Trials.plot needs matplotlib: pip install 'backproplab[plot]'") \
                from None
        done = [t for t in self if t.error is None]
        names = [n for n in self.space if len({repr(t.params.get(n)) for t in done}) > 1]
        if not names:
            raise ValueError("Trials.plot: no hyperparameter varied among the successful trials "
                             f"({len(done)} of {len(self)})")
        if axes is None:
            _, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.2), squeeze=False)
            axes = axes[0]
        for ax, name in zip(axes, names):
            x = [t.params[name] for t in done]
            y = [t.score for t in done]
            ax.scatter(x, y, s=18, color="0.6", label="trial")
            ax.scatter(x[:top_k], y[:top_k], s=30, color="tab:red", label=f"best {top_k}")
            ax.scatter(x[:1], y[:1], s=160, marker="*", color="tab:red", edgecolor="k",
                       label="best")
            if _log_scaled(self.space[name]):
                ax.set_xscale("log")
            ax.set_xlabel(name)
            ax.set_ylabel(ylabel)
        axes[0].legend(fontsize=8)
        failed = len(self) - len(done)
        if failed:
            axes[0].set_title(f"{failed} failed trial{'s' * (failed > 1)} not shown", fontsize=9)
        return axes


def _format(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def _log_scaled(dist):
    if isinstance(dist, Uniform):
        return dist.log
    values = dist.values if isinstance(dist, Choice) else dist
    if isinstance(values, (list, tuple, np.ndarray)) and len(values) > 1 and all(
            _is_real(v) and v > 0 for v in values):
        return max(values) >= 100 * min(values)
    return False


# ----------------------------------------------------------------------------- running

def _run_trial(objective, params, index):
    """Run one trial where the executor puts it; never raises for the objective's faults."""
    start = time.perf_counter()
    score, metrics, error = math.nan, {}, None
    try:
        result = objective(params)
        if isinstance(result, dict):
            if "score" not in result:
                raise KeyError(f"the objective returned a dict without a 'score': "
                               f"{sorted(result)}")
            metrics = {k: v for k, v in result.items() if k != "score"}
            result = result["score"]
        try:
            score = float(result)
        except (TypeError, ValueError):
            raise TypeError(f"the objective returned {result!r} ({type(result).__name__}); "
                            f"return a number or a dict with a 'score'") from None
        if math.isnan(score):
            error = "the score is NaN"
    except Exception as exc:  # a failing trial is data, not the end of the search
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        score = math.nan
    return Trial(params, score, metrics, time.perf_counter() - start, error, index)


def _run_all(name, objective, all_params, mode, space, executor, n_jobs, show_progress):
    if mode not in ("min", "max"):
        raise ValueError(f"{name}: mode must be 'min' (for a loss) or 'max' (for an "
                         f"accuracy), got {mode!r}")
    if not callable(objective):
        raise TypeError(f"{name}: objective must be callable as objective(params), got "
                        f"{type(objective).__name__}")
    pool = contextlib.nullcontext(executor) if n_jobs is None else _pool(name, n_jobs, executor)
    bar = dict(desc=name, total=len(all_params), enabled=show_progress, leave=False)
    with pool as executor:
        if executor is None:
            trials = [_run_trial(objective, params, i)
                      for i, params in progress(enumerate(all_params), **bar)]
        else:
            futures = {executor.submit(_run_trial, objective, params, i): (i, params)
                       for i, params in enumerate(all_params)}
            trials = [_collect(future, *futures[future])
                      for future in progress(concurrent.futures.as_completed(futures), **bar)]
    if trials and all(t.error is not None for t in trials):
        first = min(trials, key=lambda t: t.index)
        warnings.warn(f"{name}: all {len(trials)} trials failed; the first with: {first.error}",
                      RuntimeWarning, stacklevel=3)
    return Trials(trials, mode, space)


def _pool(name, n_jobs, executor):
    if executor is not None:
        raise ValueError(f"{name}: pass executor= or n_jobs=, not both")
    if not (_is_int(n_jobs) and (n_jobs >= 1 or n_jobs == -1)):
        raise ValueError(f"{name}: n_jobs must be an int >= 1 (or -1 for one worker per core), "
                         f"got {n_jobs!r}")
    # fork: the workers start as copies of this process, so an objective defined in a
    # notebook or a script (and the data it reads) reaches them without being importable
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    workers = os.cpu_count() if n_jobs == -1 else n_jobs
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)


def _collect(future, index, params):
    try:
        return future.result()
    except Exception as exc:  # the executor's fault (a lost worker, an unpicklable objective)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return Trial(params, math.nan, {}, math.nan, error, index)


def random_search(objective, space, n_trials, seed=0, mode="min", executor=None, *,
                  n_jobs=None, progress=True):
    """Run ``objective(params)`` on ``n_trials`` parameter sets drawn at random from ``space``.

    ``space`` maps each name to a distribution (`LogUniform`, `Uniform`, `IntUniform`,
    `Choice`) or to a plain value, passed unchanged. ``objective`` returns a number, or a dict
    with a ``"score"`` and any other metrics. ``mode="min"`` puts the lowest score first,
    ``"max"`` the highest. A trial that raises or scores NaN is kept, with its ``error``, at the
    end; the search goes on.

    Trials run one after the other here (``executor=None``), in ``n_jobs`` worker processes on
    this machine, or on any ``concurrent.futures.Executor`` — a Dask cluster's is
    ``distributed.Client(address).get_executor()``. The parameters come from ``seed`` alone;
    seed inside the objective (``autograd.manual_seed``) to make its score repeatable too.
    ``progress`` shows a tqdm bar when tqdm is installed. Returns `Trials`, best first.

    >>> def objective(params):
    ...     return train_and_validate(lr=params["lr"], weight_decay=params["reg"])
    >>> space = {"lr": LogUniform(1e-4, 1), "reg": LogUniform(1e-6, 1e-2), "epochs": 5}
    >>> trials = random_search(objective, space, n_trials=20, progress=False)
    >>> len(trials), trials[0].error
    (20, None)
    """
    if not (_is_int(n_trials) and n_trials >= 1):
        raise ValueError(f"random_search: n_trials must be an int >= 1, got {n_trials!r}")
    if not isinstance(space, dict):
        raise TypeError(f"random_search: space must be a dict mapping names to distributions "
                        f"or values, got {type(space).__name__}")
    rng = np.random.default_rng(seed)
    all_params = [{name: dist.sample(rng) if isinstance(dist, _DISTRIBUTIONS) else dist
                   for name, dist in space.items()} for _ in range(n_trials)]
    return _run_all("random_search", objective, all_params, mode, space, executor, n_jobs,
                    progress)


def grid_search(objective, grid, mode="min", executor=None, *, n_jobs=None, progress=True):
    """Run ``objective(params)`` on every combination of the values in ``grid``.

    ``grid`` maps each name to a list (or tuple, or 1-d array) of values, or to a plain value
    kept constant; the combinations run in ``itertools.product`` order of the lists. Everything
    else is as in `random_search` (which the notes prefer: for the same budget it tries more
    distinct values of the hyperparameters that matter).

    >>> trials = grid_search(objective, {"lr": [1e-3, 1e-2, 1e-1], "reg": [0, 1e-4]},
    ...                      progress=False)
    >>> trials[0].params
    {'lr': 0.01, 'reg': 0}
    """
    if not isinstance(grid, dict):
        raise TypeError(f"grid_search: grid must be a dict mapping names to lists of values, "
                        f"got {type(grid).__name__}")
    axes = {}
    for name, values in grid.items():
        if isinstance(values, _DISTRIBUTIONS):
            raise TypeError(f"grid_search: grid[{name!r}] is {values!r}, a distribution; a grid "
                            f"needs a list of values, e.g. np.logspace(-4, -1, 4) for a log-spaced "
                            f"grid, or use random_search")
        if isinstance(values, (list, tuple, np.ndarray)):
            values = [v.item() if isinstance(v, np.generic) else v for v in values]
            if not values:
                raise ValueError(f"grid_search: grid[{name!r}] is empty")
            axes[name] = values
        else:
            axes[name] = [values]
    all_params = [dict(zip(axes, combination)) for combination in itertools.product(*axes.values())]
    return _run_all("grid_search", objective, all_params, mode, grid, executor, n_jobs, progress)


# ----------------------------------------------------------------------------- coarse to fine

def refine(trials, space, top_k=3, shrink=0.25):
    """The notes' coarse-to-fine step: a narrower space around the ``top_k`` best successful
    trials, for the next round of `random_search`.

    Each numeric range becomes the smallest one that holds those trials' values and is at least
    ``shrink`` times as wide as before, centred on them and moved to stay inside the old range;
    widths are measured in log space for `LogUniform`, which stays log-uniform. A `Choice` keeps
    the options the best trials used; plain values stay.

    >>> coarse = random_search(objective, space, n_trials=10)
    >>> fine = random_search(objective, refine(coarse, space), n_trials=10, seed=1)
    """
    if not (_is_int(top_k) and top_k >= 1):
        raise ValueError(f"refine: top_k must be an int >= 1, got {top_k!r}")
    if not 0 < shrink <= 1:
        raise ValueError(f"refine: shrink must be in (0, 1], got {shrink!r}")
    best = [t for t in trials if t.error is None][:top_k]
    if not best:
        raise ValueError(f"refine: none of the {len(trials)} trials succeeded; nothing to "
                         f"refine around")
    missing = [name for name in space if name not in best[0].params]
    if missing:
        raise ValueError(f"refine: the trials have no values for {missing}; pass the space "
                         f"they were drawn from (their parameters: {sorted(best[0].params)})")
    narrowed = {}
    for name, dist in space.items():
        values = [t.params[name] for t in best]
        if isinstance(dist, Choice):
            narrowed[name] = Choice([v for v in dist.values if v in values])
        elif isinstance(dist, Uniform):
            narrowed[name] = _narrow(dist, values, shrink)
        else:
            narrowed[name] = dist
    return narrowed


def _narrow(dist, values, shrink):
    low, high = dist._to_line(dist.low), dist._to_line(dist.high)
    points = [dist._to_line(v) for v in values]
    width = max(max(points) - min(points), shrink * (high - low))
    start = (max(points) + min(points) - width) / 2
    start = min(max(start, low), high - width)  # slide back inside the old range
    # (clamped again: exp(log(x)) may differ from x in the last bit)
    return dist._narrowed(max(dist._from_line(start), dist.low),
                          min(dist._from_line(start + width), dist.high))
