"""More well-known PyTorch programs (tutorials, textbook code, everyday idioms) in programs/,
run after the mechanical rename alone: each is checked on its own (formulas, bounds, the
tutorial's facts) and, when torch is installed, against the same source run by torch.

Every program starts both engines from the same numbers (weights drawn by numpy and copied
in, batches in order), so its curves must agree to float32 rounding (a relative 1e-5); where
a program draws from the library's own generator (init_apply, dcgan_init) only deterministic
values and statistics are compared. A program that needs a name or meaning main lacks is a
strict xfail naming it (it fails as soon as the missing piece lands: then drop the mark).
"""
import functools
import math

import numpy as np
import pytest

import porting

run = functools.lru_cache(porting.run)

MISSING = {}  # program -> what main lacks for it (every program runs now)


def program(name):
    marks = [pytest.mark.xfail(strict=True, reason=MISSING[name])] if name in MISSING else []
    return pytest.param(name, marks=marks, id=name)


def theirs(name):
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)  # tiny programs: threads only cost on a shared machine
    return run(name, "torch")


def plain(x):
    """A value of either engine as plain Python/numpy data: tensors to float64 arrays,
    containers element by element."""
    if hasattr(x, "detach"):
        x = x.detach()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy(), dtype=np.float64)
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def agree(a, b, rtol, where):
    """``a`` (ours) and ``b`` (torch's) agree: same structure, numbers within ``rtol``."""
    a, b = plain(a), plain(b)
    if isinstance(b, dict):
        assert isinstance(a, dict) and a.keys() == b.keys(), f"{where}: keys differ"
        for k in b:
            agree(a[k], b[k], rtol, f"{where}[{k!r}]")
    elif isinstance(b, list) and not all(isinstance(v, (int, float)) for v in b):
        assert isinstance(a, list) and len(a) == len(b), f"{where}: {a!r}, torch's {b!r}"
        for k, (x, y) in enumerate(zip(a, b)):
            agree(x, y, rtol, f"{where}[{k}]")
    elif isinstance(b, (list, np.ndarray)) or isinstance(a, (list, np.ndarray)):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                                   rtol=rtol, atol=rtol and 1e-7, err_msg=where)
    elif isinstance(b, (bool, str)) or b is None:
        assert a == b, f"{where}: {a!r}, torch's {b!r}"
    else:
        assert math.isclose(a, b, rel_tol=rtol, abs_tol=rtol and 1e-7), \
            f"{where}: {a!r}, torch's {b!r}"


# ------------------------------------------------------------------ each program on its own
def check_quickstart_mlp(ns):
    assert ns["first_batch"] == ([64, 1, 8, 8], [64])
    assert ns["parameter_names"][0] == "linear_relu_stack.0.weight"
    assert [size for _, _, size in ns["logged"]] == [1500] * 12
    assert [current for _, current, _ in ns["logged"][:3]] == [64, 576, 1088]
    assert np.all(np.diff(ns["test_losses"]) < 0) and ns["accuracies"][-1] > 0.7
    assert ns["predicted"] == ns["actual"] == "1"


def check_lenet(ns):
    assert ns["parameter_shapes"] == [(6, 1, 3, 3), (6,), (16, 6, 3, 3), (16,), (120, 64),
                                      (120,), (84, 120), (84,), (10, 84), (10,)]
    assert ns["cleared"] is True  # zero_grad sets the gradients to None, as torch's default
    assert plain(ns["conv1_bias_grad"]).shape == (6,)
    assert np.mean(ns["losses"][-5:]) < 0.5 * np.mean(ns["losses"][:5])
    assert ns["accuracy"] > 0.5


def check_custom_dataset(ns):
    assert ns["first"][:5] == ([100, 1, 8, 8], [100, 10], 12, 3, 0)
    assert plain(ns["sample_label"]).tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert ns["dict_batches"] == [([0, 1], 0.0), ([2, 3], 0.0), ([4], 0.0)]
    assert ns["losses"][-1] < 0.2 * ns["losses"][0] and ns["accuracy"] > 0.85


def check_autograd_mechanics(ns):
    assert ns["seeded_again"] is True
    assert ns["facts"] == [True, False, True, True, True]
    np.testing.assert_array_equal(plain(ns["x_grad"]), np.full((2, 2), 4.5))
    np.testing.assert_array_equal(plain(ns["y_grad"]), np.full((2, 2), 4.5))
    np.testing.assert_array_equal(plain(ns["accumulated"]), np.full((2, 2), 6.5))
    np.testing.assert_array_equal(plain(ns["zeroed"]), np.zeros((2, 2)))
    assert (ns["before"], ns["after"], ns["b_has_grad_fn"]) == (False, True, True)
    assert [ns[k] for k in ("no_grad_flag", "decorated_flag", "enabled_flag", "disabled_flag",
                            "detached_flag")] == [False, False, True, False, False]
    np.testing.assert_allclose(plain(ns["vjp"]), np.array([0.1, 1.0, 0.0001]) * 32, rtol=1e-6)
    assert ns["twice"] == 24.0
    np.testing.assert_array_equal(plain(ns["seen"]), [[3.0, 3.0]])
    np.testing.assert_array_equal(plain(ns["hooked"]), [6.0, 6.0])  # the second hook doubles
    np.testing.assert_array_equal(plain(ns["unhooked"]), [3.0, 3.0])
    np.testing.assert_allclose(plain(ns["derivatives"]), [[0.75, 6.75], [3.0, 9.0]])


def check_nn_from_scratch(ns):
    # the hand-written log_softmax + nll and F.cross_entropy are the same function
    np.testing.assert_allclose(ns["scratch_losses"], ns["module_losses"], rtol=1e-5)
    assert ns["scratch_accuracy"] > 0.8
    assert ns["valid_losses"][1] < ns["valid_losses"][0] < 1.5


def check_linreg_scratch(ns):
    assert np.max(np.abs(ns["w_error"])) < 0.01 and abs(ns["b_error"]) < 0.01
    assert ns["epoch_losses"][-1] < 1e-4 < ns["epoch_losses"][0]
    np.testing.assert_allclose(ns["concise_w"], [2, -3.4], atol=0.01)
    assert abs(ns["concise_b"] - 4.2) < 0.01


def check_lr_schedulers(ns):
    epochs = np.arange(1, 11)
    want = {
        "step": 0.1 * 0.5 ** (epochs // 3),
        "multistep": 0.1 * 0.1 ** ((epochs >= 2).astype(int) + (epochs >= 5)),
        "exponential": 0.1 * 0.8 ** epochs,
        "cosine": 0.001 + (0.1 - 0.001) * (1 + np.cos(np.pi * epochs / 8)) / 2,
        "lambda": 0.1 * 0.95 ** epochs,
    }
    for name, lrs in want.items():
        got = np.array(ns["results"][name][0])
        # the chainable form (torch's) drifts from the closed form by rounding only
        np.testing.assert_allclose(got[:, 0], lrs, rtol=1e-12, err_msg=name)
        np.testing.assert_array_equal(got[:, 0], got[:, 1])  # get_last_lr() is the group's lr
    assert ns["resumed_lrs"] == [0.25, 0.25, 0.125] and ns["last_epoch"] == 3


def check_grad_clipping(ns):
    total, clipped = np.array(ns["total_norms"]), np.array(ns["clipped_norms"])
    assert np.all(total > 1)  # every step clipped ...
    np.testing.assert_allclose(clipped, 1.0, rtol=1e-5)  # ... to the norm asked for
    assert np.all(np.diff(ns["norm_losses"]) < 0)
    np.testing.assert_allclose(ns["largest"], 0.1, rtol=1e-6)
    assert ns["value_losses"][-1] < ns["value_losses"][0]
    assert float(ns["inf_norm"]) == pytest.approx(0.1, rel=1e-6)


def check_init_apply(ns):
    assert ns["visited"] == ["Conv2d", "BatchNorm2d", "Linear", "Linear", "Model"]
    s = ns["stats"]
    assert s["fc1_max"] <= s["xavier_bound"]
    assert s["fc1_std"] == pytest.approx(s["xavier_std"], rel=0.03)
    assert s["conv_std"] == pytest.approx(s["kaiming_std"], rel=0.1)
    np.testing.assert_allclose(s["conv_bias"], 0.1, rtol=1e-6)
    assert s["fc_bias_sum"] == 0 and s["bn"] == (32.0, 0.0)
    np.testing.assert_allclose(ns["gains"], [1, 1, 5 / 3, math.sqrt(2),
                                             math.sqrt(2 / (1 + 0.2 ** 2))])
    assert ns["filled"] == pytest.approx(0.01 * 9 * 256, rel=1e-5)
    assert ns["output_shape"] == (2, 10)


def check_manual_sgd(ns):
    assert np.all(np.diff(ns["blitz_losses"]) < 0)
    assert ns["micrograd_losses"][-1] < ns["micrograd_losses"][0] < ns["blitz_losses"][-1]
    assert ns["zeroed_bias"] == [0.0]
    np.testing.assert_allclose(ns["doublings"], [32.0, -64.0])


def check_dcgan_init(ns):
    s = ns["stats"]
    assert abs(s["conv_mean"]) < 0.005 and s["conv_std"] == pytest.approx(0.02, rel=0.15)
    assert s["bn_mean"] == pytest.approx(1.0, abs=0.01) and s["bn_bias"] == 0
    assert s["linear_max"] <= 0.1 and s["linear_bias"] == 0
    assert ns["fake_shape"] == (4, 8, 4, 4)


def check_save_load(ns):
    assert ns["state_keys"] == ["conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias"]
    assert ns["optimizer_keys"] == ["param_groups", "state"]
    assert ns["same_outputs"] is True and ns["epoch"] == 3
    assert ns["last_loss"] == ns["losses"][-1]
    assert ns["resumed_losses"] == ns["continued"]  # the checkpoint resumes exactly


def check_tensor_idioms(ns):
    scores = plain(ns["scores"])
    np.testing.assert_array_equal(plain(ns["top_values"]), -np.sort(-scores, 1)[:, :3])
    np.testing.assert_array_equal(plain(ns["row_max"]), scores.max(1))
    np.testing.assert_array_equal(plain(ns["row_argmax"]), scores.argmax(1))
    np.testing.assert_allclose(plain(ns["column_spread"]), scores.std(0, ddof=1))
    np.testing.assert_allclose(plain(ns["trace"]), np.trace(scores[:, :4]))
    assert ns["agree"] is True and ns["identical"] is True


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items()
          if name.startswith("check_")}


@pytest.mark.parametrize("name", [program(n) for n in sorted(CHECKS)])
def test_program_runs_after_the_rename(name):
    CHECKS[name](run(name))


def test_every_new_program_is_checked():
    # programs checked by test files of their own (test_ports.py, test_hand_adam.py)
    older = {"digits_cnn", "function_outputs", "higher_order", "moons", "hand_adam"}
    names = {p.stem for p in porting.PROGRAMS.glob("*.py")}
    assert names - older - {n for n in names if n.startswith("polynomial_")} == set(CHECKS)
    assert set(MISSING) <= set(CHECKS) and set(SAME) | set(RANDOM) == set(CHECKS)


# ------------------------------------------------------------------ the same source on torch
EXACT = {"autograd_mechanics"}  # no sums that the engines may order differently
SAME = {  # program: the variables that must equal torch's (to float32 rounding)
    "quickstart_mlp": "first_batch parameter_names logged test_losses accuracies predicted",
    "lenet": "parameter_shapes conv1_bias_grad cleared mse_grad losses accuracy",
    "custom_dataset": "first dict_batches sample_label losses accuracy",
    "autograd_mechanics": "seeded_again facts x_grad y_grad accumulated zeroed before after "
                          "no_grad_flag decorated_flag enabled_flag disabled_flag detached_flag "
                          "vjp twice seen hooked unhooked derivatives",
    "nn_from_scratch": "scratch_losses scratch_accuracy module_losses valid_losses",
    "linreg_scratch": "first_example epoch_losses w_error b_error concise_losses concise_w "
                      "concise_b",
    "lr_schedulers": "results resumed_lrs last_epoch",
    "grad_clipping": "norm_losses total_norms clipped_norms value_losses largest inf_norm",
    "manual_sgd": "blitz_losses micrograd_losses zeroed_bias doublings",
    "save_load": "state_keys optimizer_keys losses same_outputs continued resumed_losses",
    "tensor_idioms": "joined stacked top_values top_indices sorted_values order best row_max "
                     "row_argmax column_spread column_var attention trace picked clipped agree "
                     "identical bias",
}
RANDOM = {  # programs drawing from each library's generator: what is still deterministic
    "init_apply": "visited gains filled output_shape",
    "dcgan_init": "fake_shape",
}


@pytest.mark.parametrize("name", [program(n) for n in sorted(SAME) + sorted(RANDOM)])
def test_same_numbers_as_torch(name):
    mine, torchs = run(name), theirs(name)
    for variable in SAME.get(name, RANDOM.get(name, "")).split():
        rtol = 0 if name in EXACT else 1e-5
        agree(mine[variable], torchs[variable], rtol, f"{name}: {variable}")
    if name in RANDOM:  # the statistics of the draws, within sampling error (a mean of
        # zero-mean draws is near 0, so a relative tolerance means nothing: its program's
        # own check bounds it in absolute terms)
        stats = {k: v for k, v in mine["stats"].items() if not k.endswith("conv_mean")}
        agree(stats, {k: torchs["stats"][k] for k in stats}, 0.15, f"{name}: stats")
