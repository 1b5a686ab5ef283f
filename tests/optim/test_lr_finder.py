"""The learning-rate range test on a linear regression: the sweep written out by hand, early
stopping on divergence, a usable suggestion, and model and optimizer left exactly as before."""
import math
import sys

import numpy as np
import pytest

import autograd
import nn
import optim


def make_problem():
    """A linear regression y = X w + noise, in 4 batches of 8, and a fresh float64 linear
    model."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3))
    y = x @ np.array([[1.5], [-2.0], [0.5]]) + 0.1 * rng.normal(size=(32, 1))
    batches = [(autograd.tensor(x[i:i + 8]), autograd.tensor(y[i:i + 8])) for i in range(0, 32, 8)]
    autograd.manual_seed(0)
    return nn.Linear(3, 1).double(), batches


@pytest.fixture
def problem():
    return make_problem()


def full_loss(model, batches):
    return np.mean([nn.MSELoss()(model(x), y).item() for x, y in batches])


def test_sweep_is_the_range_test_written_out(problem):
    model, batches = problem
    start = model.state_dict()
    result = optim.lr_finder(model, nn.MSELoss(), batches, start_lr=1e-4, end_lr=1e-1,
                             num_steps=12, smooth=0.7)

    model.load_state_dict(start)  # the same steps by hand: lr x (1e3)^(1/11) per batch
    optimizer = optim.SGD(model.parameters(), momentum=0.9)  # the default optimizer
    average, expected_lrs, expected_losses = 0.0, [], []
    for i in range(12):
        x, y = batches[i % 4]
        lr = 1e-4 * 1000 ** (i / 11)
        optimizer.param_groups[0]["lr"] = lr
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        average = 0.7 * average + (1 - 0.7) * loss.item()
        expected_lrs.append(lr)
        expected_losses.append(average / (1 - 0.7 ** (i + 1)))
        optimizer.step()
    assert result.lrs == expected_lrs
    assert result.losses == expected_losses
    assert result.lrs[-1] == pytest.approx(0.1, rel=1e-12)
    best = 1 + int(np.argmin(expected_losses[1:]))  # the first 12 // 10 = 1 step is warm-up
    assert result.suggestion == max(expected_lrs[best] / 10, 1e-4)


def test_takes_the_issue_arguments_in_order_and_refuses_an_optimizer_in_second_place(problem):
    model, batches = problem
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    result = optim.lr_finder(model, nn.MSELoss(), batches, 1e-5, 10, 50)
    assert len(result.lrs) <= 50 and result.lrs[0] == 1e-5
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key])
    with pytest.raises(TypeError, match=r"lr_finder: the second argument is an optimizer, but "
                                        r"it is loss_fn: call lr_finder\(model, loss_fn, "
                                        r"batches, .*optimizer=optimizer\)"):
        optim.lr_finder(model, optim.SGD(model.parameters()), nn.MSELoss(), batches)


def test_warm_up_is_left_out_of_the_minimum_and_the_suggestion_is_at_least_start_lr(problem):
    model, batches = problem
    # the first batch is easy (its loss weighs 0.1), the others hard; at these tiny rates
    # nothing is learned, so the first smoothed loss, resting on the easy batch, is the lowest
    weighted = [(x, (y, 0.1 if i == 0 else 1.0)) for i, (x, y) in enumerate(batches)]

    def loss_fn(out, target):
        y, weight = target
        return nn.MSELoss()(out, y) * weight

    result = optim.lr_finder(model, loss_fn, weighted, start_lr=1e-6, end_lr=1e-3,
                             num_steps=30)
    assert len(result.lrs) == 30  # the rise after the easy batch is not a divergence
    assert int(np.argmin(result.losses)) == 0
    best = 3 + int(np.argmin(result.losses[3:]))  # 30 // 10 steps of warm-up
    assert result.suggestion == max(result.lrs[best] / 10, 1e-6)
    assert result.suggestion >= 1e-6 > result.lrs[0] / 10


def test_negative_losses_are_swept_and_their_divergence_detected():
    class Shift(nn.Module):  # loss w² − 10: negative near the minimum
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(autograd.tensor([3.0], dtype="float64"))

        def forward(self, x):
            return self.w

    def loss_fn(out, target):
        return (out * out).sum() - 10.0

    calm = optim.lr_finder(Shift(), loss_fn, [(None, None)], start_lr=1e-4, end_lr=1.0,
                           num_steps=30, smooth=0.5)
    assert len(calm.lrs) == 30 and min(calm.losses) < -9  # the old test stopped at step 2
    # SGD with momentum 0.9 on w² diverges for lr above 1.9
    wild = optim.lr_finder(Shift(), loss_fn, [(None, None)], start_lr=1e-4, end_lr=100.0,
                           num_steps=60, smooth=0.5)
    assert 30 < len(wild.lrs) < 60 and wild.lrs[-1] > 1.0
    assert 1e-4 < wild.suggestion < 1.9


def test_stops_on_divergence_and_suggests_a_rate_that_trains(problem):
    model, batches = problem
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    result = optim.lr_finder(model, nn.MSELoss(), batches, start_lr=1e-5, end_lr=100,
                             optimizer=optimizer, smooth=0.9)  # 0.98 lags too much for 100
    # MSE's Hessian is about 2 I here: SGD diverges for lr above about 1
    assert 10 < len(result.lrs) < 100
    assert 0.5 < result.lrs[-1] < 10
    assert min(result.losses) < 0.5 * result.losses[0]
    assert 1e-3 < result.suggestion < 0.5 and math.isfinite(result.suggestion)

    before = full_loss(model, batches)
    optimizer.param_groups[0]["lr"] = result.suggestion
    for _ in range(20):
        for x, y in batches:
            optimizer.zero_grad()
            nn.MSELoss()(model(x), y).backward()
            optimizer.step()
    assert full_loss(model, batches) < 0.05 * before


def test_stops_before_recording_the_diverging_step(problem):
    model, batches = problem
    result = optim.lr_finder(model, nn.MSELoss(), batches, start_lr=1e-2, end_lr=1e3,
                             num_steps=50, optimizer=optim.SGD(model.parameters()), smooth=0.0,
                             diverge_threshold=2)
    # without smoothing the recorded losses are raw: after the 50 // 10 = 5 warm-up steps,
    # none exceeds 2x the best before it
    after = result.losses[5:]
    assert all(loss <= 2 * min(after[:i + 1]) for i, loss in enumerate(after))
    assert len(result.lrs) < 50


def test_nan_loss_stops_the_sweep(problem):
    model, batches = problem
    calls = []

    def loss_fn(out, target):
        calls.append(1)
        loss = nn.MSELoss()(out, target)
        return loss * math.nan if len(calls) == 4 else loss

    result = optim.lr_finder(model, loss_fn, batches, start_lr=1e-4, end_lr=1e-2, num_steps=10)
    assert len(result.lrs) == 3 and all(math.isfinite(v) for v in result.losses)


def test_cycles_batches_fewer_than_steps(problem):
    model, batches = problem
    result = optim.lr_finder(model, nn.MSELoss(), batches[:2], start_lr=1e-6, end_lr=1e-3,
                             num_steps=9)
    assert len(result.lrs) == 9


def snapshot(model, optimizer):
    return ({k: v.numpy().copy() for k, v in model.state_dict().items()},
            [p.grad for p in model.parameters()],
            optimizer.state_dict())


def assert_same(before, after):
    params, grads, opt_state = before
    params_after, grads_after, opt_state_after = after
    for key in params:
        np.testing.assert_array_equal(params_after[key], params[key])
    assert all(a is b for a, b in zip(grads_after, grads))
    assert opt_state_after["param_groups"] == opt_state["param_groups"]
    assert opt_state_after["state"].keys() == opt_state["state"].keys()
    for i, state in opt_state["state"].items():
        for key, value in state.items():
            np.testing.assert_array_equal(opt_state_after["state"][i][key], value)


def train(model, optimizer, batches):
    for x, y in batches:
        optimizer.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        optimizer.step()


def test_leaves_model_and_optimizer_exactly_as_before():
    final_weights = []
    for with_range_test in (True, False):
        model, batches = make_problem()
        optimizer = optim.Adam(model.parameters(), lr=0.01)
        train(model, optimizer, batches[:3])  # some Adam state, and gradients of the last batch
        before = snapshot(model, optimizer)
        if with_range_test:
            optim.lr_finder(model, nn.MSELoss(), batches, start_lr=1e-4, end_lr=10,
                            num_steps=30, optimizer=optimizer)
        assert_same(before, snapshot(model, optimizer))
        assert optimizer.param_groups[0]["lr"] == 0.01
        train(model, optimizer, batches[3:])
        final_weights.append(model.weight.numpy().copy())
    # training goes on exactly as if the range test had never run
    np.testing.assert_array_equal(final_weights[0], final_weights[1])


def test_restores_even_when_the_loss_raises(problem):
    model, batches = problem
    optimizer = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    before = snapshot(model, optimizer)
    calls = []

    def failing_loss(out, target):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("boom")
        return nn.MSELoss()(out, target)

    with pytest.raises(RuntimeError, match="boom"):
        optim.lr_finder(model, failing_loss, batches, optimizer=optimizer)
    assert_same(before, snapshot(model, optimizer))


@pytest.mark.parametrize("kwargs, message", [
    (dict(start_lr=0), r"lr_finder: need 0 < start_lr < end_lr, got start_lr=0, end_lr=10"),
    (dict(start_lr=1.0, end_lr=0.1), r"need 0 < start_lr < end_lr, got start_lr=1.0, end_lr=0.1"),
    (dict(num_steps=1), r"lr_finder: num_steps must be an int >= 2, got 1"),
    (dict(smooth=1.0), r"lr_finder: smooth must be in \[0, 1\), got 1.0"),
    (dict(diverge_threshold=0.5), r"lr_finder: diverge_threshold must be > 1, got 0.5"),
])
def test_bad_arguments(problem, kwargs, message):
    model, batches = problem
    with pytest.raises(ValueError, match=message):
        optim.lr_finder(model, nn.MSELoss(), batches, **kwargs)


def test_empty_batches_and_a_nan_first_loss(problem):
    model, batches = problem
    with pytest.raises(ValueError, match=r"lr_finder: batches is empty; pass an iterable of "
                                         r"\(inputs, targets\)"):
        optim.lr_finder(model, nn.MSELoss(), [])
    with pytest.raises(ValueError, match=r"lr_finder: the first loss \(at start_lr=1e-07\) is "
                                         r"nan; check the model, loss_fn and data"):
        optim.lr_finder(model, lambda out, y: nn.MSELoss()(out, y) * math.nan, batches)


def test_refuses_a_differentiable_optimizer(problem):
    model, batches = problem
    optimizer = optim.SGD(model.parameters(), lr=0.1, differentiable=True)
    with pytest.raises(ValueError, match=r"lr_finder: the optimizer has differentiable=True"):
        optim.lr_finder(model, nn.MSELoss(), batches, optimizer=optimizer)


def validation_loss(model, batches):
    with autograd.no_grad():
        return np.mean([nn.MSELoss()(model(x), y).item() for x, y in batches])


def test_validation_curve_is_the_range_test_written_out(problem):
    model, batches = problem
    train, val = batches[:3], batches[3:]
    start = model.state_dict()
    result = optim.lr_finder(model, nn.MSELoss(), train, start_lr=1e-4, end_lr=1e-1,
                             num_steps=12, smooth=0.7, val_batches=val)
    plain = optim.lr_finder(model, nn.MSELoss(), train, start_lr=1e-4, end_lr=1e-1,
                            num_steps=12, smooth=0.7)
    assert result.losses == plain.losses and plain.val_losses is None

    model.load_state_dict(start)  # by hand: the validation loss after each step, smoothed
    optimizer = optim.SGD(model.parameters(), momentum=0.9)
    average, expected = 0.0, []
    for i in range(12):
        x, y = train[i % 3]
        optimizer.param_groups[0]["lr"] = 1e-4 * 1000 ** (i / 11)
        optimizer.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        optimizer.step()
        average = 0.7 * average + 0.3 * validation_loss(model, val)
        expected.append(average / (1 - 0.7 ** (i + 1)))
    np.testing.assert_allclose(result.val_losses, expected, rtol=1e-12)
    best = 1 + int(np.argmin(expected[1:]))
    assert result.suggestion == max(result.lrs[best] / 10, 1e-4)


def test_validation_loss_stops_the_sweep_while_the_training_loss_still_falls():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 1))
    # training wants w = 2, validation w = -1: going from w = 0 to 2, the validation loss
    # (w + 1)^2 grows past 4x its best once w > 1
    train = [(autograd.tensor(x), autograd.tensor(2 * x))]
    val = [(autograd.tensor(x), autograd.tensor(-x))]
    model = nn.Linear(1, 1, bias=False).double()
    nn.init.zeros_(model.weight)
    result = optim.lr_finder(model, nn.MSELoss(), train, start_lr=1e-3, end_lr=0.5,
                             num_steps=60, optimizer=optim.SGD(model.parameters()), smooth=0.0,
                             val_batches=val)
    assert 10 < len(result.lrs) < 60
    assert all(b < a for a, b in zip(result.losses, result.losses[1:]))  # training: falling
    assert result.val_losses[-1] <= 4 * min(result.val_losses[6:])
    assert model.weight.item() == 0.0


def test_validation_runs_in_eval_mode_without_a_graph(problem):
    _, batches = problem
    seen = []

    class Recording(nn.Linear):
        def forward(self, x):
            seen.append((self.training, autograd.is_grad_enabled()))
            return super().forward(x)

    autograd.manual_seed(0)
    model = Recording(3, 1).double()
    optim.lr_finder(model, nn.MSELoss(), batches[:1], start_lr=1e-4, end_lr=1e-3,
                    num_steps=3, val_batches=batches[1:3])
    # per step: one training forward, then two validation forwards
    assert seen == [(True, True), (False, False), (False, False)] * 3
    assert model.training


def test_empty_validation_batches(problem):
    model, batches = problem
    with pytest.raises(ValueError, match=r"lr_finder: val_batches is empty; pass a list of "
                                         r"\(inputs, targets\), or None"):
        optim.lr_finder(model, nn.MSELoss(), batches, val_batches=iter([]))
    with pytest.raises(ValueError, match=r"lr_finder: the first validation loss \(at "
                                         r"start_lr=1e-07\) is nan"):
        optim.lr_finder(model, nn.MSELoss(), batches,
                        val_batches=[(batches[0][0], batches[0][1] * math.nan)])


def test_progress_bar_over_the_steps(problem, capsys, monkeypatch):
    model, batches = problem
    optim.lr_finder(model, nn.MSELoss(), batches, num_steps=5)
    assert "lr_finder" in capsys.readouterr().err
    optim.lr_finder(model, nn.MSELoss(), batches, num_steps=5, progress=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    assert len(optim.lr_finder(model, nn.MSELoss(), batches, num_steps=5).lrs) == 5
    assert capsys.readouterr().err == ""
