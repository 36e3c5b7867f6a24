"""The notebooks in examples/ run from top to bottom in a real Jupyter kernel, and are stored without outputs."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
CELL_TIMEOUT = 180  # seconds per cell; each notebook takes well under a minute in all
CATALOGUE = ("pr", "ro", "up", "hu", "cl", "rg")


def test_there_is_a_tutorial_and_a_notebook_per_catalogue_model():
    names = {path.name for path in NOTEBOOKS}
    expected = {"tutorial.ipynb"} | {f"model-{name}.ipynb" for name in CATALOGUE}
    assert expected <= names, f"missing notebooks: {sorted(expected - names)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    with_outputs = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.outputs]
    counted = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.execution_count is not None]
    assert not with_outputs and not counted, (
        f"{path.name}: clear the outputs before committing (cells {sorted(set(with_outputs + counted))})"
    )


def _execute(nb, name, cwd):
    """Run every cell in a fresh python3 kernel; fail the test with the cell's traceback."""
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": cwd}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellTimeoutError as exc:
        pytest.fail(f"{name}: a cell ran past {CELL_TIMEOUT} s\n{exc}", pytrace=False)
    except nbclient.exceptions.CellExecutionError as exc:  # names the cell and shows its traceback
        pytest.fail(f"{name}: a cell failed\n{exc}", pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, monkeypatch, tmp_path):
    monkeypatch.setenv("MPLBACKEND", "Agg")  # inherited by the kernel: figures render off-screen
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / ".hypothesis"))  # keep examples/ clean
    nb = nbformat.read(path, as_version=4)
    _execute(nb, path.name, str(EXAMPLES))  # run where a user opens it
    executed = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in executed), f"{path.name}: not every cell ran"


def test_a_failing_cell_fails_the_test(tmp_path):
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("1 / 0"), new_code_cell("y = 2")])
    with pytest.raises(pytest.fail.Exception, match=r"broken\.ipynb: a cell failed[\s\S]*ZeroDivisionError"):
        _execute(nb, "broken.ipynb", str(tmp_path))
