"""`autograd.save` / `autograd.load`: exact round trips, no code run on load, atomic writes."""
import collections
import io
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

import autograd
import nn
import optim
from autograd import serialization

MARKER = "pwned.txt"


def assert_identical(a, b, where="obj"):
    """Same types all the way down, same key order and key types, same dtypes and bytes."""
    assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
    if isinstance(a, dict):
        assert [(type(k), k) for k in a] == [(type(k), k) for k in b], where
        for k in a:
            assert_identical(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f"{where}[{i}]")
    elif isinstance(a, autograd.Tensor):
        assert a.requires_grad == b.requires_grad, where
        assert_identical(a.numpy(), b.numpy(), f"{where}.data")
    elif isinstance(a, (np.ndarray, np.generic)):
        assert (a.dtype, a.shape) == (b.dtype, b.shape), where
        assert np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes(), where
    else:
        assert repr(a) == repr(b), where  # tells nan, -0.0 and 0.0 apart


def training_state():
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    opt = optim.Adam(model.parameters(), lr=0.1, amsgrad=True)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    stopper = optim.EarlyStopping(patience=2)
    for _ in range(2):
        opt.zero_grad()
        loss = (model(autograd.randn(5, 3)) ** 2).mean()
        loss.backward()
        opt.step()
        sched.step()
        stopper.step(loss.item(), model)
    return {"model": model.state_dict(), "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(), "early_stopping": stopper.state_dict(),
            "rng": autograd.get_rng_state(), "epoch": 2}


ODD_VALUES = {
    "floats": [0.1, -0.0, float("nan"), float("inf"), -float("inf"), 1e-310, 2.0**1023],
    "ints": [0, -1, 2**100, -(2**64)],
    "others": [True, False, None, "", "ünïcode ✓", [], (), {}, ((),), [[[]]]],
    "keys": {0: "int", "0": "str", 1.5: "float", None: "none", True: "bool", (1, "a"): "tuple"},
    "arrays": [np.arange(6, dtype=np.int8).reshape(2, 3), np.zeros((0, 3), np.float16),
               np.array(3.5), np.array([1 + 2j], np.complex128), np.array([True, False]),
               np.arange(12.0).reshape(3, 4).T, np.asfortranarray(np.ones((2, 3), np.uint16)),
               np.array(["a", "bc"]), np.array([b"x"]), np.array([np.nan, -0.0], np.float32)],
    "scalars": (np.float32(1.5), np.int64(-3), np.bool_(True), np.float64(np.nan)),
    "tensors": [autograd.tensor([1.0, 2.0], requires_grad=True), autograd.tensor(np.int64(7)),
                nn.Parameter(autograd.zeros((2, 2)))],
    "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
}


@pytest.mark.parametrize("make", [training_state, lambda: ODD_VALUES, list, int, lambda: None],
                         ids=["training-state", "odd-values", "empty-list", "int", "none"])
def test_round_trip_is_exact(make, tmp_path):
    obj = make()
    path = tmp_path / "checkpoint.pt"
    autograd.save(obj, path)
    loaded = autograd.load(path)
    if obj is ODD_VALUES:  # a Parameter comes back as a plain Tensor (the core cannot import nn)
        assert type(loaded["tensors"][2]) is autograd.Tensor and loaded["tensors"][2].requires_grad
        loaded["tensors"][2] = obj["tensors"][2]
    assert_identical(obj, loaded)


def test_a_training_state_loads_into_fresh_objects(tmp_path):
    state = training_state()
    autograd.save(state, str(tmp_path / "c"))
    loaded = autograd.load(str(tmp_path / "c"))
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    model.load_state_dict(loaded["model"])
    opt = optim.Adam(model.parameters(), lr=0.1, amsgrad=True)
    opt.load_state_dict(loaded["optimizer"])
    assert_identical(model.state_dict(), state["model"])
    assert_identical(opt.state_dict(), state["optimizer"])


def test_the_file_is_written_at_exactly_the_given_path(tmp_path):
    autograd.save({"a": 1}, tmp_path / "model.pt")
    autograd.save({"a": 2}, tmp_path / "no_suffix")
    assert sorted(os.listdir(tmp_path)) == ["model.pt", "no_suffix"]  # no .npz, no temp files
    assert zipfile.is_zipfile(tmp_path / "model.pt")
    with np.load(tmp_path / "model.pt", allow_pickle=False) as plain:  # numpy reads it too
        assert "structure" in plain.files
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(tmp_path / "model.pt").st_mode & 0o777 == 0o666 & ~mask  # as open() would


@pytest.mark.parametrize("obj, message", [
    ({"opt": {"fn": len}}, r"obj\['opt'\]\['fn'\] is a builtins.builtin_function_or_method"),
    ([np.array([None])], r"obj\[0\] is an array of dtype object, which only pickle could store"),
    ({"s": {1, 2}}, r"obj\['s'\] is a builtins.set; a checkpoint holds only dicts"),
    ({(1, frozenset()): 0},
     r"obj has the key \(1, frozenset\(\)\) of type tuple; dict keys must be None"),
    (collections.defaultdict(int), r"obj is a collections.defaultdict"),
])
def test_what_cannot_be_stored_is_named(obj, message, tmp_path):
    with pytest.raises(TypeError, match=message):
        autograd.save(obj, tmp_path / "c")
    assert os.listdir(tmp_path) == []


def test_the_path_must_be_a_path_into_an_existing_folder(tmp_path):
    with pytest.raises(
            FileNotFoundError,
            match=r"autograd.save: cannot write '.*c.pt': the folder '.*nowhere' does not exist"):
        autograd.save(1, tmp_path / "nowhere" / "c.pt")
    with pytest.raises(TypeError, match="autograd.load: expected a path .* got BytesIO"):
        autograd.load(io.BytesIO())


def test_a_cycle_is_refused(tmp_path):
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match=r"autograd.save: obj\[0\] contains itself"):
        autograd.save(loop, tmp_path / "c")


# ---------------------------------------------------------------- loading runs no code
class Payload:
    """Unpickling this writes a marker file: proof that loading ran code."""

    def __reduce__(self):
        return (open, (MARKER, "w"))


def test_a_pickle_is_refused_without_running_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open("evil.pt", "wb") as f:
        pickle.dump({"weights": Payload()}, f)
    with pytest.raises(autograd.CheckpointError,
                       match=r"'evil.pt' is a pickle file; autograd.load never unpickles"):
        autograd.load("evil.pt")
    assert not os.path.exists(MARKER)


def test_an_npz_with_an_object_array_is_refused_without_running_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # what np.savez does with an optimizer's state
    np.savez("evil.npz", state=np.array([Payload()], dtype=object))
    with pytest.raises(autograd.CheckpointError,
                       match=r"'evil.npz' is not a checkpoint written by autograd.save"):
        autograd.load("evil.npz")
    # our own format with its array swapped for an object array
    autograd.save({"w": np.zeros(2)}, "crafted.pt")
    with zipfile.ZipFile("crafted.pt") as good, zipfile.ZipFile("evil.pt", "w") as evil:
        evil.writestr("structure.npy", good.read("structure.npy"))
        with evil.open("a0.npy", "w") as member:
            np.lib.format.write_array(member, np.array([Payload()], dtype=object),
                                      allow_pickle=True)
    with pytest.raises(
            autograd.CheckpointError,
            match=r"'evil.pt' holds an object array \(a0.npy\); reading it would need pickle"):
        autograd.load("evil.pt")
    assert not os.path.exists(MARKER)


def test_a_torch_save_file_is_refused_as_pickled_data(tmp_path):
    path = tmp_path / "model.pth"
    with zipfile.ZipFile(path, "w") as archive:  # torch.save's layout: a zip around a pickle
        archive.writestr("archive/data.pkl", pickle.dumps({"w": 1}))
    with pytest.raises(
            autograd.CheckpointError,
            match=r"model.pth' is not a checkpoint .* holds pickled data \(archive/data.pkl"):
        autograd.load(path)


# ---------------------------------------------------------------- truncated and foreign files
@pytest.mark.parametrize("keep", [0, 0.1, 0.5, 0.99])
def test_a_truncated_file_names_the_path_and_the_problem(keep, tmp_path):
    path = tmp_path / "c.pt"
    autograd.save(training_state(), path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    what = "empty" if keep == 0 else "truncated or not a zip archive"
    with pytest.raises(
            autograd.CheckpointError,
            match=rf"'{path}' is not a checkpoint written by autograd.save: the file is {what}"):
        autograd.load(path)


def test_a_corrupted_array_is_reported(tmp_path):
    path = tmp_path / "c.pt"
    autograd.save({"w": np.arange(1000.0)}, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the array: the zip's CRC catches it
    path.write_bytes(bytes(data))
    with pytest.raises(autograd.CheckpointError,
                       match=rf"'{path}' is truncated or corrupt: Bad CRC-32"):
        autograd.load(path)


def write_structure(path, text, arrays=()):
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in [("structure", np.array(text)), *arrays]:
            with archive.open(name + ".npy", "w") as member:
                np.lib.format.write_array(member, array)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("hello"), "the file is truncated or not a zip archive"),
    (lambda p: np.save(open(p, "wb"), np.ones(2)), "is a single .npy array, not a checkpoint"),
    (lambda p: np.savez(open(p, "wb"), w=np.ones(2)),
     r"no 'structure.npy' entry \(members: \['w.npy'\]\)"),
    (lambda p: write_structure(p, "{not json"), "unreadable structure description"),
    (lambda p: write_structure(p, '{"format": "other"}'),
     "its structure entry names another format"),
    (lambda p: write_structure(p, '{"format": "autograd.save", "version": 2, "object": 1}'),
     "has format version 2; this autograd reads version 1"),
    (lambda p: write_structure(
        p, '{"format": "autograd.save", "version": 1, "object": {"ndarray": 3}}'),
     "is missing the array a3.npy"),
    (lambda p: write_structure(
        p, '{"format": "autograd.save", "version": 1, "object": {"code": "x"}}'),
     "unknown structure entry 'code'"),
    (lambda p: write_structure(
        p, '{"format": "autograd.save", "version": 1, "object": {"tuple": 5}}'),
     "malformed structure description"),
])
def test_a_foreign_file_names_the_path_and_the_problem(make, message, tmp_path):
    path = tmp_path / "foreign"
    make(path)
    with pytest.raises(autograd.CheckpointError, match=rf"autograd.load: '{path}' .*{message}"):
        autograd.load(path)


def test_a_missing_file_is_a_plain_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.pt"):
        autograd.load(tmp_path / "nowhere.pt")


# ---------------------------------------------------------------- atomic writes
def test_a_failure_mid_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "c.pt"
    autograd.save({"epoch": 1, "w": np.zeros(3)}, path)
    calls = []

    def fail_on_second_array(archive, name, array):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(archive, name, array)

    real_write = serialization._write_array
    monkeypatch.setattr(serialization, "_write_array", fail_on_second_array)
    with pytest.raises(OSError, match="disk full"):
        autograd.save({"epoch": 2, "w": np.ones(3), "v": np.ones(3)}, path)
    assert_identical(autograd.load(path), {"epoch": 1, "w": np.zeros(3)})
    assert os.listdir(tmp_path) == ["c.pt"]  # the temporary file is cleaned up


CHILD = textwrap.dedent("""
    import pathlib, sys, time
    import numpy as np
    import autograd
    from autograd import serialization
    real_write = serialization._write_array
    def write_then_hang(archive, name, array):
        real_write(archive, name, array)
        if name == "a0":  # some of the new checkpoint is on disk: tell the parent, then hang
            pathlib.Path(sys.argv[2]).touch()
            time.sleep(60)
    serialization._write_array = write_then_hang
    autograd.save({"epoch": 2, "w": np.ones(1000), "v": np.ones(1000)}, sys.argv[1])
""")


def test_a_process_killed_mid_save_leaves_the_previous_checkpoint(tmp_path):
    path, ready = tmp_path / "c.pt", tmp_path / "ready"
    autograd.save({"epoch": 1, "w": np.zeros(1000)}, path)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(ready)], cwd=root)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert child.poll() is None and time.monotonic() < deadline, (
                "the child never started writing")
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert_identical(autograd.load(path), {"epoch": 1, "w": np.zeros(1000)})


def test_the_data_reaches_the_disk_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: events.append("replace") or real_replace(a, b))
    autograd.save({"a": 1}, tmp_path / "c.pt")
    assert events[:2] == ["fsync", "replace"]
