"""The layers hold (DESIGN.md §1): the packages above the core use only its public names, and
imports go one way.

Read statically, with `ast`, from every module (imports inside functions included):

- ``nn``, ``optim``, ``examples`` and ``autograd/utils`` import from ``autograd`` only public
  names of public modules (`PUBLIC_MODULES`), reach no ``autograd.<private>`` attribute, and
  touch no private attribute of the core's classes (``p._data``, ``p._bump_version()``,
  ``getattr(p, "_data")``), on any object but their own ``self`` (a subclass of a core class,
  such as ``nn.Parameter``, may not use them on ``self`` either);
- no module under ``autograd/`` imports ``nn``, ``optim`` or ``examples``: the one way the
  core names them is ``autograd.__getattr__``, which runs ``importlib.import_module(name)``
  for ``autograd.nn`` / ``autograd.optim`` on a user's request, and no other module of the
  core imports a module whose name is computed at run time;
- ``nn`` never imports ``optim``, and nothing but ``examples`` itself imports ``examples``.
- the modules of ``autograd/`` import each other without a circle (`import_cycles`): a module
  lower in the core that needs one above it receives what it needs (``tensor.above``) instead
  of importing it. ``autograd.__getattr__``'s imports on a user's request (``autograd.nn``,
  ``autograd.optim``, ``autograd.utils``) run after ``import autograd``, not while it runs.

What static reading cannot see (an attribute of an object whose type is known only at run
time, reached under a name that is not one of the core's private names) is left to review.
"""
import ast
import importlib
import inspect
import pathlib

import pytest

import autograd

ROOT = pathlib.Path(__file__).resolve().parents[1]
ABOVE = ("nn", "optim", "examples", "autograd/utils")  # the code that uses the core
# the documented modules of the core: its namespace, the extension API (with its shared
# batching rules, autograd.extend.batching), drawing, data and progress bars (autograd.utils
# and everything under it), the torch.* look-alikes, and the dtype and device objects with
# their parsing (autograd.dtypes: as_dtype, is_device)
PUBLIC_MODULES = {"autograd", "autograd.extend", "autograd.batching", "autograd.viz",
                  "autograd.utils", "autograd.backends", "autograd.cuda", "autograd.func",
                  "autograd.dtypes"}
LAYERS_ABOVE_CORE = ("nn", "optim", "examples")


def _public_module(name):
    return name in PUBLIC_MODULES or name.startswith("autograd.utils.") and not any(
        part.startswith("_") for part in name.split("."))


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _core_private_attributes():
    """Private attribute names of the core's public classes (Tensor's ``_data``...), found at
    run time so that a new one is covered without editing this test."""
    names = set()
    for namespace in (autograd, autograd.extend, autograd.viz):
        for obj in vars(namespace).values():
            if inspect.isclass(obj) and _core_class(obj):
                for cls in obj.__mro__[:-1]:
                    names |= {n for n in (*vars(cls), *getattr(cls, "__slots__", ()))
                              if _private(n)}
    return names


def _core_class(obj):
    module = getattr(obj, "__module__", "") or ""
    return module.split(".")[0] == "autograd" and not module.startswith("autograd.utils")


CORE_PRIVATE = _core_private_attributes()


def module_name(path):
    """``nn/functional/rnn.py`` -> ``nn.functional.rnn`` (a package: its ``__init__``'s)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node, name, path):
    """The absolute module a ``from ... import`` names."""
    if not node.level:
        return node.module
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _resolve(dotted):
    """The object ``dotted`` names (``autograd.utils.data``), or None if it names none."""
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, part in enumerate(parts[1:], 1):
        if not hasattr(obj, part):
            try:
                importlib.import_module(".".join(parts[:i + 1]))
            except ImportError:
                return None
        obj = getattr(obj, part, None)
    return obj


def imported_modules(tree, name, path):
    """(line, absolute module name) of every import in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _absolute(node, name, path)


def reaches_into_the_core(source, name, path):
    """Every use of a private name of ``autograd`` in one module above the core."""
    tree = ast.parse(source)
    found = []
    bound = {}  # local name -> the core object (module or class) it names

    def reach(line, what):
        found.append(f"{path.relative_to(ROOT)}:{line}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "autograd":
                    continue
                if not _public_module(alias.name):
                    reach(node.lineno, f"imports the core's private module {alias.name}")
                top = alias.asname or alias.name.split(".")[0]
                bound[top] = _resolve(alias.name if alias.asname else "autograd")
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, name, path)
            if module.split(".")[0] != "autograd" or _public_module(name) and \
                    module.startswith("autograd.utils"):  # autograd.utils's own modules
                continue
            if not _public_module(module):
                reach(node.lineno, f"imports from the core's private module {module}")
                continue
            for alias in node.names:
                obj = _resolve(f"{module}.{alias.name}")
                if _private(alias.name):
                    reach(node.lineno, f"imports the private name {module}.{alias.name}")
                elif inspect.ismodule(obj) and not _public_module(obj.__name__):
                    reach(node.lineno, f"imports the core's private module {obj.__name__}")
                elif inspect.ismodule(obj) or inspect.isclass(obj) and _core_class(obj):
                    bound[alias.asname or alias.name] = obj
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, base = [node.attr], node.value
            while isinstance(base, ast.Attribute):
                chain.insert(0, base.attr)
                base = base.value
            if isinstance(base, ast.Name) and inspect.ismodule(bound.get(base.id)):
                obj = bound[base.id]
                for attr in chain:  # autograd.random.generator: each step public
                    if _private(attr):
                        reach(node.lineno, f"reaches autograd's private name {attr}")
                        break
                    obj = getattr(obj, attr, None)
                    if inspect.ismodule(obj) and not _public_module(obj.__name__):
                        reach(node.lineno, f"reaches the core's private module {obj.__name__}")
                        break
        elif isinstance(node, ast.ClassDef):
            core_bases = [b for b in node.bases if inspect.isclass(_bound_object(b, bound))]
            _private_uses(node, found, path, own_self=not core_bases)
    _private_uses(tree, found, path, own_self=True, skip_classes=True)
    return sorted(set(found))


def _bound_object(expr, bound):
    """The core object an expression such as ``Tensor`` or ``autograd.Tensor`` names."""
    chain = []
    while isinstance(expr, ast.Attribute):
        chain.insert(0, expr.attr)
        expr = expr.value
    obj = bound.get(expr.id) if isinstance(expr, ast.Name) else None
    for attr in chain:
        obj = getattr(obj, attr, None)
    return obj if inspect.ismodule(obj) or inspect.isclass(obj) and _core_class(obj) else None


def _private_uses(tree, found, path, own_self, skip_classes=False):
    """``x._data`` or ``getattr(x, "_data")`` with a private name of the core's classes, on
    anything but ``self``/``cls``/``super()`` of the module's own classes (``own_self``)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if not (skip_classes and isinstance(child, ast.ClassDef)):
                stack.append(child)
        if isinstance(node, ast.Attribute) and node.attr in CORE_PRIVATE:
            target, attr = node.value, node.attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and node.args[1].value in CORE_PRIVATE:
            target, attr = node.args[0], node.args[1].value
        else:
            continue
        mine = isinstance(target, ast.Name) and target.id in ("self", "cls") or \
            isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and \
            target.func.id == "super"
        if not (mine and own_self):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: uses the core's private "
                         f"attribute {attr} (on {ast.unparse(target)})")


def upward_imports(source, name, path):
    """Every import that goes against the layering, in one module."""
    layer = name.split(".")[0]
    forbidden = {"autograd": {"nn", "optim", "examples"}, "nn": {"optim", "examples"},
                 "optim": {"examples"}, "examples": set()}[layer]
    tree = ast.parse(source)
    found = [f"{path.relative_to(ROOT)}:{line}: {layer} imports {module}"
             for line, module in imported_modules(tree, name, path)
             if module.split(".")[0] in forbidden]
    if layer == "autograd":  # a module computed at run time: only autograd.nn/.optim's hook
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "importlib.import_module", "import_module", "__import__") and node.args:
                what = node.args[0]
                if isinstance(what, ast.Constant):
                    if str(what.value).split(".")[0] in forbidden:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {layer} "
                                     f"imports {what.value}")
                elif not (name == "autograd" and _in_function(tree, node, "__getattr__")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {layer} imports "
                                 f"a module named at run time ({ast.unparse(what)})")
    return found


def _in_function(tree, target, function):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function and any(
                n is target for n in ast.walk(node)):
            return True
    return False


def modules(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path


def test_the_layers_above_the_core_use_only_its_public_names():
    found = [f for path in modules(*ABOVE)
             for f in reaches_into_the_core(path.read_text(), module_name(path), path)]
    assert not found, "private names of autograd used above the core (add a documented " \
        "public name for what is needed, see CONTRIBUTING.md):\n" + "\n".join(found)


def test_imports_go_one_way():
    found = [f for path in modules("autograd", *LAYERS_ABOVE_CORE)
             for f in upward_imports(path.read_text(), module_name(path), path)]
    assert not found, "imports against the layering (DESIGN.md §1):\n" + "\n".join(found)


def test_the_one_hook_that_names_nn_and_optim_gives_them_on_request():
    assert autograd.nn is importlib.import_module("nn")
    assert autograd.optim is importlib.import_module("optim")


@pytest.mark.parametrize("layer, source, message", [
    ("nn.functional.rnn", "from autograd.engine import Op", "private module autograd.engine"),
    ("nn.init", "from autograd.random import generator", "private module autograd.random"),
    ("nn.x", "from autograd.ops import _getitem", "private module autograd.ops"),
    ("nn.x", "import autograd.engine", "private module autograd.engine"),
    ("nn.x", "from autograd import _special", "private name autograd._special"),
    ("nn.x", "from autograd import ops", "private module autograd.ops"),
    ("nn.x", "import autograd\nautograd.random.generator()", "private module autograd.random"),
    ("nn.x", "import autograd as ag\nag.ops._raw(x)", "private module autograd.ops"),
    ("nn.x", "import autograd\nautograd._special", "private name _special"),
    ("optim.x", "def step(p):\n    p._data -= 1", "private attribute _data"),
    ("optim.x", "def step(p):\n    p._bump_version()", "private attribute _bump_version"),
    ("optim.x", "def step(p):\n    getattr(p, '_data')", "private attribute _data"),
    ("nn.x", "from autograd import Tensor\nclass P(Tensor):\n    def f(self):\n"
             "        return self._data", "private attribute _data"),
    ("nn.x", "import autograd\nclass P(autograd.Tensor):\n    def f(self):\n"
             "        self._bump_version()", "private attribute _bump_version"),
    ("autograd.utils.data.x", "from ...engine import Op", "private module autograd.engine"),
])
def test_the_check_sees_each_kind_of_reach(layer, source, message):
    path = ROOT / (layer.replace(".", "/") + ".py")
    found = reaches_into_the_core(source, layer, path)
    assert any(message in f for f in found), found


@pytest.mark.parametrize("layer, source", [
    ("nn.x", "import autograd\nfrom autograd import Tensor, default_generator, tanh as _tanh"),
    ("nn.x", "from autograd.extend import raw, increment_version\nfrom autograd import viz"),
    ("nn.x", "import autograd\nautograd.utils.data.DataLoader\nautograd.viz.trace_modules"),
    ("nn.x", "class M:\n    def f(self, other):\n        return self._hooks, other._lengths"),
    ("autograd.utils.data.x", "from .dataset import Dataset\nfrom .. import progress"),
])
def test_the_check_lets_public_names_through(layer, source):
    path = ROOT / (layer.replace(".", "/") + ".py")
    assert reaches_into_the_core(source, layer, path) == []


@pytest.mark.parametrize("layer, source, message", [
    ("autograd.x", "import nn", "autograd imports nn"),
    ("autograd.x", "def f():\n    from optim import SGD", "autograd imports optim"),
    ("autograd.x", "import importlib\nimportlib.import_module('nn.functional')",
     "autograd imports nn.functional"),
    ("autograd.x", "import importlib\nimportlib.import_module(name)", "named at run time"),
    ("nn.x", "from optim import SGD", "nn imports optim"),
    ("optim.x", "from examples import demo", "optim imports examples"),
])
def test_the_check_sees_each_upward_import(layer, source, message):
    path = ROOT / (layer.replace(".", "/") + ".py")
    found = upward_imports(source, layer, path)
    assert any(message in f for f in found), found


def import_graph(folder):
    """{module: modules of ``folder`` it imports}, imports inside functions included; ``from
    . import x`` names module x where x is a module, else the package."""
    def is_module(name):
        path = ROOT / name.replace(".", "/")
        return path.with_suffix(".py").exists() or (path / "__init__.py").exists()

    top = folder.replace("/", ".")
    graph = {}
    for path in modules(folder):
        name = module_name(path)
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name.split(".")[0] == top}
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, name, path)
                if module.split(".")[0] == top:
                    edges |= {f"{module}.{a.name}" if is_module(f"{module}.{a.name}") else module
                              for a in node.names}
        edges.discard(name)
    return graph


def import_cycles(graph):
    """One circle (a list of modules, first repeated last) for each group of modules that
    import each other (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(_circle(graph, group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def _circle(graph, group):
    """A path through ``group`` from its first module back to it (breadth first)."""
    start = min(group)
    came_from, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                path = [v]
                while came_from[path[0]] is not None:
                    path.insert(0, came_from[path[0]])
                return [*path, start]
            if w in group and w not in came_from:
                came_from[w] = v
                queue.append(w)
    raise AssertionError("not a strongly connected group")


def test_the_core_imports_without_a_circle():
    cycles = import_cycles(import_graph("autograd"))
    assert not cycles, "modules of autograd/ that import each other (a module lower in the " \
        "core receives what it needs instead, as tensor.above does):\n" + \
        "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_check_lists_each_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"], ["d", "e", "d"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []
