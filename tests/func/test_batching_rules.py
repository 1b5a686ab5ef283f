"""The batching rules are the ops' own (declared with ``batch=`` where each op is declared),
and every case of the op table batches, without a loop for most: no torch needed."""
import warnings

import numpy as np

import autograd
import nn.functional as F
from autograd.func import vmap


def test_every_op_case_under_vmap_equals_the_loop():
    """Every case of the op table (tests/autograd/op_cases.py), mapped over a batch of three
    inputs, equals the case run on each: the batching rules shift every op's axes right, and
    the ops without one (which loop, or read values in Python) stay correct."""
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "autograd"))
    from op_cases import CASES

    def run(case):
        def f(*xs):
            out = case.fn(autograd, *xs)
            return tuple(out) if isinstance(out, (list, tuple)) else out
        return f

    looped = []
    for case in CASES:
        f = run(case)
        xs = [np.stack([x, x * 1.01, x * 0.99]) for x in case.inputs]
        expected = [f(*[autograd.tensor(x[b]) for x in xs]) for b in range(3)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = vmap(f)(*[autograd.tensor(x) for x in xs])
        if any("vmap:" in str(w.message) for w in caught):
            looped.append(case.id)
        got = got if isinstance(got, tuple) else (got,)
        for k, g in enumerate(got):
            want = np.stack([(e if isinstance(e, tuple) else (e,))[k].numpy() for e in expected])
            np.testing.assert_allclose(g.numpy(), want, rtol=1e-12, atol=1e-12,
                                       err_msg=case.id)
    # the share measured when the rules moved to their ops' declarations (68 of 656 cases,
    # the in-place ops, the sorting family, scatter_reduce...): it may only fall
    assert len(looped) / len(CASES) <= 68 / 656, looped


# the ops that batch through a rule declared with them (batch=), as on the day the name-keyed
# table of rules was removed; elementwise ops have their kind's rule without a name here
DECLARED = {
    "eq", "not_equal", "less", "less_equal", "greater", "greater_equal", "isclose", "isnan",
    "isinf", "isfinite", "logical_and", "logical_or", "logical_xor", "logical_not",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
    "bitwise_right_shift", "mul", "zero_link", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "sum", "prod", "max", "min", "logsumexp", "cumsum",
    "cumprod", "logcumsumexp", "flip", "all", "any", "argmax", "argmin", "roll", "unfold",
    "diagonal", "diagonal_scatter", "einsum_n", "astype", "copy", "tril", "triu", "reshape",
    "broadcast_to", "sum_to", "transpose", "pad", "getitem", "concatenate", "scatter_add",
    "index_put", "where", "matmul", "einsum1", "einsum2", "linear", "im2col", "max_pool",
    "window_sum", "conv", "conv_input_grad", "conv_weight_grad", "statistics", "standardize",
    "target_weight", "cross_entropy", "nll_loss", "route_max", "gather_max"}


def _library_ops():
    """Every op that autograd and nn declare (found among the live objects: some are made by
    factories and reachable only through the functions that call them)."""
    import gc

    from autograd.engine import Op

    F.cross_entropy(autograd.zeros(2, 3), np.array([0, 1]))  # its value checks are made on
    F.nll_loss(autograd.zeros(2, 3), np.array([0, 1]))       # first use
    return [o for o in gc.get_objects() if isinstance(o, Op) and
            getattr(o.forward, "__module__", "").split(".")[0] in ("autograd", "nn")]


def test_each_op_declares_its_batching_rule_where_it_is_declared():
    """rule_for reads the op's own rule (batch= on its decorator) or its kind's default, and
    nothing else: no table of rules keyed by op names; no op of DECLARED lost its rule."""
    from autograd import batching
    from autograd.engine import ElementwiseOp
    from autograd.func import _batching
    from nn.functional import _batching as nn_batching

    ops = _library_ops()
    for op in ops:
        own = op.batch if op.batch is not None else (
            batching.elementwise if isinstance(op, ElementwiseOp) else None)
        assert _batching.rule_for(op) is own, op.name
    lost = DECLARED - {op.name for op in ops if op.batch is not None}
    assert not lost, f"these ops lost the batching rule declared with them: {sorted(lost)}"
    rules = {op.batch for op in ops if op.batch is not None}
    for module in (batching, _batching, nn_batching):
        tables = [name for name, v in vars(module).items() if isinstance(v, dict) and any(
            callable(r) and r in rules for r in v.values())]
        assert not tables, f"{module.__name__}: a table of batching rules {tables}"


def test_scatter_add_s_rule_broadcasts_values_to_the_entries_the_index_picks():
    """_scatter_add's values may be of any shape that broadcasts to the picked entries (a
    batched 0-d value, a row for a block): the rule lifts them to the picked rank first."""
    from autograd.ops import _scatter_add

    rows, cols = np.array([1, 0, 1]), np.array([2, 2, 2])  # (1, 2) repeated: its sums add up
    cases = [  # f(v), the batched inputs (B, *v.shape)
        (lambda v: _scatter_add(v, index=(rows, cols), shape=(2, 3)), np.array([1.0, 2.0])),
        (lambda v: _scatter_add(v, index=(rows,), shape=(2, 3)),
         np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])),
        (lambda v: _scatter_add(v, index=(slice(None), cols), shape=(2, 3)),
         np.array([[1.0], [2.0]])),
    ]
    for f, vs in cases:
        want = np.stack([f(autograd.tensor(v)).numpy() for v in vs])
        np.testing.assert_allclose(vmap(f)(autograd.tensor(vs)).numpy(), want)
