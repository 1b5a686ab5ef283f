"""In-place ops under vmap, as torch.func: writing a batched value into a tensor that is not
batched (a buffer captured from outside) raises, before anything is written, instead of
running the function once per sample (which would change the tensor once per sample); a
batched target is written once, physically; batch norm refuses running statistics shared by
the samples, and `replace_all_batch_norm_modules_` patches a model so that vmap batches it."""
import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
import optim
from autograd.func import grad, replace_all_batch_norm_modules_, vmap


@pytest.fixture(autouse=True)
def _no_loop():
    """No function here may fall back to running whole once per sample (an op without a
    batching rule may still loop on its own)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="vmap: the op .* reads the values")
        yield


def _refused(op):
    return rf"vmap: {op}\(self, \*extra_args\) is not possible .* `self` not being vmapped over"


IDX = autograd.tensor([0, 2])
ROUTES = [  # (op named in the error, the in-place write of a sample x into buf)
    ("add_", lambda b, x: b.add_(x)),
    ("sub_", lambda b, x: b.sub_(x, alpha=2)),
    ("mul_", lambda b, x: b.mul_(x)),
    ("div_", lambda b, x: b.div_(x)),
    ("pow_", lambda b, x: b.pow_(x)),
    ("add_", lambda b, x: b.__iadd__(x)),                      # buf += x
    ("add_", lambda b, x: b.add_(autograd.ones(3), alpha=x[0])),
    ("copy_", lambda b, x: b.copy_(x)),
    ("copy_", lambda b, x: b.fill_(x[0])),
    ("setitem", lambda b, x: b.__setitem__(0, x[0])),          # buf[0] = x[0]
    ("setitem", lambda b, x: b.__setitem__(slice(0, 2), x[1:])),
    ("setitem", lambda b, x: b.__setitem__(x > 0, 1.0)),        # a batched mask
    ("clamp_", lambda b, x: b.clamp_(min=x)),
    ("scatter_", lambda b, x: b.scatter_(0, IDX, x[:2])),
    ("scatter_add_", lambda b, x: b.scatter_add_(0, IDX, x[:2])),
    ("scatter_reduce_", lambda b, x: b.scatter_reduce_(0, IDX, x[:2], "amax")),
    ("index_add_", lambda b, x: b.index_add_(0, IDX, x[:2])),
    ("index_copy_", lambda b, x: b.index_copy_(0, IDX, x[:2])),
    ("index_fill_", lambda b, x: b.index_fill_(0, IDX, x[0])),  # cannot be batched at all
    ("masked_fill_", lambda b, x: b.masked_fill_(x > 0, 1.0)),
    ("masked_scatter_", lambda b, x: b.masked_scatter_(autograd.tensor([True, False, True]),
                                                        x)),
]


@pytest.mark.parametrize("op, write", ROUTES, ids=[f"{op}-{i}" for i, (op, _) in
                                                   enumerate(ROUTES)])
def test_a_batched_value_written_into_an_unbatched_tensor_raises_and_loses_nothing(op, write):
    buf = autograd.tensor([0.5, 1.5, 2.5])
    version = buf._version

    def f(x):
        write(buf, x)
        return x * 2

    with pytest.raises(RuntimeError, match=_refused(op)):
        vmap(f)(autograd.randn(4, 3))
    assert buf.tolist() == [0.5, 1.5, 2.5] and buf._version == version


def test_the_message_says_what_works():
    buf = autograd.zeros(3)
    with pytest.raises(RuntimeError, match=r"out-of-place operators instead of add_ \(y = x "
                       r"\+ other.*or batch `self` too: pass it to the vmapped function"):
        vmap(lambda x: buf.add_(x))(autograd.randn(4, 3))


def test_a_parameter_updated_by_hand_under_no_grad_raises():
    w = nn.Parameter(autograd.zeros(3))

    def step(g):
        with autograd.no_grad():
            w.sub_(0.1 * g)
        return g

    with pytest.raises(RuntimeError, match=_refused("sub_")):
        vmap(step)(autograd.randn(4, 3))
    assert w.tolist() == [0.0, 0.0, 0.0]


def test_a_target_batched_at_the_outer_level_only_raises_at_the_inner_one():
    ys = autograd.randn(2, 3)

    def outer(b):
        return vmap(lambda y: b.add_(y) * 1)(ys)

    bufs = autograd.zeros(4, 3)
    with pytest.raises(RuntimeError, match=_refused("add_") + " at level 2"):
        vmap(outer)(bufs)
    assert not bufs.numpy().any()


# ------------------------------------------------------------ batched targets keep working
def test_in_place_ops_on_batched_targets_are_written_once_on_the_whole_batch():
    x = autograd.randn(4, 3, dtype="float64")
    y = autograd.randn(4, 3, dtype="float64")
    ones = autograd.ones(3, dtype="float64")

    def f(a, b):
        a = a.clone()
        a.add_(1)                 # a number
        a.mul_(ones * 2)          # an unbatched operand
        a.sub_(b)                 # both batched
        a[0] = 5.0
        a[1:] += b[1:]            # through a view
        return a

    def one(a, b):
        a = (a + 1) * 2 - b
        a[0] = 5.0
        a[1:] += b[1:]
        return a

    expected = np.stack([one(x[i].clone(), y[i]).numpy() for i in range(4)])
    np.testing.assert_allclose(vmap(f)(x, y).numpy(), expected, rtol=1e-12)


def test_an_unbatched_source_is_repeated_into_a_batched_target():
    x = autograd.randn(4, 3)
    out = vmap(lambda a: a.clone().copy_(autograd.tensor([1.0, 2.0, 3.0])))(x)
    assert out.tolist() == [[1.0, 2.0, 3.0]] * 4


def test_an_in_place_op_on_a_mapped_input_changes_the_input_as_torch_does():
    x = autograd.zeros(3, 4)   # mapped over axis 1: each sample is a column
    vmap(lambda a: a.add_(autograd.tensor([1.0, 2.0, 3.0])), in_dims=1)(x)
    assert x.tolist() == [[1.0] * 4, [2.0] * 4, [3.0] * 4]


def test_an_unbatched_write_inside_vmap_happens_once():
    buf = autograd.zeros(3)
    vmap(lambda x: (buf.add_(1), x * 2)[1])(autograd.randn(4, 3))
    assert buf.tolist() == [1.0, 1.0, 1.0]


def test_gradients_flow_through_an_in_place_op_on_a_batched_target():
    x = autograd.randn(5, 3, dtype="float64")

    def loss(a):
        b = a.clone()
        b.mul_(a)                # b = a * a
        return b.sum()

    np.testing.assert_allclose(vmap(grad(loss))(x).numpy(), 2 * x.numpy(), rtol=1e-12)


# ------------------------------------------------------------ the per-sample fallback
def test_the_fallback_refuses_to_repeat_a_write_into_a_captured_tensor():
    """`sort` reads its batched input in Python (no batching rule): vmap would run f once per
    sample, adding 1 into buf once per sample, where PyTorch adds it once."""
    buf = autograd.zeros(3)

    def f(x):
        buf.add_(1)
        return autograd.sort(x).values

    with pytest.raises(RuntimeError, match=r"the op 'sort' reads the values .* would repeat "
                       r"what it has already changed in place \(add_"):
        vmap(f)(autograd.randn(4, 3))
    assert buf.tolist() == [1.0] * 3      # once, by the batched run, not 1 + 4 times


def test_the_fallback_refuses_to_repeat_a_write_into_an_input():
    x = autograd.zeros(4, 3)

    def f(a):
        a[1:].add_(1)                      # a view of the input
        return autograd.sort(a).values

    with pytest.raises(RuntimeError, match=r"would repeat .*\(add_"):
        vmap(f)(x)
    assert x.numpy()[:, 0].tolist() == [0.0] * 4 and (x.numpy()[:, 1:] == 1).all()


def test_the_fallback_still_runs_a_function_whose_writes_are_its_own():
    x = autograd.randn(4, 3, dtype="float64")

    def f(a):
        b = a.clone()
        b.add_(1)
        return autograd.sort(b).values

    with pytest.warns(UserWarning, match="the op 'sort' reads the values"):
        out = vmap(f)(x)
    np.testing.assert_allclose(out.numpy(), np.sort(x.numpy() + 1, axis=1), rtol=1e-12)


# ------------------------------------------------------------ optimizers, embedding
@pytest.mark.parametrize("Opt", [optim.SGD, optim.Adam])
def test_an_optimizer_step_with_batched_gradients_raises_before_any_update(Opt):
    first, second = nn.Parameter(autograd.zeros(3)), nn.Parameter(autograd.ones(3))
    opt = Opt([first, second], lr=0.1)

    def f(g):
        first.grad, second.grad = autograd.ones(3), g   # the first one alone is plain
        opt.step()
        return g

    with pytest.raises(RuntimeError, match=rf"vmap: {Opt.__name__}\.step: .* batched by vmap.*"
                       r"step outside vmap"):
        vmap(f)(autograd.randn(4, 3))
    assert first.tolist() == [0.0] * 3 and second.tolist() == [1.0] * 3 and not opt.state


def test_embedding_max_norm_refuses_to_rescale_a_shared_weight():
    w = autograd.full((5, 3), 3.0)
    with pytest.raises(RuntimeError, match=_refused("embedding_renorm_")):
        vmap(lambda i: F.embedding(i, w, max_norm=1.0))(autograd.tensor([[0, 1], [2, 3]]))
    assert (w.numpy() == 3.0).all()


# ------------------------------------------------------------ batch norm
def _buffers(module):
    return {k: v.numpy().copy() for k, v in module.named_buffers()}


@pytest.mark.parametrize("make, x_shape, name", [
    (lambda: nn.BatchNorm1d(3), (4, 5, 3), "batch_norm"),
    (lambda: nn.BatchNorm1d(3, momentum=None), (4, 5, 3), "batch_norm"),
    (lambda: nn.BatchNorm2d(2), (4, 3, 2, 2, 2), "batch_norm"),
    (lambda: nn.InstanceNorm2d(2, track_running_stats=True), (4, 3, 2, 2, 2),
     "instance_norm"),
])
def test_batch_norm_in_training_with_running_statistics_raises_and_keeps_them(make, x_shape,
                                                                               name):
    norm = make()
    before = _buffers(norm)
    with pytest.raises(RuntimeError, match=rf"vmap: {name} got a batched tensor as input "
                       r"while the running_mean or running_var.*eval mode.*"
                       r"`track_running_stats` to False.*replace_all_batch_norm_modules_"):
        vmap(norm)(autograd.randn(*x_shape))
    after = _buffers(norm)
    assert after.keys() == before.keys()
    assert all((after[k] == before[k]).all() for k in before)


def test_the_functional_batch_norm_raises_too():
    mean, var = autograd.zeros(3), autograd.ones(3)
    with pytest.raises(RuntimeError, match="vmap: batch_norm got a batched tensor"):
        vmap(lambda x: F.batch_norm(x, mean, var, training=True))(autograd.randn(4, 5, 3))
    assert mean.tolist() == [0.0] * 3 and var.tolist() == [1.0] * 3


def _per_sample(fn, x):
    return np.stack([fn(x[i]).detach().numpy() for i in range(x.shape[0])])


@pytest.mark.parametrize("make", [
    lambda: nn.BatchNorm1d(3).eval(),
    lambda: nn.BatchNorm1d(3, track_running_stats=False),
    lambda: replace_all_batch_norm_modules_(nn.BatchNorm1d(3)),
])
def test_batch_norm_without_running_updates_batches(make):
    norm = make().double()
    x = autograd.randn(4, 5, 3, dtype="float64")
    np.testing.assert_allclose(vmap(norm)(x).detach().numpy(), _per_sample(norm, x),
                               rtol=1e-10, atol=1e-12)


def test_running_statistics_batched_with_the_input_are_updated_per_sample():
    x = autograd.randn(4, 5, 3, dtype="float64")
    means, variances = autograd.zeros(4, 3, dtype="float64"), autograd.ones(4, 3,
                                                                            dtype="float64")
    out = vmap(lambda x, m, v: F.batch_norm(x, m, v, training=True))(x, means, variances)
    for i in range(4):
        m, v = autograd.zeros(3, dtype="float64"), autograd.ones(3, dtype="float64")
        np.testing.assert_allclose(out[i].numpy(), F.batch_norm(x[i], m, v, training=True)
                                   .numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(means[i].numpy(), m.numpy(), rtol=1e-12)
        np.testing.assert_allclose(variances[i].numpy(), v.numpy(), rtol=1e-12)


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.InstanceNorm2d(2), (4, 3, 2, 2, 2)),
    (lambda: nn.GroupNorm(1, 2), (4, 3, 2, 5)),
    (lambda: nn.LayerNorm(3), (4, 2, 3)),
])
def test_norms_without_running_statistics_batch_as_before(make, shape):
    norm = make().double()
    x = autograd.randn(*shape, dtype="float64")
    np.testing.assert_allclose(vmap(norm)(x).detach().numpy(), _per_sample(norm, x),
                               rtol=1e-10, atol=1e-12)


def test_replace_all_batch_norm_modules_patches_every_batch_norm_in_place():
    model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3),
                          nn.Sequential(nn.BatchNorm2d(2)),
                          nn.InstanceNorm2d(2, track_running_stats=True))
    assert replace_all_batch_norm_modules_(model) is model
    for bn in (model[1], model[2][0]):
        assert not bn.track_running_stats
        assert bn.running_mean is bn.running_var is bn.num_batches_tracked is None
    assert model[3].track_running_stats and model[3].running_mean is not None  # as torch
    assert set(model.state_dict()) == {"0.weight", "0.bias", "1.weight", "1.bias",
                                       "2.0.weight", "2.0.bias", "3.running_mean",
                                       "3.running_var", "3.num_batches_tracked"}


def test_vmap_of_a_patched_batch_norm_equals_torch_func():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((4, 5, 3))
    ours = replace_all_batch_norm_modules_(nn.BatchNorm1d(3).double())
    theirs = torch.func.replace_all_batch_norm_modules_(torch.nn.BatchNorm1d(3).double())
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor([1.0, 2.0, 0.5]))
        theirs.bias.copy_(torch.tensor([0.0, -1.0, 3.0]))
    ours.weight.data = autograd.tensor([1.0, 2.0, 0.5], dtype="float64")
    ours.bias.data = autograd.tensor([0.0, -1.0, 3.0], dtype="float64")
    expected = torch.func.vmap(theirs)(torch.tensor(x)).detach().numpy()
    got = vmap(ours)(autograd.tensor(x)).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
