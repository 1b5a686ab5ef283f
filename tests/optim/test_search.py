"""Hyperparameter search: what the spaces draw, the same trials whatever runs them (threads,
processes, a Dask cluster), grids, ordering, failing trials, coarse-to-fine, the table, the plot
and the progress bar."""
import concurrent.futures
import inspect
import itertools
import math
import sys
import time

import numpy as np
import pytest

import optim
from optim.search import (Choice, IntUniform, LogUniform, Trial, Trials, Uniform, grid_search,
                          random_search, refine)

SPACE = {"lr": LogUniform(1e-5, 1e-1), "width": IntUniform(8, 64),
         "act": Choice(["relu", "tanh"]), "epochs": 3}


def bowl(params):
    """Deterministic, with metrics, failing for large learning rates (module level, so worker
    processes can unpickle it)."""
    if params["lr"] > 0.01:
        raise ValueError(f"diverged at lr={params['lr']:.3g}")
    return {"score": (math.log10(params["lr"]) + 3) ** 2 + params["width"] / 100,
            "double_width": 2 * params["width"]}


def slow_first(params):
    """Early trials finish last: completion order is the reverse of drawing order."""
    time.sleep(0.02 * (params["slot"] == 0))
    return params["slot"]


def summary(trials):
    return [(t.index, t.params, None if t.error else t.score, t.metrics, t.error)
            for t in trials]  # (NaN != NaN)


def test_log_uniform_draws_spread_evenly_over_decades():
    trials = random_search(lambda p: p["lr"], {"lr": LogUniform(1e-5, 1e-1)}, 4000,
                           progress=False)
    draws = np.array([t.params["lr"] for t in trials])
    assert draws.min() >= 1e-5 and draws.max() < 1e-1
    per_decade = np.histogram(np.log10(draws), bins=[-5, -4, -3, -2, -1])[0]
    np.testing.assert_allclose(per_decade, 1000, rtol=0.08)  # uniform draws: 90% in the last


def test_the_other_spaces_draw_what_they_say():
    rng = np.random.default_rng(1)
    uniform = np.array([Uniform(-1.0, 3.0).sample(rng) for _ in range(4000)])
    assert -1 <= uniform.min() and uniform.max() < 3 and abs(uniform.mean() - 1) < 0.05
    counts = np.bincount([IntUniform(2, 4).sample(rng) for _ in range(3000)])
    np.testing.assert_allclose(counts, [0, 0, 1000, 1000, 1000], atol=80)  # both ends in
    picks = [Choice(["a", "b", "c"]).sample(rng) for _ in range(3000)]
    assert {v: picks.count(v) for v in "abc"} == pytest.approx({v: 1000 for v in "abc"}, abs=80)
    assert isinstance(IntUniform(2, 4).sample(rng), int)


def test_same_seed_same_trials_with_threads_and_processes():
    serial = random_search(bowl, SPACE, 12, seed=3, progress=False)
    assert 0 < sum(t.error is not None for t in serial) < 12  # some fail, some succeed
    with concurrent.futures.ThreadPoolExecutor(3) as threads:
        assert summary(random_search(bowl, SPACE, 12, seed=3, executor=threads,
                                     progress=False)) == summary(serial)
    assert summary(random_search(bowl, SPACE, 12, seed=3, n_jobs=2,
                                 progress=False)) == summary(serial)
    assert all(t.params["epochs"] == 3 for t in serial)  # a plain value is a constant
    other = random_search(bowl, SPACE, 12, seed=4, progress=False)
    assert sorted(t.params["lr"] for t in other) != sorted(t.params["lr"] for t in serial)
    # drawn trial by trial: a longer search starts with the same trials
    longer = random_search(bowl, SPACE, 20, seed=3, progress=False)
    assert sorted(summary(t for t in longer if t.index < 12)) == sorted(summary(serial))


def test_completion_order_does_not_matter():
    grid = {"slot": [0, 1, 2, 3]}
    with concurrent.futures.ThreadPoolExecutor(4) as threads:
        trials = grid_search(slow_first, grid, executor=threads, progress=False)
    assert [(t.index, t.params["slot"], t.score) for t in trials] == [(i, i, i) for i in range(4)]


def test_dask_cluster_runs_the_same_trials():
    # the `cluster` extra: `make test-oracle` installs it, and there this test may not skip
    distributed = pytest.importorskip("distributed")
    serial = random_search(bowl, SPACE, 8, seed=5, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        trials = random_search(bowl, SPACE, 8, seed=5, executor=client.get_executor(),
                               progress=False)
        workers = client.run(lambda: 1)  # both worker processes answer
    assert summary(trials) == summary(serial)
    assert len(workers) == 2
    assert cluster.status.name == "closed"


def test_grid_covers_the_product_in_order():
    trials = grid_search(lambda p: p["a"] * 10 + len(p["b"]),
                         {"a": [1, 2, 3], "b": ("x", "yy"), "c": 7, "d": np.array([0.5])},
                         progress=False)
    assert len(trials) == 6
    by_index = sorted(trials, key=lambda t: t.index)
    assert [(t.params["a"], t.params["b"]) for t in by_index] == \
        list(itertools.product([1, 2, 3], ("x", "yy")))
    assert all(t.params["c"] == 7 and type(t.params["d"]) is float for t in trials)
    assert [t.score for t in trials] == [11, 12, 21, 22, 31, 32]


def test_mode_sorts_best_first_and_failures_last_either_way():
    def objective(p):
        if p["x"] == 2:
            raise RuntimeError("boom")
        return math.nan if p["x"] == 4 else (p["x"] - 3) ** 2

    grid = {"x": [0, 1, 2, 3, 4, 5, 6]}
    lowest = grid_search(objective, grid, progress=False)
    assert [t.params["x"] for t in lowest] == [3, 1, 5, 0, 6, 2, 4]  # ties: drawing order
    highest = grid_search(objective, grid, mode="max", progress=False)
    assert [t.params["x"] for t in highest] == [0, 6, 1, 5, 3, 2, 4]
    assert highest.best is highest[0] and highest.mode == "max"


def test_failing_trials_are_recorded_and_the_search_goes_on():
    outcomes = {0: ValueError("bad lr"), 1: math.nan, 2: "oops", 3: {"loss": 1.0}, 4: 0.5,
                5: {"score": np.float32(0.25), "acc": 0.9}}

    def objective(p):
        outcome = outcomes[p["case"]]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    trials = grid_search(objective, {"case": list(outcomes)}, progress=False)
    assert [t.params["case"] for t in trials] == [5, 4, 0, 1, 2, 3]
    assert (trials[0].score, trials[0].metrics, trials[0].error) == (0.25, {"acc": 0.9}, None)
    errors = [t.error for t in trials[2:]]
    assert errors[0] == "ValueError: bad lr"
    assert errors[1] == "the score is NaN"
    assert errors[2] == ("TypeError: the objective returned 'oops' (str); return a number or "
                         "a dict with a 'score'")
    assert errors[3] == "KeyError: \"the objective returned a dict without a 'score': ['loss']\""
    assert all(math.isnan(t.score) for t in trials[2:])
    assert all(t.seconds >= 0 for t in trials)


def test_all_failing_warns_with_the_first_error():
    with pytest.warns(RuntimeWarning, match=r"random_search: all 3 trials failed; the first "
                                            r"with: ZeroDivisionError: division by zero"):
        trials = random_search(lambda p: 1 / 0, SPACE, 3, progress=False)
    assert len(trials) == 3


def test_an_executor_failure_is_a_failed_trial():
    class Broken(concurrent.futures.Executor):
        def submit(self, fn, *args):
            future = concurrent.futures.Future()
            future.set_exception(OSError("worker lost"))
            return future

    with pytest.warns(RuntimeWarning, match="OSError: worker lost"):
        trials = random_search(bowl, SPACE, 2, executor=Broken(), progress=False)
    assert [t.error for t in trials] == ["OSError: worker lost"] * 2
    assert [t.params for t in trials] == [t.params for t in sorted(
        random_search(bowl, SPACE, 2, progress=False), key=lambda t: t.index)]


def made(values, scores, mode="min"):
    return Trials([Trial(params, score, index=i)
                   for i, (params, score) in enumerate(zip(values, scores))], mode)


def test_refine_narrows_around_the_best_in_log_space():
    space = {"lr": LogUniform(1e-6, 1e-2), "p": Uniform(0.0, 1.0), "width": IntUniform(8, 64),
             "act": Choice(["relu", "tanh", "gelu"]), "epochs": 3}
    params = [dict(lr=1e-3, p=0.5, width=20, act="tanh", epochs=3),
              dict(lr=1e-4, p=0.6, width=30, act="relu", epochs=3),
              dict(lr=1e-6, p=0.1, width=60, act="gelu", epochs=3)]
    fine = refine(made(params, [1.0, 2.0, 3.0]), space, top_k=2, shrink=0.5)
    # lr: the best two span a decade; half the old 4 decades is wider: 2 decades around them
    assert isinstance(fine["lr"], LogUniform)
    assert (fine["lr"].low, fine["lr"].high) == pytest.approx((10 ** -4.5, 10 ** -2.5))
    assert (fine["p"].low, fine["p"].high) == pytest.approx((0.3, 0.8))
    assert fine["width"] == IntUniform(11, 39)  # 25 +- 14, widened to whole numbers
    assert fine["act"] == Choice(["relu", "tanh"]) and fine["epochs"] == 3
    # top_k=3 reaches 1e-6: the range is the hull of the three, 3 decades
    wide = refine(made(params, [1.0, 2.0, 3.0]), space, top_k=3)["lr"]
    assert (wide.low, wide.high) == pytest.approx((1e-6, 1e-3))


def test_refine_slides_back_inside_the_old_range_and_skips_failures():
    space = {"lr": LogUniform(1e-6, 1e-2)}
    trials = Trials([Trial({"lr": 1e-3}, math.nan, error="boom", index=0),
                     Trial({"lr": 1e-2}, 1.0, index=1)])
    fine = refine(trials, space, top_k=1, shrink=0.25)
    assert (fine["lr"].low, fine["lr"].high) == pytest.approx((1e-3, 1e-2))
    assert fine["lr"].high <= 1e-2


def test_refine_then_search_again_closes_in():
    coarse = random_search(bowl, SPACE, 10, progress=False)
    fine_space = refine(coarse, SPACE, top_k=3)
    fine = random_search(bowl, fine_space, 10, seed=1, progress=False)
    assert all(fine_space["lr"].low <= t.params["lr"] < fine_space["lr"].high for t in fine)
    assert sum(t.error is not None for t in coarse) == 4 and all(t.error is None for t in fine)
    top3 = [np.mean([t.score for t in trials[:3]]) for trials in (coarse, fine)]
    assert top3[1] < 0.8 * top3[0]


def test_table_and_records():
    trials = Trials([Trial({"lr": 0.001, "act": "relu"}, 0.25, {"acc": 0.9}, 1.5, None, 1),
                     Trial({"lr": 0.1, "act": "tanh"}, math.nan, {}, 0.25, "ValueError: x", 0),
                     Trial({"lr": 1e-05, "act": "relu"}, 1.125, {"acc": 0.5}, 2.0, None, 2)])
    records = trials.to_records()
    assert records[:2] == [
        {"lr": 0.001, "act": "relu", "score": 0.25, "acc": 0.9, "seconds": 1.5, "error": None},
        {"lr": 1e-05, "act": "relu", "score": 1.125, "acc": 0.5, "seconds": 2.0, "error": None}]
    failed = records[2]
    assert math.isnan(failed.pop("score"))
    assert failed == {"lr": 0.1, "act": "tanh", "seconds": 0.25, "error": "ValueError: x"}
    assert str(trials) == "\n".join([
        "#     lr   act  score  acc  seconds          error",
        "1  0.001  relu   0.25  0.9      1.5",
        "2  1e-05  relu  1.125  0.5        2",
        "3    0.1  tanh    nan          0.25  ValueError: x"])
    assert repr(trials) == str(trials)
    assert "error" not in str(Trials(trials[:2]))


def test_plot_draws_log_axes_and_highlights_the_best():
    from matplotlib.figure import Figure
    space = {"lr": LogUniform(1e-5, 1e-1), "p": Uniform(0.0, 1.0), "epochs": 3}
    trials = random_search(lambda p: p["lr"] + p["p"], space, 12, progress=False)
    axes = trials.plot(top_k=3, axes=Figure().subplots(1, 2), ylabel="loss")
    assert [ax.get_xlabel() for ax in axes] == ["lr", "p"]  # the constant gets no panel
    assert axes[0].get_ylabel() == "loss"
    assert [ax.get_xscale() for ax in axes] == ["log", "linear"]
    every, top, star = axes[0].collections
    assert len(every.get_offsets()) == 12 and len(top.get_offsets()) == 3
    np.testing.assert_allclose(star.get_offsets(), [[trials[0].params["lr"], trials[0].score]])
    grid = grid_search(lambda p: p["lr"], {"lr": [1e-4, 1e-3, 1e-2], "n": [1, 2]},
                       progress=False)
    assert [ax.get_xscale() for ax in grid.plot(axes=Figure().subplots(1, 2))] == \
        ["log", "linear"]


def test_plot_without_matplotlib_says_what_to_install(monkeypatch):
    trials = random_search(lambda p: p["lr"], {"lr": LogUniform(1e-3, 1)}, 3, progress=False)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"Trials.plot needs matplotlib: pip install "
                                          r"'backproplab\[plot\]'"):
        trials.plot()


def test_progress_bar_shows_and_is_silently_off_without_tqdm(monkeypatch, capsys):
    random_search(lambda p: p["lr"], SPACE, 3)
    assert "random_search" in capsys.readouterr().err
    random_search(lambda p: p["lr"], SPACE, 3, progress=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    assert len(grid_search(lambda p: p["lr"], {"lr": [1, 2]})) == 2
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("call, error, message", [
    (lambda: random_search(bowl, SPACE, 2, mode="best"), ValueError,
     r"random_search: mode must be 'min' \(for a loss\) or 'max' \(for an accuracy\), got 'best'"),
    (lambda: random_search(bowl, SPACE, 0), ValueError,
     r"random_search: n_trials must be an int >= 1, got 0"),
    (lambda: random_search(bowl, [("lr", 1)], 2), TypeError,
     r"random_search: space must be a dict mapping names to distributions or values, got list"),
    (lambda: random_search("bowl", SPACE, 2), TypeError,
     r"random_search: objective must be callable as objective\(params\), got str"),
    (lambda: random_search(bowl, SPACE, 2, executor=concurrent.futures.ThreadPoolExecutor(),
                           n_jobs=2), ValueError,
     r"random_search: pass executor= or n_jobs=, not both"),
    (lambda: grid_search(bowl, {"lr": [1]}, n_jobs=0), ValueError,
     r"grid_search: n_jobs must be an int >= 1 \(or -1 for one worker per core\), got 0"),
    (lambda: grid_search(bowl, {"lr": LogUniform(1e-3, 1)}), TypeError,
     r"grid_search: grid\['lr'\] is LogUniform\(0.001, 1\), a distribution; a grid needs a list "
     r"of values, e.g. np.logspace\(-4, -1, 4\)"),
    (lambda: grid_search(bowl, {"lr": []}), ValueError, r"grid_search: grid\['lr'\] is empty"),
    (lambda: LogUniform(0, 1), ValueError,
     r"LogUniform: need 0 < low < high, got low=0, high=1; use Uniform"),
    (lambda: Uniform(1, 1), ValueError, r"Uniform: need numbers low < high, got low=1, high=1"),
    (lambda: IntUniform(1.5, 3), ValueError,
     r"IntUniform: need integers low <= high, got low=1.5, high=3"),
    (lambda: Choice("abc"), ValueError,
     r"Choice: values must be a non-empty list of options, got 'abc'"),
    (lambda: refine([], SPACE), ValueError,
     r"refine: none of the 0 trials succeeded; nothing to refine around"),
    (lambda: refine(made([{"x": 1}], [1.0]), SPACE), ValueError,
     r"refine: the trials have no values for \['lr', 'width', 'act', 'epochs'\]; pass the space "
     r"they were drawn from \(their parameters: \['x'\]\)"),
    (lambda: refine(made([{"x": 1}], [1.0]), {}, top_k=0), ValueError,
     r"refine: top_k must be an int >= 1, got 0"),
    (lambda: refine(made([{"x": 1}], [1.0]), {}, shrink=0), ValueError,
     r"refine: shrink must be in \(0, 1\], got 0"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("name", optim.search.__all__)
def test_public_names_have_an_example(name):
    obj = getattr(optim.search, name)
    assert ">>>" in inspect.getdoc(obj), f"optim.search.{name} needs a >>> example"


def test_readme_example_runs_in_worker_processes(monkeypatch):
    import pathlib
    import re
    import types
    readme = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "optim.md").read_text()
    section = readme[readme.index("## Hyperparameter search"):]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    # run as a module of its own, so the forked workers can find its objective by name
    module = types.ModuleType("readme_search_example")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(example, "docs/optim.md", "exec"), module.__dict__)
    coarse, best = module.coarse, module.best
    assert len(coarse) == 20 and all(t.error is None for t in coarse)
    assert coarse[0].score <= coarse[1].score and best.score < 0.01
    assert 10 ** -2.5 < best.params["lr"] < 10 ** -1.5 and best.params["epochs"] == 5
