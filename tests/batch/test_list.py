"""`vnru list`: every notebook with its parameters (name, type, default, help)."""

from fixtures.cli import make_notebook, vnru_cli
from vnru.batch.notebooks import parameters
from vnru.paths import NOTEBOOKS_DIR


def test_list_shows_every_bundled_notebook_and_parameter():
    result = vnru_cli("list")
    assert result.returncode == 0, result.stderr
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert f"{path.stem}: " in result.stdout
        for param in parameters(path):
            assert any(line.split()[:2] == [param.name, param.type] for line in result.stdout.splitlines())


def test_list_lines_hold_name_type_default_and_help(tmp_path):
    make_notebook(tmp_path, "demo", 'year: int = 2016  # a year\ncode: str = "001"  # keeps zeros ("0" = none)\n'
                  "bare = 1.5", [], title="Demo notebook")
    make_notebook(tmp_path, "empty", "", [])
    result = vnru_cli("list", "--notebooks-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "demo: Demo notebook",
        "  year  int    2016   a year",
        '  code  str    "001"  keeps zeros ("0" = none)',
        "  bare  float  1.5",
        "empty: empty",
        "  (no parameters)",
    ]


def test_list_missing_directory_is_a_usage_error(tmp_path):
    result = vnru_cli("list", "--notebooks-dir", str(tmp_path / "nope"))
    assert result.returncode == 2 and "notebooks directory not found" in result.stderr
