"""numpy's functions on a Tensor (`autograd.numpy_api`): numpy's values, a Tensor result that
stays in the graph, a correct gradient; a function the table lacks raises a TypeError naming
it, never a plain ndarray that leaves the graph."""
import warnings

import numpy as np
import pytest

import autograd
from autograd import numpy_api

rng = np.random.default_rng(0)
A = rng.uniform(-1.5, 1.5, (3, 4))
V = rng.uniform(-1.5, 1.5, (4,))
SQ = rng.uniform(-1.5, 1.5, (3, 3))
IDX = np.array([[0, 3], [1, 1], [2, 0]])

# (id, fn(*arrays), inputs): the same fn runs numpy on ndarrays and our ops on Tensors
CASES = [
    ("sum", lambda a: np.sum(a, axis=1), [A]),
    ("sum-keepdims", lambda a: np.sum(a, axis=(0, 1), keepdims=True), [A]),
    ("mean", lambda a: np.mean(a, 0), [A]),
    ("prod", lambda a: np.prod(a, axis=-1), [A]),
    ("std-ddof0", lambda a: np.std(a), [A]),
    ("std-axis", lambda a: np.std(a, axis=0, keepdims=True), [A]),
    ("var-ddof1", lambda a: np.var(a, 1, ddof=1), [A]),
    ("max", lambda a: np.max(a, axis=1), [A]),
    ("amax-all", lambda a: np.amax(a), [A]),
    ("min", lambda a: np.min(a, 0), [A]),
    ("amin", lambda a: np.amin(a, axis=(0, 1)), [A]),
    ("clip", lambda a: np.clip(a, -0.5, 0.7), [A]),
    ("where", lambda a, b: np.where(A > 0, a, b), [A, V]),
    ("concatenate", lambda a, b: np.concatenate([a, b[None]], axis=0), [A, V]),
    ("concatenate-none", lambda a, b: np.concatenate([a, b], axis=None), [A, V]),
    ("stack", lambda a: np.stack([a, 2 * a], axis=-1), [A]),
    ("vstack", lambda a, b: np.vstack([a, b]), [A, V]),
    ("hstack", lambda a, b: np.hstack([b, b]), [A, V]),
    ("split-sections", lambda a: np.split(a, 2, axis=1)[1], [A]),
    ("split-points", lambda a: np.split(a, [1, 3], axis=-1)[2], [A]),
    ("array_split", lambda a: np.array_split(a, 3, axis=1)[0], [A]),
    ("reshape", lambda a: np.reshape(a, (2, -1)), [A]),
    ("ravel", lambda a: np.ravel(a), [A]),
    ("transpose", lambda a: np.transpose(a), [A]),
    ("transpose-axes", lambda a: np.transpose(a[None], (2, 0, 1)), [A]),
    ("squeeze", lambda a: np.squeeze(a[:, None], axis=1), [A]),
    ("expand_dims", lambda a: np.expand_dims(a, (0, -1)), [A]),
    ("moveaxis", lambda a: np.moveaxis(a[None], 0, -1), [A]),
    ("swapaxes", lambda a: np.swapaxes(a, 0, 1), [A]),
    ("broadcast_to", lambda a: np.broadcast_to(a, (2, 4)), [V]),
    ("take_along_axis", lambda a: np.take_along_axis(a, IDX, axis=1), [A]),
    ("norm", lambda a: np.linalg.norm(a), [A]),
    ("norm-vector-1", lambda a: np.linalg.norm(a, 1, axis=1), [A]),
    ("norm-vector-inf", lambda a: np.linalg.norm(a, np.inf, axis=0), [A]),
    ("norm-fro", lambda a: np.linalg.norm(a, "fro"), [A]),
    ("dot", lambda a, b: np.dot(a, b), [A, V]),
    ("matmul", lambda a, b: np.matmul(a, b), [A, V]),
    ("outer", lambda a, b: np.outer(a, b), [V, V]),
    ("cumsum", lambda a: np.cumsum(a, axis=1), [A]),
    ("cumsum-flat", lambda a: np.cumsum(a), [A]),
    ("flip", lambda a: np.flip(a, 0), [A]),
    ("tril", lambda a: np.tril(a, -1), [SQ]),
    ("triu", lambda a: np.triu(a, 1), [SQ]),
    ("diag", lambda a: np.diag(a), [SQ]),
    ("diag-vector", lambda a: np.diag(a, 1), [V]),
    ("pad", lambda a: np.pad(a, ((1, 0), (0, 2)), constant_values=0.5), [A]),
    ("copy", lambda a: np.copy(a) * a, [A]),
]


def _pick(out):
    return out[0] if isinstance(out, list) else out


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_numpys_function_on_a_tensor_is_numpys_value_in_the_graph(fn, inputs):
    tensors = [autograd.tensor(a, requires_grad=True) for a in inputs]
    out = fn(*tensors)
    assert isinstance(out, autograd.Tensor), type(out)
    assert out.requires_grad
    np.testing.assert_allclose(out.numpy(), fn(*inputs), rtol=1e-12, atol=1e-14)
    assert autograd.gradcheck(fn, tensors)


def test_numpys_index_and_boolean_functions_give_tensors():
    t = autograd.tensor(A, requires_grad=True)
    for fn in (lambda a: np.argmax(a, axis=1), lambda a: np.argmin(a), lambda a: np.all(a > 0),
               lambda a: np.any(a > 0, axis=0), lambda a: np.nonzero(a > 0)[1]):
        out = fn(t)
        assert isinstance(out, autograd.Tensor) and not out.requires_grad
        np.testing.assert_array_equal(out.numpy(), fn(A))


def test_np_where_with_one_argument_is_nonzero():
    rows, cols = np.where(autograd.tensor(A) > 0)
    np.testing.assert_array_equal(rows.numpy(), np.where(A > 0)[0])
    assert rows.dtype == np.int64 and isinstance(cols, autograd.Tensor)


def test_numpys_meaning_where_pytorch_spells_it_differently():
    t = autograd.tensor(A)
    assert np.std(t).item() == pytest.approx(np.std(A)) != t.std().item()
    assert len(np.split(t, 2, axis=1)) == 2 and len(t.split(2, 1)) == 2
    assert [p.shape for p in np.split(t, [1], axis=1)] == [(3, 1), (3, 3)]
    assert [p.shape for p in t.split([1, 3], 1)] == [(3, 1), (3, 3)]
    with pytest.raises(ValueError, match="array split does not result in an equal division"):
        np.split(t, 3, axis=1)
    assert np.max(t, axis=1).shape == (3,) and isinstance(t.max(1), tuple)


def test_functions_with_plain_answers_give_numpys_plain_answer():
    t = autograd.tensor(A, requires_grad=True)
    assert np.shape(t) == (3, 4) and np.ndim(t) == 2 and np.size(t) == 12
    assert np.allclose(t, A) is True and np.array_equal(t, A) is True
    assert np.isclose(t, A).all()
    assert np.result_type(t) == np.float64


def test_new_tensors_like_a_tensor():
    t = autograd.tensor(A, requires_grad=True)
    z = np.zeros_like(t)
    assert isinstance(z, autograd.Tensor) and z.shape == (3, 4) and z.dtype == np.float64
    assert np.full_like(t, 2.0).numpy().tolist() == np.full_like(A, 2.0).tolist()


@pytest.mark.parametrize("call, name", [
    (lambda t: np.fft.fft(t), "np.fft.fft"),
    (lambda t: np.sort(t), "np.sort"),
    (lambda t: np.percentile(t, 50), "np.percentile"),
    (lambda t: np.linalg.inv(t[:, :3]), "np.linalg.inv"),
    (lambda t: np.round(t, 2), "np.round"),
    (lambda t: np.unique(t), "np.unique"),
])
def test_a_function_the_table_lacks_raises_naming_it(call, name):
    t = autograd.tensor(A, requires_grad=True)
    with pytest.raises(TypeError, match=rf"{name} on a Tensor is not differentiable here.*"
                                        r"t\.numpy\(\)"):
        call(t)


def test_the_error_names_autograds_op_where_there_is_one():
    with pytest.raises(TypeError, match=r"np\.cumprod .*"):
        np.cumprod(autograd.tensor(A))
    message = numpy_api._unsupported(np.median)
    assert "np.median on a Tensor" in message


def test_numpy_keywords_we_do_not_support_are_refused_by_name():
    t = autograd.tensor(A)
    with pytest.raises(TypeError, match=r"np\.sum on a Tensor: the keyword out= is not "
                                        "supported"):
        np.sum(t, out=np.zeros(()))
    with pytest.raises(TypeError, match=r"np\.linalg\.norm on a Tensor: the matrix norm "
                                        "ord='nuc'"):
        np.linalg.norm(t, "nuc")


def test_conversions_and_testing_helpers_still_see_the_values():
    t = autograd.tensor(A, requires_grad=True)
    np.testing.assert_allclose(t, A)
    np.testing.assert_array_equal(t, A)
    np.testing.assert_array_almost_equal(t, A)
    assert type(np.asarray(t)) is np.ndarray and np.array(t).tolist() == A.tolist()
    assert np.isnan(t).numpy().sum() == 0 and np.isfinite(t).all()


def test_every_numpy_function_on_a_grad_tensor_stays_in_the_graph_or_raises():
    """The 18 (and more) numpy functions that used to return a plain ndarray silently."""
    t = autograd.tensor(A[:3, :3], requires_grad=True)
    for module in (np, np.linalg, np.fft):
        for name in dir(module):
            fn = getattr(module, name)
            if not hasattr(fn, "_implementation"):  # not one numpy dispatches to __array_function__
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    out = fn(t)
            except Exception:  # noqa: BLE001  (a TypeError from us, or a missing argument)
                continue
            leaves = out if isinstance(out, (tuple, list)) else [out]
            assert not any(isinstance(o, np.ndarray) and o.dtype.kind == "f" for o in leaves), (
                f"np.{name} on a Tensor returned a plain float ndarray")
