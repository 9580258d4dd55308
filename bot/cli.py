"""The `quizbot` command line: console quiz, bots, decks, stats and database upgrades."""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from rich.console import Console
from rich.table import Table

from adapters.console.quiz import play_console
from adapters.console.render import print_screen
from adapters.deckfiles import deck_to_apkg
from adapters.stats_chart import render_chart_async
from adapters.storage import StorageError, upgrade_database
from bot.logs import configure_logging, redact
from bot.run import StartupError, run_bots
from bot.settings import Settings
from bot.wiring import App, open_app
from core.decks.export import deck_to_csv, deck_to_toml
from core.decks.model import Deck
from core.errors import QuizbotError
from core.learners import Chat, Learner
from core.permissions import OPERATOR
from core.stats.screens import stats_screen
from core.texts import history_text, plural

__all__ = ["main"]

log = logging.getLogger(__name__)

CONSOLE = "console"
DEFAULT_DECK = "neural-nets"
app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)
deck_app = typer.Typer(help="List, import and export decks.")
db_app = typer.Typer(help="Database maintenance.")
media_app = typer.Typer(help="The media store (MEDIA_DIR): pictures and sounds of decks.")
app.add_typer(deck_app, name="deck")
app.add_typer(db_app, name="db")
app.add_typer(media_app, name="media")
out = Console()
# Errors are not wrapped at the terminal width: they end up in logs and scripts too.
err = Console(stderr=True, soft_wrap=True)

UserOption = Annotated[str | None, typer.Option("--user", help="Console learner name.")]


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(_problem(e) for e in error.errors())
        err.print(f"Configuration error: {problems}", style="red", highlight=False)
        raise typer.Exit(2) from None
    secrets = [
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.discord_bot_token,
    ]
    configure_logging(settings.log_level, secrets)
    return settings


def _problem(problem: ErrorDetails) -> str:
    """ "VARIABLE: reason", or the reason alone when it concerns several variables."""
    where = ".".join(map(str, problem["loc"])).upper()
    return f"{where}: {_reason(problem)}" if where else _reason(problem)


def _reason(problem: ErrorDetails) -> str:
    """A validator's own sentence, without pydantic's "Value error, " in front of it."""
    cause = problem.get("ctx", {}).get("error")
    return str(cause) if problem["type"] == "value_error" and cause else problem["msg"]


def _run(coroutine: object) -> None:
    try:
        asyncio.run(coroutine)  # type: ignore[arg-type]
    except (QuizbotError, StartupError, StorageError) as error:
        err.print(redact(str(error)), style="red", highlight=False)
        raise typer.Exit(1) from None
    except Exception:
        # Not raised to typer, whose traceback would print raw what the log's redaction hides.
        log.exception("quizbot stopped on an unexpected error")
        raise typer.Exit(1) from None


async def _console_identity(app_: App, user: str | None) -> tuple[Learner, Chat]:
    name = user or getpass.getuser() or "you"
    async with app_.store.unit_of_work() as uow:
        learner = await uow.learners.ensure(CONSOLE, name, name)
        chat = await uow.chats.ensure(CONSOLE, name, f"{name}'s terminal", False)
    return learner, chat


async def _read_line(prompt: str) -> str | None:
    if sys.stdin.isatty():
        out.print(prompt, end="", style="bold cyan")
    line = await asyncio.to_thread(sys.stdin.readline)
    return None if line == "" else line.rstrip("\r\n")


async def _play(settings: Settings, deck: str | None, user: str | None) -> None:
    async with open_app(settings) as quiz:
        learner, chat = await _console_identity(quiz, user)
        chosen = await quiz.library.find(deck or DEFAULT_DECK, chat.id)
        media = await quiz.library.media_locations(chosen.id)
        rated = await play_console(
            quiz.reviews, learner, chat.id, [chosen.id], _read_line, out, media
        )
        out.print(
            f"Session over: {plural(rated, 'card')} rated. See `quizbot stats`.", highlight=False
        )


@app.callback(invoke_without_command=True)
def default(ctx: typer.Context) -> None:
    """With no command: the console quiz when no bot token is set, else the bots."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings()
    if settings.configured_platforms:
        run()
        return
    out.print(
        "No TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN is set, so here is the console quiz.\n"
        "To connect a bot, put a token in .env (see .env.example) and run `quizbot run`.\n",
        style="dim",
        highlight=False,
    )
    _run(_play(settings, None, None))


@app.command()
def play(
    deck: Annotated[str | None, typer.Option("--deck", help="Deck name or id.")] = None,
    user: UserOption = None,
) -> None:
    """Review cards in the terminal (Enter reveals, 1–5 rates, q quits)."""
    _run(_play(_settings(), deck, user))


@app.command()
def run(
    webhook: Annotated[
        bool,
        typer.Option(
            "--webhook", help="Telegram by webhook (TELEGRAM_WEBHOOK_URL) instead of polling."
        ),
    ] = False,
) -> None:
    """Start the bots whose tokens are set."""
    settings = _settings()
    if webhook and settings.telegram_webhook_url is None:
        err.print(
            "--webhook needs TELEGRAM_WEBHOOK_URL (the public https:// address Telegram posts "
            "to) and TELEGRAM_WEBHOOK_SECRET.",
            style="red",
            highlight=False,
        )
        raise typer.Exit(2)
    if not settings.configured_platforms:
        err.print(
            "No bot token is set: set TELEGRAM_BOT_TOKEN and/or DISCORD_BOT_TOKEN "
            "(in the environment or .env) to run the bots.",
            style="red",
            highlight=False,
        )
        raise typer.Exit(2)
    _run(run_bots(settings))


@deck_app.command("list")
def deck_list() -> None:
    """List the bundled decks."""

    async def go() -> None:
        async with open_app(_settings()) as quiz:
            table = Table("id", "name", "cards", box=None, header_style="bold", pad_edge=False)
            for deck in await quiz.library.visible(None):
                table.add_row(deck.id, deck.name, str(deck.card_count))
            out.print(table)

    _run(go())


@deck_app.command("import")
def deck_import(
    path: Annotated[
        Path,
        typer.Argument(
            help="A deck file: CSV/TSV, Anki package (.apkg/.colpkg) or plain-text export, "
            "Quizlet export, Markdown, JSON or quizbot TOML."
        ),
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Deck name (default: file name).")
    ] = None,
    with_history: Annotated[
        bool,
        typer.Option(
            "--with-history",
            help="Also add the Anki package's review history and card states for --user.",
        ),
    ] = False,
    user: UserOption = None,
) -> None:
    """Import a deck from a file (format detected from its content); a bad file writes nothing."""
    try:
        data = path.read_bytes()
    except OSError as error:
        err.print(f"Cannot read {path}: {error.strerror}", style="red", highlight=False)
        raise typer.Exit(1) from None

    async def go() -> None:
        async with open_app(_settings()) as quiz:
            learner = (await _console_identity(quiz, user))[0] if with_history else None
            summary = await quiz.library.import_deck(
                data,
                name or path.stem,
                None,
                path.name,
                role=OPERATOR,
                history_for=learner,
                now=quiz.clock.now(),
            )
            out.print(
                f"Imported {plural(summary.deck.card_count, 'card')} into “{summary.deck.name}” "
                f"(id {summary.deck.id}).",
                highlight=False,
            )
            if summary.history is not None:
                out.print(history_text(summary.history), highlight=False, soft_wrap=True)
            for warning in summary.warnings:
                # Card text such as "[image]" is not rich markup.
                out.print(
                    f"warning: {warning}",
                    style="yellow",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )

    _run(go())


class ExportFormat(StrEnum):
    csv = "csv"
    apkg = "apkg"
    toml = "toml"


@deck_app.command("export")
def deck_export(
    name: Annotated[str, typer.Argument(help="Deck name or id.")],
    format_: Annotated[
        ExportFormat,
        typer.Option("--format", help="csv (spreadsheets), apkg (Anki) or toml (for decks/)."),
    ] = ExportFormat.csv,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: DECK-ID.FORMAT).")
    ] = None,
) -> None:
    """Export a deck; importing the file again gives the same cards and ids."""

    async def go() -> None:
        async with open_app(_settings()) as quiz:
            deck = await quiz.library.deck_with_cards(await quiz.library.find(name, None))
            media = await quiz.library.media_files(deck.id) if format_ is ExportFormat.apkg else {}
        data = _exported(deck, format_, media)
        target = out_path or Path(f"{deck.id}.{format_.value}")
        try:
            target.write_bytes(data)
        except OSError as error:
            err.print(f"Cannot write {target}: {error.strerror}", style="red", highlight=False)
            raise typer.Exit(1) from None
        out.print(
            f"Exported {plural(len(deck.cards), 'card')} to {target}",
            highlight=False,
            soft_wrap=True,
        )

    _run(go())


def _exported(deck: Deck, format_: ExportFormat, media: dict[str, bytes]) -> bytes:
    if format_ is ExportFormat.apkg:
        return deck_to_apkg(deck, media=media)
    if format_ is ExportFormat.toml:
        return deck_to_toml(deck).encode("utf-8")
    return deck_to_csv(deck)


@app.command()
def stats(
    user: UserOption = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the PNG chart to this file.")
    ] = None,
) -> None:
    """Show your review figures (and, with --chart, the 30-day and 7-day chart as a PNG)."""

    async def go() -> None:
        async with open_app(_settings()) as quiz:
            learner, chat = await _console_identity(quiz, user)
            deck_ids = await quiz.library.active_deck_ids(chat.id)
            figures = await quiz.stats.for_learner(learner, deck_ids)
            print_screen(out, stats_screen(figures), title="Your stats")
            if chart is not None:
                chart.write_bytes(await render_chart_async(figures))
                out.print(f"Chart written to {chart}", highlight=False)

    _run(go())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending database migrations."""

    async def go() -> None:
        applied = await upgrade_database(_settings().database_url)
        out.print(f"Applied: {', '.join(applied)}" if applied else "The database is up to date.")

    _run(go())


@media_app.command("prune")
def media_prune() -> None:
    """Delete the media files no deck names any more, once an hour old (`quizbot run` does it
    every hour)."""

    async def go() -> None:
        async with open_app(_settings()) as quiz:
            pruned = await quiz.library.prune_media()
        size = f"{pruned.size / (1024 * 1024):.1f} MB"
        files = plural(pruned.files, "media file")
        out.print(f"Deleted {files} no deck names ({size}).", highlight=False)

    _run(go())


def main() -> None:
    app()
