"""`make test-oracle` (AUTOGRAD_REQUIRE_TORCH=1): a PyTorch-parity test can no longer pass by
skipping."""
import importlib.util
import pathlib
import sys
import types

import pytest

spec = importlib.util.spec_from_file_location(
    "tests_conftest", pathlib.Path(__file__).with_name("conftest.py"))
conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conftest)


def report_after_hook(reason):
    """Run the conftest's makereport hook on a skipped test's report, as pytest would."""
    report = types.SimpleNamespace(skipped=True, outcome="skipped",
                                   longrepr=("test_x.py", 7, reason))
    wrapper = conftest.pytest_runtest_makereport(None, None)
    next(wrapper)
    with pytest.raises(StopIteration):
        wrapper.send(types.SimpleNamespace(get_result=lambda: report))
    return report


TORCH_SKIP = "Skipped: could not import 'torch': No module named 'torch'"


def test_without_the_flag_a_missing_torch_skips(monkeypatch):
    monkeypatch.delenv("AUTOGRAD_REQUIRE_TORCH", raising=False)
    assert report_after_hook(TORCH_SKIP).outcome == "skipped"


def test_with_the_flag_a_torch_skip_fails(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_REQUIRE_TORCH", "1")
    report = report_after_hook(TORCH_SKIP)
    assert report.outcome == "failed"
    assert report.longrepr == ("test_x.py:7: AUTOGRAD_REQUIRE_TORCH=1, yet this test skipped "
                               f"({TORCH_SKIP}); install every extra: make test-oracle")
    # nor may the cluster test skip there:
    dask = "Skipped: could not import 'distributed': No module named 'distributed'"
    assert report_after_hook(dask).outcome == "failed"
    # not about an extra:
    assert report_after_hook("Skipped: softmax needs an axis").outcome == "skipped"


def test_with_the_flag_torch_must_import(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_REQUIRE_TORCH", "1")
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    with pytest.raises(pytest.UsageError,
                       match="AUTOGRAD_REQUIRE_TORCH=1 but torch does not import"):
        conftest.pytest_sessionstart(None)
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    conftest.pytest_sessionstart(None)
