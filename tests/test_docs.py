"""Every public class and function of nn and optim documents itself with a short example."""
import inspect

import pytest

import nn
import nn.functional as F
import optim
import optim.lr_scheduler

NAMESPACES = {"nn": nn, "nn.functional": F, "nn.init": nn.init, "nn.utils": nn.utils,
              "optim": optim, "optim.lr_scheduler": optim.lr_scheduler,
              "optim.swa_utils": optim.swa_utils}


def public_api():
    for prefix, namespace in NAMESPACES.items():
        names = getattr(namespace, "__all__", None) or \
            [n for n in dir(namespace) if not n.startswith("_")]
        for name in names:
            obj = getattr(namespace, name)
            if inspect.isclass(obj) and issubclass(obj, Exception):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{prefix}.{name}", obj


@pytest.mark.parametrize("name, obj", list(public_api()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_public_name_has_a_docstring_with_an_example(name, obj):
    assert ">>>" in (obj.__doc__ or ""), f"{name} needs a docstring with a short >>> example"
