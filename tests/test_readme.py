"""The README is the front door: short, its tour runs as written, and every page of docs/ is
linked from it; the docs pages' examples run as written and compute what they claim."""
import doctest
import pathlib
import re
import sys
import textwrap
import types

import numpy as np
import pytest

import autograd

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# a fenced python block; one preceded by `<!-- not run: why -->` (a fragment) or by
# `<!-- run by tests/...: what it checks -->` (an example with a test of its own) is left out
BLOCK = re.compile(r"^( *)(<!-- (?:not run|run by)[^>]*-->\n *)?```python\n(.*?)^ *```",
                   re.S | re.M)


def blocks(path):
    """The runnable python examples of a markdown file, in order."""
    return [textwrap.dedent(m.group(3)) for m in BLOCK.finditer(path.read_text())
            if not m.group(2)]


def run(code, path, scope):
    exec(compile(code, str(path), "exec"), scope)
    return scope


def test_readme_is_short_and_links_every_docs_page():
    text = README.read_text()
    assert len(text.splitlines()) <= 300
    for page in DOCS:
        assert f"(docs/{page.name})" in text, f"README does not link docs/{page.name}"


def test_readme_tour_runs():
    (tour,) = re.findall(r"## A tour in 20 lines\s+```python\n(.*?)```", README.read_text(), re.S)
    assert len(tour.strip().splitlines()) <= 30
    scope = run(tour, README, {})
    x = np.asarray(scope["x"], dtype=np.float64)
    np.testing.assert_allclose(np.asarray(scope["x"].grad), np.sin(x) + x * np.cos(x), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(scope["h"]), 6 * x, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(scope["tangent"]), np.exp(x), rtol=1e-5)


def test_readme_transforms_section_runs():
    (code,) = re.findall(r"## Per-sample gradients.*?```python\n(.*?)```", README.read_text(),
                         re.S)
    scope = run("import autograd\n" + code, README, {})
    w, x, y = scope["w"], scope["x"], scope["y"]
    for i in (0, 255):  # each row is that sample's own gradient
        (expected,) = autograd.grad(scope["loss"](w.requires_grad_(), x[i], y[i]), w)
        np.testing.assert_allclose(scope["per_sample"][i].numpy(), expected.numpy(),
                                   rtol=1e-10, atol=1e-12)
    assert scope["culprit"] == "Square"


@pytest.mark.parametrize("page", [p for p in DOCS if blocks(p)], ids=lambda p: p.name)
def test_docs_page_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may write files (a picture, a checkpoint)
    # run as a script or notebook does, in __main__: worker processes find its functions there
    main = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    scope = main.__dict__
    examples = blocks(page)
    sessions = [code for code in examples if code.lstrip().startswith(">>>")]
    for code in examples:
        if code not in sessions:
            run(code, page, scope)
    if sessions:  # interactive examples: their printed output is checked, as a doctest's
        test = doctest.DocTestParser().get_doctest("\n".join(sessions), scope, page.name,
                                                   str(page), 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert not runner.failures, f"{page.name}: {runner.failures} examples print otherwise"
    if page.name == "nn.md":
        assert scope["loss"].item() < 0.05  # its comment: 0.03, down from log 2
    if page.name == "data.md":
        assert scope["accuracy"] > 0.88  # its comment: about 0.9


def test_every_docs_page_links_back_to_the_readme():
    for page in DOCS:
        assert "(../README.md)" in page.read_text(), page.name
