"""Oracle rows for the spellings whose meaning moved to PyTorch's (branch sem): var/std and
their means, max/min pairs, amax/amin, split, squeeze, dtype= and list dims, 0-d dims, equal,
where with numbers, sign, pow at 0 and ±inf, expand_as and the factories."""
import dataclasses

import numpy as np

from oracle import Row

X = (3, 4)
ROWS = [
    # var / std: correction=1 by default, unbiased=, correction=, correction >= n
    Row("var", lambda m, x: x.var(), [X], id="default"),
    Row("var", lambda m, x: x.var(1, keepdim=True), [X], id="dim-keepdim"),
    Row("var", lambda m, x: m.var(x, 0, False), [X], id="unbiased-false"),
    Row("var", lambda m, x: x.var(dim=[0, 1], correction=2), [X], id="list-correction"),
    Row("var", lambda m, x: x.var(correction=0), [()], id="0d"),
    Row("var", lambda m, x: x.var(0), [(0, 2)], id="empty", grad=False),
    Row("std", lambda m, x: x.std(), [X], id="default"),
    Row("std", lambda m, x: x.std(-1, unbiased=True), [(2, 3, 4)], id="neg-dim"),
    Row("std", lambda m, x: m.std(x, dim=(0, 2), correction=0, keepdim=True), [(2, 3, 4)],
        id="tuple-biased"),
    Row("std", lambda m, x: x.std(0), [(1, 3)], id="correction-ge-n", grad=False),
    Row("var_mean", lambda m, x: m.var_mean(x, 1), [X]),
    Row("var_mean", lambda m, x: m.var_mean(x, dim=0, keepdim=True, correction=0), [X],
        id="keepdim"),
    Row("std_mean", lambda m, x: m.std_mean(x), [X]),
    Row("std_mean", lambda m, x: m.std_mean(x, [0, 1], unbiased=False), [(2, 3, 2)],
        id="list-dims"),
    # max / min: values, or (values, indices) along a dim; amax / amin: values
    Row("max", lambda m, x: x.max(), [X], id="all"),
    Row("max", lambda m, x: x.max(1), [X], id="dim"),
    Row("max", lambda m, x: m.max(x, -1, keepdim=True), [(2, 3, 4)], id="keepdim"),
    Row("max", lambda m, x: x.max(0), [()], id="0d"),
    Row("max", lambda m, x, y: m.max(x, y), [(3, 1), (4,)], id="pairwise"),
    Row("min", lambda m, x: x.min(dim=0), [X], id="dim"),
    Row("min", lambda m, x: x.min(), [X], id="all"),
    Row("amax", lambda m, x: x.amax(1), [X]),
    Row("amax", lambda m, x: m.amax(x, (0, 2), keepdim=True), [(2, 3, 4)], id="tuple"),
    Row("amax", lambda m, x: x.amax(), [X], id="all"),
    Row("amax", lambda m, x: x.amax(1), [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])],
        id="ties"),
    Row("amin", lambda m, x: x.amin([0, -1]), [(2, 3, 4)]),
    Row("amin", lambda m, x: x.amin(0), [()], id="0d"),
    # split: a piece size or a list of sizes; chunk
    Row("split", lambda m, x: x.split(2, 1), [(2, 5)], id="size"),
    Row("split", lambda m, x: m.split(x, [1, 3], dim=1), [X], id="sizes"),
    Row("split", lambda m, x: x.split(1), [X], id="default-dim"),
    Row("split", lambda m, x: x.split(5, -1), [(2, 3)], id="size-longer"),
    Row("chunk", lambda m, x: x.chunk(3, 1), [(2, 5)]),
    # squeeze(dim): ints, tuples, lists, a longer axis left alone, 0-d
    Row("squeeze", lambda m, x: x.squeeze(0), [(2, 3)], id="longer-axis"),
    Row("squeeze", lambda m, x: x.squeeze((0, 2)), [(1, 3, 1)], id="tuple"),
    Row("squeeze", lambda m, x: x.squeeze(-1), [()], id="0d"),
    Row("squeeze", lambda m, x: x.squeeze(), [(1, 3, 1)], id="all"),
    # dtype= and list dims
    Row("sum", lambda m, x: x.sum([0, -1]), [(2, 3, 4)], id="list-dims"),
    Row("sum", lambda m, x: x.sum(dtype=m.float32), [X], id="dtype", rtol=1e-5,
        grad=False),  # float32 sums: the libraries add in different orders
    Row("sum", lambda m, x: x.sum(1), [np.array([[1, 2], [3, 4]], dtype=np.int32)], id="int32"),
    Row("sum", lambda m, x: x.sum(), [np.array([True, False, True])], id="bool"),
    Row("sum", lambda m, x: x.sum(0), [()], id="0d"),
    Row("mean", lambda m, x: x.mean([1], keepdim=True), [X], id="list-dims"),
    Row("mean", lambda m, x: x.mean(dtype=m.float64), [np.array([1, 2, 4])], id="int-dtype"),
    Row("mean", lambda m, x: x.mean(-1), [()], id="0d"),
    Row("prod", lambda m, x: x.prod(1, dtype=m.float64), [X], id="dtype"),
    Row("prod", lambda m, x: x.prod(0), [()], id="0d"),
    Row("cumsum", lambda m, x: x.cumsum(1, dtype=m.float64), [X], id="dtype"),
    Row("cumsum", lambda m, x: x.cumsum(0), [()], id="0d"),
    Row("cumsum", lambda m, x: x.cumsum(dim=-1), [(0, 3)], id="empty"),
    Row("logsumexp", lambda m, x: x.logsumexp([0, 1]), [X], id="list-dims"),
    Row("logsumexp", lambda m, x: x.logsumexp(0), [()], id="0d"),
    Row("softmax", lambda m, x: x.softmax(0), [()], id="0d"),
    Row("softmax", lambda m, x: m.softmax(x, 1, dtype=m.float64), [X], id="dtype"),
    Row("log_softmax", lambda m, x: x.log_softmax(-1), [()], id="0d"),
    Row("transpose", lambda m, x: x.transpose(0, -1), [()], id="0d"),
    Row("argmax", lambda m, x: x.argmax(1, keepdim=True), [X], id="keepdim"),
    # equal: one bool; eq: elementwise
    Row("equal", lambda m, x: m.equal(x, x), [X], grad=False),
    Row("equal", lambda m, x, y: m.equal(x, y), [X, (3, 1)], id="shapes", grad=False),
    Row("equal", lambda m, x: x.equal(x + 1), [X], id="method", grad=False),
    Row("eq", lambda m, x, y: m.eq(x, y), [X, X], grad=False),
    Row("eq", lambda m, x: x.eq(x), [X], id="method", grad=False),
    # where with numbers and with the condition alone
    Row("where", lambda m, x: m.where(x > 0, 4, 2), [X], id="ints"),
    Row("where", lambda m, x: m.where(x > 0, 4.0, 2.0), [X], id="floats"),
    Row("where", lambda m, x: m.where(x > 0, x, 0.0), [X], id="tensor-number"),
    Row("where", lambda m, x: m.where(x > 0), [X], id="nonzero"),
    # sign passes zeros; pow's gradient at 0 and ±inf
    Row("sign", lambda m, x: x.sign(), [X]),
    Row("sign", lambda m, x: x.sign(), [np.array([-1.0, 0.0, 2.0])], id="zero"),
    Row("pow", lambda m, x, y: x ** y,
        [np.array([0.0, 0.0, 0.0, 2.0, np.inf, -np.inf, 0.5]),
         np.array([-1.5, 0.0, 2.0, 0.0, 0.0, 0.0, -2.0])], id="zeros-and-infs"),
    Row("pow", lambda m, x: x ** 0, [np.array([0.0, np.inf, -np.inf, 2.0])], id="x-to-0"),
    Row("pow", lambda m, y: 0.0 ** y, [np.array([-1.0, 0.0, 2.0])], id="0-to-y"),
    # new names
    Row("expand_as", lambda m, x: x.expand_as(m.zeros(4, 2, 3)), [(2, 1)]),
    Row("expand_as", lambda m, x: x.expand_as(m.zeros(2, 3)), [()], id="0d"),
    Row("is_floating_point", lambda m, x: x.is_floating_point(), [X], grad=False),
    Row("is_floating_point", lambda m, x: x.is_floating_point(), [np.array([1, 2])], id="int",
        grad=False),
    # factories
    Row("full_like", lambda m, x: m.full_like(x, 7), [X], grad=False),
    Row("full_like", lambda m, x: m.full_like(x, 2.7), [np.array([1, 2])], id="int", grad=False),
    Row("full_like", lambda m, x: m.full_like(x, 2, dtype=m.int64), [X], id="dtype",
        grad=False),
    Row("zeros", lambda m: m.zeros(size=(2, 3)), [], id="size-keyword"),
    Row("ones", lambda m: m.ones(size=(2,), dtype=m.int64), [], id="size-keyword"),
    Row("linspace", lambda m: m.linspace(-2.5, 2.5, 5, dtype=m.int32), [], id="int32"),
    Row("linspace", lambda m: m.linspace(0, 1, 3, dtype=m.int64), [], id="int64"),
    Row("randint", lambda m: m.randint(5, (3,)).shape, [], id="high-size"),
    Row("randint", lambda m: m.randint(high=5, size=(3,)).dtype == m.int64, [], id="keywords"),
    Row("randint", lambda m: m.randint(2, 5, (3, 1)).shape, [], id="low-high-size"),
    Row("normal", lambda m, x: m.normal(x, 1.0).shape, [X], grad=False),
    Row("normal", lambda m: m.normal(0.0, 1.0, size=(2,)).dtype == m.float32, [],
        id="numbers"),
    Row("normal", lambda m: m.normal(m.zeros(2, 1), m.ones(3)).shape, [], id="broadcast"),
    Row("normal_", lambda m, x: x.clone().normal_(0.0, 0.1).shape, [X], grad=False),
    Row("uniform_", lambda m, x: bool(x.clone().uniform_(1, 2).amin() >= 1), [X], grad=False),
]

# the formerly divergent spellings, apart from rows_core's rows of the same ops
ROWS = [dataclasses.replace(r, id=f"spelling-{r.id}" if r.id else "spelling") for r in ROWS]
