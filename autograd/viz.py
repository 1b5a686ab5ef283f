"""Drawing the graph behind a tensor with Graphviz, micrograd style.

Two steps, kept apart so each can grow on its own:

1. `collect` walks the graph (iteratively) into plain `Vertex` records and edges;
2. small label and style functions turn each vertex into Graphviz attributes, and
   `draw_graph` assembles the `graphviz.Digraph`.

Building the Digraph needs only the ``graphviz`` Python package, imported inside `draw_graph`
so that the core imports without it; turning it into a picture (`render`, or Jupyter's
inline display) needs Graphviz's ``dot`` program.
"""
import os
import re
import shutil
from dataclasses import dataclass

import numpy as np

from .engine import Node
from .errors import AutogradError
from .tensor import Tensor

INSTALL_GRAPHVIZ = ("Install Graphviz: Debian/Ubuntu `sudo apt-get install graphviz`, "
                    "macOS `brew install graphviz`, conda `conda install graphviz`")


class GraphvizNotFoundError(AutogradError, RuntimeError):
    """Graphviz's ``dot`` program, which renders pictures, is not installed."""


@dataclass
class Vertex:
    """One shape of the picture.

    ``kind`` is ``'op'`` (one op application) or a tensor: ``'result'`` (made by an op),
    ``'leaf'`` (an input that requires grad) or ``'const'`` (an input that does not).
    ``obj`` is the Node or Tensor behind it (None for a constant). For tensors, ``shape`` is
    None only for a constant whose array a backward freed; ``value`` and ``grad`` are kept for
    0-d tensors only, when known.
    """

    id: str
    kind: str
    obj: object = None
    shape: tuple = None
    value: object = None
    grad: object = None
    name: str = None
    output: bool = False


# ------------------------------------------------------------------------- 1. the walk
def collect(tensor, names=None, show_constants=True, max_nodes=None):
    """Walk the graph that produced ``tensor``; return ``(vertices, edges)``.

    ``vertices`` lists `Vertex` records, the output first; ``edges`` lists ``(source id,
    target id)`` pairs in the direction data flows (input -> op -> result), one per use, so
    an input used twice has two edges. ``names`` maps labels to tensors (see `draw_graph`).
    Raises ValueError when the graph has more than ``max_nodes`` vertices (None: no limit).
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"draw_graph: expected a Tensor, got {type(tensor).__name__}")
    labels = _label_index(names)
    vertices = {}  # id() of what a vertex stands for -> Vertex, in the order found
    edges = []
    stack = []  # Nodes whose inputs are still to visit: an explicit stack, no recursion

    def add(key, kind, obj=None, shape=None, value=None, grad=None, name=None):
        if max_nodes is not None and len(vertices) >= max_nodes:
            raise ValueError(
                f"draw_graph: the graph has more than max_nodes={max_nodes} vertices (ops and "
                "tensors); a picture that big is slow to lay out and hard to read. Draw a "
                "smaller piece (e.g. one layer's output, or the loss of a smaller model or "
                "batch), or raise the limit with max_nodes=")
        v = Vertex(f"v{len(vertices)}", kind, obj, shape, value, grad, name)
        vertices[key] = v
        return v

    def tensor_vertex(e):
        """The vertex of a graph edge's source: a Node's result, or a leaf Tensor."""
        v = vertices.get(id(e))
        if v is not None:
            return v
        if isinstance(e, Node):
            stack.append(e)
            return add(id(e), "result", e, e.shape, _scalar(e.value), e.grad, labels.get(id(e)))
        kind = "leaf" if e.requires_grad else "const"
        return add(id(e), kind, e, e.shape, _scalar(e.data), _scalar(e.grad), labels.get(id(e)))

    def constant_vertex(node, i):
        """A faint vertex for input ``i`` of ``node``, which needs no gradient."""
        if node.args is None:  # freed by backward: only its existence is known
            return add(("const", id(node), i), "const")
        arg = node.args[i]
        if arg is None:
            return None
        # one vertex per array, even if used twice; a Python number gets one per use
        key = ("const", id(arg)) if isinstance(arg, np.ndarray) else ("const", id(node), i)
        return vertices.get(key) or add(key, "const", None, np.shape(arg), _scalar(arg),
                                        name=labels.get(id(arg)))

    tensor_vertex(tensor._node or tensor).output = True
    while stack:
        node = stack.pop()
        op = add(("op", id(node)), "op", node)
        edges.append((op.id, vertices[id(node)].id))
        for i, e in enumerate(node.edges):
            if e is not None:
                source = tensor_vertex(e)
            else:
                source = constant_vertex(node, i) if show_constants else None
            if source is not None:
                edges.append((source.id, op.id))
    return list(vertices.values()), edges


def _label_index(names):
    """``{label: tensor}`` as ``{id of what the walk meets: label}``: a result's Node, a leaf
    Tensor, and a leaf's array (how a constant input appears in a Node)."""
    index = {}
    for label, t in (names or {}).items():
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph: names must map labels to Tensors; {label!r} maps to "
                            f"a {type(t).__name__}")
        if t.grad_fn is not None:
            index[id(t.grad_fn)] = str(label)
        else:
            index[id(t)] = index[id(t._data)] = str(label)
    return index


def _scalar(x):
    """``x`` when it is a 0-d value worth printing, else None."""
    return x if x is not None and np.ndim(x) == 0 else None


# ------------------------------------------------------------------------- 2. labels, styles
_STYLES = {
    "op": dict(shape="ellipse", style="filled", fillcolor="#eeeeee", color="#888888"),
    "leaf": dict(shape="record", style="filled", fillcolor="#dae8fc", color="#6c8ebf"),
    "const": dict(shape="record", style="dashed", color="#aaaaaa", fontcolor="#888888"),
    "result": dict(shape="record"),
}
_OUTPUT_STYLE = dict(style="filled", fillcolor="#d5e8d4", color="#82b366", penwidth="1.5")


def vertex_label(v, show_values=True):
    """The text of a vertex: an op's name; a tensor's label, then its data and grad when it
    is 0-d (micrograd's picture), else its shape."""
    if v.kind == "op":
        return v.obj.name
    fields = [v.name] if v.name else []
    if v.shape is None:
        fields.append("const")
    elif v.shape == () and show_values and v.value is not None:
        fields.append(f"data {_number(v.value)}")
        if v.grad is not None:
            fields.append(f"grad {_number(v.grad)}")
    else:
        fields.append("scalar" if v.shape == () else str(tuple(v.shape)))
    return "{" + " | ".join(_escape(f) for f in fields) + "}"


def vertex_style(v):
    """Graphviz attributes for a vertex: parameters blue, constants faint, the output green."""
    style = dict(_STYLES[v.kind])
    if v.output:
        style.update(_OUTPUT_STYLE)
    return style


def _number(x):
    return f"{np.asarray(x).item():.4g}"


def _escape(text):
    # characters that structure a record label must be escaped to show up as text
    return re.sub(r'([{}|<>\\])', r"\\\1", text)


# ------------------------------------------------------------------------- drawing, rendering
def draw_graph(tensor, names=None, rankdir="LR", show_values=True, show_constants=True,
               max_nodes=500):
    """A `graphviz.Digraph` of the graph that produced ``tensor`` (shows inline in Jupyter).

    Ellipses are ops; boxes are tensors, with their shape, or for 0-d tensors their data and
    (after backward) grad. Blue boxes are leaves that require grad, faint dashed ones
    constants, the green one ``tensor`` itself. After a backward without ``retain_graph``
    the shapes are still known, but a constant's value is not.

    names: ``{label: tensor}`` to label boxes, e.g. ``names={'w': w, 'x': x}``.
    rankdir: ``'LR'`` draws left to right (as micrograd), ``'TB'`` top to bottom.
    show_values: print data and grad in 0-d boxes.
    show_constants: draw inputs that need no gradient (faintly).
    max_nodes: refuse graphs with more vertices than this (None: no limit).

    >>> g = autograd.draw_graph(L, names={'w': w, 'x': x})
    >>> autograd.viz.render(g, 'graph.svg')
    """
    import graphviz  # only when drawing: the core imports without it

    vertices, edges = collect(tensor, names, show_constants, max_nodes)
    graph = graphviz.Digraph(graph_attr=dict(rankdir=rankdir),
                             node_attr=dict(fontname="Helvetica", fontsize="11"),
                             edge_attr=dict(arrowsize="0.7", color="#555555"))
    for v in vertices:
        graph.node(v.id, vertex_label(v, show_values), **vertex_style(v))
    for source, target in edges:
        graph.edge(source, target)
    return graph


def render(graph, filename, format=None):
    """Write ``graph`` (e.g. from `draw_graph`) as a picture; return the path written.

    The format is ``format``, else ``filename``'s extension, else ``'svg'``; an extension is
    added when ``filename`` has none. Needs Graphviz's ``dot``: without it, raises
    `GraphvizNotFoundError` saying how to install it.
    """
    filename = os.fspath(filename)
    extension = os.path.splitext(filename)[1][1:]
    format = format or extension or "svg"
    if not extension:
        filename = f"{filename}.{format}"
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError(
            "render: Graphviz's `dot` program is not on PATH, so the graph cannot be drawn to "
            f"a picture (building it needs only the Python package). {INSTALL_GRAPHVIZ}; "
            "then check with `dot -V`.")
    data = graph.pipe(format=format)
    with open(filename, "wb") as f:
        f.write(data)
    return filename
