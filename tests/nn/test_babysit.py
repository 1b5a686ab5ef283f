import math
import pathlib
import re
import sys

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import optim


def _layer(activation, weight_scale=1.0, bias=None, width=64, seed=0):
    autograd.manual_seed(seed)
    model = nn.Sequential(nn.Linear(32, width), activation)
    with autograd.no_grad():
        model[0].weight.mul_(weight_scale)
        if bias is not None:
            model[0].bias.fill_(bias)
    return model, autograd.randn(128, 32)


# ------------------------------------------------------------------ activation_stats
def test_bias_minus_100_before_relu_kills_every_unit():
    model, x = _layer(nn.ReLU(), bias=-100.0)
    stats = nn.utils.activation_stats(model, x)
    assert stats["1"]["dead"] == 1.0
    assert stats["1"]["mean"] == 0.0 and stats["1"]["std"] == 0.0
    assert stats["1"]["module"] == "ReLU" and stats[""]["module"] == "Sequential"
    assert stats["0"]["dead"] is None and stats["0"]["saturated"] is None


def test_a_healthy_relu_layer_has_no_dead_units_and_half_its_outputs_zero():
    model, x = _layer(nn.ReLU())
    stats = nn.utils.activation_stats(model, x)["1"]
    assert stats["dead"] == 0.0
    counts, edges = stats["histogram"]
    assert counts.sum() == 128 * 64 and len(edges) == 31 and edges[0] == 0.0


def test_dead_counts_units_not_entries():
    # one unit always off, the others on for some sample: 1/64 dead
    model, x = _layer(nn.ReLU())
    with autograd.no_grad():
        model[0].bias[5] = -100.0
    assert nn.utils.activation_stats(model, x)["1"]["dead"] == pytest.approx(1 / 64)


def test_leaky_relu_does_not_die():
    model, x = _layer(nn.LeakyReLU(0.1), bias=-100.0)
    assert nn.utils.activation_stats(model, x)["1"]["dead"] == 0.0


def test_dead_units_of_a_convolution_are_positions_of_channels():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU())
    with autograd.no_grad():
        model[0].bias[:2] = -100.0  # two of four channels off everywhere
    stats = nn.utils.activation_stats(model, autograd.randn(8, 1, 5, 5))
    assert stats["1"]["dead"] == pytest.approx(0.5)


# sigmoid saturates twice as far out as tanh (|x| > 6 against |x| > 3), so it needs x100
@pytest.mark.parametrize("activation, scale", [(nn.Tanh, 50.0), (nn.Sigmoid, 100.0)])
def test_large_weights_saturate_and_small_ones_do_not(activation, scale):
    big, x = _layer(activation(), weight_scale=scale)
    small, _ = _layer(activation(), weight_scale=0.01)
    assert nn.utils.activation_stats(big, x)["1"]["saturated"] > 0.9
    assert nn.utils.activation_stats(small, x)["1"]["saturated"] < 0.05


def test_saturation_threshold_is_one_percent_of_the_largest_slope():
    # tanh'(y) = 1 - y^2 < 0.01 exactly where |y| > sqrt(0.99) = 0.99499, i.e. |x| > 2.9932
    x = autograd.tensor([[0.0, 2.99, 3.0, -3.0, 10.0]], dtype="float64")
    stats = nn.utils.activation_stats(nn.Tanh(), x)[""]
    assert stats["saturated"] == pytest.approx(3 / 5)
    # sigmoid'(y) = y (1 - y) < 0.0025 where |x| > 5.9915
    stats = nn.utils.activation_stats(nn.Sigmoid(), autograd.tensor([[5.9, 6.0]], dtype="float64"))
    assert stats[""]["saturated"] == pytest.approx(1 / 2)


def test_leaves_no_hooks_gradients_graph_or_changed_running_statistics():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())
    x = autograd.randn(16, 4) + 3.0
    stats = nn.utils.activation_stats(model, x)
    assert list(stats) == ["", "0", "1", "2"]
    assert all(not m._forward_hooks for m in model.modules())
    assert all(p.grad is None for p in model.parameters())
    assert model.training
    np.testing.assert_array_equal(model[1].running_mean.data, np.zeros(8))
    np.testing.assert_array_equal(model[1].running_var.data, np.ones(8))
    assert model[1].num_batches_tracked.item() == 0
    # and the hooks are gone even when the forward fails
    with pytest.raises(autograd.ShapeError, match="linear: input of shape"):
        nn.utils.activation_stats(model, autograd.randn(16, 5))
    assert all(not m._forward_hooks for m in model.modules())


def test_a_module_called_twice_describes_both_calls():
    relu = nn.ReLU()

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.relu = relu

        def forward(self, x):
            return self.relu(x) + self.relu(-x - 100.0)  # second call: every unit dead

    x = autograd.randn(4, 3)
    stats = nn.utils.activation_stats(Twice(), x)["relu"]
    assert stats["dead"] == pytest.approx(0.5, abs=1 / 6)
    assert stats["histogram"][0].sum() == 24


def test_activation_stats_bad_arguments():
    with pytest.raises(TypeError, match="activation_stats: model must be an nn.Module, got "
                                        "function"):
        nn.utils.activation_stats(lambda x: x, autograd.randn(2, 2))
    with pytest.raises(ValueError, match="activation_stats: bins must be an int >= 1, got 0"):
        nn.utils.activation_stats(nn.ReLU(), autograd.randn(2, 2), bins=0)


# ------------------------------------------------------------------ update_stats
def test_update_stats_of_plain_sgd_is_lr_times_gradient():
    autograd.manual_seed(0)
    model = nn.Linear(5, 3, dtype="float64")
    weight = model.weight.numpy().copy()
    opt = optim.SGD(model.parameters(), lr=0.1)
    F.mse_loss(model(autograd.randn(8, 5, dtype="float64")),
               autograd.zeros(8, 3, dtype="float64")).backward()
    grad = model.weight.grad.numpy().copy()
    stats = nn.utils.update_stats(model, opt)
    s = stats["weight"]
    assert s["weight_norm"] == pytest.approx(np.linalg.norm(weight))
    assert s["grad_norm"] == pytest.approx(np.linalg.norm(grad))
    assert s["update_norm"] == pytest.approx(0.1 * np.linalg.norm(grad))
    assert s["update_ratio"] == pytest.approx(0.1 * np.linalg.norm(grad) / np.linalg.norm(weight))
    np.testing.assert_allclose(model.weight.data, weight - 0.1 * grad)  # the step was taken
    assert set(stats) == {"weight", "bias"}


def test_update_stats_zero_weights_and_missing_gradients():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    with autograd.no_grad():
        model[0].bias.zero_()
    opt = optim.SGD(model[0].parameters(), lr=1.0)
    model[0](autograd.ones(1, 2)).sum().backward()
    stats = nn.utils.update_stats(model, opt)
    assert stats["0.bias"]["weight_norm"] == 0.0 and stats["0.bias"]["update_ratio"] == math.inf
    assert stats["1.weight"]["grad_norm"] is None and stats["1.weight"]["update_ratio"] == 0.0


def test_update_stats_bad_arguments():
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"update_stats: model must be an nn.Module, got SGD; "
                                        r"call update_stats\(model, optimizer\)"):
        nn.utils.update_stats(optim.SGD(model.parameters(), lr=0.1), model)
    with pytest.raises(TypeError, match="update_stats: optimizer must have a step"):
        nn.utils.update_stats(model, None)
    lr = autograd.tensor(0.1, requires_grad=True)
    opt = optim.SGD(model.parameters(), lr=lr, differentiable=True)
    with pytest.raises(ValueError, match="update_stats: the optimizer has differentiable=True"):
        nn.utils.update_stats(model, opt)


# ------------------------------------------------------------------ history, moving average
def test_moving_average_is_bias_corrected():
    assert nn.utils.moving_average([1.0, 0.0, 0.0], smooth=0.5) == pytest.approx(
        [1.0, 0.5 / 1.5, 0.25 / 1.75])
    assert nn.utils.moving_average([2.0] * 5, smooth=0.9) == pytest.approx([2.0] * 5)
    assert nn.utils.moving_average([1.0, math.nan, 3.0], smooth=0.0)[1:] == [1.0, 3.0]
    with pytest.raises(ValueError, match=r"moving_average: smooth must be in \[0, 1\), got 1"):
        nn.utils.moving_average([1.0], smooth=1)


def test_history_logs_steps_and_epochs():
    history = nn.utils.History()
    for loss in (3.0, 2.0, 1.0):
        history.log_step(loss=autograd.tensor(loss), lr=0.1)
    history.log_epoch(val_loss=1.5, val_acc=0.5)
    history.log_epoch(val_loss=1.2, val_acc=0.7)
    history.log_epoch(val_loss=1.3, val_acc=0.6)
    assert history.steps["loss"] == [3.0, 2.0, 1.0]
    assert history.smoothed("loss", 0.5) == nn.utils.moving_average([3.0, 2.0, 1.0], 0.5)
    assert history.best("val_loss") == (1, 1.2)
    assert history.best("val_acc", mode="max") == (1, 0.7)
    assert repr(history) == ("History(steps={'loss': 3, 'lr': 3}, "
                             "epochs={'val_loss': 3, 'val_acc': 3})")
    with pytest.raises(KeyError, match=r"History.smoothed: no step values named 'acc'; "
                                       r"logged: \['loss', 'lr'\]"):
        history.smoothed("acc")
    with pytest.raises(KeyError, match="History.best: no epoch values named 'loss'"):
        history.best("loss")
    with pytest.raises(ValueError, match="History.best: mode must be 'min' or 'max', got 'low'"):
        history.best("val_loss", mode="low")


# ------------------------------------------------------------------ progress
def test_progress_bar_is_tqdm_when_installed_and_the_iterable_otherwise(monkeypatch):
    items = [1, 2, 3]
    assert nn.utils.progress(items, enabled=False) is items
    tqdm = pytest.importorskip("tqdm")
    bar = nn.utils.progress(items, desc="epoch 1", disable=True)
    assert isinstance(bar, tqdm.tqdm) and list(bar) == items
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    assert nn.utils.progress(items) is items
    assert nn.utils.progress is autograd.utils.progress  # one bar, kept in the core's utils


# ------------------------------------------------------------------ plots
@pytest.fixture
def plt():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    yield plt
    plt.close("all")


def _history():
    history = nn.utils.History()
    for step in range(10):
        history.log_step(loss=1.0 / (step + 1))
    for epoch in range(2):
        history.log_epoch(val_loss=0.5 - 0.1 * epoch, train_acc=0.8 + 0.1 * epoch,
                          val_acc=0.7 + 0.1 * epoch)
    return history


def test_plot_loss_draws_points_and_their_moving_average(plt):
    history = _history()
    ax = nn.utils.plot_loss(history, smooth=0.5)
    average, val = ax.get_lines()
    np.testing.assert_allclose(average.get_ydata(), history.smoothed("loss", 0.5))
    np.testing.assert_allclose(val.get_xdata(), [5, 10])  # the epochs end at steps 5 and 10
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], history.steps["loss"])


def test_plot_accuracy_activation_histograms_update_ratios_lr_finder(plt):
    ax = nn.utils.plot_accuracy(_history())
    np.testing.assert_allclose([line.get_ydata() for line in ax.get_lines()],
                               [[0.8, 0.9], [0.7, 0.8]])

    model, x = _layer(nn.ReLU(), bias=-100.0)
    fig = nn.utils.plot_activation_histograms(nn.utils.activation_stats(model, x))
    titles = [a.get_title().split("\n")[0] for a in fig.axes if a.axison]
    assert titles == ["0 (Linear)", "1 (ReLU)"]
    assert "dead 100%" in fig.axes[1].get_title()

    record = {"w": {"update_ratio": 1e-3}, "b": {"update_ratio": 1e-2}}
    ax = nn.utils.plot_update_ratios(record)
    assert [p.get_height() for p in ax.patches] == [1e-3, 1e-2]
    ax = nn.utils.plot_update_ratios([record, record])
    assert [line.get_label() for line in ax.get_lines()][:2] == ["w", "b"]

    result = optim.LRFinderResult(lrs=[1e-3, 1e-2, 1e-1], losses=[1.0, 0.5, 2.0], suggestion=1e-3)
    ax = nn.utils.plot_lr_finder(result)
    assert ax.get_xscale() == "log" and list(ax.get_lines()[0].get_ydata()) == [1.0, 0.5, 2.0]


def test_plot_activation_histograms_needs_a_module():
    with pytest.raises(ValueError, match="plot_activation_histograms: nothing to draw"):
        nn.utils.plot_activation_histograms({"": {}})


def test_plots_say_which_extra_to_install_without_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'backproplab\[plot\]'"):
        nn.utils.plot_loss(_history())


def test_the_readme_example_runs_and_prints_what_it_says():
    readme = pathlib.Path(__file__).resolve().parents[2] / "docs" / "training.md"
    code = re.search(r"```python\n(.*?)```", readme.read_text(),
                     re.S).group(1)
    scope = {}
    exec(compile(code, str(readme), "exec"), scope)
    stats, history, ratios = scope["stats"], scope["history"], scope["ratios"]
    assert (stats["1"]["saturated"], stats["3"]["dead"]) == (0.0, 0.0)
    # the page prints these rounded; a training run's last bits depend on the BLAS kernels
    assert stats["3"]["std"] == pytest.approx(0.168, abs=1e-3)
    assert history.smoothed("loss")[-1] == pytest.approx(0.158, abs=1e-3)
    assert ratios[-1]["0.weight"]["update_ratio"] == pytest.approx(0.0056, abs=1e-4)
    assert len(ratios) == 100
