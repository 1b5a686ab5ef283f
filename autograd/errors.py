"""The exceptions the engine raises. Each names the op and the shapes involved."""


class AutogradError(Exception):
    """Base class of every error raised by the engine."""


class ShapeError(AutogradError, ValueError):
    """Operands of an op have shapes the op cannot combine (broadcasting, matmul, reshape...)."""


class IndexingError(AutogradError, IndexError):
    """An index or axis is out of range for the tensor it is applied to."""


class DtypeError(AutogradError, TypeError):
    """A tensor's dtype does not allow what was asked (e.g. an integer tensor requiring grad)."""


class BackwardError(AutogradError, RuntimeError):
    """A backward pass cannot start or cannot continue."""


class GraphFreedError(BackwardError):
    """A second backward reached a graph whose saved values were freed by the first one."""


class UnusedInputError(BackwardError):
    """`grad` was asked for an input that the outputs do not depend on."""


class AnomalyError(AutogradError, FloatingPointError):
    """Under `detect_anomaly()`, an op produced NaN or inf."""


class GradcheckError(AutogradError, AssertionError, RuntimeError):
    """`gradcheck` found analytic and numeric derivatives that disagree. ``culprit``: the
    name of the op whose own rule is wrong, and ``node`` its node (for ``draw_graph(...,
    highlight=err.node)``, ``output`` the output of that graph), when the check could
    localize it; else None."""

    culprit = None
    node = None
    output = None


class InplaceError(AutogradError, RuntimeError):
    """An in-place change that would make a gradient wrong: a leaf that requires grad changed
    while gradients are recorded, or a value a graph saved changed before its backward."""


# how to get Graphviz's `dot`, for viz's messages (here, beside the other messages, so that
# viz's lazily imported Digraph reads it without importing viz back)
INSTALL_GRAPHVIZ = ("Install Graphviz: Debian/Ubuntu `sudo apt-get install graphviz`, "
                    "macOS `brew install graphviz`, conda `conda install graphviz`")
