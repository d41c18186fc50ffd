# summary-bot as a container image: see "Running it as a service" in README.md.
#
#   docker build -t summary-bot .
#   docker compose up -d          (compose.yaml: settings from .env, state on a volume)
#
# The image holds the bot and its dependencies only; it downloads nothing at run time.
FROM python:3.12.8-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The bot runs as this unprivileged user, never as root.
RUN useradd --system --uid 10001 --user-group --no-create-home summary-bot

# The package, installed from this repository exactly as the README's quick start does.
WORKDIR /opt/summary-bot
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY adapters ./adapters
RUN python3 -m venv .venv && .venv/bin/pip install -q .

# Each channel's article and the loaded pages live on a volume, across restarts and
# upgrades. The bot works in /data, so a relative STATE_DB (as in .env.example) lands there.
RUN mkdir /data && chown summary-bot:summary-bot /data
VOLUME /data
WORKDIR /data
ENV STATE_DB=/data/summary-bot.sqlite3 \
    HEALTH_PORT=8080
EXPOSE 8080

USER summary-bot
# Healthy once ready: the article prepared, the platforms connected, the state store reachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/opt/summary-bot/.venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ['HEALTH_PORT'], timeout=4)"]
ENTRYPOINT ["/opt/summary-bot/.venv/bin/summary-bot"]
