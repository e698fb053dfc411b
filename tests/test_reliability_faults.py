"""The hostile-input hunt of issue 23 for `vnru run`, `vnru init` and sweeps: each case ends in one readable line
or a consistent report set, and nothing the kit ships (notebooks, data) is ever written."""


import pytest

from test_bad_inputs import _env, bundled_files_unchanged, manifest_of, only_line, vnru  # noqa: F401
from vnru.kit import create_kit
from vnru.paths import NOTEBOOKS_DIR


@pytest.fixture
def kit(tmp_path):
    create_kit(tmp_path / "kit")
    return tmp_path / "kit"


@pytest.mark.parametrize(("cwd", "out"), [("root", "bundled"), ("root", "bundled/sub"), ("kit", "notebooks"),
                                          ("kit", "notebooks/reports"), ("elsewhere", "kit/notebooks")])
def test_a_run_never_writes_into_a_notebooks_folder_it_reads_or_the_kit_ships(kit, tmp_path, cwd, out):
    """`vnru run trade_growth --notebooks-dir KIT/notebooks --out notebooks` replaced the tracked notebook."""
    where = {"root": NOTEBOOKS_DIR.parent, "kit": kit, "elsewhere": tmp_path}[cwd]
    out = out.replace("bundled", str(NOTEBOOKS_DIR)).replace("kit/", f"{kit}/")
    before = (kit / "notebooks" / "trade_growth.ipynb").read_bytes()
    result = vnru("run", "trade_growth", "--notebooks-dir", kit / "notebooks", "--out", out, "-p", "start_year", "2010",
                  cwd=where)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the reports would overwrite the notebooks; choose another --out" in only_line(result.stderr)
    assert (kit / "notebooks" / "trade_growth.ipynb").read_bytes() == before
    assert not (NOTEBOOKS_DIR / "sub").exists() and not (kit / "notebooks" / "reports").exists()
