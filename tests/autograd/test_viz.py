"""draw_graph: what the picture holds (read from the Digraph's source), rendering, the demo."""
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import autograd
from autograd import demo, viz

has_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot not installed")


def parse(graph):
    """``({vertex id: (label, attributes)}, [(source, target)])`` from a Digraph's source."""
    source = graph.source
    edges = re.findall(r"^\s*(\w+) -> (\w+)$", source, re.M)
    vertices = {vid: (label.strip('"'), label + attrs) for vid, label, attrs in re.findall(
        r'^\s*(\w+) \[label=("(?:[^"\\]|\\.)*"|<<.*?>>|\w+)(.*?)\]$', source, re.M | re.S)}
    return vertices, edges


def clusters(graph):
    """``{cluster label: [ids of the vertices inside it, nested ones too]}``."""
    found, stack = {}, []
    for line in graph.source.splitlines():
        if re.match(r"\s*subgraph cluster_", line):
            stack.append([None, []])
        elif stack and stack[-1][0] is None and re.match(r"\s*graph \[", line):
            stack[-1][0] = re.search(r'label=("[^"]*"|\S+)', line).group(1).strip('"')
        elif re.match(r"\s*}$", line) and stack:
            label, members = stack.pop()
            found[label] = members
        elif stack and (vertex := re.match(r"\s*(\w+) \[label=", line)):
            for _, members in stack:
                members.append(vertex.group(1))
    return found


def ops(vertices):
    return sorted(label for label, attrs in vertices.values() if "shape=ellipse" in attrs)


def tensors(vertices):
    return [label for label, attrs in vertices.values() if "shape=record" in attrs]


def find(vertices, text):
    """The id of the one vertex whose label contains ``text``."""
    [vid] = [vid for vid, (label, _) in vertices.items() if text in label]
    return vid


def worked_example(backward=True):
    """The course notes' L = -log(sigmoid(w * x)) at w = x = 3, in float64."""
    w = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    x = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    L = -autograd.log(autograd.sigmoid(w * x))
    if backward:
        L.backward()
    return w, x, L


def test_one_vertex_per_op_and_per_tensor_with_op_names():
    w, x, L = worked_example(backward=False)
    vertices, edges = parse(autograd.draw_graph(L))
    assert ops(vertices) == ["log", "mul", "neg", "sigmoid"]
    assert len(tensors(vertices)) == 6  # w, x and the four results
    assert len(edges) == 4 + 2 + 3  # op -> result, the leaves -> mul, result -> next op


def test_scalars_show_data_and_grad_after_backward():
    w, x, L = worked_example()
    vertices, _ = parse(autograd.draw_graph(L, names={"w": w, "L": L}))
    assert f"grad {-3 * (1 - 1 / (1 + np.exp(-9))):.4g}" in vertices[find(vertices, "w |")][0]
    assert "data 3 " in vertices[find(vertices, "w |")][0]
    assert "grad 1}" in vertices[find(vertices, "L |")][0]
    assert "data 9 | grad" in vertices[find(vertices, "data 9")][0]  # an intermediate result
    no_values, _ = parse(autograd.draw_graph(L, show_values=False))
    assert not any("data" in label for label in tensors(no_values))


def test_non_scalars_show_their_shape():
    a = autograd.ones((2, 3), requires_grad=True)
    b = autograd.ones((3, 4))
    vertices, _ = parse(autograd.draw_graph((a @ b).sum()))
    labels = tensors(vertices)
    assert {"{(2, 3)}", "{(3, 4)}", "{(2, 4)}"} <= set(labels)
    assert ops(vertices) == ["matmul", "sum"]


def test_a_tensor_used_twice_is_one_vertex_with_two_edges():
    x = autograd.tensor(2.0, requires_grad=True)
    vertices, edges = parse(autograd.draw_graph(x * x, names={"x": x}))
    x_id, mul_id = find(vertices, "x |"), find(vertices, "mul")
    assert edges.count((x_id, mul_id)) == 2
    assert len(tensors(vertices)) == 2


def test_names_label_leaves_results_and_constants_and_styles_differ():
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    x = autograd.tensor([3.0, 4.0])
    z = w * x
    out = z.sum()
    vertices, _ = parse(autograd.draw_graph(out, names={"w": w, "x": x, "z": z, "out": out}))
    attrs = {name: vertices[find(vertices, name + " |")][1] for name in "wxz"}
    assert "dashed" in attrs["x"] and "dashed" not in attrs["w"]
    assert attrs["w"] != attrs["z"]
    assert "out |" in vertices["v0"][0]  # the output comes first
    with pytest.raises(TypeError, match="'w' maps to a ndarray"):
        autograd.draw_graph(out, names={"w": w.data})


def test_constants_can_be_left_out():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2 + autograd.tensor([1.0, 1.0])).sum()
    with_constants, _ = parse(autograd.draw_graph(y))
    without, edges = parse(autograd.draw_graph(y, show_constants=False))
    assert len(tensors(with_constants)) == len(tensors(without)) + 2
    assert "data 2" in " ".join(tensors(with_constants))
    assert len(edges) == 3 + 3  # op -> result, and one input into each op


def test_custom_function_shows_its_class_name():
    class Cube(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2

    x = autograd.tensor(2.0, requires_grad=True)
    y = Cube.apply(x)
    y.backward()
    vertices, _ = parse(autograd.draw_graph(y))
    assert ops(vertices) == ["Cube"]
    assert "data 8 | grad 1" in vertices["v0"][0]


def test_a_freed_graph_is_still_drawn_with_shapes():
    a = autograd.ones((2, 3), requires_grad=True)
    h = autograd.tanh(a * autograd.ones((2, 3)))
    loss = h.sum()
    loss.backward()  # no retain_graph: the saved arrays are freed
    assert h.grad_fn.freed
    vertices, _ = parse(autograd.draw_graph(loss))
    labels = tensors(vertices)
    assert labels.count("{(2, 3)}") == 3  # a, the product, h
    assert "{const}" in labels  # the constant's array is gone, not its place in the graph
    assert f"data {6 * np.tanh(np.float32(1)):.4g} | grad 1" in vertices["v0"][0]


def test_grads_recorded_with_create_graph_are_shown():
    x = autograd.tensor(2.0, requires_grad=True)
    y = x ** 3
    y.backward(create_graph=True)
    vertices, _ = parse(autograd.draw_graph(y, names={"x": x}))
    assert "grad 12" in vertices[find(vertices, "x |")][0]
    vertices, _ = parse(autograd.draw_graph(x.grad))  # the gradient's own graph
    assert "power" in ops(vertices)


def test_options_and_a_lone_leaf():
    x = autograd.tensor(1.5)
    graph = autograd.draw_graph(x, names={"x": x}, rankdir="TB")
    assert "rankdir=TB" in graph.source
    vertices, edges = parse(graph)
    assert tensors(vertices) == ["{x | data 1.5}"] and edges == []
    with pytest.raises(TypeError, match="expected a Tensor"):
        autograd.draw_graph(np.ones(3))


def chain(n, start=1.0):
    x = autograd.tensor(start, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 2
    return x, y


def test_max_nodes_and_max_depth_fold_the_rest_into_a_summary():
    x, y = chain(10)
    vertices, edges = parse(autograd.draw_graph(y, max_nodes=5, show_constants=False))
    summary = find(vertices, "more ops")
    assert len(vertices) <= 5 + 1
    drawn = len(ops(vertices))
    assert f"… {10 - drawn} more ops" in vertices[summary][0] and "shape=note" in \
        vertices[summary][1]
    [(_, fed)] = [e for e in edges if e[0] == summary]  # one edge, into the op it feeds
    assert vertices[fed][0] == "mul"
    vertices, _ = parse(autograd.draw_graph(y, max_depth=2, show_constants=False))
    assert len(ops(vertices)) == 3 and "… 7 more ops" in vertices[find(vertices, "more")][0]
    vertices, _ = parse(autograd.draw_graph(y, max_depth=0, show_constants=False))
    assert "… 9 more ops" in vertices[find(vertices, "more")][0]


def test_deep_graphs_are_drawn_top_to_bottom_and_shallow_ones_left_to_right():
    assert "rankdir=LR" in autograd.draw_graph(chain(viz.DEEP)[1]).source
    assert "rankdir=TB" in autograd.draw_graph(chain(viz.DEEP + 2)[1]).source
    assert "rankdir=LR" in autograd.draw_graph(chain(viz.DEEP + 2)[1], rankdir="LR").source


def test_precision_tells_1_00012_from_1():
    xi2 = autograd.exp(autograd.tensor(-9.0, requires_grad=True, dtype="float64"))
    xi3 = 1 + xi2
    assert "data 1}" in parse(autograd.draw_graph(xi3))[0]["v0"][0]
    assert "data 1.00012}" in parse(autograd.draw_graph(xi3, precision=6))[0]["v0"][0]


def test_deep_graphs_are_walked_without_recursion():
    x = autograd.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = autograd.sin(y)
    vertices, _ = parse(autograd.draw_graph(y, max_nodes=None, show_constants=False))
    assert len(vertices) == 2 * 3 * sys.getrecursionlimit() + 1


def test_the_core_imports_without_graphviz():
    code = "import sys; sys.modules['graphviz'] = None; import autograd; autograd.viz.collect"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_render_without_dot_says_how_to_install_graphviz(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    graph = autograd.draw_graph(worked_example()[2])
    with pytest.raises(viz.GraphvizNotFoundError, match="apt-get install graphviz") as err:
        viz.render(graph, tmp_path / "g.svg")
    assert isinstance(err.value, RuntimeError)
    assert "brew install graphviz" in str(err.value) and "conda install graphviz" in str(err.value)


@has_dot
def test_render_writes_an_svg(tmp_path):
    w, x, L = worked_example()
    graph = autograd.draw_graph(L, names={"w {odd|name}": w})
    path = viz.render(graph, tmp_path / "graph")
    assert path == str(tmp_path / "graph.svg")
    svg = open(path).read()
    assert "<svg" in svg and "sigmoid" in svg and "w {odd|name}" in svg
    assert open(viz.render(graph, tmp_path / "g.png"), "rb").read(4) == b"\x89PNG"


@has_dot
def test_the_demo_writes_its_pictures(tmp_path, capsys):
    written = demo.main(tmp_path)
    out = capsys.readouterr().out
    assert "-0.00037018" in out and "gradcheck" in out
    assert written and all(os.path.getsize(p) > 0 for p in written)
    assert str(tmp_path / "worked_example.svg") in written


def test_the_demo_runs_without_dot(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert demo.main(tmp_path) == []
    assert "apt-get install graphviz" in capsys.readouterr().out
