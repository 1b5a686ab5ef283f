"""Drawing the graph behind a tensor with Graphviz: every op, or one box per module, and the
gradient-flow view that colours the picture by gradient norms after a backward.

The steps are kept apart so each can grow on its own:

1. `collect` walks the graph breadth-first from the output into plain `Vertex` records and
   edges, folding what lies past ``max_nodes``/``max_depth`` into one summary vertex;
2. `trace_modules` records, while a model runs, which module call made which graph nodes (with
   the model's own forward hooks: nothing is added to the cost of an op);
   `_group` then merges a module call's vertices into one (a fused op or a module box);
3. `gradient_flow` turns gradient norms into colours on a log scale and flags the classic
   failure modes (vanishing or exploding gradients, saturated sigmoid/tanh, dead ReLU);
4. label and style functions turn each vertex into Graphviz attributes, and `draw_graph`
   assembles the `graphviz.Digraph`.

The walk reads a graph node only through ``name``, ``edges``, ``args`` (for drawing
constants), ``freed``, ``shape``, ``value`` and ``grad``. Building the Digraph needs only the
``graphviz`` Python package, imported inside `draw_graph` so that the core imports without it;
turning it into a picture (`render`, or Jupyter's inline display) needs Graphviz's ``dot``.
"""
import math
import os
import re
import shutil
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .engine import Node
from .errors import INSTALL_GRAPHVIZ, AutogradError
from .tensor import Tensor


MODULE_VIEW_ABOVE = 80  # with a trace, graphs of more ops than this draw one box per module
DEEP = 10  # graphs more ops deep than this are drawn top to bottom
FLAG_FRACTION = 0.5  # flag a layer when at least this fraction of its units is dead/saturated


class GraphvizNotFoundError(AutogradError, RuntimeError):
    """Graphviz's ``dot`` program, which renders pictures, is not installed."""


@dataclass(eq=False)
class Vertex:
    """One shape of the picture.

    ``kind`` is ``'op'`` (one op application), a tensor: ``'result'`` (made by an op),
    ``'leaf'`` (an input that requires grad) or ``'const'`` (an input that does not), or a
    stand-in: ``'fused'`` (a module's ops as one op), ``'module'`` (a module as one box),
    ``'summary'`` (what was left out). ``obj`` is the Node, Tensor or array behind it (None
    for a freed constant, the `ModuleCall` for stand-ins). For tensors, ``shape`` is None
    only for a constant whose array a backward freed; ``value`` and ``grad`` are kept for
    0-d tensors only.
    """

    id: str
    kind: str
    obj: object = None
    shape: tuple = None
    value: object = None
    grad: object = None
    name: str = None
    output: bool = False
    depth: int = 0  # ops between this vertex and the output
    members: list = field(default_factory=list)  # parameters folded into a module box


# ------------------------------------------------------------------------- 1. the walk
def collect(tensor, names=None, show_constants=True, max_nodes=None, max_depth=None):
    """Walk the graph that produced ``tensor``; return ``(vertices, edges)``.

    ``vertices`` lists `Vertex` records, the output first, then breadth-first (nearest the
    output first); ``edges`` lists ``(source id, target id)`` pairs in the direction data flows
    (input -> op -> result), one per use, so an input used twice has two edges. ``names`` maps
    labels to tensors (see `draw_graph`). Past ``max_nodes`` vertices, or ops more than
    ``max_depth`` ops from the output, the rest of the graph is one ``'summary'`` vertex
    whose ``value`` counts the ops left out.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"draw_graph: expected a Tensor, got {type(tensor).__name__}")
    labels = _label_index(names)
    vertices = {}  # id() of what a vertex stands for -> Vertex, in the order found
    edges = []
    queue = deque()  # Nodes whose inputs are still to visit: breadth-first, no recursion
    cut = []  # Nodes and leaves left out, behind the summary vertex
    into_summary = set()  # ops fed by the summary vertex

    def add(key, kind, obj=None, shape=None, value=None, grad=None, name=None, depth=0):
        v = Vertex(f"v{len(vertices)}", kind, obj, shape, value, grad, name, depth=depth)
        vertices[key] = v
        return v

    def room(n):
        return max_nodes is None or len(vertices) + n <= max_nodes

    def tensor_vertex(e, depth):
        """The vertex of a graph edge's source: a Node's result, or a leaf Tensor."""
        v = vertices.get(id(e))
        if v is not None:
            return v
        if isinstance(e, Node):
            if not room(2) or (max_depth is not None and depth > max_depth):
                cut.append(e)
                return vertices.get("summary") or add("summary", "summary")
            queue.append((e, depth))
            return add(id(e), "result", e, e.shape, _scalar(e.value), e.grad,
                       labels.get(id(e)), depth)
        if not room(1):
            cut.append(e)
            return vertices.get("summary") or add("summary", "summary")
        kind = "leaf" if e.requires_grad else "const"
        return add(id(e), kind, e, e.shape, _scalar(e.numpy()), _scalar(e.grad),
                   labels.get(id(e)), depth)

    def constant_vertex(node, i, depth):
        """A faint vertex for input ``i`` of ``node``, which needs no gradient."""
        if not room(1):
            return None
        if node.freed:  # only its existence is known
            return add(("const", id(node), i), "const", depth=depth)
        arg = node.args[i]
        if arg is None:
            return None
        # one vertex per array, even if used twice; a Python number gets one per use
        key = ("const", id(arg)) if isinstance(arg, np.ndarray) else ("const", id(node), i)
        return vertices.get(key) or add(key, "const", arg, np.shape(arg), _scalar(arg),
                                        name=labels.get(id(arg)), depth=depth)

    tensor_vertex(tensor.grad_fn or tensor, 0).output = True
    while queue:
        node, depth = queue.popleft()
        op = add(("op", id(node)), "op", node, depth=depth)
        edges.append((op.id, vertices[id(node)].id))
        for i, e in enumerate(node.edges):
            if e is not None:
                source = tensor_vertex(e, depth + 1)
            else:
                source = constant_vertex(node, i, depth + 1) if show_constants else None
            if source is not None and (source.kind != "summary" or op.id not in into_summary):
                edges.append((source.id, op.id))
                if source.kind == "summary":  # one edge from the summary into each op
                    into_summary.add(op.id)
    if "summary" in vertices:
        vertices["summary"].value = _count_ops(cut, vertices)
    return list(vertices.values()), edges


def _count_ops(cut, drawn):
    """How many ops lie behind the vertices in ``cut`` and were not drawn."""
    seen, stack = set(), [e for e in cut if isinstance(e, Node)]
    while stack:
        node = stack.pop()
        if id(node) in seen or ("op", id(node)) in drawn:
            continue
        seen.add(id(node))
        stack.extend(e for e in node.edges if isinstance(e, Node))
    return len(seen)


def _label_index(names):
    """``{label: tensor}`` as ``{id of what the walk meets: label}``: a result's Node, a leaf
    Tensor, and a leaf's array (how a constant input appears in a Node)."""
    index = {}
    for label, t in (names or {}).items():
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph: params must map names to Tensors; {label!r} maps to "
                            f"a {type(t).__name__}")
        if t.grad_fn is not None:
            index[id(t.grad_fn)] = str(label)
        else:
            index[id(t)] = index[id(t._data)] = str(label)
    return index


def _scalar(x):
    """``x`` when it is a 0-d value worth printing, else None."""
    return x if x is not None and np.ndim(x) == 0 else None


# ------------------------------------------------------------------------- 2. modules
@dataclass(eq=False)
class ModuleCall:
    """One call of one module during a `trace_modules` block: its dotted ``name`` (``''`` for
    the model itself), the ``module``, the call it happened inside (``parent``), the shapes
    of its tensor inputs and outputs, its outputs (kept so that their gradients are known
    after backward), and ``stats``: the dead or saturated fraction of its output units.

    >>> [(c.title, c.out_shapes) for c in trace.calls]   # trace: a `trace_modules` record
    [('Sequential', [(4, 2)]), ('0 · Linear', [(4, 5)]), ('1 · ReLU', [(4, 5)]), ...]
    """

    name: str
    module: object
    parent: "ModuleCall" = None
    index: int = 0
    repeat: int = 0  # how many earlier calls of the same module
    in_shapes: list = field(default_factory=list)
    out_shapes: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    leaf: bool = True  # no module was called inside this one

    @property
    def type(self):
        return type(self.module).__name__

    @property
    def title(self):
        name = f"{self.name} · {self.type}" if self.name else self.type
        return f"{name} (call {self.repeat + 1})" if self.repeat else name

    @property
    def depth(self):
        return 0 if self.parent is None else self.parent.depth + 1

    def grad_norm(self):
        """The norm of the loss's gradient with respect to this call's output(s), after a
        backward (None before, or when the output needs no gradient)."""
        grads = [t.grad for t in self.outputs if t.grad is not None]
        return _norm(g.numpy() for g in grads) if grads else None


class trace_modules:
    """Record which module made which part of the graph, for `draw_graph`'s module views.

    Inside the ``with`` block every module of ``model`` reports its calls through forward
    hooks (removed on exit), so ops cost nothing extra outside a trace. Modules called
    outside the model, such as a loss, can be traced too, named by keyword:
    ``trace_modules(model, loss=criterion)``. The trace also keeps each module's output
    (retaining its gradient at backward) and the fraction of dead (ReLU) or saturated
    (sigmoid, tanh) units in it, for the gradient-flow view; it holds those tensors until
    it is dropped, so trace one step, not a training loop.

    >>> with autograd.viz.trace_modules(model) as trace:
    ...     loss = nn.functional.cross_entropy(model(x), y)
    >>> loss.backward()
    >>> g = autograd.draw_graph(loss, modules=trace, grad_flow=True)   # a graphviz Digraph
    """

    def __init__(self, model, **more):
        self.roots = {"": model, **more}
        for key, root in self.roots.items():
            if not callable(getattr(root, "named_modules", None)):
                raise TypeError(f"trace_modules: expected nn.Modules (things with "
                                f"named_modules()), got {type(root).__name__}"
                                + (f" for {key}=" if key else ""))
        self.model = model
        self.calls = []
        self._owner = {}  # id(Node) -> (Node, ModuleCall that made it); the Node kept alive
        self._inputs = {}  # id -> array of the constant inputs of module calls (kept alive)
        self._active = []
        self._handles = []

    def named_modules(self):
        """(dotted name, module) of every traced module; ``more`` modules under their key."""
        for key, root in self.roots.items():
            yield from root.named_modules(prefix=key)

    def named_parameters(self):
        """(dotted name, Parameter) of every traced module, as `draw_graph`'s ``params``."""
        for key, root in self.roots.items():
            for name, p in root.named_parameters():
                yield (f"{key}.{name}" if key else name), p

    def __enter__(self):
        counts = {}
        for name, module in self.named_modules():
            def before(module, args, name=name):
                repeat = counts[id(module)] = counts.get(id(module), -1) + 1
                parent = self._active[-1] if self._active else None
                if parent is not None:
                    parent.leaf = False
                call = ModuleCall(name, module, parent, len(self.calls), repeat,
                                  [t.shape for t in _tensors(args)])
                self.calls.append(call)
                self._active.append(call)

            def after(module, args, out):
                self._finish(self._active.pop(), _tensors(args), _tensors(out))

            self._handles += [module.register_forward_pre_hook(before),
                              module.register_forward_hook(after)]
        return self

    def __exit__(self, *exc):
        for handle in self._handles:
            handle.remove()
        self._handles, self._active = [], []
        return False

    def _finish(self, call, inputs, outputs):
        # the raw array, as the graph's nodes hold it (``numpy()`` is a read-only view of it)
        self._inputs.update((id(t._data), t._data) for t in inputs if not t.requires_grad)
        call.out_shapes = [t.shape for t in outputs]
        call.outputs = [t for t in outputs if t.requires_grad]
        for t in call.outputs:
            t.retain_grad()
        if len(outputs) == 1 and outputs[0].grad_fn is not None:
            call.stats = activation_flags(outputs[0].grad_fn.name, outputs[0].numpy())
        # the nodes this call made: walk back from its outputs, stopping at its inputs and at
        # nodes made before it began (the calls inside it began after it, so those continue)
        stop = {id(t.grad_fn) for t in inputs}
        stack = [t.grad_fn for t in outputs if t.grad_fn is not None]
        while stack:
            node = stack.pop()
            if id(node) in stop:
                continue
            stop.add(id(node))
            owner = self._owner.get(id(node))
            if owner is None:
                self._owner[id(node)] = (node, call)
            elif owner[1].index < call.index:
                continue
            stack.extend(e for e in node.edges if isinstance(e, Node))

    def call_of(self, node):
        """The innermost `ModuleCall` that made ``node`` (None outside every module)."""
        owner = self._owner.get(id(node))
        return owner[1] if owner is not None else None


def _tensors(x):
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (tuple, list)):
        return [t for t in x if isinstance(t, Tensor)]
    return []


def _group(vertices, edges, trace, view, module_depth):
    """Merge vertices made inside module calls: in the ``'clusters'`` view each innermost
    module call's ops become one ``'fused'`` op named after the module (``conv2d``, not
    im2col/reshape/matmul); in the ``'modules'`` view each call at ``module_depth`` (or the
    innermost, if shallower) becomes one ``'module'`` box, its parameters and the tensors
    between boxes folded in. Returns ``(vertices, edges, cluster of each vertex id)``."""
    by_id = {v.id: v for v in vertices}
    consumers, producer = {}, {}
    for s, t in edges:
        consumers.setdefault(s, []).append(t)
        if by_id[s].kind == "op":
            producer[t] = s

    def target(call):  # the call whose stand-in absorbs ops made by ``call``
        if view == "clusters":
            return call if call.leaf else None
        while module_depth is not None and call.depth > module_depth:
            call = call.parent
        return call if call.leaf or call.depth == module_depth else None

    call_of = {}  # vertex id -> innermost ModuleCall (ops and results)
    rep, stand_ins = {}, {}  # vertex id -> the id it merges into; call -> its stand-in
    for v in vertices:
        if v.kind in ("op", "result"):
            call_of[v.id] = call = trace.call_of(v.obj)
            group = target(call) if call is not None else None
            if v.kind == "op" and group is not None:
                if group not in stand_ins:
                    stand_ins[group] = Vertex(f"m{len(stand_ins)}", "fused" if view ==
                                              "clusters" else "module", group, depth=v.depth)
                rep[v.id] = stand_ins[group].id
    for v in vertices:
        if v.kind == "result" and not v.output and producer.get(v.id) in rep:
            outside = any(rep.get(c) != rep[producer[v.id]] for c in consumers.get(v.id, []))
            if view == "modules" or not outside:
                rep[v.id] = rep[producer[v.id]]
        elif (v.kind == "leaf" and view == "modules") or \
                (v.kind == "const" and id(v.obj) not in trace._inputs):  # keep a model's input
            groups = {rep.get(c) for c in consumers.get(v.id, [])}
            if len(groups) == 1 and None not in groups:
                rep[v.id] = groups.pop()
    boxes = {m.id: m for m in stand_ins.values()}
    for v in vertices:
        if v.kind == "leaf" and v.id in rep:
            boxes[rep[v.id]].members.append(v)
    kept = [v for v in vertices if v.id not in rep]
    kept[1:1] = stand_ins.values()  # after the output, so it stays first
    merged, seen = [], set()
    for s, t in edges:
        s2, t2 = rep.get(s, s), rep.get(t, t)
        if s2 == t2 or ((s2, t2) in seen and (s in rep or t in rep)):
            continue
        seen.add((s2, t2))
        merged.append((s2, t2))
    # the module call each remaining vertex is drawn inside: a fused op in its module's
    # cluster, a module's box in its parent's, a tensor beside the op that made it
    cluster = {m.id: call.parent if view == "modules" else call for call, m in stand_ins.items()}
    for v in kept:
        if v.kind == "op":
            cluster[v.id] = call_of[v.id]
    for v in kept:
        if v.kind == "result":
            cluster[v.id] = cluster.get(rep.get(producer[v.id], producer[v.id]))
        elif v.kind == "leaf" or (v.kind == "const" and id(v.obj) not in trace._inputs):
            homes = {cluster.get(rep.get(c, c)) for c in consumers.get(v.id, [])}
            cluster[v.id] = homes.pop() if len(homes) == 1 else None
    return kept, merged, cluster


def _fused_name(type_name):
    """A module's class name in the style of its `nn.functional` function: Conv2d -> conv2d,
    BatchNorm2d -> batch_norm2d, CrossEntropyLoss -> cross_entropy_loss, ReLU -> relu."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", "_", type_name).lower()


# ------------------------------------------------------------------------- 3. gradient flow
_PALETTE = ["#9ecae1", "#c7e9c0", "#ffffb2", "#fdae6b", "#fb6a4a"]  # weak ... strong
_FLAG_COLOR = "#cb181d"


def activation_flags(op_name, value):
    """The fraction of output units in a failure regime, from an op's output ``value``:
    ``{'dead': f}`` after relu (units zero for every sample of the batch, axis 0) and
    ``{'saturated': f}`` after sigmoid or tanh (outputs whose slope is below 1% of its
    maximum); ``{}`` for other ops.

    >>> autograd.viz.activation_flags("tanh", np.tanh(np.array([0.0, 5.0])))
    {'saturated': 0.5}
    """
    value = np.asarray(value, dtype=np.float64)
    if value.size == 0:
        return {}
    if op_name == "relu":
        batch = value.reshape(value.shape[0] if value.ndim else 1, -1)  # (samples, units)
        return {"dead": float(np.all(batch == 0, axis=0).mean())}
    if op_name == "sigmoid":
        return {"saturated": float(np.mean(value * (1 - value) < 0.01 * 0.25))}
    if op_name == "tanh":
        return {"saturated": float(np.mean(1 - value ** 2 < 0.01))}
    return {}


def gradient_flow(norm, stats=None, grad_range=(1e-5, 1e2)):
    """Graphviz attributes and label lines for a vertex whose gradient has norm ``norm``
    (None: unknown) and whose units are ``stats`` (see `activation_flags`).

    The fill colour runs over ``grad_range`` on a log scale, from blue (weak) through yellow
    to red (strong). The border turns red and the label says why when the norm is below
    ``grad_range[0]`` (vanishing), above ``grad_range[1]`` (exploding), or when at least
    `FLAG_FRACTION` of the units are dead or saturated. Returns ``(attributes, lines)``.

    >>> autograd.viz.gradient_flow(3e-7, {"saturated": 0.9})[1]
    ['∇ 3.00e-07', 'saturated 90%', '⚠ vanishing gradient', '⚠ saturated units']
    """
    style, lines, flags = {}, [], []
    if norm is not None:
        style.update(style="filled", fillcolor=grad_color(norm, grad_range))
        lines.append(f"∇ {norm:.2e}")
        if not norm < grad_range[1]:
            flags.append("exploding gradient")
        elif norm < grad_range[0]:
            flags.append("vanishing gradient")
    for what, fraction in (stats or {}).items():
        lines.append(f"{what} {fraction:.0%}")
        if fraction >= FLAG_FRACTION:
            flags.append(f"{what} units")
    if flags:
        style.update(color=_FLAG_COLOR, penwidth="2.5", fontcolor=_FLAG_COLOR)
        lines += [f"⚠ {f}" for f in flags]
    return style, lines


def grad_color(norm, grad_range=(1e-5, 1e2)):
    """The colour of a gradient norm: its position on a log scale over ``grad_range``.

    >>> autograd.viz.grad_color(1e-5), autograd.viz.grad_color(1e2)   # the two ends
    ('#9ecae1', '#fb6a4a')
    """
    lo, hi = (math.log10(r) for r in grad_range)
    t = 0.0 if norm <= 0 else 1.0 if not math.isfinite(norm) else \
        min(max((math.log10(norm) - lo) / (hi - lo), 0.0), 1.0)
    x = t * (len(_PALETTE) - 1)
    i = min(int(x), len(_PALETTE) - 2)
    a, b = (np.array([int(c[k:k + 2], 16) for k in (1, 3, 5)]) for c in _PALETTE[i:i + 2])
    return "#" + "".join(f"{int(round(c)):02x}" for c in a + (b - a) * (x - i))


def _norm(arrays):
    return math.sqrt(sum(float(np.sum(np.square(a, dtype=np.float64))) for a in arrays))


def _legend(grad_range):
    """An HTML-like table: one coloured cell per decade of ``grad_range``."""
    lo, hi = (round(math.log10(r)) for r in grad_range)
    cells = "".join(f'<td bgcolor="{grad_color(10.0 ** k, grad_range)}">1e{k}</td>'
                    for k in range(lo, hi + 1))
    return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="3"><tr>'
            f'<td border="0">gradient norm</td>{cells}</tr></table>>')


# ------------------------------------------------------------------------- 4. labels, styles
_STYLES = {
    "op": dict(shape="ellipse", style="filled", fillcolor="#eeeeee", color="#888888"),
    "fused": dict(shape="ellipse", style="filled", fillcolor="#e1d5e7", color="#9673a6"),
    "module": dict(shape="record", style="filled,rounded", fillcolor="#e1d5e7",
                   color="#9673a6"),
    "leaf": dict(shape="record", style="filled", fillcolor="#dae8fc", color="#6c8ebf"),
    "const": dict(shape="record", style="dashed", color="#aaaaaa", fontcolor="#888888"),
    "result": dict(shape="record"),
    "summary": dict(shape="note", style="filled", fillcolor="#fff2cc", color="#d6b656"),
}
_HIGHLIGHT_STYLE = dict(style="filled", fillcolor="#f8cecc", color="#cc0000", penwidth="2.5",
                        fontcolor="#990000")
_OUTPUT_STYLE = dict(style="filled", fillcolor="#d5e8d4", color="#82b366", penwidth="1.5")


def vertex_label(v, show_values=True, precision=4, extra=()):
    """The text of a vertex: an op's name; a tensor's label, then its data and grad when it
    is 0-d (micrograd's picture), else its shape; a module's name, type and shapes. Values
    print with ``precision`` significant digits; ``extra`` lines are appended."""
    if v.kind in ("op", "fused"):
        name = v.obj.name if v.kind == "op" else _fused_name(v.obj.type)
        return "\n".join([name, *extra])
    if v.kind == "summary":
        return "\n".join([f"… {v.value} more op{'s' * (v.value != 1)}", "not drawn",
                          "(max_nodes, max_depth)"])
    if v.kind == "module":
        shapes = ", ".join(map(_shape, v.obj.in_shapes)) + " → " + \
            ", ".join(map(_shape, v.obj.out_shapes))
        fields = [v.obj.title, shapes, *extra]
    else:
        fields = [v.name] if v.name else []
        if v.shape is None:
            fields.append("const")
        elif v.shape == () and show_values and v.value is not None:
            fields.append(f"data {_number(v.value, precision)}")
            if v.grad is not None:
                fields.append(f"grad {_number(v.grad, precision)}")
        else:
            fields.append(_shape(v.shape))
        fields += extra
    return "{" + " | ".join(_escape(f) for f in fields) + "}"


def vertex_style(v):
    """Graphviz attributes for a vertex: parameters blue, constants faint, the output green,
    module stand-ins violet."""
    style = dict(_STYLES[v.kind])
    if v.output:
        style.update(_OUTPUT_STYLE)
    return style


def _shape(shape):
    return "scalar" if tuple(shape) == () else str(tuple(shape))


def _number(x, precision=4):
    return f"{np.asarray(x).item():.{precision}g}"


def _escape(text):
    # characters that structure a record label must be escaped to show up as text
    return re.sub(r'([{}|<>\\])', r"\\\1", text)


def _flow(v, grad_range):
    """The gradient-flow attributes and label lines of vertex ``v``."""
    if v.kind in ("fused", "module"):
        style, lines = gradient_flow(v.obj.grad_norm(), v.obj.stats, grad_range)
        for p in v.members:  # parameters folded into the box: their norms and flags too
            p_style, p_lines = _flow(p, grad_range)
            lines.append(" ".join([p.name or _shape(p.shape), *p_lines]))
            style.update((k, p_style[k]) for k in ("color", "penwidth", "fontcolor")
                         if k in p_style)
        return style, lines
    if v.kind == "leaf" and v.obj.grad is not None:
        return gradient_flow(_norm([v.obj.grad.numpy()]), None, grad_range)
    if v.kind == "op" and not v.obj.freed and v.obj.value is not None:
        stats = activation_flags(v.obj.name, v.obj.value) if np.ndim(v.obj.value) else {}
        return gradient_flow(None, stats, grad_range)
    return {}, []


# ------------------------------------------------------------------------- drawing, rendering
def draw_graph(tensor, params=None, modules=None, view=None, grad_flow=False, precision=4,
               rankdir=None, max_nodes=500, max_depth=None, module_depth=None,
               show_values=True, show_constants=True, grad_range=(1e-5, 1e2), names=None,
               highlight=None):
    """A `graphviz.Digraph` of the graph that produced ``tensor`` (shows inline in Jupyter;
    without Graphviz's ``dot`` program it shows how to install it there).

    Ellipses are ops; boxes are tensors, with their shape, or for 0-d tensors their data and
    (after backward) grad. Blue boxes are leaves that require grad, faint dashed ones
    constants, the green one ``tensor`` itself. After a backward without ``retain_graph``
    the shapes are still known, but a constant's value is not.

    params: ``{name: tensor}`` to label boxes, as torchviz's ``make_dot(params=...)``, e.g.
        ``dict(model.named_parameters())`` or ``{'w': w, 'x': x}`` (``names=`` is the same).
    modules: a `trace_modules` record of the forward pass, for the module views (and, when
        ``params`` is not given, the model's parameter names).
    view: ``'ops'`` (every op), ``'clusters'`` (a box around each module's ops, each
        innermost module drawn as one op under its own name: conv2d, linear, batch_norm2d)
        or ``'modules'`` (one box per module with its input and output shapes). Default:
        ``'ops'`` without ``modules``, else ``'modules'`` above `MODULE_VIEW_ABOVE` ops and
        ``'clusters'`` below.
    module_depth: in the ``'modules'`` view, draw modules this deep in the model as boxes
        (1: the model's children); default: the innermost modules.
    grad_flow: after a backward, colour parameters and modules by the norm of their
        gradient on a log scale over ``grad_range`` (a legend shows the scale) and flag
        vanishing and exploding gradients, saturated sigmoid/tanh and dead ReLU units (see
        `gradient_flow`). A module's norm is that of the gradient at its output.
    precision: significant digits of printed values (6 tells 1.00012 from 1).
    rankdir: ``'LR'`` (left to right, as micrograd) or ``'TB'`` (top to bottom); default:
        ``'TB'`` for graphs more than `DEEP` ops deep, else ``'LR'``.
    max_nodes, max_depth: draw at most this many vertices, or ops this far from the output;
        the rest of the graph becomes one summary box (None: no limit). The module views
        walk the whole graph and draw every module (``module_depth`` makes them fewer).
    show_values: print data and grad in 0-d boxes.
    show_constants: draw inputs that need no gradient (faintly).
    highlight: a Node (or several) to draw in red, e.g. the op a failed `gradcheck` found
        wrong: ``draw_graph(err.output, highlight=err.node)``.

    >>> with autograd.viz.trace_modules(model) as trace:
    ...     loss = F.cross_entropy(model(x), y)
    >>> loss.backward()
    >>> g = autograd.draw_graph(loss, modules=trace, grad_flow=True)
    >>> autograd.viz.render(g, 'graph.svg')
    'graph.svg'
    """
    from ._digraph import Digraph  # only when drawing: the core imports without graphviz

    if view not in (None, "ops", "clusters", "modules"):
        raise ValueError(f"draw_graph: view must be 'ops', 'clusters' or 'modules', "
                         f"got {view!r}")
    if view in ("clusters", "modules") and modules is None:
        raise ValueError(f"draw_graph: view={view!r} needs to know which module made which "
                         "op: run the forward pass inside `with autograd.viz.trace_modules("
                         "model) as trace:` and pass modules=trace")
    if modules is not None and not isinstance(modules, trace_modules):
        raise TypeError("draw_graph: modules must be the record made by "
                        f"autograd.viz.trace_modules(model), got {type(modules).__name__}")
    labels = dict(names or {})
    labels.update(params if params is not None else
                  dict(modules.named_parameters()) if modules is not None else {})
    # the module views are how big models are drawn: they walk the whole graph, then group
    limits = (max_nodes, max_depth) if view in (None, "ops") and modules is None else (None,) * 2
    vertices, edges = collect(tensor, labels, show_constants, *limits)
    n_ops = sum(v.kind == "op" for v in vertices)
    if view is None:
        view = "ops" if modules is None else \
            "modules" if n_ops > MODULE_VIEW_ABOVE else "clusters"
    if rankdir is None:
        rankdir = "TB" if max((v.depth for v in vertices), default=0) > DEEP else "LR"
    cluster = {}
    if view != "ops":
        vertices, edges, cluster = _group(vertices, edges, modules, view, module_depth)

    graph = Digraph(graph_attr=dict(rankdir=rankdir),
                    node_attr=dict(fontname="Helvetica", fontsize="11"),
                    edge_attr=dict(arrowsize="0.7", color="#555555"))
    marked = {id(n) for n in (() if highlight is None else (highlight,)
                              if isinstance(highlight, Node) else highlight)}
    inside = {}  # ModuleCall (or None: top level) -> the vertices drawn directly inside it
    for v in vertices:
        style, lines = _flow(v, grad_range) if grad_flow else ({}, [])
        attrs = {**vertex_style(v), **style}
        if v.kind == "op" and id(v.obj) in marked:
            attrs.update(_HIGHLIGHT_STYLE)
        label = vertex_label(v, show_values, precision, lines)
        inside.setdefault(cluster.get(v.id), []).append((v.id, label, attrs))
    _draw_clusters(graph, inside, grad_flow, grad_range)
    for source, target in edges:
        graph.edge(source, target)
    if grad_flow:
        graph.node("legend", _legend(grad_range), shape="plaintext", fontsize="9")
    return graph


def _draw_clusters(graph, inside, grad_flow, grad_range):
    """Draw each module call as a cluster, nested as the modules are, with its vertices."""
    children = {}
    for call in list(inside):
        while call is not None:  # every ancestor of a call with vertices is drawn too
            siblings = children.setdefault(call.parent, [])
            if call in siblings:
                break
            siblings.append(call)
            call = call.parent

    def fill(g, call):  # recursion as deep as the modules are nested, not as the graph
        for vid, label, attrs in inside.get(call, []):
            g.node(vid, label, **attrs)
        for child in sorted(children.get(call, []), key=lambda c: c.index):
            attrs = dict(label=child.title, style="rounded", color="#9673a6",
                         fontname="Helvetica", fontsize="10", labeljust="l")
            norm = child.grad_norm() if grad_flow else None
            if norm is not None:  # a light tint (alpha 40): what is inside keeps its colours
                attrs.update(style="rounded,filled",
                             fillcolor=grad_color(norm, grad_range) + "40")
            sub = type(graph)(name=f"cluster_{child.index}", graph_attr=attrs)
            fill(sub, child)
            g.subgraph(sub)

    fill(graph, None)


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
