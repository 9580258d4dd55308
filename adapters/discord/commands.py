"""The slash commands: names, options and descriptions, each calling one thin handler."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord import texts
from adapters.discord.deck_handlers import DeckHandlers
from adapters.discord.plan_handlers import PlanHandlers
from adapters.discord.quiz_handlers import QuizHandlers
from adapters.discord.remind_handlers import RemindHandlers
from adapters.discord.review_handlers import ReviewHandlers
from adapters.discord.settings_handlers import SettingsHandlers
from adapters.discord.stats_handlers import StatsHandlers
from adapters.discord.zones import zone_choices
from core.leeches.model import DEFAULT_LEECH_LAPSES, MAX_LEECH_LAPSES, MIN_LEECH_LAPSES
from core.permissions import ChatAction, groups_only
from core.planning.planner import MAX_TARGET, MIN_TARGET
from core.quiz.rules import QUIZ_CARDS, QUIZ_SECONDS

__all__ = [
    "register_decks",
    "register_plan",
    "register_quiz",
    "register_remind",
    "register_reviews",
    "register_settings",
]

Choices = list[app_commands.Choice[str]]
# Free text Discord itself keeps short (it allows 6000 characters otherwise): deck names are
# shown in lists and messages; no IANA zone name is near 64 (longer ones crash zoneinfo).
DeckName = app_commands.Range[str, 1, 100]
ZoneName = app_commands.Range[str, 1, 64]
# A quiz's numbers are the core's (core/quiz/rules.py): Discord refuses others before we see them.
QuizCards = app_commands.Range[int, QUIZ_CARDS.low, QUIZ_CARDS.high]
QuizSeconds = app_commands.Range[int, QUIZ_SECONDS.low, QUIZ_SECONDS.high]
PlanTarget = app_commands.Range[int, MIN_TARGET, MAX_TARGET]
LeechThreshold = app_commands.Range[int, MIN_LEECH_LAPSES, MAX_LEECH_LAPSES]
PlanDate = app_commands.Range[str, 1, 20]


def register_reviews(
    tree: app_commands.CommandTree, reviews: ReviewHandlers, stats: StatsHandlers
) -> None:
    @tree.command(name="help", description=texts.COMMANDS["help"])
    async def help_command(interaction: discord.Interaction) -> None:
        await reviews.help(interaction)

    @tree.command(name="review", description=texts.COMMANDS["review"])
    @app_commands.describe(public=texts.REVIEW_PUBLIC)
    async def review_command(interaction: discord.Interaction, public: bool | None = None) -> None:
        await reviews.review(interaction, public)

    @tree.command(name="stats", description=texts.COMMANDS["stats"])
    async def stats_command(interaction: discord.Interaction) -> None:
        await stats.stats(interaction)


def register_decks(tree: app_commands.CommandTree, decks: DeckHandlers) -> None:
    @tree.command(name="decks", description=texts.COMMANDS["decks"])
    async def decks_command(interaction: discord.Interaction) -> None:
        await decks.decks(interaction)

    group = app_commands.Group(name="deck", description=texts.DECK_GROUP)

    @group.command(name="use", description=texts.COMMANDS["deck use"])
    @app_commands.describe(name=texts.DECK_NAME)
    async def use_command(interaction: discord.Interaction, name: DeckName) -> None:
        await decks.use(interaction, name)

    @use_command.autocomplete("name")
    async def deck_names(interaction: discord.Interaction, typed: str) -> Choices:
        return await decks.deck_names(interaction, typed)

    @group.command(name="import", description=texts.COMMANDS["deck import"])
    @app_commands.describe(file=texts.DECK_FILE, name=texts.IMPORT_NAME)
    async def import_command(
        interaction: discord.Interaction, file: discord.Attachment, name: DeckName | None = None
    ) -> None:
        await decks.import_file(interaction, file, name)

    tree.add_command(group)


def register_settings(tree: app_commands.CommandTree, handlers: SettingsHandlers) -> None:
    @tree.command(name="settings", description=texts.COMMANDS["settings"])
    @app_commands.describe(
        timezone=texts.SETTINGS_ZONE,
        leech_threshold=texts.SETTINGS_LEECH.format(
            low=MIN_LEECH_LAPSES, high=MAX_LEECH_LAPSES, default=DEFAULT_LEECH_LAPSES
        ),
    )
    async def settings_command(
        interaction: discord.Interaction,
        timezone: ZoneName | None = None,
        leech_threshold: LeechThreshold | None = None,
    ) -> None:
        await handlers.settings(interaction, timezone, leech_threshold)

    @settings_command.autocomplete("timezone")
    async def zone_names(interaction: discord.Interaction, typed: str) -> Choices:
        return zone_choices(typed)


def register_remind(tree: app_commands.CommandTree, handlers: RemindHandlers) -> None:
    @tree.command(name="remind", description=texts.COMMANDS["remind"])
    @app_commands.describe(
        time=texts.REMIND_TIME, timezone=texts.REMIND_ZONE, channel=texts.REMIND_CHANNEL
    )
    async def remind_command(
        interaction: discord.Interaction,
        time: str | None = None,
        timezone: ZoneName | None = None,
        channel: bool = False,
    ) -> None:
        await handlers.remind(interaction, time, timezone, channel)

    @remind_command.autocomplete("timezone")
    async def zone_names(interaction: discord.Interaction, typed: str) -> Choices:
        return zone_choices(typed)


def register_plan(
    tree: app_commands.CommandTree, handlers: PlanHandlers, decks: DeckHandlers
) -> None:
    @tree.command(name="plan", description=texts.COMMANDS["plan"])
    @app_commands.describe(deck=texts.PLAN_DECK, date=texts.PLAN_DATE, target=texts.PLAN_TARGET)
    async def plan_command(
        interaction: discord.Interaction,
        deck: DeckName | None = None,
        date: PlanDate | None = None,
        target: PlanTarget | None = None,
    ) -> None:
        await handlers.plan(interaction, deck, date, target)

    @plan_command.autocomplete("deck")
    async def deck_names(interaction: discord.Interaction, typed: str) -> Choices:
        return await decks.deck_names(interaction, typed)


def register_quiz(
    tree: app_commands.CommandTree, quizzes: QuizHandlers, decks: DeckHandlers
) -> None:
    group = app_commands.Group(
        name="quiz",
        description=texts.QUIZ_GROUP,
        guild_only=groups_only(ChatAction.START_QUIZ),  # not offered in DMs at all
    )

    @group.command(name="start", description=texts.COMMANDS["quiz start"])
    @app_commands.describe(
        deck=texts.QUIZ_DECK,
        cards=texts.QUIZ_CARDS.format(default=QUIZ_CARDS.default),
        seconds=texts.QUIZ_SECONDS.format(default=QUIZ_SECONDS.default),
    )
    async def start_command(
        interaction: discord.Interaction,
        deck: DeckName | None = None,
        cards: QuizCards = QUIZ_CARDS.default,
        seconds: QuizSeconds = QUIZ_SECONDS.default,
    ) -> None:
        await quizzes.start(interaction, deck, cards, seconds)

    @start_command.autocomplete("deck")
    async def deck_names(interaction: discord.Interaction, typed: str) -> Choices:
        return await decks.deck_names(interaction, typed)

    @group.command(name="stop", description=texts.COMMANDS["quiz stop"])
    async def stop_command(interaction: discord.Interaction) -> None:
        await quizzes.stop(interaction)

    tree.add_command(group)
