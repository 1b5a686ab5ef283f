"""Editors see the API without running it: the committed stubs are what the registry
generates, and static completion (jedi, which IPython uses) offers every op as a function and
as a Tensor method, with its signature."""
import pathlib

import pytest

from autograd import registry, stubs

ROOT = pathlib.Path(__file__).parents[2]


@pytest.mark.parametrize("name", sorted(stubs.STUBS))
def test_committed_stubs_are_what_the_registry_generates(name):
    committed = (ROOT / "autograd" / name).read_text()
    assert committed == stubs.STUBS[name](), (
        f"autograd/{name} is out of date: regenerate it with python -m autograd.stubs")


def _complete(code):
    jedi = pytest.importorskip("jedi")
    script = jedi.Script(code, path=str(ROOT / "snippet.py"),
                         project=jedi.Project(str(ROOT), added_sys_path=[str(ROOT)]))
    return script


def test_completion_offers_every_op_as_a_function_and_as_a_method():
    functions = {c.name for c in _complete("import autograd\nautograd.").complete()}
    methods = {c.name for c in _complete(
        "import autograd\nx = autograd.tensor([1.0])\nx.").complete()}
    for entry in registry.entries():
        assert entry.name in functions, entry.name
        for method in entry.method:
            assert method in methods, method
    assert {"sum", "add_", "masked_fill", "backward", "grad", "shape"} <= methods
    assert {"exp", "where", "tensor", "no_grad", "Tensor"} <= functions
    chained = {c.name for c in _complete(
        "import autograd\nx = autograd.randn(3)\n(x * x).exp().").complete()}
    assert "sum" in chained  # elementwise ops are declared to return a Tensor


def test_completion_shows_a_signature():
    (signature,) = _complete("import autograd\nautograd.exp(").get_signatures(2, 13)
    assert signature.name == "exp" and [p.name for p in signature.params] == ["x"]
    (signature,) = _complete("import autograd\nautograd.sum(").get_signatures(2, 13)
    assert "dim" in [p.name for p in signature.params]
