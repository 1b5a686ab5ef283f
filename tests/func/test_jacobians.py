"""jacrev / jacfwd / hessian as torch.func builds them (vmap of vjp_fn over the outputs' basis,
vmap of jvp over the inputs' basis), every second-order composition (forward over forward
included) against torch.func to 1e-6 in float64, and autograd.functional against
torch.autograd.functional."""
import warnings

import numpy as np
import pytest

import autograd
import nn.functional as NF
from autograd import engine, func
from autograd.extend import primitive
from func_parity import close, pair

torch = pytest.importorskip("torch")
tf = torch.func
TA = torch.autograd.functional


W = np.random.default_rng(7).standard_normal((3, 4))


def _w(x):
    return autograd.tensor(W) if isinstance(x, autograd.Tensor) else torch.tensor(W)


FUNCTIONS = {  # each takes a tensor of shape (3,): elementwise, reductions, matmul, indexing
    "elementwise-sum": lambda x: (x.sin() * x.exp()).tanh().sum() * x,
    "reductions": lambda x: x.sum() * x.amax() + (x * x).mean() * x[::2].sum(),
    "matmul-softmax": lambda x: (x @ _w(x)).softmax(-1) * x[1],
    "indexing-logsumexp": lambda x: x[[0, 2, 2]] * x[1] + x[1:].logsumexp(0),
    "scalar-mix": lambda x: (x @ _w(x)).tanh().sum() * x.sin().sum() + x[0] * x.logsumexp(0),
}
COMPOSITIONS = [("jacfwd", "jacfwd"), ("jacfwd", "jacrev"), ("jacrev", "jacfwd"),
                ("jacrev", "jacrev")]


@pytest.mark.parametrize("outer,inner", COMPOSITIONS)
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_second_order_compositions_match_torch_func(name, outer, inner):
    a, ta = pair(3, seed=1)
    f = FUNCTIONS[name]
    close(getattr(func, outer)(getattr(func, inner)(f))(a),
           getattr(tf, outer)(getattr(tf, inner)(f))(ta))


def test_hessian_is_forward_over_reverse_and_matches_torch():
    a, ta = pair(3, seed=2)
    f = FUNCTIONS["scalar-mix"]
    close(func.hessian(f)(a), tf.hessian(f)(ta))
    (b, tb) = pair(2, 3, seed=3)
    g = lambda x, y: (x @ y).sin().sum() * x.sum()  # noqa: E731
    close(func.hessian(g, argnums=(0, 1))(a[:2], b), tf.hessian(g, argnums=(0, 1))(ta[:2], tb))


def test_jvp_of_jvp_is_forward_over_forward():
    (a, ta), (u, tu), (v, tv) = pair(4), pair(4, seed=1), pair(4, seed=2)

    def f(x):
        return (x.sin() * x.cumsum(0)).exp().sum() * x

    ours = func.jvp(lambda x: func.jvp(f, (x,), (u,))[1], (a,), (v,))
    theirs = tf.jvp(lambda x: tf.jvp(f, (x,), (tu,))[1], (ta,), (tv,))
    close(ours, theirs)
    # the inner tangents are what the outer level differentiates: no backward pass at all
    with autograd.no_grad():
        close(func.jacfwd(func.jacfwd(f))(a), tf.jacfwd(tf.jacfwd(f))(ta))


def test_a_third_derivative_by_forward_mode():
    a, ta = pair(2, seed=4)
    f = lambda x: (x[0] * x[1].exp()).sin()  # noqa: E731
    close(func.jacfwd(func.jacfwd(func.jacfwd(f)))(a), tf.jacfwd(tf.jacfwd(tf.jacfwd(f)))(ta))


def test_vmap_of_second_order():
    a, ta = pair(5, 3, seed=5)
    f = FUNCTIONS["scalar-mix"]
    for name in ("jacrev", "jacfwd", "hessian"):
        close(func.vmap(getattr(func, name)(f))(a), tf.vmap(getattr(tf, name)(f))(ta))


def _count_backward(monkeypatch):
    calls = []
    original = engine.run_backward

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "run_backward", counting)
    return calls


@pytest.mark.parametrize("chunk_size,passes", [(None, 1), (4, 3), (10, 1), (1, 10)])
def test_jacrev_runs_one_batched_backward_per_chunk(monkeypatch, chunk_size, passes):
    a, ta = pair(2, 5, seed=6)
    f = lambda x: (x.exp() * x.sum()).tanh()  # noqa: E731  (10 output elements)
    calls = _count_backward(monkeypatch)
    ours = func.jacrev(f, chunk_size=chunk_size)(a)
    assert len(calls) == passes
    close(ours, tf.jacrev(f, chunk_size=chunk_size)(ta))


def test_jacrev_of_several_outputs_and_argnums_in_one_pass(monkeypatch):
    (a, ta), (b, tb) = pair(3), pair(2, 3, seed=1)
    f = lambda x, y: ((x * y).sum(0), (y ** 2).sum(), {"z": x.exp()})  # noqa: E731
    calls = _count_backward(monkeypatch)
    ours = func.jacrev(f, argnums=(0, 1))(a, b)
    assert len(calls) == 1
    theirs = tf.jacrev(f, argnums=(0, 1))(ta, tb)
    close(ours[:2], theirs[:2])
    close(ours[2]["z"], theirs[2]["z"])


def test_jacfwd_runs_the_function_once():
    calls = []
    a, ta = pair(6, seed=8)

    def f(x):
        calls.append(1)
        return x.sin() * x.sum()

    ours = func.jacfwd(f)(a)
    assert len(calls) == 1
    calls.clear()
    close(ours, tf.jacfwd(f)(ta))


def test_chunk_size_errors_as_torch():
    for bad in (0, -1):
        with pytest.raises(ValueError, match="jacrev: `chunk_size` should be greater than 0"):
            func.jacrev(lambda x: x, chunk_size=bad)
    with pytest.raises(RuntimeError, match="Only allowed values for randomness"):
        func.jacfwd(lambda x: x, randomness="sometimes")


def test_chunk_size_one_is_a_plain_loop_without_vmaps_limits():
    # a reverse rule that reads its gradient's values in Python cannot be batched: vmap
    # refuses (as torch.func does for such a Function); chunk_size=1 is a loop, and works
    @primitive(vjp=lambda g, ans, x: g * float(np.asarray(g).sum() != 0) * 2 * x, saves="x")
    def _square_reads(x):
        return x ** 2

    a = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")
    with pytest.raises(RuntimeError, match="reads the values of a batched tensor"):
        func.jacrev(_square_reads)(a)
    np.testing.assert_allclose(func.jacrev(_square_reads, chunk_size=1)(a).numpy(),
                               np.diag([2.0, 4.0, 6.0]))


def test_ops_without_batching_rules_give_right_jacobians_without_a_warning():
    # vmap alone warns when it loops; a Jacobian (as torch.func) loops where it must, quietly
    @primitive(vjp=lambda g, ans, x: g * 3 * x * x, saves="x")
    def _cube_grad_no_rule(g, x):  # the reverse rule's own op has no batching rule
        return g * 3 * x * x

    @primitive(vjp=lambda g, ans, x: _cube_grad_no_rule(g, x), saves="x",
               jvp=lambda t, ans, x: _cube_grad_no_rule(t, x))
    def _cube_no_rule(x):
        return x ** 3

    a, ta = pair(4, seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("jacrev", "jacfwd"):
            close(getattr(func, name)(lambda x: _cube_no_rule(x).sin())(a),
                   getattr(tf, name)(lambda x: (x ** 3).sin())(ta))
    with pytest.warns(UserWarning, match="has no batching rule"):
        func.vmap(_cube_no_rule)(autograd.ones(2, 3))


def test_jacfwd_randomness_as_torch():
    x = autograd.ones(5, dtype="float64")
    with pytest.raises(RuntimeError, match="randomness error mode"):
        func.jacfwd(lambda x: NF.dropout(x, 0.5))(x)
    jac = func.jacfwd(lambda x: NF.dropout(x, 0.5), randomness="same")(x).numpy()
    assert np.isin(jac, [0.0, 2.0]).all() and (jac == np.diag(np.diag(jac))).all()


def test_has_aux():
    a, ta = pair(3, seed=10)
    f = lambda x: (x.sin() * 2, x.cos().sum())  # noqa: E731
    for name in ("jacrev", "jacfwd"):
        jac, aux = getattr(func, name)(f, has_aux=True)(a)
        tjac, taux = getattr(tf, name)(f, has_aux=True)(ta)
        close((jac, aux), (tjac, taux))


def test_inputs_without_elements():
    a, ta = pair(0, 3)
    for name in ("jacrev", "jacfwd"):
        close(getattr(func, name)(lambda x: x.sum(0))(a),
               getattr(tf, name)(lambda x: x.sum(0))(ta))


# ------------------------------------------------------------------ autograd.functional
def _fns(lib):
    mm = torch.tensor(W) if lib is torch else autograd.tensor(W)
    return (lambda x, y: ((x @ mm).tanh() * y.sum()).sin(),
            lambda x, y: (x @ mm).logsumexp(0) * (y * x[:2]).sum())


@pytest.mark.parametrize("kwargs", [{}, {"vectorize": True},
                                    {"vectorize": True, "strategy": "forward-mode"}])
def test_functional_jacobian_matches_torch(kwargs):
    (a, ta), (b, tb) = pair(3, seed=11), pair(2, seed=12)
    f, tf_ = _fns(autograd)[0], _fns(torch)[0]
    # (torch's own forward-mode jacobian fails on these inputs: its reverse mode is the oracle)
    close(autograd.jacobian(f, (a, b), **kwargs), TA.jacobian(tf_, (ta, tb)))
    close(autograd.jacobian(lambda x: f(x, b), a, **kwargs),
           TA.jacobian(lambda x: tf_(x, tb), ta))


@pytest.mark.parametrize("kwargs", [{}, {"vectorize": True}, {
    "vectorize": True, "outer_jacobian_strategy": "forward-mode"}])
def test_functional_hessian_matches_torch(kwargs):
    (a, ta), (b, tb) = pair(3, seed=13), pair(2, seed=14)
    f, tf_ = _fns(autograd)[1], _fns(torch)[1]
    close(autograd.hessian(f, (a, b), **kwargs), TA.hessian(tf_, (ta, tb)))
    close(autograd.hessian(lambda x: f(x, b), a, **kwargs),
           TA.hessian(lambda x: tf_(x, tb), ta))


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_functional_products_match_torch(name):
    (a, ta), (b, tb), (u, tu), (v, tv) = (pair(3, seed=15), pair(2, seed=16),
                                          pair(3, seed=17), pair(2, seed=18))
    f, tf_ = _fns(autograd)[1], _fns(torch)[1]
    close(getattr(autograd, name)(f, (a, b), (u, v)), getattr(TA, name)(tf_, (ta, tb), (tu, tv)))
    close(getattr(autograd, name)(lambda x: f(x, b), a, u),
           getattr(TA, name)(lambda x: tf_(x, tb), ta, tu))


def test_functional_vjp_matches_torch():
    (a, ta), (b, tb), (u, tu) = pair(3, seed=15), pair(2, seed=16), pair(4, seed=17)
    f, tf_ = _fns(autograd)[0], _fns(torch)[0]
    close(autograd.vjp(f, (a, b), u), TA.vjp(tf_, (ta, tb), tu))


def test_functional_jvp_matches_torch_and_nests():
    (a, ta), (u, tu) = pair(3, seed=19), pair(3, seed=20)
    f = lambda x: (x.sin() * x.sum()).exp()  # noqa: E731
    close(autograd.jvp(f, a, u), TA.jvp(f, ta, tu))
    # a jvp inside a jvp: forward over forward (torch.autograd.functional nests too)
    close(autograd.jvp(lambda x: autograd.jvp(f, x, u, create_graph=True)[1], a, u),
           TA.jvp(lambda x: TA.jvp(f, x, tu, create_graph=True)[1], ta, tu))


def test_functional_create_graph_results_are_differentiable():
    x = autograd.tensor([0.3, -0.4], dtype="float64", requires_grad=True)
    tx = torch.tensor([0.3, -0.4], dtype=torch.float64, requires_grad=True)
    f = lambda v: (v.sin() * v.sum()).sum()  # noqa: E731
    H = autograd.hessian(f, x, create_graph=True)
    tH = TA.hessian(f, tx, create_graph=True)
    assert H.requires_grad and not autograd.hessian(f, x).requires_grad
    (g,) = autograd.grad(H.sum(), x)
    (tg,) = torch.autograd.grad(tH.sum(), tx)
    close(g, tg)
    _, hv = autograd.hvp(f, x, autograd.ones(2, dtype="float64"), create_graph=True)
    _, thv = TA.hvp(f, tx, torch.ones(2, dtype=torch.float64), create_graph=True)
    close(autograd.grad(hv.sum(), x), torch.autograd.grad(thv.sum(), tx))


def test_functional_errors_as_torch():
    x = autograd.tensor([1.0, 2.0], dtype="float64")
    y = autograd.tensor([3.0], dtype="float64")
    with pytest.raises(RuntimeError, match="output 0 of the user-provided function is "
                                           "independent of input 1"):
        autograd.jacobian(lambda a, b: a.sin(), (x, y), strict=True)
    with pytest.raises(RuntimeError, match="does not require gradients"):
        autograd.vjp(lambda a: autograd.ones(2), x, autograd.ones(2), strict=True)
    with pytest.raises(RuntimeError, match="with respect to input 1 is independent"):
        autograd.hvp(lambda a, b: a.sin().sum() + b.sum(), (x, y), (x, y), strict=True)
    with pytest.raises(RuntimeError, match="`strict=True` and `vectorized=True`"):
        autograd.jacobian(lambda a: a, x, strict=True, vectorize=True)
    with pytest.raises(NotImplementedError, match="only implemented for `vectorize=True`"):
        autograd.jacobian(lambda a: a, x, strategy="forward-mode")
    with pytest.raises(ValueError, match="Expected strategy to be either"):
        autograd.jacobian(lambda a: a, x, strategy="sideways")
    with pytest.raises(RuntimeError, match="should contain a single element"):
        autograd.hessian(lambda a: a.sin(), x)
    with pytest.raises(autograd.ShapeError, match="cotangent 0 has shape \\(3,\\) but its "
                                                  "output has shape \\(2,\\)"):
        autograd.vjp(lambda a: a.sin(), x, autograd.ones(3))
    with pytest.raises(autograd.ShapeError, match="vectors are required unless every input"):
        autograd.hvp(lambda a: a.sin().sum(), x)


@pytest.mark.parametrize("name", ["jacrev", "jacfwd", "hessian"])
def test_jacobians_of_inputs_that_require_grad_stay_in_their_graph(name):
    a = np.array([0.3, -0.7, 1.1])
    x = autograd.tensor(a, requires_grad=True)
    tx = torch.tensor(a, requires_grad=True)

    def f(x):
        return (x.sin() * x.sum()).exp().sum() * x[0]

    jac, tjac = getattr(func, name)(f)(x), getattr(tf, name)(f)(tx)
    (jac * jac).sum().backward()
    (tjac * tjac).sum().backward()
    close(x.grad, tx.grad)
