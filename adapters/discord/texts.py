"""What the Discord adapter itself says: its command names and descriptions, help, and the
sentences that name Discord's permissions.

The bot's sentences live in `core.texts`; these are the few only this platform needs.
"""

from __future__ import annotations

from core import texts as core_texts
from core.commands import CommandNames

__all__ = [
    "CHART_FILE",
    "COMMANDS",
    "COMMAND_NAMES",
    "DECKS_HEADING",
    "DECKS_HINT",
    "DECK_FILE",
    "DECK_GROUP",
    "DECK_LINE",
    "DECK_NAME",
    "IMPORT_NAME",
    "MISSING_PERMISSIONS",
    "PLAN_DATE",
    "PLAN_DECK",
    "PLAN_TARGET",
    "PLATFORM_NAME",
    "QUIZ_CARDS",
    "QUIZ_DECK",
    "QUIZ_GROUP",
    "QUIZ_SECONDS",
    "QUIZ_STARTED",
    "QUIZ_STOP_DONE",
    "REMIND_AT_CHANNEL",
    "REMIND_AT_DM",
    "REMIND_CHANNEL",
    "REMIND_DMS_CLOSED",
    "REMIND_TIME",
    "REMIND_ZONE",
    "REVIEW_PUBLIC",
    "SETTINGS_LEECH",
    "SETTINGS_ZONE",
    "WRONG_FILE_KIND",
    "help_text",
]

PLATFORM_NAME = "Discord"  # how core sentences name this platform ("too large to show on …")

# The commands core sentences name, as typed here: sub-commands and named options.
COMMAND_NAMES = CommandNames(
    review="/review",
    stop_quiz="/quiz stop",
    settings="/settings",
    settings_zone="/settings timezone:",
    settings_leech="/settings leech_threshold:",
    remind_example="/remind time:08:00 timezone:Europe/Berlin",
    plan_example="/plan deck:DECK date:2027-06-30 target:90",
    plan_off="/plan date:off",
)

# (command, description) as synced to Discord; names lowercase ≤ 32, descriptions ≤ 100.
COMMANDS: dict[str, str] = {
    "help": core_texts.ABOUT_HELP,
    "review": core_texts.ABOUT_REVIEW,
    "quiz start": "Start a group quiz in this channel: everyone rates each card 1–5",
    "quiz stop": "Stop this channel's quiz (its starter, or Manage Messages)",
    "settings": "Your study settings: scheduler, retention, new cards per day, time zone",
    "remind": "Daily review push: a DM to you, or this channel's",
    "plan": "Plan for an exam: new cards a day and retention to reach a recall target",
    "stats": "Your progress (and this channel's leaderboard in a server)",
    "decks": "The decks you can study here",
    "deck use": "Study the deck called NAME here",
    "deck import": "Import a deck file here: CSV/TSV, Anki, text, Markdown, JSON or TOML",
}
DECK_GROUP = "Choose or import decks"
DECK_NAME = "The deck's name"
DECK_FILE = "A deck file: CSV/TSV, Anki .apkg/.colpkg, text, Markdown, JSON or TOML"
IMPORT_NAME = "The new deck's name (default: the file name)"
REVIEW_PUBLIC = "Show it to the channel? (default: your /settings choice; at first only you)"

MISSING_PERMISSIONS = (
    "Discord would not let me post here. Give me View Channel, Send Messages, Embed Links and"
    " Attach Files in this channel, then try again."
)
HELP_NEXT_STEP = "Start with `/review`: I show a card, you show the answer and rate yourself 1–5."


def help_text() -> str:
    """Markdown for /help: our own wording, so nothing in it needs escaping."""
    lines = [core_texts.INTRO, "", *(f"`/{name}` — {about}" for name, about in COMMANDS.items())]
    return "\n".join([*lines, "", HELP_NEXT_STEP])


# Decks and imports
DECKS_HEADING = "Decks here"
DECK_LINE = "{mark}**{name}** · {cards}"  # cards: plural(n, "card")
DECKS_HINT = "Choose one with `/deck use`, or import your own with `/deck import`."
WRONG_FILE_KIND = (
    "Attach a deck file: CSV/TSV, Anki (.apkg, .colpkg or a text export), Quizlet or other text,"
    " Markdown, JSON or TOML."
)

# Stats
CHART_FILE = "stats.png"


# Daily review pushes
PLAN_DECK = "The deck your exam is on"
PLAN_DATE = "The exam date, YYYY-MM-DD, or “off” to end your plans; leave empty to see them"
PLAN_TARGET = "The share of the deck to recall on the exam day, in percent (default 90)"
REMIND_TIME = "HH:MM for a daily review, or “off”; leave empty to see the current one"
REMIND_ZONE = "Your time zone, e.g. Europe/Berlin or +02:00 (default: your saved one, else UTC)"
REMIND_CHANNEL = "Set this channel's daily push instead of your own DM (needs Manage Server)"
REMIND_AT_DM = "Daily review by DM at {time} {zone}."
REMIND_AT_CHANNEL = "Daily review in this channel at {time} {zone}."
REMIND_DMS_CLOSED = "I cannot send you DMs: allow direct messages from this server's members."

# Settings
SETTINGS_ZONE = "Set any time zone directly, e.g. Asia/Dubai or +05:30"
SETTINGS_LEECH = "Lapses that make a card a leech ({low}–{high}, default {default})"

# Group quizzes
QUIZ_GROUP = "Group quizzes in this channel"
QUIZ_DECK = "The deck (default: this channel's deck)"
QUIZ_CARDS = "How many cards (default {default})"
QUIZ_SECONDS = "Seconds per card, to answer and to rate (default {default})"
QUIZ_STARTED = "Quiz started: {cards} from “{deck}”."
QUIZ_STOP_DONE = "Quiz stopped."
