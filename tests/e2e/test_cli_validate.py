"""`vnru validate`: exit 0 on good data, 1 on bad data, 2 on a usage error; never a traceback."""

import subprocess
import sys

from fixtures.files import edit_csv
from vnru.data import datapackage


def vnru(*args, env=None):
    return subprocess.run([sys.executable, "-m", "vnru.cli", *args], capture_output=True, text=True, env=env, check=False)


def test_validate_bundled_data_exits_0():
    result = vnru("validate")
    assert result.returncode == 0, result.stderr
    assert f"All {len(datapackage.table_names())} tables valid." in result.stdout
    assert "trade.csv" in result.stdout


def test_validate_bad_data_exits_1_with_the_problem(data_copy):
    edit_csv(data_copy / "trade.csv", ",VN,", ",XX,")
    result = vnru("validate", "--data-dir", str(data_copy))
    assert result.returncode == 1
    assert "trade.csv, row 2, column 'reporter': 'XX' is not one of: VN, RU" in result.stderr
    assert "Traceback" not in result.stderr
    assert "FAILED" in result.stdout


def test_validate_missing_directory_exits_1(tmp_path):
    result = vnru("validate", "--data-dir", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "data directory not found" in result.stderr and "Traceback" not in result.stderr


def test_validate_usage_error_exits_2():
    result = vnru("validate", "--no-such-option")
    assert result.returncode == 2
    assert "No such option" in result.stderr and "Traceback" not in result.stderr


def test_unknown_command_exits_2():
    result = vnru("frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_console_script_is_installed():
    import shutil

    exe = shutil.which("vnru") or str(__import__("pathlib").Path(sys.executable).with_name("vnru"))
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "validate" in result.stdout
