"""The extension API: how an op is declared, apart from the ops users call.

Everything in `autograd` (and the Tensor methods) is generated from the op registry; this
module is how to add to it. Declare an op with the decorator of its rule kind — only the
rules that kind cannot derive are written (CONTRIBUTING.md has the recipe):

- `elementwise` (one local derivative per input: reverse and forward rules follow),
- `linear` (its transpose: the forward rule is the op itself),
- `bilinear` (one reverse rule per operand),
- `primitive` (both rules, explicitly),
- `registered` (a function built from other ops, or the argument handling around a private
  primitive), or `register` (the same, as a call).

Names given there (``method=``, ``operators=``, ``ufunc=``, ``aliases=``) become Tensor
methods, operators, numpy dispatch and ``autograd.<name>`` at once, for an op declared in
user code after ``import autograd`` as for a built-in one::

    from autograd.extend import elementwise

    @elementwise(lambda ans, x: 3 * x * x, saves="x", method=True)
    def cube(x):
        "x**3, elementwise."
        return x ** 3

    autograd.cube(x), x.cube()      # both run the op; gradcheck(autograd.cube, x) passes

`raw` gives the ndarray behind a Tensor, for a rule's constants (masks, signs) and forward
computations; `inplace_update` writes an in-place op through the version-counted path.
"""
from .engine import bilinear, elementwise, inplace_update, linear, primitive
from .ops import _raw as raw
from .registry import register, registered

__all__ = ["elementwise", "linear", "bilinear", "primitive", "registered", "register", "raw",
           "inplace_update"]
