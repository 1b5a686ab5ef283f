"""vmap against torch.func.vmap (values to 1e-6 in float64); per-sample gradients equal the
loop of single-sample gradients; the compositions with grad; randomness; the fallback."""
import warnings

import numpy as np
import pytest

import autograd
import nn.functional as F
from autograd import IndexingError
from autograd.func import grad, jacrev, jvp, vjp, vmap
from func_parity import close, pair

torch = pytest.importorskip("torch")
tf = torch.func
TF = torch.nn.functional


def _no_loop(fn, *args):
    """Run fn, failing if any op fell back to the per-sample loop."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="vmap: the op")
        return fn(*args)


CASES = [  # (name, f over one sample, shapes of the batched inputs, in_dims)
    ("elementwise", lambda x, y: (x * y.exp() - y).tanh(), [(4, 3), (4, 3)], 0),
    ("broadcast ranks", lambda x, y: x + y, [(4, 3), (4, 2, 3)], 0),
    ("unbatched operand", lambda x, y: x * y, [(4, 3), (3,)], (0, None)),
    ("in_dims 1", lambda x, y: x.sin() @ y, [(3, 4), (4, 3, 2)], (1, 0)),
    ("vector @ matrix", lambda x, w: x @ w, [(5, 3), (3, 2)], (0, None)),
    ("matrix @ vector", lambda w, x: w @ x, [(2, 3), (5, 3)], (None, 0)),
    ("both batched", lambda a, b: a @ b, [(5, 2, 3), (5, 3)], 0),
    ("reductions", lambda x: x.sum(0) + x.mean(-1).sum() + x.amax(1).sum(),
     [(4, 3, 2)], 0),
    ("max with indices", lambda x: x.max(dim=0).values * 2, [(4, 3, 2)], 0),
    ("softmax", lambda x: autograd.softmax(x, -1) + autograd.log_softmax(x, 0),
     [(4, 3, 5)], 0),
    ("reshape transpose", lambda x: x.reshape(6, 1).t().permute(1, 0).flatten(), [(4, 2, 3)],
     0),
    ("indexing", lambda x: x[1:, 0] + x[-1, ::2].sum(), [(4, 3, 4)], 0),
    ("concatenate", lambda x, y: autograd.cat([x, y], dim=-1), [(4, 2, 3), (4, 2, 1)], 0),
    ("stack with unbatched", lambda x, y: autograd.stack([x, y]), [(4, 3), (3,)], (0, None)),
    ("where", lambda x: autograd.where(x > 0, x, x * 0.1), [(4, 5)], 0),
    ("einsum", lambda a, b: autograd.einsum("ij,jk->ik", a, b), [(4, 2, 3), (3, 2)],
     (0, None)),
    ("linear", lambda x, w, b: F.linear(x, w, b), [(4, 3), (2, 3), (2,)], (0, None, None)),
    ("per-sample linear weight", lambda x, w, b: F.linear(x, w, b), [(4, 3), (4, 2, 3),
                                                                       (4, 2)], 0),
    ("conv2d", lambda x, w: F.conv2d(x, w, padding=1), [(4, 2, 3, 6, 6), (4, 3, 3, 3)],
     (0, None)),
    ("per-sample conv2d weight", lambda x, w: F.conv2d(x, w), [(4, 2, 3, 5, 5), (4, 2, 3, 3, 3)],
     0),
    ("pools", lambda x: F.max_pool2d(x, 2) + F.avg_pool2d(x, 2), [(4, 2, 3, 6, 6)], 0),
    ("diag (scatter)", lambda x: x[0, :3].diag() + x[:3, 0].diag(), [(4, 3, 5)], 0),
    ("index_copy (index_put)", lambda x, s: x.index_copy(1, autograd.tensor([4, 0])
                                                         if isinstance(x, autograd.Tensor)
                                                         else torch.tensor([4, 0]), s),
     [(4, 3, 5), (4, 3, 2)], 0),
    ("mse (size)", lambda x, y: F.mse_loss(x, y) * x.size(-1), [(4, 3, 2), (4, 3, 2)], 0),
]


def _torch_fn(f):
    """The same function on torch tensors: our tensor API is torch's, but F is ours."""
    def run(*args):
        with _torch_functional():
            return f(*args)
    return run


class _torch_functional:
    def __enter__(self):
        global F
        self.saved, F = F, TF
        self.saved_ag = autograd.__dict__.copy()
        for name in ("softmax", "log_softmax", "cat", "stack", "where", "einsum"):
            setattr(autograd, name, getattr(torch, name))

    def __exit__(self, *exc):
        global F
        F = self.saved
        for name in ("softmax", "log_softmax", "cat", "stack", "where", "einsum"):
            setattr(autograd, name, self.saved_ag[name])


@pytest.mark.parametrize("name,f,shapes,in_dims", CASES, ids=[c[0] for c in CASES])
def test_vmap_matches_torch_without_a_loop(name, f, shapes, in_dims):
    pairs = [pair(*s, seed=k) for k, s in enumerate(shapes)]
    ours = _no_loop(vmap(f, in_dims=in_dims), *[p[0] for p in pairs])
    theirs = tf.vmap(_torch_fn(f), in_dims=in_dims)(*[p[1] for p in pairs])
    close(ours, theirs)


def test_out_dims_nested_vmap_and_chunks():
    (a, ta), (b, tb) = pair(3, 4, 5), pair(4, 5, seed=1)
    f = vmap(vmap(lambda x, y: (x * y).sum(), in_dims=(0, 0)), in_dims=(0, None))
    tfn = tf.vmap(tf.vmap(lambda x, y: (x * y).sum(), in_dims=(0, 0)), in_dims=(0, None))
    close(_no_loop(f, a, b), tfn(ta, tb))
    close(vmap(lambda x: x.cos(), out_dims=1)(a), tf.vmap(lambda x: x.cos(), out_dims=1)(ta))
    close(vmap(lambda x: x.cos(), chunk_size=2)(a), ta.cos())


def test_vmap_of_grad_and_grad_of_vmap():
    (a, ta), (w, tw) = pair(5, 3), pair(3, seed=1)
    close(_no_loop(vmap(grad(lambda x, w: (x * w).sin().sum()), in_dims=(0, None)), a, w),
           tf.vmap(tf.grad(lambda x, w: (x * w).sin().sum()), in_dims=(0, None))(ta, tw))
    close(grad(lambda w: vmap(lambda x: (x * w).sin().sum())(a).sum())(w),
           tf.grad(lambda w: tf.vmap(lambda x: (x * w).sin().sum())(ta).sum())(tw))
    close(vmap(jacrev(lambda x: x.sin() * x.sum()))(a),
           tf.vmap(tf.jacrev(lambda x: x.sin() * x.sum()))(ta))


def _mlp_loss(p, x, y):
    h = (x @ p["w1"] + p["b1"]).relu()
    return -autograd.log_softmax(h @ p["w2"] + p["b2"], -1)[y]


def _cnn_loss(p, x, y):
    h = F.conv2d(x[None], p["k"], p["kb"], padding=1).relu()
    h = F.max_pool2d(h, 2).flatten()
    return F.cross_entropy(F.linear(h, p["w"], p["b"])[None], y[None])


@pytest.mark.parametrize("loss,shapes,x_shape", [
    (_mlp_loss, {"w1": (6, 8), "b1": (8,), "w2": (8, 3), "b2": (3,)}, (6,)),
    (_cnn_loss, {"k": (2, 1, 3, 3), "kb": (2,), "w": (3, 8), "b": (3,)}, (1, 4, 4)),
])
def test_per_sample_gradients_equal_the_loop(loss, shapes, x_shape):
    rng = np.random.default_rng(0)
    params = {k: autograd.tensor(rng.standard_normal(s)) for k, s in shapes.items()}
    x = autograd.tensor(rng.standard_normal((7,) + x_shape))
    y = autograd.tensor(rng.integers(0, 3, 7))
    batched = _no_loop(vmap(grad(loss), in_dims=(None, 0, 0)), params, x, y)
    for i in range(7):
        single = grad(loss)(params, x[i], y[i])
        for k in params:
            np.testing.assert_allclose(batched[k].numpy()[i], single[k].numpy(), rtol=1e-10,
                                       atol=1e-12)


def test_mlp_per_sample_gradients_need_no_loop():
    rng = np.random.default_rng(0)
    params = {k: autograd.tensor(rng.standard_normal(s)) for k, s in
              {"w1": (6, 8), "b1": (8,), "w2": (8, 3), "b2": (3,)}.items()}
    x, y = autograd.tensor(rng.standard_normal((5, 6))), autograd.tensor(rng.integers(0, 3, 5))
    _no_loop(vmap(grad(_mlp_loss), in_dims=(None, 0, 0)), params, x, y)


@pytest.mark.parametrize("geometry", [dict(kernel_size=2), dict(kernel_size=3, stride=1,
                                                                 padding=1)])
def test_max_pooling_gradients_and_tangents_batch(geometry):
    # jacrev maps the reverse rule over cotangents, jacfwd the forward rule over tangents:
    # max pooling's routing ops must batch (the positions x and maxima are shared)
    (a, ta), (u, tu) = pair(2, 3, 5, 5), pair(4, 2, 3, 5, 5, seed=1)
    def pool(x):
        return F.max_pool2d(x, **geometry)

    def tpool(x):
        return TF.max_pool2d(x, **geometry)

    out, vjp_fn = vjp(pool, a)
    v, tv = pair(4, *out.shape, seed=2)
    close(_no_loop(vmap(vjp_fn), v), tf.vmap(tf.vjp(tpool, ta)[1])(tv))
    close(_no_loop(vmap(lambda t: jvp(pool, (a,), (t,))[1]), u),
          tf.vmap(lambda t: tf.jvp(tpool, (ta,), (t,))[1])(tu))


def test_randomness():
    x = autograd.ones(4, 3)
    with pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(lambda r: F.dropout(r, 0.5))(x)
    autograd.manual_seed(0)
    same = vmap(lambda r: F.dropout(r, 0.5), randomness="same")(x).numpy()
    assert (same == same[0]).all()
    autograd.manual_seed(0)
    different = vmap(lambda r: F.dropout(r, 0.5), randomness="different")(
        autograd.ones(16, 8)).numpy()
    assert not (different == different[0]).all()


def test_randomness_with_chunks_as_torch():
    # 'different' gives every sample its own mask, within a chunk too; 'same' one mask for
    # the whole batch, across chunks too (torch.func restores the generator per chunk)
    x = autograd.ones(8, 16)
    for chunk_size in (None, 4):
        autograd.manual_seed(0)
        different = vmap(lambda r: F.dropout(r, 0.5), randomness="different",
                         chunk_size=chunk_size)(x).numpy()
        assert len({row.tobytes() for row in different}) == 8
    autograd.manual_seed(0)
    same = vmap(lambda r: F.dropout(r, 0.5), randomness="same", chunk_size=3)(x).numpy()
    assert (same == same[0]).all()


@pytest.mark.parametrize("draw", [
    lambda r: autograd.randn(3), lambda r: autograd.rand(3), lambda r: autograd.randn_like(r),
    lambda r: autograd.normal(0.0, 1.0, (3,)), lambda r: autograd.randint(0, 5, (3,)),
    lambda r: autograd.randperm(3), lambda r: autograd.zeros(3).normal_(),
    lambda r: autograd.zeros(3).uniform_()], ids=[
    "randn", "rand", "randn_like", "normal", "randint", "randperm", "normal_", "uniform_"])
def test_every_random_op_obeys_randomness(draw):
    x = autograd.zeros(4, 3)
    with pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(lambda r: r + draw(r))(x)
    same = vmap(lambda r: r + draw(r), randomness="same")(x).numpy()
    assert (same == same[0]).all()


def test_an_op_without_a_rule_loops_with_a_warning_naming_it():
    from autograd.extend import primitive

    @primitive(vjp=lambda g, ans, x: g * 3 * x * x, saves="x")
    def _cube_no_rule(x):
        return x ** 3

    a, ta = pair(4, 3)
    with pytest.warns(UserWarning, match="'cube_no_rule' has no batching rule"):
        ours = vmap(lambda x: _cube_no_rule(x).sum())(a)
    close(ours, (ta ** 3).sum(1))


def test_an_op_declares_its_batching_rule_with_batch():
    from autograd.extend import primitive

    calls = []

    def rule(op, args, batched, params):
        calls.append(batched)
        return op.call(*args, **params)  # elementwise: the batch axis needs no care

    @primitive(vjp=lambda g, ans, x: g * 3 * x * x, saves="x", batch=rule)
    def _cube(x):
        return x ** 3

    a, ta = pair(4, 3)
    close(_no_loop(vmap(grad(lambda x: _cube(x).sum())), a), 3 * ta ** 2)
    assert calls == [[True]]


def test_errors_as_torch():
    with pytest.raises(ValueError, match="same size in the mapped dimension"):
        vmap(lambda x, y: x + y)(autograd.ones(3), autograd.ones(4))
    with pytest.raises(ValueError, match="must only return Tensors"):
        vmap(lambda x: 1.0)(autograd.ones(3))
    with pytest.raises(RuntimeError, match="reads the values of a batched tensor"):
        vmap(lambda x: x.item())(autograd.ones(3))
    with pytest.raises(ValueError, match="Got in_dim=2 for an input but the input has only 2"):
        vmap(lambda x: x.sum(), in_dims=2)(autograd.ones(3, 4))
    with pytest.raises(IndexError, match="out_dims=1 is out of range for an output of 0 dims"):
        vmap(lambda x: x.sum(), out_dims=1)(autograd.ones(3, 4))
    for chunk_size in (0, -1):
        with pytest.raises(ValueError, match="chunk_size should be None or greater than 0"):
            vmap(lambda x: x * 2, chunk_size=chunk_size)(autograd.ones(3, 4))
    with pytest.raises(ValueError, match="out_dims is not compatible with the structure of "
                                         "the outputs"):
        vmap(lambda x: x, out_dims=(1, 0))(autograd.ones(3, 4))


def test_out_dims_structured_as_the_outputs():
    a, ta = pair(5, 3)
    close(vmap(lambda x: {"a": x, "b": x.sum()}, out_dims={"a": 1, "b": 0})(a),
          tf.vmap(lambda x: {"a": x, "b": x.sum()}, out_dims={"a": 1, "b": 0})(ta))
    close(vmap(lambda x: x * 2, out_dims=(1,))(a), tf.vmap(lambda x: x * 2, out_dims=(1,))(ta))
    close(vmap(lambda x: (x, x.sum()), out_dims=(1, 0), chunk_size=2)(a),
          tf.vmap(lambda x: (x, x.sum()), out_dims=(1, 0), chunk_size=2)(ta))
    w, tw = pair(3, seed=1)  # an output not mapped, in chunks (torch.func 2.13 raises there)
    close(vmap(lambda x, w: (x * w, w), in_dims=(0, None), out_dims=(0, None), chunk_size=2)(
        a, w), tf.vmap(lambda x, w: (x * w, w), in_dims=(0, None), out_dims=(0, None))(ta, tw))


def test_an_op_reading_values_in_python_runs_the_function_per_sample_naming_it():
    a, ta = pair(4, 3, 5)
    with pytest.warns(UserWarning, match="the op 'sort' reads the values"):
        ours = vmap(lambda x: x.sort(-1).values * 2)(a)
    close(ours, tf.vmap(lambda x: x.sort(-1).values * 2)(ta))
    w, tw = pair(5, 2, seed=1)
    with pytest.warns(UserWarning, match="the op 'embedding' reads the values"):
        ours = vmap(lambda i: F.embedding(i, w))(autograd.tensor([[0, 4], [1, 1]]))
    close(ours, tf.vmap(lambda i: TF.embedding(i, tw))(torch.tensor([[0, 4], [1, 1]])))


def test_the_per_sample_fallback_keeps_randomness_and_chunks():
    # the fallback runs f once per sample: randomness and chunk_size still mean what they say
    def f(r):
        return F.dropout(r.sort().values, 0.5)

    reads = "the op 'sort' reads the values"
    with pytest.warns(UserWarning, match=reads), \
            pytest.raises(RuntimeError, match="randomness error mode"):
        vmap(f)(autograd.ones(4, 8))
    for chunk_size in (None, 2):
        with pytest.warns(UserWarning, match=reads):
            same = vmap(f, randomness="same", chunk_size=chunk_size)(autograd.ones(4, 8))
        assert (same.numpy() == same.numpy()[0]).all()
        autograd.manual_seed(0)
        with pytest.warns(UserWarning, match=reads):
            different = vmap(f, randomness="different", chunk_size=chunk_size)(
                autograd.ones(8, 16))
        assert len({row.tobytes() for row in different.numpy()}) == 8


_TARGETS = np.array([[0, 2, 1], [2, 2, 0], [1, 0, 2], [0, 1, 1]])  # 4 samples of 3 positions
_CLASS_WEIGHT = np.array([0.5, 2.0, 1.0, 1.5, 3.0])


@pytest.mark.parametrize("name,f", [
    ("layer_norm", lambda F, x: F.layer_norm(x, (3, 5))),
    ("layer_norm affine", lambda F, x: F.layer_norm(x[0], (5,), x[1], x[2])),
    ("group_norm", lambda F, x: F.group_norm(x[None], 1)),
    ("instance_norm", lambda F, x: F.instance_norm(x[None])),
    ("batch_norm training", lambda F, x: F.batch_norm(x, None, None, training=True)),
    ("batch_norm eval", lambda F, x: F.batch_norm(  # running statistics, weight and bias
        x, _as(x, _CLASS_WEIGHT - 1), _as(x, _CLASS_WEIGHT), _as(x, -_CLASS_WEIGHT),
        _as(x, _CLASS_WEIGHT / 2), training=False)),
    ("cross_entropy", lambda F, x, y: F.cross_entropy(x, y)),
    ("cross_entropy weight ignore_index smoothing", lambda F, x, y: F.cross_entropy(
        x, y, weight=_as(x, _CLASS_WEIGHT), ignore_index=1, label_smoothing=0.1)),
    ("cross_entropy (N, C, d)", lambda F, x, y: F.cross_entropy(x[None, :, :3], y[None],
                                                                reduction="sum")),
    ("nll_loss", lambda F, x, y: F.nll_loss(x, y, reduction="none")),
])
def test_norms_and_class_target_losses_batch_without_a_loop(name, f):
    """Their statistics and their integer targets are read by ops (with batching rules),
    not by Python: vmap runs them once on the whole batch."""
    (a, ta), y = pair(4, 3, 5), _TARGETS
    args = (a, autograd.tensor(y)) if f.__code__.co_argcount == 3 else (a,)
    targs = (ta, torch.tensor(y)) if len(args) == 2 else (ta,)
    ours = _no_loop(vmap(lambda *xs: f(F, *xs)), *args)
    # torch's loop over the samples (torch.func.vmap cannot map ignore_index's masking)
    close(ours, torch.stack([f(TF, *[t[i] for t in targs]) for i in range(4)]))
    close(_no_loop(vmap(grad(lambda *xs: f(F, *xs).sum())), *args),
           torch.stack([tf.grad(lambda *xs: f(TF, *xs).sum())(*[t[i] for t in targs])
                        for i in range(4)]))


def _as(x, array):
    return autograd.tensor(array) if isinstance(x, autograd.Tensor) else torch.tensor(array)


def test_class_target_checks_hold_inside_vmap():
    x = autograd.zeros(2, 3, 4)
    with pytest.raises(IndexingError, match="cross_entropy: target class 4 is out of range"):
        vmap(F.cross_entropy)(x, autograd.tensor([[0, 1, 2], [3, 4, 0]]))
    with pytest.raises(ValueError, match="nll_loss: reduction='mean' has nothing to average"):
        vmap(lambda x, y: F.nll_loss(x, y, ignore_index=0))(x, autograd.tensor([[1, 2, 0],
                                                                                [0, 0, 0]]))


def test_masked_fill_batches():
    a, ta = pair(4, 3, 5)
    close(_no_loop(vmap(lambda x: x.masked_fill(x > 0, 0.5)), a),
           tf.vmap(lambda x: x.masked_fill(x > 0, 0.5))(ta))


def test_pytree_inputs_and_outputs_with_per_leaf_dims():
    (a, ta), (b, tb) = pair(3, 4), pair(4, 3, seed=1)

    def f(d):
        return {"s": d["x"] * d["y"], "t": (d["x"].sum(), d["y"])}

    def tfn(d):
        return {"s": d["x"] * d["y"], "t": (d["x"].sum(), d["y"])}

    ours = vmap(f, in_dims=({"x": 0, "y": 1},), out_dims=-1)({"x": a, "y": b})
    theirs = tf.vmap(tfn, in_dims=({"x": 0, "y": 1},), out_dims=-1)({"x": ta, "y": tb})
    close(ours, theirs)
    pairs = vmap(lambda x: (x.sin(), x.cos()), out_dims=(0, 1))(a)
    close(pairs, tf.vmap(lambda x: (x.sin(), x.cos()), out_dims=(0, 1))(ta))


def test_ordinary_autograd_through_vmap_of_grad_and_jacrev_of_vmap():
    a = np.random.default_rng(0).standard_normal((4, 3))
    x, tx = autograd.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    vmap(grad(lambda r: (r.sin() * r).sum()))(x).sum().backward()
    tf.vmap(tf.grad(lambda r: (r.sin() * r).sum()))(tx).sum().backward()
    close(x.grad, tx.grad)
    close(jacrev(lambda x: vmap(lambda r: r.sin() * r.sum())(x))(autograd.tensor(a)),
           tf.jacrev(lambda x: tf.vmap(lambda r: r.sin() * r.sum())(x))(torch.tensor(a)))
