"""EarlyStopping: the patience count, min_delta, both modes, and the best state kept and
restored."""
import math

import numpy as np
import pytest

import autograd
import nn
import optim


def decisions(stopper, metrics):
    return [stopper.step(m) for m in metrics]


def test_counts_epochs_without_improvement():
    stopper = optim.EarlyStopping(patience=3)
    # improves at 1.0, 0.8, 0.7; then 0.75, 0.7 (not below 0.7), 0.71 are 3 bad epochs
    metrics = [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.7, 0.71]
    assert decisions(stopper, metrics) == [False] * 7 + [True]
    assert (stopper.best, stopper.best_epoch, stopper.num_bad_epochs) == (0.7, 4, 3)


def test_min_delta_needs_a_large_enough_improvement():
    stopper = optim.EarlyStopping(patience=2, min_delta=0.1)
    # 0.95 is within 0.1 of 1.0, 0.76 and 0.78 within 0.1 of 0.85: not improvements
    assert decisions(stopper, [1.0, 0.95, 0.85, 0.76, 0.78]) == [False, False, False, False, True]
    assert (stopper.best, stopper.best_epoch) == (0.85, 2)


def test_an_improvement_of_exactly_min_delta_does_not_count():
    stopper = optim.EarlyStopping(patience=1, min_delta=0.5)
    assert decisions(stopper, [2.0, 1.5]) == [False, True]


def test_max_mode_for_accuracy():
    stopper = optim.EarlyStopping(patience=2, mode="max", min_delta=0.01)
    assert decisions(stopper, [0.5, 0.6, 0.605, 0.7, 0.69, 0.695]) == [False] * 5 + [True]
    assert (stopper.best, stopper.best_epoch) == (0.7, 3)


def test_patience_zero_stops_at_the_first_non_improvement():
    stopper = optim.EarlyStopping(patience=0)
    assert decisions(stopper, [3.0, 2.0, 2.0]) == [False, False, True]


def test_nan_is_never_an_improvement_and_tensors_are_accepted():
    stopper = optim.EarlyStopping(patience=2)
    assert decisions(stopper, [autograd.tensor(1.0), math.nan, math.nan]) == [False, False, True]
    assert stopper.best == 1.0


def test_keeps_and_restores_the_best_state():
    autograd.manual_seed(0)
    model = nn.Linear(2, 1)
    stopper = optim.EarlyStopping(patience=2)
    weights = []
    for loss in [1.0, 0.5, 0.6, 0.7]:
        model.weight.detach().add_(1.0)  # a training epoch
        weights.append(model.weight.numpy().copy())
        stop = stopper.step(loss, model)
    assert stop
    model.weight.detach().copy_(0.0)
    stopper.restore_best(model)
    np.testing.assert_array_equal(model.weight.numpy(), weights[1])
    np.testing.assert_array_equal(stopper.best_state["weight"].numpy(), weights[1])


def test_state_dict_round_trip_resumes_the_count():
    autograd.manual_seed(0)
    model = nn.Linear(2, 1)
    stopper = optim.EarlyStopping(patience=3)
    decisions(stopper, [1.0, 0.5])
    stopper.step(0.6, model)
    saved = stopper.state_dict()
    stopper.step(0.1, model)  # goes on: the saved state must not change
    resumed = optim.EarlyStopping(patience=3)
    resumed.load_state_dict(saved)
    assert (resumed.best, resumed.best_epoch) == (0.5, 1)
    assert (resumed.num_bad_epochs, resumed.epoch) == (1, 2)
    assert decisions(resumed, [0.7, 0.8]) == [False, True]


def test_restore_without_a_saved_state():
    stopper = optim.EarlyStopping()
    stopper.step(1.0)
    with pytest.raises(ValueError, match=r"EarlyStopping.restore_best: no state was saved; pass "
                                         r"the model to step\(metric, model\)"):
        stopper.restore_best(nn.Linear(2, 1))


@pytest.mark.parametrize("kwargs, message", [
    (dict(patience=-1), r"EarlyStopping: patience must be an int >= 0, got -1"),
    (dict(patience=2.5), r"EarlyStopping: patience must be an int >= 0, got 2.5"),
    (dict(min_delta=-0.1), r"EarlyStopping: min_delta must be >= 0, got -0.1"),
    (dict(mode="best"),
     r"EarlyStopping: mode must be 'min' \(for a loss\) or 'max' \(for an accuracy\), got 'best'"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optim.EarlyStopping(**kwargs)
