"""Learning-rate schedules: 100-step sequences against closed forms written out here (and
against torch.optim.lr_scheduler when torch is installed), momentum cycling, save/resume,
and the errors for bad arguments."""
import math
import warnings

import numpy as np
import pytest

import autograd
import optim
from optim import lr_scheduler

STEPS = 100
LRS = (0.1, 0.03)  # two parameter groups with their own rates


def make_optimizer(torch=None, kind="sgd"):
    """An optimizer over two one-element parameter groups: ours, or torch's when given torch."""
    tensor, optimizers = (autograd.tensor, optim) if torch is None else (torch.tensor, torch.optim)
    groups = [{"params": [tensor([1.0], requires_grad=True)], "lr": lr} for lr in LRS]
    return optimizers.Adam(groups) if kind == "adam" else optimizers.SGD(groups, momentum=0.9)


def run(scheduler, optimizer, steps=STEPS, metrics=None):
    """The lr of every group, and the momentum (or beta1) of the first, at steps 0..steps."""
    def momentum(group):
        return group["betas"][0] if "betas" in group else group["momentum"]

    lrs, momenta = [scheduler.get_last_lr()], [momentum(optimizer.param_groups[0])]
    for t in range(steps):
        optimizer.step()
        scheduler.step(*([] if metrics is None else [metrics[t]]))
        lrs.append(scheduler.get_last_lr())
        momenta.append(momentum(optimizer.param_groups[0]))
    assert lrs[-1] == [g["lr"] for g in optimizer.param_groups]
    return np.array(lrs, dtype=float), np.array(momenta, dtype=float)


def inverse_sqrt(t):
    return 1 / math.sqrt(1 + t)


def cyclic(t, up, down, scale):
    """Smith's cyclical schedule from the paper: the fraction of the way from base_lr to
    max_lr at step t, the amplitude scaled by ``scale(cycle number from 1, t)``."""
    position = t % (up + down)
    height = position / up if position <= up else (up + down - position) / down
    return height * scale(t // (up + down) + 1, t)


def one_cycle(max_lr, t, pct, three_phase=False, cos=True):
    """The 1cycle lr at step t of STEPS, from the paper's phases (div_factor 25,
    final_div_factor 1e4)."""
    points = {"initial": max_lr / 25, "max": max_lr, "min": max_lr / 25 / 1e4}
    warm = pct * STEPS - 1
    if t <= warm:
        start, end, frac = "initial", "max", t / warm
    elif three_phase and t <= 2 * warm:
        start, end, frac = "max", "initial", (t - warm) / warm
    elif three_phase:
        start, end, frac = "initial", "min", (t - 2 * warm) / (STEPS - 1 - 2 * warm)
    else:
        start, end, frac = "max", "min", (t - warm) / (STEPS - 1 - warm)
    start, end = points[start], points[end]
    if cos:
        return end + (start - end) * (1 + math.cos(math.pi * frac)) / 2
    return start + (end - start) * frac


def cosine(t, T):
    return (1 + math.cos(math.pi * t / T)) / 2


def warmup_then_cosine(t):
    return 0.1 + 0.9 * t / 10 if t < 10 else cosine(t - 10, 90)


CYCLE = {"base_lr": [0.01, 0.001], "max_lr": [0.1, 0.02]}  # CyclicLR's bounds per group
PEAKS = [0.5, 0.2]  # OneCycleLR's max_lr per group


def between(g, height):
    return CYCLE["base_lr"][g] + (CYCLE["max_lr"][g] - CYCLE["base_lr"][g]) * height


# name: (build the schedule with a scheduler module `s` on optimizer `o`,
#        the lr of group g at step t, written out from the notes or the paper)
CASES = {
    "LambdaLR": (lambda s, o: s.LambdaLR(o, inverse_sqrt),
                 lambda g, t: LRS[g] * inverse_sqrt(t)),
    "StepLR": (lambda s, o: s.StepLR(o, step_size=7, gamma=0.5),
               lambda g, t: LRS[g] * 0.5 ** (t // 7)),
    "MultiStepLR": (lambda s, o: s.MultiStepLR(o, milestones=[60, 10, 25], gamma=0.3),
                    lambda g, t: LRS[g] * 0.3 ** sum(t >= m for m in (10, 25, 60))),
    "ExponentialLR": (lambda s, o: s.ExponentialLR(o, gamma=0.96),
                      lambda g, t: LRS[g] * 0.96 ** t),
    "CosineAnnealingLR": (lambda s, o: s.CosineAnnealingLR(o, T_max=40, eta_min=1e-3),
                          lambda g, t: 1e-3 + (LRS[g] - 1e-3) * cosine(t, 40)),
    "LinearLR": (lambda s, o: s.LinearLR(o, start_factor=0.25, total_iters=10),
                 lambda g, t: LRS[g] * (0.25 + 0.75 * min(t, 10) / 10)),
    "CyclicLR-triangular": (
        lambda s, o: s.CyclicLR(o, **CYCLE, step_size_up=7, step_size_down=5),
        lambda g, t: between(g, cyclic(t, 7, 5, lambda cycle, t: 1.0))),
    "CyclicLR-triangular2": (
        lambda s, o: s.CyclicLR(o, **CYCLE, step_size_up=6, mode="triangular2"),
        lambda g, t: between(g, cyclic(t, 6, 6, lambda cycle, t: 0.5 ** (cycle - 1)))),
    "CyclicLR-exp_range": (
        lambda s, o: s.CyclicLR(o, **CYCLE, step_size_up=4, step_size_down=9,
                                mode="exp_range", gamma=0.98),
        lambda g, t: between(g, cyclic(t, 4, 9, lambda cycle, t: 0.98 ** t))),
    "OneCycleLR-cos": (lambda s, o: s.OneCycleLR(o, max_lr=PEAKS, total_steps=STEPS),
                       lambda g, t: one_cycle(PEAKS[g], t, pct=0.3)),
    "OneCycleLR-linear-three-phase": (
        lambda s, o: s.OneCycleLR(o, max_lr=PEAKS, epochs=10, steps_per_epoch=10,
                                  pct_start=0.25, anneal_strategy="linear", three_phase=True),
        lambda g, t: one_cycle(PEAKS[g], t, pct=0.25, three_phase=True, cos=False)),
    "SequentialLR": (
        lambda s, o: s.SequentialLR(o, [s.LinearLR(o, start_factor=0.1, total_iters=10),
                                        s.CosineAnnealingLR(o, T_max=90)], milestones=[10]),
        lambda g, t: LRS[g] * warmup_then_cosine(t)),
}


@pytest.mark.parametrize("name", CASES)
def test_sequence_matches_closed_form(name):
    optimizer = make_optimizer()
    lrs, _ = run(CASES[name][0](lr_scheduler, optimizer), optimizer)
    closed_form = CASES[name][1]
    expected = [[closed_form(g, t) for g in range(len(LRS))] for t in range(STEPS + 1)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12, atol=0)


def test_inverse_time_decay_is_the_notes_one_over_t():
    optimizer = make_optimizer()
    lrs, _ = run(lr_scheduler.InverseTimeLR(optimizer, decay_rate=0.5), optimizer)
    t = np.arange(STEPS + 1)[:, None]
    np.testing.assert_allclose(lrs, np.array(LRS) / (1 + 0.5 * t), rtol=1e-15)
    assert lrs[:3, 0].tolist() == pytest.approx([0.1, 0.1 / 1.5, 0.05])


@pytest.mark.parametrize("name", CASES)
def test_sequence_matches_torch(name):
    torch = pytest.importorskip("torch")
    build = CASES[name][0]
    ours, theirs = make_optimizer(), make_optimizer(torch)
    ours_lrs, ours_momenta = run(build(lr_scheduler, ours), ours)
    theirs_lrs, theirs_momenta = run(build(torch.optim.lr_scheduler, theirs), theirs)
    np.testing.assert_allclose(ours_lrs, theirs_lrs, rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(ours_momenta, theirs_momenta, rtol=1e-12, atol=1e-17)  # cosines


def test_inverse_time_matches_torch_lambda():
    torch = pytest.importorskip("torch")
    ours, theirs = make_optimizer(), make_optimizer(torch)
    ours_lrs, _ = run(lr_scheduler.InverseTimeLR(ours, decay_rate=0.1), ours)
    theirs_lrs, _ = run(torch.optim.lr_scheduler.LambdaLR(theirs, lambda t: 1 / (1 + 0.1 * t)),
                        theirs)
    np.testing.assert_allclose(ours_lrs, theirs_lrs, rtol=1e-15)


@pytest.mark.parametrize("build, d_lr_d_lr0", [
    (lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9), 0.9 ** 7),
    (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01), cosine(7, 10)),
])
def test_a_tensor_lr_gives_rates_differentiable_in_it(build, d_lr_d_lr0):
    lr0 = autograd.tensor(0.1, dtype="float64", requires_grad=True)
    param = autograd.tensor([1.0], dtype="float64", requires_grad=True)
    optimizer = optim.SGD([param], lr=lr0, differentiable=True)
    scheduler = build(optimizer)
    for _ in range(7):
        scheduler.step()
    (grad,) = autograd.grad(optimizer.param_groups[0]["lr"], lr0)
    assert grad.item() == pytest.approx(d_lr_d_lr0, rel=1e-14)


def test_cyclic_momentum_moves_against_the_lr():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=4)
    lrs, momenta = run(scheduler, optimizer, steps=8)
    height = (lrs[:, 0] - 0.01) / (0.1 - 0.01)
    np.testing.assert_allclose(momenta, 0.9 - (0.9 - 0.8) * height, rtol=1e-15)
    assert momenta[[0, 4, 8]].tolist() == pytest.approx([0.9, 0.8, 0.9])


@pytest.mark.parametrize("kind, key", [("sgd", "momentum"), ("adam", "betas")])
def test_one_cycle_momentum_in_sgd_or_adam_beta1(kind, key):
    optimizer = make_optimizer(kind=kind)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=10, pct_start=0.3)
    _, momenta = run(scheduler, optimizer, steps=9)
    # lr rises for steps 0..2 (momentum falls 0.95 -> 0.85), then anneals back (-> 0.95)
    assert momenta[[0, 2, 9]].tolist() == pytest.approx([0.95, 0.85, 0.95])
    if key == "betas":
        assert optimizer.param_groups[0]["betas"][1] == 0.999


def test_reduce_on_plateau_by_hand():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=1, cooldown=1,
                                               min_lr=[0.02, 0.0])
    losses = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.7]
    lrs, _ = run(scheduler, optimizer, steps=len(losses), metrics=losses)
    # bad epochs: 0.95 (1), 0.91 (2 > patience: halve, cooldown), 0.92 (cooldown), 0.93 (1),
    # 0.5 (improves), 0.6 (1), 0.7 (2: halve; group 0 stops at min_lr 0.02)
    np.testing.assert_allclose(lrs[:, 0], [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025])
    np.testing.assert_allclose(lrs[-1], [0.025, 0.0075])
    assert scheduler.best == 0.5


@pytest.mark.parametrize("mode, threshold_mode", [("min", "rel"), ("min", "abs"),
                                                  ("max", "rel"), ("max", "abs")])
def test_reduce_on_plateau_matches_torch(mode, threshold_mode):
    torch = pytest.importorskip("torch")
    t = np.arange(STEPS)
    metrics = 1 - 0.01 * np.minimum(t, 30) + np.random.default_rng(0).normal(0, 0.05, STEPS)
    kwargs = dict(mode=mode, threshold_mode=threshold_mode, threshold=0.01, patience=3,
                  cooldown=2, factor=0.7, min_lr=1e-3)
    ours, theirs = make_optimizer(), make_optimizer(torch)
    ours_lrs, _ = run(lr_scheduler.ReduceLROnPlateau(ours, **kwargs), ours, metrics=metrics)
    theirs_lrs, _ = run(torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, **kwargs), theirs,
                        metrics=metrics)
    np.testing.assert_array_equal(ours_lrs, theirs_lrs)
    assert len(np.unique(ours_lrs[:, 0])) > 2  # the case does reduce, more than once


def test_reduce_on_plateau_takes_a_tensor_metric():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, patience=0)
    scheduler.step(autograd.tensor(1.0))
    scheduler.step(autograd.tensor(2.0))
    assert scheduler.get_last_lr() == pytest.approx([0.01, 0.003])


def build(name, optimizer):
    if name == "InverseTimeLR":
        return lr_scheduler.InverseTimeLR(optimizer, decay_rate=0.3)
    if name == "ReduceLROnPlateau":
        return lr_scheduler.ReduceLROnPlateau(optimizer, patience=2, cooldown=1)
    return CASES[name][0](lr_scheduler, optimizer)


@pytest.mark.parametrize("load_scheduler_first", [False, True])
@pytest.mark.parametrize("name", [*CASES, "InverseTimeLR", "ReduceLROnPlateau"])
def test_save_and_resume_is_bit_for_bit(name, load_scheduler_first):
    metrics = np.sin(np.arange(STEPS)) + 0.01 * np.arange(STEPS)  # for ReduceLROnPlateau
    def metrics_for(start, count):
        return metrics[start:start + count] if name == "ReduceLROnPlateau" else None

    optimizer = make_optimizer()
    whole, whole_momenta = run(build(name, optimizer), optimizer, metrics=metrics_for(0, STEPS))

    optimizer = make_optimizer()
    scheduler = build(name, optimizer)
    first, _ = run(scheduler, optimizer, steps=40, metrics=metrics_for(0, 40))
    saved = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
    run(scheduler, optimizer, steps=5, metrics=metrics_for(0, 5))  # must leave `saved` alone

    optimizer = make_optimizer()
    scheduler = build(name, optimizer)
    if load_scheduler_first:
        scheduler.load_state_dict(saved["scheduler"])
        optimizer.load_state_dict(saved["optimizer"])
    else:
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
    rest, rest_momenta = run(scheduler, optimizer, steps=60, metrics=metrics_for(40, 60))
    np.testing.assert_array_equal(np.concatenate([first, rest[1:]]), whole)
    np.testing.assert_array_equal(rest_momenta, whole_momenta[40:])


def test_state_dict_leaves_out_functions_and_the_optimizer():
    optimizer = make_optimizer()
    state = lr_scheduler.LambdaLR(optimizer, inverse_sqrt).state_dict()
    assert "optimizer" not in state and "lr_lambdas" not in state
    assert state["last_epoch"] == 0 and state["base_lrs"] == list(LRS)


def test_schedule_records_initial_lr_and_keeps_the_first():
    optimizer = make_optimizer()
    lr_scheduler.ExponentialLR(optimizer, gamma=0.5).step()
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1)  # built later: same initial_lr
    assert [g["initial_lr"] for g in optimizer.param_groups] == list(LRS)
    assert scheduler.base_lrs == list(LRS)


def test_a_subclass_only_writes_get_lr():
    class Halving(lr_scheduler.LRScheduler):
        def get_lr(self):
            return [lr / 2 ** self.last_epoch for lr in self.base_lrs]

    optimizer = make_optimizer()
    lrs, _ = run(Halving(optimizer), optimizer, steps=3)
    np.testing.assert_array_equal(lrs[:, 0], [0.1, 0.05, 0.025, 0.0125])


def sequential(*schedulers, milestones, other_optimizer=False):
    """SequentialLR arguments built on the optimizer under test: schedulers given as
    (class name, args), the last one on another optimizer if asked."""
    def build(optimizer):
        built = [getattr(lr_scheduler, name)(optimizer, *args) for name, args in schedulers]
        if other_optimizer:
            built.append(lr_scheduler.StepLR(make_optimizer(), 3))
        return dict(schedulers=built, milestones=milestones)
    return build


BAD = [  # (schedule, its arguments after the optimizer, the error message after "Name: ")
    ("StepLR", dict(step_size=0), r"step_size must be a positive int, got 0"),
    ("StepLR", dict(step_size=2.5), r"step_size must be a positive int, got 2.5"),
    ("StepLR", dict(step_size=3, gamma=-0.1), r"gamma must be > 0, got -0.1"),
    ("MultiStepLR", dict(milestones=[5, -1]), r"milestones must be ints >= 0, got \[5, -1\]"),
    ("ExponentialLR", dict(gamma=0), r"gamma must be > 0, got 0"),
    ("InverseTimeLR", dict(decay_rate=-1), r"decay_rate must be >= 0, got -1"),
    ("CosineAnnealingLR", dict(T_max=0), r"T_max must be a positive int, got 0"),
    ("CosineAnnealingLR", dict(T_max=5, eta_min=-1), r"eta_min must be >= 0, got -1"),
    ("LinearLR", dict(start_factor=0), r"start_factor must be in \(0, 1\], got 0"),
    ("LinearLR", dict(end_factor=2), r"end_factor must be in \[0, 1\], got 2"),
    ("LinearLR", dict(total_iters=0), r"total_iters must be a positive int, got 0"),
    ("LambdaLR", dict(lr_lambda=[inverse_sqrt]),
     r"lr_lambda has 1 values but the optimizer has 2 parameter groups; pass one value, or one"),
    ("LambdaLR", dict(lr_lambda=0.5), r"lr_lambda must be a function of the step"),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, mode="sawtooth"),
     r"mode must be one of \['exp_range', 'triangular', 'triangular2'\], got 'sawtooth'"),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=0),
     r"step_size_up must be a positive int, got 0"),
    ("CyclicLR", dict(base_lr=0.01, max_lr=[0.1, 0.2, 0.3]),
     r"max_lr has 3 values but the optimizer has 2 parameter groups"),
    ("OneCycleLR", dict(max_lr=0.1),
     r"pass total_steps, or epochs and steps_per_epoch \(positive ints\), got epochs=None"),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=10, pct_start=1.5),
     r"pct_start must be in \[0, 1\], got 1.5"),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=3),
     r"pct_start=0.3 with total_steps=3 leaves a phase without steps; use more total_steps"),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=10, anneal_strategy="exp"),
     r"anneal_strategy must be 'cos' or 'linear', got 'exp'"),
    ("SequentialLR", sequential(("StepLR", [2]), milestones=[3]),
     r"got 1 schedulers and 1 milestones; pass one milestone fewer than schedulers"),
    ("SequentialLR", sequential(("StepLR", [2]), ("StepLR", [3]), milestones=[0]),
     r"milestones must be increasing and > 0, got \[0\]"),
    ("SequentialLR", sequential(("StepLR", [2]), ("ReduceLROnPlateau", []), milestones=[4]),
     r"scheduler 1 is a ReduceLROnPlateau, whose step needs a metric"),
    ("SequentialLR", sequential(("StepLR", [2]), milestones=[4], other_optimizer=True),
     r"scheduler 1 \(StepLR\) belongs to another optimizer"),
    ("ReduceLROnPlateau", dict(factor=1.0), r"factor must be in \[0, 1\), got 1.0"),
    ("ReduceLROnPlateau", dict(mode="lowest"), r"mode must be 'min' or 'max', got 'lowest'"),
    ("ReduceLROnPlateau", dict(threshold_mode="pct"),
     r"threshold_mode must be 'rel' or 'abs', got 'pct'"),
    ("ReduceLROnPlateau", dict(patience=-1), r"patience must be an int >= 0, got -1"),
]


@pytest.mark.parametrize("name, kwargs, message", BAD)
def test_bad_arguments_are_refused(name, kwargs, message):
    optimizer = make_optimizer()
    kwargs = kwargs(optimizer) if callable(kwargs) else kwargs
    with pytest.raises(ValueError, match=f"{name}: {message}"):
        getattr(lr_scheduler, name)(optimizer, **kwargs)


def test_a_parameter_group_added_after_the_schedule():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    optimizer.add_param_group({"params": [autograd.tensor([1.0], requires_grad=True)]})
    with pytest.raises(ValueError, match=r"ExponentialLR: the optimizer has 3 parameter groups, "
                                         r"but the schedule was built for 2; build the schedule "
                                         r"after add_param_group"):
        scheduler.step()


def test_not_an_optimizer():
    with pytest.raises(TypeError, match=r"StepLR: expected an optimizer \(an object with "
                                        r"param_groups\), got list"):
        lr_scheduler.StepLR([autograd.tensor([1.0], requires_grad=True)], step_size=2)


def test_cycle_momentum_needs_momentum_or_betas():
    optimizer = make_optimizer()
    for group in optimizer.param_groups:
        del group["momentum"]
    with pytest.raises(ValueError, match=r"CyclicLR: cycle_momentum=True needs an optimizer with "
                                         r"'momentum' or 'betas'.*pass cycle_momentum=False"):
        lr_scheduler.CyclicLR(optimizer, 0.01, 0.1)
    lr_scheduler.CyclicLR(optimizer, 0.01, 0.1, cycle_momentum=False)


def test_one_cycle_refuses_to_step_past_total_steps():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    for _ in range(10):
        scheduler.step()  # step 10 == total_steps is allowed, as in PyTorch
    with pytest.raises(ValueError, match=r"OneCycleLR: tried to step 11 times, but "
                                         r"total_steps is 10; build the schedule with more"):
        scheduler.step()


# ---------------------------------------------------------------- two schedules on one optimizer
def test_two_schedules_stepping_one_optimizer_warn_that_they_do_not_multiply():
    optimizer = make_optimizer()
    decay = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=4)
    with pytest.warns(UserWarning, match=r"StepLR and LinearLR both step the same optimizer: "
                                         r"each sets the learning rate from its own closed form, "
                                         r"so they do not multiply .*SequentialLR.*LambdaLR"):
        for _ in range(3):
            optimizer.step()
            decay.step()
            warmup.step()
    # PyTorch's chain would multiply the factors (0.1 -> 1 over 4 steps, times 0.5 per 2
    # steps); here the one stepped last sets the rate
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * (0.1 + 0.9 * 3 / 4))


def test_sequential_schedules_and_a_schedule_that_takes_over_do_not_warn():
    optimizer = make_optimizer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=4)
        decay = lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
        scheduler = lr_scheduler.SequentialLR(optimizer, [warmup, decay], milestones=[4])
        for _ in range(8):
            optimizer.step()
            scheduler.step()
        later = lr_scheduler.ExponentialLR(optimizer, gamma=0.9)  # the first one is done
        for _ in range(3):
            optimizer.step()
            later.step()
        plateau = lr_scheduler.ReduceLROnPlateau(optimizer)
        plateau.step(1.0)
        plateau.step(1.0)


def test_cyclic_state_holds_only_what_the_schedule_reads():
    scheduler = lr_scheduler.CyclicLR(make_optimizer(), base_lr=0.01, max_lr=0.1,
                                      mode="exp_range", gamma=0.9)
    assert {"mode", "gamma"}.isdisjoint(scheduler.state_dict())
