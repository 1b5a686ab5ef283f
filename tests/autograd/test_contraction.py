"""einsum and the matrix products (autograd/contraction.py): the equation forms, repeated
indices, errors. Gradients of both modes at ordinary points are in op_cases.py; values and
gradients against torch in tests/oracle/rows_pointwise.py."""
import numpy as np
import pytest

import autograd
from autograd import ShapeError


def t64(shape, key=0, requires_grad=True):
    rng = np.random.default_rng(key)
    return autograd.tensor(rng.standard_normal(shape), requires_grad=requires_grad)


def test_einsum_forms_agree():
    a, b = t64((2, 3)), t64((3, 4), key=1)
    expected = (a @ b).numpy()
    for out in (autograd.einsum("ij,jk->ik", a, b), autograd.einsum("ij,jk", [a, b]),
                autograd.einsum("i j , j k -> i k", (a, b)),
                autograd.einsum(a, [0, 1], b, [1, 2], [0, 2]),
                autograd.einsum(a, [0, 1], b, [1, 2])):
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


def test_einsum_implicit_output_is_sorted_with_uppercase_first():
    a, b = t64((2, 3)), t64((3, 4), key=1)
    assert autograd.einsum("bA,Ac", a, b).shape == (2, 4)
    assert autograd.einsum("Ca,aB", a, b).shape == (4, 2)  # 'B' < 'C'


def test_einsum_repeated_index_gradients_lie_on_the_diagonal():
    x = t64((3, 3))
    (g,) = autograd.grad(autograd.einsum("ii->i", x).sum(), [x])
    assert np.array_equal(g.numpy(), np.eye(3))
    (g,) = autograd.grad(autograd.einsum("ii", x), [x])
    assert np.array_equal(g.numpy(), np.eye(3))


def test_einsum_ellipsis_broadcasts_and_can_be_summed():
    a, b = t64((2, 1, 3, 4)), t64((5, 4, 2), key=1)
    assert autograd.einsum("...ij,...jk->...ik", a, b).shape == (2, 5, 3, 2)
    x = t64((2, 3))
    np.testing.assert_allclose(autograd.einsum("...i->i", x).numpy(), x.numpy().sum(0))


def test_einsum_keeps_the_other_operand_only_so_its_result_may_change_in_place():
    a, b = t64((2, 3)), t64((3, 4), key=1)
    y = autograd.einsum("ij,jk->ik", a, b)
    y += 1  # PyTorch allows this: einsum's gradient does not read its result
    y.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.ones((2, 4)) @ b.numpy().T, rtol=1e-12)


def test_einsum_forward_mode_is_bilinear():
    a, b = t64((2, 3), requires_grad=False), t64((3, 4), key=1, requires_grad=False)
    ta, tb = np.ones((2, 3)), np.zeros((3, 4))
    _, tangent = autograd.jvp(lambda x, y: autograd.einsum("ij,jk->ik", x, y), (a, b), (ta, tb))
    np.testing.assert_allclose(tangent.numpy(), ta @ b.numpy(), rtol=1e-12)


@pytest.mark.parametrize("args, message", [
    (("ij,jk->ik", (2, 3), (4, 2)), r"einsum: index 'j' has size 4 in operand 1 \(shape "
                                    r"\(4, 2\)\) but 3 in operand 0 \(shape \(2, 3\)\)"),
    (("ij,jk->ik", (2, 3)), "einsum: the equation 'ij,jk->ik' names 2 operand"),
    (("ijk->ij", (2, 3)), "einsum: operand 0 has 2 dimension.* subscripts 'ijk' name 3; add '...'"),
    (("ii->i", (2, 3)), "einsum: index 'i' is repeated in operand 0 .* sizes 2 and 3"),
])
def test_einsum_shape_errors_name_the_operands(args, message):
    eq, *shapes = args
    with pytest.raises(ShapeError, match=message):
        autograd.einsum(eq, *[t64(s) for s in shapes])


@pytest.mark.parametrize("eq, message", [("ij->ik", "output subscript 'k' .* does not appear"),
                                         ("ij->ii", "output subscript 'i' .* more than once"),
                                         ("i.j->ij", "invalid subscripts 'i.j'")])
def test_einsum_equation_errors(eq, message):
    with pytest.raises(ValueError, match=message):
        autograd.einsum(eq, t64((2, 3)))


@pytest.mark.parametrize("fn, shapes, message", [
    (autograd.mm, [(2, 3, 4), (4, 5)], r"mm: expected 2-d tensors, got shapes \(2, 3, 4\) and "
                                       r"\(4, 5\); use bmm or matmul for batches"),
    (autograd.mm, [(2, 3), (4, 5)], r"mm: expected a's columns to match b's rows, got shapes"),
    (autograd.mv, [(2, 3), (2, 3)], r"mv: expected a 2-d and a 1-d tensor"),
    (autograd.mv, [(2, 3), (4,)], r"mv: expected the matrix's columns to match"),
    (autograd.bmm, [(2, 3), (3, 2)], r"bmm: expected 3-d tensors \(batch, n, m\), got shapes "
                                     r"\(2, 3\) and \(3, 2\); use mm for matrices"),
    (autograd.bmm, [(2, 2, 3), (1, 3, 2)], r"bmm: expected equal batch sizes"),
    (autograd.addbmm, [(2, 2), (3, 2, 4), (2, 4, 2)], r"addbmm: expected 3-d tensors"),
    (autograd.addmm, [(3, 3), (2, 4), (4, 3)], r"addmm: input of shape \(3, 3\) does not "
                                               r"broadcast to the product's shape \(2, 3\)"),
    (autograd.inner, [(2, 3), (2,)], r"inner: the last dimensions differ"),
    (autograd.cdist, [(3,), (2, 3)], r"cdist: expected tensors of at least 2 dimensions"),
    (autograd.cdist, [(2, 3), (2, 4)], r"cdist: x1 and x2 must have the same number of"),
])
def test_product_shape_errors_say_what_fits(fn, shapes, message):
    with pytest.raises(ShapeError, match=message):
        fn(*[t64(s) for s in shapes])


def test_tensordot_errors():
    a, b = t64((2, 3)), t64((3, 4))
    with pytest.raises(ShapeError, match=r"tensordot: axis 1 of a \(size 3\) and axis 1 of b "):
        autograd.tensordot(a, b, dims=([1], [1]))
    with pytest.raises(ShapeError, match="tensordot: dims=3 is out of range"):
        autograd.tensordot(a, b, dims=3)
    assert autograd.tensordot(a, b, axes=1).shape == (2, 4)  # numpy's keyword


def test_addmm_with_beta_zero_ignores_nan_in_input():
    out = autograd.addmm(autograd.tensor([np.nan]), autograd.ones(2, 2), autograd.ones(2, 2),
                         beta=0)
    assert out.tolist() == [[2.0, 2.0], [2.0, 2.0]]


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, np.inf])
def test_cdist_gradient_at_zero_distance_is_zero(p):
    x = t64((3, 2))
    y = autograd.tensor(x.numpy()[:1].copy(), requires_grad=True)
    gx, gy = autograd.grad(autograd.cdist(x, y, p=p)[0].sum(), [x, y], allow_unused=True)
    assert np.all(np.isfinite(gx.numpy())) and np.array_equal(gx.numpy()[0], [0.0, 0.0])


def test_mm_methods_and_einsum_agree_with_matmul():
    a, b, v = t64((2, 3)), t64((3, 4), key=1), t64((3,), key=2)
    np.testing.assert_allclose(a.mm(b).numpy(), (a @ b).numpy())
    np.testing.assert_allclose(a.mv(v).numpy(), (a @ v).numpy())
    np.testing.assert_allclose(a.inner(b.T).numpy(), (a @ b).numpy(), rtol=1e-12)
