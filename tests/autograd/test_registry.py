"""The op registry is the single source of truth: every registered op is reachable under
each of its names, as a method and through numpy where declared, has a case in the op table
(so gradcheck, gradgradcheck and jvp cover it), and appears in the op table of docs/ops.md."""
import pathlib

import numpy as np
import pytest

import autograd
import nn  # noqa: F401  (registers nn's fused rules)
from autograd import registry

from op_cases import CASES

ENTRIES = registry.entries()
CASE_IDS = [c.id for c in CASES]
OPS_PAGE = pathlib.Path(__file__).parents[2] / "docs" / "ops.md"


def _id(e):
    return e.name


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_every_name_of_an_op_is_the_same_function(entry):
    for name in (entry.name,) + entry.aliases:
        assert getattr(autograd, name) is entry.fn, name
        assert name in autograd.__all__
    for method in entry.method:
        assert getattr(autograd.Tensor, method) is entry.fn, method
    for dunder in entry.operators:
        assert getattr(autograd.Tensor, dunder) is entry.fn, dunder


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kind != "none"], ids=_id)
def test_every_differentiable_op_has_a_case_in_the_op_table(entry):
    names = (entry.name,) + entry.aliases
    assert any(i == n or i.startswith(n + "-") for i in CASE_IDS for n in names), (
        f"{entry.name} has no case in tests/autograd/op_cases.py: add one (see CONTRIBUTING.md)")


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.ufunc is not None], ids=_id)
def test_numpy_ufuncs_on_tensors_run_the_registered_op(entry):
    ufunc = entry.ufunc
    if not any(t.startswith("d" * ufunc.nin) for t in ufunc.types):  # integers only: bitwise
        x = autograd.tensor([5, 12])
        assert entry.kind == "none"
    else:
        x = autograd.tensor([0.5, 1.5], dtype="float64", requires_grad=True)
    out = ufunc(*([x] * ufunc.nin))
    assert isinstance(out, autograd.Tensor)
    np.testing.assert_allclose(out.data, ufunc(*([x.data] * ufunc.nin)))
    if entry.kind != "none":
        assert out.requires_grad


def test_docs_op_table_is_the_registry_s():
    text = OPS_PAGE.read_text()
    start = text.index("<!-- op table:")
    start = text.index("\n", start) + 1
    end = text.index("<!-- end of op table -->")
    assert text[start:end].strip() == registry.markdown_table().strip(), (
        "docs/ops.md's op table is out of date: regenerate it with "
        "python -c \"import autograd; print(autograd.registry.markdown_table())\"")


def test_an_op_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="op 'exp' is registered twice"):
        registry.register(lambda x: x, "composite", name="exp")


NN_ENTRIES = registry.entries("nn.functional")  # nn's fused rules, registered by nn itself
NN_TESTS = list((pathlib.Path(__file__).parents[1] / "nn").glob("test_*.py"))


@pytest.mark.parametrize("entry", NN_ENTRIES, ids=_id)
def test_nn_fused_rules_are_in_the_registry_exported_and_second_order_checked(entry):
    import nn.functional as F

    assert getattr(F, entry.name) is entry.fn
    assert any(entry.name in text and "gradgradcheck" in text
               for text in (path.read_text() for path in NN_TESTS)), (
        f"nn.functional.{entry.name} is a fused rule: give it a gradgradcheck test in tests/nn")


def test_the_fused_rules_of_nn_are_registered():
    assert {e.name for e in NN_ENTRIES} >= {"linear", "conv2d", "max_pool2d", "avg_pool2d",
                                            "batch_norm", "layer_norm", "group_norm",
                                            "instance_norm", "binary_cross_entropy",
                                            "binary_cross_entropy_with_logits"}
