"""autograd.func against torch.func: values to 1e-6 in float64, and the compositions."""
import numpy as np
import pytest

import autograd
from autograd import func
from func_parity import close, pair

torch = pytest.importorskip("torch")
tf = torch.func


def f_ours(x):
    return (x.sin() * x.exp()).tanh()


def f_torch(x):
    return (x.sin() * x.exp()).tanh()


def test_grad_and_value_argnums_and_aux():
    (a, ta), (b, tb) = pair(3), pair(3, seed=1)
    ours = func.grad(lambda x, y: (x * y.cos()).sum(), argnums=(0, 1))(a, b)
    theirs = tf.grad(lambda x, y: (x * y.cos()).sum(), argnums=(0, 1))(ta, tb)
    close(ours, theirs)
    g, (v, aux) = func.grad_and_value(lambda x: ((x ** 2).sum(), x.sum()), has_aux=True)(a)
    tg, (tv, taux) = tf.grad_and_value(lambda x: ((x ** 2).sum(), x.sum()), has_aux=True)(ta)
    close((g, v, aux), (tg, tv, taux))
    assert not g.requires_grad


def test_grad_of_a_dict_of_parameters():
    (w, tw), (x, tx) = pair(3, 2), pair(4, 3, seed=1)
    ours = func.grad(lambda p: (x @ p["w"]).tanh().sum() + p["b"].sum() ** 2)(
        {"w": w, "b": autograd.tensor([1.0, 2.0], dtype="float64")})
    theirs = tf.grad(lambda p: (tx @ p["w"]).tanh().sum() + p["b"].sum() ** 2)(
        {"w": tw, "b": torch.tensor([1.0, 2.0], dtype=torch.float64)})
    close(ours, theirs)


def test_grad_refuses_a_non_scalar_output():
    with pytest.raises(RuntimeError, match="Expected f\\(\\*args\\) to return a scalar"):
        func.grad(lambda x: x * 2)(autograd.ones(3))


def test_grad_refuses_an_integer_input():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype"):
        func.grad(lambda x: (x * 2).sum())(autograd.tensor([1, 2]))


def test_integer_primals_of_jvp_are_refused_as_torch_and_integer_outputs_have_no_gradient():
    x, i = autograd.tensor([1.0, 2.0, 3.0]), autograd.tensor([0, 2, 1])
    # an integer output contributes zeros, as torch.autograd.functional (whose jacobian and
    # vjp are these); torch.func refuses it (docs/func.md says so)
    theirs = torch.autograd.functional.jacobian(lambda a: (a * 2, a.argmax()),
                                                torch.tensor([1.0, 2.0, 3.0]))
    close(func.jacrev(lambda a: (a * 2, a.argmax()))(x), theirs)
    close(autograd.functional.jacobian(lambda a: (a * 2, a.argmax()), x), theirs)
    for fn in (lambda: func.jvp(lambda a, b: a * b, (x, i), (x, x)),
               lambda: func.jacfwd(lambda a, b: a * b, argnums=1)(x, i)):
        with pytest.raises(ValueError, match="Expected primal to be floating point"):
            fn()
    # an integer input outside argnums, or an integer output of grad or jvp, is fine
    close(func.hessian(lambda a, b: (a[b] ** 3).sum())(x, i), 6 * torch.diag(torch.tensor(
        [1.0, 2.0, 3.0], dtype=torch.float64)))
    assert func.jvp(lambda a: a.argmax(), (x,), (x,))[1].item() == 0


def test_gradients_of_a_0d_input_are_0d_tensors():
    a, ta = pair()
    for ours, theirs in ((func.grad(lambda x: x.sin())(a), tf.grad(lambda x: x.sin())(ta)),
                         (func.vjp(lambda x: x * 2, a)[1](a)[0],
                          tf.vjp(lambda x: x * 2, ta)[1](ta)[0])):
        close(ours, theirs)
        assert type(ours.numpy()) is np.ndarray and (ours + 1).shape == ()


def test_hessian_with_argnums_tuple():
    (a, ta), (b, tb) = pair(3), pair(2, seed=1)
    close(func.hessian(lambda x, y: (x.sin().sum() * y.exp()).sum(), argnums=(0, 1))(a, b),
           tf.hessian(lambda x, y: (x.sin().sum() * y.exp()).sum(), argnums=(0, 1))(ta, tb))


def test_grad_of_grad():
    a, ta = pair(4)
    ours = func.grad(lambda x: func.grad(lambda y: f_ours(y).sum())(x).sum())(a)
    theirs = tf.grad(lambda x: tf.grad(lambda y: f_torch(y).sum())(x).sum())(ta)
    close(ours, theirs)


def test_vjp_with_pytree_output():
    a, ta = pair(3)
    out, fn = func.vjp(lambda x: {"s": x.sin(), "q": (x * x).sum()}, a)
    tout, tfn = tf.vjp(lambda x: {"s": x.sin(), "q": (x * x).sum()}, ta)
    close(out, tout)
    ct = {"s": autograd.tensor([1.0, 2.0, 3.0], dtype="float64"),
          "q": autograd.tensor(0.5, dtype="float64")}
    tct = {"s": torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64),
           "q": torch.tensor(0.5, dtype=torch.float64)}
    close(fn(ct), tfn(tct))
    close(fn(ct), tfn(tct))  # vjp_fn may be called again


def test_jvp_uses_forward_mode(monkeypatch):
    from autograd import engine

    def no_backward(*args, **kwargs):
        raise AssertionError("jvp ran a backward pass (double reverse)")

    monkeypatch.setattr(engine, "run_backward", no_backward)
    (a, ta), (t, tt) = pair(5), pair(5, seed=2)
    out, tan = func.jvp(f_ours, (a,), (t,))
    tout, ttan = tf.jvp(f_torch, (ta,), (tt,))
    close((out, tan), (tout, ttan))
    with pytest.raises(AssertionError, match="double reverse"):  # the probe does catch one
        func.vjp(f_ours, a)[1](t)


@pytest.mark.parametrize("name", ["jacrev", "jacfwd"])
def test_jacobians_with_argnums_and_tuple_outputs(name):
    ours_t, theirs_t = getattr(func, name), getattr(tf, name)
    (a, ta), (b, tb) = pair(3), pair(2, 3, seed=1)
    close(ours_t(f_ours)(b), theirs_t(f_torch)(tb))
    ours = ours_t(lambda x, y: (x * y, (y ** 2).sum()), argnums=(0, 1))(a, b)
    theirs = theirs_t(lambda x, y: (x * y, (y ** 2).sum()), argnums=(0, 1))(ta, tb)
    close(ours, theirs)


@pytest.mark.parametrize("outer,inner", [("jacrev", "jacrev"), ("jacfwd", "jacrev"),
                                         ("jacrev", "jacfwd")])
def test_second_order_compositions(outer, inner):
    a, ta = pair(4)
    ours = getattr(func, outer)(getattr(func, inner)(lambda x: f_ours(x).sum()))(a)
    theirs = getattr(tf, outer)(getattr(tf, inner)(lambda x: f_torch(x).sum()))(ta)
    close(ours, theirs)


def test_hessian():
    (a, ta), (w, tw) = pair(3), pair(3, 3, seed=3)
    close(func.hessian(lambda x: (w @ x).exp().sum() * x.sin().sum())(a),
           tf.hessian(lambda x: (tw @ x).exp().sum() * x.sin().sum())(ta))


def test_grad_with_inputs_that_require_grad_stays_in_the_graph():
    a = autograd.tensor([0.3, 0.7], dtype="float64", requires_grad=True)
    g = func.grad(lambda x: (x ** 3).sum())(a)
    g.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 6 * a.numpy())


def test_functional_call_with_grad_and_vmap_matches_torch():
    import nn

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                 torch.nn.Linear(4, 2)).double()
    params = {k: v.detach() for k, v in model.named_parameters()}
    tparams = {k: torch.tensor(v.numpy()) for k, v in params.items()}
    x = rng.standard_normal((5, 3))

    def loss(p, x):
        return (func.functional_call(model, p, (x,)) ** 2).sum()

    def tloss(p, x):
        return (tf.functional_call(tmodel, p, (x,)) ** 2).sum()

    close(func.grad(loss)(params, autograd.tensor(x)), tf.grad(tloss)(tparams, torch.tensor(x)))
    close(func.vmap(func.grad(loss), in_dims=(None, 0))(params, autograd.tensor(x)),
           tf.vmap(tf.grad(tloss), in_dims=(None, 0))(tparams, torch.tensor(x)))
    # a tuple of dicts, as torch.func; the model's own parameters are back afterwards
    first, rest = dict(list(params.items())[:2]), dict(list(params.items())[2:])
    close(func.functional_call(model, (first, rest), autograd.tensor(x)),
           tf.functional_call(tmodel, (dict(list(tparams.items())[:2]),
                                       dict(list(tparams.items())[2:])), torch.tensor(x)))
    assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(ValueError, match="appeared in multiple dictionaries"):
        func.functional_call(model, (first, first), autograd.tensor(x))
    with pytest.raises(RuntimeError, match="Missing key\\(s\\): '2.weight', '2.bias'"):
        func.functional_call(model, first, autograd.tensor(x), strict=True)


def test_functional_call_tie_weights_as_torch():
    import nn

    class Tied:  # the same module in both libraries: b's weight is a's
        def __init__(self, lib):
            self.a, self.b = lib.Linear(2, 2, bias=False), lib.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

    ours, theirs = Tied(nn), Tied(torch.nn)
    model = nn.Sequential(ours.a, ours.b).double()
    tmodel = torch.nn.Sequential(theirs.a, theirs.b).double()
    with torch.no_grad():  # the same starting weight
        theirs.a.weight.copy_(torch.tensor(ours.a.weight.detach().numpy()))
    (w, tw), (v, tv), (x, tx) = pair(2, 2), pair(2, 2, seed=1), pair(3, 2, seed=2)
    for tie_weights in (True, False):  # False: only the named slot changes
        close(func.functional_call(model, {"0.weight": w}, x, tie_weights=tie_weights),
              tf.functional_call(tmodel, {"0.weight": tw}, tx, tie_weights=tie_weights))
    close(func.functional_call(model, {"0.weight": w, "1.weight": v}, x, tie_weights=False),
          tf.functional_call(tmodel, {"0.weight": tw, "1.weight": tv}, tx, tie_weights=False))
    with pytest.raises(ValueError, match="multiple values for keys \\['0.weight', '1.weight'\\]"
                                         ", which are tied"):
        func.functional_call(model, {"0.weight": w, "1.weight": v}, x)
    close(func.functional_call(model, {"0.weight": w, "1.weight": w}, x),
          tf.functional_call(tmodel, {"0.weight": tw, "1.weight": tw}, tx))
    func.functional_call(model, {"0.weight": w}, x, strict=True)  # 1.weight comes tied
    twice = nn.Sequential(ours.a, ours.a)  # one module under two names: restored once
    func.functional_call(twice, {"0.weight": w}, x)
    assert ours.a.weight is ours.b.weight and isinstance(ours.a.weight, nn.Parameter)
