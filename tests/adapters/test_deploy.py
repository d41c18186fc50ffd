"""The Dockerfile, compose.yaml and the systemd unit agree with the README and the settings.

No container engine runs the tests, so this reads the files: the image installs
the package with the README's own command, runs as a user that is not root,
keeps ``STATE_DB`` on its volume and checks ``/readyz`` on ``HEALTH_PORT``;
compose.yaml parses and gives the bot only settings it knows.
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
from pathlib import PurePosixPath
from typing import Any

import yaml

from tests.conftest import ROOT
from tests.test_project import _readme_commands, _settings_read

# Variables of Python and pip themselves, which the image may set as well.
TOOL_VARIABLES = {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR", "PATH"}
TOOL_VARIABLES |= {"PIP_DISABLE_PIP_VERSION_CHECK"}


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def arguments(keyword: str) -> list[str]:
    return [rest for key, rest in instructions() if key == keyword]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for rest in arguments("ENV"):
        for pair in shlex.split(rest):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def readme_install_and_run() -> tuple[str, str]:
    """The quick start's command, split into its install part and the command it runs."""
    run = _readme_commands()[0]
    install, _, start = run.rpartition(" && ")
    return install, start


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_image_installs_the_package_as_the_readme_does() -> None:
    install, start = readme_install_and_run()
    assert install == "python3 -m venv .venv && .venv/bin/pip install -q ."
    assert install in arguments("RUN")
    workdir_at_install = None
    for key, rest in instructions():
        if key == "WORKDIR":
            workdir_at_install = rest
        if key == "RUN" and rest == install:
            break
    [entrypoint] = arguments("ENTRYPOINT")
    assert json.loads(entrypoint) == [f"{workdir_at_install}/{start}"]
    for rest in arguments("COPY"):
        *sources, _target = rest.split()
        for source in sources:
            assert (ROOT / source).exists(), source


def test_the_base_image_is_slim_and_pinned() -> None:
    [base] = arguments("FROM")
    assert re.fullmatch(r"python:3\.1[1-9]\.\d+-slim(-\w+)?", base), base


def test_the_bot_runs_as_a_user_that_is_not_root() -> None:
    users = arguments("USER")
    assert users and users[-1] not in {"root", "0"}
    keywords = [key for key, _ in instructions()]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    assert any("useradd" in rest and users[-1] in rest for rest in arguments("RUN"))


def test_state_db_is_on_the_volume() -> None:
    env = image_env()
    [volume] = arguments("VOLUME")
    assert PurePosixPath(env["STATE_DB"]).parent == PurePosixPath(volume)
    # A relative STATE_DB from .env.example lands there too: the bot works in the volume.
    assert arguments("WORKDIR")[-1] == volume


def test_the_healthcheck_asks_readyz_on_health_port() -> None:
    [check] = arguments("HEALTHCHECK")
    assert "/readyz" in check and "HEALTH_PORT" in check
    assert image_env()["HEALTH_PORT"] in arguments("EXPOSE")


def test_the_image_sets_only_known_settings() -> None:
    assert set(image_env()) - TOOL_VARIABLES <= _settings_read()


def test_compose_parses_and_names_only_known_settings() -> None:
    services = compose()["services"]
    bot = services["bot"]
    assert bot["build"] == "."
    assert bot["env_file"] == ".env"
    assert set(bot["environment"]) <= _settings_read()
    assert bot["environment"]["HEALTH_PORT"] == image_env()["HEALTH_PORT"]
    [volume] = arguments("VOLUME")
    assert any(mount.endswith(f":{volume}") for mount in bot["volumes"])


def test_postgresql_is_an_optional_profile() -> None:
    services = compose()["services"]
    assert services["postgres"]["profiles"] == ["postgres"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["bot"]["depends_on"]["postgres"]["required"] is False
    assert "profiles" not in services["bot"]


def test_the_systemd_unit_runs_the_readme_install() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "summary-bot.service", encoding="utf-8")
    service = unit["Service"]
    _install, start = readme_install_and_run()
    assert service["ExecStart"] == f"{service['WorkingDirectory']}/{start}"
    assert service["User"] not in {"root", "0"}
    variables = {line.partition("=")[0] for line in service["Environment"].splitlines()}
    assert variables <= _settings_read()
    # A configuration error exits with 2: restarting would not fix it.
    assert service["RestartPreventExitStatus"] == "2"
