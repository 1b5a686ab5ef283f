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


# PyTorch's rule: x gets the gradient on [min, max] (ties included), min where x < min < max,
# max where x > max or max < min (then the result is max everywhere)
_X = [-2.0, 0.0, 0.5, 1.0, 3.0]


@pytest.mark.parametrize("use, grads", [
    (lambda x, lo, hi: x.clamp(min=lo), ([0, 1, 1, 1, 1], [1, 0, 0, 0, 0], None)),
    (lambda x, lo, hi: x.clamp(max=hi), ([1, 1, 1, 1, 0], None, [0, 0, 0, 0, 1])),
    (lambda x, lo, hi: autograd.clamp(x, lo, hi), ([0, 1, 1, 1, 0], [1, 0, 0, 0, 0],
                                                   [0, 0, 0, 0, 1])),
    (lambda x, lo, hi: autograd.clip(x, hi, lo), ([0] * 5, [1] * 5, [0] * 5)),  # min > max
    (lambda x, lo, hi: x.clamp_min(lo), ([0, 1, 1, 1, 1], [1, 0, 0, 0, 0], None)),
    (lambda x, lo, hi: autograd.clamp_max(x, hi), ([1, 1, 1, 1, 0], None, [0, 0, 0, 0, 1])),
    (lambda x, lo, hi: (x * 1).clamp_(lo, hi), ([0, 1, 1, 1, 0], [1, 0, 0, 0, 0],
                                               [0, 0, 0, 0, 1])),
    (lambda x, lo, hi: (x * 1).clamp_min_(lo), ([0, 1, 1, 1, 1], [1, 0, 0, 0, 0], None)),
    (lambda x, lo, hi: (x * 1).clip_(max=hi), ([1, 1, 1, 1, 0], None, [0, 0, 0, 0, 1])),
], ids=["min", "max", "both", "min>max", "clamp_min", "clamp_max", "clamp_", "clamp_min_",
        "clip_"])
def test_a_tensor_bound_that_requires_grad_gets_its_gradient(use, grads):
    x, lo, hi = leaf(_X), leaf([0.0] * 5), leaf([1.0] * 5)
    use(x, lo, hi).sum().backward()
    # (the min>max row passes hi as min and lo as max: the gradient goes to its max, lo)
    for t, want in zip((x, lo, hi), grads):
        assert (t.grad is None) if want is None else np.array_equal(np.asarray(t.grad), want)


def test_a_broadcast_bound_gets_its_gradient_summed_to_its_shape():
    x, lo = leaf([[-1.0, 2.0], [-3.0, 0.5]]), leaf([0.0])
    x.clamp(min=lo).sum().backward()
    np.testing.assert_allclose(np.asarray(lo.grad), [2.0])


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


def test_data_assigned_a_tensor_shares_its_counter():
    t = autograd.tensor([1.0, 2.0], dtype="float64")
    p = nn.Parameter(autograd.zeros(2, dtype="float64"))
    p.data = t  # p now shares t's memory, as in PyTorch
    x = leaf([3.0, 4.0])
    y = (x * p).sum()
    t.add_(1)
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


# ------------------------------------------------ 4. complex dtypes are refused everywhere
COMPLEX = "complex values .* are not supported"


@pytest.mark.parametrize("make", [
    lambda: autograd.tensor([1j]),
    lambda: autograd.Tensor(np.ones(2, complex)),
    lambda: autograd.from_numpy(np.ones(2, np.complex64)),
    lambda: autograd.as_tensor(np.ones(2, complex)),
    lambda: autograd.zeros(2, dtype=complex),
    lambda: autograd.full((2,), 1j),
    lambda: autograd.ones(2) * np.array([1j]),
    lambda: autograd.ones(2, requires_grad=True) + 1j,
    lambda: autograd.ones(2).astype(complex),
    lambda: autograd.ones(2).to(np.complex64),
    lambda: autograd.ones(2).fill_(1j),
    lambda: autograd.ones(2).copy_(np.ones(2, complex)),
    lambda: autograd.ones(2).__setitem__(0, 1j),
], ids=["tensor", "Tensor", "from_numpy", "as_tensor", "zeros", "full", "ndarray-operand",
        "scalar-operand", "astype", "to", "fill_", "copy_", "setitem"])
def test_complex_values_are_refused_at_every_entry_point(make):
    with pytest.raises(autograd.DtypeError, match=COMPLEX + "|cannot store"):
        make()


# ------------------------------------------------ 5. deepcopy
def test_a_deep_copy_shows_its_own_in_place_changes():
    import copy

    t = autograd.tensor([1.0, 2.0])
    t.numpy()  # caches the read-only view
    c = copy.deepcopy(t)
    c.copy_(autograd.tensor([5.0, 6.0]))
    for values in (c.numpy(), np.asarray(c), c.data):
        np.testing.assert_array_equal(np.asarray(values), [5.0, 6.0])
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


def test_a_deep_copy_of_a_model_shows_its_own_changes():
    import copy

    model = nn.Linear(2, 2)
    before = np.array(model.weight.numpy())
    twin = copy.deepcopy(model)
    with autograd.no_grad():
        twin.weight.fill_(3.0)
    np.testing.assert_array_equal(twin.weight.numpy(), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(np.asarray(twin.weight), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(model.weight.numpy(), before)


# ------------------------------------------------ 6. bad input: clear errors
def _checkpoint(path, structure, members=()):
    import io
    import zipfile

    def npy(array):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, array)
        return buffer.getvalue()

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("structure.npy", npy(np.array(
            '{"format": "autograd.save", "version": 1, "object": ' + structure + "}")))
        for name, data in members:
            archive.writestr(name, data(npy) if callable(data) else data)
    return path


_ARRAY = '{"ndarray": 0}'


@pytest.mark.parametrize("structure, members, match", [
    ("[" * 600 + "]" * 600, (), "nests more than 100 levels"),
    ("[" * 100_000 + "]" * 100_000, (), "nests more than 100 levels"),
    (_ARRAY, [("a0.npy", lambda npy: npy(np.zeros(3)).replace(b"(3,)", b"(3,("))], "corrupt"),
    (_ARRAY, [("a0.npy", lambda npy: npy(np.zeros(3)).replace(b"(3,), ", b"(10**11,)"))],
     "corrupt"),
    (_ARRAY, [("a0.npy", lambda npy: npy(np.zeros(3)).replace(b"(3,), ", b"(100000000000,)"))],
     r"claims shape \(100000000000,\)"),
], ids=["600-deep", "100000-deep", "corrupt-header", "bad-shape", "1e11-elements"])
def test_a_hostile_checkpoint_raises_checkpoint_error(tmp_path, structure, members, match):
    path = _checkpoint(tmp_path / "bad.pt", structure, members)
    with pytest.raises(autograd.CheckpointError, match=match):
        autograd.load(path)


def test_save_refuses_to_replace_a_read_only_checkpoint(tmp_path):
    path = tmp_path / "ro.pt"
    autograd.save({"w": autograd.ones(2)}, path)
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        autograd.save({"w": autograd.zeros(2)}, path)
    np.testing.assert_array_equal(autograd.load(path)["w"].numpy(), [1.0, 1.0])


def test_save_refuses_what_load_would_refuse(tmp_path):
    nested = []
    for _ in range(150):
        nested = [nested]
    with pytest.raises(ValueError, match="nests more than 100"):
        autograd.save(nested, tmp_path / "deep.pt")


def test_load_accepts_pytorch_s_keywords(tmp_path):
    path = tmp_path / "w.pt"
    autograd.save({"w": autograd.ones(2)}, path)
    for kwargs in ({"weights_only": True, "map_location": None}, {"map_location": "cpu"},
                   {"map_location": autograd.device("cpu"), "weights_only": False}):
        np.testing.assert_array_equal(autograd.load(path, **kwargs)["w"].numpy(), [1.0, 1.0])
    with pytest.raises(autograd.DeviceError, match="CPU"):
        autograd.load(path, map_location="cuda:0")


def test_to_an_unknown_dtype_says_dtype():
    x = autograd.ones(2)
    with pytest.raises(autograd.DtypeError, match="unknown dtype 'float33'"):
        x.to("float33")
    with pytest.raises(autograd.DtypeError, match="unknown dtype 'float33'"):
        x.to(dtype="float33")
    with pytest.raises(autograd.DeviceError, match="CPU"):
        x.to("cuda")
    with pytest.raises(autograd.DtypeError, match="unknown dtype 'float33'"):
        nn.Linear(2, 1).to("float33")


def test_storing_a_string_says_dtype():
    for x in (autograd.zeros(3), autograd.zeros(3, requires_grad=True) * 1):
        with pytest.raises(autograd.DtypeError, match="cannot store 'a' in a tensor of dtype"):
            x[0] = "a"


# ------------------------------------------------ 7. detect_anomaly does what it says
def test_detect_anomaly_checks_backward_for_nan_as_its_docstring_says():
    x = leaf([0.0, 1.0])
    with autograd.detect_anomaly(), np.errstate(all="ignore"):
        y = autograd.log(x)  # -inf in forward: not an anomaly (PyTorch checks backward only)
        y.sum().backward()  # an inf gradient is not one either
        assert np.isinf(np.asarray(x.grad)[0])
        z = (x - 1).sqrt()  # NaN in forward: not checked, as PyTorch
        assert np.isnan(np.asarray(z)[0])
        with pytest.raises(autograd.AnomalyError, match="reverse rule of mul returned NaN"):
            (x * float("nan")).sum().backward()
    with autograd.detect_anomaly(check_nan=False):
        (x * float("nan")).sum().backward()
    assert "forward pass is not checked" in autograd.detect_anomaly.__doc__


# ------------------------------------------------ 9. PyTorch's engine idioms
def test_next_functions_are_pytorch_s_pairs():
    x = leaf([1.0, 2.0])
    c = autograd.tensor([3.0, 4.0], dtype="float64")
    y = (x * c).exp()
    (mul, index), = y.grad_fn.next_functions
    assert index == 0 and mul.name() == "mul" and mul.name == "mul"
    (acc, i0), (none, i1) = mul.next_functions
    assert acc.variable is x and acc.name() == "AccumulateGrad" and acc.next_functions == ()
    assert none is None and i0 == i1 == 0


def test_a_custom_function_may_return_extra_trailing_nones():
    class Double(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = leaf([1.0, 2.0])
    Double.apply(x).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), [2.0, 2.0])

    class Wrong(Double):
        @staticmethod
        def backward(ctx, g):
            return g * 2, g

    with pytest.raises(autograd.BackwardError, match="returned 2 gradient"):
        Wrong.apply(leaf([1.0])).sum().backward()


def test_grad_accepts_pytorch_s_keywords():
    x = leaf([1.0, 2.0])
    u = leaf([1.0])
    g, = autograd.grad((x * x).sum(), x, only_inputs=True)
    np.testing.assert_allclose(np.asarray(g), [2.0, 4.0])
    gx, gu = autograd.grad((x * x).sum(), (x, u), materialize_grads=True)
    np.testing.assert_allclose(np.asarray(gu), [0.0])


@pytest.mark.parametrize("f", [nn.functional.relu, nn.functional.leaky_relu,
                               lambda x: x.abs(), lambda x: nn.functional.prelu(
                                   x, autograd.tensor([0.25], dtype="float64"))],
                         ids=["relu", "leaky_relu", "abs", "prelu"])
def test_a_second_derivative_that_is_identically_zero_is_zeros(f):
    # PyTorch: the first derivative depends on x (through a mask), so it requires grad and
    # the second derivative is zeros, not an error
    x = leaf([-1.0, 2.0, 3.0])
    g, = autograd.grad(f(x).sum(), x, create_graph=True)
    assert g.requires_grad
    g2, = autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(np.asarray(g2), [0.0, 0.0, 0.0])
    _, tangent = autograd.jvp(lambda x: autograd.grad(f(x).sum(), x, create_graph=True)[0],
                              (x,), (autograd.ones(3, dtype="float64"),))  # forward mode too
    assert isinstance(tangent, autograd.Tensor)
    np.testing.assert_array_equal(np.asarray(tangent), [0.0, 0.0, 0.0])


@pytest.mark.parametrize("f", [lambda x: 2 * x, lambda x: x * 3 + x, lambda x: x])
def test_the_derivative_of_a_linear_function_is_a_constant_as_in_pytorch(f):
    x = leaf([-1.0, 2.0])
    g, = autograd.grad(f(x).sum(), x, create_graph=True)
    assert not g.requires_grad  # PyTorch: "element 0 of tensors does not require grad"
    with pytest.raises(autograd.BackwardError, match="does not require grad"):
        autograd.grad(g.sum(), x)


def test_there_is_no_gpu():
    assert autograd.cuda.is_available() is False and autograd.cuda.device_count() == 0
    assert autograd.backends.mps.is_available() is False
    for make in (lambda: autograd.device("cuda"), lambda: autograd.ones(2).cuda(),
                 lambda: autograd.ones(2).to("cuda"), lambda: autograd.ones(2).to("cuda:1"),
                 lambda: nn.Linear(2, 1).cuda(), lambda: nn.Linear(2, 1).to("cuda")):
        with pytest.raises(autograd.DeviceError, match="CPU"):
            make()


# ------------------------------------------------ 8. .data: a detached Tensor sharing memory
@pytest.mark.parametrize("change", [
    lambda d, g: d.normal_(), lambda d, g: d.uniform_(-1, 1), lambda d, g: d.fill_(2.0),
    lambda d, g: d.zero_(), lambda d, g: d.add_(g), lambda d, g: d.sub_(g, alpha=0.1),
    lambda d, g: d.mul_(2.0), lambda d, g: d.copy_(g), lambda d, g: d.clamp_(0.5, 0.7),
    lambda d, g: d.__setitem__(0, 5.0), lambda d, g: d.__isub__(0.1 * g),
], ids=["normal_", "uniform_", "fill_", "zero_", "add_", "sub_", "mul_", "copy_", "clamp_",
        "setitem", "-="])
def test_changing_data_changes_the_parameter_and_counts_its_version(change):
    p = nn.Parameter(autograd.tensor([0.25, 0.5, 0.75], dtype="float64"))
    p.grad = autograd.tensor([1.0, 2.0, 3.0], dtype="float64")
    twin = autograd.tensor(p.numpy())  # a plain copy gets the same change
    autograd.manual_seed(0)
    change(twin, p.grad.detach())
    x = leaf([1.0, 2.0, 3.0])
    loss = (x * p).sum()  # saves p
    version = p._version
    autograd.manual_seed(0)
    change(p.data, p.grad)
    np.testing.assert_array_equal(p.numpy(), twin.numpy())
    assert p._version > version and p.is_leaf and p.requires_grad
    with pytest.raises(InplaceError, match=STALE):  # safer than PyTorch's unchecked .data
        loss.backward()


def test_the_micrograd_update_works_on_parameters():
    layer = nn.Linear(2, 1)
    before = np.array(layer.weight.numpy())
    layer(autograd.ones(1, 2)).sum().backward()
    for p in layer.parameters():
        p.data -= 0.1 * p.grad
    np.testing.assert_allclose(layer.weight.numpy(), before - 0.1)
    assert layer.weight.is_leaf and isinstance(layer.weight, nn.Parameter)
    layer(autograd.ones(1, 2)).sum().backward()  # and the next step's graph is fine


def test_data_works_where_an_array_did():
    t = autograd.tensor([[1.0, 2.0]], requires_grad=True)
    d = t.data
    assert not d.requires_grad and d.grad_fn is None
    assert d.shape == (1, 2) and d.dtype == np.float32 and d.tolist() == [[1.0, 2.0]]
    np.testing.assert_array_equal(d, [[1.0, 2.0]])
    assert float(d[0, 1]) == 2.0 and np.asarray(d).shape == (1, 2)
    t.data = np.zeros((1, 2), np.float32)  # assignment stays
    np.testing.assert_array_equal(t.numpy(), [[0.0, 0.0]])
    t.data = autograd.ones(1, 2)
    np.testing.assert_array_equal(t.numpy(), [[1.0, 1.0]])


@pytest.mark.parametrize("use", [lambda x, i: x[i], lambda x, i: x[i, None],
                                 lambda x, i: x.gather(0, i)], ids=["x[i]", "x[i, None]", "gather"])
def test_a_plain_ndarray_index_is_copied(use):
    x = leaf([1.0, 2.0, 3.0])
    i = np.array([0, 0])
    y = use(x * 1, i).sum()
    i[:] = 2
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), [2.0, 0.0, 0.0])


def test_a_plain_ndarray_mask_is_copied():
    x = leaf([1.0, 2.0, 3.0])
    m = np.array([True, False, True])
    y = autograd.where(m, x, 0.0).sum()
    m[:] = False
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), [1.0, 0.0, 1.0])
# ------------------------------------------------ 10. numerics at PyTorch's limits
def test_norm_of_huge_and_tiny_entries_does_not_overflow_through_squaring():
    for p in (2, 3, 2.5):
        for value in (1e200, -1e200, 1e-200):
            x = leaf([value])
            n = x.norm(p=p)
            (g,) = autograd.grad(n, x)
            assert n.item() == pytest.approx(abs(value), rel=1e-14)
            assert g.item() == pytest.approx(np.sign(value), rel=1e-14)
    # several entries, per slice along a dim: the same numbers as unscaled ones, scaled
    x = np.array([[3.0, 4.0], [1.0, -2.0]])
    for scale in (1e200, 1e-200):
        big = leaf(x * np.array([[scale], [1.0]]))
        n = big.norm(dim=1)
        (g,) = autograd.grad(n.sum(), big)
        np.testing.assert_allclose(n.numpy(), [5 * scale, 5 ** 0.5], rtol=1e-14)
        np.testing.assert_allclose(g.numpy(), x / np.array([[5.0], [5 ** 0.5]]), rtol=1e-14)
    assert autograd.gradgradcheck(lambda a: (a * 1e200).norm(p=3, dim=0) / 1e200,
                                  leaf([[0.3, -1.2], [0.7, 0.4]]))


@pytest.mark.parametrize("p", [2, 3, 1.5])
def test_norm_of_a_zero_vector_has_gradient_zero(p):
    x = leaf([[0.0, 0.0], [3.0, -4.0]])
    n = x.norm(p=p, dim=1)
    (g,) = autograd.grad(n.sum(), x)
    assert np.isfinite(g.numpy()).all()
    np.testing.assert_array_equal(g.numpy()[0], [0.0, 0.0])
    z = leaf([0.0, 0.0, 0.0])
    (g,) = autograd.grad(z.norm(p=p), z)
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 0.0])


def test_logaddexp_and_softplus_have_gradient_one_at_plus_inf():
    inf = np.inf
    x, y = leaf([inf, -inf, 0.0, inf]), leaf([0.0, 0.0, inf, -inf])
    gx, gy = autograd.grad(autograd.logaddexp(x, y).sum(), (x, y))
    np.testing.assert_array_equal(gx.numpy(), [1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [0.0, 1.0, 1.0, 0.0])
    gx, gy = autograd.grad(x.logaddexp(y).sum(), (x, y))  # PyTorch's method too
    np.testing.assert_array_equal(gx.numpy(), [1.0, 0.0, 0.0, 1.0])
    z = leaf([inf, -inf, 800.0])
    for f in (nn.functional.softplus, lambda a: nn.functional.softplus(a, beta=2, threshold=1e4)):
        (g,) = autograd.grad(f(z).sum(), z)
        np.testing.assert_array_equal(g.numpy(), [1.0, 0.0, 1.0])
    # and the losses built on it: finite gradients at infinite logits, as PyTorch's
    logits, target = leaf([inf, -inf, inf, -inf]), leaf([1.0, 0.0, 0.0, 1.0]).detach()
    loss = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="sum")
    (g,) = autograd.grad(loss, logits)
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 1.0, -1.0])


def test_gather_with_an_index_of_another_rank_raises():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(autograd.ShapeError, match=r"gather: index of shape \(2,\).*as many "
                                                  r"dimensions as the input \(2\)"):
        x.gather(1, autograd.tensor([0, 1]))
    with pytest.raises(autograd.ShapeError, match="gather"):
        x[0].gather(0, autograd.tensor([[0]]))
    np.testing.assert_array_equal(x.gather(1, autograd.tensor([[2], [0]])).numpy(), [[3], [4]])


def test_norm_of_empty_slices_is_zero():
    # found by the long fuzz: an empty reduced axis leaves sums of 0, which looked underflowed
    x = leaf(np.zeros((2, 0)))
    n = x.norm(dim=1)
    np.testing.assert_array_equal(n.numpy(), [0.0, 0.0])
    (g,) = autograd.grad(n.sum(), x)
    assert g.shape == (2, 0)
