"""A hand-written Adam (mul_, add_, addcmul_, sqrt, add_, addcdiv_: the in-place vocabulary of
optimizers written by hand) and softmax sampling with multinomial, run after the rename
(programs/hand_adam.py): the same numbers as torch.optim.Adam here, and as the same program
under torch (float64, so to 1e-10)."""
import functools

import numpy as np
import pytest

import porting

run = functools.lru_cache(porting.run)


def values(xs):
    return [np.asarray(x.detach().numpy() if hasattr(x, "detach") else x, np.float64)
            for x in xs]


def test_hand_written_adam_is_the_library_s_adam():
    ns = run("hand_adam")
    np.testing.assert_allclose(ns["hand_losses"], ns["library_losses"], rtol=1e-10)
    for a, b in zip(values(ns["hand_weights"]), values(ns["library_weights"])):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert ns["hand_losses"][-1] < 0.9 * ns["hand_losses"][0]  # it did descend


def test_hand_written_adam_as_torch():
    pytest.importorskip("torch")
    mine, torchs = run("hand_adam"), run("hand_adam", "torch")
    np.testing.assert_allclose(mine["hand_losses"], torchs["hand_losses"], rtol=1e-10)
    np.testing.assert_allclose(mine["hand_losses"], torchs["library_losses"], rtol=1e-10)
    for a, b in zip(values(mine["hand_weights"]), values(torchs["library_weights"])):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_sampled_tokens_follow_the_softmax():
    ns = run("hand_adam")
    # 4000 draws: a frequency's standard error is at most 0.008; 0.05 is over 6 of them
    np.testing.assert_allclose(ns["frequencies"], ns["expected"], atol=0.05)
    assert ns["tokens"].dtype == np.int64 and ns["tokens"].shape == (4000,)
