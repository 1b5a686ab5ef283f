"""The indexing, sorting and scan ops (autograd/indexing.py, sorting.py): what the op table and
the oracle rows cannot show — the pair type, index dtypes, gradients at repeated indices,
ties and zeros worked out by hand, index tensors changed after the call, and every refusal
with its message."""
import numpy as np
import pytest

import autograd
from autograd import DtypeError, IndexingError, InplaceError, ShapeError
from autograd.returns import ValuesIndices


def t64(values, requires_grad=True):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def idx(*values):
    return autograd.tensor(np.array(values, dtype=np.int64))


def grad(out, x, seed=None):
    seed = np.arange(1.0, out.size + 1).reshape(out.shape) if seed is None else seed
    (g,) = autograd.grad(out, x, autograd.tensor(seed))
    return g.tolist()


# ------------------------------------------------------------------ the pair type
@pytest.mark.parametrize("call", [
    lambda x: x.sort(), lambda x: x.topk(1), lambda x: x.kthvalue(1), lambda x: x.median(0),
    lambda x: x.nanmedian(0), lambda x: x.mode(), lambda x: x.cummax(0), lambda x: x.cummin(0),
    lambda x: x.max(dim=0), lambda x: x.min(dim=0),
], ids=["sort", "topk", "kthvalue", "median", "nanmedian", "mode", "cummax", "cummin", "max",
        "min"])
def test_every_selection_returns_one_pair_type_with_int64_indices(call):
    out = call(t64([3.0, 1.0, 2.0]))
    assert type(out) is ValuesIndices and type(out) is autograd.ops.MaxMin
    values, indices = out
    assert values is out.values and indices is out.indices
    assert indices.dtype == np.int64 and not indices.requires_grad


def test_sort_of_0d_and_empty_tensors_as_pytorch():
    values, indices = t64(3.0).sort()
    assert values.shape == indices.shape == () and indices.item() == 0
    values, indices = autograd.zeros(0, 2).sort(1)
    assert values.shape == indices.shape == (0, 2) and indices.dtype == np.int64


def test_stable_sort_keeps_ties_in_order_both_ways():
    x = t64([1.0, 0.0, 1.0, 1.0, 0.0])
    assert x.argsort(stable=True).tolist() == [1, 4, 0, 2, 3]
    assert x.argsort(descending=True, stable=True).tolist() == [0, 2, 3, 1, 4]
    assert t64([1.0, np.nan, 0.0]).sort(descending=True).indices.tolist() == [1, 0, 2]


# ------------------------------------------------------------------ gradients by hand
def test_repeated_indices_accumulate_their_gradients():
    x = t64([1.0, 2.0, 3.0])
    assert grad(x.index_select(0, idx(2, 0, 2)), x) == [2.0, 0.0, 4.0]
    assert grad(x.take(idx(1, -2, 1)), x) == [0.0, 6.0, 0.0]
    assert grad(x.take_along_dim(idx(0, 0), 0), x) == [3.0, 0.0, 0.0]
    assert grad(x.repeat_interleave(2), x) == [3.0, 7.0, 11.0]
    src = t64([1.0, 1.0, 1.0])
    out = autograd.zeros(2, dtype="float64").scatter_add(0, idx(1, 1, 0), src)
    assert out.tolist() == [1.0, 2.0] and grad(out, src) == [2.0, 2.0, 1.0]
    out = autograd.zeros(2, dtype="float64").index_add(0, idx(1, 1, 0), src, alpha=3.0)
    assert out.tolist() == [3.0, 6.0] and grad(out, src) == [6.0, 6.0, 3.0]


def test_overlapping_windows_of_unfold_sum_their_gradients():
    x = t64([1.0, 2.0, 3.0, 4.0])
    windows = x.unfold(0, 3, 1)  # [[1, 2, 3], [2, 3, 4]]
    assert grad(windows, x, np.ones((2, 3))) == [1.0, 2.0, 2.0, 1.0]


def test_median_shares_ties_without_dim_and_picks_one_entry_with_it():
    x = t64([2.0, 1.0, 2.0, 3.0])
    assert grad(x.median(), x, np.array(1.0)) == [0.5, 0.0, 0.5, 0.0]
    assert grad(x.median(0).values, x, np.array(1.0)) == [1.0, 0.0, 0.0, 0.0]
    assert grad(x.kthvalue(3).values, x, np.array(1.0)) == [0.0, 0.0, 1.0, 0.0]


def test_cummax_gradient_goes_to_the_running_argmax():
    x = t64([1.0, 3.0, 3.0, 2.0])
    out = x.cummax(0)
    assert out.indices.tolist() == [0, 1, 2, 2]
    assert grad(out.values, x) == [1.0, 2.0, 7.0, 0.0]


def test_cumprod_gradient_is_exact_at_zeros():
    # the numbers PyTorch 2.13 gives for the seed [1, 2, 3, 4, 5]
    x = t64([2.0, 0.0, 3.0, 0.0, 4.0])
    assert grad(x.cumprod(0), x) == [1.0, 22.0, 0.0, 0.0, 0.0]
    x = t64([2.0, 0.0, 3.0, 5.0, 4.0])
    assert grad(x.cumprod(0), x) == [1.0, 742.0, 0.0, 0.0, 0.0]
    h = autograd.hessian(lambda a: a.cumprod(0)[-1], t64([2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(h.numpy(), [[0, 3, 0], [3, 0, 2], [0, 2, 0]])


def test_cumprod_third_derivative_is_exact_with_every_entry_zero():
    # sum(cumprod(x)) = x0 + x0 x1 + x0 x1 x2: d3/dx0 dx1 dx2 = 1, d2/dx0 dx1 = 1 + x2 = 1
    x = t64([0.0, 0.0, 0.0])
    (g,) = autograd.grad(x.cumprod(0).sum(), x, create_graph=True)
    (h,) = autograd.grad(g[0], x, create_graph=True)
    assert h.tolist() == [0.0, 1.0, 0.0]
    (t,) = autograd.grad(h[1], x)
    assert t.tolist() == [0.0, 0.0, 1.0]


def test_logcumsumexp_is_stable_and_its_gradient_finite_at_minus_inf():
    x = t64([1000.0, 1000.0, -1000.0])
    out = x.logcumsumexp(0)
    np.testing.assert_allclose(out.numpy(), [1000.0, 1000.0 + np.log(2), 1000.0 + np.log(2)])
    np.testing.assert_allclose(grad(out, x, np.ones(3)), [2.0, 1.0, 0.0], atol=1e-12)
    x = t64([-np.inf, -np.inf, 0.0])
    # PyTorch gives NaN for the -inf entries
    np.testing.assert_allclose(grad(x.logcumsumexp(0), x), [0.0, 0.0, 3.0], rtol=1e-12)


def test_scatter_reduce_ties_share_and_the_shares_add_up_to_the_gradient():
    x = t64([-1.0, 0.0])
    src = t64([2.0, 2.0, 5.0])
    out = x.scatter_reduce(0, idx(0, 0, 1), src, "amin", include_self=False)
    assert out.tolist() == [2.0, 5.0]
    # PyTorch gives [1/3, 1/3, 1] here: it counts the excluded x[0] among the ties
    gx, gsrc = autograd.grad(out, [x, src], autograd.tensor([1.0, 1.0]))
    assert gsrc.tolist() == [0.5, 0.5, 1.0] and gx.tolist() == [0.0, 0.0]


def test_index_fill_value_tensor_gets_each_filled_entry_once():
    x, v = t64([1.0, 2.0, 3.0, 4.0]), t64(5.0)
    out = x.index_fill(0, idx(1, 1, 3), v)
    assert out.tolist() == [1.0, 5.0, 3.0, 5.0] and grad(out, v) == 6.0


def test_an_index_changed_in_place_after_the_call_does_not_change_the_gradient():
    x = t64([1.0, 2.0, 3.0])
    index = idx(0, 0, 2)
    out = x.index_select(0, index)
    with autograd.no_grad():
        index[0] = 1
    assert grad(out, x, np.ones(3)) == [2.0, 0.0, 1.0]


def test_diagonal_and_unfold_are_read_only_views_of_their_input():
    x = autograd.zeros(2, 3)
    diag, windows = x.diagonal(), x.unfold(1, 2, 1)
    x.add_(1.0)
    assert diag.tolist() == [1.0, 1.0] and windows.tolist()[0] == [[1.0, 1.0], [1.0, 1.0]]
    with pytest.raises(InplaceError, match="the tensor's memory is read-only"):
        diag.fill_(0.0)


# ------------------------------------------------------------------ in place
def test_in_place_forms_change_the_tensor_and_refuse_a_leaf_that_requires_grad():
    x = autograd.zeros(3)
    assert x.index_fill_(0, idx(1), 2.0) is x and x.tolist() == [0.0, 2.0, 0.0]
    x.masked_fill_(x > 1, -1.0)
    assert x.tolist() == [0.0, -1.0, 0.0]
    leaf = t64([1.0, 2.0])
    with pytest.raises(InplaceError, match="scatter_add_: a leaf tensor that requires grad"):
        leaf.scatter_add_(0, idx(0), t64([1.0]))


def test_meshgrid_warns_without_indexing_and_defaults_to_ij():
    with pytest.warns(UserWarning, match="meshgrid: pass indexing="):
        xs, ys = autograd.meshgrid(t64([1.0, 2.0]), t64([3.0, 4.0, 5.0]))
    assert xs.shape == (2, 3)


# ------------------------------------------------------------------ refusals
X = t64([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
ERRORS = [
    (lambda: X.index_select(1, idx(3)), IndexingError,
     r"index_select: index 3 is out of range for dim 1 of size 3 \(tensor shape \(2, 3\); "
     r"valid: 0 to 2\)"),
    (lambda: X.index_select(1, idx(-1)), IndexingError, r"index_select: index -1 .*valid: 0"),
    (lambda: X.index_select(1, autograd.tensor([1.0])), DtypeError,
     "index_select: the index must hold integers .* got dtype float32"),
    (lambda: X.index_select(0, autograd.tensor([[0]])), IndexingError,
     r"index_select: the index must be 1-D \(a vector\), got shape \(1, 1\)"),
    (lambda: X.scatter(1, idx(0, 1), 1.0), IndexingError,
     r"scatter: the index must have as many dimensions as the tensor \(shape \(2, 3\)\), got "
     r"index shape \(2,\)"),
    (lambda: X.scatter(1, autograd.tensor([[3]]), 1.0), IndexingError,
     r"scatter: index 3 is out of range for dim 1 of size 3"),
    (lambda: X.scatter(1, autograd.tensor([[0, 1]]), t64([[1.0]])), IndexingError,
     r"scatter: index shape \(1, 2\) must be no larger than .* src's \(1, 1\)"),
    (lambda: X.scatter_add(0, autograd.tensor([[0], [1], [0]]), X), IndexingError,
     r"scatter_add: index shape \(3, 1\) must be no larger than the tensor's \(2, 3\)"),
    (lambda: X.scatter_reduce(0, autograd.tensor([[0]]), X, "max"), ValueError,
     "scatter_reduce: reduce must be one of"),
    (lambda: X.gather(1, autograd.tensor([[0]])) and X.take(idx(6)), IndexingError,
     r"take: index 6 is out of range for dim 0 of size 6 \(tensor shape \(6,\); valid: -6 to "
     r"5\)"),
    (lambda: X.take_along_dim(idx(0), 1), IndexingError,
     "take_along_dim: indices must have as many dimensions"),
    (lambda: X.index_add(0, idx(0), t64([[1.0, 2.0]])), ShapeError,
     r"index_add: source has shape \(1, 2\); .* it must have shape \(1, 3\)"),
    (lambda: X.index_fill(0, idx(0), t64([1.0, 2.0])), ShapeError,
     "index_fill: value must be a number or a 0-d tensor"),
    (lambda: X.masked_select(autograd.tensor([1, 0, 1])), DtypeError,
     "masked_select: the mask must be a boolean tensor, got dtype int64"),
    (lambda: X.masked_select(autograd.tensor([True, False])), ShapeError,
     r"masked_select: the mask's shape \(2,\) does not broadcast"),
    (lambda: X.masked_scatter(X > 0, t64([1.0])), ShapeError,
     r"masked_scatter: the mask has 6 true entries but source \(shape \(1,\)\) has only 1"),
    (lambda: X.sort(2), IndexingError,
     r"sort: dim 2 is out of range for a tensor with 2 dimensions \(valid: -2 to 1\)"),
    (lambda: t64(1.0).sort(1), IndexingError, r"sort: dim 1 .*\(valid: -1 to 0\)"),
    (lambda: X.topk(4), IndexingError,
     r"topk: k = 4 is out of range for dim -1 of size 3 \(shape \(2, 3\); valid: 0 to 3\)"),
    (lambda: X.kthvalue(0), IndexingError, r"kthvalue: k = 0 .*valid: 1 to 3"),
    (lambda: autograd.zeros(2, 0).median(1), IndexingError, "median: dim 1 has size 0"),
    (lambda: autograd.tensor([1, 2]).logcumsumexp(0), DtypeError,
     "logcumsumexp: expects a floating-point tensor, got int64"),
    (lambda: X.diagonal(0, 1, -1), IndexingError, "diagonal: dim1 and dim2 are both 1"),
    (lambda: t64([1.0]).diagonal(), ShapeError, "diagonal: expects at least 2 dimensions"),
    (lambda: autograd.diag_embed(t64(1.0)), ShapeError, "diag_embed: expects at least 1"),
    (lambda: t64([1.0, 2.0]).trace(), ShapeError, r"trace: expects a matrix \(2-D\)"),
    (lambda: X.unfold(1, 4, 1), ShapeError, r"unfold: size 4 is larger than dimension 1 "
                                            r"\(size 3\)"),
    (lambda: X.unfold(1, 2, 0), ShapeError, "unfold: step must be > 0, got 0"),
    (lambda: X.unflatten(1, (2, 2)), ShapeError,
     r"unflatten: sizes \[2, 2\] do not multiply up to the size of dim 1 \(3\)"),
    (lambda: X.repeat_interleave(idx(1, 2), dim=1), ShapeError,
     "repeat_interleave: repeats must be one count or one per entry"),
    (lambda: X.roll((1, 1), 0), ShapeError, "roll: shifts .* and dims .* same length"),
    (lambda: X.roll((1, 1)), ShapeError, "roll: without dims, shifts must be one number"),
    (lambda: autograd.meshgrid(X, indexing="ij"), ShapeError,
     "meshgrid: expects 0-d or 1-D tensors, got shape"),
    (lambda: autograd.meshgrid(t64([1.0]), indexing="yx"), ValueError,
     "meshgrid: indexing must be 'ij' or 'xy'"),
    (lambda: autograd.tensor([-1]).bincount(), ShapeError,
     "bincount: expects a 1-D tensor of non-negative integers"),
    (lambda: autograd.bucketize(idx(1), idx(1, 2)[None]), ShapeError,
     r"bucketize: boundaries must be 1-D, got shape \(1, 2\)"),
]


@pytest.mark.parametrize("call, error, message", ERRORS,
                         ids=[m.split(":")[0] + f"-{i}" for i, (_, _, m) in enumerate(ERRORS)])
def test_bad_input_is_refused_naming_the_op(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_docs_page_examples_run():
    import doctest
    import pathlib

    page = pathlib.Path(__file__).parents[2] / "docs" / "ops-indexing.md"
    result = doctest.testfile(str(page), module_relative=False, globs={"autograd": autograd},
                              optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 30
