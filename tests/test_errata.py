"""Every substantive error of the five decks is said aloud where a student meets the topic.

/work/shared/course-notes/deck-errata.md (an audit of the decks D1-D5) lists 27 places where a
deck is wrong or inconsistent. Each one the project did not already point out now has a
markdown cell starting "Deck erratum Xn" in the notebook that teaches the topic, and, where the
error can be run, the code cell right after it demonstrates it (runs the deck's formula or code
beside the right one, with asserts). This test fails if a marker is dropped, moves to a
notebook that does not teach the topic, or loses its demonstration.
"""
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# erratum id -> (notebook prefixes where it must be pointed out, whether a code cell runs it)
ERRATA = {
    "X1": (["06"], True),   # Leaky ReLU 0.1 vs 0.01
    "X2": (["06"], True),   # ELU = a(x e^x - 1) in D1's "Others" table
    "X3": (["06"], True),   # PReLU = max(0, x) in the same table
    "X4": (["06"], True),   # "smaller batch sizes help" against one-sign gradients: backwards
    "X5": (["05"], True),   # test time multiplies by the keep probability, not the drop one
    "X6": (["05"], False),  # predict() never returns out
    "X7": (["07"], True),   # gamma = sqrt(var + eps), beta = mu recovers the identity
    "X8": (["01"], True),   # D4's forward column has y where y* belongs; J is maximised
    "X11": (["01"], False),  # D4's backward-mode table is unfinished
    "X12": (["03"], True),  # Nesterov's look-ahead is theta + alpha v
    "X13": (["03"], True),  # Adam's update uses the bias-corrected moments
    "X14": (["08"], True),  # "y -> 1": y explodes
    "X15": (["02"], True),  # the He-init line gives NaN as printed
    "X16": (["09"], True),  # a higher LARS trust ratio moves the weights faster
    "X17": (["09"], False),  # LAMB's eps inside the root (pointed out before this audit's fixes)
    "X18": (["07"], False),  # batch-norm notation: 1/N, delta inside the root, covariate shift
    "X19": (["03"], True),  # "Adam outperforms every other algorithm", "no lr tuning"
    "X22": (["04"], True),  # D5's standardization line without keepdims
    "X25": (["04"], True),  # U^T X = S V^T, X_white = V^T has unit-norm rows
    "X27": (["05"], True),  # weight_decay = 2 lambda for the penalty lambda ||W||^2
}


def cells(prefix):
    (path,) = NOTEBOOKS.glob(f"{prefix}_*.ipynb")
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text())["cells"]]


def marker(erratum):
    return re.compile(rf"deck erratum {erratum}\b", re.I)


@pytest.mark.parametrize("erratum", ERRATA)
def test_erratum_is_pointed_out_where_the_topic_is_taught(erratum):
    prefixes, demonstrated = ERRATA[erratum]
    for prefix in prefixes:
        found = [i for i, (kind, text) in enumerate(cells(prefix))
                 if kind == "markdown" and marker(erratum).search(text)]
        assert found, f"notebook {prefix} no longer points out deck erratum {erratum}"
        if demonstrated:
            following = cells(prefix)[found[0] + 1:found[0] + 2]
            assert following and following[0][0] == "code", (
                f"notebook {prefix}: deck erratum {erratum} has lost the code cell that runs it")


def test_each_marker_is_in_the_table():
    """A new marker in a notebook must be listed above, so that dropping it later fails."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
        for erratum in re.findall(r"deck erratum (X\d+)\b", text, re.I):
            assert path.name[:2] in ERRATA.get(erratum, ([],))[0], (
                f"{path.name} points out deck erratum {erratum}, which the table above lacks")


def test_nb01_does_not_call_its_column_the_decks_table():
    text = "".join(t for _, t in cells("01"))
    assert "exactly the notes' reverse-mode table" not in text


def test_nesterov_reference_says_it_differs_from_the_deck():
    source = (ROOT / "tests" / "optim" / "optim_contract.py").read_text()
    doc = re.search(r'def nesterov_notes\(.*?"""(.*?)"""', source, re.S).group(1)
    assert "X12" in doc and "differs from deck D4" in " ".join(doc.split())
