"""Whole networks: layers composed end to end stay differentiable and gradient-checkable."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def small_cnn():
    """Conv2d + BatchNorm2d + ReLU + MaxPool2d + Linear, the issue's end-to-end network."""
    autograd.manual_seed(0)
    return nn.Sequential(nn.Conv2d(2, 3, kernel_size=3, padding=1), nn.BatchNorm2d(3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3 * 2 * 3, 4)).double()


def check_whole_model(model, x, target):
    """gradcheck of the loss with respect to the input and every parameter at once."""
    names = [name for name, _ in model.named_parameters()]

    def loss(x, *params):
        out = nn.utils.functional_call(model, dict(zip(names, params)), x)
        return F.cross_entropy(out, target)

    params = tuple(p.detach().requires_grad_() for p in model.parameters())
    return autograd.gradcheck(loss, (x.requires_grad_(),) + params)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_cnn_gradchecks_end_to_end_in_float64(mode):
    model = small_cnn()
    model(autograd.randn(4, 2, 4, 6, dtype="float64"))  # running statistics for eval mode
    model.train(mode == "train")
    x = autograd.randn(3, 2, 4, 6, dtype="float64")
    assert check_whole_model(model, x, autograd.tensor([0, 3, 1]))


def test_cnn_output_shape_and_parameter_names():
    model = small_cnn()
    assert model(autograd.randn(5, 2, 4, 6, dtype="float64")).shape == (5, 4)
    assert [name for name, _ in model.named_parameters()] == [
        "0.weight", "0.bias", "1.weight", "1.bias", "5.weight", "5.bias"]
    assert list(model.state_dict())[4:7] == ["1.running_mean", "1.running_var",
                                             "1.num_batches_tracked"]


def test_a_model_saved_and_loaded_computes_the_same_function():
    model, copy = small_cnn().eval(), small_cnn()
    model[1].running_mean.detach().copy_([0.5, -1.0, 2.0])
    with autograd.no_grad():
        for p in copy.parameters():
            p += 1.0
    copy.load_state_dict({k: v.numpy() for k, v in model.state_dict().items()})
    copy.eval()
    x = autograd.randn(2, 2, 4, 6, dtype="float64")
    np.testing.assert_array_equal(copy(x).numpy(), model(x).numpy())


def test_draw_graph_of_a_model_names_its_ops():
    model = small_cnn()
    loss = F.cross_entropy(model(autograd.randn(2, 2, 4, 6, dtype="float64")),
                           autograd.tensor([1, 2]))
    source = autograd.draw_graph(loss).source
    assert "conv" in source and "max_pool" in source and source.count("->") > 10
