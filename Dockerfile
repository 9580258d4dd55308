# quizbot worker image: `docker compose up` builds it (compose.yaml), or
# `docker build -t quizbot . && docker run --env-file .env quizbot`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The package only (no tests, benches or virtualenv: .dockerignore), installed once.
COPY pyproject.toml README.md ./
COPY core ./core
COPY adapters ./adapters
COPY bot ./bot
COPY decks ./decks
RUN pip install . && useradd --create-home --uid 10001 quizbot

# The SQLite default lives under XDG_DATA_HOME: a volume keeps it for a single-process deployment.
ENV XDG_DATA_HOME=/data
RUN mkdir /data && chown quizbot /data
VOLUME /data
USER quizbot

# Migrations run at start (under an advisory lock on PostgreSQL); SIGTERM stops the bots cleanly.
CMD ["quizbot", "run"]
