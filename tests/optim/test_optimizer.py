"""The Optimizer base: parameter groups, skipping, closures, zero_grad, saving and resuming,
validation of hyperparameters, dtypes, repr — run through every optimizer where it matters."""
import numpy as np
import pytest

import autograd
import nn
import optim
from optim_contract import OPTIMIZERS
from optim_problems import LOGISTIC, QUADRATIC, parameters, train

# every optimizer (a row of optim_contract.py), with arguments that switch on its optional state
EVERY = [(getattr(optim, name), row.every) for name, row in OPTIMIZERS.items()]
EVERY_IDS = [cls.__name__ for cls, _ in EVERY]


def grad_of(*params):
    """Give each parameter the gradient of sum(p²) (2p)."""
    for p in params:
        p.grad = None
    sum((p * p).sum() for p in params).backward()


# ---------------------------------------------------------------- parameter groups
def test_groups_take_their_own_hyperparameters_and_defaults_fill_the_rest():
    a = autograd.tensor([1.0, -2.0], dtype="float64", requires_grad=True)
    b = autograd.tensor([3.0], dtype="float64", requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.01}], lr=0.1, momentum=0.5)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert [g["momentum"] for g in opt.param_groups] == [0.5, 0.5]
    grad_of(a, b)
    opt.step()
    np.testing.assert_allclose(a.data, [1.0 - 0.1 * 2, -2.0 + 0.1 * 4])
    np.testing.assert_allclose(b.data, [3.0 - 0.01 * 6])


def test_add_param_group_adds_a_group_that_steps_with_its_lr():
    a, b = (autograd.tensor([1.0], dtype="float64", requires_grad=True) for _ in range(2))
    opt = optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.5})
    grad_of(a, b)
    opt.step()
    assert a.item() == pytest.approx(0.8) and b.item() == pytest.approx(0.0)


@pytest.mark.parametrize("params, error, match", [
    ([], ValueError, "SGD: got an empty parameter list"),
    ({autograd.tensor([1.0], requires_grad=True)}, TypeError, "ordered collection"),
    (autograd.tensor([1.0], requires_grad=True), TypeError, r"a single Tensor; pass \[tensor\]"),
    ([np.ones(2)], TypeError, "can only optimize Tensors, got ndarray"),
    ([{"lr": 0.1}], ValueError, "SGD: a parameter group needs a 'params' entry"),
    ([{"params": {autograd.tensor([1.0], requires_grad=True)}}], TypeError, "not a set"),
    ([autograd.tensor([1.0], requires_grad=True) * 2], ValueError,
     "cannot optimize a non-leaf tensor .made by mul.*differentiable=True"),
])
def test_bad_parameter_lists_are_refused(params, error, match):
    with pytest.raises(error, match=match):
        optim.SGD(params, lr=0.1)


def test_a_parameter_in_two_groups_is_refused():
    a = autograd.tensor([1.0], requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="SGD: some parameters appear in more than one"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="SGD: a parameter appears twice in the same group"):
        optim.SGD([a, a], lr=0.1)


def test_frozen_parameters_are_accepted_and_never_move():
    frozen = autograd.tensor([1.0, 2.0])
    trained = autograd.tensor([1.0], requires_grad=True)
    opt = optim.SGD([frozen, trained], lr=0.1)
    grad_of(trained)
    opt.step()
    np.testing.assert_array_equal(frozen.data, [1.0, 2.0])


def test_parameters_without_a_gradient_are_skipped():
    used, unused = (autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
                    for _ in range(2))
    opt = optim.Adam([used, unused], lr=0.1)
    grad_of(used)
    opt.step()
    np.testing.assert_array_equal(unused.data, [1.0, 2.0])
    assert not np.allclose(used.data, [1.0, 2.0])
    assert unused not in opt.state and opt.state[used]["step"] == 1


# ---------------------------------------------------------------- step, closure, zero_grad
def test_step_calls_the_closure_with_grad_enabled_and_returns_its_loss():
    w = autograd.tensor([3.0], dtype="float64", requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with autograd.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and w.item() == 3.0 - 0.25 * 6


def test_zero_grad_sets_none_or_zeros():
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    grad_of(w)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])
    assert w.grad.dtype == np.float32
    opt.zero_grad()
    assert w.grad is None


# ---------------------------------------------------------------- saving and resuming
def test_state_dict_is_laid_out_as_pytorch_and_holds_copies():
    a, b = (autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True) for _ in range(2))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    grad_of(a, b)
    opt.step()
    saved = opt.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert [g["lr"] for g in saved["param_groups"]] == [0.1, 0.5]
    np.testing.assert_array_equal(saved["state"][1]["momentum_buffer"], [2.0, 4.0])
    grad_of(a, b)
    opt.step()  # training goes on; the saved dict must not change with it
    np.testing.assert_array_equal(saved["state"][1]["momentum_buffer"], [2.0, 4.0])


def _model(seed):
    autograd.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()


def _groups(model):  # two groups, so that the saved indices must map back group by group
    return [{"params": list(model[0].parameters())},
            {"params": list(model[2].parameters()), "lr_scale": 0.5}]


@pytest.mark.parametrize("cls, kwargs", EVERY, ids=EVERY_IDS)
def test_resuming_from_a_state_dict_continues_bit_for_bit(cls, kwargs, tmp_path):
    x = np.random.default_rng(0).standard_normal((8, 3))
    y = np.sin(x.sum(axis=1, keepdims=True))

    def loss(model):
        return ((model(autograd.Tensor(x)) - y) ** 2).mean()

    def run(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            loss(model).backward()
            opt.step()

    straight = _model(0)
    run(straight, cls(_groups(straight), **kwargs), 50)

    first = _model(0)
    opt = cls(_groups(first), **kwargs)
    run(first, opt, 20)
    autograd.save({"model": first.state_dict(), "optimizer": opt.state_dict()},
                  tmp_path / "checkpoint.pt")
    checkpoint = autograd.load(tmp_path / "checkpoint.pt")
    resumed = _model(1)  # a fresh model and a fresh optimizer
    resumed.load_state_dict(checkpoint["model"])
    opt = cls(_groups(resumed), **kwargs)
    opt.load_state_dict(checkpoint["optimizer"])
    run(resumed, opt, 30)

    for (name, p), q in zip(straight.named_parameters(), resumed.parameters()):
        assert np.array_equal(p.data, q.data), name


def test_load_state_dict_restores_hyperparameters_and_casts_state_to_the_parameter_dtype():
    w64 = autograd.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    opt = optim.Adam([w64], lr=0.1)
    grad_of(w64)
    opt.step()
    w32 = autograd.tensor([1.0, 2.0], dtype="float32", requires_grad=True)
    other = optim.Adam([w32], lr=0.5)
    other.load_state_dict(opt.state_dict())
    assert other.param_groups[0]["lr"] == 0.1
    assert other.state[w32]["exp_avg"].dtype == np.float32
    assert other.state[w32]["step"] == 1


def test_load_state_dict_refuses_a_different_layout():
    a, b = (autograd.tensor([1.0], requires_grad=True) for _ in range(2))
    saved = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match=r"the saved groups hold \[2\] parameters, this "
                                         r"optimizer's hold \[1\]"):
        optim.SGD([a], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="the saved state has 1 parameter groups, this "
                                         "optimizer 2"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(saved)


def _stepped(cls, size=3, **kwargs):
    """An optimizer of ``cls`` on one parameter of ``size`` entries, after one step."""
    w = autograd.tensor(np.arange(1.0, size + 1), requires_grad=True)
    opt = cls([w], **kwargs)
    grad_of(w)
    opt.step()
    return opt


def _without(saved, key):
    saved = dict(saved)
    del saved[key]
    return saved


def _renumbered(saved):
    return {**saved, "state": {5: saved["state"][0]}}


def _emptied(saved, key):
    return {**saved, "state": {0: _without(saved["state"][0], key)}}


@pytest.mark.parametrize("target, saved, match", [
    (lambda: _stepped(optim.Adam, size=1), lambda: _stepped(optim.Adam).state_dict(),
     r"Adam.load_state_dict: the saved 'exp_avg' of parameter 0 has shape \(3,\), but the "
     r"parameter has shape \(1,\)"),
    (lambda: _stepped(optim.Adam), lambda: _stepped(optim.SGD, lr=0.1, momentum=0.9)
     .state_dict(), r"Adam.load_state_dict: saved parameter group 0 has no \['betas', 'eps', "
                    r"'amsgrad', 'decoupled_weight_decay'\], which Adam needs; was it saved by "
                    r"another optimizer class\?"),
    (lambda: _stepped(optim.SGD, lr=0.1), lambda: _stepped(optim.Adam).state_dict(),
     r"SGD.load_state_dict: saved parameter group 0 has no \['momentum', 'dampening', "
     r"'nesterov'\]"),
    (lambda: _stepped(optim.Adam), lambda: _emptied(_stepped(optim.Adam).state_dict(), "step"),
     r"Adam.load_state_dict: the saved state of parameter 0 has no \['step'\] \(it holds "
     r"\['exp_avg', 'exp_avg_sq'\]\), which Adam keeps"),
    (lambda: _stepped(optim.Adam), lambda: _renumbered(_stepped(optim.Adam).state_dict()),
     r"Adam.load_state_dict: the saved state is for parameter 5, but the saved groups number "
     r"their parameters \[0\]"),
    (lambda: _stepped(optim.Adam), lambda: _without(_stepped(optim.Adam).state_dict(),
                                                    "param_groups"),
     r"Adam.load_state_dict: expected a dict with 'state' and 'param_groups' \(what "
     r"state_dict\(\) returns\), got a dict with keys \['state'\]"),
    (lambda: _stepped(optim.Adam), lambda: [1, 2], r"got a list"),
], ids=["shape", "SGD-into-Adam", "Adam-into-SGD", "missing-entry", "bad-index", "no-groups",
        "not-a-dict"])
def test_load_state_dict_refuses_a_state_that_does_not_fit_and_changes_nothing(target, saved,
                                                                                match):
    opt = target()
    before = opt.state_dict()
    with pytest.raises(ValueError, match=match):
        opt.load_state_dict(saved())
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for i, state in before["state"].items():
        assert all(np.array_equal(after["state"][i][key], value) for key, value in state.items())


# ---------------------------------------------------------------- hyperparameters
@pytest.mark.parametrize("cls, kwargs, match", [
    (optim.SGD, dict(lr=-0.1), r"SGD: lr must be >= 0, got -0.1"),
    (optim.SGD, dict(lr=float("nan")), r"SGD: lr must be >= 0, got nan"),
    (optim.SGD, dict(momentum=-0.5), r"SGD: momentum must be >= 0"),
    (optim.SGD, dict(weight_decay=-1e-4), r"SGD: weight_decay must be >= 0"),
    (optim.SGD, dict(nesterov=True), r"Nesterov momentum needs momentum > 0 and dampening = 0,"
                                     r" got momentum=0, dampening=0"),
    (optim.SGD, dict(nesterov=True, momentum=0.9, dampening=0.1), r"dampening=0.1"),
    (optim.Adagrad, dict(lr_decay=-1), r"Adagrad: lr_decay must be >= 0"),
    (optim.Adagrad, dict(initial_accumulator_value=-1), r"initial_accumulator_value must be"),
    (optim.Adagrad, dict(eps=-1e-10), r"Adagrad: eps must be >= 0"),
    (optim.Adadelta, dict(rho=1.0), r"Adadelta: rho must be in \[0, 1\), got 1.0"),
    (optim.RMSprop, dict(alpha=-0.1), r"RMSprop: alpha must be in \[0, 1\), got -0.1"),
    (optim.RMSprop, dict(momentum=-0.9), r"RMSprop: momentum must be >= 0"),
    (optim.Adam, dict(betas=(1.0, 0.999)), r"Adam: betas\[0\] must be in \[0, 1\), got 1.0"),
    (optim.Adam, dict(betas=(0.9, -0.1)), r"Adam: betas\[1\] must be in \[0, 1\)"),
    (optim.Adam, dict(eps=-1e-8), r"Adam: eps must be >= 0"),
    (optim.AdamW, dict(lr=-1e-3), r"AdamW: lr must be >= 0"),
    (optim.NAdam, dict(momentum_decay=-1), r"NAdam: momentum_decay must be >= 0"),
    (optim.LARS, dict(trust_coefficient=-1), r"LARS: trust_coefficient must be >= 0"),
    (optim.LAMB, dict(betas=(0.9, 1.5)), r"LAMB: betas\[1\] must be in \[0, 1\), got 1.5"),
])
def test_bad_hyperparameters_are_refused_at_construction(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls([autograd.tensor([1.0], requires_grad=True)], **kwargs)


@pytest.mark.parametrize("cls, kwargs, error, match", [
    (optim.SGD, dict(lr="0.1"), TypeError, r"SGD: lr must be a number, got str '0.1'"),
    (optim.SGD, dict(lr=None), TypeError, r"SGD: lr must be a number, got NoneType None"),
    (optim.SGD, dict(lr=0.1, momentum=None), TypeError, r"SGD: momentum must be a number"),
    (optim.RMSprop, dict(lr=autograd.tensor([0.1, 0.2])), ValueError,
     r"RMSprop: lr must be a number or a 0-d Tensor, got a Tensor of shape \(2,\)"),
    (optim.Adam, dict(betas=0.9), TypeError, r"Adam: betas must be a pair \(beta1, beta2\), "
                                             r"got 0.9"),
    (optim.NAdam, dict(betas=(0.9, 0.99, 0.1)), ValueError,
     r"NAdam: betas must be a pair \(beta1, beta2\), got 3 values \(0.9, 0.99, 0.1\)"),
    (optim.Adam, dict(betas=(0.9, "0.999")), TypeError, r"Adam: betas\[1\] must be a number"),
])
def test_hyperparameters_of_the_wrong_kind_are_refused_at_construction(cls, kwargs, error,
                                                                        match):
    with pytest.raises(error, match=match):
        cls([autograd.tensor([1.0], requires_grad=True)], **kwargs)


@pytest.mark.parametrize("params, match", [
    (None, r"SGD: params must be an iterable of Tensors or of dicts, got NoneType; pass "
           r"model.parameters\(\)"),
    ([{"params": None}], r"got NoneType"),
    ([{"params": [autograd.tensor([1.0], requires_grad=True)]},
      autograd.tensor([1.0], requires_grad=True)],
     r"SGD: params mixes dicts \(parameter groups\) and Tensors"),
])
def test_params_of_the_wrong_kind_are_refused(params, match):
    with pytest.raises(TypeError, match=match):
        optim.SGD(params, lr=0.1)


def test_betas_given_as_a_list_are_stored_as_a_tuple():
    opt = optim.Adam([autograd.tensor([1.0], requires_grad=True)], betas=[0.8, 0.9])
    assert opt.param_groups[0]["betas"] == (0.8, 0.9)


def test_linear_s_weight_gradient_arrives_in_the_weight_s_own_layout():
    autograd.manual_seed(0)
    layer = nn.Linear(5, 3)
    layer(autograd.randn(4, 5)).sum().backward()
    assert layer.weight.grad.numpy().flags.c_contiguous  # the fused op computes gᵀ·x directly


def test_the_step_keeps_state_in_c_order_when_gradients_arrive_transposed():
    autograd.manual_seed(0)
    w = autograd.randn(3, 5, requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    (autograd.randn(4, 5) @ w.T).sum().backward()  # matmul's gradient for w.T, transposed back
    assert not w.grad.numpy().flags.c_contiguous
    expected = w.data - 0.1 * w.grad.data
    opt.step()
    assert opt.state[w]["momentum_buffer"].flags.c_contiguous
    np.testing.assert_allclose(w.data, expected, rtol=1e-6)


# ---------------------------------------------------------------- no copies, no aliasing
def _accumulating_steps(opt, p, losses):
    """backward of each loss into p.grad WITHOUT zero_grad (gradients accumulate in place
    into p.grad's array), a step after each; returns p's values after each step."""
    values = []
    for loss in losses:
        loss(p).backward()
        opt.step()
        values.append(p.detach().numpy().copy())
    return values


def test_sgd_momentum_buffer_never_shares_the_gradient_s_array():
    # the first step's buffer is the gradient; if it were p.grad's own array, the second
    # backward would add into the buffer too
    p = autograd.tensor([1.0, -2.0], dtype="float64", requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    first, second = _accumulating_steps(opt, p, [lambda p: (p * p).sum()] * 2)
    g1 = 2 * np.array([1.0, -2.0])
    np.testing.assert_allclose(first, [1.0, -2.0] - 0.1 * g1)
    g2 = g1 + 2 * first  # the accumulated gradient
    np.testing.assert_allclose(second, first - 0.1 * (0.9 * g1 + g2))


def test_sgd_momentum_with_accumulated_gradients_matches_torch():
    torch = pytest.importorskip("torch")
    start = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    ours = autograd.tensor(start, requires_grad=True)
    theirs = torch.tensor(start, requires_grad=True)
    loss = lambda p: (p * p * p).sum()  # noqa: E731
    got = _accumulating_steps(optim.SGD([ours], lr=0.05, momentum=0.9, dampening=0.1),
                              ours, [loss] * 3)
    want = _accumulating_steps(torch.optim.SGD([theirs], lr=0.05, momentum=0.9, dampening=0.1),
                               theirs, [loss] * 3)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("cls, kwargs",  # SGD without weight decay keeps the gradient itself
                         EVERY + [(optim.SGD, dict(lr=0.02, momentum=0.9))],
                         ids=EVERY_IDS + ["SGD-no-decay"])
def test_step_leaves_the_gradient_alone_and_keeps_no_state_in_it(cls, kwargs):
    p = autograd.tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True)
    opt = cls([p], **kwargs)
    for _ in range(3):
        (p * p * p).sum().backward()  # accumulates: no zero_grad
        before = p.grad.numpy().copy()
        opt.step()
        np.testing.assert_array_equal(p.grad.data, before)
        for key, value in opt.state[p].items():
            assert not np.shares_memory(np.asarray(value), p.grad.data), key


def step_peak(opt):
    """The peak of the memory one ``opt.step()`` allocates (tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        opt.step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_step_makes_no_full_size_copy_or_temporary():
    # a 4 MiB parameter: the step may use a small scratch, never an array of its size
    p = autograd.tensor(np.ones(1 << 20, dtype=np.float32), requires_grad=True)
    p.grad = autograd.tensor(np.full(1 << 20, 2.0, dtype=np.float32))
    opt = optim.SGD([p], lr=0.25)
    assert step_peak(opt) < p.numpy().nbytes / 4
    np.testing.assert_array_equal(p.data, 0.5)


BLOCK = optim.optimizer._BLOCK


@pytest.mark.parametrize("size", [7, BLOCK, 3 * BLOCK + 5])  # small, one block, blocks + a rest
def test_large_in_place_updates_equal_the_plain_expression(size):
    rng = np.random.default_rng(0)
    start, grad = rng.standard_normal((2, size)).astype(np.float32)
    p = autograd.tensor(start, requires_grad=True)
    p.grad = autograd.tensor(grad)
    opt = optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5)
    opt.step()
    opt.step()  # the buffer now averages in place: b ← 0.9 b + 0.5 g
    buffer = 0.9 * grad + np.float32(0.5) * grad
    np.testing.assert_array_equal(opt.state[p]["momentum_buffer"], buffer)
    np.testing.assert_array_equal(p.data, start - 0.1 * grad - 0.1 * buffer)


def test_a_group_with_a_bad_hyperparameter_is_refused():
    opt = optim.SGD([autograd.tensor([1.0], requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match="SGD: lr must be >= 0, got -1"):
        opt.add_param_group({"params": [autograd.tensor([1.0], requires_grad=True)], "lr": -1})


@pytest.mark.parametrize("cls, kwargs", EVERY, ids=EVERY_IDS)
def test_float32_parameters_and_state_stay_float32(cls, kwargs):
    params = parameters(LOGISTIC, dtype="float32")
    opt = cls(params, **{**kwargs, "lr": autograd.tensor(0.01, dtype="float64")})
    train(opt, params, LOGISTIC.loss, 3)
    assert [p.dtype for p in params] == [np.float32, np.float32]
    for state in opt.state.values():
        for key, value in state.items():
            assert np.asarray(value).dtype in (np.float32, np.int64) or \
                isinstance(value, (int, float)), key
    assert np.all(np.isfinite(params[0].numpy()))


def test_a_tensor_lr_steps_as_the_same_number():
    with_tensor, with_float = parameters(QUADRATIC), parameters(QUADRATIC)
    train(optim.SGD(with_tensor, lr=autograd.tensor(0.01, dtype="float64"), momentum=0.9),
          with_tensor, QUADRATIC.loss, 5)
    train(optim.SGD(with_float, lr=0.01, momentum=0.9), with_float, QUADRATIC.loss, 5)
    np.testing.assert_array_equal(with_tensor[0].data, with_float[0].data)


def test_repr_lists_each_group_as_pytorch():
    opt = optim.SGD([autograd.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    assert repr(opt) == ("SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False"
                         "\n    lr: 0.1\n    momentum: 0.9\n    nesterov: False\n"
                         "    weight_decay: 0\n)")


RULE_BLOCK = optim.optimizer._RULE_BLOCK
ELEMENTWISE = [(cls, kwargs) for cls, kwargs in EVERY if cls.elementwise]


@pytest.mark.parametrize("cls, kwargs", ELEMENTWISE, ids=[c.__name__ for c, _ in ELEMENTWISE])
def test_a_rule_run_in_blocks_equals_the_whole_array_rule_bit_for_bit(cls, kwargs, monkeypatch):
    rng = np.random.default_rng(1)
    start = rng.standard_normal((3, RULE_BLOCK + 7)).astype(np.float32)  # blocks + a rest
    grads = rng.standard_normal((4, *start.shape)).astype(np.float32)
    finals = []
    for blocked in (True, False):
        monkeypatch.setattr(cls, "elementwise", blocked)
        p = autograd.tensor(start, requires_grad=True)
        opt = cls([p], **kwargs)
        for g in grads:  # the first step makes the state, the others update it
            p.grad = autograd.tensor(g)
            opt.step()
        finals.append((p.numpy().copy(), {k: np.array(v) for k, v in opt.state[p].items()}))
    (p_blocked, s_blocked), (p_whole, s_whole) = finals
    np.testing.assert_array_equal(p_blocked, p_whole)
    assert s_blocked.keys() == s_whole.keys()
    for key in s_whole:
        np.testing.assert_array_equal(s_blocked[key], s_whole[key], err_msg=key)


@pytest.mark.parametrize("cls, kwargs", ELEMENTWISE, ids=[c.__name__ for c, _ in ELEMENTWISE])
def test_an_elementwise_step_makes_no_temporary_of_the_parameter_s_size(cls, kwargs):
    # a 4 MiB parameter: its step's temporaries stay block-sized (Adam: 2.1x its size before)
    p = autograd.tensor(np.ones(1 << 20, dtype=np.float32), requires_grad=True)
    p.grad = autograd.tensor(np.full(1 << 20, 0.5, dtype=np.float32))
    opt = cls([p], **kwargs)
    opt.step()  # makes the state (a first momentum buffer is a copy, as in PyTorch)
    assert step_peak(opt) <= 0.25 * p.numpy().nbytes
