"""What a user installs: the version, the licence, and a wheel holding the packages and the
bundled data but no tests."""
import pathlib
import re
import shutil
import subprocess
import sys
import zipfile

import autograd

ROOT = pathlib.Path(__file__).parents[1]


def _declared_version():
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]


def test_version_is_the_distribution_s():
    assert autograd.__version__ == _declared_version()


def test_licence_file_is_mit():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_wheel_holds_the_packages_and_data_but_no_tests(tmp_path):
    # built from a copy: setuptools writes build/ and *.egg-info into the tree it builds, which
    # tests running alongside (pytest -n) read the package's metadata from
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".*", "build", "dist", "*.egg-info", "__pycache__", "demo-output"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("backproplab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("autograd/__init__.py", "nn/__init__.py", "optim/__init__.py",
                     "autograd/utils/data/digits.npz", "autograd/utils/data/DIGITS.md",
                     "autograd/py.typed", "autograd/__init__.pyi", "autograd/tensor.pyi"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("tests/", "notebooks/", "examples/"))]
    assert any(n.endswith("LICENSE") for n in names)
