"""Oracle rows for the indexing, sorting and scan ops (autograd/indexing.py, sorting.py):
values, index dtypes (int64) and gradients against PyTorch. Ties are avoided where PyTorch
leaves the choice among them unspecified (sort without stable=True, topk, kthvalue); where
it is deterministic (stable sort, median, cummax, mode) rows have them on purpose."""
import numpy as np

from oracle import Row


def i64(*values):
    return np.array(values, dtype=np.int64)


TIES = np.array([[2.0, 1.0, 2.0, 0.5], [0.5, 0.5, 3.0, 0.5], [1.0, 2.0, 3.0, 4.0]])
ZEROS = np.array([[2.0, 0.0, 3.0, 0.0, 4.0], [1.5, -2.0, 0.0, 0.5, 3.0]])
NAN = np.array([[1.0, np.nan, 3.0, 0.5], [2.0, 1.0, 0.0, -1.0]])

_REDUCES = ("sum", "prod", "mean", "amax", "amin")

ROWS = [
    # ---------------------------------------------------------------- scatter family
    Row("scatter", lambda m, x, s: x.scatter(1, m.tensor(np.array([[0, 2], [1, 0]])), s),
        [(2, 3), (2, 2)], id="src"),
    # (torch's own backward fails for a src larger than the index: values only)
    Row("scatter", lambda m, x, s: x.scatter(1, m.tensor(np.array([[0, 2], [1, 1]])), s),
        [(2, 3), (2, 3)], id="repeats-bigger-src", grad=False),
    Row("scatter", lambda m, x: x.scatter(0, m.tensor(i64(2, 0)), 1.5), [(4,)], id="value"),
    Row("scatter", lambda m, x: m.scatter(x, -1, m.tensor(np.array([[1], [0]])), value=-2.0),
        [(2, 3)], id="value-keyword"),
    Row("scatter_add", lambda m, x, s: x.scatter_add(0, m.tensor(np.array([[0, 1, 0],
                                                                            [0, 0, 2]])), s),
        [(3, 3), (2, 3)], id="repeats"),
    Row("scatter_add", lambda m, x, s: m.scatter_add(x, -1, m.tensor(np.array([[1, 1]])), s),
        [(2, 3), (1, 2)], id="partial-index"),
    Row("scatter", lambda m, x, s: x.scatter(0, m.tensor(np.int64(0)), s), [(), ()], id="0d"),
    Row("scatter_add", lambda m, x, s: x.scatter_add(-1, m.tensor(np.int64(0)), s), [(), ()],
        id="0d"),
    Row("scatter_reduce", lambda m, x, s: x.scatter_reduce(0, m.tensor(np.int64(0)), s, "amax",
                                                           include_self=False), [(), ()],
        id="0d"),
] + [
    Row("scatter_reduce",
        lambda m, x, s, r=reduce, inc=include: x.scatter_reduce(0, m.tensor(i64(0, 0, 2, 0)),
                                                               s, r, include_self=inc),
        # without self, x[0] is no tie: PyTorch still counts it in amin's share (its
        # gradient then sums to 2/3 of the incoming one; ours to all of it)
        [np.array([2.0 if include else -1.0, 0.0, 1.0, 5.0]), np.array([2.0, 2.0, 0.0, 3.0])],
        id=f"{reduce}-{'self' if include else 'noself'}-ties-zeros")
    for reduce in _REDUCES for include in (True, False)
] + [
    Row("scatter_reduce", lambda m, x, s: x.scatter_reduce(1, m.tensor(np.array(
        [[0, 0, 1], [2, 2, 2]])), s, "prod"), [(2, 3), (2, 3)], id="prod-2d"),
    Row("scatter_reduce", lambda m, x, s: x.scatter_reduce(1, m.tensor(np.array(
        [[0, 0, 1], [2, 2, 2]])), s, "mean", include_self=False), [(2, 3), (2, 3)],
        id="mean-2d"),
] + [
    Row("scatter_reduce", lambda m, x, s, r=reduce: x.scatter_reduce(1, m.tensor(np.array(
        [[0, 0], [1, 0]])), s, r), [np.array([[1, 2], [3, 4]], dtype=dtype),
                                    np.array([[2, 3], [5, -1]], dtype=dtype)],
        id=f"{reduce}-{np.dtype(dtype).name}")
    for reduce in _REDUCES for dtype in (np.int32, np.int64)
] + [
    # ---------------------------------------------------------------- index family
    Row("index_select", lambda m, x: x.index_select(1, m.tensor(i64(2, 0, 2))), [(2, 3)],
        id="repeats"),
    Row("index_select", lambda m, x: m.index_select(x, -2, m.tensor(np.int64(1))), [(2, 3)],
        id="0d-index"),
    Row("index_select", lambda m, x: x.index_select(0, m.tensor(i64())), [(2, 3)],
        id="empty-index"),
    Row("index_add", lambda m, x, s: x.index_add(0, m.tensor(i64(1, 1, 0)), s, alpha=2.0),
        [(2, 3), (3, 3)], id="repeats-alpha"),
    Row("index_add", lambda m, x, s: m.index_add(x, -1, m.tensor(i64(2)), s), [(2, 3), (2, 1)],
        id="negative-dim"),
    Row("index_copy", lambda m, x, s: x.index_copy(1, m.tensor(i64(2, 0)), s),
        [(2, 3), (2, 2)]),
    Row("index_fill", lambda m, x: x.index_fill(1, m.tensor(i64(0, 2)), -1.0), [(2, 3)]),
    Row("index_fill", lambda m, x: x.index_fill(0, m.tensor(i64(-1, 3, 0)), 2.5), [(4,)],
        id="negative-repeats"),  # (torch refuses a negative index with a tensor value)
    Row("index_fill", lambda m, x, v: x.index_fill(0, m.tensor(i64(1, 1, 3)), v), [(4,), ()],
        id="tensor-value-repeats"),
    Row("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor(np.array([[0, 2], [1, 1]])),
                                                        1), [(2, 3)], id="repeats"),
    Row("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor(np.array([[0], [2], [1]])),
                                                        -1), [(1, 3)], id="broadcast"),
    Row("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor(np.array([[5, 0, 5]]))),
        [(2, 3)], id="flat"),
    Row("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor(np.array([[-1, 0]])), 1),
        [(2, 3)], id="negative"),
    Row("take", lambda m, x: x.take(m.tensor(np.array([[0, -1], [3, 3]]))), [(2, 3)]),
    Row("masked_select", lambda m, x: x.masked_select(m.tensor(np.array([True, False, True]))),
        [(2, 3)], id="broadcast"),
    Row("masked_select", lambda m, x: m.masked_select(x, x > 0), [()], id="0d"),
    Row("masked_scatter", lambda m, x, s: x.masked_scatter(m.tensor(np.array(
        [[True, False, True], [False, True, False]])), s), [(2, 3), (2, 2)]),
    Row("masked_fill_", lambda m, x: (x * 1).masked_fill_(x > 0, 0.5), [(2, 3)]),
    Row("scatter_", lambda m, x, s: (x * 1).scatter_(1, m.tensor(np.array([[2], [0]])), s),
        [(2, 3), (2, 1)]),
    Row("scatter_add_", lambda m, x, s: (x * 1).scatter_add_(0, m.tensor(i64(1, 1)), s),
        [(3,), (2,)]),
    Row("scatter_reduce_", lambda m, x, s: (x * 1).scatter_reduce_(0, m.tensor(i64(1, 1)), s,
                                                                   "amax"), [(3,), (2,)]),
    Row("index_add_", lambda m, x, s: (x * 1).index_add_(0, m.tensor(i64(0, 0)), s),
        [(3, 2), (2, 2)]),
    Row("index_copy_", lambda m, x, s: (x * 1).index_copy_(0, m.tensor(i64(2)), s),
        [(3, 2), (1, 2)]),
    Row("index_fill_", lambda m, x: (x * 1).index_fill_(1, m.tensor(i64(1)), 2.0), [(3, 2)]),
    Row("masked_scatter_", lambda m, x, s: (x * 1).masked_scatter_(x > 0, s), [(2, 3), (6,)]),
    # ---------------------------------------------------------------- integer results
    Row("nonzero", lambda m, x: m.nonzero(x), [np.array([[0.0, 1.0], [2.0, 0.0]])]),
    Row("nonzero", lambda m, x: x.nonzero(as_tuple=True), [np.array([[0, 3], [4, 0]])],
        id="as_tuple"),
    Row("nonzero", lambda m, x: m.nonzero(x), [np.array(2.0)], id="0d"),
    Row("nonzero", lambda m, x: m.nonzero(x, as_tuple=True), [np.array(2.0)], id="0d-tuple"),
    Row("argwhere", lambda m, x: m.argwhere(x), [np.array([[0, 3], [4, 0]])]),
    Row("bincount", lambda m, x: m.bincount(x, minlength=5), [i64(0, 2, 2)]),
    Row("bincount", lambda m, x, w: m.bincount(x, w), [i64(0, 2, 2), (3,)], id="weights",
        grad=False),
    Row("unique", lambda m, x: m.unique(x, return_inverse=True, return_counts=True),
        [np.array([[3, 1], [3, 0]])]),
    Row("unique", lambda m, x: m.unique(x, dim=0, return_inverse=True),
        [np.array([[1, 2], [1, 2], [0, 1]])], id="dim"),
    Row("unique_consecutive", lambda m, x: m.unique_consecutive(
        x, return_inverse=True, return_counts=True), [i64(1, 1, 2, 1)]),
    Row("unique_consecutive", lambda m, x: m.unique_consecutive(x, dim=1),
        [np.array([[1, 1, 2], [3, 3, 3]])], id="dim"),
    Row("tril_indices", lambda m: m.tril_indices(3, 4, 1)),
    Row("triu_indices", lambda m: m.triu_indices(4, 3, -1)),
    Row("triu_indices", lambda m: m.triu_indices(2, 2, dtype=m.int32), id="int32"),
    Row("searchsorted", lambda m, s, v: m.searchsorted(s, v), [i64(1, 3, 5), i64(3, 6, 0)]),
    Row("searchsorted", lambda m, s, v: m.searchsorted(s, v, right=True),
        [np.array([[1, 3, 5], [2, 4, 6]]), np.array([[3], [4]])], id="rows-right"),
    Row("bucketize", lambda m, x, b: m.bucketize(x, b), [np.array([[3, 6], [0, 5]]),
                                                          i64(1, 3, 5)]),
    Row("bucketize", lambda m, x, b: m.bucketize(x, b, right=True), [i64(3, 6), i64(1, 3, 5)],
        id="right"),
    # ---------------------------------------------------------------- diagonals and shapes
    Row("diagonal", lambda m, x: x.diagonal(), [(3, 4)]),
    Row("diagonal", lambda m, x: m.diagonal(x, 1, 0, 2), [(2, 3, 4)], id="offset-dims"),
    Row("diagonal", lambda m, x: x.diagonal(-1, -1, -3), [(3, 2, 4)], id="negative"),
    Row("diagonal", lambda m, x: x.diagonal(5), [(2, 3)], id="outside"),
    Row("diag_embed", lambda m, x: m.diag_embed(x), [(2, 3)]),
    Row("diag_embed", lambda m, x: m.diag_embed(x, 1, 0, 2), [(2, 3)], id="offset-dims"),
    Row("diag_embed", lambda m, x: m.diag_embed(x, -2), [(3,)], id="below"),
    Row("trace", lambda m, x: x.trace(), [(2, 3)]),
    Row("trace", lambda m, x: m.trace(x), [np.array([[1, 2], [3, 4]], dtype=np.int32)],
        id="int"),
    Row("unfold", lambda m, x: x.unfold(1, 2, 1), [(2, 4)], id="overlapping"),
    Row("unfold", lambda m, x: x.unfold(-1, 2, 3), [(3, 6)], id="gaps"),
    Row("unfold", lambda m, x: x.unfold(0, 2, 1), [(4, 2, 3)], id="first-dim"),
    Row("unfold", lambda m, x: x.unfold(0, 1, 1), [()], id="0d"),
    Row("unfold", lambda m, x: x.unfold(1, 0, 2), [(2, 3)], id="size-0"),
    Row("unflatten", lambda m, x: x.unflatten(1, (3, -1)), [(2, 6)]),
    Row("unflatten", lambda m, x: m.unflatten(x, -1, (1, 2)), [(2, 2)], id="negative"),
    Row("repeat_interleave", lambda m, x: x.repeat_interleave(2), [(2, 3)], id="flat"),
    Row("repeat_interleave", lambda m, x: x.repeat_interleave(m.tensor(i64(1, 0, 3)), dim=1),
        [(2, 3)], id="tensor-repeats"),
    Row("repeat_interleave", lambda m, x: x.repeat_interleave(3, dim=-2), [(2, 1)],
        id="negative-dim"),
    Row("repeat_interleave", lambda m, x: x.repeat_interleave(2), [()], id="0d"),
    Row("repeat_interleave", lambda m, x: m.repeat_interleave(x), [i64(2, 0, 1)],
        id="counts-only"),
    Row("roll", lambda m, x: x.roll(2), [(2, 3)], id="flat"),
    Row("roll", lambda m, x: x.roll((1, -1), (0, -1)), [(2, 3)], id="dims"),
    Row("roll", lambda m, x: m.roll(x, 4, 1), [(2, 3)], id="wrap"),
    Row("meshgrid", lambda m, x, y: m.meshgrid(x, y, indexing="ij"), [(2,), (3,)]),
    Row("meshgrid", lambda m, x, y, z: m.meshgrid([x, y, z], indexing="xy"), [(2,), (3,), ()],
        id="xy-list-0d"),
    # ---------------------------------------------------------------- sorting
    Row("sort", lambda m, x: x.sort(), [(3, 4)]),
    Row("sort", lambda m, x: x.sort(0, descending=True), [(3, 4)], id="descending"),
    Row("sort", lambda m, x: m.sort(x, dim=1, stable=True), [TIES], id="stable-ties"),
    Row("sort", lambda m, x: m.sort(x, dim=-1, descending=True, stable=True), [TIES],
        id="stable-descending-ties"),
    Row("sort", lambda m, x: x.sort(), [()], id="0d"),
    Row("sort", lambda m, x: x.sort(1), [(0, 2)], id="empty"),
    Row("sort", lambda m, x: x.sort(stable=True, descending=True), [NAN], id="nan"),
    Row("argsort", lambda m, x: x.argsort(dim=0, descending=True), [(3, 2)]),
    Row("argsort", lambda m, x: m.argsort(x, stable=True), [TIES], id="stable-ties"),
    Row("msort", lambda m, x: m.msort(x), [(3, 2)]),
    Row("topk", lambda m, x: x.topk(2), [(3, 4)]),
    Row("topk", lambda m, x: x.topk(3, dim=0, largest=False), [(3, 2)], id="smallest"),
    Row("topk", lambda m, x: x.topk(0), [(2, 3)], id="k0"),
    Row("topk", lambda m, x: x.topk(1), [()], id="0d"),
    Row("topk", lambda m, x: x.topk(2), [NAN], id="nan"),
    Row("kthvalue", lambda m, x: x.kthvalue(2), [(3, 4)]),  # PyTorch's index among ties varies
    Row("kthvalue", lambda m, x: x.kthvalue(1, 0, keepdim=True), [(3, 2)], id="keepdim"),
    Row("kthvalue", lambda m, x: x.kthvalue(1), [()], id="0d"),
    Row("median", lambda m, x: x.median(), [TIES], id="all-ties"),
    Row("median", lambda m, x: x.median(), [(2, 3)], id="all"),
    Row("median", lambda m, x: x.median(1), [TIES], id="dim-ties"),
    Row("median", lambda m, x: x.median(0, keepdim=True), [(4, 3)], id="keepdim"),
    Row("median", lambda m, x: x.median(1), [NAN], id="nan"),
    Row("median", lambda m, x: x.median(), [NAN], id="all-nan"),
    Row("median", lambda m, x: x.median(), [()], id="0d"),
    Row("median", lambda m, x: x.median(1), [np.array([[3, 1, 2], [0, 5, 5]])], id="int"),
    Row("nanmedian", lambda m, x: x.nanmedian(), [NAN]),
    Row("nanmedian", lambda m, x: x.nanmedian(0), [np.array([[3, 1, 2], [0, 5, 5]])],
        id="int"),
    Row("nanmedian", lambda m, x: x.nanmedian(1), [NAN], id="dim"),
    Row("nanmedian", lambda m, x: x.nanmedian(1),
        [np.array([[np.nan, np.nan], [1.0, 2.0]])], id="all-nan-row"),
    Row("mode", lambda m, x: x.mode().indices, [TIES], id="indices"),
    Row("mode", lambda m, x: x.mode(0, keepdim=True), [np.array([[1.0, 2.0], [1.0, 3.0],
                                                                 [2.0, 3.0]])], id="dim0"),
    Row("cummax", lambda m, x: x.cummax(1), [TIES], id="ties"),
    Row("cummax", lambda m, x: x.cummax(0), [(3, 2)], id="dim0"),
    Row("cummax", lambda m, x: x.cummax(-1), [NAN], id="nan"),
    Row("cummax", lambda m, x: x.cummax(0), [()], id="0d"),
    Row("cummin", lambda m, x: x.cummin(1), [TIES], id="ties"),
    Row("cummin", lambda m, x: x.cummin(-2), [(3, 2)], id="negative"),
    Row("cumprod", lambda m, x: x.cumprod(1), [(2, 4)]),
    Row("cumprod", lambda m, x: x.cumprod(-1), [ZEROS], id="zeros"),
    Row("cumprod", lambda m, x: m.cumprod(x, 0), [()], id="0d"),
    Row("cumprod", lambda m, x: m.cumprod(x, 0), [np.array([1, 2, 3], dtype=np.int32)],
        id="int32"),
    Row("logcumsumexp", lambda m, x: x.logcumsumexp(1), [(2, 4)]),
    Row("logcumsumexp", lambda m, x: x.logcumsumexp(0), [np.array([1000.0, 1000.0, -1000.0])],
        id="large"),
    Row("logcumsumexp", lambda m, x: x.logcumsumexp(0), [()], id="0d"),
]
