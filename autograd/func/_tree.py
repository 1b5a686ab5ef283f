"""Pytrees: nested tuples, lists and dicts with tensors (or anything else) at the leaves, as
``torch.utils._pytree`` sees them. A transform flattens its inputs and outputs to lists of
leaves, works on those, and rebuilds the caller's structure."""


def flatten(tree):
    """(leaves, spec): the leaves in order, and what `unflatten` needs to rebuild ``tree``."""
    if isinstance(tree, (tuple, list)):
        leaves, specs = [], []
        for item in tree:
            sub, spec = flatten(item)
            leaves += sub
            specs.append((len(sub), spec))
        return leaves, (type(tree), specs)
    if isinstance(tree, dict):
        leaves, specs = [], []
        for key, item in tree.items():
            sub, spec = flatten(item)
            leaves += sub
            specs.append((key, len(sub), spec))
        return leaves, (dict, specs)
    return [tree], None


def unflatten(leaves, spec):
    """The structure described by ``spec`` with ``leaves`` in place of the old ones."""
    if spec is None:
        return leaves[0]
    kind, specs = spec
    if kind is dict:
        out, start = {}, 0
        for key, n, sub in specs:
            out[key] = unflatten(leaves[start:start + n], sub)
            start += n
        return out
    items, start = [], 0
    for n, sub in specs:
        items.append(unflatten(leaves[start:start + n], sub))
        start += n
    return kind(items) if kind in (tuple, list) else kind(*items)  # namedtuples


def tree_map(fn, tree):
    leaves, spec = flatten(tree)
    return unflatten([fn(x) for x in leaves], spec)
