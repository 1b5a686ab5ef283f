"""`save` / `load`: checkpoints that lose nothing, survive a crash mid-save, and never run code.

A checkpoint is numpy's ``.npz`` (a zip of ``.npy`` arrays): one member per array, plus
``structure.npy``, a JSON text describing how the arrays nest in dicts, lists and tuples.
It is read with ``allow_pickle=False``, so loading can never execute code (a pickle can).
"""
import collections
import json
import math
import os
import secrets
import stat
import tokenize
import zipfile

import numpy as np

from .errors import AutogradError
from .dtypes import device
from .tensor import Tensor

FORMAT, VERSION = "autograd.save", 1
_STRUCTURE = "structure"
_SCALARS = (type(None), bool, int, float, str)
MAX_DEPTH = 100  # nesting levels of dicts, lists and tuples a checkpoint may hold
# what a corrupt or hostile file can make numpy's reader or json raise
_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, SyntaxError,
                tokenize.TokenError, RecursionError, MemoryError, OverflowError)


class CheckpointError(AutogradError, ValueError):
    """`autograd.load` met a file that is not a checkpoint it can read safely."""


def save(obj, f):
    """Write ``obj`` to the path ``f`` (exactly that path: no suffix is added).

    ``obj`` may nest dicts (and OrderedDicts; keys None, bool, int, float, str or tuples
    of them), lists, tuples, None, bools, ints, floats, strings, Tensors, numpy arrays and
    numpy scalars; `load` gives back the same structure, types, key order, dtypes and
    values. A Tensor comes back as a leaf with its data and ``requires_grad`` (an
    ``nn.Parameter`` as a Tensor; no ``.grad``, no graph); each occurrence of an array is
    stored separately; at most `MAX_DEPTH` levels of nesting. The file is written beside
    ``f`` under a temporary name, flushed to disk, then renamed over ``f``: a crash mid-save
    leaves the previous ``f`` intact. A read-only ``f`` is refused with a `PermissionError`
    (as PyTorch's ``open(f, "wb")`` would), not replaced.

    >>> autograd.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
    ...                "rng": autograd.get_rng_state(), "epoch": 3}, "checkpoint.pt")
    """
    path = _path(f, "save")
    arrays = []
    structure = {"format": FORMAT, "version": VERSION, "object": _encode(obj, "obj", arrays, set())}
    text = json.dumps(structure, allow_nan=False)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"autograd.save: cannot write {path!r}: the folder {folder!r} does not exist")
    if os.path.exists(path) and (not os.access(path, os.W_OK)
                                 or not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP
                                                                 | stat.S_IWOTH)):
        raise PermissionError(f"autograd.save: {path!r} is read-only; it is not replaced. Make "
                              "it writable (chmod u+w) or save to another path")
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies, as to open()
    try:
        with os.fdopen(fd, "wb") as file:
            with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                _write_array(archive, _STRUCTURE, np.array(text))
                for i, array in enumerate(arrays):
                    _write_array(archive, f"a{i}", array)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


def load(f, map_location=None, weights_only=True, mmap=None):
    """Read a checkpoint written by `save`; refuses anything else with a `CheckpointError`.

    Loading never executes code: pickles, and ``.npz`` files holding object arrays, are
    refused rather than unpickled; nesting deeper than `MAX_DEPTH` and arrays whose header
    is corrupt or claims more bytes than the file holds are refused too. PyTorch's
    ``weights_only`` (always true here: only data is ever read), ``map_location`` (the CPU,
    the only device) and ``mmap`` are accepted.

    >>> checkpoint = autograd.load("checkpoint.pt")
    >>> model.load_state_dict(checkpoint["model"])
    IncompatibleKeys(missing_keys=[], unexpected_keys=[])
    """
    path = _path(f, "load")
    if map_location is not None and not callable(map_location) \
            and not isinstance(map_location, dict):
        device(map_location)  # raises for anything but the CPU
    with open(path, "rb") as file:
        head = file.read(8)
    if head[:1] == b"\x80":  # how every pickle since protocol 2 begins (torch.save's old format)
        raise CheckpointError(f"autograd.load: {path!r} is a pickle file; autograd.load never "
                              "unpickles, because unpickling can run any code")
    if head.startswith(b"\x93NUMPY"):
        raise CheckpointError(f"autograd.load: {path!r} is a single .npy array, not a checkpoint "
                              "(read it with numpy.load(path, allow_pickle=False))")
    if not zipfile.is_zipfile(path):
        what = "empty" if not head else "truncated or not a zip archive"
        raise CheckpointError(f"autograd.load: {path!r} is not a checkpoint written by "
                              f"autograd.save: the file is {what} (a checkpoint is an .npz)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            structure = _read_structure(archive, path)
            arrays = _read_arrays(archive, path)
    except _READ_ERRORS as error:
        if isinstance(error, CheckpointError):
            raise
        raise CheckpointError(
            f"autograd.load: {path!r} is truncated or corrupt: {error}") from error
    try:
        return _decode(structure.get("object"), arrays, path, 0)
    except (TypeError, ValueError, AttributeError, AutogradError) as error:
        if isinstance(error, CheckpointError):
            raise
        raise CheckpointError(f"autograd.load: {path!r} has a malformed structure "
                              f"description: {error}") from error


def _path(f, who):
    if not isinstance(f, (str, os.PathLike)):
        raise TypeError(f"autograd.{who}: expected a path (str or os.PathLike), got "
                        f"{type(f).__name__}; file objects are not supported")
    return os.fspath(f)


# ----------------------------------------------------------------------- writing
def _encode(obj, where, arrays, active):
    """The JSON node for ``obj``; its arrays are appended to ``arrays``."""
    kind = type(obj)
    if kind is float and not math.isfinite(obj):
        return {"float": repr(obj)}  # 'nan', 'inf', '-inf': JSON has no such numbers
    if kind in _SCALARS:
        return obj
    if isinstance(obj, Tensor):
        return {"Tensor": _add_array(obj.numpy(), where, arrays),
                "requires_grad": obj.requires_grad}
    if kind is np.ndarray:
        return {"ndarray": _add_array(obj, where, arrays)}
    if isinstance(obj, np.generic):
        return {"scalar": _add_array(np.asarray(obj), where, arrays)}
    if kind not in (list, tuple, dict, collections.OrderedDict):
        raise TypeError(f"autograd.save: {where} is a {kind.__module__}.{kind.__qualname__}; a "
                        "checkpoint holds only dicts, lists, tuples, None, bools, ints, floats, "
                        "strings, Tensors and numpy arrays (save a module's or optimizer's "
                        "state_dict(), not the object itself)")
    if id(obj) in active:
        raise ValueError(
            f"autograd.save: {where} contains itself; a checkpoint cannot hold a cycle")
    if len(active) >= MAX_DEPTH:
        raise ValueError(f"autograd.save: {where[:60]}... nests more than {MAX_DEPTH} levels "
                         "deep; a checkpoint holds at most that many (load refuses more)")
    active.add(id(obj))
    if kind is list:
        node = [_encode(v, f"{where}[{i}]", arrays, active) for i, v in enumerate(obj)]
    elif kind is tuple:
        node = {"tuple": [_encode(v, f"{where}[{i}]", arrays, active) for i, v in enumerate(obj)]}
    else:
        node = {kind.__name__: [
            [_encode_key(k, where), _encode(v, f"{where}[{k!r}]", arrays, active)]
            for k, v in obj.items()]}
    active.discard(id(obj))
    return node


def _encode_key(key, where):
    if type(key) in _SCALARS or (type(key) is tuple and all(type(k) in _SCALARS for k in key)):
        return _encode(key, where, None, set())
    raise TypeError(f"autograd.save: {where} has the key {key!r} of type {type(key).__name__}; "
                    "dict keys must be None, bool, int, float, str or tuples of them")


def _add_array(array, where, arrays):
    if array.dtype.hasobject:
        raise TypeError(f"autograd.save: {where} is an array of dtype {array.dtype}, which only "
                        "pickle could store; convert it to a numeric or string dtype")
    arrays.append(array)
    return len(arrays) - 1


def _write_array(archive, name, array):
    with archive.open(name + ".npy", "w", force_zip64=True) as member:
        np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)


def _fsync_folder(folder):
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------------- reading
def _read_structure(archive, path):
    if _STRUCTURE not in archive.files:
        pickled = [n for n in archive.zip.namelist() if n.endswith((".pkl", ".pickle"))]
        detail = (f"it holds pickled data ({pickled[0]}; torch.save writes such files), which "
                  "autograd.load never unpickles" if pickled else
                  f"it has no '{_STRUCTURE}.npy' entry (members: {archive.zip.namelist()[:5]})")
        raise CheckpointError(f"autograd.load: {path!r} is not a checkpoint written by "
                              f"autograd.save: {detail}")
    try:
        structure = json.loads(str(_read(archive, _STRUCTURE, path)))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"autograd.load: {path!r} has an unreadable structure "
                              f"description: {error}") from error
    except RecursionError:
        raise CheckpointError(f"autograd.load: {path!r} nests more than {MAX_DEPTH} levels "
                              "deep; autograd.save never writes that (a corrupt or hostile "
                              "file)") from None
    if not isinstance(structure, dict) or structure.get("format") != FORMAT:
        raise CheckpointError(f"autograd.load: {path!r} is not a checkpoint written by "
                              "autograd.save (its structure entry names another format)")
    if structure.get("version") != VERSION:
        raise CheckpointError(
            f"autograd.load: {path!r} has format version {structure.get('version')!r}; "
            f"this autograd reads version {VERSION}")
    return structure


def _read_arrays(archive, path):
    return {name: _read(archive, name, path) for name in archive.files if name != _STRUCTURE}


def _check_size(archive, name, path):
    """Refuse a member whose header claims more bytes than the member holds (before numpy
    tries to allocate them)."""
    info = archive.zip.getinfo(name + ".npy")
    with archive.zip.open(info) as member:
        version = np.lib.format.read_magic(member)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0
        shape, _, dtype = read(member)
        claimed = math.prod(shape) * dtype.itemsize
        if claimed > info.file_size - member.tell():
            raise CheckpointError(
                f"autograd.load: {path!r} is corrupt: {name}.npy claims shape {shape} of "
                f"{dtype} ({claimed} bytes) but holds {info.file_size - member.tell()} bytes")


def _read(archive, name, path):
    _check_size(archive, name, path)
    try:
        return archive[name]
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise CheckpointError(
                f"autograd.load: {path!r} holds an object array ({name}.npy); reading it would "
                "need pickle, which can run any code, so it is refused") from error
        raise


def _decode(node, arrays, path, depth):
    if depth > MAX_DEPTH:
        raise CheckpointError(f"autograd.load: {path!r} nests more than {MAX_DEPTH} levels "
                              "deep; autograd.save never writes that (a corrupt or hostile file)")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is list:
        return [_decode(v, arrays, path, depth + 1) for v in node]
    if type(node) is not dict or len(node) not in (1, 2):
        raise CheckpointError(
            f"autograd.load: {path!r} has a malformed structure entry {node!r:.80}")
    (tag, value), *rest = node.items()
    if tag == "float" and value in ("nan", "inf", "-inf"):
        return float(value)
    if tag == "tuple":
        return tuple(_decode(v, arrays, path, depth + 1) for v in value)
    if tag in ("dict", "OrderedDict"):
        kind = dict if tag == "dict" else collections.OrderedDict
        return kind((_decode(k, arrays, path, depth + 1), _decode(v, arrays, path, depth + 1))
                    for k, v in value)
    if tag in ("ndarray", "scalar", "Tensor"):
        array = arrays.get(f"a{value}")
        if array is None:
            raise CheckpointError(f"autograd.load: {path!r} is missing the array a{value}.npy "
                                  "that its structure refers to")
        if tag == "ndarray":
            return array
        if tag == "scalar":
            return array[()]
        return Tensor(array, requires_grad=bool(node.get("requires_grad")))
    raise CheckpointError(f"autograd.load: {path!r} has an unknown structure entry {tag!r}")
