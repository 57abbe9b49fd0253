"""The deploy files (deploy/): what an operator would otherwise find out the hard way.

No Docker engine is needed. The files are read as Docker, compose and systemd read them, and the
container's steps are then played on this machine. The build context is copied as the
Dockerfile's COPY lines and the ignore file pick it, a wheel is built from it, and the wheel is
installed apart from the source tree. deploy/entrypoint.sh is then run against the Bot API
stand-in, and the image's HEALTHCHECK command, a webhook update and SIGTERM are tried on it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import Settings, SettingsError
from bot.web import DRAIN_TIMEOUT, FD_RESERVE
from tests.bot.http_standin import HttpStandIn

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SETTINGS = {name.upper() for name in Settings.model_fields}
# Read by compose.yaml or entrypoint.sh, not by runcoach itself.
DEPLOY_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "RUNCOACH_MODE"}
ENV_LINE = re.compile(r"^(?P<off>#\s?)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
TOKEN = "123456:AAH" + "x7Kq2Lm9Np4Rs8Tv1Wy5Zb3Cd6Fg0H"
SECRET = "deploy-test-secret-0123456789"
PUBLIC_URL = "https://coach.example.com"
RUNNER = 5151
DEADLINE = 25.0  # seconds for the bot process to do one thing
MAX_CONNECTIONS = Settings.model_fields["web_max_connections"].default


# --- deploy/.env.example ------------------------------------------------------------------------


def _env_example() -> list[tuple[bool, str, str, str]]:
    """(commented out, NAME, value, the comment line above) for each NAME=value line."""
    found = []
    previous = ""
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        match = ENV_LINE.match(line)
        if match:
            found.append((bool(match["off"]), match["name"], match["value"], previous))
        previous = line
    return found


def test_env_example_has_every_setting_and_nothing_unknown():
    names = [name for _, name, _, _ in _env_example()]
    assert len(names) == len(set(names)), "a setting appears twice in .env.example"
    assert SETTINGS - set(names) == set(), "settings missing from deploy/.env.example"
    assert set(names) - SETTINGS - DEPLOY_ONLY == set(), "unknown names in .env.example"


def test_env_example_explains_each_line_and_shows_true_defaults():
    defaults = Settings.model_fields
    for commented, name, value, above in _env_example():
        assert above.startswith("# ") and not ENV_LINE.match(above), f"{name}: no comment above"
        field = name.lower()
        if commented and field in defaults and defaults[field].default is not None:
            shown = Settings.model_validate({field: value})
            assert getattr(shown, field) == defaults[field].default, f"{name}: not the default"


def test_env_example_values_load_and_secrets_must_be_filled_in(monkeypatch, tmp_path):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    settings = Settings(_env_file=DEPLOY / ".env.example")  # type: ignore[call-arg]
    token = settings.telegram_bot_token
    assert token is not None
    assert token.get_secret_value() == "123456:replace-with-the-token-from-BotFather"
    assert settings.webhook_url == PUBLIC_URL
    # An operator who forgets WEBHOOK_SECRET gets a message, never a guessable secret.
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        settings.require_webhook()
    values = {name: value for _, name, value, _ in _env_example()}
    assert values["POSTGRES_PASSWORD"] == "", "a filled-in example password would get used"


# --- deploy/Dockerfile and its ignore file ------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        pending = ""
        word, _, arguments = text.partition(" ")
        instructions.append((word.upper(), arguments.strip()))
    return instructions


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _dockerfile():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _copies(stage: list[tuple[str, str]]) -> list[tuple[list[str], str, list[str]]]:
    """(sources, destination, --flags) of each COPY in a stage."""
    found = []
    for word, arguments in stage:
        if word == "COPY":
            parts = arguments.split()
            flags = [p for p in parts if p.startswith("--")]
            paths = [p for p in parts if not p.startswith("--")]
            found.append((paths[:-1], paths[-1], flags))
    return found


def test_dockerfile_builds_a_wheel_then_installs_it_without_build_tools():
    text = (DEPLOY / "Dockerfile").read_text()
    args = dict(a.split("=", 1) for w, a in _dockerfile() if w == "ARG" and "=" in a)
    builder, final = _stages()[0], _stages()[-1]
    assert len(_stages()) == 2
    assert builder[0][1].endswith("AS builder")
    for stage in (builder, final):
        image = stage[0][1].split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], image)
        assert image == "python:3.11-slim"
    assert any(w == "RUN" and "pip wheel" in a for w, a in builder)
    install = [a for w, a in final if w == "RUN" and "pip install" in a]
    assert install and "--no-index" in install[0] and "from=builder" in install[0]
    copied = [sources for sources, _, _ in _copies(final)]
    assert copied == [["deploy/entrypoint.sh"]], "the final stage copies no source tree"
    assert not re.search(r"apt-get install|build-essential|gcc", text)


def test_dockerfile_runs_as_runcoach_with_data_volume_port_healthcheck_and_entrypoint():
    final = _stages()[-1]
    words = [w for w, _ in final]
    users = [a for w, a in final if w == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert users[-1] == "10001:10001"
    setup = next(i for i, (w, a) in enumerate(final) if w == "RUN" and "useradd" in a)
    for part in ("--uid 10001", "--gid 10001", "chown runcoach:runcoach /data"):
        assert part in final[setup][1], part
    # A new named volume copies the image's /data, owner included: chown before VOLUME.
    assert words.index("VOLUME") > setup
    assert json.loads(next(a for w, a in final if w == "VOLUME")) == ["/data"]
    env = " ".join(a for w, a in final if w == "ENV")
    assert "DATA_DIR=/data" in env and "WEBHOOK_PORT=8080" in env
    assert ("EXPOSE", "8080") in final
    assert str(Settings.model_fields["webhook_port"].default) == "8080"
    assert "CMD" in next(a for w, a in final if w == "HEALTHCHECK")
    (entrypoint,) = json.loads(next(a for w, a in final if w == "ENTRYPOINT"))
    copy = next(c for c in _copies(final) if c[0] == ["deploy/entrypoint.sh"])
    assert copy[1] == entrypoint, "ENTRYPOINT is not the copied deploy/entrypoint.sh"
    # The exec bit survives a checkout on a system (or git setting) that drops it.
    assert "--chmod=0755" in copy[2]
    assert words.index("USER") > words.index("COPY")


def _healthcheck() -> list[str]:
    arguments = next(a for w, a in _stages()[-1] if w == "HEALTHCHECK")
    command: list[str] = json.loads(arguments[arguments.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"] and "urllib" in command[2]
    assert "127.0.0.1" in command[2] and "/health" in command[2] and "8080" in command[2]
    return [sys.executable, *command[1:]]


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_command_fails_on_503(health_server, monkeypatch, status, healthy):
    monkeypatch.setattr(_Health, "status", status)
    env = {"PATH": os.environ["PATH"], "WEBHOOK_PORT": str(health_server.server_port)}
    result = subprocess.run(_healthcheck(), env=env, capture_output=True, timeout=20)
    assert (result.returncode == 0) is healthy


def test_healthcheck_command_passes_in_polling_mode():
    # Polling without PUBLIC_URL serves no HTTP: the check must not mark a working bot unhealthy.
    env = {"PATH": os.environ["PATH"], "WEBHOOK_PORT": str(_free_port())}
    assert subprocess.run(_healthcheck(), env=env, timeout=20).returncode == 1
    env["RUNCOACH_MODE"] = "polling"
    assert subprocess.run(_healthcheck(), env=env, timeout=20).returncode == 0
    # With PUBLIC_URL the web server runs in polling mode too, and is checked.
    env["PUBLIC_URL"] = "https://coach.example.com"
    assert subprocess.run(_healthcheck(), env=env, timeout=20).returncode == 1


def test_healthcheck_command_probes_web_port_first(health_server):
    env = {
        "PATH": os.environ["PATH"],
        "WEB_PORT": str(health_server.server_port),
        "WEBHOOK_PORT": str(_free_port()),  # WEB_PORT wins, as in the settings
    }
    assert subprocess.run(_healthcheck(), env=env, timeout=20).returncode == 0


def _ignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    """deploy/Dockerfile.dockerignore as (is an exception "!", pattern), Docker's syntax."""
    rules = []
    for raw in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = re.escape(pattern)
        regex = regex.replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        regex = re.sub(r"\\\[(.*?)\\\]", r"[\1]", regex)
        rules.append((negate, re.compile(regex + "$")))
    return rules


def _ignored(path: str) -> bool:
    """Docker's rule: a pattern that matches a path or any folder above it; the last one wins."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for negate, regex in _ignore_rules():
        if any(regex.match(p) for p in prefixes):
            ignored = not negate
    return ignored


def test_build_context_leaves_out_secrets_venv_git_data_tests_and_caches():
    for path in [
        ".venv/bin/python",
        ".git/HEAD",
        "data/runcoach.sqlite3",
        ".env",
        "deploy/.env",
        "bot/.env",
        "tests/test_deploy.py",
        ".pytest_cache/v/cache/nodeids",
        ".mypy_cache/3.11/bot/cli.data.json",
        ".hypothesis/examples/x",
        "runcoach.egg-info/PKG-INFO",
        "build/lib/bot/cli.py",
        "bot/__pycache__/cli.cpython-311.pyc",
        "storage/migrations/__pycache__/env.cpython-311.pyc",
    ]:
        assert _ignored(path), f"{path} would be sent to the builder"


def _context_files() -> dict[str, list[Path]]:
    """For each COPY source in the Dockerfile: the files Docker would copy from it."""
    found: dict[str, list[Path]] = {}
    for stage in _stages():
        for sources, _, flags in _copies(stage):
            if any(f.startswith("--from") for f in flags):
                continue
            for source in sources:
                path = ROOT / source
                files = (
                    sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
                )
                found[source] = [p for p in files if not _ignored(str(p.relative_to(ROOT)))]
    return found


def test_every_copied_source_reaches_the_build_context():
    for source, files in _context_files().items():
        assert files, f"COPY {source}: nothing left after Dockerfile.dockerignore"
    versions = _context_files()["storage/"]
    assert ROOT / "storage/migrations/versions/0001_initial.py" in versions
    assert ROOT / "deploy/entrypoint.sh" in _context_files()["deploy/entrypoint.sh"]


# --- deploy/entrypoint.sh -----------------------------------------------------------------------


def test_entrypoint_is_an_executable_shell_script_that_execs_the_bot():
    path = DEPLOY / "entrypoint.sh"
    text = path.read_text()
    assert path.stat().st_mode & stat.S_IXUSR and os.access(path, os.X_OK)
    assert text.startswith("#!/bin/sh\n")
    assert re.search(r"^set -e", text, re.MULTILINE)
    assert "runcoach db upgrade" in text and "runcoach run --webhook" in text
    assert re.search(r"^exec ", text, re.MULTILINE)
    for shell in ("bash", "dash"):
        if shutil.which(shell):
            assert subprocess.run([shell, "-n", str(path)]).returncode == 0, shell


# --- deploy/compose.yaml ------------------------------------------------------------------------


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _yaml_subset(text: str) -> dict[str, Any]:
    """Block mappings, lists of scalars and scalars: all compose.yaml uses (no PyYAML here)."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any]] = [(-1, root)]  # (indent of the owning key, container)
    pending: tuple[int, dict[str, Any], str] | None = None
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line:
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        item = body.startswith("- ")
        if pending is not None:
            owner_indent, parent, key = pending
            pending = None
            if indent > owner_indent or (item and indent == owner_indent):
                parent[key] = [] if item else {}
                stack.append((owner_indent, parent[key]))
        while len(stack) > 1 and (indent < stack[-1][0] or (indent == stack[-1][0] and not item)):
            stack.pop()
        container = stack[-1][1]
        if item:
            assert isinstance(container, list), f"unexpected list item: {raw!r}"
            container.append(_unquote(body[2:]))
            continue
        match = re.match(r"^([^:\s][^:]*):(?:\s+(.*))?$", body)
        assert match and isinstance(container, dict), f"not understood: {raw!r}"
        key, value = match[1], match[2]
        if value is None:
            container[key] = None
            pending = (indent, container, key)
        else:
            container[key] = _unquote(value)
    return root


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    text = (DEPLOY / "compose.yaml").read_text()
    parsed = _yaml_subset(text)
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return parsed
    full = yaml.safe_load(text)  # where PyYAML is installed, the real parser must agree
    assert set(full["services"]) == set(parsed["services"])
    assert full["services"]["bot"]["depends_on"] == parsed["services"]["bot"]["depends_on"]
    return parsed


def test_compose_runs_postgres_and_the_bot_once_it_is_healthy(compose):
    services = compose["services"]
    assert set(services) == {"db", "bot"}
    db, bot = services["db"], services["bot"]
    assert db["image"] == "postgres:16-alpine"
    assert "pg_isready" in db["healthcheck"]["test"]
    assert set(db["environment"]) == {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
    assert any(v.startswith("pgdata:") for v in db["volumes"])
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["restart"] == "unless-stopped"
    assert bot["env_file"] == ".env"
    assert "botdata:/data" in bot["volumes"]
    assert set(compose["volumes"]) == {"pgdata", "botdata"}
    context = (DEPLOY / bot["build"]["context"]).resolve()
    assert context == ROOT and (context / bot["build"]["dockerfile"]).is_file()
    assert [p.rsplit(":", 1)[-1] for p in bot["ports"]] == ["8080"]


def test_compose_pins_database_url_listen_address_port_and_data_dir(compose):
    environment = compose["services"]["bot"]["environment"]
    # Pinned over anything in .env: 127.0.0.1 or another port there would hide the bot.
    assert environment["WEBHOOK_LISTEN"] == "0.0.0.0" and environment["WEBHOOK_PORT"] == "8080"
    assert environment["DATA_DIR"] == "/data"
    url = environment["DATABASE_URL"]
    assert url.startswith("postgresql://") and "@db:5432/" in url
    assert "${POSTGRES_PASSWORD" in url
    text = (DEPLOY / "compose.yaml").read_text()
    used = set(re.findall(r"\$\{(\w+)", text))
    example = {name for _, name, _, _ in _env_example()}
    assert used <= example, f"compose.yaml uses {used - example}, not in .env.example"


def _seconds(duration: str) -> float:
    """A compose duration such as 30s, 1m30s or 2m."""
    parts = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert parts and duration, f"not a duration compose reads: {duration!r}"
    return 60 * int(parts[1] or 0) + int(parts[2] or 0)


def test_compose_gives_the_bot_time_to_stop_and_files_for_its_connections(compose):
    bot = compose["services"]["bot"]
    # docker stop waits 10 s by default before SIGKILL; the bot needs its drain and more.
    assert _seconds(bot["stop_grace_period"]) >= max(30, DRAIN_TIMEOUT)
    nofile = bot["ulimits"]["nofile"]
    assert int(nofile["soft"]) >= 10 * (MAX_CONNECTIONS + FD_RESERVE)
    assert int(nofile["hard"]) >= int(nofile["soft"])


# --- deploy/runcoach.service --------------------------------------------------------------------


def _unit() -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in (DEPLOY / "runcoach.service").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
            continue
        key, _, value = line.partition("=")
        sections[current].append((key.strip(), value.strip()))
    return sections


def test_systemd_unit_migrates_then_runs_the_webhook_as_an_unprivileged_user():
    unit = _unit()
    assert set(unit) == {"Unit", "Service", "Install"}
    service = dict(unit["Service"])  # the last value of each key
    assert service["User"] not in {"", "root", "0"}
    assert service["ExecStartPre"] == "/opt/runcoach/.venv/bin/runcoach db upgrade"
    assert service["ExecStart"] == "/opt/runcoach/.venv/bin/runcoach run --webhook"
    assert service["WorkingDirectory"] == "/opt/runcoach"
    assert service["EnvironmentFile"] == "/etc/runcoach/runcoach.env"
    assert ("Environment", "DATA_DIR=/var/lib/runcoach") in unit["Service"]
    assert service["Restart"] == "on-failure"
    for key, value in [
        ("NoNewPrivileges", "true"),
        ("ProtectSystem", "strict"),
        ("PrivateTmp", "true"),
        ("ReadWritePaths", "/var/lib/runcoach"),
    ]:
        assert service[key] == value, key
    # Every connection is an open file: far above WEB_MAX_CONNECTIONS and what else is open.
    assert int(service["LimitNOFILE"]) >= 10 * (MAX_CONNECTIONS + FD_RESERVE)
    # SIGKILL only after the bot has had time to finish the updates it holds.
    assert int(service["TimeoutStopSec"]) >= max(30, DRAIN_TIMEOUT)
    # systemd ignores these in [Service] (with only a warning): they belong in [Unit].
    assert not {"StartLimitIntervalSec", "StartLimitBurst"} & set(service)
    assert dict(unit["Install"])["WantedBy"] == "multi-user.target"


# --- the container's steps, played on this machine ----------------------------------------------


@dataclass
class Installed:
    wheel: Path
    site: Path  # the wheel installed on its own, away from the source tree
    bin: Path  # a `runcoach` command that runs the installed wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The builder stage's context and `pip wheel`, then the final stage's install."""
    tmp = tmp_path_factory.mktemp("image")
    context = tmp / "src"
    for sources, destination, flags in _copies(_stages()[0]):
        assert not flags
        for source in sources:
            for file in _context_files()[source]:
                inside = file.relative_to(ROOT / source) if (ROOT / source).is_dir() else None
                target = context / destination / (inside or file.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
    wheels, site, bin_dir = tmp / "wheels", tmp / "site", tmp / "bin"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", wheels, context], check=True, timeout=300)
    (wheel,) = wheels.glob("runcoach-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", site, wheel],
        check=True,
        timeout=120,
    )
    bin_dir.mkdir()
    command = bin_dir / "runcoach"
    command.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import bot\n"
        f"assert bot.__file__.startswith({str(site)!r}), bot.__file__\n"
        "from bot.cli import main\n"
        "sys.exit(main())\n"
    )
    command.chmod(0o755)
    return Installed(wheel, site, bin_dir)


def test_wheel_has_the_migrations_and_the_runcoach_command(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "runcoach = bot.cli:main" in wheel.read(entry_points).decode()
    assert "storage/migrations/versions/0001_initial.py" in names
    assert "storage/migrations/env.py" in names and "storage/migrations/script.py.mako" in names
    for version in (ROOT / "storage/migrations/versions").glob("*.py"):
        assert f"storage/migrations/versions/{version.name}" in names
    assert not any(n.startswith("tests/") for n in names)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _container_env(installed: Installed, tmp_path: Path, **settings: str) -> dict[str, str]:
    """A clean environment, as in the container: nothing from this machine's settings."""
    return {
        "PATH": f"{installed.bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PTB_TIMEDELTA": "1",
        "DATA_DIR": str(tmp_path / "data"),
        **settings,
    }


@dataclass
class Started:
    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    async def stop(self) -> int:
        """SIGTERM, as `docker stop` sends it to PID 1; the bot must exit by itself."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(15):
                return await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            pytest.fail(f"no exit within 15 s of SIGTERM:\n{self.output()}")


def _cmdline(pid: int) -> list[bytes]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")


async def _entrypoint(env: dict[str, str], tmp_path: Path) -> Started:
    log = tmp_path / "container.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            DEPLOY / "entrypoint.sh",  # by its #! line and exec bit, as Docker starts it
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    return Started(process, log)


async def _until(started: Started, what: str, check: Any) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while not await check():
        if started.process.returncode is not None:
            pytest.fail(
                f"exited ({started.process.returncode}) before {what}:\n{started.output()}"
            )
        if loop.time() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n{started.output()}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def bot_api() -> AsyncIterator[HttpStandIn]:
    async with HttpStandIn() as server:
        yield server


async def test_container_start_migrates_serves_the_webhook_and_stops_on_sigterm(
    installed, tmp_path, bot_api
):
    port = _free_port()
    env = _container_env(
        installed,
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=bot_api.base_url,
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    started = await _entrypoint(env, tmp_path)
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")

    async def answers() -> bool:
        try:
            return (await client.get("/health")).status_code == 200
        except httpx.TransportError:
            return False

    try:
        await _until(started, "GET /health", answers)
        check = await asyncio.create_subprocess_exec(
            *_healthcheck(), env={"PATH": env["PATH"], "WEBHOOK_PORT": str(port)}
        )
        assert await check.wait() == 0, "the image's HEALTHCHECK fails on a healthy bot"
        assert "is at the newest schema" in started.output()
        assert (tmp_path / "data" / "runcoach.sqlite3").is_file()

        async def webhook_set() -> bool:
            return bot_api.standin.webhook_url == PUBLIC_URL + "/telegram"

        await _until(started, "setWebhook", webhook_set)
        # `exec`: PID 1 is now the bot itself, so `docker stop` signals reach it.
        cmdline = _cmdline(started.process.pid)
        assert b"entrypoint.sh" not in b" ".join(cmdline)
        assert cmdline[-3:-1] == [b"run", b"--webhook"], cmdline
        body = bot_api.standin.text_update_data(RUNNER, "/start")
        refused = await client.post("/telegram", json=body)
        assert refused.status_code == 403
        header = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        answered = await client.post("/telegram", json=body, headers=header)
        assert answered.status_code == 200
        report = (await client.get("/health")).json()
        assert report["status"] == "ok" and report["database"] == "ok"

        async def replied() -> bool:
            return bool(bot_api.standin.sent_to(RUNNER))

        await _until(started, "the bot's reply to /start", replied)
    finally:
        await client.aclose()
        code = await started.stop()
    assert code == 0, started.output()
    assert TOKEN.split(":")[1] not in started.output()


@pytest.fixture
def fake_runcoach(tmp_path: Path) -> Path:
    """A `runcoach` that notes its process id and arguments: how the entrypoint calls it."""
    bin_dir = tmp_path / "fake"
    bin_dir.mkdir()
    command = bin_dir / "runcoach"
    command.write_text(
        '#!/bin/sh\necho "$$ $*" >> "$CALLS"\n[ "$1" = db ] && exit "${UPGRADE_EXIT:-0}"\nexit 0\n'
    )
    command.chmod(0o755)
    return bin_dir


@dataclass
class EntrypointRun:
    code: int
    stderr: str
    pid: int
    calls: list[tuple[int, str]]  # (process id, arguments) of each `runcoach` it started


def _run_entrypoint(fake: Path, tmp_path: Path, *args: str, **env: str) -> EntrypointRun:
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    process = subprocess.Popen(
        [DEPLOY / "entrypoint.sh", *args],
        env={"PATH": f"{fake}:/usr/bin:/bin", "CALLS": str(calls), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = process.communicate(timeout=20)
    noted = [line.split(" ", 1) for line in calls.read_text().splitlines()]
    return EntrypointRun(
        process.returncode, stderr, process.pid, [(int(pid), what) for pid, what in noted]
    )


@pytest.mark.parametrize(
    ("mode", "run"), [(None, "run --webhook"), ("webhook", "run --webhook"), ("polling", "run")]
)
def test_entrypoint_migrates_then_execs_the_mode(fake_runcoach, tmp_path, mode, run):
    env = {"RUNCOACH_MODE": mode} if mode else {}
    result = _run_entrypoint(fake_runcoach, tmp_path, **env)
    assert result.code == 0, result.stderr
    (upgrade_pid, upgrade), (run_pid, ran) = result.calls
    assert (upgrade, ran) == ("db upgrade", run)
    assert upgrade_pid != result.pid  # a child the shell waits for
    assert run_pid == result.pid  # exec: the bot takes the shell's place and gets its signals


def test_entrypoint_stops_when_the_migration_fails(fake_runcoach, tmp_path):
    result = _run_entrypoint(fake_runcoach, tmp_path, UPGRADE_EXIT="3")
    assert result.code == 3
    assert [what for _, what in result.calls] == ["db upgrade"]


def test_entrypoint_refuses_an_unknown_mode_before_touching_the_database(fake_runcoach, tmp_path):
    result = _run_entrypoint(fake_runcoach, tmp_path, RUNCOACH_MODE="webhooks")
    assert result.code == 2 and result.calls == []
    assert "RUNCOACH_MODE must be webhook or polling" in result.stderr


def test_entrypoint_runs_given_arguments_instead(fake_runcoach, tmp_path):
    result = _run_entrypoint(fake_runcoach, tmp_path, "runcoach", "db", "upgrade")
    assert result.code == 0
    assert [what for _, what in result.calls] == ["db upgrade"]
