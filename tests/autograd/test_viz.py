"""draw_graph: what the picture holds (read from the Digraph's source), rendering."""
import re
import shutil
import subprocess
import sys

import graphviz
import numpy as np
import pytest

import autograd
import nn
from autograd import viz

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
        autograd.draw_graph(out, names={"w": w.numpy()})


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


def test_shown_in_jupyter_without_dot_a_graph_says_how_to_install_graphviz(monkeypatch,
                                                                            tmp_path, capsys):
    graph = autograd.draw_graph(worked_example()[2])
    assert isinstance(graph, graphviz.Digraph) and "sigmoid" in graph.source  # graphviz's API
    monkeypatch.setenv("PATH", str(tmp_path))  # graphviz runs `dot` from PATH: none there
    with pytest.raises(graphviz.ExecutableNotFound):
        graphviz.Digraph(body=graph.body)._repr_mimebundle_()  # what graphviz itself does
    bundle = graph._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and viz.INSTALL_GRAPHVIZ in bundle["text/plain"]
    formatters = pytest.importorskip("IPython.core.formatters")
    shown, _ = formatters.DisplayFormatter().format(graph)  # as Jupyter asks for it
    assert list(shown) == ["text/plain"] and viz.INSTALL_GRAPHVIZ in shown["text/plain"]
    assert "Traceback" not in "".join(capsys.readouterr())


@has_dot
def test_shown_in_jupyter_with_dot_a_graph_is_its_svg():
    graph = autograd.draw_graph(worked_example()[2])
    assert "<svg" in graph._repr_mimebundle_()["image/svg+xml"]


@has_dot
def test_render_writes_an_svg(tmp_path):
    w, x, L = worked_example()
    graph = autograd.draw_graph(L, names={"w {odd|name}": w})
    path = viz.render(graph, tmp_path / "graph")
    assert path == str(tmp_path / "graph.svg")
    svg = open(path).read()
    assert "<svg" in svg and "sigmoid" in svg and "w {odd|name}" in svg
    assert open(viz.render(graph, tmp_path / "g.png"), "rb").read(4) == b"\x89PNG"


# ------------------------------------------------------------------ parameters and modules
def mlp_loss(model, backward=True, batch=4):
    """Cross-entropy of ``model`` on a fixed batch, traced; the loss module traced too."""
    autograd.manual_seed(0)
    x = autograd.randn(batch, 3)
    y = autograd.tensor([0, 1, 0, 1][:batch]).astype("int64")
    criterion = nn.CrossEntropyLoss()
    with viz.trace_modules(model, loss=criterion) as trace:
        loss = criterion(model(x), y)
    if backward:
        loss.backward()
    return loss, trace


def small_mlp(activation="ReLU"):
    autograd.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 5), getattr(nn, activation)(), nn.Linear(5, 2))


def test_params_label_leaves_with_their_names_and_names_is_the_same():
    model = small_mlp()
    loss = nn.functional.cross_entropy(model(autograd.randn(4, 3)),
                                       autograd.tensor([0, 1, 0, 1]).astype("int64"))
    params = dict(model.named_parameters())
    for graph in (autograd.draw_graph(loss, params), autograd.draw_graph(loss, names=params)):
        labels = tensors(parse(graph)[0])
        assert {"{0.weight | (5, 3)}", "{0.bias | (5,)}", "{2.weight | (2, 5)}"} <= set(labels)
    with pytest.raises(TypeError, match=r"params must map names to Tensors; 'w' maps to a list"):
        autograd.draw_graph(loss, params={"w": [1.0]})


def test_clusters_group_each_modules_ops_and_draw_composites_under_their_own_names():
    loss, trace = mlp_loss(small_mlp(), backward=False)
    graph = autograd.draw_graph(loss, modules=trace, view="clusters")
    vertices, edges = parse(graph)
    # each module's ops are one op named after it: no matmul, no logsumexp inside
    assert ops(vertices) == ["cross_entropy_loss", "linear", "linear", "relu"]
    found = clusters(graph)
    assert set(found) == {"Sequential", "0 · Linear", "1 · ReLU", "2 · Linear",
                          "loss · CrossEntropyLoss"}
    in_first = {vertices[v][0] for v in found["0 · Linear"]}
    assert in_first == {"linear", "{0.weight | (5, 3)}", "{0.bias | (5,)}", "{(4, 5)}"}
    assert set(found["0 · Linear"]) < set(found["Sequential"])  # nested as the modules are
    assert sorted(found["loss · CrossEntropyLoss"]) == ["m0", "v0"]  # the loss beside its op
    # data flows linear -> relu -> linear -> loss through the tensors between them
    [between] = [v for v in found["0 · Linear"] if vertices[v][0] == "{(4, 5)}"]
    [relu] = [v for v in found["1 · ReLU"] if vertices[v][0] == "relu"]
    assert (between, relu) in edges


def test_the_walk_claims_only_the_ops_a_module_made():
    """Ops before a module (on its input) and ops of earlier modules stay theirs."""
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.act = nn.Tanh()

        def forward(self, x):
            return self.act(self.act(x * 3) + 1)

    model = Twice()
    x = autograd.randn(2, 2, requires_grad=True)
    with viz.trace_modules(model) as trace:
        out = model(x * 2).sum()
    vertices, _ = parse(autograd.draw_graph(out, modules=trace, view="clusters"))
    found = clusters(autograd.draw_graph(out, modules=trace, view="clusters"))
    assert set(found) == {"Twice", "act · Tanh", "act · Tanh (call 2)"}
    names = lambda key: sorted(vertices[v][0] for v in found[key] if v in vertices
                               and "shape=ellipse" in vertices[v][1])
    assert names("act · Tanh") == ["tanh"] and names("act · Tanh (call 2)") == ["tanh"]
    assert names("Twice") == ["add", "mul", "tanh", "tanh"]  # x * 3 and + 1 are Twice's own
    assert sorted(ops(vertices)) == ["add", "mul", "mul", "sum", "tanh", "tanh"]  # x * 2: no one's

    class Scale(nn.Module):  # reads a tensor made before its call, not passed to it
        def forward(self, x):
            return x * self.h

    act, scale = nn.Tanh(), Scale()
    with viz.trace_modules(act, scale=scale) as trace:
        scale.h = act(x * 2)
        out = scale(x).sum()
    graph = autograd.draw_graph(out, modules=trace, view="clusters")
    vertices, found = parse(graph)[0], clusters(graph)
    assert sorted(vertices[v][0] for v in found["scale · Scale"]) == ["scale", "{(2, 2)}"]
    assert [vertices[v][0] for v in found["Tanh"] if v in vertices].count("tanh") == 1
    assert "mul" in ops({v: vertices[v] for v in vertices if v not in sum(found.values(), [])})


def test_modules_view_draws_one_box_per_module_with_its_shapes():
    loss, trace = mlp_loss(small_mlp(), backward=False)
    vertices, edges = parse(autograd.draw_graph(loss, modules=trace, view="modules"))
    assert ops(vertices) == []
    boxes = [label for label, attrs in vertices.values() if "rounded" in attrs]
    assert sorted(boxes) == ["{0 · Linear | (4, 3) → (4, 5)}", "{1 · ReLU | (4, 5) → (4, 5)}",
                             "{2 · Linear | (4, 5) → (4, 2)}",
                             "{loss · CrossEntropyLoss | (4, 2), (4,) → scalar}"]
    ids = {label.split(" ·")[0].strip("{"): vid for vid, (label, _) in vertices.items()}
    assert {(ids["0"], ids["1"]), (ids["1"], ids["2"]), (ids["2"], ids["loss"])} <= set(edges)
    assert not any("weight" in label for label in tensors(vertices))  # folded into the boxes


def test_the_default_view_collapses_big_traced_graphs(monkeypatch):
    loss, trace = mlp_loss(small_mlp(), backward=False)
    assert "cluster_" in autograd.draw_graph(loss, modules=trace).source
    assert "linear" in ops(parse(autograd.draw_graph(loss, modules=trace))[0])
    monkeypatch.setattr(viz, "MODULE_VIEW_ABOVE", 5)
    assert ops(parse(autograd.draw_graph(loss, modules=trace))[0]) == []
    assert "linear" in ops(parse(autograd.draw_graph(loss))[0])  # no trace: every op


def test_module_views_draw_every_module_whatever_max_nodes_says():
    loss, trace = mlp_loss(small_mlp(), backward=False)
    vertices, _ = parse(autograd.draw_graph(loss, modules=trace, view="modules", max_nodes=5))
    assert len([a for _, a in vertices.values() if "rounded" in a]) == 4
    assert not any("more op" in label for label, _ in vertices.values())


def test_module_depth_draws_blocks_as_boxes():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Sequential(nn.Linear(3, 4), nn.Tanh()),
                          nn.Sequential(nn.Linear(4, 2), nn.Tanh()))
    with viz.trace_modules(model) as trace:
        out = model(autograd.randn(2, 3)).sum()
    vertices, _ = parse(autograd.draw_graph(out, modules=trace, view="modules",
                                            module_depth=1))
    boxes = sorted(label for label, attrs in vertices.values() if "rounded" in attrs)
    assert boxes == ["{0 · Sequential | (2, 3) → (2, 4)}",
                     "{1 · Sequential | (2, 4) → (2, 2)}"]
    inner, _ = parse(autograd.draw_graph(out, modules=trace, view="modules"))
    assert len([a for _, a in inner.values() if "rounded" in a]) == 4


def test_trace_leaves_no_hooks_and_module_views_need_a_trace():
    model = small_mlp()
    loss, trace = mlp_loss(model)
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    with pytest.raises(ValueError, match=r"view='modules' needs.*trace_modules\(model\)"):
        autograd.draw_graph(loss, view="modules")
    with pytest.raises(ValueError, match="view must be 'ops', 'clusters' or 'modules', got 'x'"):
        autograd.draw_graph(loss, view="x")
    with pytest.raises(TypeError, match="modules must be the record made by .*got Sequential"):
        autograd.draw_graph(loss, modules=model)
    with pytest.raises(TypeError, match="expected nn.Modules .*got int for loss="):
        viz.trace_modules(model, loss=3)


# ------------------------------------------------------------------ the gradient-flow view
def test_gradient_colours_follow_the_log_of_the_norm():
    assert viz.grad_color(1e-5) == viz._PALETTE[0] and viz.grad_color(1e2) == viz._PALETTE[-1]
    assert viz.grad_color(1e-9) == viz._PALETTE[0] and viz.grad_color(0.0) == viz._PALETTE[0]
    assert viz.grad_color(1e9) == viz.grad_color(float("inf")) == viz._PALETTE[-1]
    middle = 10 ** (-5 + 7 / 2)  # halfway along the decades: the middle colour
    assert viz.grad_color(middle) == viz._PALETTE[2]
    assert viz.grad_color(1e-3, (1e-3, 1e-1)) == viz._PALETTE[0]


def test_grad_flow_colours_parameters_and_modules_by_their_gradient_norm():
    loss, trace = mlp_loss(small_mlp())
    model = trace.model
    vertices, _ = parse(autograd.draw_graph(loss, modules=trace, view="clusters",
                                            grad_flow=True))
    weight = vertices[find(vertices, "0.weight")]
    norm = np.linalg.norm(model[0].weight.grad.data)
    assert f"∇ {norm:.2e}" in weight[0] and f'fillcolor="{viz.grad_color(norm)}"' in weight[1]
    for call in (c for c in trace.calls if c.name in ("0", "2")):  # the Linears' fused ops
        label, attrs = vertices[find(vertices, f"linear\n∇ {call.grad_norm():.2e}")]
        assert f'fillcolor="{viz.grad_color(call.grad_norm())}"' in attrs
    relu_call = next(c for c in trace.calls if c.name == "1")
    assert relu_call.grad_norm() == pytest.approx(
        np.linalg.norm(relu_call.outputs[0].grad.data))
    assert "legend" in autograd.draw_graph(loss, modules=trace, grad_flow=True).source


def test_grad_flow_flags_vanishing_and_exploding_gradients():
    a = autograd.tensor([1.0], requires_grad=True)
    b = autograd.tensor([1.0], requires_grad=True)
    (a * 1e-9 + b * 1e6).sum().backward()
    vertices, _ = parse(autograd.draw_graph((a * 1e-9 + b * 1e6).sum(), {"a": a, "b": b},
                                            grad_flow=True))
    assert "vanishing gradient" in vertices[find(vertices, "a |")][0]
    assert "exploding gradient" in vertices[find(vertices, "b |")][0]
    assert "#cb181d" in vertices[find(vertices, "a |")][1]
    fine, _ = parse(autograd.draw_graph((a * 1e-9 + b * 1e6).sum(), {"a": a, "b": b},
                                        grad_flow=True, grad_range=(1e-12, 1e9)))
    assert "⚠" not in " ".join(label for label, _ in fine.values())


def test_grad_flow_flags_dead_relus_and_saturated_units():
    dead = small_mlp("ReLU")
    with autograd.no_grad():
        dead[0].bias.fill_(-100.0)  # every pre-activation negative: every unit dead
    loss, trace = mlp_loss(dead)
    vertices, _ = parse(autograd.draw_graph(loss, modules=trace, view="modules",
                                            grad_flow=True))
    relu = vertices[find(vertices, "1 · ReLU")]
    assert "dead 100%" in relu[0] and "⚠ dead units" in relu[0] and "#cb181d" in relu[1]

    for scale, expect in ((50.0, "⚠ saturated units"), (0.01, "saturated 0%")):
        model = small_mlp("Tanh")
        with autograd.no_grad():
            model[0].weight.mul_(scale)
        loss, trace = mlp_loss(model)
        vertices, _ = parse(autograd.draw_graph(loss, modules=trace, view="modules",
                                                grad_flow=True))
        assert expect in vertices[find(vertices, "1 · Tanh")][0]
    # without a trace, an op whose output is still saved is flagged the same way
    x = autograd.tensor([[-5.0, 0.1], [5.0, 0.2]], requires_grad=True)
    vertices, _ = parse(autograd.draw_graph(autograd.sigmoid(x * 10).sum(), grad_flow=True))
    assert "saturated 50%" in vertices[find(vertices, "sigmoid")][0]  # x = ±50


def test_activation_flags_on_known_values():
    assert viz.activation_flags("relu", np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])) == \
        {"dead": pytest.approx(1 / 3)}
    assert viz.activation_flags("tanh", np.tanh(np.array([0.0, 2.0, 3.0, -4.0]))) == \
        {"saturated": 0.5}  # slope 1 - tanh^2 below 0.01 from |x| > 2.99
    assert viz.activation_flags("sigmoid", 1 / (1 + np.exp(-np.array([0.0, 5.0, 6.0])))) == \
        {"saturated": pytest.approx(1 / 3)}  # slope below 0.0025 from |x| > 5.99
    assert viz.activation_flags("relu", np.array([0.0, 1.0])) == {"dead": 0.0}  # 2 samples, 1 unit
    assert viz.activation_flags("relu", np.array(0.0)) == {"dead": 1.0}
    assert viz.activation_flags("exp", np.ones(3)) == {}


@has_dot
def test_render_a_model_graph_with_the_gradient_flow_view(tmp_path):
    loss, trace = mlp_loss(small_mlp())
    for view in ("clusters", "modules"):
        graph = autograd.draw_graph(loss, modules=trace, view=view, grad_flow=True)
        svg = open(viz.render(graph, tmp_path / f"{view}.svg")).read()
        assert "<svg" in svg and "0 · Linear" in svg and "gradient norm" in svg
        assert open(viz.render(graph, tmp_path / f"{view}.png"), "rb").read(4) == b"\x89PNG"


def test_the_readme_drawing_example_runs_and_flags_the_bias_before_batch_norm(tmp_path):
    import pathlib

    readme = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "engine.md").read_text()
    section = readme[readme.index("## Drawing"):readme.index("## Errors")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "gradient_flow.svg" in code and "(gradient_flow.svg)" in section
    scope = {}
    if shutil.which("dot") is None:
        code = code.replace("viz.render(", "(lambda *a: None)(")
    code = code.replace("\"gradient_flow.svg\"", repr(str(tmp_path / "g.svg")))
    exec(compile(code, "docs/engine.md", "exec"), scope)
    vertices, _ = parse(scope["graph"])
    bias = vertices[find(vertices, "0.bias")][0]
    assert "vanishing gradient" in bias and "0 · Conv2d" in clusters(scope["graph"])
    assert abs(scope["model"][0].bias.grad.data).max() < 1e-6  # zero up to rounding
