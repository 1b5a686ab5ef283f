"""The routes to a silently wrong gradient found by the reliability probe (issue 17 §3): each
gives the right gradient or a clear error. See docs/safety.md."""
import numpy as np
import pytest

import autograd
import nn
from autograd import InplaceError

STALE = r"changed in place afterwards"


def leaf(values):
    return autograd.tensor(values, dtype="float64", requires_grad=True)


# ------------------------------------------------ 1. indices, masks and bounds are version-checked
def _index():
    return autograd.tensor([0, 2])


def _mask():
    return autograd.tensor([True, False, True])


@pytest.mark.parametrize("use, kept, change", [
    (lambda x, i: x[i], _index, lambda i: i.__setitem__(0, 1)),
    (lambda x, i: x[i, None], _index, lambda i: i.__setitem__(0, 1)),  # inside an index tuple
    (lambda x, m: x[m], _mask, lambda m: m.__setitem__(0, False)),
    (lambda x, i: x.gather(0, i), _index, lambda i: i.__setitem__(0, 1)),
    (lambda x, m: x.masked_fill(m, 0.0), _mask, lambda m: m.__setitem__(0, False)),
    (lambda x, m: autograd.where(m, x, 0.0), _mask, lambda m: m.__setitem__(0, False)),
    (lambda x, b: x.clamp(min=b), lambda: autograd.tensor([0.5, 0.5, 0.5], dtype="float64"),
     lambda b: b.fill_(5.0)),
    (lambda x, b: x.clamp(max=b), lambda: autograd.tensor([2.5, 2.5, 2.5], dtype="float64"),
     lambda b: b.fill_(0.0)),
], ids=["getitem", "index-tuple", "bool-mask", "gather", "masked_fill", "where", "clamp-min",
        "clamp-max"])
def test_an_index_mask_or_bound_changed_before_backward_raises(use, kept, change):
    x = leaf([1.0, 2.0, 3.0])
    t = kept()
    y = use(x * 1, t)
    change(t)
    with pytest.raises(InplaceError, match=STALE):
        y.sum().backward()


def test_setitem_s_index_is_version_checked():
    x = leaf([1.0, 2.0, 3.0])
    v = leaf([10.0, 20.0])
    i = _index()
    y = x * 1
    y[i] = v
    i[0] = 1
    with pytest.raises(InplaceError, match="index"):
        (y * y).sum().backward()


def test_unchanged_indices_still_give_the_gradient():
    x = leaf([1.0, 2.0, 3.0])
    (x[autograd.tensor([0, 0, 2])] * x.clamp(min=autograd.tensor(1.5))).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), [1.5 + 2.0, 1.0, 3.0 + 3.0])


# ------------------------------------------------ 2. aliases share the version counter
@pytest.mark.parametrize("alias", [autograd.Tensor, nn.Parameter],
                         ids=["Tensor(t)", "Parameter(t)"])
def test_an_alias_shares_the_version_counter(alias):
    t = autograd.tensor([1.0, 2.0], dtype="float64")
    a = alias(t)
    x = leaf([3.0, 4.0])
    y = (x * a).sum()  # saves a
    t.mul_(2)  # changes a's memory
    with pytest.raises(InplaceError, match=STALE):
        y.backward()
    y = (x * t).sum()  # and the other way round
    with autograd.no_grad():
        a.mul_(2)
    with pytest.raises(InplaceError, match=STALE):
        y.backward()


def test_an_op_that_returns_its_input_unchanged_does_not_alias_it():
    c = leaf([1.0, 2.0]) * 1
    s = autograd.sum_to(c, c.shape)
    s.add_(1)
    np.testing.assert_allclose(np.asarray(c), [1.0, 2.0])
    x = leaf([1.0, 2.0])
    y = x * x
    z = autograd.sum_to(y, y.shape)
    z.mul_(3)  # must not change y, which the mul did not save but the user may use
    np.testing.assert_allclose(np.asarray(y), [1.0, 4.0])


# ------------------------------------------------ 3. ndarray operands are copied
@pytest.mark.parametrize("use", [lambda w, a: w * a, lambda w, a: a * w,
                                 lambda w, a: w @ a, lambda w, a: autograd.mul(w, a)],
                         ids=["w*a", "a*w", "w@A", "mul(w,a)"])
def test_a_plain_ndarray_operand_is_copied(use):
    w = leaf([1.0, 2.0])
    a = np.array([3.0, 4.0])
    y = use(w, a).sum()
    a[:] = 100.0
    y.backward()
    np.testing.assert_allclose(np.asarray(w.grad), [3.0, 4.0])
