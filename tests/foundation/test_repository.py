"""The repository's own hygiene: what git must never pick up."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("kind", ["directory", "symlink"])
def test_virtual_environment_is_ignored_as_a_directory_or_a_link(tmp_path, kind):
    """Defect 8: ``.venv/`` matched only a directory; a worktree's ``.venv`` symlink showed as untracked."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    target = tmp_path / "elsewhere"
    target.mkdir()
    if kind == "directory":
        (tmp_path / ".venv").mkdir()
        (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")
    else:
        (tmp_path / ".venv").symlink_to(target)
    status = subprocess.run(["git", "status", "--porcelain", "--", ".venv"], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert status.stdout == ""
