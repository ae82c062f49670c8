"""The example systemd units in deploy/ parse, and run commands that exist."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = sorted(p for p in DEPLOY.iterdir() if p.suffix in {".service", ".timer"})

# The keys the units use, by section; a typo is caught even without systemd.
KNOWN = {
    "Unit": {"Description", "After", "Wants", "Requires"},
    "Service": {
        "Type", "User", "Group", "WorkingDirectory", "EnvironmentFile",
        "ExecStart", "KillSignal", "TimeoutStopSec", "Restart", "RestartSec",
        "NoNewPrivileges", "PrivateTmp", "ProtectSystem",
    },
    "Timer": {"OnCalendar", "Persistent", "RandomizedDelaySec", "Unit"},
    "Install": {"WantedBy"},
}  # fmt: skip


def parse(path):
    # strict=False: systemd repeats ExecStart in a oneshot service (read
    # whole by exec_starts below).
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(), source=str(path))
    return parser


def test_there_are_units_for_web_workers_and_the_monthly_briefings():
    names = {p.name for p in UNITS}
    assert {
        "csphub-web.service",
        "csphub-worker@.service",
        "csphub-brief-all.service",
        "csphub-brief-all.timer",
    } <= names


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_uses_known_sections_and_keys(path):
    unit = parse(path)
    for section in unit.sections():
        assert section in KNOWN, f"{path.name}: unknown section [{section}]"
        unknown = set(unit[section]) - KNOWN[section]
        assert not unknown, f"{path.name} [{section}]: unknown keys {unknown}"
    assert unit["Unit"]["Description"]


@pytest.mark.parametrize(
    "path", [p for p in UNITS if p.suffix == ".service"], ids=lambda p: p.name
)
def test_service_runs_a_command_that_exists(path):
    lines = exec_starts(path)
    assert lines, f"{path.name}: no ExecStart"
    if len(lines) > 1:
        assert parse(path)["Service"].get("Type") == "oneshot", (
            f"{path.name}: several ExecStart lines need Type=oneshot"
        )
    for line in lines:
        argv = shlex.split(line)
        assert argv[0].startswith("/"), "systemd needs an absolute path"
        if "manage.py" in argv:
            command = argv[argv.index("manage.py") + 1]
            assert command in get_commands(), f"{path.name}: no command {command}"
        else:
            assert argv[1:4] == ["-m", "gunicorn", "csphub.wsgi"]


def exec_starts(path):
    """Every ExecStart of a unit, in order."""
    return [
        line.split("=", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)
def test_systemd_analyze_verifies_the_units(tmp_path):
    """systemd's own parser, with this checkout standing in for /srv/csphub."""
    env = tmp_path / "csphub.env"
    env.write_text((DEPLOY / "csphub.env.example").read_text())
    names = []
    for path in UNITS:
        text = path.read_text().replace("/srv/csphub", str(ROOT))
        text = text.replace("/etc/csphub/csphub.env", str(env))
        text = text.replace("User=csphub", "User=root").replace(
            "Group=csphub", "Group=root"
        )
        name = path.name.replace("@.", "@1.")  # verify an instance of a template
        (tmp_path / name).write_text(text)
        names.append(name)
    completed = subprocess.run(
        ["systemd-analyze", "verify", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    warnings = [
        line for line in completed.stderr.splitlines() if any(n in line for n in names)
    ]
    assert not warnings, "\n".join(warnings)
