from __future__ import annotations

import subprocess
import sys

from mirrorball import __version__


def test_version_command_prints_the_package_version() -> None:
    result = subprocess.run([sys.executable, "-m", "mirrorball", "version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


def test_unknown_command_exits_two_without_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "mirrorball", "no-such"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
