"""Every sentence the bot says, in one place so wording is easy to review and translate.

A sentence that names a command says `{review}`, `{stop_quiz}`, `{settings}`, `{settings_zone}`,
`{settings_leech}` or `{remind_example}`: the platform's `core.commands.CommandNames.fill` writes
in its spelling.
Only platform words (command descriptions, permission names) live in an adapter's texts.py.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.decks.history_import import HistoryCounts

__all__ = [
    "RATING_LABELS",
    "RATING_PROMPT",
    "file_too_big",
    "fit_kept",
    "format_local",
    "history_text",
    "media_left_out",
    "media_too_large",
    "nothing_due",
    "plural",
    "remind_push",
]

INTRO = "I help you remember flashcards with spaced repetition."
WELCOME = "Hello! " + INTRO
# What two commands do, in a platform's command list and help.
ABOUT_HELP = "The commands I understand"
ABOUT_REVIEW = "Review the cards that are due"
RATING_PROMPT = "How well did you know this?"
RATING_LABELS = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5"}
RATING_LEGEND = "1 = not at all · 5 = perfectly"
SHOW_ANSWER = "Show answer"
NO_DECKS = "There are no decks here yet. Import one, or pick a bundled deck."
DECK_ACTIVE_MARK = "✓ "
DECK_CHOSEN = "Now studying “{name}”. Send {review} to start."  # CommandNames.fill
FILE_TOO_BIG = "That file is {size} MB; decks can be at most {limit} MB."
IMPORTED = "Imported {cards} into “{name}”."  # cards: plural(n, "card")
NOT_MY_BUTTON = "This button is not one of mine."
SOMETHING_WENT_WRONG = "Something went wrong on my side; please try again."
UNKNOWN_DECK = "I know no deck called “{name}” here."
DECK_NEEDS_NAME = "Give the deck a name."
DECK_NAME_TAKEN = "A bundled deck is already called “{name}”; choose another name."
HISTORY_ADDED = (
    "Anki history: {reviews} added ({known_reviews} already there), "
    "{states} added ({known_states} already there)."
)
HISTORY_OFFER = "The file holds your Anki review history too."
HISTORY_OFFER_BUTTON = "Add your Anki review history?"
HISTORY_OFFER_EXPIRED = "That offer has expired; upload the file again to add your history."
HISTORY_NONE = "The file holds no review history (export it from Anki with scheduling included)."
LIMIT_REACHED = "That is your {reviews} for today. Well done! More tomorrow."
ALL_DONE = "Nothing is due right now."
NEXT_DUE = "The next card is due {when}."
NO_CARDS_LEFT = "You have seen every card here and nothing is due."
RATED = "Rated {rating}/5 · next review {when}."
ALREADY_RATED = "That card was already rated."
ALREADY_SHOWN = "The answer is already shown."
OLD_BUTTON = "This button belongs to an older card."
NOT_YOURS = "This button belongs to someone else's review."
NOT_REVEALED = "Show the answer before rating."
NEW_CARDS_DONE = "That is your {new_cards} for today."
SESSION_PROGRESS = "{kind} · {done} reviewed in this session"
NEW_CARD = "New card"
DUE_CARD = "Review"

# Refusals of a chat-wide change (core/permissions.py); {admins}: how the platform names them.
ONLY_ADMINS_CHOOSE = "Only {admins} can change the deck here."
ONLY_ADMINS_IMPORT = "Only {admins} can import decks here."
ONLY_ADMINS_REMIND = "Only {admins} can set the daily review here."


def history_text(counts: HistoryCounts) -> str:
    """What a history import added ("Anki history: 5 reviews added (0 already there), …")."""
    return HISTORY_ADDED.format(
        reviews=plural(counts.reviews_added, "review"),
        known_reviews=counts.reviews_known,
        states=plural(counts.states_added, "card state"),
        known_states=counts.states_known,
    )


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count with its noun: "1 card", "0 cards", "2 cards"; `many` for an irregular plural
    ("1 person", "3 people"). Every counted noun the bot says goes through here."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def format_local(instant: datetime, zone: tzinfo, now: datetime) -> str:
    """'now', 'today at 18:00', 'tomorrow at 04:00' or 'on Mon at 04:00', in the learner's zone."""
    if instant <= now:
        return "now"
    local, local_now = instant.astimezone(zone), now.astimezone(zone)
    days = (local.date() - local_now.date()).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"on {local.strftime('%a')} at {clock}"
    return f"on {local.strftime('%a %d %b %Y')} at {clock}"


def nothing_due(next_due: datetime | None, zone: tzinfo, now: datetime) -> str:
    if next_due is None:
        return NO_CARDS_LEFT
    return f"{ALL_DONE} {NEXT_DUE.format(when=format_local(next_due, zone, now))}"


# Group quizzes
QUIZ_CARD = "Card {number}/{total}"
QUIZ_ANSWER_IN = "The answer appears in {seconds} s, or when {starter} shows it."
QUIZ_RATED_COUNT = (
    "{count} rated so far. Everyone rates for themselves; "
    "you can change your rating until the next card."
)
QUIZ_NEXT_WHEN = "Next card when everyone has rated, or in {seconds} s."
QUIZ_NEXT_IN = "Next card in {seconds} s."  # the first card: who is playing is not known yet
QUIZ_NEXT = "Next card"
QUIZ_ONLY_IN_GROUPS = "Group quizzes run in groups. Use {review} here."  # CommandNames.fill
QUIZ_ALREADY_RUNNING = "A quiz is already running in this chat. Stop it first with {stop_quiz}."
QUIZ_NONE_RUNNING = "No quiz is running in this chat."
# A refused press or /stop names who may do it (the starter, or a chat's moderators).
QUIZ_ONLY_STARTER_SHOW = "Only {starter} or a moderator can show the answer."
QUIZ_ONLY_STARTER_NEXT = "Only {starter} or a moderator can move on to the next card."
QUIZ_ONLY_STARTER_STOP = "Only {starter} or a moderator can stop the quiz."
QUIZ_ONLY_MODERATORS = "Only the quiz's starter or a moderator can do that."
QUIZ_RATING_CLOSED = "Rating for this card has closed."
QUIZ_RATED = "You rated {rating}/5. You can change it until the next card."
QUIZ_EMPTY_DECK = "The deck “{name}” has no cards."
QUIZ_CARD_COUNT = "A quiz has {min} to {max} cards."
QUIZ_SECONDS = "Give each card {min} to {max} seconds."
# {cards}: plural(n, "card")
QUIZ_FINISHED = "Quiz finished! {cards}."
QUIZ_STOPPED = "Quiz stopped after {cards}."
QUIZ_RESTARTED = "The bot restarted, so this quiz ended after {cards}."
QUIZ_NOBODY = "Nobody rated a card this time."
QUIZ_PARTICIPANTS = "Participants"
QUIZ_PARTICIPANT_LINE = "{name}: {cards}, mean rating {mean:.1f}"
QUIZ_HARDEST = "Hardest cards"
DAILY_HOST = "the timer"  # the daily group quiz's "starter": "…or when the timer shows it"
QUIZ_HARDEST_LINE = "{mean:.1f} avg · {question}"

# Reminders
REMIND_BAD_TIME = "“{text}” is not a time. Use HH:MM, e.g. 08:30."
# Every command that takes a time zone (core/zones.py) refuses one with this.
BAD_ZONE = (
    "“{text}” is not a time zone. Use a name like Europe/Berlin or an offset from UTC like "
    "+05:30 (from -12:00 to +14:00)."
)
REMIND_PUSH_ONE = "1 card is due in {deck}."
REMIND_PUSH = "{cards} are due in {deck}."
PUSH_START_REVIEW = "Start review"
REMIND_NONE = "No daily review is set. Try {remind_example}"  # CommandNames.fill
REMIND_OFF = "Daily review is off."

# Settings
SETTINGS_HEADING = "Your study settings"
SETTINGS_FOR = "Settings of {name}"
SETTINGS_SCHEDULER = "Scheduler: {kind}"
SETTINGS_RETENTION = "Desired retention: {percent}% (FSRS: higher means more reviews)"
SETTINGS_NEW_PER_DAY = "New cards per day: {count}"
SETTINGS_ZONE = "Time zone: {zone}"
SETTINGS_REVIEWS_SEEN = "Reviews in servers: {who}"
SETTINGS_REVIEWS_PRIVATE = "only you see them"
SETTINGS_REVIEWS_PUBLIC = "the whole channel sees them"
SETTINGS_ONLY_ME = "Only me"
SETTINGS_EVERYONE = "Everyone"
SETTINGS_ZONE_HINT = (  # CommandNames.fill
    "Not listed? Send {settings_zone}Area/City or an offset, e.g. {settings_zone}Asia/Dubai or "
    "{settings_zone}+05:30."
)
SETTINGS_ZONE_BUTTON = "Time zone…"
SETTINGS_BACK = "Back"
SETTINGS_SAVED = "Saved."
SETTINGS_NOT_YOURS = "These are someone else's settings. Send {settings} for your own."
SETTINGS_UNKNOWN = "That setting is not one I know."
SETTINGS_ZONE_SET = "Your time zone is now {zone}."
SCHEDULER_NAMES = {"fsrs": "FSRS", "sm2": "SM-2"}
# Personal FSRS parameters (core.personal): the settings line, its buttons and their notices.
SETTINGS_PERSONAL = "FSRS parameters: personal, fitted {day} on {reviews}"
SETTINGS_PERSONAL_DEFAULT = "FSRS parameters: the defaults"
SETTINGS_PERSONAL_OFF = "FSRS parameters: the defaults (you chose them)"
SETTINGS_FIT_BUTTON = "Fit my schedule"
SETTINGS_DEFAULTS_BUTTON = "Default parameters"
SETTINGS_FITTED = "Fitted to your {reviews}: reviews from now on follow your own memory."
SETTINGS_FIT_TOO_FEW = (
    "Not enough history to fit yet: {needed} more, and cards reviewed again on later days."
    " Until then you keep the defaults, and the weekly refit tries again."
)
SETTINGS_FIT_BUSY = "Your schedule is being fitted right now; have a look in a minute."
SETTINGS_FIT_KEPT = (
    "A new fit to your {reviews} did not predict them better than {current},"
    " so you keep {kept}. The weekly refit tries again."
)
SETTINGS_DEFAULTS_SET = "Back to the default FSRS parameters; no weekly refit until you ask."


def fit_kept(reviews: int, *, personal: bool) -> str:
    """The notice when a fit on demand lost to the parameters in use, which stay."""
    current, kept = (
        ("your current parameters", "them") if personal else ("the default parameters", "those")
    )
    return SETTINGS_FIT_KEPT.format(reviews=plural(reviews, "review"), current=current, kept=kept)


def file_too_big(size: int, limit: int) -> str:
    """The refusal for a `size`-byte upload over the `limit`, both shown in megabytes."""
    megabyte = 1024 * 1024
    return FILE_TOO_BIG.format(size=f"{size / megabyte:.1f}", limit=f"{limit / megabyte:g}")


# A card's file a chat could not attach, in place of the picture or sound ({platform}: its name).
MEDIA_TOO_LARGE = "{icon} {name} is too large to show on {platform} ({size} MB)."
MEDIA_LEFT_OUT = (
    "{icon} {name} ({size} MB) did not fit in this message: "
    "{platform} takes {count} files and {total} MB at most."
)
MEDIA_ICONS = {True: "🖼", False: "🔊"}  # picture, sound


def media_too_large(name: str, size: int, platform: str, *, picture: bool) -> str:
    """A file over the platform's limit for one file: "🖼 leg.png is too large to show on
    Discord (12.4 MB)."""
    return MEDIA_TOO_LARGE.format(
        icon=MEDIA_ICONS[picture], name=name, platform=platform, size=_megabytes(size)
    )


def media_left_out(
    name: str, size: int, platform: str, *, picture: bool, count: int, total: int
) -> str:
    """A file that fits alone but not with the others (a message's `count` files or `total`
    bytes)."""
    return MEDIA_LEFT_OUT.format(
        icon=MEDIA_ICONS[picture],
        name=name,
        size=_megabytes(size),
        platform=platform,
        count=count,
        total=f"{total / _MEGABYTE:g}",
    )


_MEGABYTE = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.1f}"


def remind_push(count: int, deck: str) -> str:
    """The daily push: "1 card is due in X", "3 cards are due in X"."""
    if count == 1:
        return REMIND_PUSH_ONE.format(deck=deck)
    return REMIND_PUSH.format(cards=plural(count, "card"), deck=deck)


# Leech rescue (core.leeches): a card the learner keeps forgetting.
LEECH_FLAGGED = (
    "You have forgotten this card {lapses} times: it is a leech. A hint of your own may help,"
    " or suspend it to take it out of your reviews."
)
LEECH_HINT_BUTTON = "Add a hint"
LEECH_SUSPEND_BUTTON = "Suspend card"
LEECH_CANCEL_BUTTON = "Cancel"
HINT_LABEL = "Your hint: {hint}"
HINT_PROMPT = (
    "Send your hint for “{question}” as your next message (up to {limit} characters)."
    " It shows under the question, before the answer, only to you."
)
HINT_MODAL_TITLE = "Your hint for this card"
HINT_MODAL_LABEL = "Hint (shown before the answer, only to you)"
HINT_SAVED = "Hint saved: you will see it under the question next time."
HINT_EMPTY = "That hint is empty; nothing was saved."
HINT_TOO_LONG = "That hint is {length} characters; hints can be at most {limit}. Nothing was saved."
HINT_CANCELLED = "No hint then."
HINT_EXPIRED = "That hint prompt has expired; press “Add a hint” again."
CARD_SUSPENDED = "Suspended: this card is out of your reviews. {settings} can bring it back."
CARD_ALREADY_SUSPENDED = "That card is already suspended."
CARD_NOT_SUSPENDED = "That card is not suspended any more."
CARD_RESTORED = "Restored “{question}”: it is back in your reviews."
SETTINGS_SUSPENDED_BUTTON = "Suspended cards ({count})"
SETTINGS_SUSPENDED_TITLE = "Suspended cards: press one to bring it back into your reviews."
SETTINGS_SUSPENDED_NONE = "You have no suspended cards."
SETTINGS_SUSPENDED_PAGE = "Page {page} of {pages}"
SETTINGS_PREVIOUS = "‹ Previous"
SETTINGS_NEXT = "Next ›"
QUIZ_LEECHES = "Leeches of this group (forgotten {threshold}+ times by someone): {cards}"
QUIZ_LEECHES_OWN_THRESHOLDS = (  # the participants' leech thresholds differ
    "Leeches of this group (forgotten by someone as often as their own leech threshold,"
    " {low}–{high} times): {cards}"
)
# The leech threshold, a setting of its own (CommandNames.fill for the examples).
SETTINGS_LEECH = "Leech threshold: {lapses} lapses ({settings_leech}{low}–{high} to change it)"
LEECH_THRESHOLD_SET = (
    "Your leech threshold is now {lapses} lapses: a card you forget that many times is flagged"
    " as a leech."
)
LEECH_THRESHOLD_MISSING = (
    "Send the number of lapses that makes a card a leech, from {low} to {high}:"
    " e.g. {settings_leech}8."
)
LEECH_THRESHOLD_NOT_A_NUMBER = (
    "“{text}” is not a number of lapses. Send a whole number from {low} to {high}:"
    " e.g. {settings_leech}8."
)
LEECH_THRESHOLD_OUT_OF_RANGE = (
    "{lapses} is outside the leech thresholds I allow ({low}–{high} lapses); nothing was changed."
)

# Exam plans (/plan)
PLAN_DATE_PAST = "The exam date must be after today."
PLAN_DATE_TOO_FAR = "I plan at most two years ahead; choose an earlier exam date."
PLAN_BAD_TARGET = "The target is a percentage from {low} to {high}."
PLAN_BAD_DATE = "Write the exam date as YYYY-MM-DD, for example 2027-06-30."
PLAN_NOT_A_TARGET = "The target is a whole percentage, for example 90."
PLAN_USAGE = "Plan for an exam with {plan_example}; {plan_off} ends your plans."  # .fill
PLAN_EMPTY_DECK = "“{name}” has no cards to plan for."
PLAN_REACHABLE = (
    "Plan for “{deck}” until {date}: {new} new cards a day at {retention}% desired retention."
    " Predicted recall on {date}: {recall}% (target {target}%)."
)
PLAN_UNREACHABLE = (
    "{target}% of “{deck}” by {date} is not reachable, even with {new} new cards a day:"
    " {reachable}% is reachable. I set that plan, at {retention}% desired retention."
)
PLAN_UNREACHABLE_SLOWER = (
    "{target}% of “{deck}” by {date} is not reachable: {reachable}% is reachable, if you start"
    " {new} new cards a day at {retention}% desired retention. I set that plan."
)
PLAN_APPLIES = (  # CommandNames.fill
    "Until then the plan sets your new cards a day and retention for that deck; {plan_off} ends it."
)
PLAN_FORECAST_HEADING = "Expected cards a day until the exam"
PLAN_FORECAST_DAY = "{day}  {new:>3} new  {reviews:>4} reviews"
PLAN_FORECAST_WEEK = "week of {day}  {new:>4} new  {reviews:>5} reviews"
PLAN_CURRENT = (
    "“{deck}”: exam on {date}, {new} new cards a day at {retention}% retention (target {target}%)."
)
PLAN_NONE = "You have no exam plan. " + PLAN_USAGE
PLAN_ENDED = "Your exam plans are ended; your own limits apply again."
