"""Two ``summary-bot`` processes on one ``STATE_DB`` answer every channel alike.

Each bot is a real process in Slack HTTP mode, against the fake Slack's Web API;
the test posts signed slash commands to one or the other, as a load balancer
would, and reads each answer from the HTTP response (a warm article's reply
rides on the ack) or from the command's ``response_url`` at the fake. The
store is a real PostgreSQL (``tests/postgres_server.py``) or one SQLite file.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.adapters.state.test_one_process import start_bot
from tests.conftest import ROOT
from tests.fakes.slack_fake import FakeSlack
from tests.page_server import serve_pages
from tests.postgres_server import PASSWORD, PostgresServer

BOT_TOKEN = "xoxb-2222-shared-state"
DEFAULT_TITLE = "Netflix"
ETERNAUTA_TITLE = "El Eternauta: la nevada que cambió la historieta argentina"
ARTICLES = {
    "harvest": ("# The Harvest Report", "Harvest", "The harvest was good. Rain came late."),
    "comet": ("# A Comet Over Lisbon", "Sightings", "The comet was seen over Lisbon at dawn."),
    "bridge": ("# Building the Long Bridge", "Works", "The bridge took nine years to build."),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Bot:
    folder: Path
    port: int
    process: object

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def stderr(self) -> str:
        return (self.folder / "stderr").read_text(errors="replace")


def articles_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "eternauta.es.md").write_text(
        (ROOT / "examples" / "articles" / "eternauta.es.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    for name, (title, heading, text) in ARTICLES.items():
        body = f"{title}\n\n## {heading}\n\n{text} " * 1 + "It was noted in the town records.\n"
        (folder / f"{name}.md").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN) as fake:
        yield fake


def start_bots(
    tmp_path: Path, slack: FakeSlack, state_db: str, count: int = 2, **extra: str
) -> list[Bot]:
    folder = articles_folder(tmp_path)
    bots = []
    for n in range(count):
        cwd = tmp_path / f"bot{n}"
        cwd.mkdir()
        port = _free_port()
        settings = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_MODE": "http",
            "SLACK_SIGNING_SECRET": slack.signing_secret,
            "SLACK_HTTP_PORT": str(port),
            "SLACK_API_URL": slack.api_url,
            "STATE_DB": state_db,
            "ARTICLES_DIR": str(folder),
            "URL_LOADERS": "everyone",
            "URL_ALLOWED_NETWORKS": "127.0.0.1",
            **extra,
        }
        env_file = "".join(f"{key}={value}\n" for key, value in settings.items())
        bots.append(Bot(cwd, port, start_bot(cwd, env_file)))
    for bot in bots:
        _wait_listening(bot)
    return bots


def _wait_listening(bot: Bot, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:  # type: ignore[attr-defined]
            raise AssertionError(f"the bot stopped: {bot.stderr}")
        try:
            socket.create_connection(("127.0.0.1", bot.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the bot did not listen: {bot.stderr}")


def stop_bots(bots: list[Bot]) -> None:
    for bot in bots:
        process = bot.process
        if process.poll() is None:  # type: ignore[attr-defined]
            process.terminate()  # type: ignore[attr-defined]
    for bot in bots:
        try:
            assert bot.process.wait(timeout=30) == 0, bot.stderr  # type: ignore[attr-defined]
        finally:
            if bot.process.poll() is None:  # type: ignore[attr-defined]
                bot.process.kill()  # type: ignore[attr-defined]


def health(bot: Bot, path: str) -> tuple[int, dict[str, object]]:
    """A health route on the Slack HTTP port: its status and JSON body."""
    url = f"http://127.0.0.1:{bot.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def ask(slack: FakeSlack, bot: Bot, text: str, channel: str = "C1", user: str = "U1") -> str:
    """The bot's whole answer to ``/summary text`` in ``channel``, as JSON text."""
    ack = slack.send_http_slash_command(bot.url, text, channel_id=channel, user_id=user)
    assert ack.status == 200, (ack.status, ack.raw)
    [envelope] = [e for e in slack.envelopes if e.envelope_id == ack.envelope_id]
    response_url = envelope.payload["response_url"]
    slack.wait_for(
        lambda: any(r.url == response_url for r in slack.responses), 10, f"an answer to {text!r}"
    )
    posts = [r for r in slack.responses if r.url == response_url]
    shown = [{k: v for k, v in post.body.items() if k != "response_type"} for post in posts]
    return "\n".join(json.dumps(body, ensure_ascii=False, sort_keys=True) for body in shown)


@pytest.fixture(params=["sqlite", "postgres"])
def state_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "state.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


def test_a_use_through_one_process_is_what_the_other_answers_next(
    tmp_path: Path, slack: FakeSlack, state_db: str
) -> None:
    first, second = bots = start_bots(tmp_path, slack, state_db)
    try:
        assert DEFAULT_TITLE in ask(slack, second, "", "C1")
        assert "This channel now reads" in ask(slack, first, "use eternauta", "C1")
        assert ETERNAUTA_TITLE in ask(slack, second, "", "C1")
        assert "This channel now reads" in ask(slack, second, "use harvest", "C1")
        assert "The Harvest Report" in ask(slack, first, "", "C1")
        assert DEFAULT_TITLE in ask(slack, first, "", "C2")  # other channels keep the default
        # a file added to the folder later, picked through one, read by the other
        (tmp_path / "articles" / "orchard.md").write_text(
            "# The Orchard Diary\n\n## Spring\n\nThe apple trees flowered early.\n",
            encoding="utf-8",
        )
        assert "This channel now reads" in ask(slack, first, "use orchard", "C3")
        assert "The Orchard Diary" in ask(slack, second, "", "C3")
    finally:
        stop_bots(bots)
    for bot in bots:
        assert "Traceback" not in bot.stderr
        assert PASSWORD not in bot.stderr


def test_a_page_loaded_through_one_process_is_used_by_name_through_the_other(
    tmp_path: Path, slack: FakeSlack, state_db: str
) -> None:
    with serve_pages() as pages:
        first, second = bots = start_bots(tmp_path, slack, state_db)
        try:
            loaded = ask(slack, first, f"load {pages.url}/notes.md", "C1")
            assert "Loaded" in loaded, loaded
            name = "notes"
            # the channel that loaded it reads it through either process
            in_c1 = ask(slack, second, "sections", "C1")
            assert in_c1 == ask(slack, first, "sections", "C1")
            assert DEFAULT_TITLE not in in_c1
            # and another channel picks it by name through the other process
            assert "This channel now reads" in ask(slack, second, f"use {name}", "C2")
            assert ask(slack, first, "sections", "C2") == in_c1
            fetched = [path for path in pages.requests if path.startswith("/notes")]
            assert len(fetched) == 1  # the second process read it from STATE_DB
        finally:
            stop_bots(bots)


def test_the_rate_limit_holds_across_processes(
    tmp_path: Path, slack: FakeSlack, postgres: PostgresServer
) -> None:
    bots = start_bots(tmp_path, slack, postgres.new_database(), RATE_LIMIT_COMMANDS="4")
    try:
        answers = [ask(slack, bots[n % 2], "2", "C1", user="U9") for n in range(6)]
        other = ask(slack, bots[1], "2", "C1", user="U10")
    finally:
        stop_bots(bots)
    assert ["Slow down" in answer for answer in answers] == [False] * 4 + [True] * 2
    assert "Slow down" not in other


def test_two_http_workers_behind_a_round_robin_answer_every_channel_alike(
    tmp_path: Path, slack: FakeSlack, state_db: str
) -> None:
    bots = start_bots(tmp_path, slack, state_db, RATE_LIMIT_COMMANDS="1000")
    titles = {
        "eternauta": ETERNAUTA_TITLE,
        **{name: title[2:] for name, (title, _, _) in ARTICLES.items()},
    }
    names = sorted(titles)
    expected = {f"C{n}": DEFAULT_TITLE for n in range(8)}
    mismatches = []
    try:
        for bot in bots:  # each worker says it is alive and ready, its store reachable
            assert health(bot, "/healthz") == (200, {"status": "ok"})
            status, ready = health(bot, "/readyz")
            assert (status, ready["ready"], ready["checks"]["state_store"]) == (200, True, True)
        for n in range(200):
            bot = bots[n % 2]
            channel = f"C{(n * 5) % 8}"
            if n % 3 == 0:
                name = names[(n // 3) % len(names)]
                assert "This channel now reads" in ask(slack, bot, f"use {name}", channel)
                expected[channel] = titles[name]
            else:
                answer = ask(slack, bot, "", channel, user=f"U{n % 7}")
                if expected[channel] not in answer:
                    mismatches.append((n, channel, expected[channel]))
    finally:
        stop_bots(bots)
    assert mismatches == []
    assert len(set(expected.values())) > 2  # the channels did end up reading different things


STORE_AWAY = "can't reach my database"


def test_postgres_stopped_and_restarted_under_load_loses_no_acknowledged_choice(
    tmp_path: Path, slack: FakeSlack, postgres: PostgresServer
) -> None:
    bots = start_bots(tmp_path, slack, postgres.new_database(), RATE_LIMIT_COMMANDS="10000")
    names = ["eternauta", *sorted(ARTICLES)]
    titles = {"eternauta": ETERNAUTA_TITLE} | {n: t[2:] for n, (t, _, _) in ARTICLES.items()}
    acknowledged: dict[str, str] = {}
    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def load() -> None:
        for n in range(2000):
            if stop.is_set():
                return
            channel = f"C{n % 5}"
            text = f"use {names[n % len(names)]}" if n % 2 == 0 else ""
            answer = ask(slack, bots[n % 2], text, channel, user=f"U{n % 3}")
            answers.append((n, answer))
            if "This channel now reads" in answer:
                acknowledged[channel] = names[n % len(names)]

    worker = threading.Thread(target=load, name="load")
    worker.start()
    try:
        slack.wait_for(lambda: len(slack.responses) >= 30, 30, "commands before the stop")
        postgres.stop("fast")
        before = len(answers)
        slack.wait_for(lambda: len(answers) >= before + 10, 60, "commands while it is away")
        postgres.start()
        restarted = len(answers)
        slack.wait_for(
            lambda: sum("now reads" in a for _, a in answers[restarted:]) >= 5,
            60,
            "acknowledged choices after the restart",
        )
        stop.set()
        worker.join(60)
        assert [bot.process.poll() for bot in bots] == [None, None]  # type: ignore[attr-defined]
        away = [n for n, answer in answers[before:restarted] if STORE_AWAY in answer]
        assert away, "no command met the stopped database"
        assert [a for _, a in answers if STORE_AWAY in a and "\n" in a] == []  # one apology each
        for channel, name in sorted(acknowledged.items()):
            for bot in bots:
                assert titles[name] in ask(slack, bot, "", channel), (channel, name)
        tail = [a for _, a in answers[-5:]]
        assert not any(STORE_AWAY in answer for answer in tail)  # it recovered by itself
    finally:
        stop.set()
        worker.join(60)
        stop_bots(bots)
    for bot in bots:
        assert "Traceback" not in bot.stderr
        assert PASSWORD not in bot.stderr
