"""The picture `draw_graph` returns: a `graphviz.Digraph` with Jupyter manners. Imported only
when drawing, since it needs the graphviz package (the core imports without it)."""
import graphviz

from .errors import INSTALL_GRAPHVIZ


class Digraph(graphviz.Digraph):
    """`graphviz.Digraph`, unchanged but for how it shows inline in Jupyter: without
    Graphviz's ``dot`` program, which draws it, it shows how to install Graphviz instead of
    graphviz's ExecutableNotFound traceback. ``.source``, ``.pipe()`` and ``render`` are
    graphviz's own."""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return {"text/plain": "Graphviz's `dot` program, which draws this graph, is not "
                                  f"installed. {INSTALL_GRAPHVIZ}; then show the graph again "
                                  "(its DOT text is in graph.source)."}
